/**
 * Bulk requests in storage, split so that a wave writes only what it changed:
 *
 *   bulk/<id>                the request without its members (its head): state, decision,
 *                            pages, … and `memberChunks`, how many member documents follow;
 *   bulk/<id>/members/<k>    members k×25 … k×25+24 in the request's order (`{ members }`).
 *
 * A member never moves: the list is fixed when the request is stored, so its chunk is known
 * from its place. A wave (20 members, one or two chunks) changes those chunks, and the head
 * only for its result page; at 1,000 members the whole request was ~300 KB rewritten several
 * times a wave. Every reader goes through this file (holds.ts included): nothing else knows
 * the layout.
 *
 * Changes: on SQLite each change is one transaction (`updateAtomically`): head and chunks read
 * and written together, one commit, no race to lose. On blob storage (no transaction across
 * blobs) each document is its own compare-and-swap: the head first (a stop is stored before
 * the members it stops), then each chunk on its own. A member change sees the head as it is
 * (a wave marks members `sending` only while the request is Issuing), and a chunk's members
 * are changed only as they are stored (a member another writer has in hand is never sent).
 *
 * Every change of one process goes through a queue, so the engine's concurrent waves never
 * race each other; another instance (a cancel) is handled by the transaction or the
 * compare-and-swap retry. The process keeps the members it last read or wrote of each
 * request, so a wave's change returns the whole request without reading every chunk again.
 *
 * The layout before the split (one `bulk/<id>` with `members` in it) is still read; the first
 * change of such a request stores it split (a run in flight during an upgrade carries on).
 */
import { updateItem } from '../../storage/casUpdate';
import { ETAG_CREATE_ONLY, type DurableStorage, type StoreItems } from '../../storage/types';
import { ConcurrencyError } from '../../errors';
import { sameId } from '../../identity';
import { isOpenBulk, type BulkMember, type BulkRequest } from './types';

const bulkKey = (id: string): string => `bulk/${id}`;
const chunkKey = (id: string, k: number): string => `bulk/${id}/members/${String(k).padStart(4, '0')}`;
const OPEN_INDEX = 'bulk-index/open';
/** Members per stored chunk: a wave of 20 touches one or two. */
export const MEMBERS_PER_CHUNK = 25;
/** Requests whose members this process keeps (the runs it is issuing, in practice one or two). */
const KNOWN_REQUESTS = 8;
const RETRIES = 20;

/** The request without its members: what most steps read (state, settings, pages). */
export type BulkHead = Omit<BulkRequest, 'members'>;
/** As stored: the head, and how many member chunks follow it. */
type StoredHead = BulkHead & { memberChunks: number };
interface MemberChunk {
  members: BulkMember[];
}
type Stored<T> = T & { eTag?: string };

interface OpenIndex {
  ids: string[];
}

/** A change of some members: the member's next value, or undefined for "no change". Sees the head as stored (after the same step's head change). */
export type MemberChange = (member: BulkMember, head: BulkHead) => BulkMember | undefined;

export interface PartsChange {
  /** The head's next value, or undefined for "no change". */
  head?: (current: BulkHead) => BulkHead | undefined;
  /** Members to offer to `member`, by id. */
  ids?: Iterable<string>;
  member?: MemberChange;
}

export interface PartsChanged {
  /** The request after the change: head and changed chunks as stored, other members as this process last saw them. */
  bulk: BulkRequest;
  /** Members the change changed. */
  changed: Set<string>;
}

interface Known {
  head: BulkHead;
  chunks: BulkMember[][];
}

export class BulkRepository {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly storage: DurableStorage,
    private readonly clock: () => Date,
  ) {}

  /** The whole request, read fresh (head and every chunk). */
  async get(id: string): Promise<BulkRequest | undefined> {
    const whole = await readWhole(this.storage, id);
    if (whole && !whole.legacy) this.remember(id, whole.head, whole.chunks);
    return whole ? assemble(whole.head, whole.chunks) : undefined;
  }

  /** The request without its members, read fresh: one small document. */
  async head(id: string): Promise<BulkHead | undefined> {
    const stored = await readBulkHead(this.storage, id);
    if (!stored) return undefined;
    const { members: _m, memberChunks: _c, ...head } = stored as StoredHead & { members?: BulkMember[] };
    return head;
  }

  /** Stores a new request; false when the id is taken. */
  async create(bulk: BulkRequest): Promise<boolean> {
    const { head, chunks } = split(bulk);
    const chunkWrites: StoreItems = {};
    chunks.forEach((members, k) => (chunkWrites[chunkKey(bulk.id, k)] = { members, eTag: ETAG_CREATE_ONLY }));
    const headWrite = { [bulkKey(bulk.id)]: { ...head, eTag: ETAG_CREATE_ONLY } };
    try {
      if (this.storage.updateAtomically) await this.storage.updateAtomically(() => ({ ...chunkWrites, ...headWrite }));
      else {
        // The members first: a head is never stored before the chunks it counts.
        await this.storage.write(chunkWrites);
        await this.storage.write(headWrite);
      }
    } catch (e) {
      if (e instanceof ConcurrencyError) return false;
      throw e;
    }
    this.remember(bulk.id, stripHead(head), chunks);
    await this.index(bulk.id, true);
    return true;
  }

  /**
   * Changes the whole request (a state change, a stop with its members): reads every chunk.
   * `mutate` returns the next value, or undefined for "no change". Returns the stored
   * request after the change. Only the documents that changed are written.
   */
  update(id: string, mutate: (current: BulkRequest) => BulkRequest | undefined): Promise<BulkRequest> {
    return this.queued(async () => {
      const result = this.storage.updateAtomically ? await this.updateInOneStep(id, mutate) : await this.updateDocByDoc(id, mutate);
      if (result.changed) await this.unindexIfSettled(id, result.bulk);
      return result.bulk;
    });
  }

  /** Changes the head only (a page allocated, a page handed over). */
  async updateHead(id: string, head: (current: BulkHead) => BulkHead | undefined): Promise<BulkRequest> {
    return (await this.change(id, { head })).bulk;
  }

  /** Changes some members only: reads and writes their chunks (and the head, read, for `change` to see). */
  updateMembers(id: string, ids: Iterable<string>, member: MemberChange): Promise<PartsChanged> {
    return this.change(id, { ids, member });
  }

  /** The head and some members in one step (on SQLite one commit; on blobs the head first). */
  change(id: string, change: PartsChange): Promise<PartsChanged> {
    return this.queued(async () => {
      // A request this process has read or written split is split (the layout never goes back).
      if (!this.known.has(id)) await this.splitIfWhole(id);
      const result = this.storage.updateAtomically ? await this.changeInOneStep(id, change) : await this.changeDocByDoc(id, change);
      const changed = result.headChanged || result.changed.size > 0;
      const bulk = this.rememberChange(id, result.head, result.chunks) ?? (await this.get(id));
      if (!bulk) throw new Error(`Bulk request ${id} does not exist.`);
      if (changed) await this.unindexIfSettled(id, bulk);
      return { bulk, changed: result.changed };
    });
  }

  /** Requests the background job still looks after: open ones, and finished ones with codes still shown. */
  async openIds(): Promise<string[]> {
    const item = (await this.storage.read([OPEN_INDEX]))[OPEN_INDEX] as OpenIndex | undefined;
    return item?.ids ?? [];
  }

  private queued<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  // ---- whole-request changes ----

  private async updateInOneStep(id: string, mutate: (current: BulkRequest) => BulkRequest | undefined): Promise<{ bulk: BulkRequest; changed: boolean }> {
    const step = this.storage.updateAtomically!.bind(this.storage);
    let out: { bulk: BulkRequest; changed: boolean; head: BulkHead; chunks: BulkMember[][]; legacy: boolean } | undefined;
    await step((read) => {
      const whole = readWholeNow(read, id);
      if (!whole) throw new Error(`Bulk request ${id} does not exist.`);
      const current = assemble(whole.head, whole.chunks);
      const next = mutate(current);
      if (!next) {
        out = { bulk: current, changed: false, head: whole.head, chunks: whole.chunks, legacy: whole.legacy };
        return {};
      }
      const stamped = { ...next, updatedAt: this.clock().toISOString() };
      const parts = split(stamped);
      out = { bulk: stamped, changed: true, head: stripHead(parts.head), chunks: parts.chunks, legacy: false };
      // Unconditional inside the transaction: nobody writes between its reads and writes.
      return changedParts(id, whole.legacy ? undefined : whole, parts, () => undefined);
    });
    if (!out!.legacy) this.remember(id, out!.head, out!.chunks);
    return { bulk: out!.bulk, changed: out!.changed };
  }

  private async updateDocByDoc(id: string, mutate: (current: BulkRequest) => BulkRequest | undefined): Promise<{ bulk: BulkRequest; changed: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const whole = await readWhole(this.storage, id);
      if (!whole) throw new Error(`Bulk request ${id} does not exist.`);
      const current = assemble(whole.head, whole.chunks);
      const next = mutate(current);
      if (!next) {
        if (!whole.legacy) this.remember(id, whole.head, whole.chunks);
        return { bulk: current, changed: false };
      }
      const stamped = { ...next, updatedAt: this.clock().toISOString() };
      const parts = split(stamped);
      try {
        await this.writeParts(id, whole, parts);
      } catch (e) {
        if (!(e instanceof ConcurrencyError) || attempt >= RETRIES) throw e;
        await pause(attempt);
        continue;
      }
      this.remember(id, stripHead(parts.head), parts.chunks);
      return { bulk: stamped, changed: true };
    }
  }

  /**
   * Blob storage: each document its own compare-and-swap. The head first, so a stop is
   * stored before the members it settles; a request in the old layout is split (its chunks
   * are nobody's yet: written as they are, then the head moves over by compare-and-swap).
   */
  private async writeParts(id: string, whole: StoredWhole, parts: { head: StoredHead; chunks: BulkMember[][] }): Promise<void> {
    const headETag = whole.headETag;
    if (whole.legacy) {
      await this.storage.write(Object.fromEntries(parts.chunks.map((members, k) => [chunkKey(id, k), { members }])));
      await this.storage.write({ [bulkKey(id)]: { ...parts.head, eTag: headETag } });
      return;
    }
    const writes = changedParts(id, whole, parts, (key) => whole.eTags.get(key));
    const headWrite = writes[bulkKey(id)] as object | undefined;
    if (headWrite) await this.storage.write({ [bulkKey(id)]: headWrite });
    delete writes[bulkKey(id)];
    if (Object.keys(writes).length > 0) await this.storage.write(writes);
  }

  // ---- head and member changes ----

  private async changeInOneStep(id: string, change: PartsChange): Promise<StepResult> {
    const step = this.storage.updateAtomically!.bind(this.storage);
    const positions = this.positionsOf(id);
    let out: StepResult | undefined;
    await step((read) => {
      const stored = read([bulkKey(id)])[bulkKey(id)] as Stored<StoredHead> | undefined;
      if (!stored) throw new Error(`Bulk request ${id} does not exist.`);
      const { eTag: _e, ...storedHead } = stored;
      if (isWhole(storedHead)) throw new Error(`Bulk request ${id} is stored in the layout before the split.`);
      const head = stripHead(storedHead);
      const changedHead = change.head?.(head);
      const nextHead = changedHead ? { ...changedHead, updatedAt: this.clock().toISOString() } : undefined;
      const headNow = nextHead ?? head;
      const writes: StoreItems = {};
      if (nextHead) writes[bulkKey(id)] = { ...nextHead, memberChunks: storedHead.memberChunks };
      const chunks = new Map<number, BulkMember[]>();
      const changed = new Set<string>();
      const ids = new Set(change.ids ?? []);
      if (ids.size > 0 && change.member) {
        const wanted = chunksHolding(ids, positions, storedHead.memberChunks);
        const items = read(wanted.map((k) => chunkKey(id, k)));
        for (const k of wanted) {
          const chunk = items[chunkKey(id, k)] as Stored<MemberChunk> | undefined;
          if (!chunk) throw new Error(`Bulk request ${id} lacks its member chunk ${k}.`);
          const next = changeChunk(chunk.members, ids, headNow, change.member, changed);
          chunks.set(k, next ?? chunk.members);
          if (next) writes[chunkKey(id, k)] = { members: next };
        }
      }
      out = { head: headNow, headChanged: nextHead !== undefined, chunks, changed };
      return writes;
    });
    return out!;
  }

  private async changeDocByDoc(id: string, change: PartsChange): Promise<StepResult> {
    let headChanged = false;
    let memberChunks = 0;
    const storedHead = await updateItem<StoredHead>(
      this.storage,
      bulkKey(id),
      (current) => {
        if (!current) return 'abort';
        if (isWhole(current)) throw new Error(`Bulk request ${id} is stored in the layout before the split.`);
        memberChunks = current.memberChunks;
        const next = change.head?.(stripHead(current));
        headChanged = next !== undefined;
        return next ? { ...next, memberChunks: current.memberChunks, updatedAt: this.clock().toISOString() } : undefined;
      },
      { retries: RETRIES },
    );
    if (!storedHead) throw new Error(`Bulk request ${id} does not exist.`);
    const { eTag: _e, ...headNow } = storedHead;
    const head = stripHead(headNow);
    const chunks = new Map<number, BulkMember[]>();
    const changed = new Set<string>();
    const ids = new Set(change.ids ?? []);
    const member = change.member;
    if (ids.size > 0 && member) {
      const wanted = chunksHolding(ids, this.positionsOf(id), memberChunks);
      await Promise.all(
        wanted.map(async (k) => {
          // Each chunk its own compare-and-swap: what it changed is counted from its last (stored) attempt.
          let changedHere = new Set<string>();
          const stored = await updateItem<MemberChunk>(
            this.storage,
            chunkKey(id, k),
            (chunk) => {
              if (!chunk) throw new Error(`Bulk request ${id} lacks its member chunk ${k}.`);
              changedHere = new Set();
              const next = changeChunk(chunk.members, ids, head, member, changedHere);
              return next ? { members: next } : undefined;
            },
            { retries: RETRIES },
          );
          for (const m of changedHere) changed.add(m);
          if (stored) chunks.set(k, stored.members);
        }),
      );
    }
    return { head, headChanged, chunks, changed };
  }

  /** A request stored in the layout before the split is split before its first change. */
  private async splitIfWhole(id: string): Promise<void> {
    const stored = (await this.storage.read([bulkKey(id)]))[bulkKey(id)] as object | undefined;
    if (!stored || !isWhole(stored)) return;
    if (this.storage.updateAtomically) await this.updateInOneStep(id, (b) => b);
    else await this.updateDocByDoc(id, (b) => b);
  }

  /** Where each member is (fixed when the request was stored); undefined when this process has not read the request. */
  private positionsOf(id: string): Map<string, number> | undefined {
    const known = this.known.get(id);
    if (!known) return undefined;
    const positions = new Map<string, number>();
    known.chunks.forEach((members, k) => members.forEach((m) => positions.set(m.id, k)));
    return positions;
  }

  private remember(id: string, head: BulkHead, chunks: BulkMember[][]): void {
    this.known.delete(id);
    this.known.set(id, { head, chunks: [...chunks] });
    while (this.known.size > KNOWN_REQUESTS) this.known.delete(this.known.keys().next().value as string);
  }

  /** The step's head and chunks over what this process knew; undefined when it knew nothing of the request. */
  private rememberChange(id: string, head: BulkHead, chunks: Map<number, BulkMember[]>): BulkRequest | undefined {
    const known = this.known.get(id);
    if (!known) return undefined;
    const all = [...known.chunks];
    for (const [k, members] of chunks) all[k] = members;
    this.remember(id, head, all);
    return assemble(head, all);
  }

  /** Out of the background job's list once nothing is left to look after (read whole and fresh: only after a request stopped). */
  private async unindexIfSettled(id: string, bulk: BulkRequest): Promise<void> {
    if (needsSweep(bulk)) return;
    const fresh = await readWhole(this.storage, id);
    if (fresh && needsSweep(assemble(fresh.head, fresh.chunks))) return;
    await this.index(id, false);
  }

  private async index(id: string, open: boolean): Promise<void> {
    await updateItem<OpenIndex>(
      this.storage,
      OPEN_INDEX,
      (current) => {
        const ids = current?.ids ?? [];
        if (open === ids.includes(id)) return undefined;
        return { ids: open ? [...ids, id] : ids.filter((x) => x !== id) };
      },
      { retries: RETRIES },
    );
  }
}

interface StepResult {
  head: BulkHead;
  headChanged: boolean;
  /** The chunks the step read, by number, as stored after it. */
  chunks: Map<number, BulkMember[]>;
  changed: Set<string>;
}

interface StoredWhole {
  head: BulkHead;
  chunks: BulkMember[][];
  /** Stored in the layout before the split: one document, members in it. */
  legacy: boolean;
  headETag: string | undefined;
  eTags: Map<string, string | undefined>;
  /** The stored chunks' JSON, to write only those that changed. */
  stored: Map<string, string>;
}

/** The stored head of a request (either layout), without its eTag. */
export async function readBulkHead(storage: DurableStorage, id: string): Promise<StoredHead | undefined> {
  const stored = (await storage.read([bulkKey(id)]))[bulkKey(id)] as Stored<StoredHead> | undefined;
  if (!stored) return undefined;
  const { eTag: _e, ...head } = stored;
  return head;
}

/** One member of a stored request (either layout): its head, then its chunks. */
export async function readBulkMember(storage: DurableStorage, id: string, head: StoredHead, memberId: string): Promise<BulkMember | undefined> {
  if (isWhole(head)) return head.members.find((m) => sameId(m.id, memberId));
  const keys = Array.from({ length: head.memberChunks }, (_, k) => chunkKey(id, k));
  const items = await storage.read(keys);
  for (const key of keys) {
    const found = (items[key] as MemberChunk | undefined)?.members.find((m) => sameId(m.id, memberId));
    if (found) return found;
  }
  return undefined;
}

async function readWhole(storage: DurableStorage, id: string): Promise<StoredWhole | undefined> {
  const stored = (await storage.read([bulkKey(id)]))[bulkKey(id)] as StoreItems | undefined;
  if (!stored) return undefined;
  const chunks = isWhole(stored) ? {} : await storage.read(Array.from({ length: (stored as StoredHead).memberChunks }, (_, k) => chunkKey(id, k)));
  return wholeOf(id, stored, chunks);
}

function readWholeNow(read: (keys: string[]) => StoreItems, id: string): StoredWhole | undefined {
  const stored = read([bulkKey(id)])[bulkKey(id)] as StoreItems | undefined;
  if (!stored) return undefined;
  const chunks = isWhole(stored) ? {} : read(Array.from({ length: (stored as StoredHead).memberChunks }, (_, k) => chunkKey(id, k)));
  return wholeOf(id, stored, chunks);
}

function wholeOf(id: string, stored: StoreItems, items: StoreItems): StoredWhole {
  const { eTag: headETag, ...raw } = stored as Stored<StoredHead & { members?: BulkMember[] }>;
  if (Array.isArray(raw.members)) {
    const { members, ...head } = raw;
    return { head: stripHead(head as StoredHead), chunks: chunk(members), legacy: true, headETag, eTags: new Map(), stored: new Map() };
  }
  const chunks: BulkMember[][] = [];
  const eTags = new Map<string, string | undefined>();
  const json = new Map<string, string>();
  for (let k = 0; k < raw.memberChunks; k++) {
    const item = items[chunkKey(id, k)] as Stored<MemberChunk> | undefined;
    if (!item) throw new Error(`Bulk request ${id} lacks its member chunk ${k}.`);
    chunks.push(item.members);
    eTags.set(chunkKey(id, k), item.eTag);
    json.set(chunkKey(id, k), JSON.stringify(item.members));
  }
  return { head: stripHead(raw), chunks, legacy: false, headETag, eTags, stored: json };
}

/** The documents of `next` that differ from `stored` (all of them when nothing is stored split yet), with the eTag each is written on. */
function changedParts(id: string, stored: StoredWhole | undefined, next: { head: StoredHead; chunks: BulkMember[][] }, eTagOf: (key: string) => string | undefined): StoreItems {
  const writes: StoreItems = {};
  next.chunks.forEach((members, k) => {
    const key = chunkKey(id, k);
    if (stored && stored.stored.get(key) === JSON.stringify(members)) return;
    writes[key] = { members, ...(stored ? { eTag: eTagOf(key) } : {}) };
  });
  writes[bulkKey(id)] = { ...next.head, ...(stored ? { eTag: stored.headETag } : {}) };
  return writes;
}

function changeChunk(members: BulkMember[], ids: Set<string>, head: BulkHead, change: MemberChange, changed: Set<string>): BulkMember[] | undefined {
  let any = false;
  const next = members.map((m) => {
    if (!ids.has(m.id)) return m;
    const after = change(m, head);
    if (!after) return m;
    any = true;
    changed.add(m.id);
    return after;
  });
  return any ? next : undefined;
}

/** The chunks holding these members; every chunk when their places are not known here. */
function chunksHolding(ids: Set<string>, positions: Map<string, number> | undefined, memberChunks: number): number[] {
  const all = Array.from({ length: memberChunks }, (_, k) => k);
  if (!positions) return all;
  const wanted = new Set<number>();
  for (const id of ids) {
    const k = positions.get(id);
    if (k === undefined) return all;
    wanted.add(k);
  }
  return [...wanted].sort((a, b) => a - b);
}

/** Stored in the layout before the split: one document with the members in it. */
function isWhole(stored: object): stored is BulkRequest {
  return Array.isArray((stored as { members?: unknown }).members);
}

function split(bulk: BulkRequest): { head: StoredHead; chunks: BulkMember[][] } {
  const { members, ...head } = bulk;
  const chunks = chunk(members);
  return { head: { ...head, memberChunks: chunks.length }, chunks };
}

function chunk(members: BulkMember[]): BulkMember[][] {
  const chunks: BulkMember[][] = [];
  for (let i = 0; i < members.length; i += MEMBERS_PER_CHUNK) chunks.push(members.slice(i, i + MEMBERS_PER_CHUNK));
  return chunks;
}

function stripHead(stored: StoredHead | BulkHead): BulkHead {
  const { memberChunks: _c, ...head } = stored as StoredHead;
  return head;
}

function assemble(head: BulkHead, chunks: BulkMember[][]): BulkRequest {
  return { ...head, members: chunks.flat() };
}

function pause(attempt: number): Promise<void> {
  // Random, so that two losers do not collide again in lockstep.
  return new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
}

function needsSweep(b: BulkRequest): boolean {
  return isOpenBulk(b) || b.pages.some((p) => p.deliveredAt !== '' && !p.codesHidden) || b.members.some((m) => m.state === 'sending' || m.state === 'created');
}
