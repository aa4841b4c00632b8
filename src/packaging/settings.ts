/**
 * The values the Teams app package takes from the bot's configuration. Only these, so an
 * admin can build the package on a workstation that holds no secrets. Same names as
 * loadConfig (src/config/index.ts) reads, plus the package's own TEAMS_APP_* settings; every
 * problem is reported at once, naming the variable, as a ConfigError.
 */
import { ConfigError } from '../errors';
import { canonicalId } from '../identity';

type Env = Record<string, string | undefined>;

export interface PackageSettings {
  /** The manifest `id`: stays the same across versions, or Teams sees a different app. */
  teamsAppId: string;
  /** The Azure Bot's Microsoft App ID (`MicrosoftAppId`). */
  botAppId: string;
  /**
   * The app registration whose Graph permissions the bot uses (webApplicationInfo), so the
   * Teams admin center shows them. Absent when Graph uses a managed identity: that has no
   * app registration to show or consent to.
   */
  graphAppId?: string;
  /** x.y.z; Teams only accepts an update whose version is higher. */
  appVersion: string;
  /** Host (and port, if any) of PUBLIC_BASE_URL: the guide and dispute pages. */
  publicHost?: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  /** Settings left at a default an organisation will want to replace, to say so. */
  notes: string[];
}

/** Where people register their sign-in methods: support for the app's users by default. */
const DEFAULT_WEBSITE_URL = 'https://aka.ms/mysecurityinfo';
const DEFAULT_DEVELOPER_NAME = 'IT Helpdesk';
const NIL_GUID = '00000000-0000-0000-0000-000000000000';
// The manifest schema's `semver` definition: three numbers, no pre-release tag.
const MANIFEST_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function readPackageSettings(env: Env, options: { appVersion: string }): PackageSettings {
  const problems: string[] = [];
  const notes: string[] = [];
  const raw = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const guid = (name: string, why: string | undefined): string | undefined => {
    const v = raw(name);
    if (v === undefined) {
      if (why) problems.push(`${name} is missing: ${why}.`);
      return undefined;
    }
    const id = canonicalId(v);
    if (id === undefined) problems.push(`${name} is not a GUID (got "${truncate(v)}"); expected e.g. 2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d.`);
    else if (id === NIL_GUID) problems.push(`${name} is the all-zero placeholder from .env.example; set the real id.`);
    return id === NIL_GUID ? undefined : id;
  };
  const httpsUrl = (name: string): URL | undefined => {
    const v = raw(name);
    if (v === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      problems.push(`${name} is not a URL (got "${truncate(v)}").`);
      return undefined;
    }
    if (url.protocol !== 'https:') {
      problems.push(`${name} must be an https:// URL (got "${truncate(v)}").`);
      return undefined;
    }
    return url;
  };

  const botAppId = guid('MicrosoftAppId', "set it to the bot's Microsoft App ID (Azure Bot resource → Configuration), the same value the bot runs with");
  const teamsAppId = guid('TEAMS_APP_ID', undefined) ?? botAppId;
  if (raw('TEAMS_APP_ID') === undefined && botAppId) notes.push(`TEAMS_APP_ID is not set: the manifest id is the bot's app id ${botAppId}. Keep it for every later version.`);
  const graphClientId = guid('GRAPH_CLIENT_ID', undefined) ?? botAppId;
  const graphAppId = raw('GRAPH_AUTH')?.toLowerCase() === 'managedidentity' ? undefined : graphClientId;
  const publicBase = httpsUrl('PUBLIC_BASE_URL');
  if (raw('PUBLIC_BASE_URL') === undefined) notes.push('PUBLIC_BASE_URL is not set: validDomains stays empty (set it to where the bot serves its guide and dispute pages).');

  const developerName = raw('TEAMS_APP_DEVELOPER_NAME') ?? DEFAULT_DEVELOPER_NAME;
  if (developerName.length > 32) problems.push(`TEAMS_APP_DEVELOPER_NAME is ${developerName.length} characters; Teams allows at most 32.`);
  const websiteUrl = httpsUrl('TEAMS_APP_WEBSITE_URL')?.href ?? DEFAULT_WEBSITE_URL;
  // The app's details in Teams link these as the publisher's own privacy statement and terms:
  // only the organisation can name them (the bot has no such pages, and Microsoft's are not it).
  const ownPage = (name: string, what: string): string => {
    if (raw(name) === undefined) problems.push(`${name} is missing: set it to your organisation's ${what} (an https:// page), which Teams links on the app's details as the publisher's own.`);
    return httpsUrl(name)?.href ?? '';
  };
  const privacyUrl = ownPage('TEAMS_APP_PRIVACY_URL', 'privacy statement');
  const termsOfUseUrl = ownPage('TEAMS_APP_TERMS_URL', 'terms of use for internal apps');

  const appVersion = options.appVersion.trim();
  if (!MANIFEST_VERSION.test(appVersion)) problems.push(`The app version "${truncate(appVersion)}" is not x.y.z (three whole numbers, no suffix), which Teams requires.`);

  if (problems.length > 0 || !botAppId || !teamsAppId) throw new ConfigError(problems);
  return {
    teamsAppId,
    botAppId,
    ...(graphAppId ? { graphAppId } : {}),
    appVersion,
    ...(publicBase ? { publicHost: publicBase.host } : {}),
    developer: { name: developerName, websiteUrl, privacyUrl, termsOfUseUrl },
    notes,
  };
}

function truncate(v: string): string {
  return v.length > 60 ? `${v.slice(0, 57)}...` : v;
}
