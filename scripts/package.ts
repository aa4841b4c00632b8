/**
 * For the admin: build the Teams app package (`npm run package`) from manifest/ and the
 * bot's configuration, validated offline, ready to upload in the Teams admin center.
 *
 *   npm run package                              reads .env (if present) and the environment
 *   npm run package -- --env-file prod.env       another settings file
 *   npm run package -- --app-version 0.2.0       a higher version for an update
 *   npm run package -- --out dist/teams --force  another folder; replace a zip of this version
 *
 * Settings: MicrosoftAppId (required), TEAMS_APP_ID (default: MicrosoftAppId),
 * GRAPH_CLIENT_ID (default: MicrosoftAppId) and GRAPH_AUTH, PUBLIC_BASE_URL, TEAMS_APP_DEVELOPER_NAME,
 * TEAMS_APP_WEBSITE_URL, and the organisation's own TEAMS_APP_PRIVACY_URL and TEAMS_APP_TERMS_URL
 * (required: the app's details link them as the publisher's). No secret is read.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { envFilePath, overEnvFile } from '../src/config/envFile';
import { ConfigError } from '../src/errors';
import { buildAppPackage } from '../src/packaging/appPackage';
import { PackagingError } from '../src/packaging/errors';
import { readPackageSettings } from '../src/packaging/settings';

const ROOT = path.join(__dirname, '..');

const USAGE = `Usage: npm run package -- [--out <dir>] [--force] [--env-file <file>] [--app-version <x.y.z>]
  --out <dir>            where the zip goes (default: appPackage/)
  --force                replace an existing zip of the same version
  --env-file <file>      settings file (default: .env in the current folder, if there is one)
  --app-version <x.y.z>  the app's version (default: "version" in package.json)`;

interface Args {
  outDir: string;
  force: boolean;
  envFile?: string;
  appVersion?: string;
  help: boolean;
}

function readArgs(argv: string[]): Args {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        force: { type: 'boolean', default: false },
        'env-file': { type: 'string' },
        'app-version': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    return {
      outDir: path.resolve(values.out ?? path.join(ROOT, 'appPackage')),
      force: values.force ?? false,
      ...(values['env-file'] !== undefined ? { envFile: values['env-file'] } : {}),
      ...(values['app-version'] !== undefined ? { appVersion: values['app-version'] } : {}),
      help: values.help ?? false,
    };
  } catch (e) {
    throw new PackagingError('badArguments', `${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  }
}

/** The environment over the settings file (src/config/envFile.ts), and which file that was. */
function readEnv(envFile: string | undefined): { env: Record<string, string | undefined>; source?: string } {
  const file = envFilePath(envFile, process.cwd());
  if (file === undefined) return { env: { ...process.env } };
  if (!existsSync(file)) throw new PackagingError('badArguments', `--env-file ${envFile}: there is no such file.`);
  return { env: overEnvFile(process.env, file), source: file };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '';
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { env, source } = readEnv(args.envFile);
  let settings;
  try {
    settings = readPackageSettings(env, { appVersion: args.appVersion ?? packageVersion() });
  } catch (e) {
    if (e instanceof ConfigError) {
      const where = source ? `in ${source} or the environment` : 'in .env (copy .env.example) or the environment';
      e.message = `Cannot build the Teams app package. ${e.message}\nSet them ${where}, then run npm run package again.`;
    }
    throw e;
  }
  const built = await buildAppPackage({ settings, outDir: args.outDir, force: args.force });
  const shown = path.relative(process.cwd(), built.zipPath) || built.zipPath;
  const lines = [
    `Wrote ${shown}`,
    `  ${built.entries.join(', ')}; manifest ${String(built.manifest['manifestVersion'])}, version ${settings.appVersion}, validated against the bundled schema`,
    `  app id ${settings.teamsAppId}, bot ${settings.botAppId}, ` +
      `${settings.graphAppId ? `Graph app ${settings.graphAppId} (webApplicationInfo)` : 'no webApplicationInfo (Graph uses a managed identity)'}` +
      `${settings.publicHost ? `, validDomains ${settings.publicHost}` : ''}`,
    ...(source ? [`  settings from ${source} and the environment`] : []),
    ...settings.notes.map((n) => `  note: ${n}`),
    '',
    'Next:',
    '  1. Teams admin center (https://admin.teams.microsoft.com) → Teams apps → Manage apps → Upload new app → Upload,',
    `     and pick ${shown}. For a later version, open the app there and upload the new file instead.`,
    '  2. Make the app available to the helpdesk agents and their managers (app permission and setup policies).',
    `  3. Set TEAMS_APP_CATALOG_ID to the app's catalog id, the "id" from Graph`,
    `     GET /appCatalogs/teamsApps?$filter=externalId eq '${settings.teamsAppId}'`,
    '     so the bot can install itself for approvers who never opened it.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  const known = e instanceof ConfigError || e instanceof PackagingError;
  process.stderr.write(`${known || e instanceof Error ? (e as Error).message : String(e)}\n`);
  process.exitCode = 1;
});
