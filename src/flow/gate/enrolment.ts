/**
 * Who a bulk pass is for: people with no way to sign in yet besides a password (new joiners,
 * and existing users never enrolled, as in a passwordless roll-out). Someone who already has
 * Microsoft Authenticator, a passkey or a phone method needs no pass to add another; if they
 * lost it, that is a recovery, and a recovery is proven by their manager, one request at a
 * time. `BULK_ELIGIBILITY=any` widens this for tenants that need it (the risk rules still
 * apply per member).
 */
import type { TapMethodInfo, TargetSignals } from '../../graph/types';
import { catalogue } from '../../i18n';
import { said, wordsIn, type StoredReason } from '../../i18n/said';

export const BULK_ELIGIBILITIES = ['unenrolled', 'any'] as const;
export type BulkEligibility = (typeof BULK_ELIGIBILITIES)[number];

export interface GateRefusal {
  code: string;
  /** In English. */
  reason: string;
  /** Its meaning: every "not in bulk" reason says what to do instead (a single request). */
  said: StoredReason;
}

function refusal(code: string, meaning: StoredReason): GateRefusal {
  return { code, reason: wordsIn(catalogue('en'), meaning), said: meaning };
}

/** Why this member cannot get a bulk pass under `mode`; undefined when they can. */
export function enrolmentRefusal(signals: TargetSignals | undefined, existingTaps: readonly TapMethodInfo[], mode: BulkEligibility): GateRefusal | undefined {
  if (mode === 'any') return undefined;
  if (existingTaps.length > 0) {
    return refusal('holdsPass', said('memberHoldsPass'));
  }
  const methods = signals?.methods;
  if (!methods?.available) {
    const why = methods && !methods.available ? methods.missing : 'not read';
    return refusal('methodsUnknown', said('memberMethodsUnknown', { why }));
  }
  const others = methods.value.registered.filter((m) => m.type !== 'password' && m.type !== 'temporaryAccessPass');
  if (others.length === 0) return undefined;
  return refusal('hasSignInMethod', said('memberHasMethod', { methods: [...new Set(others.map((m) => m.type))] }));
}
