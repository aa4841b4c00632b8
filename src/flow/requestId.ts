/**
 * Request ids people can read aloud and type: `TAP-` + 6 characters from an alphabet
 * without the look-alikes 0/O and 1/I. 32^6 ≈ 10^9 values from a CSPRNG: unguessable
 * enough for a handle that still needs an authorised actor to do anything.
 */
import { randomInt } from 'node:crypto';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const LENGTH = 6;
const REQUEST_ID = /^TAP-[2-9A-HJ-NP-Z]{6}$/;

export function newRequestId(): string {
  let id = 'TAP-';
  for (let i = 0; i < LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/**
 * Normalise what a person typed (`tap-7k3f9q `) to the stored form, or undefined when it
 * cannot be a request id (so arbitrary text never becomes a storage key).
 */
export function parseRequestId(text: string): string | undefined {
  const id = text.trim().toUpperCase();
  return REQUEST_ID.test(id) ? id : undefined;
}

const BULK_ID = /^BULK-[2-9A-HJ-NP-Z]{6}$/;

/** A bulk request (passes for a group): `BULK-` + the same 6 characters. */
export function newBulkId(): string {
  return `BULK-${newRequestId().slice('TAP-'.length)}`;
}

export function parseBulkId(text: string): string | undefined {
  const id = text.trim().toUpperCase();
  return BULK_ID.test(id) ? id : undefined;
}

/**
 * What a person typed in the shape of a request id (`TAP-` or `BULK-` and six letters or
 * digits), before the exact check: "cancel TAP-0OI1XX" then gets "no such request" rather
 * than "I didn't understand".
 */
export function typedRequestId(word: string): { kind: 'single' | 'bulk'; id: string } | undefined {
  const m = /^(TAP|BULK)-[A-Z0-9]{6}$/i.exec(word.trim());
  if (!m) return undefined;
  return { kind: m[1]!.toUpperCase() === 'TAP' ? 'single' : 'bulk', id: word.trim().toUpperCase() };
}
