/**
 * Dates and durations in words for cards. Cards never show raw ISO strings: a manager
 * deciding at a glance needs "Sun 22 Nov 2026, 14:05 UTC", and "UTC" said plainly
 * when we do not know their time zone.
 */

export type Language = 'en' | 'da';

export interface CardContext {
  now: Date;
  /** IANA time zone; absent => times are shown in UTC and say "UTC". */
  timeZone?: string;
}

/** Danish for a preferredLanguage starting with "da"; English otherwise. */
export function languageFor(preferredLanguage?: string | null): Language {
  return preferredLanguage && /^da(?![a-z])/i.test(preferredLanguage.trim()) ? 'da' : 'en';
}

const LOCALE: Record<Language, string> = { en: 'en-GB', da: 'da-DK' };

/** An unknown zone must not break a card: fall back to UTC and say so. */
function usableTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') return undefined;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** "Sun 22 Nov 2026, 14:05 (Europe/Copenhagen)" or "Sun 22 Nov 2026, 13:05 UTC". */
export function formatInstant(iso: string, ctx: CardContext, language: Language = 'en'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const zone = usableTimeZone(ctx.timeZone);
  const parts = new Intl.DateTimeFormat(LOCALE[language], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: zone ?? 'UTC',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  const suffix = zone ? ` (${zone})` : ' UTC';
  const [weekday, day, month, year, hour, minute] = (
    ['weekday', 'day', 'month', 'year', 'hour', 'minute'] as const
  ).map(part);
  return language === 'da'
    ? `${weekday} ${day}. ${month} ${year} kl. ${hour}.${minute}${suffix}`
    : `${weekday} ${day} ${month} ${year}, ${hour}:${minute}${suffix}`;
}

const UNITS: Record<Language, { day: [string, string]; hour: [string, string]; minute: [string, string] }> = {
  en: { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'] },
  da: { day: ['dag', 'dage'], hour: ['time', 'timer'], minute: ['minut', 'minutter'] },
};

/** 60 => "1 hour", 480 => "8 hours", 90 => "90 minutes", 2880 => "2 days". */
export function formatDuration(minutes: number, language: Language = 'en'): string {
  const units = UNITS[language];
  const count = (n: number, [one, many]: [string, string]): string => `${n} ${n === 1 ? one : many}`;
  if (minutes > 0 && minutes % 1440 === 0) return count(minutes / 1440, units.day);
  if (minutes > 0 && minutes % 60 === 0) return count(minutes / 60, units.hour);
  return count(minutes, units.minute);
}

/** "in 25 minutes" / "3 hours ago": rounded, for a glance next to the exact time. */
export function formatRelative(iso: string, now: Date): string {
  const deltaMinutes = Math.round((new Date(iso).getTime() - now.getTime()) / 60_000);
  if (Number.isNaN(deltaMinutes)) return '';
  if (deltaMinutes === 0) return 'now';
  const abs = Math.abs(deltaMinutes);
  const words = abs < 120 ? formatDuration(abs) : abs < 2880 ? `${Math.round(abs / 60)} hours` : `${Math.round(abs / 1440)} days`;
  return deltaMinutes > 0 ? `in ${words}` : `${words} ago`;
}

/** Exact time plus a relative hint: "Sun 22 Nov 2026, 14:35 UTC (in 30 minutes)". */
export function formatInstantWithRelative(iso: string, ctx: CardContext): string {
  const relative = formatRelative(iso, ctx.now);
  return relative ? `${formatInstant(iso, ctx)} (${relative})` : formatInstant(iso, ctx);
}
