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
import { said } from '../i18n/said';
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
      userMessage: said('graphUnauthorized'),
    });
  }
  if (failure.kind === 'authority') {
    return new GraphError({
      ...base,
      code: 'unavailable',
      userMessage: said('graphNoSignInService'),
    });
  }
  if (failure.kind === 'network' || failure.status >= 500) {
    if (failure.status === 503 || failure.status === 504) {
      const seconds = retryAfterSeconds(failure);
      return new GraphError({
        ...base,
        code: 'unavailable',
        userMessage: said('graphUnavailable', { seconds }),
        retryAfterSeconds: seconds,
      });
    }
    return new GraphError({ ...base, code: 'unavailable', userMessage: said('graphUnreachable') });
  }
  switch (failure.status) {
    case 429: {
      const seconds = retryAfterSeconds(failure);
      return new GraphError({
        ...base,
        code: 'throttled',
        userMessage: said('graphThrottled', { seconds }),
        retryAfterSeconds: seconds,
      });
    }
    case 404:
      return new GraphError({ ...base, code: 'notFound', userMessage: said('graphNotFound', { operation }) });
    case 403: {
      const permission = REQUIRED_PERMISSION[operation];
      return new GraphError({
        ...base,
        code: 'forbidden',
        missingPermission: permission,
        userMessage: said('graphForbidden', { operation, permission }),
      });
    }
    case 400:
      if (operation === 'createTap' && /guest|external/i.test(message)) {
        return new GraphError({ ...base, code: 'guest', userMessage: said('graphGuest') });
      }
      if (operation === 'createTap' && /polic|lifetime|usableonce/i.test(message)) {
        return new GraphError({
          ...base,
          code: 'policy',
          userMessage: said('graphPolicy'),
        });
      }
      return new GraphError({ ...base, code: 'badRequest', userMessage: said('graphBadRequest') });
    default:
      return new GraphError({ ...base, code: 'unknown', userMessage: said('graphUnexpected') });
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
