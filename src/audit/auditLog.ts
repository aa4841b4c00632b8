/**
 * The audit trail: a hash chain of events (format in ./chain.ts) on any DurableStorage.
 * Event #n lives at `audit-chain/event/<n, 12 digits>`; `audit-chain/head` holds the seq
 * and hash of the last one. Keys derived from the seq let recent() and the export find
 * events on blob storage, which cannot list keys cheaply.
 *
 * The rule that keeps concurrent writers (several bot instances on one store) on one
 * chain: a writer reads the head (#n), writes event #n+1 with prevHash = head.hash
 * create-only, so of two writers racing for #n+1 exactly one succeeds, then moves the
 * head to #n+1 by ETag compare-and-swap. The loser finds #n+1 taken: it adopts it, i.e.
 * checks that #n+1 follows the head it read (seq, prevHash, hash), moves the head on
 * itself and tries again at #n+2. The same adoption covers a writer that stopped between
 * its two writes, so the chain never forks; an event past the head that does not follow
 * it is refused (AuditChainError) rather than built on. A head write that loses its CAS
 * means another writer already adopted our event: nothing to do. Within one instance
 * records are queued, so only other instances contend.
 *
 * Stores written before the chain keep their events (`audit/<time>/<random>`, listed by
 * the `audit-index/…` pages): they are read as "before the chain started", oldest part
 * of recent() and the export, and the chain starts at #1 after them.
 *
 * Each event is also written as one structured log line (logger 'audit').
 */
import { ConcurrencyError } from '../errors';
import { createLogger } from '../log';
import { ETAG_CREATE_ONLY, type DurableStorage } from '../storage/types';
import { follows, GENESIS_HASH, linkEvent, verifyChain, type ChainedEvent, type ChainHead, type ChainLink, type ChainReport } from './chain';
import { findSecret, type SecretDetector } from './secretGuard';
import type { AuditEvent, AuditSink, AuditStep } from './types';

const log = createLogger('audit');

const HEAD_KEY = 'audit-chain/head';
const eventKey = (seq: number): string => `audit-chain/event/${String(seq).padStart(12, '0')}`;
/** Events read per storage call when walking the chain. */
const BATCH = 100;
/** Lost races before record() gives up; each loss means another instance wrote an event. */
const MAX_LOST_RACES = 100;

/** The layout before the chain: index pages listing event keys in append order. */
const LEGACY_HEAD_KEY = 'audit-index/head';
const legacyPageKey = (page: number): string => `audit-index/page/${String(page).padStart(8, '0')}`;

export interface AuditLogOptions {
  storage: DurableStorage;
  /** Extra check of every string in an event, e.g. "equals the TAP just issued". */
  secretDetector?: SecretDetector;
}

/** An event as read back: chained events carry their link, older ones do not. */
export type StoredAuditEvent = AuditEvent & Partial<ChainLink>;

/** An event was refused because it carries something secret-like. Never holds the value. */
export class AuditRefusedError extends Error {
  readonly code = 'auditRefused';
  constructor(
    readonly action: string,
    readonly field: string,
  ) {
    super(`Audit event "${action}" refused: field "${field}" looks like a secret.`);
    this.name = 'AuditRefusedError';
  }
}

/** The stored chain is not one this writer can extend without forking or hiding damage. */
export class AuditChainError extends Error {
  readonly code = 'auditChainBroken';
  constructor(message: string) {
    super(`${message} Run \`npm run audit -- --verify\`.`);
    this.name = 'AuditChainError';
  }
}

interface HeadRead {
  head: ChainHead;
  /** Undefined when no head is stored yet. */
  eTag: string | undefined;
}

export class AuditLog implements AuditSink {
  private readonly storage: DurableStorage;
  private readonly secretDetector: SecretDetector | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: AuditLogOptions) {
    this.storage = options.storage;
    this.secretDetector = options.secretDetector;
  }

  async record(event: AuditEvent): Promise<void> {
    const stored = this.checked(event);
    // The log line comes first: if storage is down, the event still leaves a trace.
    log.info('audit event', { ...stored });
    const appended = this.queue.then(() => this.append(stored));
    this.queue = appended.catch(() => undefined);
    await appended;
  }

  /**
   * Several events, chained in this order (a bulk wave's members). On a store with
   * transactions they and the head move in one commit; elsewhere one after another, as
   * record() would. Each is checked first: if one is refused, none is stored.
   */
  async recordMany(events: AuditEvent[]): Promise<void> {
    const stored = events.map((e) => this.checked(e));
    for (const e of stored) log.info('audit event', { ...e });
    const appended = this.queue.then(() => this.appendAll(stored));
    this.queue = appended.catch(() => undefined);
    await appended;
  }

  stepFor(event: AuditEvent): AuditStep | undefined {
    if (!this.storage.updateAtomically) return undefined;
    const stored = this.checked(event);
    return (read) => {
      const head = headAfterAdopting(read);
      const linked = linkEvent(stored, head.seq + 1, head.hash);
      // Logged when it is about to commit, not before: a create that finds its id taken writes no event.
      log.info('audit event', { ...stored });
      return { [eventKey(linked.seq)]: { ...linked, eTag: ETAG_CREATE_ONLY }, [HEAD_KEY]: { seq: linked.seq, hash: linked.hash } };
    };
  }

  private checked(event: AuditEvent): AuditEvent {
    const field = findSecret(event, this.secretDetector);
    if (field !== undefined) {
      log.warn('audit event refused: it carries a secret-like field', { action: String(event.action), field });
      throw new AuditRefusedError(String(event.action), field);
    }
    const at = new Date(event.at);
    if (Number.isNaN(at.getTime())) throw new TypeError(`Audit event "${event.action}" has an invalid time.`);
    if (![event.action, event.actorId, event.outcome].every((v) => typeof v === 'string' && v !== '')) {
      throw new TypeError('Audit event needs action, actorId and outcome.');
    }
    return copyKnownFields({ ...event, at: at.toISOString() });
  }

  /** Newest first. */
  async recent(limit: number): Promise<StoredAuditEvent[]> {
    const wanted = Math.max(0, Math.min(Math.floor(limit), 1000));
    if (wanted === 0) return [];
    const last = await this.lastSeq();
    const seqs: number[] = [];
    for (let seq = last; seq >= 1 && seqs.length < wanted; seq--) seqs.push(seq);
    const chained = await this.readChained(seqs);
    if (chained.length >= wanted) return chained;
    return [...chained, ...(await this.recentBeforeChain(wanted - chained.length))];
  }

  /** Every stored event, oldest first, one JSON document per line (for the admin). */
  async *exportJsonLines(): AsyncGenerator<string> {
    const pages = await this.legacyHeadPage();
    for (let p = 1; p <= pages; p++) {
      for (const event of await this.readLegacyEvents(await this.readLegacyPages([p]))) yield JSON.stringify(event);
    }
    const last = await this.lastSeq();
    for (let from = 1; from <= last; from += BATCH) {
      const seqs = Array.from({ length: Math.min(BATCH, last - from + 1) }, (_, i) => from + i);
      for (const event of await this.readChained(seqs)) yield JSON.stringify(event);
    }
  }

  /** Reads the whole chain and checks every link (see verifyChain). */
  async verify(): Promise<ChainReport> {
    const head = (await this.storage.read([HEAD_KEY]))[HEAD_KEY] as { seq?: unknown } | undefined;
    const headSeq = typeof head?.seq === 'number' && Number.isSafeInteger(head.seq) ? head.seq : 0;
    const events: unknown[] = [];
    for (let from = 1; from <= headSeq; from += BATCH) {
      const seqs = Array.from({ length: Math.min(BATCH, headSeq - from + 1) }, (_, i) => from + i);
      const items = await this.storage.read(seqs.map(eventKey));
      for (const seq of seqs) events.push(withoutETag(items[eventKey(seq)]));
    }
    // Past the head: normally nothing, one event after a writer stopped, more if the head was tampered with.
    for (let seq = headSeq + 1; ; seq++) {
      const stored = withoutETag((await this.storage.read([eventKey(seq)]))[eventKey(seq)]);
      if (stored === undefined) break;
      events[seq - 1] = stored;
    }
    const eventsBeforeChain = (await this.readLegacyPages(range(1, await this.legacyHeadPage()))).length;
    return verifyChain({ head: withoutETag(head), events, eventsBeforeChain });
  }

  private async append(event: AuditEvent): Promise<ChainedEvent> {
    const step = this.storage.updateAtomically?.bind(this.storage);
    if (step) return this.appendInOneCommit(event, step);
    for (let lost = 0; lost < MAX_LOST_RACES; ) {
      const { head, eTag } = await this.readHead();
      const linked = linkEvent(event, head.seq + 1, head.hash);
      try {
        await this.storage.write({ [eventKey(linked.seq)]: { ...linked, eTag: ETAG_CREATE_ONLY } });
      } catch (e) {
        if (!(e instanceof ConcurrencyError)) throw e;
        await this.adopt(head, eTag);
        lost++;
        // Random pause so that two instances do not collide again in lockstep.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(lost, 10)));
        continue;
      }
      await this.moveHead(eTag, linked);
      return linked;
    }
    throw new AuditChainError(`Audit event "${event.action}" could not be chained: too much contention.`);
  }

  /**
   * On a store with transactions: the event and the head move in one commit, with nobody in
   * between, so there is no race to lose and no moment with an event past the head. An
   * event past the head left by a writer on the two-write path is adopted first, by the
   * same rule as there.
   */
  private async appendInOneCommit(event: AuditEvent, step: NonNullable<DurableStorage['updateAtomically']>): Promise<ChainedEvent> {
    let linked: ChainedEvent | undefined;
    await step((read) => {
      const head = headAfterAdopting(read);
      linked = linkEvent(event, head.seq + 1, head.hash);
      const next: ChainHead = { seq: linked.seq, hash: linked.hash };
      return { [eventKey(linked.seq)]: { ...linked, eTag: ETAG_CREATE_ONLY }, [HEAD_KEY]: next };
    });
    return linked!;
  }

  /** Events in order: in one commit with the head where the store has transactions, else each as append() does. */
  private async appendAll(events: AuditEvent[]): Promise<void> {
    const step = this.storage.updateAtomically?.bind(this.storage);
    if (!step) {
      for (const e of events) await this.append(e);
      return;
    }
    if (events.length === 0) return;
    await step((read) => {
      let head = headAfterAdopting(read);
      const writes: Record<string, object> = {};
      for (const e of events) {
        const linked = linkEvent(e, head.seq + 1, head.hash);
        writes[eventKey(linked.seq)] = { ...linked, eTag: ETAG_CREATE_ONLY };
        head = { seq: linked.seq, hash: linked.hash };
      }
      writes[HEAD_KEY] = head;
      return writes;
    });
  }

  /** The event after `head` exists (another writer's, or a stopped writer's): move the head to it. */
  private async adopt(head: ChainHead, eTag: string | undefined): Promise<void> {
    const seq = head.seq + 1;
    const taken = withoutETag((await this.storage.read([eventKey(seq)]))[eventKey(seq)]);
    if (!follows(taken, head)) {
      log.error('audit chain: the stored event after the head does not follow it; refusing to fork', { seq });
      throw new AuditChainError(`Audit event #${seq} is stored but does not follow event #${head.seq}.`);
    }
    await this.moveHead(eTag, taken);
  }

  /** Compare-and-swap from the head read as `eTag`; losing means another writer moved it past `to` already. */
  private async moveHead(eTag: string | undefined, to: ChainedEvent): Promise<void> {
    const next: ChainHead = { seq: to.seq, hash: to.hash };
    try {
      await this.storage.write({ [HEAD_KEY]: { ...next, eTag: eTag ?? ETAG_CREATE_ONLY } });
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
    }
  }

  private async readHead(): Promise<HeadRead> {
    const stored = (await this.storage.read([HEAD_KEY]))[HEAD_KEY] as (ChainHead & { eTag: string }) | undefined;
    return { head: headOf(stored), eTag: stored?.eTag };
  }

  /** The head's seq, or one more when a stopped writer left an event past it. */
  private async lastSeq(): Promise<number> {
    const { head } = await this.readHead();
    const next = eventKey(head.seq + 1);
    return (await this.storage.read([next]))[next] ? head.seq + 1 : head.seq;
  }

  private async readChained(seqs: number[]): Promise<StoredAuditEvent[]> {
    if (seqs.length === 0) return [];
    const items = await this.storage.read(seqs.map(eventKey));
    return seqs.map((s) => items[eventKey(s)] as ChainedEvent | undefined).filter((e) => e !== undefined).map(copyStoredFields);
  }

  private async recentBeforeChain(wanted: number): Promise<StoredAuditEvent[]> {
    const keys: string[] = [];
    for (let p = await this.legacyHeadPage(); p >= 1 && keys.length < wanted; p--) keys.push(...(await this.readLegacyPages([p])));
    return this.readLegacyEvents(keys.sort().reverse().slice(0, wanted));
  }

  private async legacyHeadPage(): Promise<number> {
    const head = (await this.storage.read([LEGACY_HEAD_KEY]))[LEGACY_HEAD_KEY] as { page?: number } | undefined;
    // No head but a first page: the old layout created the head only when page 1 filled up.
    if (head?.page !== undefined) return head.page;
    return (await this.storage.read([legacyPageKey(1)]))[legacyPageKey(1)] ? 1 : 0;
  }

  private async readLegacyPages(pages: number[]): Promise<string[]> {
    if (pages.length === 0) return [];
    const items = await this.storage.read(pages.map(legacyPageKey));
    return pages.flatMap((p) => (items[legacyPageKey(p)] as { keys?: string[] } | undefined)?.keys ?? []);
  }

  private async readLegacyEvents(keys: string[]): Promise<StoredAuditEvent[]> {
    if (keys.length === 0) return [];
    const items = await this.storage.read(keys);
    return keys.filter((k) => items[k]).map((k) => copyKnownFields(items[k] as AuditEvent));
  }
}

/**
 * Inside a transaction: the head, moved past any event a writer on the two-write path left
 * after it (adopted by the same rule as there); refuses an event that does not follow.
 */
function headAfterAdopting(read: (keys: string[]) => Record<string, unknown>): ChainHead {
  let head = headOf(read([HEAD_KEY])[HEAD_KEY]);
  for (;;) {
    const taken = withoutETag(read([eventKey(head.seq + 1)])[eventKey(head.seq + 1)]);
    if (taken === undefined) return head;
    if (!follows(taken, head)) {
      log.error('audit chain: the stored event after the head does not follow it; refusing to fork', { seq: head.seq + 1 });
      throw new AuditChainError(`Audit event #${head.seq + 1} is stored but does not follow event #${head.seq}.`);
    }
    head = { seq: taken.seq, hash: taken.hash };
  }
}

/** The stored head as read (with or without its eTag); the start of the chain when none is stored. */
function headOf(stored: unknown): ChainHead {
  if (stored === undefined) return { seq: 0, hash: GENESIS_HASH };
  const head = stored as Partial<ChainHead> | null;
  if (!head || !Number.isSafeInteger(head.seq) || (head.seq as number) < 0 || typeof head.hash !== 'string') {
    throw new AuditChainError('The audit chain head is unreadable.');
  }
  return { seq: head.seq as number, hash: head.hash };
}

/** Only AuditEvent's own fields are stored or returned (and never a storage eTag). */
function copyKnownFields(e: AuditEvent): AuditEvent {
  return {
    at: e.at,
    action: e.action,
    actorId: e.actorId,
    ...(e.actorName !== undefined ? { actorName: e.actorName } : {}),
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
    ...(e.correlationId !== undefined ? { correlationId: e.correlationId } : {}),
    ...(e.targetId !== undefined ? { targetId: e.targetId } : {}),
    ...(e.targetUpn !== undefined ? { targetUpn: e.targetUpn } : {}),
    outcome: e.outcome,
    ...(e.details !== undefined ? { details: e.details } : {}),
  };
}

function copyStoredFields(e: ChainedEvent): StoredAuditEvent {
  return { ...copyKnownFields(e), seq: e.seq, prevHash: e.prevHash, hash: e.hash };
}

function withoutETag(item: unknown): unknown {
  if (item === null || typeof item !== 'object') return item;
  const { eTag: _ignored, ...rest } = item as Record<string, unknown>;
  return rest;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
