/**
 * What every doctor check returns: one line of the report. `missing` is a required thing
 * that is absent or wrong (the exit code is non-zero); `optional` an optional one whose
 * feature is off or degraded; `skipped` a check that does not apply to this configuration.
 */
export type CheckStatus = 'ok' | 'missing' | 'optional' | 'skipped';

export interface CheckResult {
  status: CheckStatus;
  /** What was checked, e.g. "Permission User.Read.All". */
  title: string;
  /** What was found, in words; never a secret or a token. */
  detail: string;
  /** For `missing` and `optional`: exactly what to do about it. */
  fix?: string;
}

export const ok = (title: string, detail: string): CheckResult => ({ status: 'ok', title, detail });
export const missing = (title: string, detail: string, fix: string): CheckResult => ({ status: 'missing', title, detail, fix });
export const optional = (title: string, detail: string, fix: string): CheckResult => ({ status: 'optional', title, detail, fix });
export const skipped = (title: string, detail: string): CheckResult => ({ status: 'skipped', title, detail });
