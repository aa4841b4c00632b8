/**
 * A new request and its `request.created` audit event are one commit on a store with
 * transactions (SQLite): the event is never missing for a stored request, nor stored for one
 * that is not, and the request costs one commit less. A store without transactions records
 * the event after the request, as before; a broken chain never stops the request.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { AuditLog } from '../../../src/audit/auditLog';
import { TapFlow } from '../../../src/flow/tapFlow';
import { SqliteStorage } from '../../../src/storage/sqliteStorage';
import { fakeNotifier, MemoryStorage, spiedGraph } from '../../support/fakePorts';
import { actor, ask, contoso, flowConfig, quietLogs, USERS } from '../../support/flowWorld';

describe('a new request and its audit event, in one commit', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  it('on SQLite the request and request.created go in the same transaction, and the chain verifies', async () => {
    const storage = new SqliteStorage({ path: ':memory:' });
    const audit = new AuditLog({ storage });
    const flow = new TapFlow({ graph: spiedGraph(contoso()), storage, audit, notifier: fakeNotifier(), config: flowConfig() });
    const step = sinon.spy(storage, 'updateAtomically');
    const r = await flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    // The commit that created the request is the one that wrote the event.
    const written: string[][] = [];
    for (const call of step.getCalls()) {
      const eTags = (await call.returnValue) as Record<string, string>;
      written.push(Object.keys(eTags));
    }
    const create = written.find((keys) => keys.includes(`request/${r.id}`) && keys.some((k) => k.startsWith('index/open')));
    assert.ok(create, JSON.stringify(written));
    assert.ok(create.some((k) => k.startsWith('audit-chain/event/')), `the create commit wrote ${create.join(', ')}`);
    const created = (await audit.recent(20)).filter((e) => e.action === 'request.created');
    assert.deepEqual(created.map((e) => e.requestId), [r.id], 'exactly one created event');
    const report = await audit.verify();
    assert.equal(report.intact, true, report.message);
    await storage.close();
  });

  it('on a store without transactions the event follows the request, once', async () => {
    const storage = new MemoryStorage();
    const audit = new AuditLog({ storage });
    const flow = new TapFlow({ graph: spiedGraph(contoso()), storage, audit, notifier: fakeNotifier(), config: flowConfig() });
    const r = await flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.deepEqual((await audit.recent(20)).filter((e) => e.action === 'request.created').map((e) => e.requestId), [r.id]);
  });

  it('a chain that cannot take the event never stops the request: it is stored, and the failure is logged', async () => {
    const storage = new SqliteStorage({ path: ':memory:' });
    const audit = new AuditLog({ storage });
    sinon.replace(audit, 'stepFor', () => () => {
      throw new Error('the chain is broken');
    });
    const flow = new TapFlow({ graph: spiedGraph(contoso()), storage, audit, notifier: fakeNotifier(), config: flowConfig() });
    const r = await flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    assert.equal((await flow.getRequest(r.id))?.state, 'PendingApproval');
    await storage.close();
  });
});
