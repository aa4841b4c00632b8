/**
 * One named logger per module. Lines are JSON so an admin can ship them anywhere.
 * Secrets are scrubbed by key name as a second line of defence: the first is never
 * passing them in.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const SECRET_KEYS = /^(temporaryaccesspass|tap|code|password|secret|clientsecret|microsoftapppassword|authorization|access_token|token|client_secret)$/i;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LogSink {
  (line: string): void;
}

let minLevel: LogLevel = 'info';
let sink: LogSink = (line) => process.stdout.write(line + '\n');

/** Set by index.ts from config, and by tests to capture lines. */
export function configureLogging(options: { level?: LogLevel; sink?: LogSink }): void {
  if (options.level) minLevel = options.level;
  if (options.sink) sink = options.sink;
}

export function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEYS.test(k) ? '[redacted]' : scrub(v, depth + 1);
  }
  return out;
}

export function createLogger(name: string): Logger {
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const line = { t: new Date().toISOString(), level, logger: name, msg: message, ...(scrub(fields ?? {}) as object) };
    sink(JSON.stringify(line));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
