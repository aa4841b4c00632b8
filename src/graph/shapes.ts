/**
 * Graph JSON → the typed shapes of types.ts. Only selected fields are copied, so nothing
 * unexpected (least of all a `temporaryAccessPass` on a listed method) rides along.
 */
import { canonicalId } from '../identity';
import type { DirectoryUser, IssuedTap, MethodUsabilityReason, PolicyTarget, TapMethodInfo, TapPolicy } from './types';

/** The user properties the bot reads (also the `$select` sent to Graph). */
export const USER_PROPERTIES = [
  'id',
  'userPrincipalName',
  'displayName',
  'mail',
  'jobTitle',
  'department',
  'userType',
  'accountEnabled',
  'preferredLanguage',
  'otherMails',
] as const;

type Json = Record<string, unknown>;

function str(o: Json, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

function optStr(o: Json, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' ? v : null;
}

function num(o: Json, key: string, fallback: number): number {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function bool(o: Json, key: string, fallback: boolean): boolean {
  const v = o[key];
  return typeof v === 'boolean' ? v : fallback;
}

export function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** A directory user; anything not explicitly `Member` counts as `Guest` (fail closed). */
export function toDirectoryUser(value: unknown): DirectoryUser {
  const o = asObject(value);
  const accountEnabled = o['accountEnabled'];
  const id = str(o, 'id');
  return {
    // One spelling per person: Graph ids are GUIDs; anything else is kept as sent (and never matches a GUID).
    id: canonicalId(id) ?? id,
    userPrincipalName: str(o, 'userPrincipalName'),
    displayName: str(o, 'displayName'),
    mail: optStr(o, 'mail'),
    jobTitle: optStr(o, 'jobTitle'),
    department: optStr(o, 'department'),
    userType: o['userType'] === 'Member' ? 'Member' : 'Guest',
    accountEnabled: typeof accountEnabled === 'boolean' ? accountEnabled : null,
    preferredLanguage: optStr(o, 'preferredLanguage'),
    ...(Array.isArray(o['otherMails']) ? { otherMails: (o['otherMails'] as unknown[]).filter((m): m is string => typeof m === 'string') } : {}),
  };
}

/** A manager may be an organizational contact in Graph; only users can approve. */
export function isUserObject(value: unknown): boolean {
  const type = asObject(value)['@odata.type'];
  return type === undefined || type === '#microsoft.graph.user';
}

const REASONS: readonly MethodUsabilityReason[] = ['EnabledByPolicy', 'DisabledByPolicy', 'Expired', 'NotYetValid', 'OneTimeUsed'];

export function toTapMethodInfo(value: unknown): TapMethodInfo {
  const o = asObject(value);
  const reason = o['methodUsabilityReason'];
  return {
    id: str(o, 'id'),
    createdDateTime: str(o, 'createdDateTime'),
    startDateTime: str(o, 'startDateTime'),
    lifetimeInMinutes: num(o, 'lifetimeInMinutes', 0),
    isUsableOnce: bool(o, 'isUsableOnce', false),
    isUsable: bool(o, 'isUsable', false),
    methodUsabilityReason: REASONS.includes(reason as MethodUsabilityReason) ? (reason as MethodUsabilityReason) : 'DisabledByPolicy',
  };
}

/** The create answer. Throws (without the value) when the pass itself is missing. */
export function toIssuedTap(value: unknown): IssuedTap {
  const o = asObject(value);
  const pass = o['temporaryAccessPass'];
  if (typeof pass !== 'string' || pass.length === 0) {
    throw new TypeError('Graph created a Temporary Access Pass method but returned no pass value.');
  }
  return { ...toTapMethodInfo(o), temporaryAccessPass: pass };
}

/** Policy with Graph's documented defaults for absent values (min 60, max 480, length 8). */
export function toTapPolicy(value: unknown): TapPolicy {
  const o = asObject(value);
  return {
    state: o['state'] === 'enabled' ? 'enabled' : 'disabled',
    defaultLifetimeInMinutes: num(o, 'defaultLifetimeInMinutes', 60),
    minimumLifetimeInMinutes: num(o, 'minimumLifetimeInMinutes', 60),
    maximumLifetimeInMinutes: num(o, 'maximumLifetimeInMinutes', 480),
    defaultLength: num(o, 'defaultLength', 8),
    isUsableOnce: bool(o, 'isUsableOnce', false),
    includeTargets: targetsOf(o['includeTargets'], true),
    excludeTargets: targetsOf(o['excludeTargets'], false),
  };
}

/**
 * Policy targets, ids canonicalised. A missing includeTargets means everyone (Graph's
 * default); an entry Graph might add later with an unknown type is kept as a group, so
 * a user it names is never silently treated as in scope by an include.
 */
function targetsOf(value: unknown, isInclude: boolean): PolicyTarget[] {
  if (!Array.isArray(value)) return isInclude ? [{ targetType: 'group', id: ALL_USERS }] : [];
  const out: PolicyTarget[] = [];
  for (const raw of value) {
    const t = asObject(raw);
    const id = typeof t['id'] === 'string' ? t['id'] : '';
    if (id.toLowerCase() === ALL_USERS) out.push({ targetType: 'group', id: ALL_USERS });
    else out.push({ targetType: t['targetType'] === 'user' ? 'user' : 'group', id: canonicalId(id) ?? id });
  }
  return out;
}

/** The target id Graph uses for "all users" in authentication method policies. */
export const ALL_USERS = 'all_users';

/** `{ value: [...] }` → the array (empty when absent). */
export function valuesOf(body: unknown): unknown[] {
  const v = asObject(body)['value'];
  return Array.isArray(v) ? v : [];
}
