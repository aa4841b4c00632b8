/**
 * Users and groups in the directory: one-call reads (a person, their manager, their group
 * and role memberships, look-up by address, suggestions), group listings, and the two
 * membership writes passkey onboarding makes.
 */
import { GraphError } from '../errors';
import { chunk } from './batch';
import { MAX_PAGES, call, groupPathOrThrow, objectIdOrThrow, pages, userPathOrThrow, type GraphContext } from './client';
import { failureOf, toGraphError } from './errors';
import { toGroup } from './groups';
import type { MembershipCache } from './membershipCache';
import { groupPath, isGuid, odataString, selectQuery } from './odata';
import { USER_PROPERTIES, asObject, isUserObject, toDirectoryUser, valuesOf } from './shapes';
import type { DirectoryGroup, DirectoryUser, GroupMemberChange, GroupMembers } from './types';

/** checkMemberGroups / checkMemberObjects accept at most 20 ids per call. */
export const MAX_IDS_PER_CHECK = 20;

export async function getUser(graph: GraphContext, idOrUpn: string): Promise<DirectoryUser> {
  const path = `${userPathOrThrow(idOrUpn, 'getUser')}?${selectQuery(USER_PROPERTIES)}`;
  const body = await call('getUser', () => graph.client.api(path).get());
  return toDirectoryUser(body);
}

export async function getManager(graph: GraphContext, userId: string): Promise<DirectoryUser | null> {
  const path = `${userPathOrThrow(userId, 'getManager')}/manager?${selectQuery(USER_PROPERTIES)}`;
  try {
    const body = await call('getManager', () => graph.client.api(path).get());
    return isUserObject(body) ? toDirectoryUser(body) : null;
  } catch (e) {
    // Graph answers 404 both for "no manager set" and an unknown user; callers resolve
    // the user first, so here it means "no manager".
    if (e instanceof GraphError && e.code === 'notFound') return null;
    throw e;
  }
}

export async function memberGroups(
  graph: GraphContext,
  membership: MembershipCache,
  objectId: string,
  groupIds: string[],
  options: { fresh?: boolean },
): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const cached = options.fresh ? undefined : membership.get(objectId, groupIds);
  if (cached) return cached;
  const base = userPathOrThrow(objectId, 'memberGroups');
  const found = new Set<string>();
  for (const ids of chunk(groupIds, MAX_IDS_PER_CHECK)) {
    const body = await call('memberGroups', () => graph.client.api(`${base}/checkMemberGroups`).post({ groupIds: ids }));
    for (const v of valuesOf(body)) if (typeof v === 'string') found.add(v.toLowerCase());
  }
  const result = groupIds.filter((g) => found.has(g.toLowerCase()));
  membership.set(objectId, groupIds, result);
  return result;
}

/**
 * `checkMemberObjects` accepts role template ids as well as directory role object ids
 * (Graph v1.0 reference: "…directory roles, or roleTemplate IDs of directory roles"), and
 * is transitive, so roles held through role-assignable groups count too. It sees active
 * role memberships only: a PIM-*eligible* role that is not activated is not reported.
 */
export async function directoryRolesHeld(graph: GraphContext, userId: string, roleTemplateIds: string[]): Promise<string[]> {
  if (roleTemplateIds.length === 0) return [];
  const base = userPathOrThrow(userId, 'directoryRolesHeld');
  const found = new Set<string>();
  for (const ids of chunk(roleTemplateIds, MAX_IDS_PER_CHECK)) {
    const body = await call('directoryRolesHeld', () => graph.client.api(`${base}/checkMemberObjects`).post({ ids }));
    for (const v of valuesOf(body)) if (typeof v === 'string') found.add(v.toLowerCase());
  }
  return roleTemplateIds.filter((id) => found.has(id.toLowerCase()));
}

export async function findUsersByAddress(graph: GraphContext, address: string): Promise<DirectoryUser[]> {
  const a = odataString(address.trim());
  const filter = `userPrincipalName eq ${a} or mail eq ${a} or otherMails/any(x:x eq ${a})`;
  const path = `/users?$filter=${encodeURIComponent(filter)}&$count=true&$top=5&${selectQuery(USER_PROPERTIES)}`;
  const body = await call('getUser', () => graph.client.api(path).header('ConsistencyLevel', 'eventual').get());
  return valuesOf(body).map(toDirectoryUser);
}

export async function suggestUsers(graph: GraphContext, prefix: string, top: number): Promise<DirectoryUser[]> {
  const p = odataString(prefix.trim());
  if (prefix.trim() === '') return [];
  const filter = `startswith(displayName,${p}) or startswith(userPrincipalName,${p}) or startswith(mail,${p})`;
  const path = `/users?$filter=${encodeURIComponent(filter)}&$top=${Math.max(1, Math.min(top, 25))}&${selectQuery(USER_PROPERTIES)}`;
  const body = await call('getUser', () => graph.client.api(path).get());
  return valuesOf(body).map(toDirectoryUser);
}

/** Every user in the group, nested groups included; unlike a bulk listing it has no member limit. */
export async function listGroupUsers(graph: GraphContext, groupId: string): Promise<DirectoryUser[]> {
  let path = `${groupPathOrThrow(groupId, 'listGroupUsers')}/transitiveMembers/microsoft.graph.user?${selectQuery(USER_PROPERTIES)}&$top=999`;
  const users: DirectoryUser[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const current = path;
    const body = await call('listGroupUsers', () => graph.client.api(current).get());
    users.push(...valuesOf(body).map(toDirectoryUser));
    const next = asObject(body)['@odata.nextLink'];
    if (typeof next !== 'string') return users;
    // Follow only links back to our Graph origin: the token must never travel elsewhere.
    if (new URL(next).origin !== graph.origin) {
      throw toGraphError({ status: 0, message: `nextLink points to another origin: ${new URL(next).origin}` }, 'listGroupUsers');
    }
    path = next;
  }
  throw toGraphError({ status: 0, message: `more than ${MAX_PAGES} pages of group members` }, 'listGroupUsers');
}

export async function findGroups(graph: GraphContext, nameOrId: string): Promise<DirectoryGroup[]> {
  const typed = nameOrId.trim();
  if (isGuid(typed)) {
    try {
      const body = await call('listGroupUsers', () => graph.client.api(`${groupPath(typed)}?$select=id,displayName`).get());
      return [toGroup(body)];
    } catch (e) {
      if (e instanceof GraphError && e.code === 'notFound') return [];
      throw e;
    }
  }
  const filter = `displayName eq ${odataString(typed)}`;
  const body = await call('listGroupUsers', () =>
    graph.client.api(`/groups?$filter=${encodeURIComponent(filter)}&$select=id,displayName&$top=10`).get(),
  );
  return valuesOf(body).map(toGroup);
}

export async function listGroupMembers(graph: GraphContext, groupId: string, options: { nested: boolean; max: number }): Promise<GroupMembers> {
  const base = groupPathOrThrow(groupId, 'listGroupUsers');
  const relation = options.nested ? 'transitiveMembers' : 'members';
  const users = await pages(graph, 'listGroupUsers', `${base}/${relation}/microsoft.graph.user?${selectQuery(USER_PROPERTIES)}&$top=999`, options.max, toDirectoryUser);
  const nestedGroups = options.nested ? [] : await pages(graph, 'listGroupUsers', `${base}/members/microsoft.graph.group?$select=id,displayName&$top=999`, 1000, toGroup);
  return { users, nestedGroups };
}

/**
 * `POST /groups/{id}/members/$ref`, 204 on success. Adding someone who is a member already
 * is Graph's 400 "One or more added object references already exist…": done, for us. The
 * bind URL names this gateway's own Graph origin, as installAppForUser does.
 */
export async function addGroupMember(graph: GraphContext, groupId: string, userId: string): Promise<GroupMemberChange> {
  const path = `${groupPathOrThrow(groupId, 'addGroupMember')}/members/$ref`;
  const bind = `${graph.origin}/v1.0/directoryObjects/${objectIdOrThrow(userId, 'addGroupMember')}`;
  return call('addGroupMember', async (): Promise<GroupMemberChange> => {
    try {
      await graph.client.api(path).post({ '@odata.id': bind });
      return 'added';
    } catch (e) {
      const failure = failureOf(e);
      if (failure.status === 400 && /already exist/i.test(failure.message ?? '')) return 'alreadyMember';
      throw e;
    }
  });
}

/**
 * `DELETE /groups/{id}/members/{userId}/$ref`, 204 on success. Always with `/$ref`: without
 * it Graph deletes the directory object itself when the app may. 404 (not a member, or the
 * group is gone) means the membership does not exist: done, for us.
 */
export async function removeGroupMember(graph: GraphContext, groupId: string, userId: string): Promise<GroupMemberChange> {
  const path = `${groupPathOrThrow(groupId, 'removeGroupMember')}/members/${objectIdOrThrow(userId, 'removeGroupMember')}/$ref`;
  try {
    await call('removeGroupMember', () => graph.client.api(path).delete());
    return 'removed';
  } catch (e) {
    if (e instanceof GraphError && e.code === 'notFound') return 'notMember';
    throw e;
  }
}
