/**
 * The held-approval card (cards/step-up.json, src/cards/stepUp-views.ts): it says the approval
 * is held and for how long, links to the sign-in in the reader's language, offers the way back
 * to the request, and is a valid Adaptive Card 1.5 with every value bound.
 */
import assert from 'node:assert/strict';
import { stepUpCard } from '../../src/cards/render';
import { VERBS } from '../../src/cards/verbs';
import { actionsIn, problemsOf } from '../support/cardReader';

const HOLD = { requestId: 'TAP-7K3F9Q', intentId: 'a'.repeat(32), startUrl: `https://tap.contoso.com/step-up/start/${'a'.repeat(32)}`, expiresAt: '2030-01-01T08:10:00.000Z', linkLifetimeInMinutes: 10 };
const NOW = new Date('2030-01-01T08:00:00Z');

describe('the held-approval card (step-up)', () => {
  it('says the approval is held, not applied, until a sign-in within the minutes the link lasts', () => {
    const text = JSON.stringify(stepUpCard(HOLD, { now: NOW }));
    assert.match(text, /Confirm it is you/);
    assert.match(text, /Your approval of TAP-7K3F9Q is held, not applied: confirm it with a fresh sign-in in your browser within 10 minutes/);
  });

  it('links to the sign-in in the reader\'s language, and back to the request by the refresh verb', () => {
    const actions = actionsIn(stepUpCard(HOLD, { now: NOW, language: 'da' }));
    assert.deepEqual(actions.map((a) => a['type']), ['Action.OpenUrl', 'Action.Execute']);
    assert.equal(actions[0]?.['url'], `${HOLD.startUrl}?lang=da`);
    assert.equal(actions[0]?.['title'], 'Log ind');
    assert.equal(actions[1]?.['verb'], VERBS.refresh);
    assert.deepEqual(actions[1]?.['data'], { requestId: 'TAP-7K3F9Q' });
  });

  it('is a valid Adaptive Card 1.5 with every value bound, in English and Danish', () => {
    for (const language of ['en', 'da'] as const) {
      const problems = problemsOf(stepUpCard(HOLD, { now: NOW, language }));
      assert.deepEqual(problems, { events: [], unknownKeys: [], unboundExpressions: [] }, language);
    }
  });
});
