/**
 * Bulk requests in storage: one document per request (`bulk/<id>`, members included: a few
 * hundred KB at most) changed by compare-and-swap, and one small index of open requests
 * that the background job walks. Every change of one process goes through a queue, so the
 * engine's concurrent waves never race each other; another instance (a cancel) is handled
 * by the compare-and-swap retry.
 */
import { updateItem } from '../../storage/casUpdate';
import { ETAG_CREATE_ONLY, type DurableStorage } from '../../storage/types';
import { ConcurrencyError } from '../../errors';
import { isOpenBulk, type BulkRequest } from './types';

export const bulkKey = (id: string): string => `bulk/${id}`;
const OPEN_INDEX = 'bulk-index/open';

interface OpenIndex {
  ids: string[];
}

export class BulkRepository {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: DurableStorage,
    private readonly clock: () => Date,
  ) {}

  async get(id: string): Promise<BulkRequest | undefined> {
    const key = bulkKey(id);
    const item = (await this.storage.read([key]))[key] as (BulkRequest & { eTag?: string }) | undefined;
    if (!item) return undefined;
    const { eTag: _e, ...bulk } = item;
    return bulk as BulkRequest;
  }

  /** Stores a new request; false when the id is taken. */
  async create(bulk: BulkRequest): Promise<boolean> {
    try {
      await this.storage.write({ [bulkKey(bulk.id)]: { ...bulk, eTag: ETAG_CREATE_ONLY } });
    } catch (e) {
      if (e instanceof ConcurrencyError) return false;
      throw e;
    }
    await this.index(bulk.id, true);
    return true;
  }

  /**
   * Changes the request; `mutate` returns the next value, or undefined for "no change".
   * Returns the stored request after the change.
   */
  update(id: string, mutate: (current: BulkRequest) => BulkRequest | undefined): Promise<BulkRequest> {
    const run = async (): Promise<BulkRequest> => {
      let changed = false;
      const stored = await updateItem<BulkRequest>(
        this.storage,
        bulkKey(id),
        (current) => {
          if (!current) return 'abort';
          const next = mutate(current);
          changed = next !== undefined;
          return next ? { ...next, updatedAt: this.clock().toISOString() } : undefined;
        },
        { retries: 20 },
      );
      if (!stored) throw new Error(`Bulk request ${id} does not exist.`);
      const { eTag: _e, ...bulk } = stored;
      if (changed && !needsSweep(bulk as BulkRequest)) await this.index(id, false);
      return bulk as BulkRequest;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Requests the background job still looks after: open ones, and finished ones with codes still shown. */
  async openIds(): Promise<string[]> {
    const item = (await this.storage.read([OPEN_INDEX]))[OPEN_INDEX] as OpenIndex | undefined;
    return item?.ids ?? [];
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
      { retries: 20 },
    );
  }
}

function needsSweep(b: BulkRequest): boolean {
  return isOpenBulk(b) || b.pages.some((p) => p.deliveredAt !== '' && !p.codesHidden) || b.members.some((m) => m.state === 'sending' || m.state === 'created');
}
