/**
 * A bulk approval is one click for many passes: with step-up on it is held like a single
 * approval, and applied only by a fresh sign-in of that approver with the authentication
 * context (sandbox tenant, SQLite, the real gateway; the sign-in's claims made by the test).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { GENERATED_GROUP } from '../../../sandbox/generate';
import { SANDBOX_TENANT_ID, USERS } from '../../../sandbox/ids';
import { StepUpRequiredError, type StepUpAttempt, type StepUpPolicy } from '../../../src/flow/decide/stepUp';
import { TapFlow } from '../../../src/flow/tapFlow';
import type { BulkRequest } from '../../../src/flow/bulk/types';
import { configureLogging } from '../../../src/log';
import { AGENT, BULK_APPROVER, startBulkWorld, type BulkWorld } from '../../support/bulkWorld';
import { flowConfig } from '../../support/flowWorld';

const ASK = { group: GENERATED_GROUP.displayName, scenario: 'newJoiner' as const, reason: 'December joiners from HR', startDateTime: new Date(Date.now() + 20 * 60_000).toISOString() };
const STEP_UP: StepUpPolicy = { mode: 'elevated', authContextId: 'c1', maxAgeInMinutes: 5, linkLifetimeInMinutes: 10, startUrl: (id) => `https://bot.example.test/step-up/start/${id}` };
const CLIENT_ID = 'b0b0b0b0-0000-4000-8000-00000000b0b0';

describe('step-up for a bulk approval (sandbox tenant, SQLite) @bulk', function () {
  this.timeout(120_000);
  let w: BulkWorld;
  let steps: TapFlow;
  before(() => configureLogging({ level: 'silent' }));
  after(() => configureLogging({ level: 'info' }));
  // A world per test: a held bulk request keeps its members' one-open-request locks.
  beforeEach(async () => {
    w = await startBulkWorld({ members: 5, config: { stepUp: STEP_UP } });
    // The single flow over the same storage: it holds the step-up intents, as in the app.
    steps = new TapFlow({ graph: w.graph, storage: w.storage, audit: w.audit, notifier: w.flowNotifier, config: flowConfig({ stepUp: STEP_UP }) });
  });
  afterEach(async () => {
    await w?.stop();
  });

  async function held(): Promise<{ bulk: BulkRequest; attempt: StepUpAttempt }> {
    const bulk = await w.flow.start(AGENT, ASK);
    let hold: StepUpRequiredError['hold'] | undefined;
    try {
      await w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
    } catch (e) {
      if (!(e instanceof StepUpRequiredError)) throw e;
      hold = e.hold;
    }
    assert.ok(hold, 'the bulk approval was applied without a step-up');
    const started = await steps.beginStepUp(hold.intentId, { state: `${hold.intentId}.${randomBytes(24).toString('base64url')}`, nonce: 'n'.repeat(32), codeVerifier: 'v' }, w.flow.stepUpPort());
    assert.equal(started.kind, 'signIn');
    return { bulk, attempt: (started as { attempt: StepUpAttempt }).attempt };
  }

  const token = (attempt: StepUpAttempt, who: string, change: Record<string, unknown> = {}) => async () => ({
    claims: { aud: CLIENT_ID, iss: 'https://login.example/v2.0', tid: SANDBOX_TENANT_ID, oid: who, nonce: attempt.nonce, acrs: ['c1'], auth_time: Math.floor(Date.now() / 1000), ...change },
    expect: { audience: CLIENT_ID, issuer: 'https://login.example/v2.0' },
  });

  it('a click on Approve alone creates no pass: the bulk request still waits', async () => {
    const { bulk } = await held();
    assert.equal((await w.flow.get(bulk.id))?.state, 'PendingApproval');
    assert.equal(w.createsPerUser().size, 0);
  });

  it("someone else's sign-in, or one without the context, approves nothing", async () => {
    const { bulk, attempt } = await held();
    const other = await steps.finishStepUp(attempt.state, token(attempt, USERS.nestor.id), w.flow.stepUpPort());
    assert.equal(other.kind === 'refused' && other.because, 'otherUser');
    // A second click holds it again; this sign-in skips the passkey step.
    const again = await w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true }).catch((e: unknown) => e);
    assert.ok(again instanceof StepUpRequiredError);
    const retry = await steps.beginStepUp(again.hold.intentId, { state: `${again.hold.intentId}.${randomBytes(24).toString('base64url')}`, nonce: 'm'.repeat(32), codeVerifier: 'v' }, w.flow.stepUpPort());
    assert.equal(retry.kind, 'signIn');
    const attempt2 = (retry as { attempt: StepUpAttempt }).attempt;
    const noContext = await steps.finishStepUp(attempt2.state, token(attempt2, BULK_APPROVER.aadObjectId, { acrs: [] }), w.flow.stepUpPort());
    assert.equal(noContext.kind === 'refused' && noContext.because, 'noContext');
    assert.equal((await w.flow.get(bulk.id))?.state, 'PendingApproval');
    assert.equal(w.createsPerUser().size, 0);
  });

  it("the approver's fresh sign-in with the context applies the bulk approval, and the passes are made", async () => {
    const { bulk, attempt } = await held();
    const outcome = await steps.finishStepUp(attempt.state, token(attempt, BULK_APPROVER.aadObjectId), w.flow.stepUpPort());
    assert.deepEqual(outcome, { kind: 'applied', requestId: bulk.id });
    await w.flow.whenIdle();
    const done = (await w.flow.get(bulk.id)) as BulkRequest;
    assert.equal(done.decision?.by.id, BULK_APPROVER.aadObjectId);
    assert.ok(w.createsPerUser().size > 0, 'passes were created');
  });

  it('a step-up finished after the bulk request was cancelled approves nothing', async () => {
    const { bulk, attempt } = await held();
    await w.flow.cancel(AGENT, bulk.id);
    const outcome = await steps.finishStepUp(attempt.state, token(attempt, BULK_APPROVER.aadObjectId), w.flow.stepUpPort());
    assert.equal(outcome.kind === 'refused' && outcome.because, 'requestClosed');
    assert.equal((await w.flow.get(bulk.id))?.state, 'Cancelled');
  });
});
