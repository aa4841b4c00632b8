/**
 * The dry run's storage: reads find nothing and every write throws, so "a dry run writes
 * nothing" holds by construction, not by care (the plan never needs storage).
 */
import type { DurableStorage, StoreItems } from '../storage/types';

export class NoWriteStorage implements DurableStorage {
  async read(): Promise<StoreItems> {
    return {};
  }
  async write(): Promise<void> {
    throw new Error('A dry run writes nothing.');
  }
  async delete(): Promise<void> {
    throw new Error('A dry run writes nothing.');
  }
}
