/**
 * Audit events: who did what, to whom, when, with what outcome. Never the TAP value:
 * the type has no field for it, and AuditLog refuses any event carrying one.
 */
type AuditAction =
  | 'request.refused'
  | 'request.created'
  | 'request.cancelled'
  | 'request.expired'
  /** The approver was reminded of a request still waiting for them (once). */
  | 'approval.reminded'
  /** The request moved to the next approver (out of office, or no answer), or found nobody left to move to (outcome `nobodyLeft`). */
  | 'approval.escalated'
  | 'decision.refused'
  | 'decision.approved'
  | 'decision.denied'
  /** Step-up: an approval held for a fresh sign-in, confirmed by one, or refused (docs/security.md). */
  | 'decision.held'
  | 'decision.steppedUp'
  | 'decision.stepUpRefused'
  | 'tap.issued'
  | 'tap.failed'
  | 'tap.delivered'
  | 'tap.handedOver'
  | 'tap.codeHidden'
  | 'tap.revoked'
  | 'tap.replaced'
  | 'request.reported'
  | 'request.disputed'
  | 'owner.notified'
  | 'user.sessionsRevoked'
  | 'agent.refused'
  /** The follow-through saw a strong method registered after the pass was issued. */
  | 'registration.detected'
  /** The pass expired and no strong method was registered with it. */
  | 'registration.missed'
  | 'onboarding.joined'
  | 'onboarding.left'
  /** An activity turned away before any handler ran (e.g. from a channel other than Teams). */
  | 'activity.refused'
  /** Bulk passes for a group: the request, its decision and end, and one event per member. */
  | 'bulk.created'
  | 'bulk.refused'
  | 'bulk.approved'
  | 'bulk.denied'
  | 'bulk.cancelled'
  | 'bulk.expired'
  | 'bulk.completed'
  | 'bulk.failed'
  | 'bulk.member';

export interface AuditEvent {
  /** ISO instant. */
  at: string;
  action: AuditAction;
  /** Object id of who acted (agent, manager) or 'system' (expiry sweep). */
  actorId: string;
  actorName?: string;
  requestId?: string;
  /** The turn (or sweep run) the event happened in: its log lines and traces carry the same id. */
  correlationId?: string;
  targetId?: string;
  targetUpn?: string;
  /** 'ok' or a coded reason, e.g. 'targetPrivileged'. */
  outcome: string;
  /** Non-secret details: settings, attestation, approver ids, reason text. */
  details?: Record<string, string | number | boolean | null | string[]>;
}

/** A synchronous part of a storage transaction: what it reads, the changes it returns. */
export type AuditStep = (read: (keys: string[]) => Record<string, unknown>) => Record<string, object>;

export interface AuditSink {
  record(event: AuditEvent): Promise<void>;
  /** Optional (AuditLog has it): several events in this order, in one commit where the store allows. */
  recordMany?(events: AuditEvent[]): Promise<void>;
  /**
   * Optional (AuditLog on a store with transactions): the changes that chain `event`, for the
   * caller to run inside its own `updateAtomically` step, so the event commits with the record
   * it is about. Undefined when the store has no transactions (record it after, as before).
   * Throws, before anything is written, for an event record() would refuse.
   */
  stepFor?(event: AuditEvent): AuditStep | undefined;
  /** Newest first. */
  recent(limit: number): Promise<AuditEvent[]>;
}
