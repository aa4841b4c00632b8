/**
 * The bulk command line's arguments: parsed and checked before anything else happens, so a
 * typo costs nothing (no sandbox, no Graph call, no file). Every problem is reported at once.
 */
import { isTimeZone } from '../flow/request/localTime';
import { SCENARIOS, type Scenario } from '../flow/types';

export interface BulkCliOptions {
  group: string;
  /** Local date (YYYY-MM-DD) and optional time (HH:MM, else the scenario's start time), or `now`: as soon as they are made. */
  start: { date: string; time?: string } | 'now';
  scenario: Scenario;
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
  reason?: string;
  ticket?: string;
  timeZone?: string;
  out?: string;
  dryRun: boolean;
  yes: boolean;
  envFile?: string;
  /** The admin running this, as a directory user (UPN or object id): the requester of record. */
  as: string;
}

export type ParsedArgs = { kind: 'help' } | { kind: 'run'; options: BulkCliOptions };

/** Bad arguments: each problem is one sentence. */
export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(' '));
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: npm run bulk -- --group <id|name> --start <local time> --as <your upn> [options]

Creates a Temporary Access Pass for every eligible member of an Entra group, with the same
checks and audit as the Teams bot, and writes the codes to a new CSV file (owner-only).

  --group <id|name>      the group: its object id, or its exact display name
  --start <local time>   "YYYY-MM-DD HH:MM" (or YYYY-MM-DDTHH:MM) in --time-zone; a date alone
                         uses the scenario's start time (new joiner: 08:00); "now" starts
                         the passes a minute after the command runs
  --as <upn>             you, the admin running this: a user in the directory, recorded as
                         the requester and approver in the audit trail
  --scenario <name>      newJoiner (default), recovery or passkeyOnboarding
  --lifetime <minutes>   how long each pass lasts (default: the scenario's, within the policy)
  --one-time | --multi-use
  --reason <text>        why (goes to the audit trail; default names the scenario)
  --ticket <id>          e.g. INC-12345
  --time-zone <IANA>     zone of --start (default ORG_TIME_ZONE), e.g. Europe/Copenhagen
  --out <file.csv>       where the codes go (default bulk-<BULK-id>-<date>.csv here); an
                         existing file is never overwritten
  --dry-run              show who would get a pass and who would not; creates nothing
  --yes                  do not ask "Create N passes?" (needed without a terminal)
  --env-file <file>      read settings from this file (default ./.env when it exists)
  --help                 this text

Exit codes: 0 every eligible member got a pass; 1 some failed; 2 bad input or
configuration; 3 nothing could be done.`;

const VALUE_OPTIONS = ['group', 'start', 'as', 'scenario', 'lifetime', 'reason', 'ticket', 'time-zone', 'out', 'env-file'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const FLAGS = ['dry-run', 'yes', 'one-time', 'multi-use', 'help'] as const;
type Flag = (typeof FLAGS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})$/;
const TIME = /^\d{1,2}:\d{2}$/;

export function parseBulkArgs(argv: readonly string[]): ParsedArgs {
  const values = new Map<ValueOption, string>();
  const flags = new Set<Flag>();
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-h') {
      flags.add('help');
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      problems.push(`Unexpected argument "${arg}" (options start with --; quote values with spaces).`);
      continue;
    }
    const name = m[1] as string;
    if ((FLAGS as readonly string[]).includes(name)) {
      if (m[2] !== undefined) problems.push(`--${name} takes no value.`);
      flags.add(name as Flag);
      continue;
    }
    if (!(VALUE_OPTIONS as readonly string[]).includes(name)) {
      problems.push(`Unknown option --${name}.`);
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push(`--${name} needs a value.`);
        continue;
      }
      value = next;
      i++;
      // `--start 2026-12-07 08:00` unquoted: the time is the next word.
      const after = argv[i + 1];
      if (name === 'start' && DATE.test(value) && after !== undefined && TIME.test(after)) {
        value = `${value} ${after}`;
        i++;
      }
    }
    if (values.has(name as ValueOption)) problems.push(`--${name} is given twice.`);
    values.set(name as ValueOption, value);
  }
  if (flags.has('help')) return { kind: 'help' };

  const group = values.get('group')?.trim() ?? '';
  if (group === '') problems.push('--group is required: the group\'s object id or its exact display name.');
  const as = values.get('as')?.trim() ?? '';
  if (as === '') problems.push('--as is required: your own user principal name (e.g. admin@contoso.com), recorded as the requester in the audit trail.');

  const startText = values.get('start');
  let start: BulkCliOptions['start'] | undefined;
  if (startText === undefined) problems.push('--start is required: "YYYY-MM-DD HH:MM" in --time-zone (e.g. "2026-12-07 08:00"), a date alone, or now.');
  else {
    const parsed = parseStart(startText);
    if (parsed === 'invalid') problems.push(`--start "${startText}" is not a local time: write "YYYY-MM-DD HH:MM" (e.g. "2026-12-07 08:00"), a date alone (YYYY-MM-DD), or now.`);
    else start = parsed;
  }

  const scenarioText = values.get('scenario') ?? 'newJoiner';
  const scenario = SCENARIOS.find((s) => s.toLowerCase() === scenarioText.toLowerCase());
  if (!scenario) problems.push(`--scenario must be one of ${SCENARIOS.join(', ')} (got "${scenarioText}").`);

  let lifetimeInMinutes: number | undefined;
  const lifetimeText = values.get('lifetime');
  if (lifetimeText !== undefined) {
    if (/^\d+$/.test(lifetimeText)) lifetimeInMinutes = Number(lifetimeText);
    else problems.push(`--lifetime is a whole number of minutes, e.g. 480 (got "${lifetimeText}").`);
  }

  if (flags.has('one-time') && flags.has('multi-use')) problems.push('--one-time and --multi-use cannot be combined.');
  const isUsableOnce = flags.has('one-time') ? true : flags.has('multi-use') ? false : undefined;

  const timeZone = values.get('time-zone');
  if (timeZone !== undefined && !isTimeZone(timeZone)) problems.push(`--time-zone must be an IANA zone name such as Europe/Copenhagen (got "${timeZone}").`);

  const out = values.get('out');
  if (out !== undefined && out.trim() === '') problems.push('--out needs a file name.');
  if (flags.has('dry-run') && out !== undefined) problems.push('--dry-run writes no file, so --out makes no sense with it.');

  if (problems.length > 0) throw new UsageError(problems);
  return {
    kind: 'run',
    options: {
      group,
      as,
      start: start as BulkCliOptions['start'],
      scenario: scenario as Scenario,
      ...(lifetimeInMinutes !== undefined ? { lifetimeInMinutes } : {}),
      ...(isUsableOnce !== undefined ? { isUsableOnce } : {}),
      ...optional('reason', values.get('reason')),
      ...optional('ticket', values.get('ticket')),
      ...optional('timeZone', timeZone),
      ...optional('out', out),
      ...optional('envFile', values.get('env-file')),
      dryRun: flags.has('dry-run'),
      yes: flags.has('yes'),
    },
  };
}

function parseStart(text: string): BulkCliOptions['start'] | 'invalid' {
  const t = text.trim();
  if (t.toLowerCase() === 'now') return 'now';
  if (DATE.test(t)) return { date: t };
  const m = DATE_TIME.exec(t);
  if (m) return { date: m[1] as string, time: (m[2] as string).padStart(5, '0') };
  return 'invalid';
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
