/**
 * The request lifecycle. Every state change goes through `assertTransition`, checked
 * against the STORED record (never against what a card echoes back).
 */
import type { RequestState, TapRequest } from './types';

const ALLOWED: Record<RequestState, readonly RequestState[]> = {
  // Failed: the approval card could not be delivered to anyone (approverUnreachable).
  PendingApproval: ['Approved', 'Denied', 'Expired', 'Cancelled', 'Failed'],
  // Failed: something changed between request and approval. Cancelled: a pass prepared days
  // ahead (scheduledIssueAt) withdrawn, reported or disputed before it is made.
  Approved: ['Issuing', 'Failed', 'Cancelled'],
  // Failed: Graph refused the pass, or it could not be delivered (and was deleted).
  Issuing: ['Issued', 'Failed'],
  Issued: [],
  Denied: [],
  Expired: [],
  Failed: [],
  Cancelled: [],
};

/** States after which nothing happens to the request any more (a delivered code may still be hidden). */
export const TERMINAL_STATES: readonly RequestState[] = ['Issued', 'Denied', 'Expired', 'Failed', 'Cancelled'];

export function isTerminal(state: RequestState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** Approved and waiting for its morning: nothing made yet, so it can still be stopped like a pending request. */
export function isWaitingToBeMade(request: Pick<TapRequest, 'state' | 'scheduledIssueAt'>): boolean {
  return request.state === 'Approved' && request.scheduledIssueAt !== undefined;
}

/**
 * Still in flight: approved and being issued, or waiting for a decision before its
 * deadline. The one rule behind "one open request per person" and the waiting limits.
 */
/**
 * The one rule for "open for decision": waiting for approval, and the deadline not reached
 * (a click at the deadline's very instant still counts). Cards, the sweep, limits and deciding all ask here.
 */
export function isAwaitingDecision(request: Pick<TapRequest, 'state' | 'expiresAt'>, now: Date): boolean {
  return request.state === 'PendingApproval' && now.getTime() <= Date.parse(request.expiresAt);
}

export function isInFlight(request: Pick<TapRequest, 'state' | 'expiresAt'>, now: Date): boolean {
  return request.state === 'Approved' || request.state === 'Issuing' || isAwaitingDecision(request, now);
}

export function canTransition(from: RequestState, to: RequestState): boolean {
  return ALLOWED[from].includes(to);
}

/** Throws on a transition the lifecycle does not allow: a programming error, not a user error. */
export function assertTransition(from: RequestState, to: RequestState): void {
  if (!canTransition(from, to)) {
    throw new Error(`Request state cannot change from ${from} to ${to}.`);
  }
}
