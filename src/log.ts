/**
 * One named logger per module. Lines are JSON so an admin can ship them anywhere.
 * Secrets are scrubbed by key name as a second line of defence: the first is never
 * passing them in. Every string (the message too) also loses what follows a secret path
 * word: a URL, path or error message naming `/dispute/<token>` would hand a live one-time
 * link to whoever reads the log. For a person at a terminal (sandbox mode), formatHuman turns an event
 * into one short line.
 *
 * Every line written inside a correlation scope (one turn, one sweep: see
 * telemetry/correlation.ts) carries its `correlationId`, and its `requestId` once the flow
 * knows it, unless the line names a request itself.
 */
import { correlationFields } from './telemetry/correlation';
import { redactSecretPaths } from './telemetry/urlRedaction';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

const SECRET_KEYS = /^(temporaryaccesspass|tap|code|password|secret|clientsecret|microsoftapppassword|authorization|access_token|token|client_secret)$/i;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One event as written: time, level, logger and message, then the scrubbed fields. */
export interface LogRecord {
  t: string;
  level: Exclude<LogLevel, 'silent'>;
  logger: string;
  msg: string;
  [field: string]: unknown;
}

/** Gets each event twice: as its JSON line and as the (already scrubbed) record. */
export interface LogSink {
  (line: string, record: LogRecord): void;
}

let minLevel: LogLevel = 'info';
let sink: LogSink = (line) => process.stdout.write(line + '\n');

/** Set by index.ts from config, and by tests to capture lines. */
export function configureLogging(options: { level?: LogLevel; sink?: LogSink }): void {
  if (options.level) minLevel = options.level;
  if (options.sink) sink = options.sink;
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecretPaths(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { name: value.name, message: redactSecretPaths(value.message), code: scrub((value as { code?: unknown }).code, depth + 1) };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEYS.test(k) ? '[redacted]' : scrub(v, depth + 1);
  }
  return out;
}

export function createLogger(name: string): Logger {
  const emit = (level: LogRecord['level'], message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const record: LogRecord = {
      t: new Date().toISOString(),
      level,
      logger: name,
      msg: redactSecretPaths(message),
      ...correlationFields(),
      ...(scrub(fields ?? {}) as object),
    };
    sink(JSON.stringify(record), record);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** The JSON log keeps every field; a terminal line shows at most this much of one value. */
const HUMAN_VALUE_MAX_CHARS = 120;
/** Not shown at a terminal: the JSON log has them, a person reading along needs none of them. */
const RECORD_KEYS = new Set(['t', 'level', 'logger', 'msg', 'correlationId']);

export interface HumanFormatOptions {
  /** A person's display name from their object id, for events that carry only the id. */
  nameOf?: (id: string) => string | undefined;
}

/**
 * The line a person at a terminal sees for one event, or undefined when the event is only
 * for the JSON log: audit events become sentences ("request TAP-7K3F9Q for
 * megan@contoso.com: approved by Nestor Wilke (video call)"), warnings and errors keep
 * their fields as key=value, other info and debug lines stay in the file (the audit
 * sentence already says what they say). Scrubs again, so a record that did not come
 * through createLogger cannot carry a secret to the screen either.
 */
export function formatHuman(record: LogRecord, options: HumanFormatOptions = {}): string | undefined {
  const safe = scrub(record) as LogRecord;
  const time = clockTime(safe.t);
  if (safe.logger === 'audit' && safe.msg === 'audit event') return `${time}  ${auditSentence(safe, options.nameOf ?? (() => undefined))}`;
  if (safe.level !== 'warn' && safe.level !== 'error') return undefined;
  const fields = Object.entries(safe)
    .filter(([key]) => !RECORD_KEYS.has(key))
    .map(([key, value]) => `${key}=${valueText(value)}`);
  return `${time}  ${safe.level === 'warn' ? 'warning' : 'ERROR'}: ${safe.msg}${fields.length > 0 ? `  ${fields.join(' ')}` : ''}`;
}

/** HH:MM:SS in the machine's time zone: the person reading it lives there. */
function clockTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return String(iso);
  return [at.getHours(), at.getMinutes(), at.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function valueText(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = /^[\w@.:/+\-[\]]+$/.test(value) ? value : JSON.stringify(value);
  else if (isErrorShape(value)) text = JSON.stringify(`${value.name}: ${value.message}`);
  else text = JSON.stringify(value) ?? String(value);
  return text.length > HUMAN_VALUE_MAX_CHARS ? `${text.slice(0, HUMAN_VALUE_MAX_CHARS - 1)}…` : text;
}

/** What scrub() makes of an Error. */
function isErrorShape(value: unknown): value is { name: string; message: string } {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.message === 'string' && Object.keys(v).every((k) => ['name', 'message', 'code'].includes(k));
}

/** "videoCall" → "video call", "targetPrivileged" → "target privileged". */
function words(code: unknown): string {
  return String(code).replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

const APPROVERS = new Map([
  ['manager', 'their manager'],
  ['skipLevelManager', 'the skip-level manager'],
  ['fallbackGroup', 'the fallback approvers'],
]);

interface PhraseParts {
  details: Record<string, unknown>;
  actor: string;
  /** '' when 'ok'. */
  outcome: string;
  nameOf: (id: string) => string | undefined;
}
type Phrase = (parts: PhraseParts) => string;

/** How each audit action (src/audit/types.ts) reads after "request TAP-… for user:". */
const AUDIT_PHRASES = new Map<string, Phrase>([
  ['request.created', ({ details, actor, nameOf }) => `created by ${actor} → ${approverText(details, nameOf)}`],
  ['request.refused', ({ actor, outcome }) => `refused (${outcome}), asked by ${actor}`],
  ['request.cancelled', ({ actor }) => `cancelled by ${actor}`],
  ['request.expired', () => 'expired: nobody decided in time'],
  ['request.reported', ({ actor }) => `reported as suspicious by ${actor}`],
  ['decision.approved', ({ details, actor }) => `approved by ${actor}${inBrackets(details.attestation, partialApproval(details.approval))}`],
  ['decision.denied', ({ actor }) => `denied by ${actor}`],
  ['decision.refused', ({ actor, outcome }) => `a decision by ${actor} was refused (${outcome})`],
  ['tap.issued', ({ details }) => `pass issued${inBrackets(lifetimeText(details.lifetimeInMinutes), usesText(details.isUsableOnce))}`],
  ['tap.failed', ({ outcome }) => `no pass issued (${outcome})`],
  ['tap.delivered', ({ details }) => `pass delivered${typeof details.recipientKind === 'string' ? ` to the ${words(details.recipientKind)}` : ''}`],
  ['tap.handedOver', ({ actor }) => `pass handed over by ${actor}`],
  ['tap.codeHidden', ({ details }) => `code hidden${inBrackets(details.reason)}`],
  ['tap.revoked', ({ actor }) => `pass revoked by ${actor}`],
]);

function auditSentence(e: LogRecord, nameOf: (id: string) => string | undefined): string {
  const details = e.details !== null && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : {};
  const actorId = String(e.actorId);
  const actor = typeof e.actorName === 'string' ? e.actorName : actorId === 'system' ? 'the bot' : (nameOf(actorId) ?? actorId);
  const outcome = e.outcome === 'ok' || e.outcome === undefined ? '' : words(e.outcome);
  if (e.action === 'agent.refused') {
    return e.outcome === 'notHelpdeskAgent' ? `${actor} is not a helpdesk agent` : `${actor} refused as helpdesk agent${inBrackets(outcome)}`;
  }
  if (e.action === 'activity.refused') return `activity refused${inBrackets(outcome)}, from ${actor}`;
  const subject = [`request${typeof e.requestId === 'string' ? ` ${e.requestId}` : ''}`, typeof e.targetUpn === 'string' ? `for ${e.targetUpn}` : '']
    .filter(Boolean)
    .join(' ');
  const phrase = AUDIT_PHRASES.get(String(e.action));
  return `${subject}: ${phrase ? phrase({ details, actor, outcome, nameOf }) : `${words(e.action)} by ${actor}${inBrackets(outcome)}`}`;
}

/** "Nestor Wilke (their manager)" when the names are known, else "their manager". */
function approverText(details: Record<string, unknown>, nameOf: (id: string) => string | undefined): string {
  const kind = typeof details.approverKind === 'string' ? details.approverKind : 'approver';
  const role = APPROVERS.get(kind) ?? words(kind);
  const ids = Array.isArray(details.approverIds) ? details.approverIds.filter((id): id is string => typeof id === 'string') : [];
  const names = ids.map((id) => nameOf(id));
  return names.length > 0 && names.every((n) => n !== undefined) ? `${names.join(', ')} (${role})` : role;
}

/** "1 of 2" says a second approval is still needed; "1 of 1" says nothing. */
function partialApproval(approval: unknown): string | undefined {
  return typeof approval === 'string' && !/^(\d+) of \1$/.test(approval) ? approval : undefined;
}

function lifetimeText(minutes: unknown): string | undefined {
  return typeof minutes === 'number' ? `${minutes} min` : undefined;
}

function usesText(once: unknown): string | undefined {
  return once === true ? 'one-time' : once === false ? 'multi-use' : undefined;
}

/** " (video call, 1 of 2)" from the parts that are there; "" when none is. */
function inBrackets(...parts: unknown[]): string {
  const shown = parts.filter((p): p is string => typeof p === 'string' && p !== '').map((p) => (/^[a-z]+[A-Z]/.test(p) ? words(p) : p));
  return shown.length > 0 ? ` (${shown.join(', ')})` : '';
}
