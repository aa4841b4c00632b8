/**
 * manifest/manifest.json is a template: every string that is exactly `{{NAME}}` is filled
 * from the package settings; a list entry whose value is not configured is left out (an
 * empty validDomains when there is no PUBLIC_BASE_URL). The result is checked offline
 * against the JSON schema @microsoft/app-manifest bundles for the template's manifestVersion,
 * and against the limits Teams clients show in the bot's command menu.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { PackagingError } from './errors';
import type { PackageSettings } from './settings';

export const TEMPLATE_DIR = path.join(__dirname, '..', '..', 'manifest');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type ManifestJson = { [key: string]: Json };

/** The placeholder names the template may use, and their values (undefined: not configured). */
export function placeholderValues(settings: PackageSettings): Record<string, string | undefined> {
  return {
    TEAMS_APP_ID: settings.teamsAppId,
    MicrosoftAppId: settings.botAppId,
    GRAPH_CLIENT_ID: settings.graphAppId,
    APP_VERSION: settings.appVersion,
    PUBLIC_BASE_URL_HOST: settings.publicHost,
    TEAMS_APP_DEVELOPER_NAME: settings.developer.name,
    TEAMS_APP_WEBSITE_URL: settings.developer.websiteUrl,
    TEAMS_APP_PRIVACY_URL: settings.developer.privacyUrl,
    TEAMS_APP_TERMS_URL: settings.developer.termsOfUseUrl,
  };
}

export function readTemplate(dir: string = TEMPLATE_DIR): ManifestJson {
  const file = path.join(dir, 'manifest.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Json;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new PackagingError('manifestInvalid', `${file} is not a JSON object.`);
  return parsed;
}

const PLACEHOLDER = /^\{\{(\w+)\}\}$/;

/**
 * The template with every placeholder filled. Not configured: a list entry is left out, and
 * so is an object whose values are all placeholders (webApplicationInfo without a Graph app);
 * anywhere else it is refused, as is a placeholder this packager has no name for.
 */
export function fillTemplate(template: ManifestJson, values: Record<string, string | undefined>): ManifestJson {
  const unknown = new Set<string>();
  const missing = new Set<string>();
  const unset = (node: Json): boolean => typeof node === 'string' && PLACEHOLDER.test(node) && values[PLACEHOLDER.exec(node)![1]!] === undefined;
  const fill = (node: Json, optional: boolean): Json | undefined => {
    if (typeof node === 'string') {
      const name = PLACEHOLDER.exec(node)?.[1];
      if (name === undefined) return node;
      if (!(name in values)) unknown.add(name);
      const value = values[name];
      if (value === undefined && !optional) missing.add(name);
      return value;
    }
    if (Array.isArray(node)) return node.map((item) => fill(item, true)).filter((item): item is Json => item !== undefined);
    if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node);
      if (entries.length > 0 && entries.every(([, v]) => unset(v))) {
        entries.forEach(([, v]) => fill(v, true)); // still refuse unknown names
        return undefined;
      }
      return Object.fromEntries(entries.flatMap(([k, v]) => {
        const filled = fill(v, false);
        return filled === undefined ? [] : [[k, filled]];
      }));
    }
    return node;
  };
  const filled = fill(template, false) as ManifestJson;
  if (unknown.size) throw new PackagingError('manifestInvalid', `manifest/manifest.json uses placeholders this packager does not know: ${[...unknown].map((n) => `{{${n}}}`).join(', ')}. Known: ${Object.keys(values).map((n) => `{{${n}}}`).join(', ')}.`);
  if (missing.size) throw new PackagingError('manifestInvalid', `manifest/manifest.json needs ${[...missing].join(', ')}, which is not configured.`);
  return filled;
}

/** The bundled schema for this manifestVersion; refuses devPreview and versions it does not bundle. */
function bundledSchemaFor(manifestVersion: unknown): { file: string; schema: Record<string, unknown> } {
  if (typeof manifestVersion !== 'string' || !/^1\.\d+$/.test(manifestVersion)) {
    throw new PackagingError('manifestInvalid', `manifestVersion must be a released version such as "1.30" (got ${JSON.stringify(manifestVersion)}); devPreview cannot be uploaded to an organisation's catalog.`);
  }
  const file = path.join(schemaRoot(), `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  if (!existsSync(file)) throw new PackagingError('manifestInvalid', `@microsoft/app-manifest bundles no schema for manifestVersion ${manifestVersion} (looked for ${file}).`);
  return { file, schema: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> };
}

/** The released (numbered) Teams manifest versions the installed @microsoft/app-manifest bundles. */
export function bundledManifestVersions(): string[] {
  return readdirSync(schemaRoot())
    .map((d) => /^v(1\.\d+)$/.exec(d)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

function schemaRoot(): string {
  return path.join(path.dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');
}

/**
 * Limits stricter than the newest schema: manifest 1.20 and earlier allow a command title of
 * 32 characters, a description of 128 and 10 commands per list, and the Teams docs still say
 * "each menu supports up to 10 commands". Staying within them keeps every client's menu whole.
 */
export const COMMAND_MENU_LIMITS = { commands: 10, title: 32, description: 128 } as const;

function commandMenuProblems(manifest: ManifestJson): string[] {
  const problems: string[] = [];
  const bots = Array.isArray(manifest['bots']) ? manifest['bots'] : [];
  for (const bot of bots) {
    const lists = bot && typeof bot === 'object' && !Array.isArray(bot) && Array.isArray(bot['commandLists']) ? bot['commandLists'] : [];
    for (const list of lists) {
      const commands = list && typeof list === 'object' && !Array.isArray(list) && Array.isArray(list['commands']) ? list['commands'] : [];
      if (commands.length > COMMAND_MENU_LIMITS.commands) problems.push(`a bot command list has ${commands.length} commands; keep it to ${COMMAND_MENU_LIMITS.commands}.`);
      for (const command of commands) {
        if (!command || typeof command !== 'object' || Array.isArray(command)) continue;
        const { title, description } = command;
        if (typeof title === 'string' && title.length > COMMAND_MENU_LIMITS.title) problems.push(`command "${title}": the title is ${title.length} characters; keep it to ${COMMAND_MENU_LIMITS.title}.`);
        if (typeof description === 'string' && description.length > COMMAND_MENU_LIMITS.description) problems.push(`command "${String(title)}": the description is ${description.length} characters; keep it to ${COMMAND_MENU_LIMITS.description}.`);
      }
    }
  }
  return problems;
}

/** Every problem with the filled manifest, schema and menu limits; empty when it is valid. */
export async function manifestProblems(manifest: ManifestJson): Promise<string[]> {
  const { schema } = bundledSchemaFor(manifest['manifestVersion']);
  // The JSON is what the schema checks; the library's type is the shape it promises after.
  const schemaErrors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema as never);
  const version = String(manifest['manifestVersion']);
  const schemaUrl = `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`;
  const ownSchema = manifest['$schema'] === schemaUrl ? [] : [`$schema must be ${schemaUrl}, the schema of manifestVersion ${version}.`];
  return [...schemaErrors.map((e) => `schema: ${e.trim()}`), ...ownSchema, ...commandMenuProblems(manifest)];
}

/** Fill the template and refuse anything the schema or the menu limits reject. */
export async function buildManifest(settings: PackageSettings, templateDir: string = TEMPLATE_DIR): Promise<ManifestJson> {
  const manifest = fillTemplate(readTemplate(templateDir), placeholderValues(settings));
  const problems = await manifestProblems(manifest);
  if (problems.length) throw new PackagingError('manifestInvalid', `The generated manifest is not valid for manifestVersion ${String(manifest['manifestVersion'])}:`, problems);
  return manifest;
}
