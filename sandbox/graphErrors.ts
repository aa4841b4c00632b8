/**
 * Graph-shaped errors: `{"error":{"code","message","innerError"}}` with Graph's statuses and
 * codes, so a client's error mapping is exercised against what Graph really sends.
 */
import { randomUUID } from 'node:crypto';

export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

export function graphErrorBody(code: string, message: string): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId },
    },
  };
}

export const notFound = (key: string): GraphHttpError =>
  new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);

export const badRequest = (message: string, code = 'BadRequest'): GraphHttpError => new GraphHttpError(400, code, message);

export const segmentNotFound = (segment: string): GraphHttpError =>
  badRequest(`Resource not found for the segment '${segment}'.`);

export const methodNotAllowed = (method: string): GraphHttpError =>
  new GraphHttpError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed for this resource.`);

/** 429/503 carry Retry-After; Graph sends whole seconds. */
export function statusError(status: number, retryAfter?: string): GraphHttpError {
  const headers: Record<string, string> = retryAfter ? { 'Retry-After': retryAfter } : {};
  switch (status) {
    case 429:
      return new GraphHttpError(429, 'TooManyRequests', 'Too many requests; retry after the time in the Retry-After header.', headers);
    case 503:
      return new GraphHttpError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.', headers);
    case 500:
      return new GraphHttpError(500, 'generalException', 'An unspecified error occurred.', headers);
    case 504:
      return new GraphHttpError(504, 'UnknownError', 'Gateway timeout.', headers);
    case 401:
      return new GraphHttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure.', headers);
    case 403:
      return new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.', headers);
    case 404:
      return new GraphHttpError(404, 'Request_ResourceNotFound', 'Resource does not exist.', headers);
    default:
      return new GraphHttpError(status, 'InjectedFault', `Injected fault with status ${status}.`, headers);
  }
}
