/** The doctor's report as text: one line per check, then a one-line verdict. */
import type { DoctorReport } from './run';
import type { CheckStatus } from './types';

const MARK: Record<CheckStatus, string> = { ok: '✓', missing: '✗', optional: '!', skipped: '-' };

export function formatReport(report: DoctorReport): string[] {
  const lines = report.results.map((r) => `${MARK[r.status]} ${r.title}: ${r.fix ? `${r.detail.replace(/\.$/, '')}. Fix: ${r.fix}` : r.detail}`);
  const count = (status: CheckStatus): number => report.results.filter((r) => r.status === status).length;
  const missing = count('missing');
  const optional = count('optional');
  const verdict =
    missing > 0
      ? `${missing} required ${missing === 1 ? 'thing is' : 'things are'} missing or wrong (✗): the bot will not work until ${missing === 1 ? 'it is' : 'they are'} fixed.`
      : optional > 0
        ? `Everything required is in place; ${optional} optional ${optional === 1 ? 'feature is' : 'features are'} off or degraded (!).`
        : 'Everything is in place.';
  const sandbox = report.mode === 'sandbox' ? ['', 'These results are for the LOCAL SANDBOX TENANT (no credentials configured), not Microsoft Entra.'] : [];
  return [...lines, ...sandbox, '', verdict];
}
