import assert from 'node:assert/strict';
import https from 'node:https';
import sinon from 'sinon';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { GROUPS, USERS } from '../../sandbox/ids';
import { accessToken, errorCode, graph, request, type HttpResult } from '../support/sandboxHttp';

type Json = Record<string, unknown>;
interface BatchResponseItem {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: Json;
}
const items = (r: HttpResult): BatchResponseItem[] => (r.body as { responses: BatchResponseItem[] }).responses;
const byId = (r: HttpResult): Map<string, BatchResponseItem> => new Map(items(r).map((i) => [i.id, i]));

describe('sandbox tenant: $batch, faults and the request log', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const batch = (requests: unknown[]): Promise<HttpResult> => graph(sandbox, 'POST', '/$batch', { token, body: { requests } });

  before(async () => {
    sandbox = await startSandbox({ seed: 7 });
    token = await accessToken(sandbox);
  });
  beforeEach(() => sandbox.reset());
  afterEach(() => sinon.restore());
  after(async () => {
    await sandbox.stop();
  });

  it('failNext answers the next N requests with 429 and Retry-After, then behaves', async () => {
    sandbox.knobs.failNext = { count: 2, status: 429 };
    sandbox.knobs.retryAfterSeconds = 3;
    const first = await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token });
    const second = await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token });
    const third = await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token });
    assert.deepEqual([first.status, second.status, third.status], [429, 429, 200]);
    assert.equal(first.headers['retry-after'], '3');
    assert.equal(errorCode(first), 'TooManyRequests');
    assert.equal(sandbox.knobs.failNext, null);
  });

  it('Retry-After is rounded up to whole seconds unless retryAfterFractional is set', async () => {
    sandbox.knobs.retryAfterSeconds = 0.05;
    sandbox.knobs.failNext = { count: 1, status: 429 };
    assert.equal((await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token })).headers['retry-after'], '1');
    sandbox.knobs.retryAfterFractional = true;
    sandbox.knobs.failNext = { count: 1, status: 429 };
    assert.equal((await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token })).headers['retry-after'], '0.05');
  });

  it('a batch answers every item, with mixed statuses, in an order other than the request order', async () => {
    const requests = [
      { id: '1', method: 'GET', url: `/users/${USERS.megan.id}?$select=id` },
      { id: '2', method: 'GET', url: `/users/${USERS.lee.id}/manager` },
      { id: '3', method: 'POST', url: `/users/${USERS.alex.id}/checkMemberGroups`, headers: { 'Content-Type': 'application/json' }, body: { groupIds: [GROUPS.helpdesk] } },
      { id: '4', method: 'GET', url: '/users/nobody@contoso.com' },
      { id: '5', method: 'GET', url: `/users/${USERS.lidia.id}/authentication/temporaryAccessPassMethods` },
    ];
    const result = await batch(requests);
    assert.equal(result.status, 200);
    const responses = byId(result);
    assert.deepEqual([...responses.keys()].sort(), ['1', '2', '3', '4', '5']);
    assert.notDeepEqual(items(result).map((i) => i.id), ['1', '2', '3', '4', '5']);
    assert.equal(responses.get('1')?.status, 200);
    assert.equal(responses.get('2')?.status, 404);
    assert.deepEqual(responses.get('3')?.body?.['value'], [GROUPS.helpdesk]);
    assert.equal(responses.get('4')?.status, 404);
    assert.equal((responses.get('5')?.body?.['value'] as unknown[]).length, 1);
  });

  it('a throttled batch item carries its own Retry-After while its neighbours succeed', async () => {
    sandbox.knobs.failNext = { count: 1, status: 429 };
    sandbox.knobs.retryAfterSeconds = 2;
    const result = await batch([
      { id: 'a', method: 'GET', url: `/users/${USERS.megan.id}?$select=id` },
      { id: 'b', method: 'GET', url: `/users/${USERS.lasse.id}?$select=id` },
    ]);
    assert.equal(result.status, 200);
    const responses = byId(result);
    assert.equal(responses.get('a')?.status, 429);
    assert.equal(responses.get('a')?.headers['Retry-After'], '2');
    assert.equal(responses.get('b')?.status, 200);
  });

  it('a batch of more than 20 requests is refused with 400', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: `/users/${USERS.megan.id}` }));
    assert.equal((await batch(requests)).status, 400);
  });

  it('a batch item with a body but no Content-Type is refused, as Graph does', async () => {
    const result = await batch([{ id: '1', method: 'POST', url: `/users/${USERS.alex.id}/checkMemberGroups`, body: { groupIds: [] } }]);
    assert.equal(result.status, 400);
  });

  it('dependsOn runs items in order and answers 424 when a dependency failed', async () => {
    const result = await batch([
      { id: 'missing', method: 'GET', url: '/users/nobody@contoso.com' },
      { id: 'after', method: 'GET', url: `/users/${USERS.megan.id}`, dependsOn: ['missing'] },
    ]);
    assert.equal(byId(result).get('after')?.status, 424);
  });

  it('TAP writes inside a batch go through the same rules (guest refused, value only in the 201)', async () => {
    const json = { 'Content-Type': 'application/json' };
    const result = await batch([
      { id: 'guest', method: 'POST', url: `/users/${USERS.pradeep.id}/authentication/temporaryAccessPassMethods`, headers: json, body: {} },
      { id: 'megan', method: 'POST', url: `/users/${USERS.megan.id}/authentication/temporaryAccessPassMethods`, headers: json, body: { lifetimeInMinutes: 60 } },
    ]);
    const responses = byId(result);
    assert.equal(responses.get('guest')?.status, 400);
    assert.equal(responses.get('megan')?.status, 201);
    assert.equal(typeof responses.get('megan')?.body?.['temporaryAccessPass'], 'string');
  });

  it('the request log counts round trips: a batch is one request that lists its items', async () => {
    await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token });
    await batch([
      { id: '1', method: 'GET', url: `/users/${USERS.megan.id}` },
      { id: '2', method: 'GET', url: `/users/${USERS.megan.id}/manager` },
    ]);
    assert.equal(sandbox.requests.length, 2);
    const [single, envelope] = sandbox.requests;
    assert.equal(single?.url, `/v1.0/users/${USERS.megan.id}`);
    assert.equal(single?.status, 200);
    assert.equal(envelope?.url, '/v1.0/$batch');
    assert.deepEqual(envelope?.batchItems, [`/users/${USERS.megan.id}`, `/users/${USERS.megan.id}/manager`]);
    assert.deepEqual(envelope?.batchItemStatuses, [200, 200]);
    sandbox.resetRequests();
    assert.equal(sandbox.requests.length, 0);
  });

  it('token requests are logged too, so a test can count them', async () => {
    await accessToken(sandbox);
    assert.equal(sandbox.requests.filter((r) => r.url.includes('/oauth2/v2.0/token')).length, 1);
  });

  it('failNext with 503 answers serviceNotAvailable', async () => {
    sandbox.knobs.failNext = { count: 1, status: 503 };
    const result = await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token });
    assert.equal(result.status, 503);
    assert.ok(result.headers['retry-after']);
  });

  it('dropRate 1 destroys the socket without an answer, and the log records status 0', async () => {
    sandbox.knobs.dropRate = 1;
    await assert.rejects(graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token }), /socket hang up|ECONNRESET/);
    assert.equal(sandbox.requests.at(-1)?.status, 0);
  });

  it('the same seed gives the same throttling pattern', async () => {
    const pattern = async (target: RunningSandbox): Promise<number[]> => {
      target.knobs.throttleRate = 0.5;
      const t = await accessToken(target);
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await graph(target, 'GET', `/users/${USERS.megan.id}?$select=id`, { token: t })).status);
      return out;
    };
    const twin = await startSandbox({ seed: 7 });
    try {
      const a = await pattern(sandbox);
      const b = await pattern(twin);
      assert.deepEqual(a, b);
      assert.ok(a.includes(429) && a.includes(200), `pattern ${a.join(',')}`);
    } finally {
      await twin.stop();
    }
  });

  it('latency delays every answer by at least latencyInMs', async () => {
    sandbox.knobs.latencyInMs = 120;
    const started = Date.now();
    await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token });
    assert.ok(Date.now() - started >= 115);
  });

  it('stop() closes the server even with a keep-alive connection open', async () => {
    const other = await startSandbox();
    const keepAlive = new https.Agent({ ca: other.caPem, keepAlive: true });
    try {
      await request(other, 'GET', `/${other.tenantId}/v2.0/.well-known/openid-configuration`, { agent: keepAlive });
      assert.equal(Object.values(keepAlive.freeSockets).flat().length, 1, 'a pooled keep-alive socket is open');
      await other.stop(); // would hang until the keep-alive timeout if sockets were not destroyed
      await assert.rejects(accessToken(other), /ECONNREFUSED/);
    } finally {
      keepAlive.destroy();
    }
  });
});
