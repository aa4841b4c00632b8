/**
 * The field scenarios: what each one means for the pass, a new joiner's first morning in
 * the organisation's time zone, and a pass prepared days ahead that is made on the morning.
 */
import assert from 'node:assert/strict';
import { FlowError } from '../../../src/errors';
import { InvalidInputError } from '../../../src/flow/errors';
import { localToUtc, nextWorkingDay } from '../../../src/flow/request/localTime';
import { actor, APPROVE, ask, GROUPS, makeWorld, quietLogs, T0, USERS } from '../../support/flowWorld';

const COPENHAGEN = 'Europe/Copenhagen';

describe('scenario presets', () => {
  quietLogs();

  it('recovery is one-time (TAP_ONE_TIME) at the policy default, starting at once', async () => {
    const w = makeWorld();
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'recovery' }));
    assert.deepEqual([r.settings.isUsableOnce, r.settings.lifetimeInMinutes, r.settings.startDateTime], [true, 60, undefined]);
  });

  it('passkey onboarding is multi-use and long enough for two sign-ins', async () => {
    const w = makeWorld();
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'passkeyOnboarding' }));
    assert.deepEqual([r.settings.isUsableOnce, r.settings.lifetimeInMinutes], [false, 120]);
  });

  it('a new joiner without a start begins the next working day at 08:00 in the organisation\'s zone and lasts the working day', async () => {
    const w = makeWorld({ config: { orgTimeZone: COPENHAGEN } });
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'newJoiner' }));
    // T0 is Tuesday 2030-01-01 08:00 UTC; the next working day is Wednesday, 08:00 Copenhagen = 07:00 UTC.
    assert.equal(r.settings.startDateTime, '2030-01-02T07:00:00.000Z');
    assert.deepEqual([r.settings.isUsableOnce, r.settings.lifetimeInMinutes], [false, 480]);
  });

  it('a preset is a default, never a demand: the policy clamps it and forces one-time where it says so', async () => {
    const w = makeWorld();
    w.graph.directory.policy = { ...w.graph.directory.policy, maximumLifetimeInMinutes: 240, isUsableOnce: true };
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'newJoiner' }));
    assert.deepEqual([r.settings.isUsableOnce, r.settings.lifetimeInMinutes], [true, 240]);
  });

  it('what the agent set wins over the preset; a lifetime outside the policy is refused with the bounds', async () => {
    const w = makeWorld();
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'newJoiner', lifetimeInMinutes: 90, isUsableOnce: true }));
    assert.deepEqual([r.settings.isUsableOnce, r.settings.lifetimeInMinutes], [true, 90]);
    await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.lasse.upn, { lifetimeInMinutes: 600 })), (e: unknown) => e instanceof FlowError && e.code === 'lifetimeOutOfBounds');
  });
});

describe('a passkey onboarding pass is never one-time (it takes two sign-ins)', () => {
  quietLogs();

  it('a form that still says one-time (left from the recovery defaults) gets a multi-use pass', async () => {
    const w = makeWorld();
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'passkeyOnboarding', lifetimeInMinutes: 60, isUsableOnce: true }));
    assert.deepEqual([r.settings.isUsableOnce, r.settings.lifetimeInMinutes], [false, 60]);
  });

  it('a tenant whose policy forces one-time passes is told why passkey onboarding cannot work, before anyone is asked', async () => {
    const w = makeWorld();
    w.graph.directory.policy = { ...w.graph.directory.policy, isUsableOnce: true };
    await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'passkeyOnboarding' })), /needs a pass that works for two sign-ins.*policy makes every pass one-time/);
    assert.equal(w.notifier.requestApproval.callCount, 0);
  });
});

describe('a start date and time', () => {
  quietLogs();

  it('typed in the agent\'s zone reaches Graph as the right UTC instant, in winter and in summer', () => {
    assert.equal(localToUtc('2030-01-07', '08:00', COPENHAGEN), '2030-01-07T07:00:00.000Z');
    assert.equal(localToUtc('2030-07-01', '08:00', COPENHAGEN), '2030-07-01T06:00:00.000Z');
    assert.equal(localToUtc('2030-07-01', '08:00', 'America/New_York'), '2030-07-01T12:00:00.000Z');
    assert.equal(localToUtc('2030-02-30', '08:00', COPENHAGEN), undefined, 'no such day');
    assert.equal(localToUtc('2030-01-07', '08:00', 'Mars/Olympus'), undefined, 'no such zone');
  });

  it('the next working day skips the weekend', () => {
    assert.equal(nextWorkingDay(new Date('2030-01-04T18:00:00Z'), COPENHAGEN), '2030-01-07', 'Friday evening → Monday');
  });

  it('a start from the form is converted with the zone it was typed in', async () => {
    const w = makeWorld();
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'newJoiner', startDate: '2030-01-07', startTime: '08:30', timeZone: COPENHAGEN }));
    assert.equal(r.settings.startDateTime, '2030-01-07T07:30:00.000Z');
  });

  it('a start typed without a zone is read in the organisation\'s zone (what the form says), and a date without a time starts at the preset\'s time', async () => {
    const w = makeWorld({ config: { orgTimeZone: COPENHAGEN } });
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'newJoiner', startDate: '2030-01-07', startTime: '09:15' }));
    assert.equal(r.settings.startDateTime, '2030-01-07T08:15:00.000Z');
    const w2 = makeWorld({ config: { orgTimeZone: COPENHAGEN } });
    const r2 = await w2.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'newJoiner', startDate: '2030-01-07' }));
    assert.equal(r2.settings.startDateTime, '2030-01-07T07:00:00.000Z', '08:00 Copenhagen, never midnight UTC');
  });

  it('a start in the past, or more than 30 days ahead, is refused with the reason', async () => {
    const w = makeWorld();
    await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { startDate: '2029-12-31', startTime: '08:00', timeZone: COPENHAGEN })), (e: unknown) => {
      assert.ok(e instanceof InvalidInputError);
      assert.match(e.userMessage, /is in the past/);
      return true;
    });
    await assert.rejects(w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { startDate: '2030-03-01', startTime: '08:00', timeZone: COPENHAGEN })), /at most 30 days ahead/);
  });
});

describe('a pass prepared days ahead', () => {
  quietLogs();

  async function approvedNewJoiner(w: ReturnType<typeof makeWorld>) {
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'newJoiner', startDate: '2030-01-07', startTime: '08:00', timeZone: COPENHAGEN }));
    return w.flow.decide(actor('nestor'), r.id, APPROVE);
  }

  it('is approved now and made on the morning: no code exists in between', async () => {
    const w = makeWorld();
    const approved = await approvedNewJoiner(w);
    assert.equal(approved.state, 'Approved');
    assert.equal(approved.scheduledIssueAt, '2030-01-07T06:45:00.000Z');
    assert.equal(w.graph.createTap.callCount, 0);
    w.clock.now = new Date('2030-01-07T06:00:00Z');
    await w.flow.sweep();
    assert.equal(w.graph.createTap.callCount, 0, 'not before its time');
    assert.equal((await w.stored(approved.id))?.state, 'Approved', 'waiting is not an interrupted issuance');
    w.clock.now = new Date('2030-01-07T06:46:00Z');
    await w.restart().sweep();
    const issued = await w.stored(approved.id);
    assert.equal(issued?.state, 'Issued');
    assert.equal(w.graph.createTap.firstCall.args[1].startDateTime, '2030-01-07T07:00:00.000Z');
    assert.equal(w.notifier.deliverPass.callCount, 1);
  });

  it('is re-checked on the morning: an agent who left the helpdesk meanwhile gets nothing', async () => {
    const w = makeWorld();
    const approved = await approvedNewJoiner(w);
    w.graph.directory.groups[GROUPS.helpdesk] = [USERS.alex.id];
    w.clock.now = new Date('2030-01-07T06:46:00Z');
    await w.flow.sweep();
    const failed = await w.stored(approved.id);
    assert.equal(failed?.state, 'Failed');
    assert.equal(failed?.failure?.code, 'requesterNotAgent');
    assert.equal(w.graph.createTap.callCount, 0);
  });

  it('two instances sweeping at the same moment make one pass', async () => {
    const w = makeWorld();
    await approvedNewJoiner(w);
    w.clock.now = new Date('2030-01-07T06:46:00Z');
    await Promise.all([w.flow.sweep(), w.restart().sweep()]);
    assert.equal(w.graph.createTap.callCount, 1);
  });

  it('a start less than an hour away is issued at approval, as before', async () => {
    const w = makeWorld();
    const start = new Date(T0.getTime() + 30 * 60_000).toISOString();
    const r = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { startDateTime: start }));
    assert.equal((await w.flow.decide(actor('nestor'), r.id, APPROVE)).state, 'Issued');
  });
});
