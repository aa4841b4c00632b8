/**
 * What the workflow steps share: the ports, the configuration, and two helpers that keep
 * side channels (audit, notifications) from undoing durable work when they fail.
 */
import type { AuditEvent, AuditSink, AuditStep } from '../audit/types';
import { isAppError } from '../errors';
import { said, type Words } from '../i18n/said';
import type { TapGraph } from '../graph/types';
import { createLogger } from '../log';
import { correlationFields } from '../telemetry/correlation';
import type { VelocityLimiter } from './gate/limits';
import type { TargetLocks } from './gate/openRequestLock';
import type { RequestRepository } from './store/requestRepository';
import type { DurableStorage } from '../storage/types';
import type { Actor, FlowConfig, FlowNotifier, TapRequest } from './types';

const log = createLogger('flow');

export type AuditInput = Omit<AuditEvent, 'at'>;

export interface FlowContext {
  graph: TapGraph;
  repo: RequestRepository;
  /** The same storage, for the few small documents that are not requests (dispute tokens). */
  storage: DurableStorage;
  limiter: VelocityLimiter;
  targetLocks: TargetLocks;
  notifier: FlowNotifier;
  config: FlowConfig;
  clock: () => Date;
  newId: () => string;
  /** Records the event; a failing sink is logged loudly, never thrown into the flow. */
  audit(event: AuditInput): Promise<void>;
  /**
   * The event as part of a storage step (the record it is about and the event in one commit),
   * or undefined: then `audit` it after the step, as always. A failing chain is logged, never
   * thrown into the step (the step's own record still commits).
   */
  auditStep?(event: AuditInput): AuditStep | undefined;
  /** Tells people about a change already stored; failures are logged, the state stands. */
  notifyUpdated(request: TapRequest): Promise<void>;
  /** Keeps track of work that may outlive the turn that started it (see TapFlow.whenIdle). */
  track(work: Promise<unknown>): void;
}

export function makeAudit(sink: AuditSink, clock: () => Date): (event: AuditInput) => Promise<void> {
  return async (event) => {
    try {
      // The turn's correlation id, and its request id unless the event names one itself.
      await sink.record({ at: clock().toISOString(), ...correlationFields(), ...event });
    } catch (e) {
      // Losing an audit line must not strand a request half-way (e.g. a created TAP not
      // delivered); the log keeps the event so an admin can reconcile.
      log.error('audit record failed', { action: event.action, requestId: event.requestId, outcome: event.outcome, error: e });
    }
  };
}

export function makeAuditStep(sink: AuditSink, clock: () => Date): (event: AuditInput) => AuditStep | undefined {
  return (event) => {
    let step: AuditStep | undefined;
    try {
      step = sink.stepFor?.({ at: clock().toISOString(), ...correlationFields(), ...event });
    } catch {
      // Refused (a secret-like field): `audit` records the refusal the usual way.
      return undefined;
    }
    if (!step) return undefined;
    const inner = step;
    return (read) => {
      try {
        return inner(read);
      } catch (e) {
        log.error('audit record failed', { action: event.action, requestId: event.requestId, outcome: event.outcome, error: e });
        return {};
      }
    };
  };
}

export function makeNotifyUpdated(notifier: FlowNotifier): (request: TapRequest) => Promise<void> {
  return async (request) => {
    try {
      await notifier.requestUpdated(request);
    } catch (e) {
      log.warn('could not refresh the cards of a request', { requestId: request.id, state: request.state, error: e });
    }
  };
}

/** Audit fields that name who acted. */
export function actorFields(actor: Actor): Pick<AuditEvent, 'actorId' | 'actorName'> {
  return { actorId: actor.aadObjectId, ...(actor.displayName ? { actorName: actor.displayName } : {}) };
}

/** Audit fields that name the request and its target. */
export function requestFields(request: TapRequest): Pick<AuditEvent, 'requestId' | 'targetId' | 'targetUpn'> {
  return { requestId: request.id, targetId: request.target.id, targetUpn: request.target.userPrincipalName };
}

/** Why a port failed, inside another sentence: the AppError's own (its meaning when it has one), else a generic one. */
export function whyOf(e: unknown): Words {
  if (isAppError(e)) return e.said ?? e.userMessage;
  return said('unexpectedError');
}

/** A sentence safe to show for an error from a port: the AppError's own, else a generic one. */
export function personMessage(e: unknown, fallback: string): { code: string; message: string } {
  if (isAppError(e)) return { code: e.code, message: e.userMessage };
  return { code: 'unexpected', message: fallback };
}

export function settingsDetails(request: TapRequest): Record<string, string | number | boolean> {
  return {
    lifetimeInMinutes: request.settings.lifetimeInMinutes,
    isUsableOnce: request.settings.isUsableOnce,
    ...(request.settings.startDateTime ? { startDateTime: request.settings.startDateTime } : {}),
  };
}

export { log as flowLog };
