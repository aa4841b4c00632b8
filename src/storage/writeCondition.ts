/**
 * How a write's eTag is interpreted, shared by both backends so they cannot drift apart.
 * See the contract in ./types.ts.
 */
import { ETAG_CREATE_ONLY, type StoreItems } from './types';

type WriteCondition =
  | { kind: 'unconditional' }
  | { kind: 'createOnly' }
  | { kind: 'ifMatch'; eTag: string };

/** One change ready to store: the JSON to persist (without eTag) and its condition. */
export interface PreparedWrite {
  key: string;
  json: string;
  condition: WriteCondition;
}

function conditionOf(eTag: unknown, key: string): WriteCondition {
  // '' joins '*' and absent as "unconditional": botbuilder treats a falsy eTag that way.
  if (eTag === undefined || eTag === null || eTag === '' || eTag === '*') return { kind: 'unconditional' };
  if (eTag === ETAG_CREATE_ONLY) return { kind: 'createOnly' };
  if (typeof eTag === 'string') return { kind: 'ifMatch', eTag };
  // A number or object here is a caller bug; guessing "unconditional" could lose an update.
  throw new TypeError(`Storage item "${key}" has an eTag that is not a string.`);
}

/**
 * Validate and serialize a whole batch before touching storage, so a bad item (cycle,
 * BigInt, not an object) fails the batch before anything is written.
 */
export function prepareWrites(changes: StoreItems): PreparedWrite[] {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
    throw new TypeError('Storage write needs an object of changes keyed by storage key.');
  }
  return Object.entries(changes).map(([key, item]) => {
    assertKey(key);
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new TypeError(`Storage item "${key}" must be an object.`);
    }
    const { eTag, ...value } = item as Record<string, unknown>;
    return { key, json: JSON.stringify(value), condition: conditionOf(eTag, key) };
  });
}

export function assertKeys(keys: unknown): asserts keys is string[] {
  if (!Array.isArray(keys)) throw new TypeError('Storage keys must be an array of strings.');
  keys.forEach(assertKey);
}

function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new TypeError('Storage keys must be non-empty strings.');
}
