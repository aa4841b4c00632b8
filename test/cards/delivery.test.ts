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
} from '../../src/cards/sample';
import { VERBS } from '../../src/cards/verbs';
import { actionsIn, elementsOfType } from './helpers';

const issued = SAMPLE_REQUESTS.Issued;

describe('pass delivery card', () => {
  afterEach(() => sinon.restore());

  it('shows the code once, verbatim, in large monospace that is not subtle', () => {
    const card = passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT);
    const json = JSON.stringify(card);
    assert.equal(json.split(SAMPLE_PASS_CODE).length - 1, 1, 'the code appears exactly once');
    const run = elementsOfType(card, 'TextRun').find((r) => r.text === SAMPLE_PASS_CODE)!;
    assert.equal(run.fontType, 'Monospace');
    assert.equal(run.size, 'ExtraLarge');
    assert.equal(run.isSubtle, false);
    // A TextBlock would run the code through markdown and could mangle `*` or `_`.
    assert.ok(!elementsOfType(card, 'TextBlock').some((t) => String(t.text).includes(SAMPLE_PASS_CODE)));
  });

  it('says for whom, when it starts and expires, and whether it is one-time or multi-use', () => {
    const once = JSON.stringify(passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT_UTC));
    for (const fact of ['Megan Bowen (meganb@contoso.com)', 'Sun 22 Nov 2026, 13:05 UTC', 'Sun 22 Nov 2026, 14:05 UTC', 'One-time use']) {
      assert.ok(once.includes(fact), fact);
    }
    const multi = JSON.stringify(passDeliveryCard(issued, { ...SAMPLE_PASS, isUsableOnce: false }, SAMPLE_CONTEXT_UTC));
    assert.ok(multi.includes('Multi-use (until it expires)'));
  });

  it('links to My Security Info and offers Handed over with only the request id', () => {
    const actions = actionsIn(passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT));
    assert.deepEqual(actions.find((a) => a.type === 'Action.OpenUrl'), {
      type: 'Action.OpenUrl',
      title: 'Open My Security Info',
      url: 'https://aka.ms/mysecurityinfo',
    });
    const handedOver = actions.find((a) => a.verb === VERBS.handedOver)!;
    assert.equal(handedOver.title, 'Handed over');
    assert.deepEqual(handedOver.data, { requestId: issued.id });
  });

  it('without the pass, the card holds no code anywhere, even for the request the code was shown for', () => {
    const withCode = JSON.stringify(passDeliveryCard(issued, SAMPLE_PASS, SAMPLE_CONTEXT));
    assert.ok(withCode.includes(SAMPLE_PASS_CODE), 'precondition: the code was on the first card');
    for (const req of [issued, sampleHandedOver()]) {
      const json = JSON.stringify(passDeliveryCard(req, null, SAMPLE_CONTEXT));
      assert.ok(!json.includes(SAMPLE_PASS_CODE));
      assert.equal(elementsOfType(JSON.parse(json), 'TextRun').filter((r) => r.fontType === 'Monospace').length, 0);
      assert.ok(!actionsIn(JSON.parse(json)).some((a) => a.verb === VERBS.handedOver));
    }
  });

  it('after handover says when the code was removed, and keeps the facts', () => {
    const json = JSON.stringify(passDeliveryCard(sampleHandedOver(), null, SAMPLE_CONTEXT_UTC));
    assert.ok(json.includes('Code removed: handed over at Sun 22 Nov 2026, 13:08 UTC.'));
    assert.ok(json.includes('Sun 22 Nov 2026, 14:04 UTC'));
    assert.ok(json.includes('https://aka.ms/mysecurityinfo'));
  });

  it('after expiry says when the pass expired', () => {
    const expired = { ...issued, delivery: { ...issued.delivery!, codeHiddenAt: issued.issued!.expiresDateTime } };
    const json = JSON.stringify(passDeliveryCard(expired, null, SAMPLE_CONTEXT_UTC));
    assert.ok(json.includes('The pass expired at Sun 22 Nov 2026, 14:04 UTC.'));
    assert.ok(!json.includes('handed over at'));
  });
});

describe('user guide card', () => {
  afterEach(() => sinon.restore());

  const text = (card: object): string => JSON.stringify(card);

  it('is Danish for "da-DK" and "da", English otherwise', () => {
    assert.ok(text(userGuideCard(issued, SAMPLE_CONTEXT, 'da-DK')).includes('Sådan gør du'));
    assert.ok(text(userGuideCard(issued, SAMPLE_CONTEXT, 'da')).includes('Åbn Mine sikkerhedsoplysninger'));
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

  it('walks through My Security Info, signing in with the UPN and the pass, Authenticator or a passkey, before expiry', () => {
    const card = userGuideCard(issued, SAMPLE_CONTEXT_UTC);
    const json = text(card);
    for (const part of [
      'https://aka.ms/mysecurityinfo',
      'Sign in as meganb@contoso.com',
      'Microsoft Authenticator and turn on phone sign-in',
      'passkey',
      'Finish before the pass expires: Sun 22 Nov 2026, 14:04 UTC.',
      'ask the helpdesk for a new one',
      "You can't use this method",
      'Do not share the pass with anyone',
    ]) {
      assert.ok(json.includes(part), part);
    }
    assert.equal(actionsIn(card).find((a) => a.type === 'Action.OpenUrl')?.url, 'https://aka.ms/mysecurityinfo');
  });

  it('writes Danish dates in Danish', () => {
    assert.ok(text(userGuideCard(issued, SAMPLE_CONTEXT, 'da-DK')).includes('søn. 22. nov. 2026 kl. 15.04 (Europe/Copenhagen)'));
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
