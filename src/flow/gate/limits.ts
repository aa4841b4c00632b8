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

  /**
   * Counts a new request against its approvers' waiting lists and its agent's hourly
   * allowance, or throws (the approvers' limit first) and counts nothing. On a store with
   * transactions every counter moves in one commit; elsewhere one compare-and-swap each.
   */
  async countRequest(request: TapRequest, agentId: string, now: Date, stillWaiting: (ids: string[]) => Promise<Set<string>>): Promise<void> {
    const step = this.storage.updateAtomically?.bind(this.storage);
    if (!step) {
      await this.countWaitingApproval(request, now, stillWaiting);
      await this.countAgentRequest(agentId, now);
      return;
    }
    const counters = [...(await this.waitingCounters(request, now, stillWaiting)), ...this.agentCounters(agentId, now)];
    let refusal: (() => LimitReachedError) | undefined;
    await step((read) => {
      const current = read(counters.map((c) => c.key));
      const writes: Record<string, object> = {};
      refusal = undefined;
      for (const c of counters) {
        const counted = c.count(withoutETag(current[c.key]));
        if ('refusal' in counted) {
          refusal = counted.refusal;
          return {};
        }
        if (counted.next) writes[c.key] = counted.next;
      }
      return writes;
    });
    if (refusal) throw refusal();
  }

  /** Counts one request by this agent, or throws when the hour's allowance is used up. */
  async countAgentRequest(agentId: string, now: Date): Promise<void> {
    for (const c of this.agentCounters(agentId, now)) await this.countOne(c);
  }

  /**
   * Adds the request to each approver's waiting list, or throws when one of them already has
   * the most allowed waiting. `stillWaiting` re-reads listed requests: a decided one no longer counts.
   */
  private async countWaitingApproval(request: TapRequest, now: Date, stillWaiting: (ids: string[]) => Promise<Set<string>>): Promise<void> {
    for (const c of await this.waitingCounters(request, now, stillWaiting)) await this.countOne(c);
  }

  private agentCounters(agentId: string, now: Date): Counter[] {
    const max = this.limits.requestsPerAgentPerHour;
    if (max <= 0) return [];
    const since = now.getTime() - HOUR_IN_MS;
    return [
      {
        key: agentKey(agentId),
        count: (stored) => {
          const recent = ((stored as StampsDoc | undefined)?.at ?? []).filter((t) => Date.parse(t) > since);
          if (recent.length >= max) {
            const resetsAt = new Date(Date.parse(recent[0]!) + HOUR_IN_MS).toISOString();
            return { refusal: () => this.reached('requestsPerAgentPerHour', max, resetsAt, said('agentHourlyLimit', { max, resetsAt })) };
          }
          return { next: { at: [...recent, now.toISOString()] } satisfies StampsDoc };
        },
      },
    ];
  }

  private async waitingCounters(request: TapRequest, now: Date, stillWaiting: (ids: string[]) => Promise<Set<string>>): Promise<Counter[]> {
    const max = this.limits.openApprovalsPerApprover;
    if (max <= 0) return [];
    // Four eyes: the second approvers' waiting cards count too; they are the careful check.
    const people = [...request.approver.people, ...(request.secondApprover?.people ?? [])];
    const approverIds = [...request.approver.ids, ...(request.secondApprover?.ids ?? [])];
    const keys = approverIds.map(approverKey);
    const stored = keys.length > 0 ? await this.storage.read(keys) : {};
    return Promise.all(
      approverIds.map(async (approverId): Promise<Counter> => {
        const key = approverKey(approverId);
        const listed = (stored[key] as WaitingDoc | undefined)?.waiting ?? [];
        const open = await stillWaiting(listed.filter((w) => Date.parse(w.expiresAt) > now.getTime()).map((w) => w.id));
        return {
          key,
          count: (current) => {
            const waiting = ((current as WaitingDoc | undefined)?.waiting ?? []).filter(
              (w) => Date.parse(w.expiresAt) > now.getTime() && (open.has(w.id) || !listed.some((l) => l.id === w.id)),
            );
            if (waiting.some((w) => w.id === request.id)) return {};
            if (waiting.length >= max) {
              const name = people.find((p) => sameId(p.id, approverId))?.displayName;
              const resetsAt = waiting.map((w) => w.expiresAt).sort()[0];
              return {
                refusal: () =>
                  this.reached(
                    'openApprovalsPerApprover',
                    max,
                    resetsAt,
                    said('approverQueueFull', { max, ...(name ? { who: name } : {}), ...(resetsAt ? { oldestExpiresAt: resetsAt } : {}) }),
                  ),
              };
            }
            return { next: { waiting: [...waiting, { id: request.id, expiresAt: request.expiresAt }] } satisfies WaitingDoc };
          },
        };
      }),
    );
  }

  /** One counter by compare-and-swap: counted, or the refusal thrown with nothing written. */
  private async countOne(c: Counter): Promise<void> {
    let refusal: (() => LimitReachedError) | undefined;
    await this.cas<object>(c.key, (doc) => {
      const counted = c.count(doc);
      refusal = 'refusal' in counted ? counted.refusal : undefined;
      return 'refusal' in counted ? 'abort' : counted.next;
    });
    if (refusal) throw refusal();
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

/**
 * One counter document's part of a check-and-count: from what is stored, the next document
 * (none when nothing changes) or the refusal. Pure, so it can run again after a lost race.
 */
interface Counter {
  key: string;
  count(stored: object | undefined): { next?: object } | { refusal: () => LimitReachedError };
}

function withoutETag(item: unknown): object | undefined {
  if (item === undefined || item === null) return undefined;
  const { eTag: _ignored, ...rest } = item as Record<string, unknown>;
  return rest;
}

/** Ids of `requests` that still wait for a decision. */
export function waitingIds(requests: TapRequest[], now: Date): Set<string> {
  return new Set(requests.filter((r) => isAwaitingDecision(r, now)).map((r) => r.id));
}
