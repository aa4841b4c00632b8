/**
 * Small index documents next to the requests, each updated by ETag compare-and-swap so
 * concurrent writers never drop each other's entries. They are hints: whoever reads an
 * entry re-reads the request itself before acting on it.
 *
 * They are hot spots: every new request touches the open-request list and the requester's
 * and approver's lists, and one busy agent or one fallback approver group puts every request
 * on the same document. So changes to one document are grouped per instance: while one
 * compare-and-swap of a key is in flight, later changes to that key queue up and go in
 * together in the next one. At most one writer per instance races for a key, and a burst of
 * requests costs one write per document, not one per request (bench/hotspots.ts measures it).
 */
import { ConcurrencyError, FlowError } from '../../errors';
import { said } from '../../i18n/said';
import { changeOfEntries, readEntries, updateItem, withEntry, withoutEntry, type EntriesChange, type EntriesDoc } from '../../storage/casUpdate';
import type { DurableStorage } from '../../storage/types';

/** Requests still in flight, with their approval deadline (the expiry sweep reads this). */
export interface OpenEntry {
  id: string;
  expiresAt: string;
}

/** Delivered passes whose code is still shown on a card, with the pass's expiry. */
export interface VisiblePassEntry {
  id: string;
  expiresDateTime: string;
}

interface RecentDoc {
  ids: string[];
}

const OPEN_KEY = 'index/open-requests';
const VISIBLE_PASSES_KEY = 'index/visible-passes';
const RECENT_CAP = 50;
// Index documents see more contention than one request (every create touches them), and
// a lost race on blob storage costs a round trip of tens of ms: pauses sized to that, so the
// losers of one round do not all meet again in the next.
const RETRIES = 10;
const BACKOFF_IN_MS = 20;

const requesterKey = (userId: string): string => `index/requester/${encodeURIComponent(userId)}`;
const targetKey = (userId: string): string => `index/target/${encodeURIComponent(userId)}`;
const approverKey = (userId: string): string => `index/approver/${encodeURIComponent(userId)}`;

export class RequestIndexes {
  private readonly commits: GroupedCommits;

  constructor(private readonly storage: DurableStorage) {
    this.commits = new GroupedCommits(storage);
  }

  /** One change of a step, through the per-document group commit. */
  apply(c: IndexChange): Promise<void> {
    return this.commits.apply(c.key, c.change);
  }

  addOpen(entry: OpenEntry): Promise<void> {
    return this.commitEntries(OPEN_KEY, withEntry(entry));
  }

  removeOpen(id: string): Promise<void> {
    return this.commitEntries(OPEN_KEY, withoutEntry<OpenEntry>(id));
  }

  async openEntries(): Promise<OpenEntry[]> {
    return readEntries<OpenEntry>(this.storage, OPEN_KEY);
  }

  addVisiblePass(entry: VisiblePassEntry): Promise<void> {
    return this.commitEntries(VISIBLE_PASSES_KEY, withEntry(entry));
  }

  removeVisiblePass(id: string): Promise<void> {
    return this.commitEntries(VISIBLE_PASSES_KEY, withoutEntry<VisiblePassEntry>(id));
  }

  visiblePasses(): Promise<VisiblePassEntry[]> {
    return readEntries<VisiblePassEntry>(this.storage, VISIBLE_PASSES_KEY);
  }

  async addRecent(requestId: string, requesterId: string, targetId: string, approverIds: readonly string[] = [], options: { targetOnly?: boolean } = {}): Promise<void> {
    await Promise.all(recentChanges(requestId, requesterId, targetId, approverIds, options).map((c) => this.cas(c.key, c.change)));
  }

  /** Newest first: requests this person was asked to approve. */
  async recentByApprover(userId: string): Promise<string[]> {
    return this.readRecent(approverKey(userId));
  }

  /** Newest first. */
  async recentByRequester(userId: string): Promise<string[]> {
    return this.readRecent(requesterKey(userId));
  }

  /** Newest first. */
  async recentByTarget(userId: string): Promise<string[]> {
    return this.readRecent(targetKey(userId));
  }

  private async readRecent(key: string): Promise<string[]> {
    const doc = (await this.storage.read([key]))[key] as RecentDoc | undefined;
    return doc?.ids ?? [];
  }

  /** Through the group commit rather than updateEntries: every create touches these lists (see GroupedCommits). */
  private async commitEntries<T>(key: string, change: EntriesChange<T>): Promise<void> {
    await this.cas<EntriesDoc<T>>(key, changeOfEntries(change));
  }

  private cas<T extends object>(key: string, mutate: (current: T | undefined) => T | undefined): Promise<void> {
    return this.commits.apply(key, mutate);
  }
}

type Change = (current: object | undefined) => object | undefined;

/** One index document's part of a step: applied by compare-and-swap, or inside the step's transaction. */
export interface IndexChange {
  key: string;
  change: Change;
}

/** A new request on the open list (what the expiry sweep reads). */
export function openChange(entry: OpenEntry): IndexChange {
  return { key: OPEN_KEY, change: changeOfEntries(withEntry(entry)) as Change };
}

/** A finished request off the open list. */
export function closedChange(id: string): IndexChange {
  return { key: OPEN_KEY, change: changeOfEntries(withoutEntry<OpenEntry>(id)) as Change };
}

/** A new request first on its requester's, target's and approvers' lists (or only its target's). */
export function recentChanges(requestId: string, requesterId: string, targetId: string, approverIds: readonly string[] = [], options: { targetOnly?: boolean } = {}): IndexChange[] {
  const keys = options.targetOnly ? [targetKey(targetId)] : [requesterKey(requesterId), targetKey(targetId), ...approverIds.map(approverKey)];
  // One approver listed twice (both lists) is one document and one change.
  return [...new Set(keys)].map((key) => ({ key, change: pushRecent(requestId) as Change }));
}

function pushRecent(requestId: string): (doc: RecentDoc | undefined) => RecentDoc | undefined {
  return (doc) => {
    const ids = doc?.ids ?? [];
    if (ids[0] === requestId) return undefined;
    return { ids: [requestId, ...ids.filter((i) => i !== requestId)].slice(0, RECENT_CAP) };
  };
}

interface QueuedChange {
  change: Change;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Per-key group commit: changes to a key made while a write of that key is in flight wait
 * and are applied, in the order they came, in one compare-and-swap. Each change still sees
 * the document as stored (changes are re-applied after a lost race), so nothing another
 * instance wrote is lost.
 */
class GroupedCommits {
  private readonly waiting = new Map<string, QueuedChange[]>();
  private readonly writing = new Set<string>();

  constructor(private readonly storage: DurableStorage) {}

  apply<T extends object>(key: string, change: (current: T | undefined) => T | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = this.waiting.get(key) ?? [];
      queue.push({ change: change as Change, resolve, reject });
      this.waiting.set(key, queue);
      if (!this.writing.has(key)) void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    this.writing.add(key);
    try {
      while ((this.waiting.get(key)?.length ?? 0) > 0) {
        const batch: QueuedChange[] = [];
        try {
          await updateItem<object>(
            this.storage,
            key,
            (current) => {
              // Changes that arrived while the previous attempt was out join this one.
              batch.push(...(this.waiting.get(key)?.splice(0) ?? []));
              let doc = current;
              let changed = false;
              for (const q of batch) {
                const next = q.change(doc);
                if (next !== undefined) {
                  doc = next;
                  changed = true;
                }
              }
              return changed ? doc : undefined;
            },
            { retries: RETRIES, backoffInMs: BACKOFF_IN_MS },
          );
          batch.forEach((q) => q.resolve());
        } catch (e) {
          // A failed read never reached the mutation: its waiting changes fail with it
          // (the store is down for them too) rather than looping.
          batch.push(...(this.waiting.get(key)?.splice(0) ?? []));
          const failure = e instanceof ConcurrencyError ? tooBusy() : e;
          batch.forEach((q) => q.reject(failure));
        }
      }
    } finally {
      this.writing.delete(key);
      if (this.waiting.get(key)?.length === 0) this.waiting.delete(key);
    }
  }
}

export function tooBusy(): FlowError {
  return new FlowError('concurrentUpdate', said('tooBusy'));
}
