/**
 * The settings file of the admin commands (`npm run doctor`, `npm run bulk`,
 * `npm run package`): the file named with --env-file, else ./.env when there is one. The
 * process environment wins over the file, as with `node --env-file`, which is how the README
 * runs the bot: each command then sees the values the bot runs with.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The file to read, absolute: the one given (relative to `cwd`), else `cwd`/.env if it
 * exists, else none. An empty name (`--env-file=`) names no file.
 */
export function envFilePath(given: string | undefined, cwd: string): string | undefined {
  if (given) return path.resolve(cwd, given);
  const local = path.join(cwd, '.env');
  return existsSync(local) ? local : undefined;
}

/** `env` over the settings of `file` (none when undefined). Throws what reading the file throws. */
export function overEnvFile(env: Record<string, string | undefined>, file: string | undefined): Record<string, string | undefined> {
  return { ...(file ? parseEnv(readFileSync(file, 'utf8')) : {}), ...env };
}
