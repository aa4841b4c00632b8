/**
 * One catalogue per language, and every language says everything: a key English has and
 * another language lacks (or the other way round), or an entry of another kind, fails here
 * even where the type checker was told to look away.
 */
import assert from 'node:assert/strict';
import { LANGUAGES, catalogue, languageFor } from '../../src/i18n';

/** Every path to a leaf, with the kind of leaf: strings, functions and arrays by length. */
function leaves(value: unknown, path = '', acc = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'string') acc.set(path, 'string');
  else if (typeof value === 'function') acc.set(path, `function/${value.length}`);
  else if (Array.isArray(value)) {
    acc.set(path, `array`);
    value.forEach((v, i) => leaves(v, `${path}[${i}]`, acc));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, path ? `${path}.${k}` : k, acc);
  } else acc.set(path, typeof value);
  return acc;
}

describe('the language catalogues', () => {
  const english = leaves(catalogue('en'));

  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${language} has every entry English has, of the same kind, and nothing else`, () => {
      const other = leaves(catalogue(language));
      const missing = [...english.keys()].filter((k) => !other.has(k));
      const extra = [...other.keys()].filter((k) => !english.has(k));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      const differentKind = [...english].filter(([k, kind]) => other.get(k) !== kind).map(([k]) => k);
      assert.deepEqual(differentKind, []);
    });

    it(`${language} is written, not copied: no entry is left empty`, () => {
      const empty = [...leaves(catalogue(language))].filter(([, kind]) => kind === 'string').map(([k]) => k).filter((k) => {
        const v = k.split(/\.|\[(\d+)\]/).filter(Boolean).reduce<unknown>((o, key) => (o as Record<string, unknown>)[key], catalogue(language));
        return typeof v === 'string' && v.trim() === '';
      });
      assert.deepEqual(empty, []);
    });
  }

  it('a reader gets their language from the Teams locale or preferredLanguage, and English for anything unknown', () => {
    assert.deepEqual(['da', 'da-DK', 'DA_dk', 'en-US', 'dan', 'de-DE', '', null, undefined].map(languageFor), ['da', 'da', 'da', 'en', 'en', 'en', 'en', 'en', 'en']);
  });
});
