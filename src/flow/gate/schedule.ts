/**
 * When a pass that starts days ahead is made: shortly before it starts, never at approval.
 * The code is never stored, so it is made when it is needed, and every rule is checked
 * again then. One rule for every road (single requests and bulk requests).
 */

/** A pass that starts more than this after approval is created shortly before it starts. */
const SCHEDULE_WHEN_START_IS_MORE_THAN_MS = 60 * 60_000;
/** …this long before its start, so the recipient has the code when the morning begins. */
const ISSUE_BEFORE_START_MS = 15 * 60_000;

/** The instant to make the pass, or undefined to make it now. */
export function scheduledIssueAt(startDateTime: string | undefined, now: Date): string | undefined {
  const start = startDateTime ? Date.parse(startDateTime) : NaN;
  if (!Number.isFinite(start) || start - now.getTime() <= SCHEDULE_WHEN_START_IS_MORE_THAN_MS) return undefined;
  return new Date(start - ISSUE_BEFORE_START_MS).toISOString();
}

/** Not made yet, and not due: the run waits for its morning. */
export function notDueYet(issueAt: string | undefined, now: Date): boolean {
  return issueAt !== undefined && Date.parse(issueAt) > now.getTime();
}
