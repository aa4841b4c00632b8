/**
 * Privileged Identity Management in the sandbox tenant: eligible and time-bound directory
 * role assignments, and eligible group membership (PIM for Groups), as Graph lists their
 * current instances:
 *
 *   GET /roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId eq '{id}'
 *   GET /roleManagement/directory/roleAssignmentScheduleInstances?$filter=principalId eq '{id}'
 *   GET /identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=principalId eq '{id}'
 *
 * Only `principalId eq '<id>'` is understood (the bot's one filter); another filter is 400, and
 * PIM for Groups without a filter is 400 as in Graph (it needs groupId or principalId).
 * Permanent active roles (the seed's directoryRoles members) are listed among the assignment
 * instances too, with no end, as Graph does. Seed, under `roleManagement` in directory.json:
 * `eligibilities` and `timeBoundAssignments` ({principalId, roleDefinitionId, startDateTime?,
 * endDateTime?}: dates may be `@now±…`), `groupEligibilities` ({principalId, groupId, accessId?}).
 */
import { randomUUID } from 'node:crypto';
import { badRequest } from './graphErrors';
import { GRAPH_METADATA } from './odata';

type Json = Record<string, unknown>;

interface RoleSchedule {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  startDateTime: string;
  endDateTime: string | null;
}

interface GroupSchedule {
  id: string;
  principalId: string;
  groupId: string;
  accessId: 'member' | 'owner';
  startDateTime: string;
  endDateTime: string | null;
}

export type PimList = 'roleEligibility' | 'roleAssignment' | 'groupEligibility';

const PRINCIPAL_FILTER = /^\s*principalId\s+eq\s+'([0-9a-fA-F-]{36})'\s*$/;

export class PimSchedules {
  private readonly eligibilities: RoleSchedule[] = [];
  private readonly timeBound: RoleSchedule[] = [];
  private readonly groupEligibilities: GroupSchedule[] = [];

  constructor(private readonly now: () => number) {}

  clear(): void {
    for (const list of [this.eligibilities, this.timeBound, this.groupEligibilities]) list.length = 0;
  }

  /** The seed's `roleManagement`; `resolveDate` turns `@now-2d` into an instant; `known` says whether a principal exists. */
  load(seed: unknown, resolveDate: (v: unknown) => string | null, known: (id: string) => boolean): void {
    const root = (seed ?? {}) as Json;
    const list = (key: string): Json[] => (Array.isArray(root[key]) ? (root[key] as Json[]) : []);
    const principal = (raw: Json): string => {
      const id = String(raw['principalId'] ?? '').toLowerCase();
      if (!known(id)) throw new Error(`Sandbox directory seed: PIM principal ${id} is not a user or group.`);
      return id;
    };
    const role = (raw: Json): RoleSchedule => ({
      id: randomUUID(),
      principalId: principal(raw),
      roleDefinitionId: String(raw['roleDefinitionId'] ?? '').toLowerCase(),
      startDateTime: resolveDate(raw['startDateTime']) ?? new Date(this.now()).toISOString(),
      endDateTime: resolveDate(raw['endDateTime']),
    });
    this.eligibilities.push(...list('eligibilities').map(role));
    this.timeBound.push(...list('timeBoundAssignments').map(role));
    this.groupEligibilities.push(
      ...list('groupEligibilities').map((raw) => ({
        id: randomUUID(),
        principalId: principal(raw),
        groupId: String(raw['groupId'] ?? '').toLowerCase(),
        accessId: raw['accessId'] === 'owner' ? ('owner' as const) : ('member' as const),
        startDateTime: resolveDate(raw['startDateTime']) ?? new Date(this.now()).toISOString(),
        endDateTime: resolveDate(raw['endDateTime']),
      })),
    );
  }

  /** Test set-up: the principal becomes eligible for the role (template id) from now, until `endDateTime` or for good. */
  makeEligible(principalId: string, roleTemplateId: string, endDateTime: string | null = null): void {
    this.eligibilities.push({ id: randomUUID(), principalId: principalId.toLowerCase(), roleDefinitionId: roleTemplateId.toLowerCase(), startDateTime: new Date(this.now()).toISOString(), endDateTime });
  }

  /** Test set-up: the principal holds the role (template id) actively until `endDateTime` (a time-bound assignment). */
  assignUntil(principalId: string, roleTemplateId: string, endDateTime: string): void {
    this.timeBound.push({ id: randomUUID(), principalId: principalId.toLowerCase(), roleDefinitionId: roleTemplateId.toLowerCase(), startDateTime: new Date(this.now()).toISOString(), endDateTime });
  }

  /** Test set-up: the principal may join the group through PIM for Groups. */
  makeEligibleForGroup(principalId: string, groupId: string): void {
    this.groupEligibilities.push({ id: randomUUID(), principalId: principalId.toLowerCase(), groupId: groupId.toLowerCase(), accessId: 'member', startDateTime: new Date(this.now()).toISOString(), endDateTime: null });
  }

  /**
   * The answer of one list route. `permanentRoles(principalId)` gives the role template ids the
   * principal holds without end (the seed's directoryRoles), listed among the assignment instances.
   */
  list(which: PimList, filter: string | null, permanentRoles: (principalId: string) => string[]): Json {
    if (filter === null && which === 'groupEligibility') {
      throw badRequest("The filter must contain either 'groupId' or 'principalId'.", 'InvalidFilter');
    }
    const principalId = filter === null ? null : PRINCIPAL_FILTER.exec(filter)?.[1]?.toLowerCase();
    if (principalId === undefined) throw badRequest(`The sandbox understands only $filter=principalId eq '<id>' here, not: ${filter}`, 'InvalidFilter');
    const mine = <T extends { principalId: string }>(xs: T[]): T[] => xs.filter((x) => (principalId === null || x.principalId === principalId) && this.current(x as unknown as RoleSchedule));
    if (which === 'groupEligibility') {
      return {
        '@odata.context': `${GRAPH_METADATA}#identityGovernance/privilegedAccess/group/eligibilityScheduleInstances`,
        value: mine(this.groupEligibilities).map((g) => ({ id: g.id, principalId: g.principalId, groupId: g.groupId, accessId: g.accessId, memberType: 'direct', startDateTime: g.startDateTime, endDateTime: g.endDateTime, eligibilityScheduleId: g.id })),
      };
    }
    const roleView = (r: RoleSchedule, extra: Json): Json => ({ id: r.id, principalId: r.principalId, roleDefinitionId: r.roleDefinitionId, directoryScopeId: '/', appScopeId: null, memberType: 'Direct', startDateTime: r.startDateTime, endDateTime: r.endDateTime, ...extra });
    if (which === 'roleEligibility') {
      return {
        '@odata.context': `${GRAPH_METADATA}#roleManagement/directory/roleEligibilityScheduleInstances`,
        value: mine(this.eligibilities).map((r) => roleView(r, { roleEligibilityScheduleId: r.id })),
      };
    }
    const permanent: RoleSchedule[] =
      principalId === null
        ? []
        : permanentRoles(principalId).map((roleDefinitionId) => ({ id: `${roleDefinitionId}-${principalId}`, principalId, roleDefinitionId, startDateTime: '2024-01-01T00:00:00Z', endDateTime: null }));
    return {
      '@odata.context': `${GRAPH_METADATA}#roleManagement/directory/roleAssignmentScheduleInstances`,
      value: [...permanent, ...mine(this.timeBound)].map((r) => roleView(r, { assignmentType: 'Assigned', roleAssignmentScheduleId: r.id, roleAssignmentOriginId: r.id })),
    };
  }

  /** Template ids of the time-bound roles these principals hold now: active members, as checkMemberObjects sees them. */
  activeRolesOf(principalIds: ReadonlySet<string>): string[] {
    return this.timeBound.filter((r) => principalIds.has(r.principalId) && this.current(r)).map((r) => r.roleDefinitionId);
  }

  /** An instance is listed while it runs: started, and not ended. */
  private current(s: { startDateTime: string; endDateTime: string | null }): boolean {
    const now = this.now();
    return Date.parse(s.startDateTime) <= now && (s.endDateTime === null || Date.parse(s.endDateTime) > now);
  }
}
