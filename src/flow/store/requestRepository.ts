/**
 * Requests in durable storage under `request/<id>`. Every change is a compare-and-swap on
 * the stored record: the state is checked on what is stored at the moment of writing, so
 * of two concurrent approvals exactly one wins and the other sees the winner's record.
 */
import { ConcurrencyError, FlowError } from '../../errors';
import { said } from '../../i18n/said';
import { createLogger } from '../../log';
import { updateItem } from '../../storage/casUpdate';
import type { AuditStep } from '../../audit/types';
import { ETAG_CREATE_ONLY, type DurableStorage } from '../../storage/types';
import { RequestClosedError } from '../errors';
import { closedChange, openChange, recentChanges, RequestIndexes, tooBusy, type IndexChange } from './requestIndexes';
import { assertTransition, isTerminal } from '../stateMachine';
import type { RequestState, TapRequest } from '../types';

const log = createLogger('flow.repository');
const requestKey = (id: string): string => `request/${id}`;

export interface RequestRepositoryOptions {
  clock?: () => Date;
}

export class RequestRepository {
  readonly indexes: RequestIndexes;
  private readonly clock: () => Date;

  constructor(
    private readonly storage: DurableStorage,
    options: RequestRepositoryOptions = {},
  ) {
    this.indexes = new RequestIndexes(storage);
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Store a new request and index it. Resolves undefined when the id is already taken
   * (the caller draws another id).
   */
  create(request: TapRequest, andAlso?: AuditStep): Promise<TapRequest | undefined> {
    return this.store(request, recentChanges(request.id, request.requester.id, request.target.id, [...request.approver.ids, ...(request.secondApprover?.ids ?? [])]), andAlso);
  }

  /**
   * Store a bulk member's record: indexed by its target (status, history, the open-request
   * rule) and as open (the sweep's crash recovery), not on the requester's and approvers'
   * lists, which would fill with one line per member; the bulk request stands for them there.
   * Undefined when the id is taken.
   */
  createMember(request: TapRequest): Promise<TapRequest | undefined> {
    return this.store(request, recentChanges(request.id, request.requester.id, request.target.id, [], { targetOnly: true }));
  }

  /**
   * `andAlso` (the audit event of the creation) commits with the record when the store has
   * transactions; the caller knows it did when `andAlso` was called (see intake.ts).
   */
  private async store(request: TapRequest, recent: IndexChange[], andAlso?: AuditStep): Promise<TapRequest | undefined> {
    if (await this.get(request.id)) return undefined;
    const step = this.storage.updateAtomically?.bind(this.storage);
    if (step) return this.storeInOneCommit(request, recent, step, andAlso);
    // Index first: a crash between the two writes leaves a dangling index entry (the sweep
    // drops it), never a pending request the sweep cannot see.
    await this.indexes.addOpen({ id: request.id, expiresAt: request.expiresAt });
    const { eTag: _ignored, ...record } = request;
    let stored: TapRequest | undefined;
    try {
      stored = await updateItem<TapRequest>(this.storage, requestKey(request.id), (current) => (current ? 'abort' : record), { retries: 0 });
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
    }
    if (!stored) return undefined;
    await Promise.all(recent.map((c) => this.indexes.apply(c)));
    return stored;
  }

  /**
   * On a store with transactions: the record and its index entries in one commit, so there
   * is no crash between them to order for, and one durable write instead of five.
   */
  private async storeInOneCommit(
    request: TapRequest,
    recent: IndexChange[],
    step: NonNullable<DurableStorage['updateAtomically']>,
    andAlso?: AuditStep,
  ): Promise<TapRequest | undefined> {
    const { eTag: _ignored, ...record } = request;
    const key = requestKey(request.id);
    const changes = [openChange({ id: request.id, expiresAt: request.expiresAt }), ...recent];
    let created = false;
    const eTags = await step((read) => {
      const current = read([key, ...changes.map((c) => c.key)]);
      created = current[key] === undefined;
      if (!created) return {};
      const writes: Record<string, object> = { [key]: { ...record, eTag: ETAG_CREATE_ONLY } };
      for (const c of changes) {
        const next = c.change(withoutETag(current[c.key]));
        if (next !== undefined) writes[c.key] = next;
      }
      return andAlso ? { ...writes, ...andAlso(read) } : writes;
    });
    const eTag = eTags[key];
    return created && eTag ? ({ ...record, eTag } as TapRequest) : undefined;
  }

  async get(id: string): Promise<TapRequest | undefined> {
    const key = requestKey(id);
    return (await this.storage.read([key]))[key] as TapRequest | undefined;
  }

  /** Several requests in one read, in the order asked; missing ones are skipped. */
  async getMany(ids: string[]): Promise<TapRequest[]> {
    if (ids.length === 0) return [];
    const items = await this.storage.read(ids.map(requestKey));
    return ids.map((id) => items[requestKey(id)] as TapRequest | undefined).filter((r): r is TapRequest => r !== undefined);
  }

  /**
   * Atomically change a request that is (on storage, at write time) in one of
   * `expectedFrom`. `mutate` gets a copy of the stored record and returns the next one; it
   * may run more than once (after a lost race), so it must be free of side effects.
   * Throws FlowError requestNotFound, or RequestClosedError carrying the current record
   * when the state moved on.
   */
  async transition(
    id: string,
    expectedFrom: RequestState | readonly RequestState[],
    mutate: (current: TapRequest) => TapRequest,
  ): Promise<TapRequest> {
    const expected: readonly RequestState[] = typeof expectedFrom === 'string' ? [expectedFrom] : expectedFrom;
    const step = this.storage.updateAtomically?.bind(this.storage);
    if (step) return this.transitionInOneCommit(id, expected, mutate, step);
    let from: RequestState | undefined;
    let stored: TapRequest | undefined;
    try {
      stored = await updateItem<TapRequest>(this.storage, requestKey(id), (current) => {
        if (!current) throw requestNotFound(id);
        if (!expected.includes(current.state)) throw new RequestClosedError(current);
        from = current.state;
        const next = mutate(structuredClone(current));
        if (next.state !== current.state) assertTransition(current.state, next.state);
        return { ...next, id: current.id, updatedAt: this.clock().toISOString() };
      });
    } catch (e) {
      throw e instanceof ConcurrencyError ? tooBusy() : e;
    }
    if (!stored) throw requestNotFound(id);
    if (from && !isTerminal(from) && isTerminal(stored.state)) {
      await this.indexes.removeOpen(id).catch((e: unknown) => {
        // The sweep drops entries of finished requests, so this only costs a re-read later.
        log.warn('could not drop a finished request from the open index', { requestId: id, error: e });
      });
    }
    return stored;
  }

  /**
   * On a store with transactions: the same rules checked on the record as stored, and a
   * request that finishes leaves the open list in the same commit.
   */
  private async transitionInOneCommit(
    id: string,
    expected: readonly RequestState[],
    mutate: (current: TapRequest) => TapRequest,
    step: NonNullable<DurableStorage['updateAtomically']>,
  ): Promise<TapRequest> {
    const key = requestKey(id);
    let next: TapRequest | undefined;
    const eTags = await step((read) => {
      const current = withoutETag(read([key])[key]) as TapRequest | undefined;
      if (!current) throw requestNotFound(id);
      if (!expected.includes(current.state)) throw new RequestClosedError(current);
      const changed = mutate(structuredClone(current));
      if (changed.state !== current.state) assertTransition(current.state, changed.state);
      next = { ...(withoutETag(changed) as TapRequest), id: current.id, updatedAt: this.clock().toISOString() };
      const writes: Record<string, object> = { [key]: next };
      if (!isTerminal(current.state) && isTerminal(next.state)) {
        const closed = closedChange(id);
        const open = closed.change(withoutETag(read([closed.key])[closed.key]));
        if (open !== undefined) writes[closed.key] = open;
      }
      return writes;
    });
    const eTag = eTags[key];
    if (!next || !eTag) throw requestNotFound(id);
    return { ...next, eTag };
  }
}

export function requestNotFound(id: string): FlowError {
  return new FlowError('requestNotFound', said('requestNotFound', { id }));
}

function withoutETag(item: unknown): object | undefined {
  if (item === undefined || item === null) return undefined;
  const { eTag: _ignored, ...rest } = item as Record<string, unknown>;
  return rest;
}
