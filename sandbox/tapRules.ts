/**
 * Graph's Temporary Access Pass rules: policy bounds, forced one-time use, guests refused,
 * usability (NotYetValid / Expired / DisabledByPolicy / OneTimeUsed).
 * The pass value is generated here and returned once; it is never stored.
 */
import { randomInt } from 'node:crypto';
import { badRequest } from './graphErrors';

/** Graph's absolute bounds, whatever the tenant policy says. */
const TAP_ABSOLUTE_MIN_LIFETIME_IN_MINUTES = 10;
const TAP_ABSOLUTE_MAX_LIFETIME_IN_MINUTES = 43200;

export interface TapPolicyConfig {
  state: 'enabled' | 'disabled';
  defaultLifetimeInMinutes: number;
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  defaultLength: number;
  isUsableOnce: boolean;
  includeTargets: Array<{ targetType: string; id: string }>;
  excludeTargets: Array<{ targetType: string; id: string }>;
}

/** What the sandbox keeps about a TAP: everything but the pass itself. */
export interface StoredTap {
  id: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  /** Set when a one-time pass has been used (test set-up only; nobody signs in here). */
  usedDateTime?: string;
}

export interface TapCreateRequest {
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

const POLICY_REFUSAL =
  'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].';

/** Validates a create body against Graph's and the tenant's rules; returns the effective settings. */
export function resolveTapCreate(
  body: unknown,
  policy: TapPolicyConfig,
  target: { userType: unknown; inPolicyScope: boolean },
  now: number,
): TapCreateRequest {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw badRequest('The request body must be a JSON object.', 'badRequest');
  }
  const input = (body ?? {}) as Record<string, unknown>;
  if (target.userType === 'Guest') {
    throw badRequest('Temporary Access Pass cannot be created for external (guest) users.', 'badRequest');
  }
  if (policy.state !== 'enabled' || !target.inPolicyScope) throw badRequest(POLICY_REFUSAL, 'badRequest');

  const lifetime = input['lifetimeInMinutes'] ?? policy.defaultLifetimeInMinutes;
  if (typeof lifetime !== 'number' || !Number.isInteger(lifetime)) {
    throw badRequest('Invalid LifetimeInMinutes specified. It must be a whole number of minutes.', 'badRequest');
  }
  const low = Math.max(TAP_ABSOLUTE_MIN_LIFETIME_IN_MINUTES, policy.minimumLifetimeInMinutes);
  const high = Math.min(TAP_ABSOLUTE_MAX_LIFETIME_IN_MINUTES, policy.maximumLifetimeInMinutes);
  if (lifetime < low || lifetime > high) {
    throw badRequest(`Invalid LifetimeInMinutes specified. The valid range between ${low} and ${high}.`, 'badRequest');
  }

  let start = now;
  const startInput = input['startDateTime'];
  if (startInput !== undefined && startInput !== null) {
    const parsed = typeof startInput === 'string' ? Date.parse(startInput) : Number.NaN;
    if (Number.isNaN(parsed)) throw badRequest(`Invalid StartDateTime specified: '${String(startInput)}'.`, 'badRequest');
    start = parsed;
  }

  const once = input['isUsableOnce'];
  if (once !== undefined && once !== null && typeof once !== 'boolean') {
    throw badRequest('Invalid IsUsableOnce specified. It must be true or false.', 'badRequest');
  }
  // A tenant policy of one-time use wins over whatever the caller asked.
  const isUsableOnce = policy.isUsableOnce ? true : (once ?? false);

  return { startDateTime: new Date(start).toISOString(), lifetimeInMinutes: lifetime, isUsableOnce };
}

interface TapUsability {
  isUsable: boolean;
  methodUsabilityReason: 'EnabledByPolicy' | 'DisabledByPolicy' | 'Expired' | 'NotYetValid' | 'OneTimeUsed';
}

function tapUsability(tap: StoredTap, policy: TapPolicyConfig, now: number): TapUsability {
  const start = Date.parse(tap.startDateTime);
  if (policy.state !== 'enabled') return { isUsable: false, methodUsabilityReason: 'DisabledByPolicy' };
  if (now < start) return { isUsable: false, methodUsabilityReason: 'NotYetValid' };
  if (now >= start + tap.lifetimeInMinutes * 60_000) return { isUsable: false, methodUsabilityReason: 'Expired' };
  if (tap.isUsableOnce && tap.usedDateTime) return { isUsable: false, methodUsabilityReason: 'OneTimeUsed' };
  return { isUsable: true, methodUsabilityReason: 'EnabledByPolicy' };
}

/** The Graph view of a stored TAP: `temporaryAccessPass` is always null after creation. */
export function tapView(tap: StoredTap, policy: TapPolicyConfig, now: number): Record<string, unknown> {
  return {
    id: tap.id,
    temporaryAccessPass: null,
    createdDateTime: tap.createdDateTime,
    startDateTime: tap.startDateTime,
    lifetimeInMinutes: tap.lifetimeInMinutes,
    isUsableOnce: tap.isUsableOnce,
    ...tapUsability(tap, policy, now),
  };
}

// Letters, digits and a few symbols, without look-alikes (0/O, 1/l/I), like real passes.
const TAP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%&*+=?';

/** A fresh pass from the CSPRNG (never the seeded PRNG: it must not be predictable). */
export function generatePassValue(length: number): string {
  let value = '';
  for (let i = 0; i < length; i++) value += TAP_ALPHABET[randomInt(TAP_ALPHABET.length)];
  return value;
}
