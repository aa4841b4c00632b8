/**
 * Workflow errors that carry more than a code: the edge renders them specially.
 */
import { FlowError } from '../errors';
import type { TapRequest } from './types';

/**
 * The request is no longer in a state that allows the action (someone else decided first,
 * it expired, it was cancelled). Carries the current stored record so the edge can answer
 * with the read-only card.
 */
export class RequestClosedError extends FlowError {
  readonly request: TapRequest;
  constructor(request: TapRequest, code: 'requestClosed' | 'requestExpired' = 'requestClosed', userMessage?: string) {
    super(code, userMessage ?? closedMessage(request));
    this.request = request;
  }
}

export interface InputProblem {
  field: string;
  message: string;
}

/** Invalid input: every problem at once, by field, so a form can mark each one. */
export class InvalidInputError extends FlowError {
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[]) {
    super('invalidInput', problems.map((p) => p.message).join(' '));
    this.problems = problems;
  }
}

function closedMessage(request: TapRequest): string {
  const by = request.decision?.by.displayName;
  switch (request.state) {
    case 'Approved':
    case 'Issuing':
    case 'Issued':
      return `Request ${request.id} was already approved${by ? ` by ${by}` : ''}.`;
    case 'Denied':
      return `Request ${request.id} was already denied${by ? ` by ${by}` : ''}.`;
    case 'Expired':
      return `Request ${request.id} expired before anyone decided; the helpdesk can ask again.`;
    case 'Cancelled':
      return `Request ${request.id} was cancelled by ${request.cancelledBy?.displayName ?? 'the requester'}.`;
    case 'Failed':
      return `Request ${request.id} has failed: ${request.failure?.message ?? 'see the request card'}.`;
    case 'PendingApproval':
      return `Request ${request.id} is still waiting for approval.`;
  }
}
