/**
 * Two bot instances on one SQLite file (two connections, as two processes would have):
 * the same approval clicked on both at the same moment issues exactly one pass, 200 times
 * over; a cancel racing an approval ends in one state; two submits for one person make one
 * request.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlowError } from '../../src/errors';
import { RequestClosedError } from '../../src/flow/errors';
import { TapFlow } from '../../src/flow/tapFlow';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { contoso, flowConfig, actor, APPROVE, ask, quietLogs, sequentialId, T0, USERS } from '../support/flowWorld';
import { fakeAudit, fakeNotifier, spiedGraph } from '../support/fakePorts';

describe('two instances on one SQLite file', function () {
  this.timeout(120_000);
  quietLogs();
  let dir: string;
  let stores: SqliteStorage[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-two-'));
    const file = path.join(dir, 'bot.sqlite');
    stores = [new SqliteStorage({ path: file }), new SqliteStorage({ path: file })];
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function instances() {
    const graph = spiedGraph(contoso());
    let ids = 0;
    const clock = { now: new Date(T0) };
    const config = flowConfig({ limits: { requestsPerAgentPerHour: 0, openApprovalsPerApprover: 0, passesPerTargetPerDay: 0 } });
    const make = (storage: SqliteStorage): TapFlow =>
      new TapFlow({ graph, storage, audit: fakeAudit(), notifier: fakeNotifier(), config, clock: () => clock.now, newId: () => sequentialId(++ids) });
    return { graph, a: make(stores[0]!), b: make(stores[1]!) };
  }

  it('the same approval clicked on both instances at the same moment issues exactly one pass, 200 times', async () => {
    const { graph, a, b } = instances();
    for (let round = 0; round < 200; round++) {
      const request = await a.startRequest(actor('adele'), ask(USERS.megan.upn));
      const before = graph.createTap.callCount;
      const results = await Promise.allSettled([a.decide(actor('nestor'), request.id, APPROVE), b.decide(actor('nestor'), request.id, APPROVE)]);
      assert.equal(graph.createTap.callCount - before, 1, `round ${round}: exactly one pass`);
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(lost.length, 1, `round ${round}: one click loses`);
      assert.ok(lost[0]!.reason instanceof RequestClosedError, 'the loser gets the current record, for its read-only card');
      assert.equal((await b.getRequest(request.id))?.state, 'Issued');
    }
  });

  it('a cancel racing an approval ends in exactly one of the two, and a cancelled request never gets a pass', async () => {
    const { graph, a, b } = instances();
    for (let round = 0; round < 50; round++) {
      const request = await a.startRequest(actor('adele'), ask(USERS.megan.upn));
      const before = graph.createTap.callCount;
      await Promise.allSettled([a.cancel(actor('adele'), request.id), b.decide(actor('nestor'), request.id, APPROVE)]);
      const state = (await a.getRequest(request.id))?.state;
      assert.ok(state === 'Cancelled' || state === 'Issued', `round ${round}: ${state}`);
      assert.equal(graph.createTap.callCount - before, state === 'Issued' ? 1 : 0);
    }
  });

  it('two submits for one person on both instances at the same moment make one request', async () => {
    const { a, b } = instances();
    for (let round = 0; round < 50; round++) {
      const results = await Promise.allSettled([a.startRequest(actor('adele'), ask(USERS.megan.upn)), b.startRequest(actor('alex'), ask(USERS.megan.upn))]);
      const made = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<TapFlow['startRequest']>>> => r.status === 'fulfilled');
      assert.equal(made.length, 1, `round ${round}`);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.ok(refused?.reason instanceof FlowError && refused.reason.code === 'duplicateRequest');
      await a.cancel(made[0]!.value.requester.id === USERS.adele.id ? actor('adele') : actor('alex'), made[0]!.value.id);
    }
  });
});
