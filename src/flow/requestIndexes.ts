/**
 * Small index documents next to the requests, each updated by ETag compare-and-swap so
 * concurrent writers never drop each other's entries. They are hints: whoever reads an
 * entry re-reads the request itself before acting on it.
 */
import { ConcurrencyError, FlowError } from '../errors';
import { updateItem, type Mutation } from '../storage/casUpdate';
import type { DurableStorage } from '../storage/types';

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

interface EntriesDoc<T> {
  entries: T[];
}

interface RecentDoc {
  ids: string[];
}

const OPEN_KEY = 'index/open-requests';
const VISIBLE_PASSES_KEY = 'index/visible-passes';
const RECENT_CAP = 50;
// Index documents see more contention than one request (every create touches them).
const RETRIES = 10;

const requesterKey = (userId: string): string => `index/requester/${encodeURIComponent(userId)}`;
const targetKey = (userId: string): string => `index/target/${encodeURIComponent(userId)}`;
const approverKey = (userId: string): string => `index/approver/${encodeURIComponent(userId)}`;

export class RequestIndexes {
  constructor(private readonly storage: DurableStorage) {}

  addOpen(entry: OpenEntry): Promise<void> {
    return this.updateEntries<OpenEntry>(OPEN_KEY, (entries) =>
      entries.some((e) => e.id === entry.id) ? undefined : [...entries, entry],
    );
  }

  removeOpen(id: string): Promise<void> {
    return this.removeEntry<OpenEntry>(OPEN_KEY, id);
  }

  async openEntries(): Promise<OpenEntry[]> {
    return this.readEntries<OpenEntry>(OPEN_KEY);
  }

  addVisiblePass(entry: VisiblePassEntry): Promise<void> {
    return this.updateEntries<VisiblePassEntry>(VISIBLE_PASSES_KEY, (entries) =>
      entries.some((e) => e.id === entry.id) ? undefined : [...entries, entry],
    );
  }

  removeVisiblePass(id: string): Promise<void> {
    return this.removeEntry<VisiblePassEntry>(VISIBLE_PASSES_KEY, id);
  }

  visiblePasses(): Promise<VisiblePassEntry[]> {
    return this.readEntries<VisiblePassEntry>(VISIBLE_PASSES_KEY);
  }

  async addRecent(requestId: string, requesterId: string, targetId: string, approverIds: readonly string[] = []): Promise<void> {
    await Promise.all([
      this.pushRecent(requesterKey(requesterId), requestId),
      this.pushRecent(targetKey(targetId), requestId),
      ...approverIds.map((id) => this.pushRecent(approverKey(id), requestId)),
    ]);
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

  private async readEntries<T>(key: string): Promise<T[]> {
    const doc = (await this.storage.read([key]))[key] as EntriesDoc<T> | undefined;
    return doc?.entries ?? [];
  }

  private async readRecent(key: string): Promise<string[]> {
    const doc = (await this.storage.read([key]))[key] as RecentDoc | undefined;
    return doc?.ids ?? [];
  }

  private removeEntry<T extends { id: string }>(key: string, id: string): Promise<void> {
    return this.updateEntries<T>(key, (entries) =>
      entries.some((e) => e.id === id) ? entries.filter((e) => e.id !== id) : undefined,
    );
  }

  private async updateEntries<T>(key: string, change: (entries: T[]) => T[] | undefined): Promise<void> {
    await this.cas<EntriesDoc<T>>(key, (doc) => {
      const next = change(doc?.entries ?? []);
      return next === undefined ? undefined : { entries: next };
    });
  }

  private async pushRecent(key: string, requestId: string): Promise<void> {
    await this.cas<RecentDoc>(key, (doc) => {
      const ids = doc?.ids ?? [];
      if (ids[0] === requestId) return undefined;
      return { ids: [requestId, ...ids.filter((i) => i !== requestId)].slice(0, RECENT_CAP) };
    });
  }

  private async cas<T extends object>(key: string, mutate: (current: T | undefined) => Mutation<T>): Promise<void> {
    try {
      await updateItem<T>(this.storage, key, mutate, { retries: RETRIES });
    } catch (e) {
      throw e instanceof ConcurrencyError ? tooBusy() : e;
    }
  }
}

export function tooBusy(): FlowError {
  return new FlowError('concurrentUpdate', 'Too many changes arrived at the same moment; please try again.');
}
