/**
 * What the command line prints: the plan (who would get a pass and who would not) and the
 * outcome (counts, each refused and failed member with the reason, where the codes are and
 * the warning that goes with them). Names, UPNs, reasons and counts: never a code.
 */
import { countMembers, type BulkMember, type BulkRequest } from '../flow/bulk/types';
import type { Person } from '../flow/types';
import { nameAndUpn } from '../identity';

/**
 * Directory text on a terminal: a control character (a newline, or ESC starting an escape
 * sequence that could rewrite the screen) is shown as a visible escape instead.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** "Name (UPN)", safe to print. */
export const named = (p: Pick<Person, 'displayName' | 'userPrincipalName'>): string => terminalSafe(`${nameAndUpn(p)}`);

/** An instant as the reader's wall clock: "2026-12-07 08:00 Europe/Copenhagen". */
function localTime(iso: string, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${zone}`;
}

/** Today's date in `zone` as YYYY-MM-DD (for the default file name). */
export function localDate(now: Date, zone: string): string {
  return localTime(now.toISOString(), zone).slice(0, 10);
}

const memberLine = (m: BulkMember): string => `  ${named(m)}${m.reason ? `: ${terminalSafe(m.reason)}` : ''}`;

export function planLines(plan: BulkRequest, zone: string, options: { dryRun: boolean; runBy: string }): string[] {
  const eligible = plan.members.filter((m) => m.state === 'pending');
  const refused = plan.members.filter((m) => m.state === 'refused');
  const s = plan.settings;
  const start = s.startDateTime ? `starting ${localTime(s.startDateTime, zone)} (${s.startDateTime})` : 'starting as soon as each is made';
  const lines = [
    `Group "${terminalSafe(plan.group.displayName)}" (${plan.group.id}): ${plan.members.length} member(s), ${plan.group.nested ? 'nested groups included' : 'direct members only'}.`,
    ...(plan.nestedGroupsSkipped.length > 0 ? [`  Not counted: the members of ${plan.nestedGroupsSkipped.length} nested group(s) (${terminalSafe(plan.nestedGroupsSkipped.map((g) => g.displayName).join(', '))}); BULK_INCLUDE_NESTED=true counts them.`] : []),
    `Requested by ${named(plan.requester)} on the command line (${options.runBy}).`,
    `Passes: ${plan.scenario}, ${s.lifetimeInMinutes} minutes, ${s.isUsableOnce ? 'one-time' : 'multi-use'}, ${start}.`,
    `Reason: ${terminalSafe(plan.reason)}${plan.ticket ? ` (ticket ${plan.ticket})` : ''}.`,
    '',
  ];
  if (options.dryRun) {
    lines.push(`Would get a pass (${eligible.length}):`);
    for (const m of eligible) lines.push(`  ${named(m)}${m.replacesExisting ? ': has a pass already, the new one replaces it' : ''}`);
    lines.push(refused.length > 0 ? `Would not get a pass (${refused.length}):` : 'Would not get a pass: nobody.');
  } else {
    lines.push(`${eligible.length} member(s) will get a pass${eligible.some((m) => m.replacesExisting) ? ` (${eligible.filter((m) => m.replacesExisting).length} replacing a pass they have)` : ''}.`);
    if (refused.length > 0) lines.push(`Will not get a pass (${refused.length}):`);
  }
  for (const m of refused) lines.push(memberLine(m));
  if (options.dryRun) lines.push('', `Dry run: ${eligible.length} would get a pass, ${refused.length} would not. Nothing was created or written.`);
  return lines;
}

export function outcomeLines(bulk: BulkRequest, file: { path: string; rows: number; expiresBy: string; removed: boolean }, zone: string): string[] {
  const c = countMembers(bulk);
  const refused = bulk.members.filter((m) => m.state === 'refused');
  const failed = bulk.members.filter((m) => m.state === 'failed' || m.state === 'pending' || m.state === 'sending' || m.state === 'created');
  const lines = [
    '',
    `${bulk.id} ${bulk.state === 'Completed' ? 'finished' : `ended ${bulk.state.toLowerCase()}`}: ${c.issued} issued, ${c.refused} refused, ${failed.length} failed (of ${c.total} members).`,
  ];
  if (bulk.failure) lines.push(`Stopped: ${terminalSafe(bulk.failure.message)}`);
  if (refused.length > 0) lines.push('Refused:', ...refused.map(memberLine));
  if (failed.length > 0) lines.push('Failed:', ...failed.map((m) => memberLine(m.reason ? m : { ...m, reason: 'not finished; ask again for this person' })));
  if (file.removed) {
    lines.push('', 'No pass was made, so no codes file was kept.');
  } else {
    lines.push(
      '',
      `Codes: ${file.path} (${file.rows} row(s), readable by you only).`,
      `WARNING: this file holds working Temporary Access Passes. Hand each one to its person through a channel you trust, then delete the file.${file.expiresBy ? ` The codes expire by ${localTime(file.expiresBy, zone)} (${file.expiresBy}).` : ''}`,
    );
  }
  return lines;
}
