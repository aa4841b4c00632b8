/**
 * Who a bulk pass is for: people with no way to sign in yet besides a password (new joiners,
 * and existing users never enrolled, as in a passwordless roll-out). Someone who already has
 * Microsoft Authenticator, a passkey or a phone method needs no pass to add another; if they
 * lost it, that is a recovery, and a recovery is proven by their manager, one request at a
 * time. `BULK_ELIGIBILITY=any` widens this for tenants that need it (the risk rules still
 * apply per member).
 */
import type { TapMethodInfo, TargetSignals } from '../../graph/types';

export const BULK_ELIGIBILITIES = ['unenrolled', 'any'] as const;
export type BulkEligibility = (typeof BULK_ELIGIBILITIES)[number];

export interface GateRefusal {
  code: string;
  reason: string;
}

/** Method types as a person knows them. */
const METHOD_WORDS: Record<string, string> = {
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'a passkey',
  windowsHelloForBusiness: 'Windows Hello for Business',
  phone: 'a phone number for sign-in',
  softwareOath: 'an authenticator app code',
  email: 'an email method',
  platformCredential: 'a platform credential',
  qrCodePin: 'a QR code sign-in',
};

/** The sentence tail every "not in bulk" reason ends with: what to do instead. */
export const ASK_ONE_BY_ONE = 'needs a single request, so their manager confirms who they are';

/** Why this member cannot get a bulk pass under `mode`; undefined when they can. */
export function enrolmentRefusal(signals: TargetSignals | undefined, existingTaps: readonly TapMethodInfo[], mode: BulkEligibility): GateRefusal | undefined {
  if (mode === 'any') return undefined;
  if (existingTaps.length > 0) {
    return { code: 'holdsPass', reason: `Already holds a Temporary Access Pass, which a new one would silently replace: ${ASK_ONE_BY_ONE}.` };
  }
  const methods = signals?.methods;
  if (!methods?.available) {
    const why = methods && !methods.available ? methods.missing : 'not read';
    return { code: 'methodsUnknown', reason: `Their sign-in methods could not be read (${why}), so the bot cannot tell they have none yet: ${ASK_ONE_BY_ONE}.` };
  }
  const others = methods.value.registered.filter((m) => m.type !== 'password' && m.type !== 'temporaryAccessPass');
  if (others.length === 0) return undefined;
  const names = [...new Set(others.map((m) => METHOD_WORDS[m.type] ?? m.type))].join(', ');
  return { code: 'hasSignInMethod', reason: `Already has ${names} registered; if they lost it, that is a recovery, which ${ASK_ONE_BY_ONE}.` };
}
