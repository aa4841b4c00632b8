import assert from 'node:assert/strict';
import { FlowError } from '../../../src/errors';
import { InvalidInputError } from '../../../src/flow/errors';
import type { DecisionInput, NewRequestInput } from '../../../src/flow/types';
import { validateDecision, validateNewRequest } from '../../../src/flow/request/validation';

const NOW = new Date('2030-01-01T08:00:00.000Z');
const base: NewRequestInput = { target: 'megan@contoso.com', reason: 'Lost phone', scenario: 'recovery' };

function problemsOf(input: Partial<NewRequestInput> & Record<string, unknown>): string[] {
  try {
    validateNewRequest({ ...base, ...input } as NewRequestInput, NOW);
    return [];
  } catch (e) {
    assert.ok(e instanceof InvalidInputError, `expected InvalidInputError, got ${String(e)}`);
    assert.equal(e.code, 'invalidInput');
    return e.problems.map((p) => `${p.field}: ${p.message}`);
  }
}

describe('request input validation', () => {
  describe('target sign-in names', () => {
    const accepted: Array<[string, string]> = [
      ['  Megan@Contoso.COM ', 'megan@contoso.com'],
      ["miriam.o'brien@contoso.com", "miriam.o'brien@contoso.com"],
      ['pradeep_fabrikam.com#EXT#@contoso.com', 'pradeep_fabrikam.com#ext#@contoso.com'],
      ['$admin@contoso.com', '$admin@contoso.com'],
      ['first.last-2@sub.contoso.co.uk', 'first.last-2@sub.contoso.co.uk'],
      // The apostrophe a phone or Word types is the same name.
      ['miriam.o\u2019brien@contoso.com', "miriam.o'brien@contoso.com"],
    ];
    for (const [raw, expected] of accepted) {
      it(`accepts ${JSON.stringify(raw)} as ${expected}`, () => {
        assert.equal(validateNewRequest({ ...base, target: raw }, NOW).target, expected);
      });
    }

    const refused: Array<[string, string, RegExp]> = [
      ['empty', '   ', /Say who the pass is for/],
      ['a space inside', 'megan bowen@contoso.com', /spaces or characters/],
      ['angle brackets', '<megan@contoso.com>', /spaces or characters/],
      ['a control character', 'megan\u0007@contoso.com', /spaces or characters/],
      ['no domain', 'megan', /not a sign-in name/],
      ['no dot in the domain', 'megan@contoso', /not a sign-in name/],
      ['two @', 'megan@x@contoso.com', /not a sign-in name/],
      ['a quote', 'megan"@contoso.com', /not a sign-in name/],
      ['over 113 characters', `${'a'.repeat(102)}@contoso.com`, /too long .*113/],
      ['a zero-width space pasted along', 'megan\u200b@contoso.com', /"megan\?@contoso\.com" holds a character nobody can see/],
      ['a Cyrillic е that looks Latin', 'm\u0435gan@contoso.com', /holds "е" \(U\+0435\), a character that only looks like a Latin letter/],
    ];
    for (const [what, raw, message] of refused) {
      it(`refuses a target with ${what}`, () => {
        const problems = problemsOf({ target: raw });
        assert.equal(problems.length, 1);
        assert.match(problems[0]!, /^target: /);
        assert.match(problems[0]!, message);
      });
    }
  });

  describe('reason, ticket, scenario, lifetime, start', () => {
    const cases: Array<[string, Record<string, unknown>, RegExp | null]> = [
      ['a two-character reason', { reason: 'hi' }, /reason: .*at least 3/],
      ['a 501-character reason', { reason: 'x'.repeat(501) }, /reason: .*under 500/],
      ['a 500-character reason', { reason: 'x'.repeat(500) }, null],
      ['a ticket with a space', { ticket: 'INC 1' }, /ticket: /],
      ['a 41-character ticket', { ticket: 'A'.repeat(41) }, /ticket: /],
      ['a ticket like INC-12345', { ticket: ' INC-12345 ' }, null],
      ['an empty ticket', { ticket: '' }, null],
      ['an unknown scenario', { scenario: 'fun' }, /scenario: Choose a scenario: recovery, newJoiner, passkeyOnboarding/],
      ['a fractional lifetime', { lifetimeInMinutes: 60.5 }, /lifetimeInMinutes: .*whole number/],
      ['a lifetime of 9 minutes', { lifetimeInMinutes: 9 }, /between 10 and 43200/],
      ['a lifetime of 43201 minutes', { lifetimeInMinutes: 43201 }, /between 10 and 43200/],
      ['a lifetime typed as text "90"', { lifetimeInMinutes: '90' }, null],
      ['a start in the past', { startDateTime: '2029-12-31T08:00:00Z' }, /startDateTime: .*in the past/],
      ['a start without a time zone', { startDateTime: '2030-01-02T08:00:00' }, /startDateTime: .*time zone/],
      ['a start that is not a date', { startDateTime: 'tomorrow' }, /startDateTime: /],
      ['a start 31 days ahead', { startDateTime: '2030-02-01T08:00:01Z' }, /at most 30 days/],
      ['a start tomorrow', { startDateTime: '2030-01-02T09:00:00+01:00' }, null],
      ['one-time use given as text', { isUsableOnce: 'yes' }, /isUsableOnce/],
    ];
    for (const [what, input, message] of cases) {
      it(message ? `refuses ${what}` : `accepts ${what}`, () => {
        const problems = problemsOf(input);
        if (message === null) assert.deepEqual(problems, []);
        else assert.ok(problems.some((p) => message.test(p)), problems.join(' | '));
      });
    }
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({ target: 'nobody', reason: '', scenario: 'x' as never, lifetimeInMinutes: 5 });
    assert.deepEqual(problems.map((p) => p.split(':')[0]), ['target', 'reason', 'scenario', 'lifetimeInMinutes']);
  });

  it('strips control characters from the reason and normalises the output', () => {
    const valid = validateNewRequest({ ...base, reason: ' lost\u0000 phone\r\nnew one ', ticket: 'INC-1', lifetimeInMinutes: 120, startDateTime: '2030-01-02T09:00:00+01:00' }, NOW);
    assert.deepEqual(valid, {
      target: 'megan@contoso.com',
      reason: 'lost phone new one',
      ticket: 'INC-1',
      scenario: 'recovery',
      lifetimeInMinutes: 120,
      startDateTime: '2030-01-02T08:00:00.000Z',
    });
  });
});

describe('decision input validation', () => {
  it('approving without saying how identity was verified is refused', () => {
    assert.throws(() => validateDecision({ action: 'approve' }), (e: unknown) => e instanceof FlowError && e.code === 'attestationRequired');
    assert.throws(() => validateDecision({ action: 'approve', attestation: '  ' }), (e: unknown) => e instanceof FlowError && e.code === 'attestationRequired');
  });

  const cases: Array<[string, DecisionInput, RegExp | null]> = [
    ['an unknown attestation', { action: 'approve', attestation: 'gutFeeling' }, /videoCall, inPerson, knownNumberCall, other/],
    ['"other" without a note', { action: 'approve', attestation: 'other' }, /describe how you verified/],
    ['"other" with a note', { action: 'approve', attestation: 'other', attestationNote: 'Checked badge at reception' }, null],
    ['a 301-character note', { action: 'approve', attestation: 'inPerson', attestationNote: 'x'.repeat(301) }, /under 300/],
    ['a 301-character deny reason', { action: 'deny', denyReason: 'x'.repeat(301) }, /under 300/],
    ['a deny without reason', { action: 'deny' }, null],
    ['an unknown action', { action: 'maybe' as never }, /Approve or Deny/],
  ];
  for (const [what, input, message] of cases) {
    it(message ? `refuses ${what}` : `accepts ${what}`, () => {
      if (message === null) {
        validateDecision(input);
        return;
      }
      assert.throws(() => validateDecision(input), (e: unknown) => e instanceof InvalidInputError && message.test(e.userMessage));
    });
  }
});
