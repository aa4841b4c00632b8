/**
 * Local date and time in a named IANA zone → the UTC instant, without a time-zone library:
 * Intl knows every zone's offset at any instant, so the offset is found by asking what
 * wall-clock time a guess shows and correcting (twice covers DST transitions).
 */

const ZONES_KEPT = 1_000;
const zonesSeen = new Map<string, boolean>();

/** True for a zone name Intl knows (e.g. Europe/Copenhagen). */
export function isTimeZone(zone: string): boolean {
  const known = zonesSeen.get(zone);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    valid = true;
  } catch {
    valid = false;
  }
  // Every Teams message carries the reader's zone, and building a formatter to check it costs
  // more than the rest of a `help` turn: the answers are kept (a few hundred zones exist; the
  // bound keeps made-up names from growing the map).
  if (zonesSeen.size >= ZONES_KEPT) zonesSeen.clear();
  zonesSeen.set(zone, valid);
  return valid;
}

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone (building one costs far more than using it); only valid zones get here. */
function wallClockFormat(zone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (wallClocks.size >= ZONES_KEPT) wallClocks.clear();
    wallClocks.set(zone, format);
  }
  return format;
}

function wallClock(instant: number, zone: string): number {
  const parts = wallClockFormat(zone).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** `2026-12-07`, `08:00`, `Europe/Copenhagen` → `2026-12-07T07:00:00.000Z`; undefined when not a real date/time. */
export function localToUtc(date: string, time: string, zone: string): string | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const t = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!d || !t || !isTimeZone(zone)) return undefined;
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59) return undefined;
  const wanted = Date.UTC(y, mo - 1, da, h, mi);
  if (new Date(wanted).getUTCDate() !== da) return undefined; // 2026-02-30 and the like
  let guess = wanted;
  for (let i = 0; i < 2; i++) guess -= wallClock(guess, zone) - wanted;
  return new Date(guess).toISOString();
}

/** The next working day (Mon–Fri) after `now` in `zone`, as YYYY-MM-DD: a new joiner's usual first morning. */
export function nextWorkingDay(now: Date, zone: string): string {
  for (let add = 1; add <= 7; add++) {
    const day = new Date(wallClock(now.getTime(), zone) + add * 86_400_000);
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) return day.toISOString().slice(0, 10);
  }
  return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
}
