/**
 * The reader's language: one catalogue per language (en.ts is the shape, da.ts follows it).
 * A third language is one new file plus its line in CATALOGUES. The reader's language comes
 * from the Teams activity's `locale` for whoever is in the chat, and from the end user's
 * `preferredLanguage` for what reaches them; anything else falls back to English.
 */
import { type Catalogue, en } from './en';
import { da } from './da';

export type { Catalogue } from './en';
export { SECURITY_INFO_URL } from './guideStrings';

const CATALOGUES = { en, da } satisfies Record<string, Catalogue>;

export type Language = keyof typeof CATALOGUES;

export const LANGUAGES = Object.keys(CATALOGUES) as Language[];

/** "da", "da-DK", "DA_dk" → Danish; anything unknown or empty → English. */
export function languageFor(locale?: string | null): Language {
  const primary = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGES as string[]).includes(primary) ? (primary as Language) : 'en';
}

/** BCP 47 tags: a page's `lang`, and the locale of times written in plain text. */
export const LANGUAGE_TAGS: Record<Language, string> = { en: 'en-GB', da: 'da-DK' };

export function catalogue(language: Language = 'en'): Catalogue {
  return CATALOGUES[language];
}
