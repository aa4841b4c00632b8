/**
 * What `npm start` shows a person at a terminal in sandbox mode: the banner, one short line
 * per event (formatHuman, naming people from the sandbox directory) while the JSON lines go
 * to a file, one line per Playground tab and the first steps to try.
 */
import { mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Config } from '../src/config';
import { configureLogging, formatHuman } from '../src/log';
import { GROUPS, USERS } from '../sandbox/ids';
import type { Persona } from './personas';

export const SANDBOX_BANNER = `
┌──────────────────────────────────────────────────────────────────────────────┐
│  SANDBOX MODE: no Microsoft credentials are configured.                      │
│  Talking to the LOCAL SANDBOX TENANT, not Microsoft Entra. Passes issued     │
│  here are fake and sign nobody in. Bot Framework tokens are NOT checked.     │
│  Set MicrosoftAppId etc. (see .env.example) for a real deployment.           │
└──────────────────────────────────────────────────────────────────────────────┘`;

/** The sandbox's JSON log lives next to its database file (SQLITE_PATH), else in .data/. */
export function sandboxLogPath(config: Config): string {
  const database = config.storage.kind === 'sqlite' ? config.storage.path : '';
  const dir = database === '' || database === ':memory:' ? '.data' : dirname(database);
  const path = join(dir, 'bot.log.jsonl');
  return isAbsolute(path) ? path : `./${path}`;
}

/**
 * Short lines on the terminal, naming people from the sandbox directory; every JSON line
 * appended to the file (synchronously: nothing is lost on exit).
 */
export function logForTerminal(level: Config['logLevel'], path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  const names = new Map<string, string>(Object.values(USERS).map((u) => [u.id, u.name]));
  configureLogging({
    level,
    sink: (line, record) => {
      writeSync(fd, `${line}\n`);
      const text = formatHuman(record, { nameOf: (id) => names.get(id) });
      if (text !== undefined) process.stdout.write(`${text}\n`);
    },
  });
}

/** One banner line per Playground tab: where, who you are there, what to try. */
export function tabLines(tabs: Array<{ persona: Persona; url: string; known: boolean }>): string[] {
  const urlWidth = Math.max(...tabs.map((t) => t.url.length));
  const nameWidth = Math.max(...tabs.map((t) => t.persona.person.name.length));
  return tabs.map(({ persona, url, known }) => {
    const unknown = known ? '' : '  (open this tab before asking)';
    return `  ${url.padEnd(urlWidth)}  ${persona.person.name.padEnd(nameWidth)}  ${persona.tryHere}${unknown}`;
  });
}

/** The next steps under the tabs, including when and from whom a second approval is needed. */
export function firstSteps(config: Config, allKnown: boolean): string[] {
  const steps = [
    allKnown
      ? 'The bot already knows everyone. Open all the tabs before asking: a tab shows only some of'
      : 'The bot learns a person when their tab opens: open the marked tabs before asking, and the',
    allKnown
      ? 'what the bot sent while it was closed (a limit of the Playground).'
      : 'others too: a tab shows only some of what the bot sent while it was closed.',
    "In Adele's tab type  tap megan@contoso.com  and submit the form. Nestor's tab shows the",
    "approval card; after Approve, Adele's tab shows the pass and Megan's tab a notice.",
  ];
  const { recentPassWithinDays, onElevated, secondApproverGroupId } = config.risk;
  if (recentPassWithinDays > 0 && onElevated === 'secondApprover' && secondApproverGroupId) {
    const who = secondApproverGroupId === GROUPS.fallbackApprovers ? `${USERS.joni.name} approves in her tab` : 'the second approver group approves';
    steps.push(`A second pass for the same person within ${recentPassWithinDays} days needs four eyes: ${who} too.`);
  } else if (recentPassWithinDays > 0 && onElevated === 'refuse') {
    steps.push(`A second pass for the same person within ${recentPassWithinDays} days is refused (RISK_ELEVATED=refuse).`);
  }
  return steps;
}
