/**
 * Privileged Identity Management: the administrator roles a person can activate, or holds
 * only for a time, which `checkMemberObjects` (active roles only) does not see. Whoever
 * recovers an account eligible for Helpdesk Administrator can activate it, so the
 * privileged-account rule counts these roles as held.
 *
 * Three `$batch` items per person, by object id (Graph filters on `principalId`, never a
 * name), ride in the round trip of the other checks:
 * - eligible directory roles (`roleEligibilityScheduleInstances`);
 * - active ones, the time-bound included (`roleAssignmentScheduleInstances`);
 * - groups the person may join through PIM for Groups (`…/privilegedAccess/group/eligibilityScheduleInstances`).
 * A group found by the third is followed by one more small round trip, only then: the roles
 * that group holds or can activate. A read Graph refuses is "not available" with the
 * permission it needs; the risk rules (flow/gate/risk.ts) then ask for more than one approval.
 */
import { said, type StoredReason } from '../i18n/said';
import { GraphError } from '../errors';
import { createLogger } from '../log';
import type { BatchItemRequest, BatchItemResponse } from './batch';
import { sendBatch, type GraphContext } from './client';
import { failureOfItem } from './errors';
import { isGuid, odataString } from './odata';
import { asObject, valuesOf } from './shapes';
import type { Signal } from './types';

const log = createLogger('graph');

/** The least-privileged application permission of each PIM read. */
export const PIM_PERMISSIONS = {
  eligibleRoles: 'RoleEligibilitySchedule.Read.Directory',
  activeRoles: 'RoleAssignmentSchedule.Read.Directory',
  eligibleGroups: 'PrivilegedEligibilitySchedule.Read.AzureADGroup',
} as const;

type PimRead = keyof typeof PIM_PERMISSIONS;

const PATHS: Record<PimRead, string> = {
  eligibleRoles: '/roleManagement/directory/roleEligibilityScheduleInstances',
  activeRoles: '/roleManagement/directory/roleAssignmentScheduleInstances',
  eligibleGroups: '/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances',
};

const READS = Object.keys(PATHS) as PimRead[];

/** What PIM says of a person's privileged roles: those they can activate or hold for a time, or what could not be read. */
export type RoleActivation = Signal<{ roleTemplateIds: string[] }>;

const itemId = (prefix: string, read: PimRead): string => `${prefix}pim.${read}`;

function byPrincipal(read: PimRead, principalId: string): string {
  return `${PATHS[read]}?$filter=${encodeURIComponent(`principalId eq ${odataString(principalId.toLowerCase())}`)}`;
}

/** The PIM items for one person, by object id; `prefix` keeps several people apart in one batch (`3.`). */
export function pimRequests(userId: string, prefix = ''): BatchItemRequest[] {
  if (!isGuid(userId)) throw new RangeError(`PIM is searched by object id, not by a name: ${userId}`);
  return READS.map((read) => ({ id: itemId(prefix, read), method: 'GET', url: byPrincipal(read, userId) }));
}

const ok = (a: BatchItemResponse | undefined): a is BatchItemResponse => a !== undefined && a.status >= 200 && a.status < 300;

/**
 * Graph's refusal in a tenant without the licence PIM needs (Entra ID P2 or ID Governance).
 * Without it nobody can be made eligible, so the refusal is an answer: no PIM roles here.
 */
const NO_PIM_LICENCE = 'AadPremiumLicenseRequired';
const noPimInTenant = (a: BatchItemResponse | undefined): boolean => a !== undefined && !ok(a) && failureOfItem(a).graphCode === NO_PIM_LICENCE;

/** Why a read is not available, in the words the approval card shows after "not available: ". */
function whyNot(read: PimRead, a: BatchItemResponse | undefined): StoredReason {
  if (a && (a.status === 401 || a.status === 403)) return said('needsPermission', { permission: PIM_PERMISSIONS[read] });
  if (a && a.status === 429) return said('graphBusy');
  return said('graphAnswered', { status: String(a?.status ?? '–') });
}

/** Several reads refused: the permissions they need, named together; else the first other reason. */
function whyNotAll(missing: readonly StoredReason[]): StoredReason {
  const permissions = [...new Set(missing.flatMap((m) => (m.code === 'needsPermission' ? [m.params.permission] : [])))];
  if (permissions.length > 0) return said('needsPermission', { permission: permissions.join(', ') });
  return missing[0]!;
}

/** Of `privileged` (role template ids), those named by the role instances of an answer. */
function rolesIn(answer: BatchItemResponse, privileged: readonly string[]): string[] {
  const named = new Set(valuesOf(answer.body).map((v) => String(asObject(v)['roleDefinitionId'] ?? '').toLowerCase()));
  return privileged.filter((id) => named.has(id.toLowerCase()));
}

interface FirstReading {
  roleTemplateIds: string[];
  /** Groups the person may join (member or owner) through PIM for Groups. */
  groupIds: string[];
  missing: StoredReason[];
}

function readFirst(answers: Map<string, BatchItemResponse>, privileged: readonly string[], prefix: string): FirstReading {
  const reading: FirstReading = { roleTemplateIds: [], groupIds: [], missing: [] };
  for (const read of ['eligibleRoles', 'activeRoles'] as const) {
    const answer = answers.get(itemId(prefix, read));
    if (ok(answer)) reading.roleTemplateIds.push(...rolesIn(answer, privileged));
    else if (!noPimInTenant(answer)) reading.missing.push(whyNot(read, answer));
  }
  const groups = answers.get(itemId(prefix, 'eligibleGroups'));
  if (ok(groups)) {
    reading.groupIds = [...new Set(valuesOf(groups.body).map((v) => String(asObject(v)['groupId'] ?? '').toLowerCase()).filter(isGuid))];
  } else if (!noPimInTenant(groups)) reading.missing.push(whyNot('eligibleGroups', groups));
  return reading;
}

/**
 * The person's role activation from the answers of `pimRequests` (same `prefix`), and for
 * the groups they may join, the roles those groups hold or can activate (one more round
 * trip, only when there are such groups).
 */
export async function roleActivation(graph: GraphContext, answers: Map<string, BatchItemResponse>, privileged: readonly string[], prefix = ''): Promise<RoleActivation> {
  const first = readFirst(answers, privileged, prefix);
  const roles = new Set(first.roleTemplateIds);
  const missing = [...first.missing];
  if (first.groupIds.length > 0) {
    const items = first.groupIds.flatMap((g, i) => (['eligibleRoles', 'activeRoles'] as const).map((read) => ({ id: `g${i}.${read}`, method: 'GET' as const, url: byPrincipal(read, g) })));
    let groupAnswers = new Map<string, BatchItemResponse>();
    try {
      groupAnswers = await sendBatch(graph, items);
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
      log.warn('the roles of PIM groups could not be read', { errorCode: e.code, status: e.status });
    }
    first.groupIds.forEach((_, i) => {
      for (const read of ['eligibleRoles', 'activeRoles'] as const) {
        const answer = groupAnswers.get(`g${i}.${read}`);
        if (ok(answer)) rolesIn(answer, privileged).forEach((r) => roles.add(r));
        else if (!noPimInTenant(answer)) missing.push(whyNot(read, answer));
      }
    });
  }
  // Roles found are an answer even when another read failed: the rule refuses on what it knows.
  if (missing.length > 0 && roles.size === 0) return { available: false, missing: whyNotAll(missing) };
  return { available: true, value: { roleTemplateIds: privileged.filter((id) => roles.has(id)) } };
}

/** The privileged roles to refuse on: the active ones `checkMemberObjects` found, and those PIM lets the person activate. */
export function withActivatable(active: readonly string[], activation: RoleActivation, privileged: readonly string[]): string[] {
  const held = new Set([...active, ...(activation.available ? activation.value.roleTemplateIds : [])].map((id) => id.toLowerCase()));
  return privileged.filter((id) => held.has(id.toLowerCase()));
}
