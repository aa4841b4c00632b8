/**
 * The one way a time is written inside a sentence: in the reader's zone, with the zone
 * named, in the reader's language. Every catalogue's `time` writes through here, and so do
 * the cards' plain-text times (`formatInstant` in src/cards/format.ts), so a reader never
 * sees one time two ways. Cards themselves leave times to the Teams client ({{DATE}}/{{TIME}}).
 */
import { isTimeZone } from '../flow/request/localTime';

/** The pieces of an instant as the reader's calendar shows them, for a language to arrange. */
export interface InstantParts {
  weekday: string;
  day: string;
  month: string;
  year: string;
  hour: string;
  minute: string;
  /** " (Europe/Copenhagen)", or " UTC" when the reader's zone is unknown. */
  zone: string;
}

/**
 * The zone of a sentence that goes on a card: its times are left to the Teams client, which
 * writes them in the viewer's own zone and language (`{{DATE}}`/`{{TIME}}`), also when the
 * card is read hours later on another device.
 */
export const CLIENT_ZONE = 'client';

/**
 * The client's date functions accept only `YYYY-MM-DDThh:mm:ssZ` (no fractions): an
 * instant with milliseconds would be shown to the reader as the raw template text.
 */
function clientIso(iso: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** "Tue, 1 Dec 2026 09:00" as the viewer's client writes it, in their zone. */
export function clientInstant(iso: string): string {
  const utc = clientIso(iso);
  return utc ? `{{DATE(${utc}, SHORT)}} {{TIME(${utc})}}` : iso;
}

/** An unknown zone must not break a sentence: it falls back to UTC and says so. */
function usableTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return undefined;
  return isTimeZone(timeZone) ? timeZone : undefined;
}

const instantFormats = new Map<string, Intl.DateTimeFormat>();
/** Languages × zones in use: a few dozen. The bound is for safety, not for use. */
const FORMATS_KEPT = 1_000;

/** One formatter per language and zone: building one costs far more than formatting with it. */
function instantFormat(tag: string, zone: string): Intl.DateTimeFormat {
  const key = `${tag}|${zone}`;
  let format = instantFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone });
    if (instantFormats.size >= FORMATS_KEPT) instantFormats.clear();
    instantFormats.set(key, format);
  }
  return format;
}

/**
 * `iso` written by `arrange` in `timeZone` (BCP 47 `tag` names the calendar's words):
 * "Sun 22 Nov 2026, 14:05 (Europe/Copenhagen)"; "Sun 22 Nov 2026, 13:05 UTC" without a zone.
 * Text that is not an instant is given back as it is.
 */
export function writeInstant(iso: string, timeZone: string | undefined, tag: string, arrange: (p: InstantParts) => string): string {
  if (timeZone === CLIENT_ZONE) return clientInstant(iso);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const zone = usableTimeZone(timeZone);
  const parts = instantFormat(tag, zone ?? 'UTC').formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return arrange({
    weekday: part('weekday'),
    day: part('day'),
    month: part('month'),
    year: part('year'),
    hour: part('hour'),
    minute: part('minute'),
    zone: zone ? ` (${zone})` : ' UTC',
  });
}
