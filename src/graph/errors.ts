/**
 * Turns whatever a Graph call failed with (an HTTP status from Graph, a `$batch` item, a
 * credential that could not get a token, a dropped connection) into one `GraphError` with a
 * sentence a helpdesk agent or the IT admin can act on.
 *
 * Graph's own messages stay out of `userMessage`. For TAP creation they stay out of the
 * error entirely: nothing from that response body may travel anywhere.
 */
import { GraphError as SdkGraphError } from '@microsoft/microsoft-graph-client';
import { GraphError } from '../errors';
import { BatchProtocolError, type BatchItemResponse } from './batch';
import { isNetworkError, parseRetryAfter } from './retry';

export type GraphOperation =
  | 'getUser'
  | 'getManager'
  | 'memberGroups'
  | 'directoryRolesHeld'
  | 'getTapPolicy'
  | 'listTaps'
  | 'createTap'
  | 'deleteTap'
  | 'listGroupUsers'
  | 'sendMail'
  | 'revokeSignInSessions'
  | 'listAuthenticationMethods'
  | 'addGroupMember'
  | 'removeGroupMember'
  | 'automaticReplies';

/** The least-privileged application permission each operation needs. */
export const REQUIRED_PERMISSION: Record<GraphOperation, string> = {
  getUser: 'User.Read.All',
  getManager: 'User.Read.All',
  memberGroups: 'GroupMember.Read.All',
  directoryRolesHeld: 'User.Read.All',
  getTapPolicy: 'Policy.Read.AuthenticationMethod',
  listTaps: 'UserAuthMethod-TAP.ReadWrite.All',
  createTap: 'UserAuthMethod-TAP.ReadWrite.All',
  deleteTap: 'UserAuthMethod-TAP.ReadWrite.All',
  listGroupUsers: 'GroupMember.Read.All',
  sendMail: 'Mail.Send',
  revokeSignInSessions: 'User.RevokeSessions.All',
  listAuthenticationMethods: 'UserAuthenticationMethod.Read.All',
  addGroupMember: 'GroupMember.ReadWrite.All',
  removeGroupMember: 'GroupMember.ReadWrite.All',
  automaticReplies: 'MailboxSettings.Read',
};

const ACTION: Record<GraphOperation, string> = {
  getUser: 'read users',
  getManager: "read users' managers",
  memberGroups: 'check group membership',
  directoryRolesHeld: "check users' directory roles",
  getTapPolicy: 'read the Temporary Access Pass policy',
  listTaps: "read users' Temporary Access Passes",
  createTap: 'create Temporary Access Passes',
  deleteTap: 'delete Temporary Access Passes',
  listGroupUsers: 'list group members',
  sendMail: 'send mail from the configured mailbox',
  revokeSignInSessions: "revoke users' sign-in sessions",
  listAuthenticationMethods: "read users' registered sign-in methods",
  addGroupMember: 'add people to the passkey onboarding group',
  removeGroupMember: 'remove people from the passkey onboarding group',
  automaticReplies: "read approvers' automatic replies (out of office)",
};

const NOT_FOUND: Record<GraphOperation, string> = {
  getUser: 'No such user was found in the directory. Check the user principal name.',
  getManager: 'No such user was found in the directory.',
  memberGroups: 'No such user or group was found in the directory.',
  directoryRolesHeld: 'No such user was found in the directory.',
  getTapPolicy: 'The Temporary Access Pass policy was not found in this tenant.',
  listTaps: 'No such user was found in the directory.',
  createTap: 'No such user was found in the directory.',
  deleteTap: 'That Temporary Access Pass no longer exists.',
  listGroupUsers: 'The configured group was not found in the directory. Ask the IT admin to check its object id.',
  sendMail: 'The mailbox the bot sends from (OWNER_NOTICE_MAIL_FROM) was not found.',
  revokeSignInSessions: 'No such user was found in the directory.',
  listAuthenticationMethods: 'No such user was found in the directory.',
  addGroupMember: 'The onboarding group (ONBOARDING_GROUP_ID) or the user was not found in the directory. Ask the IT admin to check the group id.',
  removeGroupMember: 'The user is not a member of the onboarding group.',
  automaticReplies: 'The user has no mailbox, so their automatic replies cannot be read.',
};

/** What every failure boils down to before it is classified. */
export interface GraphFailure {
  /** HTTP status; 0 when no HTTP answer came (network, credential). */
  status: number;
  graphCode?: string;
  /** Graph's message, used to classify only (never shown, never kept for createTap). */
  message?: string;
  retryAfterInMs?: number;
  /** Set when the request never got an HTTP answer: Graph unreachable, sign-in service unreachable, credential refused. */
  kind?: 'network' | 'authority' | 'credential';
}

const CREDENTIAL_ERRORS = new Set(['AuthenticationError', 'CredentialUnavailableError', 'AuthenticationRequiredError', 'AggregateAuthenticationError']);
const NETWORK_HINT = /ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up|network|timed? ?out|endpoints_resolution_error|unable to verify|self[- ]signed certificate|UNABLE_TO_|CERT_/i;

/** A credential error: refused credentials, or the sign-in service could not be reached. */
function credentialKind(message: string): 'authority' | 'credential' {
  return NETWORK_HINT.test(message) ? 'authority' : 'credential';
}

/** Reads a thrown value (SDK GraphError, credential error, transport error) as a GraphFailure. */
export function failureOf(e: unknown): GraphFailure {
  if (e instanceof SdkGraphError) {
    const status = e.statusCode > 0 ? e.statusCode : 0;
    const name = e.code ?? '';
    const failure: GraphFailure = { status, ...(e.code ? { graphCode: e.code } : {}), message: e.message };
    const retryAfter = parseRetryAfter(e.headers?.get('retry-after'));
    if (retryAfter !== undefined) failure.retryAfterInMs = retryAfter;
    if (status === 0) {
      // No HTTP answer: the SDK wrapped a credential or transport error, keeping its name.
      failure.kind = CREDENTIAL_ERRORS.has(name) ? credentialKind(e.message) : 'network';
    }
    return failure;
  }
  if (e instanceof Error && CREDENTIAL_ERRORS.has(e.name)) {
    return { status: 0, graphCode: e.name, message: e.message, kind: credentialKind(e.message) };
  }
  if (isNetworkError(e) || e instanceof BatchProtocolError) {
    return { status: 0, message: e instanceof Error ? e.message : String(e), kind: 'network' };
  }
  return { status: 0, message: e instanceof Error ? e.message : String(e) };
}

/** A `$batch` item's answer as a GraphFailure. */
export function failureOfItem(item: BatchItemResponse): GraphFailure {
  const err = (item.body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  const failure: GraphFailure = { status: item.status };
  if (typeof err?.code === 'string') failure.graphCode = err.code;
  if (typeof err?.message === 'string') failure.message = err.message;
  const retryAfter = parseRetryAfter(item.headers['retry-after']);
  if (retryAfter !== undefined) failure.retryAfterInMs = retryAfter;
  return failure;
}

/** Classifies a failure of `operation` into a GraphError with a person-readable message. */
export function toGraphError(failure: GraphFailure, operation: GraphOperation, cause?: unknown): GraphError {
  const secretBody = operation === 'createTap';
  const graphCode = failure.graphCode;
  // For createTap neither Graph's message nor the original error travels with ours.
  const detail = secretBody
    ? `Graph ${operation} failed with status ${failure.status}${graphCode ? ` (${graphCode})` : ''}`
    : `Graph ${operation} failed with status ${failure.status}${graphCode ? ` (${graphCode})` : ''}: ${failure.message ?? ''}`;
  const base = {
    status: failure.status,
    detail,
    ...(graphCode ? { graphCode } : {}),
    ...(cause !== undefined && !secretBody ? { cause } : {}),
  };
  const message = failure.message ?? '';

  if (failure.kind === 'credential' || failure.status === 401) {
    return new GraphError({
      ...base,
      code: 'unauthorized',
      userMessage:
        'The bot could not sign in to Microsoft Graph: its credentials (client id, secret, certificate or managed identity) were rejected. Ask the IT admin to check the app registration.',
    });
  }
  if (failure.kind === 'authority') {
    return new GraphError({
      ...base,
      code: 'unavailable',
      userMessage:
        'The bot could not reach the Microsoft Entra sign-in service to get a Graph token. Ask the IT admin to check the tenant id, the authority host and the network.',
    });
  }
  if (failure.kind === 'network' || failure.status >= 500) {
    if (failure.status === 503 || failure.status === 504) {
      const seconds = retryAfterSeconds(failure);
      return new GraphError({
        ...base,
        code: 'unavailable',
        userMessage: `Microsoft Graph is unavailable right now; try again in ${seconds === 1 ? '1 second' : `${seconds} seconds`}.`,
        retryAfterSeconds: seconds,
      });
    }
    return new GraphError({ ...base, code: 'unavailable', userMessage: 'Microsoft Graph could not be reached; try again in a few minutes.' });
  }
  switch (failure.status) {
    case 429: {
      const seconds = retryAfterSeconds(failure);
      return new GraphError({
        ...base,
        code: 'throttled',
        userMessage: `Microsoft Graph is busy; try again in ${seconds === 1 ? '1 second' : `${seconds} seconds`}.`,
        retryAfterSeconds: seconds,
      });
    }
    case 404:
      return new GraphError({ ...base, code: 'notFound', userMessage: NOT_FOUND[operation] });
    case 403: {
      const permission = REQUIRED_PERMISSION[operation];
      return new GraphError({
        ...base,
        code: 'forbidden',
        missingPermission: permission,
        userMessage: `The bot is not allowed to ${ACTION[operation]}: its app registration needs the Microsoft Graph application permission ${permission} with admin consent. Ask the IT admin.`,
      });
    }
    case 400:
      if (operation === 'createTap' && /guest|external/i.test(message)) {
        return new GraphError({ ...base, code: 'guest', userMessage: 'External guests cannot get a Temporary Access Pass.' });
      }
      if (operation === 'createTap' && /polic|lifetime|usableonce/i.test(message)) {
        return new GraphError({
          ...base,
          code: 'policy',
          userMessage:
            "The tenant's Temporary Access Pass policy does not allow this pass: it may be disabled, not cover this user, or require another lifetime or one-time setting.",
        });
      }
      return new GraphError({ ...base, code: 'badRequest', userMessage: 'Microsoft Graph refused the request as invalid.' });
    default:
      return new GraphError({ ...base, code: 'unknown', userMessage: 'Microsoft Graph answered unexpectedly; try again, and tell the IT admin if it persists.' });
  }
}

function retryAfterSeconds(failure: GraphFailure): number {
  return failure.retryAfterInMs !== undefined ? Math.max(1, Math.ceil(failure.retryAfterInMs / 1000)) : 30;
}

/** `toGraphError(failureOf(e), operation)`, passing through errors that already are GraphErrors. */
export function mapThrown(e: unknown, operation: GraphOperation): GraphError {
  if (e instanceof GraphError) return e;
  return toGraphError(failureOf(e), operation, e);
}
