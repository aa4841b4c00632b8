import assert from 'node:assert/strict';
import sinon from 'sinon';
import { groupedCode, spellCharacter, spellCode } from '../../src/cards/spelling';

describe('spelling a code to read it out', () => {
  afterEach(() => sinon.restore());

  it('spells letters with the NATO alphabet and says the case of every letter', () => {
    assert.equal(spellCode('Bd', 'en'), 'B Bravo (capital) · d Delta (lower case)');
  });

  it('names symbols and digits, so "$" is never heard as "S"', () => {
    assert.equal(spellCode('$S5', 'en'), '$ dollar sign · S Sierra (capital) · 5 five');
    assert.equal(spellCode('#*_-.@', 'en'), '# hash · * asterisk (star) · _ underscore · - hyphen (minus) · . full stop (dot) · @ at sign');
  });

  it('keeps confusable characters apart: zero and O, one, lower-case l and capital I', () => {
    assert.deepEqual(['0', 'O', 'o', '1', 'l', 'I', '|'].map((c) => spellCharacter(c, 'en')), [
      '0 zero',
      'O Oscar (capital)',
      'o Oscar (lower case)',
      '1 one',
      'l Lima (lower case)',
      'I India (capital)',
      '| vertical bar',
    ]);
  });

  it('spells in Danish with the Danish spelling alphabet, Danish digits and symbol names', () => {
    assert.equal(spellCode('Bd$7', 'da'), 'B Bernhard (stort) · d David (lille) · $ dollartegn · 7 syv');
    assert.equal(spellCode('Øå@0', 'da'), 'Ø Øresund (stort) · å Åse (lille) · @ snabel-a · 0 nul');
    assert.equal(spellCode('1lI', 'da'), '1 en · l Ludvig (lille) · I Ida (stort)');
  });

  it('names every printable ASCII character in both languages, and says a character it does not know', () => {
    for (let code = 0x20; code < 0x7f; code++) {
      const ch = String.fromCharCode(code);
      for (const language of ['en', 'da'] as const) {
        assert.doesNotMatch(spellCharacter(ch, language), /character|tegnet/, `${language} ${JSON.stringify(ch)}`);
      }
    }
    assert.equal(spellCharacter('é', 'en'), 'é character é');
    assert.equal(spellCharacter('Æ', 'en'), 'Æ character Æ');
  });

  it('keeps every character of the code, in order, joined by a middle dot', () => {
    const code = 'K7*qR_2m#Lp9';
    const spelled = spellCode(code, 'en').split(' · ');
    assert.equal(spelled.length, code.length);
    assert.deepEqual(spelled.map((s) => s[0]), [...code]);
    assert.equal(spellCode('', 'en'), '');
  });

  it('groups a code in fours for reading and drops no character, whatever its length', () => {
    assert.equal(groupedCode('K7*qR_2m#Lp9'), 'K7*q R_2m #Lp9');
    for (const length of [8, 9, 10, 11, 47, 48]) {
      const code = 'aZ3$!'.repeat(10).slice(0, length);
      assert.equal(groupedCode(code).replace(/ /g, ''), code, `length ${length}`);
    }
    assert.equal(groupedCode('abcdefghij'), 'abcd efgh ij');
  });

  it('never groups a code that holds a space of its own: "the code has none" would be false', () => {
    assert.equal(groupedCode('ab cdefgh'), 'ab cdefgh');
  });
});
