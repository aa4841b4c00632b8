/**
 * Every card in every language: rendered for a Danish reader, no English is left in its
 * texts. A text that reads the same in English and Danish is allowed only when it is a
 * name, an id, a sign-in name, a number, a time for the client to write, a URL or a code,
 * or words a person typed or another part of the bot said (those have their own homes).
 */
import assert from 'node:assert/strict';
import { everyCard } from '../support/everyCard';
import { catalogue, LANGUAGES } from '../../src/i18n';
import { said } from '../../src/i18n/said';
import { BULK_ATTESTATION } from '../../src/flow/bulk/decision';
import { approvalSummary, deliverySummary, requestFormCard, requestStatusCard, userGuideCard } from '../../src/cards/render';
import { SAMPLE_CONTEXT, sampleRequest } from '../support/cardSamples';

/** Every string a reader sees on a card: texts, button titles, labels, placeholders, facts, choices. */
function visibleTexts(json: unknown, acc: string[] = [], inFacts = false): string[] {
  if (Array.isArray(json)) json.forEach((v) => visibleTexts(v, acc, inFacts));
  else if (json !== null && typeof json === 'object') {
    const obj = json as Record<string, unknown>;
    // A fact's value is read; a choice's or an input's value is what the card sends.
    for (const key of ['text', 'title', 'label', 'placeholder', 'errorMessage', 'fallbackText', ...(inFacts ? ['value'] : [])]) {
      if (typeof obj[key] === 'string') acc.push(obj[key] as string);
    }
    Object.entries(obj).forEach(([key, v]) => key !== 'data' && visibleTexts(v, acc, key === 'facts'));
  }
  return acc;
}

/** What stays the same in every language: names, ids, addresses, numbers, times, codes. */
function withoutSharedWords(text: string): string {
  return text
    .replace(/\{\{(DATE|TIME)\([^)]*\)\}\}/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\S+@\S+/g, ' ')
    .replace(/\b(TAP|BULK)-[A-Z0-9…]+/g, ' ')
    .replace(/\b(tap|status|cancel|revoke|report|help|pending|group|helpdesk)\b/g, ' ')
    .replace(/\b[A-Z][\w'’-]*/g, ' ') // names and products: Megan Bowen, Microsoft Authenticator, Entra ID
    .replace(/[\d\W_]+/g, ' ')
    .trim();
}

/** Texts that come into a card from elsewhere: typed by people or said by the edge and the core in their own sections. */
const FROM_ELSEWHERE = [
  /^Lost her phone/, /^I could not reach her/, /^Video call from her personal phone/, /^The tenant policy does not allow/,
  /^Your requests|^Your recent requests|^Waiting for your decision/, /^You chose "other"/, /^This tenant allows/,
  /^No group is called/, /^Tick the box/, /^The Temporary Access Pass policy was turned off/, /^Handed to the wrong person/,
  /^HR has not confirmed/, /^December joiners|^November starters/, /^not me$/, /^Lost phone/, /^INC/,
  // The core's sentences (the scenario's preset, a bulk member's refusal) until they move to the catalogue.
/^• .*\): (Graph refused|Holds a directory role|Already has)/,
  // A code, and its spelling in the language of the person it is read to.
  /^K7\*q R_2m #Lp9$/, / · .* · /, /^(Read it out|Læs den op på dansk): $/,
];

describe('every card in every language', () => {
  it('a third language is one catalogue file: every language renders every card', () => {
    for (const language of LANGUAGES) assert.ok(everyCard(language).length > 50, language);
  });

  it('every card renders in Danish with no English left in its texts', () => {
    const english = everyCard('en');
    const danish = everyCard('da');
    assert.deepEqual(danish.map((c) => c.name), english.map((c) => c.name));
    const leftovers: string[] = [];
    danish.forEach(({ name, card }, i) => {
      // Messages carry the edge's words (its own catalogue section), not the cards'.
      if (name.startsWith('message:')) return;
      const inEnglish = new Set(visibleTexts(english[i]!.card));
      for (const text of visibleTexts(card)) {
        if (!inEnglish.has(text) || withoutSharedWords(text) === '' || FROM_ELSEWHERE.some((r) => r.test(text))) continue;
        // Sentences that hold English from elsewhere are checked by what is left once that is taken out.
        leftovers.push(`${name}: "${text}"`);
      }
    });
    assert.deepEqual([...new Set(leftovers.map((l) => l.replace(/^[^"]*: /, '')))], []);
  });

  it('a stored failure is read in the reader\'s language when the record kept its meaning, and in its English when it did not', () => {
    const failed = (failure: { code: string; message: string; said?: ReturnType<typeof said> }) =>
      JSON.stringify(requestStatusCard(sampleRequest('Failed', { failure }), { ...SAMPLE_CONTEXT, language: 'da' }));
    const danish = catalogue('da').errors.policyDisabled();
    assert.ok(failed({ code: 'policyDisabled', message: 'The policy is off.', said: said('policyDisabled') }).includes(danish));
    assert.ok(failed({ code: 'policyDisabled', message: 'The policy is off.' }).includes('The policy is off.'), 'an older record keeps its English');
  });

  it('the form says what its scenario means in the reader\'s language, from the meaning the flow keeps', () => {
    const card = requestFormCard({ isUsableOnce: true, scenario: 'recovery', scenarioNote: 'Recovery: one sign-in to register a new method straight away.', scenarioNoteSaid: said('presetRecovery') }, { ...SAMPLE_CONTEXT, language: 'da' });
    assert.match(JSON.stringify(card), /Gendannelse: ét login til at registrere en ny metode med det samme\./);
    assert.doesNotMatch(JSON.stringify(card), /one sign-in to register/);
  });

  it('a Danish guide read in an English client writes its times in Danish itself, in the reader\'s zone; in a Danish client the client writes them', () => {
    const danishUser = sampleRequest('Issued', { target: { ...sampleRequest('Issued').target, preferredLanguage: 'da-DK' } });
    const inEnglishClient = JSON.stringify(userGuideCard(danishUser, { ...SAMPLE_CONTEXT, language: 'en' }));
    assert.doesNotMatch(inEnglishClient, /\{\{DATE/);
    assert.match(inEnglishClient, /kl\. \d{2}\.\d{2} \(Europe\/Copenhagen\)/);
    assert.match(JSON.stringify(userGuideCard(danishUser, { ...SAMPLE_CONTEXT, language: 'da' })), /\{\{DATE\(/);
  });

  it('the bulk approver ticks in their language the very statement the decision records in English', () => {
    assert.equal(catalogue('en').cards.bulk.attestation, BULK_ATTESTATION);
  });

  it('a notification\'s one line is in the reader\'s language, with the time in words in their zone', () => {
    const req = sampleRequest('PendingApproval');
    const danish = { timeZone: 'Europe/Copenhagen', language: 'da' as const };
    assert.equal(approvalSummary(req, danish), 'Alex Wilber (helpdesk) beder om en midlertidig adgangskode til Megan Bowen. Beslut senest søn. 22. nov. 2026 kl. 14.30 (Europe/Copenhagen).');
    assert.match(deliverySummary(req, '2026-11-22T14:05:00Z', danish), /^Midlertidig adgangskode til Megan Bowen \(anmodet af Alex Wilber\): giv den videre før søn\. 22\. nov\. 2026 kl\. 15\.05 \(Europe\/Copenhagen\)\.$/);
  });
});
