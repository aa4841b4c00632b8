/**
 * Graph v1.0 routes, used for top-level requests and `$batch` items alike.
 * Each handler takes a parsed request and returns a Graph-shaped response or throws a
 * GraphHttpError; the caller turns errors into `{"error":{…}}` bodies.
 */
import { parseAuditFilter } from './auditFilter';
import type { Directory } from './directory';
import { badRequest, GraphHttpError, graphErrorBody, methodNotAllowed, notFound, segmentNotFound, statusError } from './graphErrors';
import type { FaultInjector } from './knobs';
import { formatRetryAfter } from './knobs';
import {
  DEFAULT_USER_PROPERTIES,
  GRAPH_METADATA,
  parenthesizedKey,
  parseExpand,
  parseGraphUrl,
  parseSelect,
  parseTop,
  project,
  type ParsedUrl,
} from './odata';
import { PERMISSIONS, requireOneOf, routePermission } from './permissions';
import type { PimList } from './pim';
import type { SandboxKnobs } from './types';
import { parseUserFilter } from './userFilter';

export interface GraphRequest {
  method: string;
  /** Relative to `/v1.0`, e.g. `/users/megan@contoso.com?$select=id`. */
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** The `roles` of the bearer token; undefined = an internal call whose permissions are not checked. */
  roles?: ReadonlySet<string>;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface GraphRouteContext {
  directory: Directory;
  faults: FaultInjector;
  knobs: SandboxKnobs;
  /** `https://127.0.0.1:port`, for absolute nextLinks. */
  origin: () => string;
}

const KNOWN_USER_PROPERTIES: ReadonlySet<string> = new Set([
  ...DEFAULT_USER_PROPERTIES,
  'userType',
  'accountEnabled',
  'department',
  'companyName',
  'employeeId',
  'usageLocation',
  'externalUserState',
  'createdDateTime',
  'onPremisesSyncEnabled',
  'otherMails',
  'signInActivity',
  'signInSessionsValidFromDateTime',
]);

const NON_PREMIUM_TENANT = new GraphHttpError(403, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', "Neither tenant is B2C or tenant doesn't have premium license");
const NOT_P2_TENANT_MESSAGE = 'The tenant does not have a valid Microsoft Entra ID P2 license, which Identity Protection risky users require.';

/** Graph limits the id lists of checkMemberGroups / checkMemberObjects to 20. */
const MAX_CHECK_IDS = 20;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 999;

const json = (status: number, body: unknown): GraphResponse => ({
  status,
  headers: { 'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8' },
  body,
});

export function errorResponse(error: GraphHttpError): GraphResponse {
  const response = json(error.status, graphErrorBody(error.code, error.message));
  return { ...response, headers: { ...response.headers, ...error.headers } };
}

function userView(user: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  return project(user, select, DEFAULT_USER_PROPERTIES, KNOWN_USER_PROPERTIES, 'user');
}

/**
 * `signInActivity` comes back only when selected explicitly, and then Graph also wants
 * AuditLog.Read.All (403 Authorization_RequestDenied) and a P1 tenant (403 non-premium).
 */
function checkUserSelect(select: string[] | null, request: GraphRequest, ctx: GraphRouteContext): void {
  if (!select?.some((p) => p.toLowerCase() === 'signinactivity')) return;
  requireOneOf(request.roles, PERMISSIONS.auditLogRead);
  if (!ctx.knobs.signInActivityLicensed) throw NON_PREMIUM_TENANT;
}

function contextFor(set: string, select: string[] | null, suffix = '/$entity'): string {
  return `${GRAPH_METADATA}#${set}${select ? `(${select.join(',')})` : ''}${suffix}`;
}

/** `users/{key}` or `users('{key}')`: returns the key and how many segments it used. */
function userKey(segments: string[]): { key: string; rest: string[] } | null {
  const first = segments[0] ?? '';
  const quoted = parenthesizedKey(first, 'users');
  if (quoted !== null) return { key: quoted, rest: segments.slice(1) };
  if (first.toLowerCase() !== 'users' || segments.length < 2) return null;
  const key = segments[1] ?? '';
  // Graph reads `/users/$x` as a system query segment, hence the `users('$x')` form.
  if (key.startsWith('$')) {
    throw badRequest(
      "The request URI is not valid. Since the segment 'users' refers to a collection, this must be the last segment in the request URI or it must be followed by an function or action that can be bound to it otherwise all intermediate segments must refer to a single resource.",
    );
  }
  return { key, rest: segments.slice(2) };
}

function stringList(body: unknown, field: string): string[] {
  const value = (body as Record<string, unknown> | null)?.[field];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw badRequest(`The request body must contain '${field}', an array of strings.`, 'Request_BadRequest');
  }
  if (value.length > MAX_CHECK_IDS) throw badRequest(`Too many items in '${field}': at most ${MAX_CHECK_IDS} are allowed.`, 'Request_BadRequest');
  return value as string[];
}

function expectMethod(request: GraphRequest, ...allowed: string[]): void {
  if (!allowed.includes(request.method)) throw methodNotAllowed(request.method);
}

/** TAP writes are identity writes: Graph limits them per app and tenant. */
function takeWriteToken(ctx: GraphRouteContext): void {
  const waitInSeconds = ctx.faults.takeWriteToken();
  if (waitInSeconds !== null) throw statusError(429, formatRetryAfter(waitInSeconds, ctx.knobs));
}

function userRoutes(request: GraphRequest, url: ParsedUrl, ctx: GraphRouteContext, key: string, rest: string[]): GraphResponse {
  const { directory } = ctx;
  const user = directory.requireUser(key);
  const select = parseSelect(url.query.get('$select'));
  checkUserSelect(select, request, ctx);
  const [resource, ...tail] = rest.map((s) => s.replace(/^microsoft\.graph\./i, ''));
  const name = resource?.toLowerCase();

  if (name === undefined) {
    expectMethod(request, 'GET');
    const body: Record<string, unknown> = { '@odata.context': contextFor('users', select), ...userView(user, select) };
    for (const expand of parseExpand(url.query.get('$expand'))) {
      if (expand.property.toLowerCase() !== 'manager') {
        throw badRequest(`Could not find a property named '${expand.property}' on type 'microsoft.graph.user'.`);
      }
      checkUserSelect(expand.select, request, ctx);
      const manager = directory.managerOf(user.id);
      // Graph omits the property when there is no manager.
      if (manager) body['manager'] = { '@odata.type': '#microsoft.graph.user', ...userView(manager, expand.select) };
    }
    return json(200, body);
  }
  if (name === 'manager' && tail.length === 0) {
    expectMethod(request, 'GET');
    const manager = directory.managerOf(user.id);
    if (!manager) throw notFound('manager');
    return json(200, { '@odata.context': contextFor('directoryObjects', select), '@odata.type': '#microsoft.graph.user', ...userView(manager, select) });
  }
  if (name === 'checkmembergroups' && tail.length === 0) {
    expectMethod(request, 'POST');
    const wanted = stringList(request.body, 'groupIds');
    const groups = directory.transitiveGroupIds(user.id);
    return json(200, { '@odata.context': `${GRAPH_METADATA}#Collection(Edm.String)`, value: wanted.filter((id) => groups.has(id)) });
  }
  if (name === 'checkmemberobjects' && tail.length === 0) {
    expectMethod(request, 'POST');
    const wanted = stringList(request.body, 'ids');
    const held = new Set([...directory.transitiveGroupIds(user.id), ...directory.heldRoleIds(user.id)]);
    return json(200, { '@odata.context': `${GRAPH_METADATA}#Collection(Edm.String)`, value: wanted.filter((id) => held.has(id)) });
  }
  if (name === 'authentication' && tail[0]?.toLowerCase() === 'temporaryaccesspassmethods') {
    return tapRoutes(request, ctx, user.id, tail.slice(1));
  }
  if (name === 'authentication' && tail[0]?.toLowerCase() === 'methods' && tail.length === 1) {
    expectMethod(request, 'GET');
    return json(200, { '@odata.context': `${GRAPH_METADATA}#users('${user.id}')/authentication/methods`, value: directory.authenticationMethodsOf(user.id) });
  }
  if (name === 'sendmail' && tail.length === 0) {
    expectMethod(request, 'POST');
    return sendMail(request, ctx, user);
  }
  if (name === 'mailboxsettings' && tail.length === 1 && tail[0]?.toLowerCase() === 'automaticrepliessetting') {
    expectMethod(request, 'GET');
    return json(200, { '@odata.context': `${GRAPH_METADATA}#users('${user.id}')/mailboxSettings/automaticRepliesSetting`, ...directory.mailboxes.view(user) });
  }
  if (name === 'revokesigninsessions' && tail.length === 0) {
    expectMethod(request, 'POST');
    directory.revokeSessions(user.id);
    return json(200, { '@odata.context': `${GRAPH_METADATA}#Edm.Boolean`, value: true });
  }
  if (name === 'teamwork' && tail[0]?.toLowerCase() === 'installedapps') {
    return installedAppRoutes(request, ctx, user.id, tail.slice(1));
  }
  throw segmentNotFound(rest[0] ?? '');
}

const addressesOf = (list: unknown, field: string): string[] => {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw badRequest(`Property '${field}' must be a collection of recipients.`, 'ErrorInvalidRequest');
  return list.map((r: unknown) => {
    const address = ((r as Record<string, unknown> | null)?.['emailAddress'] as Record<string, unknown> | undefined)?.['address'];
    if (typeof address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(address)) {
      throw badRequest('At least one recipient isn\'t valid., Recipient is not resolved.', 'ErrorInvalidRecipients');
    }
    return address.toLowerCase();
  });
};

/** `POST /users/{id|upn}/sendMail`: 202 and no body; the mail lands in the sandbox outbox. */
function sendMail(request: GraphRequest, ctx: GraphRouteContext, user: { id: string; userPrincipalName: string; userType: string }): GraphResponse {
  const body = request.body as Record<string, unknown> | null | undefined;
  const message = body?.['message'];
  if (!message || typeof message !== 'object' || Array.isArray(message)) {
    throw badRequest("Empty Payload. JSON content expected: the request body must contain 'message'.", 'ErrorInvalidRequest');
  }
  const save = body?.['saveToSentItems'];
  if (save !== undefined && save !== null && typeof save !== 'boolean' && save !== 'true' && save !== 'false') {
    throw badRequest("Cannot convert the literal to the expected type 'Edm.Boolean'.", 'RequestBodyRead');
  }
  const m = message as Record<string, unknown>;
  const recipients = [
    ...addressesOf(m['toRecipients'], 'toRecipients'),
    ...addressesOf(m['ccRecipients'], 'ccRecipients'),
    ...addressesOf(m['bccRecipients'], 'bccRecipients'),
  ];
  if (recipients.length === 0) {
    throw badRequest("At least one recipient isn't valid., A message can't be sent because it contains no recipients.", 'ErrorInvalidRecipients');
  }
  // A guest has no mailbox in this tenant: Exchange has nothing to send from.
  if (user.userType === 'Guest') {
    throw new GraphHttpError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
  }
  ctx.directory.recordMail({
    at: new Date().toISOString(),
    from: { id: user.id, userPrincipalName: user.userPrincipalName },
    message: structuredClone(m),
    recipients,
    saveToSentItems: save === undefined || save === null ? true : save === true || save === 'true',
  });
  return { status: 202, headers: {} };
}

const AUDIT_DEFAULT_PAGE_SIZE = 1000;
const AUDIT_MAX_PAGE_SIZE = 1000;

/** `GET /auditLogs/directoryAudits?$filter=…&$top=…`, newest first. */
function directoryAuditRoutes(request: GraphRequest, url: ParsedUrl, ctx: GraphRouteContext, segments: string[]): GraphResponse {
  if (segments.length === 3) {
    expectMethod(request, 'GET');
    const entry = ctx.directory.directoryAudits().find((a) => a['id'] === segments[2]);
    if (!entry) throw notFound(segments[2] ?? '');
    return json(200, { '@odata.context': `${GRAPH_METADATA}#auditLogs/directoryAudits/$entity`, ...entry });
  }
  if (segments.length !== 2) throw segmentNotFound(segments[segments.length - 1] ?? '');
  expectMethod(request, 'GET');
  const filter = url.query.get('$filter');
  const matches = filter ? parseAuditFilter(filter) : () => true;
  const top = parseTop(url.query.get('$top'), AUDIT_MAX_PAGE_SIZE, AUDIT_DEFAULT_PAGE_SIZE);
  const skip = decodeSkipToken(url.query.get('$skiptoken'));
  const found = ctx.directory.directoryAudits().filter((a) => matches(a));
  const body: Record<string, unknown> = { '@odata.context': `${GRAPH_METADATA}#auditLogs/directoryAudits`, value: found.slice(skip, skip + top) };
  if (skip + top < found.length) {
    const next = new URLSearchParams(url.query);
    next.set('$skiptoken', Buffer.from(`skip:${skip + top}`).toString('base64url'));
    body['@odata.nextLink'] = `${ctx.origin()}/v1.0${url.raw.split('?')[0] ?? ''}?${next.toString()}`;
  }
  return json(200, body);
}

/**
 * `GET /identityProtection/riskyUsers/{id}` (404 when Identity Protection holds no record of
 * the user), and the list `GET /identityProtection/riskyUsers?$filter=userPrincipalName eq 'x'`.
 */
function riskyUserRoutes(request: GraphRequest, ctx: GraphRouteContext, segments: string[], url?: ParsedUrl): GraphResponse {
  if (segments.length === 2) {
    expectMethod(request, 'GET');
    if (!ctx.knobs.riskyUsersLicensed) throw new GraphHttpError(403, 'Forbidden', NOT_P2_TENANT_MESSAGE);
    const filter = url?.query.get('$filter') ?? '';
    const m = /^userPrincipalName eq '((?:[^']|'')*)'$/i.exec(filter.trim());
    if (filter && !m) throw badRequest(`Invalid filter clause: ${filter.slice(0, 80)}`, 'Request_UnsupportedQuery');
    const users = ctx.directory.allUsers().filter((u) => !m || u.userPrincipalName.toLowerCase() === m[1]!.replace(/''/g, "'").toLowerCase());
    const records = users.map((u) => ctx.directory.riskyUser(u.id)).filter((r): r is NonNullable<typeof r> => r !== undefined && r !== null);
    return json(200, { '@odata.context': `${GRAPH_METADATA}#identityProtection/riskyUsers`, value: records });
  }
  if (segments.length !== 3) throw segmentNotFound(segments[segments.length - 1] ?? '');
  expectMethod(request, 'GET');
  if (!ctx.knobs.riskyUsersLicensed) throw new GraphHttpError(403, 'Forbidden', NOT_P2_TENANT_MESSAGE);
  const id = segments[2] ?? '';
  const record = ctx.directory.riskyUser(id);
  if (!record) throw notFound(id);
  return json(200, { '@odata.context': `${GRAPH_METADATA}#identityProtection/riskyUsers/$entity`, ...record });
}

function tapRoutes(request: GraphRequest, ctx: GraphRouteContext, userId: string, rest: string[]): GraphResponse {
  const { directory } = ctx;
  const context = `${GRAPH_METADATA}#users('${userId}')/authentication/temporaryAccessPassMethods`;
  if (rest.length === 0) {
    expectMethod(request, 'GET', 'POST');
    if (request.method === 'GET') return json(200, { '@odata.context': context, value: directory.tapsOf(userId) });
    takeWriteToken(ctx);
    return json(201, { '@odata.context': `${context}/$entity`, ...directory.createTap(userId, request.body) });
  }
  if (rest.length === 1) {
    const methodId = rest[0] ?? '';
    expectMethod(request, 'GET', 'DELETE');
    if (request.method === 'GET') return json(200, { '@odata.context': `${context}/$entity`, ...directory.tapOf(userId, methodId) });
    takeWriteToken(ctx);
    directory.deleteTap(userId, methodId);
    return { status: 204, headers: {} };
  }
  throw segmentNotFound(rest[1] ?? '');
}

function installedAppRoutes(request: GraphRequest, ctx: GraphRouteContext, userId: string, rest: string[]): GraphResponse {
  const { directory } = ctx;
  if (rest.length === 0) {
    expectMethod(request, 'GET', 'POST');
    if (request.method === 'GET') return json(200, { value: directory.installedAppsOf(userId) });
    const bind = (request.body as Record<string, unknown> | null)?.['teamsApp@odata.bind'];
    const match = typeof bind === 'string' ? /appCatalogs\/teamsApps\/([^/?#]+)$/i.exec(bind) : null;
    if (!match) throw badRequest("The request body must contain 'teamsApp@odata.bind' pointing at appCatalogs/teamsApps/{id}.");
    const app = directory.installApp(userId, match[1] ?? '');
    return json(201, { '@odata.context': `${GRAPH_METADATA}#users('${userId}')/teamwork/installedApps/$entity`, id: app.id });
  }
  // `GET …/installedApps/{id}/chat` gives the 1:1 chat id a bot uses as conversation id.
  if (rest.length === 2 && rest[1]?.toLowerCase() === 'chat') {
    expectMethod(request, 'GET');
    const installed = directory.installedAppsOf(userId).find((a) => a['id'] === rest[0]);
    if (!installed) throw new GraphHttpError(404, 'NotFound', `Installed app '${rest[0] ?? ''}' not found for this user.`);
    return json(200, { id: `19:${userId}_${String((installed['teamsApp'] as { id: string }).id)}@unq.gbl.spaces`, chatType: 'oneOnOne' });
  }
  throw segmentNotFound(rest[0] ?? '');
}

function groupRoutes(request: GraphRequest, url: ParsedUrl, ctx: GraphRouteContext, segments: string[]): GraphResponse {
  const groupId = segments[1] ?? '';
  const group = ctx.directory.group(groupId);
  if (!group) throw notFound(groupId);
  const rest = segments.slice(2);
  if (rest.length === 0) {
    expectMethod(request, 'GET');
    const { members: _members, ...view } = group;
    return json(200, { '@odata.context': `${GRAPH_METADATA}#groups/$entity`, ...view });
  }
  if (rest[0]?.toLowerCase() === 'members' && rest[rest.length - 1]?.toLowerCase() === '$ref' && (rest.length === 2 || rest.length === 3)) {
    return memberRefRoutes(request, ctx, groupId, rest);
  }
  const relation = rest[0]?.toLowerCase();
  const cast = rest[1]?.toLowerCase();
  const isMemberList =
    rest.length === 2 && (relation === 'transitivemembers' || relation === 'members') && (cast === 'microsoft.graph.user' || cast === 'microsoft.graph.group');
  if (!isMemberList) throw segmentNotFound(rest[rest.length - 1] ?? '');
  expectMethod(request, 'GET');
  const top = parseTop(url.query.get('$top'), MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const skip = decodeSkipToken(url.query.get('$skiptoken'));
  let all: unknown[];
  let body: Record<string, unknown>;
  if (cast === 'microsoft.graph.group') {
    // Nested groups as members (direct only here: what a bulk request reports as not expanded).
    all = relation === 'members' ? ctx.directory.directGroups(groupId).map((g) => ({ id: g.id, displayName: g.displayName })) : [];
    body = { '@odata.context': `${GRAPH_METADATA}#groups(id,displayName)`, value: all.slice(skip, skip + top) };
  } else {
    const select = parseSelect(url.query.get('$select'));
    checkUserSelect(select, request, ctx);
    const users = relation === 'members' ? ctx.directory.directUsers(groupId) : ctx.directory.transitiveUsers(groupId);
    all = users;
    body = { '@odata.context': contextFor('users', select, ''), value: users.slice(skip, skip + top).map((u) => userView(u, select)) };
  }
  if (skip + top < all.length) {
    const next = new URLSearchParams(url.query);
    next.set('$skiptoken', Buffer.from(`skip:${skip + top}`).toString('base64url'));
    const path = url.raw.split('?')[0] ?? '';
    body['@odata.nextLink'] = `${ctx.origin()}/v1.0${path}?${next.toString()}`;
  }
  return json(200, body);
}

/** `GET /groups?$filter=displayName eq '…'`: the one filter a bulk request uses to find a group by name. */
function listGroups(request: GraphRequest, url: ParsedUrl, ctx: GraphRouteContext): GraphResponse {
  expectMethod(request, 'GET');
  const filter = url.query.get('$filter');
  const m = filter === null ? null : /^displayName eq '((?:[^']|'')*)'$/i.exec(filter.trim());
  if (filter !== null && !m) throw badRequest(`Unsupported or invalid query filter clause specified: '${filter}'.`, 'Request_UnsupportedQuery');
  const name = m ? m[1]!.replace(/''/g, "'").toLowerCase() : null;
  const top = parseTop(url.query.get('$top'), MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const groups = ctx.directory.allGroups().filter((g) => name === null || g.displayName.toLowerCase() === name);
  return json(200, { '@odata.context': `${GRAPH_METADATA}#groups(id,displayName)`, value: groups.slice(0, top).map((g) => ({ id: g.id, displayName: g.displayName })) });
}

/**
 * `POST /groups/{id}/members/$ref` with `{"@odata.id": "…/directoryObjects/{id}"}` and
 * `DELETE /groups/{id}/members/{id}/$ref`: 204 and no body, as Graph answers.
 */
function memberRefRoutes(request: GraphRequest, ctx: GraphRouteContext, groupId: string, rest: string[]): GraphResponse {
  if (rest.length === 2) {
    expectMethod(request, 'POST');
    const ref = (request.body as Record<string, unknown> | null)?.['@odata.id'];
    const match = typeof ref === 'string' ? /\/directoryObjects\/([^/?#]+)$/i.exec(ref) : null;
    if (!match) throw badRequest("Invalid request: the body must contain '@odata.id' naming a directoryObject, e.g. https://graph.microsoft.com/v1.0/directoryObjects/{id}.", 'Request_BadRequest');
    ctx.directory.addMemberRef(groupId, decodeURIComponent(match[1] ?? ''));
    return { status: 204, headers: {} };
  }
  expectMethod(request, 'DELETE');
  ctx.directory.removeMemberRef(groupId, rest[1] ?? '');
  return { status: 204, headers: {} };
}

/** `GET /users?$filter=…&$top=…`: the directory search the bot uses to find a person by mail or a near miss. */
function listUsers(request: GraphRequest, url: ParsedUrl, ctx: GraphRouteContext): GraphResponse {
  expectMethod(request, 'GET');
  const select = parseSelect(url.query.get('$select'));
  checkUserSelect(select, request, ctx);
  const top = parseTop(url.query.get('$top'), MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const filter = url.query.get('$filter');
  const advanced = (request.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual' && url.query.get('$count') === 'true';
  const matches = filter ? parseUserFilter(filter, advanced) : () => true;
  const found = ctx.directory.allUsers().filter((u) => matches(u));
  const body: Record<string, unknown> = { '@odata.context': contextFor('users', select, ''), value: found.slice(0, top).map((u) => userView(u, select)) };
  if (advanced) body['@odata.count'] = found.length;
  return json(200, body);
}

function decodeSkipToken(token: string | null): number {
  if (token === null) return 0;
  const match = /^skip:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!match) throw badRequest(`Invalid $skiptoken '${token}'.`);
  return Number(match[1]);
}

function policyRoutes(request: GraphRequest, ctx: GraphRouteContext, segments: string[]): GraphResponse {
  const path = segments.slice(1).map((s) => s.toLowerCase());
  const isTapConfig =
    path.length === 3 &&
    path[0] === 'authenticationmethodspolicy' &&
    path[1] === 'authenticationmethodconfigurations' &&
    path[2] === 'temporaryaccesspass';
  if (!isTapConfig) throw segmentNotFound(segments[segments.length - 1] ?? 'policies');
  expectMethod(request, 'GET');
  return json(200, {
    '@odata.context': `${GRAPH_METADATA}#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity`,
    ...ctx.directory.tapPolicyView(),
  });
}

/** The PIM list a path names (sandbox/pim.ts), or undefined. */
function pimListOf(segments: string[]): PimList | undefined {
  const path = segments.map((s) => s.toLowerCase()).join('/');
  if (path === 'rolemanagement/directory/roleeligibilityscheduleinstances') return 'roleEligibility';
  if (path === 'rolemanagement/directory/roleassignmentscheduleinstances') return 'roleAssignment';
  if (path === 'identitygovernance/privilegedaccess/group/eligibilityscheduleinstances') return 'groupEligibility';
  return undefined;
}

/** Routes one Graph request (never `$batch`, which the batch module unwraps first). */
export function routeGraphRequest(request: GraphRequest, ctx: GraphRouteContext): GraphResponse {
  try {
    const url = parseGraphUrl(request.url);
    const { segments } = url;
    const user = userKey(segments);
    // Graph authorizes before it looks anything up: no permission, 403, even for a missing user.
    const needed = routePermission(request.method, segments, user ? user.rest : null);
    if (needed) requireOneOf(request.roles, needed);
    if (user) return userRoutes(request, url, ctx, user.key, user.rest);
    const first = segments[0]?.toLowerCase();
    if (first === 'auditlogs' && segments[1]?.toLowerCase() === 'directoryaudits') return directoryAuditRoutes(request, url, ctx, segments);
    if (first === 'identityprotection' && segments[1]?.toLowerCase() === 'riskyusers') return riskyUserRoutes(request, ctx, segments, url);
    if (first === 'users' && segments.length === 1) return listUsers(request, url, ctx);
    if (first === 'groups' && segments.length >= 2) return groupRoutes(request, url, ctx, segments);
    if (first === 'groups' && segments.length === 1) return listGroups(request, url, ctx);
    if (first === 'policies') return policyRoutes(request, ctx, segments);
    const pim = pimListOf(segments);
    if (pim) {
      expectMethod(request, 'GET');
      return json(200, ctx.directory.pim.list(pim, url.query.get('$filter'), (id) => ctx.directory.permanentRolesOf(id)));
    }
    throw segmentNotFound(segments[0] ?? '');
  } catch (error) {
    if (error instanceof GraphHttpError) return errorResponse(error);
    throw error;
  }
}
