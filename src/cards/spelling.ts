/**
 * A code read out over the phone, one character at a time, in words nobody mishears:
 * "B Bravo (capital) · $ dollar sign · d delta (lower case) · 0 zero". Case is said for
 * every letter, because a listener who hears only "lower case" marked cannot tell a
 * forgotten mark from a capital. Pure: no card, no locale of the machine.
 */
import type { Language } from '../i18n';

interface Alphabet {
  letters: Record<string, string>;
  digits: readonly string[];
  symbols: Record<string, string>;
  capital: string;
  lowerCase: string;
  /** For a character this table does not know: "character é". */
  unknown: (ch: string) => string;
}

const NATO = 'Alfa Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo Lima Mike November Oscar Papa Quebec Romeo Sierra Tango Uniform Victor Whiskey X-ray Yankee Zulu';
// Dansk stavealfabet (the telephone spelling alphabet used in Denmark), with Æ, Ø and Å.
const DANISH = 'Anna Bernhard Cecilie David Erik Frederik Georg Hans Ida Johan Karen Ludvig Mari Nikolaj Odin Peter Quintus Rasmus Søren Theodor Ulla Viggo William Xerxes Yrsa Zackarias Ægir Øresund Åse';

function lettersOf(words: string, alphabet: string): Record<string, string> {
  const names = words.split(' ');
  return Object.fromEntries([...alphabet].map((letter, i) => [letter, names[i]!]));
}

const ALPHABETS: Record<Language, Alphabet> = {
  en: {
    letters: lettersOf(NATO, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    digits: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
    symbols: {
      ' ': 'space', '!': 'exclamation mark', '"': 'double quote', '#': 'hash', $: 'dollar sign', '%': 'percent sign',
      '&': 'ampersand', "'": 'apostrophe', '(': 'left parenthesis', ')': 'right parenthesis', '*': 'asterisk (star)',
      '+': 'plus', ',': 'comma', '-': 'hyphen (minus)', '.': 'full stop (dot)', '/': 'slash', ':': 'colon',
      ';': 'semicolon', '<': 'less-than sign', '=': 'equals sign', '>': 'greater-than sign', '?': 'question mark',
      '@': 'at sign', '[': 'left square bracket', '\\': 'backslash', ']': 'right square bracket', '^': 'caret',
      _: 'underscore', '`': 'backtick', '{': 'left curly brace', '|': 'vertical bar', '}': 'right curly brace', '~': 'tilde',
    },
    capital: 'capital',
    lowerCase: 'lower case',
    unknown: (ch) => `character ${ch}`,
  },
  da: {
    letters: lettersOf(DANISH, 'ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ'),
    digits: ['nul', 'en', 'to', 'tre', 'fire', 'fem', 'seks', 'syv', 'otte', 'ni'],
    symbols: {
      ' ': 'mellemrum', '!': 'udråbstegn', '"': 'anførselstegn', '#': 'havelåge', $: 'dollartegn', '%': 'procenttegn',
      '&': 'og-tegn', "'": 'apostrof', '(': 'venstre parentes', ')': 'højre parentes', '*': 'stjerne',
      '+': 'plus', ',': 'komma', '-': 'bindestreg (minus)', '.': 'punktum', '/': 'skråstreg', ':': 'kolon',
      ';': 'semikolon', '<': 'mindre end-tegn', '=': 'lighedstegn', '>': 'større end-tegn', '?': 'spørgsmålstegn',
      '@': 'snabel-a', '[': 'venstre kantet parentes', '\\': 'omvendt skråstreg', ']': 'højre kantet parentes', '^': 'hat (cirkumfleks)',
      _: 'understreg', '`': 'accent grave', '{': 'venstre krøllet parentes', '|': 'lodret streg', '}': 'højre krøllet parentes', '~': 'tilde',
    },
    capital: 'stort',
    lowerCase: 'lille',
    unknown: (ch) => `tegnet ${ch}`,
  },
};

/** One character in words: "B Bravo (capital)", "7 seven", "$ dollar sign". */
export function spellCharacter(ch: string, language: Language): string {
  const a = ALPHABETS[language];
  const upper = ch.toLocaleUpperCase('en');
  const word = a.letters[upper];
  if (word) return `${ch} ${word} (${ch === upper ? a.capital : a.lowerCase})`;
  if (/^[0-9]$/.test(ch)) return `${ch} ${a.digits[Number(ch)]}`;
  return `${ch} ${a.symbols[ch] ?? a.unknown(ch)}`;
}

/** The whole code, character by character, joined with " · ". */
export function spellCode(code: string, language: Language): string {
  return [...code].map((ch) => spellCharacter(ch, language)).join(' · ');
}

/**
 * The code in groups of four, for a card to show where no copy button is: "K7*q R_2m #Lp9".
 * The spaces let a long pass wrap between groups instead of being cut, and make it easy to
 * read out; the card says they are not part of the code. A code that holds a space of its
 * own is never grouped (that sentence would be false): it is shown as it is.
 */
export function groupedCode(code: string, size = 4): string {
  if (!canGroup(code)) return code;
  return (code.match(new RegExp(`[\\s\\S]{1,${size}}`, 'gu')) ?? []).join(' ');
}

/** Only a code without whitespace can be shown in groups that a reader types without the spaces. */
export function canGroup(code: string): boolean {
  return !/\s/u.test(code);
}
