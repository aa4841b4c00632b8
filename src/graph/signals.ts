/**
 * Identity-assurance signals as `$batch` items that ride in the same round trip as the
 * target checks (gateway.inspectTarget), and their answers as TargetSignals. A signal Graph
 * refuses (a permission not granted, a licence the tenant lacks) is "not available" with
 * what it needs: the card says so instead of leaving it out.
 */
import { said, type StoredReason } from '../i18n/said';
import type { BatchItemRequest, BatchItemResponse } from './batch';
import { odataString, userPath } from './odata';
import { asObject, valuesOf } from './shapes';
import type { RegisteredMethod, Signal, TargetSignals } from './types';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** User properties that are signals (User.Read.All, like the rest of the user). */
export const SIGNAL_USER_PROPERTIES = ['businessPhones', 'mobilePhone', 'createdDateTime'] as const;

/** How far back the directory audit log is searched for a manager change. */
export const MANAGER_CHANGE_LOOKBACK_DAYS = 30;

const NEEDS = {
  methods: said('needsPermission', { permission: 'UserAuthenticationMethod.Read.All' }),
  signIn: said('needsPermissionAndLicence', { permission: 'AuditLog.Read.All', licence: 'Entra ID P1' }),
  audit: said('needsPermission', { permission: 'AuditLog.Read.All' }),
  risk: said('needsPermissionAndLicence', { permission: 'IdentityRiskyUser.Read.All', licence: 'Entra ID P2' }),
} as const;

/**
 * The signal items for a user addressed by `key` (object id or UPN), to ride with the checks.
 * Reads of the account as it is now (its methods, its sign-in activity) may go by the name
 * Graph resolves today. Searches of records (the directory audit log, Identity Protection)
 * go by object id only: a record keeps the name of its day, so after a rename a search by
 * the new name finds nothing and a manager change would hide. With a UPN key those are left
 * out; ask `signalRequestsById` once the id is known.
 */
export function signalRequests(key: string, now: Date): BatchItemRequest[] {
  const isId = GUID.test(key);
  const user = userPath(key);
  const byUpn = `userPrincipalName eq ${odataString(key)}`;
  return [
    { id: 'sig.methods', method: 'GET', url: `${user}/authentication/methods` },
    // signInActivity is selected by itself: without AuditLog.Read.All or P1 it fails alone.
    { id: 'sig.signIn', method: 'GET', url: isId ? `${user}?$select=id,signInActivity` : `/users?$filter=${encodeURIComponent(byUpn)}&$select=id,signInActivity` },
    ...(isId ? signalRequestsById(key, now) : []),
  ];
}

/** The signals found in records about the user (audit log, Identity Protection), searched by object id. */
export function signalRequestsById(userId: string, now: Date): BatchItemRequest[] {
  if (!GUID.test(userId)) throw new RangeError(`Records are searched by object id, not by a name: ${userId}`);
  const id = userId.toLowerCase();
  const since = new Date(now.getTime() - MANAGER_CHANGE_LOOKBACK_DAYS * 24 * 60 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const audit = `(activityDisplayName eq 'Set user manager' or activityDisplayName eq 'Update user') and targetResources/any(t:t/id eq ${odataString(id)}) and activityDateTime ge ${since}`;
  return [
    { id: 'sig.audit', method: 'GET', url: `/auditLogs/directoryAudits?$filter=${encodeURIComponent(audit)}&$top=50` },
    { id: 'sig.risk', method: 'GET', url: `/identityProtection/riskyUsers/${id}` },
  ];
}

const ok = (a: BatchItemResponse | undefined): a is BatchItemResponse => a !== undefined && a.status >= 200 && a.status < 300;

function unavailable<T>(a: BatchItemResponse | undefined, needs: StoredReason): Signal<T> {
  if (a && (a.status === 401 || a.status === 403)) return { available: false, missing: needs };
  if (a && a.status === 429) return { available: false, missing: said('graphBusy') };
  return { available: false, missing: said('graphAnswered', { status: String(a?.status ?? '–') }) };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The signals, from the target's user body (phones, created) and the signal items' answers. */
export function parseSignals(userBody: unknown, answers: Map<string, BatchItemResponse>, targetId: string): TargetSignals {
  const u = asObject(userBody);
  const business = Array.isArray(u['businessPhones']) ? (u['businessPhones'] as unknown[]).filter((p): p is string => typeof p === 'string' && p !== '') : [];

  const methodsAnswer = answers.get('sig.methods');
  let methods: TargetSignals['methods'];
  if (ok(methodsAnswer)) {
    const registered: RegisteredMethod[] = registeredMethods(methodsAnswer.body)
      // The pass itself and the password are not how they prove who they are.
      .filter((m) => m.type !== 'temporaryAccessPass');
    const dates = registered.filter((m) => m.type !== 'password').map((m) => m.createdDateTime).filter((d): d is string => d !== null && d !== undefined).sort();
    methods = { available: true, value: { registered, ...(dates.length > 0 ? { newestAddedAt: dates[dates.length - 1]! } : {}) } };
  } else methods = unavailable(methodsAnswer, NEEDS.methods);

  const signInAnswer = answers.get('sig.signIn');
  const signInBody = ok(signInAnswer) ? (valuesOf(signInAnswer.body)[0] ?? signInAnswer.body) : undefined;
  const signIn = signInBody !== undefined ? asObject(asObject(signInBody)['signInActivity']) : undefined;
  const account: TargetSignals['account'] = {
    available: true,
    value: {
      createdDateTime: str(u['createdDateTime']),
      // Undefined when the sign-in read was refused: "not available" shows on the card.
      ...(signIn !== undefined ? { lastSuccessfulSignIn: str(signIn['lastSuccessfulSignInDateTime']) ?? str(signIn['lastSignInDateTime']) } : {}),
    },
  };

  const auditAnswer = answers.get('sig.audit');
  let managerChange: TargetSignals['managerChange'];
  if (ok(auditAnswer)) {
    const changes = valuesOf(auditAnswer.body)
      .map((e) => asObject(e))
      .filter((e) => targetsOf(e).some((t) => String(t['id'] ?? '').toLowerCase() === targetId.toLowerCase() && modified(t).some((p) => /^manager/i.test(String(p['displayName'] ?? '')))))
      .map((e) => ({ changedAt: str(e['activityDateTime']) ?? '', by: initiator(e) }))
      .filter((c) => c.changedAt !== '')
      .sort((a, b) => b.changedAt.localeCompare(a.changedAt));
    managerChange = { available: true, value: changes[0] ?? null };
  } else managerChange = unavailable(auditAnswer, NEEDS.audit);

  const riskAnswer = answers.get('sig.risk');
  let risk: TargetSignals['risk'];
  if (riskAnswer && riskAnswer.status === 404) risk = { available: true, value: null };
  else if (ok(riskAnswer)) {
    const record = 'value' in asObject(riskAnswer.body) ? valuesOf(riskAnswer.body)[0] : riskAnswer.body;
    const r = record === undefined ? undefined : asObject(record);
    risk = { available: true, value: r && str(r['riskLevel']) && r['riskLevel'] !== 'none' ? { level: String(r['riskLevel']), updatedAt: str(r['riskLastUpdatedDateTime']) } : null };
  } else risk = unavailable(riskAnswer, NEEDS.risk);

  const signals: TargetSignals = {
    phones: { available: true, value: { business, mobile: str(u['mobilePhone']) } },
    methods,
    account,
    managerChange,
    risk,
  };
  if (!ok(signInAnswer)) signals.signInMissing = NEEDS.signIn;
  return signals;
}

const targetsOf = (e: Record<string, unknown>): Array<Record<string, unknown>> =>
  Array.isArray(e['targetResources']) ? (e['targetResources'] as unknown[]).map((t) => asObject(t)) : [];
const modified = (t: Record<string, unknown>): Array<Record<string, unknown>> =>
  Array.isArray(t['modifiedProperties']) ? (t['modifiedProperties'] as unknown[]).map((p) => asObject(p)) : [];

function initiator(e: Record<string, unknown>): string | null {
  const by = asObject(e['initiatedBy']);
  const user = by['user'] ? asObject(by['user']) : undefined;
  const app = by['app'] ? asObject(by['app']) : undefined;
  return str(user?.['userPrincipalName']) ?? str(user?.['displayName']) ?? str(app?.['displayName']) ?? null;
}

/** `#microsoft.graph.fido2AuthenticationMethod` → `fido2`. */
function methodType(odataType: unknown): string {
  const m = /^#microsoft\.graph\.(\w+?)AuthenticationMethod$/.exec(String(odataType ?? ''));
  return m ? m[1]! : 'unknown';
}

/** The answer of `GET /users/{id}/authentication/methods` as RegisteredMethods (the TAP included). */
export function registeredMethods(body: unknown): RegisteredMethod[] {
  return valuesOf(body)
    .map((m) => asObject(m))
    .map((m) => ({ type: methodType(m['@odata.type']), displayName: str(m['displayName']), createdDateTime: str(m['createdDateTime']) }));
}
