/** The waiting settings (src/config/flow.ts): reminder and escalation points inside the approval window, and escalating when away. */
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { toFlowConfig } from '../../src/config/flowSlice';
import { problemsOf } from '../support/configEnv';

describe('configuration: a silent approver', () => {
  it('by default reminds at half the window, moves on at three quarters, and passes over an approver who is away', () => {
    assert.deepEqual(toFlowConfig(loadConfig({})).approvalWaiting, { remindAfterInMs: 15 * 60_000, escalateAfterInMs: 22.5 * 60_000, escalateWhenAway: true });
  });

  it('takes shares of the window and minutes, and off turns each part off', () => {
    const c = loadConfig({ APPROVAL_TIMEOUT_MINUTES: '60', APPROVAL_REMINDER_AT: '10', APPROVAL_ESCALATE_AFTER: '50%', APPROVAL_ESCALATE_WHEN_AWAY: 'off' });
    assert.deepEqual(c.approvalWaiting, { remindAfterInMs: 10 * 60_000, escalateAfterInMs: 30 * 60_000, escalateWhenAway: false });
    assert.deepEqual(loadConfig({ APPROVAL_REMINDER_AT: 'off', APPROVAL_ESCALATE_AFTER: 'OFF' }).approvalWaiting, { escalateWhenAway: true });
  });

  it('refuses a point outside the window, and says what would do', () => {
    const [problem] = problemsOf({ APPROVAL_TIMEOUT_MINUTES: '30', APPROVAL_ESCALATE_AFTER: '45' });
    assert.match(problem ?? '', /APPROVAL_ESCALATE_AFTER is 45 minutes, which is not inside the approval window of 30 minutes.*50%.*off/);
  });

  it('refuses a value that is neither a share, minutes nor off', () => {
    assert.match(problemsOf({ APPROVAL_REMINDER_AT: 'soon' })[0] ?? '', /APPROVAL_REMINDER_AT must be a share of the approval window such as 50%.*got "soon"/);
    assert.match(problemsOf({ APPROVAL_REMINDER_AT: '100%' })[0] ?? '', /APPROVAL_REMINDER_AT must be/);
    assert.match(problemsOf({ APPROVAL_ESCALATE_WHEN_AWAY: 'maybe' })[0] ?? '', /APPROVAL_ESCALATE_WHEN_AWAY must be on or off/);
  });

  it('refuses a reminder that would come after the request moved on', () => {
    assert.match(problemsOf({ APPROVAL_REMINDER_AT: '80%', APPROVAL_ESCALATE_AFTER: '50%' })[0] ?? '', /APPROVAL_REMINDER_AT must come before APPROVAL_ESCALATE_AFTER/);
  });
});
