/**
 * "This wasn't me" stops a pass once: however many presses arrive at the same moment, from
 * the mail link or the Teams button, on one bot instance or two over one store. One
 * deletion, one alert to security, one `request.disputed` audit event. A stop that did not
 * finish may be tried again; a finished stop is never repeated.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { GraphError } from '../../../src/errors';
import { disputeAsOwner, disputeByLink, type LinkDispute } from '../../../src/flow/stop/dispute';
import type { OwnerNoticeLinks } from '../../../src/flow/types';
import { TapFlow } from '../../../src/flow/tapFlow';
import type { TapRequest } from '../../../src/flow/types';
import { SqliteStorage } from '../../../src/storage/sqliteStorage';
import { fakeAudit, fakeNotifier, flowContext, spiedGraph, type FakeAudit, type FakeNotifier } from '../../support/fakePorts';
import { actor, APPROVE, ask, contoso, flowConfig, hang, makeWorld, quietLogs, refusedWith, sequentialId, T0, USERS, type World } from '../../support/flowWorld';

const OWNER_NOTICE = { enabled: true, revokeSessionsOnDispute: true, publicBaseUrl: () => 'https://tap.contoso.com' };

interface Watched {
  /** The token of each owner notice, in order. */
  tokens: string[];
  alert: sinon.SinonSpy<[TapRequest], Promise<void>>;
}

function watch(notifier: FakeNotifier): Watched {
  const tokens: string[] = [];
  notifier.notifyOwner = sinon.fake(async (_r: TapRequest, links: OwnerNoticeLinks) => {
    tokens.push(links.disputeUrl!.split('/').pop()!);
  });
  const alert = sinon.fake(async (_r: TapRequest) => undefined);
  notifier.reportSuspicious = alert;
  return { tokens, alert };
}

function world(): World & Watched {
  const w = makeWorld({ config: { ownerNotice: OWNER_NOTICE } });
  return Object.assign(w, watch(w.notifier));
}

async function issuedFor(flow: TapFlow): Promise<TapRequest> {
  const request = await flow.startRequest(actor('adele'), ask(USERS.megan.upn));
  return flow.decide(actor('nestor'), request.id, APPROVE);
}

const disputed = (audit: FakeAudit): number => audit.actions().filter((a) => a === 'request.disputed').length;
const outcomesOf = (results: LinkDispute[]): string[] => results.map((r) => r.outcome).sort();

describe('"This wasn\'t me" stops a pass once', () => {
  quietLogs();

  it('ten simultaneous POSTs of one link stop the pass once: one deletion, one alert, one audit event', async () => {
    const w = world();
    await issuedFor(w.flow);
    const results = await Promise.all(Array.from({ length: 10 }, () => w.flow.disputeByLink(w.tokens[0]!)));
    assert.equal(w.graph.deleteTap.callCount, 1, 'one deletion');
    assert.equal(w.alert.callCount, 1, 'one alert to security');
    assert.equal(disputed(w.audit), 1, 'one request.disputed');
    assert.equal(w.graph.revokeSignInSessions.callCount, 1, 'sessions revoked once');
    assert.deepEqual(outcomesOf(results), ['stopped', ...Array<string>(9).fill('used')], 'the others wait for it and hear that the link was used');
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length ?? 0, 0);
  });

  it('the Teams button pressed twice at once, with the link at the same moment, alerts security once', async () => {
    const w = world();
    const pass = await issuedFor(w.flow);
    const [teams1, teams2, link] = await Promise.all([
      w.flow.disputeAsOwner(actor('megan'), pass.id),
      w.flow.disputeAsOwner(actor('megan'), pass.id),
      w.flow.disputeByLink(w.tokens[0]!),
    ]);
    assert.equal(w.graph.deleteTap.callCount, 1);
    assert.equal(w.alert.callCount, 1);
    assert.equal(disputed(w.audit), 1);
    for (const r of [teams1, teams2]) assert.ok(r.revocation, 'each press sees the stopped pass');
    assert.equal(link.outcome, 'stopped', 'the link was never used before: for it, this is its stop');
  });

  it('a finished stop is never repeated: a later press of the button or the link does nothing more', async () => {
    const w = world();
    const pass = await issuedFor(w.flow);
    await w.flow.disputeAsOwner(actor('megan'), pass.id);
    const again = await w.flow.disputeAsOwner(actor('megan'), pass.id);
    assert.ok(again.revocation);
    assert.deepEqual(await w.flow.disputeByLink(w.tokens[0]!), { outcome: 'stopped', request: again }, 'the link, used for the first time, reports the stop');
    assert.deepEqual(await w.flow.disputeByLink(w.tokens[0]!), { outcome: 'used' });
    assert.equal(w.graph.deleteTap.callCount, 1);
    assert.equal(w.alert.callCount, 1);
    assert.equal(disputed(w.audit), 1);
    assert.equal(w.graph.revokeSignInSessions.callCount, 1);
  });

  it('a pending request disputed twice is cancelled once, and security hears of it once', async () => {
    const w = world();
    const pending = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    const [a, b] = await Promise.all([w.flow.disputeAsOwner(actor('megan'), pending.id), w.flow.disputeAsOwner(actor('megan'), pending.id)]);
    assert.equal(a.state, 'Cancelled');
    assert.equal(b.state, 'Cancelled');
    assert.equal(w.alert.callCount, 1);
    assert.equal(disputed(w.audit), 1);
  });

  it('while Graph is down, simultaneous POSTs never run two attempts at once; the owner may try again, and nothing is alerted or audited twice', async () => {
    const w = world();
    await issuedFor(w.flow);
    w.graph.deleteTap.restore();
    let inFlight = 0;
    let mostInFlight = 0;
    const down = sinon.stub(w.graph, 'deleteTap').callsFake(async () => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      throw new GraphError({ code: 'unavailable', status: 503, userMessage: 'Graph is not answering.' });
    });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => w.flow.disputeByLink(w.tokens[0]!)));
    assert.equal(mostInFlight, 1, 'one attempt at a time');
    const failed = results.filter((r) => r.status === 'rejected').length;
    assert.equal(failed, down.callCount, 'each attempt that ran reports its failure');
    const others = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.outcome] : []));
    assert.deepEqual([...new Set(others)], others.length > 0 ? ['notFinished'] : [], 'the others are told it is not stopped yet');
    assert.equal(w.alert.callCount, 1, 'security hears of it once, although the stop failed');
    assert.equal(disputed(w.audit), 1);

    down.resetBehavior();
    down.resolves();
    const attemptsBefore = down.callCount;
    const retries = await Promise.all(Array.from({ length: 5 }, () => w.flow.disputeByLink(w.tokens[0]!)));
    assert.equal(retries.filter((r) => r.outcome === 'stopped').length, 1);
    assert.equal(down.callCount - attemptsBefore, 1, 'the retry deletes the pass, once');
    const stopped = retries.find((r) => r.outcome === 'stopped');
    assert.ok(stopped?.outcome === 'stopped' && stopped.request.revocation, 'the retry revoked the pass');
    assert.equal(w.alert.callCount, 1, 'no second alert');
    assert.equal(disputed(w.audit), 1, 'no second request.disputed');
    assert.deepEqual(await w.flow.disputeByLink(w.tokens[0]!), { outcome: 'used' });
  });

  it('the Teams button pressed while another stop is still running is refused with "not stopped yet", and nothing is done twice', async () => {
    const w = world();
    const pass = await issuedFor(w.flow);
    w.graph.deleteTap.restore();
    const stuck = sinon.stub(w.graph, 'deleteTap').callsFake(hang);
    void w.flow.disputeByLink(w.tokens[0]!);
    const ctx = flowContext({ graph: w.graph, storage: w.storage, notifier: w.notifier, audit: w.audit, config: w.config, clock: () => w.clock.now });
    await waitUntil(() => stuck.callCount === 1);
    await assert.rejects(disputeAsOwner(ctx, actor('megan'), pass.id, { waitForRunningStopInMs: 50 }), refusedWith('concurrentUpdate', /not stopped|being stopped/));
    assert.deepEqual(await disputeByLink(ctx, w.tokens[0]!, { waitForRunningStopInMs: 50 }), { outcome: 'notFinished' });
    assert.equal(stuck.callCount, 1);
    assert.equal(disputed(w.audit), 1);
  });

  it('a claim whose holder died lapses after its lease, and the next press finishes the stop, alerting once', async () => {
    const w = world();
    await issuedFor(w.flow);
    w.graph.deleteTap.restore();
    const stuck = sinon.stub(w.graph, 'deleteTap').callsFake(hang);
    void w.flow.disputeByLink(w.tokens[0]!); // the process "dies" inside Graph's DELETE
    await waitUntil(() => stuck.callCount === 1);
    const ctx = flowContext({ graph: w.graph, storage: w.storage, notifier: w.notifier, audit: w.audit, config: w.config, clock: () => w.clock.now });
    assert.equal((await disputeByLink(ctx, w.tokens[0]!, { waitForRunningStopInMs: 20 })).outcome, 'notFinished', 'not within the lease');
    w.advanceMinutes(6);
    stuck.resetBehavior();
    stuck.resolves();
    assert.equal((await disputeByLink(ctx, w.tokens[0]!)).outcome, 'stopped');
    assert.equal(stuck.callCount, 2);
    assert.equal(w.alert.callCount, 1, 'the dead holder never alerted; the one that finished did');
    assert.equal(disputed(w.audit), 1, 'audited by the first holder, not again');
  });
});

describe('"This wasn\'t me" stops a pass once across two bot instances on one SQLite file', function () {
  this.timeout(60_000);
  quietLogs();
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-dispute-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('ten simultaneous POSTs of one link, five to each instance, stop the pass once, 20 times over', async () => {
    for (let round = 0; round < 20; round++) {
      // A fresh file each round: a disputed pass makes the next request for Megan elevated risk.
      const file = path.join(dir, `bot-${round}.sqlite`);
      const stores = [new SqliteStorage({ path: file }), new SqliteStorage({ path: file })];
      const graph = spiedGraph(contoso());
      // Graph takes a moment, as over the network: presses on both instances overlap the DELETE.
      const deleteNow = graph.deleteTap.wrappedMethod.bind(graph);
      graph.deleteTap.restore();
      sinon.stub(graph, 'deleteTap').callsFake(async (userId: string, methodId: string) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return deleteNow(userId, methodId);
      });
      const notifier = fakeNotifier();
      const { tokens, alert } = watch(notifier);
      const audit = fakeAudit();
      let ids = 0;
      const config = flowConfig({ ownerNotice: OWNER_NOTICE });
      const [a, b] = stores.map((storage) => new TapFlow({ graph, storage, audit, notifier, config, clock: () => new Date(T0), newId: () => sequentialId(++ids) })) as [TapFlow, TapFlow];
      try {
        await issuedFor(a);
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).disputeByLink(tokens[0]!)));
        assert.equal(graph.deleteTap.callCount, 1, `round ${round}: one deletion`);
        assert.equal(alert.callCount, 1, `round ${round}: one alert`);
        assert.equal(disputed(audit), 1, `round ${round}: one request.disputed`);
        assert.equal(results.filter((r) => r.outcome === 'stopped').length, 1, `round ${round}: ${outcomesOf(results).join(', ')}`);
      } finally {
        for (const s of stores) await s.close();
      }
    }
  });
});

async function waitUntil(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ready(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(ready(), 'never got there');
}
