/** What the bulk steps share. Built by BulkFlow from the same ports as the single flow. */
import type { AuditInput, FlowContext } from '../context';
import type { BulkGraph, TapGraph } from '../../graph/types';
import type { Leases } from '../../storage/lease';
import type { Actor, FlowConfig } from '../types';
import type { BulkRepository } from './repository';
import type { BulkConfig, BulkNotifier } from './types';

export interface BulkContext {
  graph: TapGraph & BulkGraph;
  repo: BulkRepository;
  leases: Leases;
  notifier: BulkNotifier;
  config: FlowConfig;
  bulk: BulkConfig;
  clock: () => Date;
  newId: () => string;
  audit(event: AuditInput): Promise<void>;
  /** Several events in this order, in one commit where the audit log and store allow (a wave's members); never throws. */
  auditMany(events: AuditInput[]): Promise<void>;
  assertAgent(actor: Actor): Promise<void>;
  /** Background work that outlives the turn that started it. */
  track(work: Promise<unknown>): void;
  /**
   * The single request's context on the same ports: every member's pass meets the gate
   * (limits, locks, risk from stored history) and gets a request record of its own there.
   */
  gate: FlowContext;
  /** True once this instance is shutting down: runs stop after the wave in flight (members stay pending, durable). */
  stopping(): boolean;
}

export function approverGroupOf(ctx: BulkContext): string | undefined {
  return ctx.bulk.approverGroupId ?? ctx.config.fallbackApproverGroupId;
}
