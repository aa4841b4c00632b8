/**
 * The hash chain that makes the audit trail tamper-evident, and its verifier.
 *
 * Event #n (n = 1, 2, …) is stored with `seq: n`, `prevHash` (the hash of event #n-1, or
 * GENESIS_HASH for #1) and `hash` = lower-case hex SHA-256 of the UTF-8 bytes of the
 * canonical form of the stored document without its `hash` field. The hash covers seq and
 * prevHash, so it commits to the whole history before it: changing any event changes every
 * later hash, and the head's.
 *
 * Canonical form (RFC 8785 JCS for the values an audit event holds): JSON with no
 * whitespace; object keys sorted by UTF-16 code units (JavaScript's default sort), keys
 * whose value is undefined left out; arrays in order; strings and finite numbers written
 * as JSON.stringify writes them. Anyone can recompute a hash from an export
 * (`npm run audit`) with that rule.
 *
 * What it proves: edits, deletions, reordering and a cut tail show up. What it cannot
 * prove: someone able to rewrite the store can recompute the whole chain, so compare the
 * head hash that `--verify` prints with a copy kept elsewhere.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent } from './types';

/** prevHash of event #1. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

export type ChainedEvent = AuditEvent & ChainLink;

/** The stored chain head: how many events the chain holds and the hash of the last one. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Canonical JSON has no form for a non-finite number.');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  throw new TypeError(`Canonical JSON has no form for a ${typeof value}.`);
}

/** The hash of a stored event: everything in it but `hash` itself. */
export function hashOf(stored: object): string {
  const { hash: _excluded, ...body } = stored as { hash?: unknown };
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/** Event #seq as it is stored. The JSON round trip gives the hash exactly what storage will return. */
export function linkEvent(event: AuditEvent, seq: number, prevHash: string): ChainedEvent {
  const body = { ...(JSON.parse(JSON.stringify(event)) as AuditEvent), seq, prevHash };
  return { ...body, hash: hashOf(body) };
}

/** Whether `stored` is, intact, the event that follows `head` (what a writer may adopt). */
export function follows(stored: unknown, head: ChainHead): stored is ChainedEvent {
  return isObject(stored) && stored.seq === head.seq + 1 && stored.prevHash === head.hash && hashMatches(stored);
}

export interface ChainSnapshot {
  /** The stored head, undefined if there is none. */
  head: unknown;
  /** What is stored at seq 1, 2, 3, … (undefined where nothing is), up to the last one found. */
  events: readonly unknown[];
  /** Events of the layout before the chain (no hash): counted, not verified. */
  eventsBeforeChain: number;
}

export interface ChainReport {
  intact: boolean;
  /** One sentence: "audit chain intact: …", or the first broken or missing link. */
  message: string;
  /** Further facts worth printing, e.g. the head hash to keep elsewhere. */
  notes: string[];
}

/** Walks the chain from #1 and names the first broken or missing link. Pure. */
export function verifyChain(snapshot: ChainSnapshot): ChainReport {
  const before = snapshot.eventsBeforeChain;
  const notes =
    before > 0 ? [`${before} older event${before === 1 ? ' is' : 's are'} from before the chain started (not hash-linked)`] : [];
  const broken = (message: string): ChainReport => ({ intact: false, message, notes });

  const head = snapshot.head === undefined ? undefined : asHead(snapshot.head);
  if (snapshot.head !== undefined && head === undefined) return broken('the chain head is unreadable');
  const events = snapshot.events;
  let count = events.length;
  while (count > 0 && events[count - 1] === undefined) count--;

  let previous: Record<string, unknown> | undefined;
  for (let seq = 1; seq <= count; seq++) {
    const stored = events[seq - 1];
    if (stored === undefined) return broken(`event #${seq} is missing`);
    if (!isObject(stored) || !hashMatches(stored)) return broken(`event #${seq}${describe(stored)} was changed: its hash does not match`);
    if (stored.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
      return broken(
        seq === 1
          ? 'event #1 is out of order: its previous-hash is not the start of the chain'
          : `event #${seq} is out of order: its previous-hash does not match event #${seq - 1}`,
      );
    }
    if (stored.seq !== seq) return broken(`event #${seq} is out of order: it says it is event #${String(stored.seq)}`);
    previous = stored;
  }

  const headSeq = head?.seq ?? 0;
  // One event past the head is a writer stopped between its two writes; the next record adopts it.
  if (count > headSeq + 1) {
    return broken(head ? `the chain head says ${headSeq} events but ${count} exist` : `the chain head is missing but ${count} events exist`);
  }
  if (count < headSeq) return broken(`the chain head says ${headSeq} events but only ${count} exist`);
  if (head && headSeq > 0 && (events[headSeq - 1] as Record<string, unknown>).hash !== head.hash) {
    return broken(`the chain head's hash does not match event #${headSeq}`);
  }
  if (count === headSeq + 1 && count > 0) {
    notes.push(`event #${count} is stored but the chain head not yet moved to it (a writer stopped in between); the next record adopts it`);
  }
  if (previous === undefined) return { intact: true, message: 'audit chain intact: 0 events', notes };
  const first = events[0] as Record<string, unknown>;
  notes.push(`last hash: ${String(previous.hash)} (event #${count})`);
  return { intact: true, message: `audit chain intact: ${count} events, from ${String(first.at)} to ${String(previous.at)}`, notes };
}

function hashMatches(stored: Record<string, unknown>): boolean {
  try {
    return typeof stored.hash === 'string' && hashOf(stored) === stored.hash;
  } catch {
    return false;
  }
}

function asHead(value: unknown): ChainHead | undefined {
  if (!isObject(value) || !Number.isSafeInteger(value.seq) || typeof value.hash !== 'string') return undefined;
  const seq = value.seq as number;
  return seq >= 0 ? { seq, hash: value.hash } : undefined;
}

/** " (at, action, requestId)" from whatever of those the stored document still has. */
function describe(stored: unknown): string {
  if (!isObject(stored)) return '';
  const parts = [stored.at, stored.action, stored.requestId].filter((v): v is string => typeof v === 'string' && v !== '');
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
