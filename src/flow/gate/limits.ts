/**
 * Velocity limits: how often anyone can ask, how much can wait on one approver, how many
 * passes one person can get. A helpdesk that is being social-engineered, or an agent
 * account that was taken over, shows up as a burst: the bot stops it and says so loudly
 * (a warn log line security can alert on, and an audit event).
 *
 * The counters live in storage, so they hold across restarts and across instances. Each
 * check-and-count is one compare-and-swap on the counter document: two instances racing
 * at the limit cannot both get the last slot.
 */
import { ConcurrencyError, FlowError } from '../../errors';
import { said, type StoredReason } from '../../i18n/said';
import { createLogger } from '../../log';
import { updateItem } from '../../storage/casUpdate';
import type { DurableStorage } from '../../storage/types';
import { sameId } from '../../identity';
import { tooBusy } from '../store/requestIndexes';
import { isAwaitingDecision } from '../stateMachine';
import type { TapRequest, VelocityLimits } from '../types';

const log = createLogger('flow.limits');

const HOUR_IN_MS = 60 * 60_000;
const DAY_IN_MS = 24 * HOUR_IN_MS;
const RETRIES = 10;

export type LimitName = keyof VelocityLimits;

/** Stamps of counted events inside the window (ISO instants), oldest first. */
interface StampsDoc {
  at: string[];
}

/** Requests waiting on one approver, with their approval deadlines. */
interface WaitingDoc {
  waiting: Array<{ id: string; expiresAt: string }>;
}

const agentKey = (id: string): string => `limits/agent-requests/${encodeURIComponent(id)}`;
const approverKey = (id: string): string => `limits/approver-waiting/${encodeURIComponent(id)}`;
const targetKey = (id: string): string => `limits/target-passes/${encodeURIComponent(id)}`;

/** A limit was reached: the message names the limit, when it resets, and whom to ask. */
export class LimitReachedError extends FlowError {
  constructor(
    readonly limit: LimitName,
    readonly max: number,
    readonly resetsAt: string | undefined,
    message: StoredReason,
  ) {
    super('limitReached', message);
  }
}

export class VelocityLimiter {
  constructor(
    private readonly storage: DurableStorage,
    private readonly limits: VelocityLimits,
  ) {}

  /** Counts one request by this agent, or throws when the hour's allowance is used up. */
  async countAgentRequest(agentId: string, now: Date): Promise<void> {
    const max = this.limits.requestsPerAgentPerHour;
    if (max <= 0) return;
    const since = now.getTime() - HOUR_IN_MS;
    let full: string[] | undefined;
    await this.cas<StampsDoc>(agentKey(agentId), (doc) => {
      const recent = (doc?.at ?? []).filter((t) => Date.parse(t) > since);
      if (recent.length >= max) {
        full = recent;
        return 'abort';
      }
      full = undefined;
      return { at: [...recent, now.toISOString()] };
    });
    if (full) {
      const resetsAt = new Date(Date.parse(full[0]!) + HOUR_IN_MS).toISOString();
      throw this.reached(
        'requestsPerAgentPerHour',
        max,
        resetsAt,
        said('agentHourlyLimit', { max, resetsAt }),
      );
    }
  }

  /**
   * Adds the request to each approver's waiting list, or throws when one of them already has
   * the most allowed waiting. `stillWaiting` re-reads listed requests: a decided one no longer counts.
   */
  async countWaitingApproval(request: TapRequest, now: Date, stillWaiting: (ids: string[]) => Promise<Set<string>>): Promise<void> {
    const max = this.limits.openApprovalsPerApprover;
    if (max <= 0) return;
    // Four eyes: the second approvers' waiting cards count too; they are the careful check.
    const people = [...request.approver.people, ...(request.secondApprover?.people ?? [])];
    for (const approverId of [...request.approver.ids, ...(request.secondApprover?.ids ?? [])]) {
      const key = approverKey(approverId);
      const listed = ((await this.storage.read([key]))[key] as WaitingDoc | undefined)?.waiting ?? [];
      const open = await stillWaiting(listed.filter((w) => Date.parse(w.expiresAt) > now.getTime()).map((w) => w.id));
      let full: WaitingDoc['waiting'] | undefined;
      await this.cas<WaitingDoc>(key, (doc) => {
        const waiting = (doc?.waiting ?? []).filter((w) => Date.parse(w.expiresAt) > now.getTime() && (open.has(w.id) || !listed.some((l) => l.id === w.id)));
        if (waiting.some((w) => w.id === request.id)) return undefined;
        if (waiting.length >= max) {
          full = waiting;
          return 'abort';
        }
        full = undefined;
        return { waiting: [...waiting, { id: request.id, expiresAt: request.expiresAt }] };
      });
      if (full) {
        const name = people.find((p) => sameId(p.id, approverId))?.displayName;
        const resetsAt = full.map((w) => w.expiresAt).sort()[0];
        throw this.reached(
          'openApprovalsPerApprover',
          max,
          resetsAt,
          said('approverQueueFull', { max, ...(name ? { who: name } : {}), ...(resetsAt ? { oldestExpiresAt: resetsAt } : {}) }),
        );
      }
    }
  }

  /** Throws when the person has had the most passes allowed in the last 24 hours (read only). */
  async assertPassAllowed(target: Pick<TapRequest['target'], 'id' | 'displayName'>, now: Date): Promise<void> {
    const max = this.limits.passesPerTargetPerDay;
    if (max <= 0) return;
    const key = targetKey(target.id);
    const since = now.getTime() - DAY_IN_MS;
    const recent = (((await this.storage.read([key]))[key] as StampsDoc | undefined)?.at ?? []).filter((t) => Date.parse(t) > since);
    if (recent.length >= max) {
      const resetsAt = new Date(Date.parse(recent[0]!) + DAY_IN_MS).toISOString();
      throw this.reached(
        'passesPerTargetPerDay',
        max,
        resetsAt,
        said('targetDailyLimit', { who: target.displayName, max, resetsAt }),
      );
    }
  }

  /** Counts a pass that was created (after Graph's answer, so a failed create does not count). */
  async countPass(targetId: string, now: Date): Promise<void> {
    if (this.limits.passesPerTargetPerDay <= 0) return;
    const since = now.getTime() - DAY_IN_MS;
    await this.cas<StampsDoc>(targetKey(targetId), (doc) => ({ at: [...(doc?.at ?? []).filter((t) => Date.parse(t) > since), now.toISOString()] }));
  }

  private reached(limit: LimitName, max: number, resetsAt: string | undefined, message: StoredReason): LimitReachedError {
    log.warn('velocity limit reached', { limit, max, resetsAt: resetsAt ?? null });
    return new LimitReachedError(limit, max, resetsAt, message);
  }

  private async cas<T extends object>(key: string, mutate: (doc: T | undefined) => T | undefined | 'abort'): Promise<void> {
    try {
      await updateItem<T>(this.storage, key, mutate, { retries: RETRIES });
    } catch (e) {
      if (e instanceof ConcurrencyError) throw tooBusy();
      throw e;
    }
  }
}

/** Ids of `requests` that still wait for a decision. */
export function waitingIds(requests: TapRequest[], now: Date): Set<string> {
  return new Set(requests.filter((r) => isAwaitingDecision(r, now)).map((r) => r.id));
}
