/**
 * The dry run's storage: reads go to the bot's storage (the open requests, earlier passes and
 * limits the real run will meet, so the plan says what the run would do), and every write
 * throws, so "a dry run writes nothing" holds by construction, not by care. Without a store to
 * read (none made yet), reads find nothing.
 */
import type { DurableStorage, StoreItems } from '../storage/types';

export class NoWriteStorage implements DurableStorage {
  constructor(private readonly readFrom?: DurableStorage & { close?: () => Promise<void> }) {}

  async read(keys: string[]): Promise<StoreItems> {
    return this.readFrom ? this.readFrom.read(keys) : {};
  }
  async write(): Promise<void> {
    throw new Error('A dry run writes nothing.');
  }
  async delete(): Promise<void> {
    throw new Error('A dry run writes nothing.');
  }
  async close(): Promise<void> {
    await this.readFrom?.close?.();
  }
}
