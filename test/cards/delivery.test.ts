import assert from 'node:assert/strict';
import sinon from 'sinon';
import { passDeliveryCard, userGuideCard } from '../../src/cards/render';
import {
  SAMPLE_CONTEXT,
  SAMPLE_CONTEXT_UTC,
  SAMPLE_PASS,
  SAMPLE_PASS_CODE,
  SAMPLE_REQUESTS,
  sampleHandedOver,
  sampleRequest,
} from '../support/cardSamples';
import { VERBS } from '../../src/cards/verbs';
import { catalogue } from '../../src/i18n';
import { actionsIn, elementsOfType } from '../support/cardReader';

const issued = SAMPLE_REQUESTS.Issued;

describe('pass delivery card', () => {
  afterEach(() => sinon.restore());

  it('shows the code verbatim in a CodeBlock (Teams desktop and web, with its copy button) and whole, in groups of four, in the large monospace fallback a phone shows', () => {
    const card = passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT);
    const json = JSON.stringify(card);
    assert.equal(json.split(SAMPLE_PASS_CODE).length - 1, 1, 'the code appears verbatim in the CodeBlock only');
    const block = elementsOfType(card, 'CodeBlock')[0]!;
    assert.equal(block.codeSnippet, SAMPLE_PASS_CODE);
    const run = elementsOfType(block.fallback, 'TextRun').find((r) => r.text === 'K7*q R_2m #Lp9')!;
    assert.equal(run.fontType, 'Monospace');
    assert.equal(run.size, 'ExtraLarge');
    assert.equal(run.isSubtle, false);
    assert.ok(elementsOfType(block.fallback, 'TextBlock').some((t) => /the code has none/.test(String(t.text))), 'the fallback says the spaces are not part of the code');
    // A TextBlock would run the code through markdown and could mangle `*` or `_`.
    assert.ok(!elementsOfType(card, 'TextBlock').some((t) => String(t.text).includes(SAMPLE_PASS_CODE) || String(t.text).includes('K7*q')));
    // An input holding the code would be sent to the bot with every button that sends inputs.
    assert.equal(elementsOfType(card, 'Input.Text').filter((i) => i.value === SAMPLE_PASS_CODE).length, 0);
  });

  it('gives no copy advice a phone cannot follow: the copy button belongs to the CodeBlock, which phones do not draw', () => {
    const card = passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT);
    assert.doesNotMatch(JSON.stringify(card), /copy button/i);
  });

  it('a code with a space of its own is shown as it is, without the sentence that the code has no spaces', () => {
    const block = elementsOfType(passDeliveryCard(issued, { ...SAMPLE_PASS, temporaryAccessPass: 'ab cdefgh' }, SAMPLE_CONTEXT), 'CodeBlock')[0]!;
    assert.ok(elementsOfType(block.fallback, 'TextRun').some((r) => r.text === 'ab cdefgh'));
    assert.ok(!elementsOfType(block.fallback, 'TextBlock').some((t) => /the code has none/.test(String(t.text))));
  });

  it('a code of 48 characters is shown whole where there is no copy button: groups of four that wrap', () => {
    const long = 'aB3$'.repeat(12);
    const block = elementsOfType(passDeliveryCard(issued, { ...SAMPLE_PASS, temporaryAccessPass: long }, SAMPLE_CONTEXT), 'CodeBlock')[0]!;
    const shown = elementsOfType(block.fallback, 'TextRun').map((r) => String(r.text)).find((t) => t.startsWith('aB3$'))!;
    assert.equal(shown.replace(/ /g, ''), long, 'every character, nothing cut');
    assert.ok(shown.split(' ').every((group) => group.length === 4));
  });

  it('spells the code for reading out in the reader\'s language, and also in the user\'s when that differs', () => {
    const spelled = (req: typeof issued, language?: 'en' | 'da') =>
      elementsOfType(passDeliveryCard(req, SAMPLE_PASS, { ...SAMPLE_CONTEXT, ...(language ? { language } : {}) }), 'RichTextBlock')
        .map((b) => (b.inlines as { text: string }[]).map((i) => i.text).join(''))
        .filter((t) => t.includes(' · '));
    assert.deepEqual(spelled(issued), [
      'Read it out: K Kilo (capital) · 7 seven · * asterisk (star) · q Quebec (lower case) · R Romeo (capital) · _ underscore · 2 two · m Mike (lower case) · # hash · L Lima (capital) · p Papa (lower case) · 9 nine',
    ]);
    const lasse = { ...issued, target: { ...issued.target, displayName: 'Lasse Jensen', preferredLanguage: 'da-DK' } };
    const both = spelled(lasse);
    assert.equal(both.length, 2);
    assert.match(both[1]!, /^Læs den op på dansk: K Karen \(stort\) · 7 syv · \* stjerne/);
    assert.equal(spelled(lasse, 'da').length, 1, 'a Danish reader and a Danish user: one line');
  });

  it('says plainly whom to give it to and how, with the security-info address as text, never a button', () => {
    const card = passDeliveryCard(issued, SAMPLE_PASS, { ...SAMPLE_CONTEXT, publicBaseUrl: 'https://tap.contoso.com/' });
    const texts = elementsOfType(card, 'TextBlock').map((t) => String(t.text));
    assert.equal(texts[0], 'Give this to Megan');
    assert.ok(texts.includes('- If Megan is locked out, read out or text this guide: https://tap.contoso.com/guide/recovery/en (it holds no personal data and no code).'));
    assert.ok(texts.some((t) => t.includes('Megan signs in at https://aka.ms/mysecurityinfo. Read that address out')));
    assert.equal(actionsIn(card).filter((a) => a.type === 'Action.OpenUrl').length, 0);
  });

  it('without a public address for the bot, offers no guide link rather than a broken one', () => {
    assert.ok(!JSON.stringify(passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT)).includes('/guide/'));
  });

  it('says for whom, when it starts and expires (rendered by the client), and whether it is one-time or multi-use', () => {
    const once = JSON.stringify(passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT_UTC));
    for (const fact of ['Megan Bowen (meganb@contoso.com)', '{{DATE(2026-11-22T13:05:00Z, SHORT)}} {{TIME(2026-11-22T13:05:00Z)}}', '{{DATE(2026-11-22T14:05:00Z, SHORT)}}', 'One-time use']) {
      assert.ok(once.includes(fact), fact);
    }
    const multi = JSON.stringify(passDeliveryCard(issued, { ...SAMPLE_PASS, isUsableOnce: false }, SAMPLE_CONTEXT_UTC));
    assert.ok(multi.includes('Multi-use (until it expires)'));
  });

  it('offers Handed over with only the request id, and Revoke and Report while the pass works', () => {
    const actions = actionsIn(passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT));
    const handedOver = actions.find((a) => a.verb === VERBS.handedOver)!;
    assert.equal(handedOver.title, 'Handed over');
    assert.deepEqual(handedOver.data, { requestId: issued.id });
    assert.deepEqual(actions.filter((a) => a.type === 'Action.Execute').map((a) => a.verb), [VERBS.handedOver, VERBS.revoke, VERBS.report]);
  });

  it('the card sent with the code offers Revoke even before the stored request says Issued', () => {
    const issuing = sampleRequest('Issuing');
    const verbs = actionsIn(passDeliveryCard(issuing, SAMPLE_PASS, SAMPLE_CONTEXT)).map((a) => a.verb);
    assert.ok(verbs.includes(VERBS.revoke));
    assert.ok(!actionsIn(passDeliveryCard(issuing, null, SAMPLE_CONTEXT)).some((a) => a.verb === VERBS.revoke));
  });

  it('without the pass, the card holds no code anywhere, even for the request the code was shown for', () => {
    const withCode = JSON.stringify(passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT));
    assert.ok(withCode.includes(SAMPLE_PASS_CODE), 'precondition: the code was on the first card');
    for (const req of [issued, sampleHandedOver()]) {
      const json = JSON.stringify(passDeliveryCard(req, null, SAMPLE_CONTEXT));
      assert.ok(!json.includes(SAMPLE_PASS_CODE));
      assert.ok(!json.includes('Kilo'), 'nor its spelling');
      assert.equal(elementsOfType(JSON.parse(json), 'CodeBlock').length, 0);
      assert.ok(!actionsIn(JSON.parse(json)).some((a) => a.verb === VERBS.handedOver));
    }
  });

  it('after handover says when the code was removed, and keeps the facts', () => {
    const json = JSON.stringify(passDeliveryCard(sampleHandedOver(), null, SAMPLE_CONTEXT_UTC));
    assert.ok(json.includes('Code removed: handed over on {{DATE(2026-11-22T13:08:00Z, SHORT)}} {{TIME(2026-11-22T13:08:00Z)}}.'));
    assert.ok(json.includes('{{DATE(2026-11-22T14:04:00Z, SHORT)}}'));
  });

  it('after expiry says when the pass expired, and offers no Revoke', () => {
    const expired = { ...issued, delivery: { ...issued.delivery!, codeHiddenAt: issued.issued!.expiresDateTime } };
    const later = { ...SAMPLE_CONTEXT_UTC, now: new Date(issued.issued!.expiresDateTime) };
    const card = passDeliveryCard(expired, null, later);
    assert.ok(JSON.stringify(card).includes('The pass expired on {{DATE(2026-11-22T14:04:00Z, SHORT)}} {{TIME(2026-11-22T14:04:00Z)}}.'));
    assert.ok(!JSON.stringify(card).includes('handed over on'));
    assert.ok(!actionsIn(card).some((a) => a.verb === VERBS.revoke));
  });

  it('after a revocation says so, offers neither Handed over nor Revoke, and still offers Report', () => {
    const revoked = { ...issued, revocation: { by: issued.requester, at: issued.issued!.issuedAt } };
    const card = passDeliveryCard(revoked, SAMPLE_PASS, SAMPLE_CONTEXT);
    assert.deepEqual(actionsIn(card).filter((a) => a.type === 'Action.Execute').map((a) => a.verb), [VERBS.report]);
    assert.ok(JSON.stringify(passDeliveryCard(revoked, null, SAMPLE_CONTEXT)).includes('Pass revoked on'));
  });
});

describe('user guide card', () => {
  afterEach(() => sinon.restore());

  const text = (card: object): string => JSON.stringify(card);

  it('is Danish for "da-DK" and "da", English otherwise', () => {
    assert.ok(text(userGuideCard(issued, SAMPLE_CONTEXT, 'da-DK')).includes('Sådan gør du'));
    assert.ok(text(userGuideCard(issued, SAMPLE_CONTEXT, 'da')).includes('Log ind med din arbejdskonto'));
    for (const language of ['en-US', 'de-DE', 'dan', undefined]) {
      const card = text(userGuideCard(issued, SAMPLE_CONTEXT, language));
      assert.ok(card.includes('What to do'), String(language));
      assert.ok(!card.includes('Sådan'), String(language));
    }
  });

  it("falls back to the user's preferred language from the directory", () => {
    const dane = sampleRequest('Issued', { target: { ...issued.target, preferredLanguage: 'da-DK' } });
    assert.ok(text(userGuideCard(dane, SAMPLE_CONTEXT)).includes('Sådan gør du'));
  });

  it('walks through My Security Info, signing in with the pass, Authenticator or a passkey, before expiry, with no button', () => {
    const card = userGuideCard(issued, SAMPLE_CONTEXT_UTC);
    const json = text(card);
    for (const part of [
      'https://aka.ms/mysecurityinfo',
      'meganb@contoso.com',
      'enter the Temporary Access Pass instead of a password',
      'Microsoft Authenticator and turn on phone sign-in',
      'passkey',
      'do everything in one sitting',
      'Finish before the pass expires: {{DATE(2026-11-22T14:04:00Z, SHORT)}} {{TIME(2026-11-22T14:04:00Z)}}.',
      'ask the helpdesk for a new one',
      "You can't use this method",
      'Do not share the pass with anyone',
    ]) {
      assert.ok(json.includes(part), part);
    }
    // The card sits in the agent's chat: a button would open the agent's own security info.
    assert.equal(actionsIn(card).length, 0);
  });

  it('says the same steps as the guide page, from one catalogue', () => {
    for (const scenario of ['recovery', 'newJoiner', 'passkeyOnboarding'] as const) {
      for (const language of ['en', 'da'] as const) {
        const steps = elementsOfType(userGuideCard({ ...issued, scenario }, SAMPLE_CONTEXT, language), 'ColumnSet').map(
          (c) => String(elementsOfType(c, 'TextBlock')[1]!.text),
        );
        assert.deepEqual(steps, catalogue(language).guide.steps[scenario], `${scenario} ${language}`);
      }
    }
  });

  it('a multi-use passkey pass explains the two sign-ins; a one-time pass asks for one sitting', () => {
    const passkey = sampleRequest('Issued', { scenario: 'passkeyOnboarding' });
    const many = text(userGuideCard({ ...passkey, issued: { ...passkey.issued!, isUsableOnce: false } }, SAMPLE_CONTEXT));
    assert.ok(many.includes('Adding a passkey in Microsoft Authenticator needs two of them.'));
    assert.ok(text(userGuideCard(issued, SAMPLE_CONTEXT)).includes('one sitting'));
  });

  it('links the guide page in the user\'s language when the bot has a public address', () => {
    const ctx = { ...SAMPLE_CONTEXT, publicBaseUrl: 'https://tap.contoso.com' };
    assert.ok(text(userGuideCard(issued, ctx)).includes('This guide on your phone: https://tap.contoso.com/guide/recovery/en'));
    assert.ok(text(userGuideCard(issued, ctx, 'da')).includes('Denne vejledning på din telefon: https://tap.contoso.com/guide/recovery/da'));
    assert.ok(!text(userGuideCard(issued, SAMPLE_CONTEXT)).includes('/guide/'));
  });

  it('opens with a line for the scenario', () => {
    const intro = (scenario: 'recovery' | 'newJoiner' | 'passkeyOnboarding', lang?: string) =>
      text(userGuideCard({ ...issued, scenario }, SAMPLE_CONTEXT, lang));
    assert.ok(intro('recovery').includes('Lost your phone or locked out?'));
    assert.ok(intro('newJoiner').includes('Welcome!'));
    assert.ok(intro('passkeyOnboarding').includes('add a passkey'));
    assert.ok(intro('recovery', 'da').includes('mistet din telefon'));
    assert.ok(intro('newJoiner', 'da').includes('Velkommen!'));
    assert.ok(intro('passkeyOnboarding', 'da').includes('adgangsnøgle'));
  });

  it('before issue, states the lifetime instead of an expiry time', () => {
    const json = text(userGuideCard(SAMPLE_REQUESTS.PendingApproval, SAMPLE_CONTEXT));
    assert.ok(json.includes('Finish before the pass expires, 1 hour after it starts.'));
  });
});
