import assert from 'node:assert/strict';
import sinon from 'sinon';
import { SCENARIOS } from '../../src/flow/types';
import { formatDuration } from '../../src/cards/format';
import { clientInstant } from '../../src/i18n/time';
import { formatInstant, helpCard, messageCard, requestFormCard, welcomeCard } from '../../src/cards/render';
import { languageFor } from '../../src/i18n';
import { VERBS } from '../../src/cards/verbs';
import { actionsIn, elementsOfType, inputById } from '../support/cardReader';

const POLICY = { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 120, forcedOneTime: false };

describe('request form card', () => {
  afterEach(() => sinon.restore());

  it('asks for target, reason, ticket, scenario, lifetime and one-time use', () => {
    const card = requestFormCard({ isUsableOnce: true, policy: POLICY });
    // Required in words (see "no input leaves 'required' to the host's red mark"); the bot checks the values.
    assert.match(String(inputById(card, 'target')!.label), /required/);
    assert.match(String(inputById(card, 'reason')!.label), /required/);
    assert.equal(inputById(card, 'reason')!.maxLength, 500);
    assert.doesNotMatch(String(inputById(card, 'ticket')!.label), /required/);
    const scenario = inputById(card, 'scenario')!;
    assert.deepEqual((scenario.choices as { value: string }[]).map((c) => c.value), [...SCENARIOS]);
    assert.deepEqual(
      (scenario.choices as { title: string }[]).map((c) => c.title),
      ['Recovery (lost phone / locked out)', 'New joiner', 'Passkey onboarding'],
    );
    const lifetime = inputById(card, 'lifetimeInMinutes')!;
    assert.deepEqual([lifetime.type, lifetime.value], ['Input.ChoiceSet', '120']);
    assert.equal(lifetime.label, 'How long the pass works (your policy allows 1 hour to 8 hours)');
    assert.equal(inputById(card, 'isUsableOnce')!.value, 'true');
  });

  it('submits with Action.Execute, validating its inputs, and carries no request id', () => {
    const actions = actionsIn(requestFormCard({ isUsableOnce: false, scenario: 'recovery' }));
    const submit = actions.find((a) => a.verb === VERBS.submitRequest);
    assert.deepEqual(actions.filter((a) => a !== submit).map((a) => a.verb), [VERBS.formScenario, VERBS.formScenario, VERBS.formScenario], 'besides submit: one button per scenario');
    assert.equal(submit!.type, 'Action.Execute');
    assert.equal(submit!.verb, VERBS.submitRequest);
    assert.equal(submit!.associatedInputs, 'auto');
    assert.deepEqual(submit!.data, { drawnScenario: 'recovery' }, 'Send says which scenario the settings were drawn for, so a different one chosen in the list is shown before it is asked');
  });

  it('each scenario has a button that redraws the form with its defaults; the form, never a button, says which is chosen and what it means', () => {
    const card = requestFormCard({ isUsableOnce: false, scenario: 'newJoiner', scenarioNote: 'New joiner: starts on their first morning at 08:00 and lasts the working day.', start: { date: '2030-01-07', time: '08:00' }, timeZone: 'Europe/Copenhagen' });
    const buttons = actionsIn(card).filter((a) => a.verb === VERBS.formScenario);
    assert.deepEqual(buttons.map((b) => (b.data as { chosenScenario: string }).chosenScenario), ['recovery', 'newJoiner', 'passkeyOnboarding']);
    assert.deepEqual(buttons.map((b) => b.title), ['Recovery', 'New joiner', 'Passkey onboarding'], 'no state in a button title');
    assert.ok(elementsOfType(card, 'TextBlock').some((t) => t.text === 'Chosen: New joiner'));
    const text = JSON.stringify(card);
    assert.match(text, /starts on their first morning/);
    assert.equal(inputById(card, 'startDate')!.value, '2030-01-07');
    assert.equal(inputById(card, 'startTime')!.value, '08:00');
    assert.match(text, /date and time in Europe\/Copenhagen/);
    assert.equal(inputById(requestFormCard({ isUsableOnce: true, scenario: 'recovery' }), 'startDate'), undefined, 'recovery asks for no start');
  });

  it('when policy forces one-time passes, hides the toggle and says why', () => {
    const card = requestFormCard({ isUsableOnce: false, policy: { ...POLICY, forcedOneTime: true } });
    assert.equal(inputById(card, 'isUsableOnce'), undefined);
    assert.ok(JSON.stringify(card).includes('policy makes every pass one-time use'));
  });

  it('keeps what the agent typed and shows the error when re-sent', () => {
    const card = requestFormCard({ target: 'x@contoso.com', reason: 'r', ticket: 't', scenario: 'newJoiner', lifetimeInMinutes: 90, isUsableOnce: false, error: 'No such user.' });
    assert.equal(inputById(card, 'target')!.value, 'x@contoso.com');
    assert.equal(inputById(card, 'scenario')!.value, 'newJoiner');
    assert.equal(inputById(card, 'lifetimeInMinutes')!.value, '90');
    assert.equal(inputById(card, 'isUsableOnce')!.value, 'false');
    assert.ok(elementsOfType(card, 'TextBlock').some((t) => t.text === 'No such user.'));
    const box = elementsOfType(card, 'Container').find((c) => c.style === 'attention')!;
    assert.ok(JSON.stringify(box).includes('Not sent yet'), 'a word says it, not only the colour');
    assert.ok(!JSON.stringify(requestFormCard({ isUsableOnce: true })).includes('"attention"'));
  });

  it('offers only lifetimes the policy allows, its bounds and default among them', () => {
    const choices = (policy = POLICY) =>
      (inputById(requestFormCard({ isUsableOnce: true, policy }), 'lifetimeInMinutes')!.choices as { title: string; value: string }[]);
    assert.deepEqual(choices().map((c) => c.value), ['60', '90', '120', '240', '480']);
    assert.deepEqual(choices().map((c) => c.title), ['1 hour', '90 minutes', '2 hours (default)', '4 hours', '8 hours']);
    assert.deepEqual(choices({ ...POLICY, minimumLifetimeInMinutes: 25, maximumLifetimeInMinutes: 50, defaultLifetimeInMinutes: 45 }).map((c) => c.value), ['25', '30', '45', '50']);
  });

  it('a lifetime outside the policy comes back unchosen with the bounds, never silently moved into them', () => {
    for (const asked of [5, 100000]) {
      const card = requestFormCard({ isUsableOnce: true, lifetimeInMinutes: asked, policy: POLICY, error: 'Outside the policy.' });
      const lifetime = inputById(card, 'lifetimeInMinutes')!;
      assert.equal(lifetime.value, '', String(asked));
      assert.ok(!(lifetime.choices as { value: string }[]).some((c) => c.value === String(asked)));
      assert.match(String(lifetime.label), /1 hour to 8 hours/, 'the label names the bounds');
    }
    const odd = inputById(requestFormCard({ isUsableOnce: true, lifetimeInMinutes: 75, policy: POLICY }), 'lifetimeInMinutes')!;
    assert.equal(odd.value, '75', 'an allowed lifetime typed in chat is kept as a choice');
  });
});

describe('welcome, help and message cards', () => {
  afterEach(() => sinon.restore());

  const helpTitles = (reader: Parameters<typeof helpCard>[0]): string[] =>
    elementsOfType(helpCard(reader), 'FactSet').flatMap((f) => (f.facts as { title: string }[]).map((x) => x.title));

  it('help lists every command an agent has', () => {
    assert.deepEqual(helpTitles({ isAgent: true, isApprover: false }), [
      'tap megan@contoso.com', 'tap group New Joiners', 'status', 'status megan@contoso.com', 'cancel TAP-7K3F9Q', 'revoke TAP-7K3F9Q', 'revoke BULK-7K3F9Q', 'report TAP-7K3F9Q <why>', 'help',
    ]);
    assert.ok(helpTitles({ isAgent: true, isApprover: true }).includes('pending'), 'an agent who also approves sees pending');
  });

  it('help for an approver speaks to approvers, and for anyone else says how to get a pass', () => {
    assert.deepEqual(helpTitles({ isAgent: false, isApprover: true }), ['pending', 'revoke TAP-7K3F9Q', 'report TAP-7K3F9Q <why>', 'help']);
    assert.ok(!helpTitles({ isAgent: false, isApprover: true }).includes('tap megan@contoso.com'));
    const other = JSON.stringify(helpCard({ isAgent: false, isApprover: false }));
    assert.match(other, /You are not in the helpdesk group/);
    assert.match(other, /contact your helpdesk/);
    assert.doesNotMatch(other, /tap megan@contoso\.com/);
  });

  it('welcome shows commands to agents only, and tells others they cannot request', () => {
    assert.ok(JSON.stringify(welcomeCard({ isAgent: true })).includes('cancel TAP-7K3F9Q'));
    const other = JSON.stringify(welcomeCard({ isAgent: false }));
    assert.ok(!other.includes('cancel TAP-7K3F9Q'));
    assert.ok(other.includes('You are not in the helpdesk group'));
  });

  it('message tone picks the container style', () => {
    const style = (tone: 'good' | 'attention' | 'warning' | 'default') =>
      elementsOfType(messageCard({ title: 't', text: 'x', tone }), 'Container')[0]!.style;
    assert.deepEqual([style('good'), style('attention'), style('warning'), style('default')], ['good', 'attention', 'warning', 'emphasis']);
  });
});

describe('formatting for cards', () => {
  const now = new Date('2026-11-22T13:05:00Z');

  it('says UTC plainly without a time zone, and names the zone with one', () => {
    assert.equal(formatInstant('2026-11-22T13:05:00Z', { now }), 'Sun 22 Nov 2026, 13:05 UTC');
    assert.equal(formatInstant('2026-11-22T13:05:00Z', { now, timeZone: 'Europe/Copenhagen' }), 'Sun 22 Nov 2026, 14:05 (Europe/Copenhagen)');
    assert.equal(formatInstant('2026-07-01T00:30:00Z', { now, timeZone: 'America/New_York' }), 'Tue 30 Jun 2026, 20:30 (America/New_York)');
  });

  it('falls back to UTC, and says so, for an unknown time zone', () => {
    assert.equal(formatInstant('2026-11-22T13:05:00Z', { now, timeZone: 'Mars/Olympus' }), 'Sun 22 Nov 2026, 13:05 UTC');
  });

  it('writes durations in words', () => {
    assert.deepEqual([60, 480, 90, 1, 1440, 43200].map((m) => formatDuration(m)), ['1 hour', '8 hours', '90 minutes', '1 minute', '1 day', '30 days']);
    assert.deepEqual([60, 480, 90].map((m) => formatDuration(m, 'da')), ['1 time', '8 timer', '90 minutter']);
  });

  it('writes an instant for the client to render in the viewer\'s zone, without fractions of a second it would not accept', () => {
    assert.equal(clientInstant('2026-12-01T08:00:00.000Z'), '{{DATE(2026-12-01T08:00:00Z, SHORT)}} {{TIME(2026-12-01T08:00:00Z)}}');
    assert.equal(clientInstant('2026-12-01T09:00:00+01:00'), '{{DATE(2026-12-01T08:00:00Z, SHORT)}} {{TIME(2026-12-01T08:00:00Z)}}');
    assert.equal(clientInstant('not a date'), 'not a date');
  });

  it('chooses Danish only for a language tag starting with "da"', () => {
    assert.deepEqual(['da', 'da-DK', 'DA_dk', 'en-US', 'dan', '', null, undefined].map(languageFor), ['da', 'da', 'da', 'en', 'en', 'en', 'en', 'en']);
  });
});
