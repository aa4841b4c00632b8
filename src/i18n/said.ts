/**
 * A sentence kept as what it means (a catalogue entry and its values) rather than as words,
 * so whoever reads it later reads it in their own language and zone: a refusal stored on a
 * bulk member, why a request failed, why a request is risky. Records keep the English text
 * beside it (`message` / `reason`): logs, audit, and records written before it existed.
 */
import type { Catalogue } from './en';

type Entries = Catalogue['errors'] & Catalogue['reasons'];
export type SaidCode = keyof Entries;

/** Entry `code` of the catalogue's `errors` or `reasons` section, with the values it was said with. */
export type StoredReason = { [K in SaidCode]: { code: K; params: Parameters<Entries[K]>[0] } }[SaidCode];

/**
 * A sentence inside a sentence (a stored reason, or the English it was said in when it has
 * no meaning kept). Loosely typed: the catalogue's own entries take it, and cannot name themselves.
 */
export type Words = string | { code: string; params?: unknown };

type AnyEntry = (params: unknown, timeZone?: string) => string;

export function said<K extends SaidCode>(code: K, ...params: Parameters<Entries[K]>[0] extends undefined ? [] : [Parameters<Entries[K]>[0]]): StoredReason {
  return { code, params: params[0] } as StoredReason;
}

function entry(say: Catalogue, code: string): AnyEntry | undefined {
  const found: unknown = (say.errors as Record<string, unknown>)[code] ?? (say.reasons as Record<string, unknown>)[code];
  return typeof found === 'function' ? (found as AnyEntry) : undefined;
}

/** Words in the reader's catalogue; an entry this release no longer has reads as `fallback`. */
export function wordsIn(say: Catalogue, words: Words, timeZone?: string, fallback = ''): string {
  if (typeof words === 'string') return words;
  const write = entry(say, words.code);
  return write ? write(words.params, timeZone) : fallback;
}

/**
 * A stored reason for its reader: the sentence in their language when the record kept its
 * meaning (`said`), else the English the record has (older records, free text).
 */
export function reasonIn(say: Catalogue, stored: { message?: string; reason?: string; said?: StoredReason }, timeZone?: string): string {
  const english = stored.message ?? stored.reason ?? '';
  return stored.said ? wordsIn(say, stored.said, timeZone, english) : english;
}
