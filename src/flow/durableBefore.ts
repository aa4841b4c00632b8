/**
 * The durability rule, in one place (docs/operations.md, "Durability: which writes guard a
 * pass"): no pass is made in Entra and no code is shown until every write before it would
 * survive a power cut. The writes that guard them ("Issuing", a member's "sending", the
 * method id, the card a code goes on) are always made before; so waiting here, at the side
 * effect, covers every road that reaches it, single, bulk and command line alike.
 *
 * Every other write is durable against a crash of the process as soon as it commits, and
 * against a power cut from the next side effect on (SQLite in WAL mode with
 * synchronous=NORMAL: the log is one file, written in order, and one fsync keeps all of it).
 */
import type { DurableStorage } from '../storage/types';

/** `port`, whose `methods` first wait until every write so far is durable (`storage.barrier`). */
export function durableBefore<T extends object>(port: T, methods: ReadonlyArray<keyof T & string>, storage: Pick<DurableStorage, 'barrier'>): T {
  if (!storage.barrier) return port;
  const barrier = storage.barrier.bind(storage);
  const guarded = new Set<string>(methods);
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const method = (value as (...a: unknown[]) => unknown).bind(target);
      if (typeof prop !== 'string' || !guarded.has(prop)) return method;
      return async (...args: unknown[]) => {
        await barrier();
        return method(...args);
      };
    },
  });
}
