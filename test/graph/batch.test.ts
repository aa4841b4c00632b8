import assert from 'node:assert/strict';
import sinon from 'sinon';
import { BatchProtocolError, executeBatch, type BatchItemRequest, type BatchSender } from '../../src/graph/batch';
import type { RetryPolicy } from '../../src/graph/retry';

interface SentItem {
  id: string;
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}
type ItemAnswer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A `$batch` endpoint that answers each item through `answer`, in reverse order. */
function fakeBatch(answer: (item: SentItem, round: number) => ItemAnswer): { send: BatchSender; rounds: SentItem[][] } {
  const rounds: SentItem[][] = [];
  const send: BatchSender = async (payload) => {
    const items = payload.requests as SentItem[];
    rounds.push(items);
    const round = rounds.length;
    return { responses: items.map((i) => ({ id: i.id, ...answer(i, round) })).reverse() };
  };
  return { send, rounds };
}

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  return {
    maxRetries: 3,
    maxRetryAfterInMs: 30_000,
    baseDelayInMs: 1_000,
    sleep: async (ms) => {
      waits.push(ms);
    },
    waits,
    ...overrides,
  };
}

const get = (id: string): BatchItemRequest => ({ id, method: 'GET', url: `/users/${id}` });

describe('$batch', () => {
  afterEach(() => sinon.restore());

  it('splits more than 20 requests into batches of at most 20', async () => {
    const { send, rounds } = fakeBatch(() => ({ status: 200, body: {} }));
    const requests = Array.from({ length: 45 }, (_, i) => get(`r${i}`));
    const answers = await executeBatch(send, requests, policy());
    assert.deepEqual(rounds.map((r) => r.length), [20, 20, 5]);
    assert.equal(answers.size, 45);
  });

  it('maps answers by id whatever order they come back in', async () => {
    const { send } = fakeBatch((item) => ({ status: 200, body: { echo: item.url } }));
    const answers = await executeBatch(send, [get('a'), get('b'), get('c')], policy());
    assert.deepEqual(answers.get('a')?.body, { echo: '/users/a' });
    assert.deepEqual(answers.get('c')?.body, { echo: '/users/c' });
  });

  it('a POST item carries its JSON body with a Content-Type header', async () => {
    const { send, rounds } = fakeBatch(() => ({ status: 200, body: { value: [] } }));
    await executeBatch(send, [{ id: 'p', method: 'POST', url: '/users/x/checkMemberGroups', body: { groupIds: ['g'] } }], policy());
    assert.deepEqual(rounds[0]?.[0]?.body, { groupIds: ['g'] });
    assert.equal(rounds[0]?.[0]?.headers?.['Content-Type'], 'application/json');
  });

  it("a throttled item is re-sent alone after its own Retry-After, its neighbours are not re-sent", async () => {
    const { send, rounds } = fakeBatch((item, round) =>
      item.id === 'b' && round === 1 ? { status: 429, headers: { 'Retry-After': '7' } } : { status: 200, body: { ok: item.id } },
    );
    const p = policy();
    const answers = await executeBatch(send, [get('a'), get('b'), get('c')], p);
    assert.deepEqual(p.waits, [7_000]);
    assert.deepEqual(rounds.map((r) => r.map((i) => i.id)), [['a', 'b', 'c'], ['b']]);
    assert.equal(answers.get('b')?.status, 200);
  });

  it('items with different Retry-After values are each re-sent when their own wait is over', async () => {
    const { send, rounds } = fakeBatch((item, round) => {
      if (round === 1 && item.id === 'slow') return { status: 429, headers: { 'retry-after': '5' } };
      if (round === 1 && item.id === 'fast') return { status: 503, headers: { 'retry-after': '2' } };
      return { status: 200, body: {} };
    });
    const p = policy();
    await executeBatch(send, [get('slow'), get('fast'), get('ok')], p);
    // 2 s after the first round "fast" goes; 3 s later (5 s in all) "slow" goes.
    assert.deepEqual(p.waits, [2_000, 3_000]);
    assert.deepEqual(rounds.map((r) => r.map((i) => i.id)), [['slow', 'fast', 'ok'], ['fast'], ['slow']]);
  });

  it('without Retry-After the wait doubles from the base delay', async () => {
    const { send } = fakeBatch((_item, round) => (round <= 3 ? { status: 503 } : { status: 200, body: {} }));
    const p = policy({ baseDelayInMs: 100 });
    await executeBatch(send, [get('a')], p);
    assert.deepEqual(p.waits, [100, 200, 400]);
  });

  it('retries are bounded: an item still throttled after maxRetries is returned as throttled', async () => {
    const { send, rounds } = fakeBatch(() => ({ status: 429, headers: { 'Retry-After': '1' } }));
    const p = policy({ maxRetries: 2 });
    const answers = await executeBatch(send, [get('a')], p);
    assert.equal(rounds.length, 3);
    assert.deepEqual(p.waits, [1_000, 1_000]);
    assert.equal(answers.get('a')?.status, 429);
    assert.equal(answers.get('a')?.headers['retry-after'], '1');
  });

  it('a Retry-After longer than the policy allows is not waited for', async () => {
    const { send, rounds } = fakeBatch(() => ({ status: 429, headers: { 'Retry-After': '120' } }));
    const p = policy({ maxRetryAfterInMs: 30_000 });
    const answers = await executeBatch(send, [get('a')], p);
    assert.equal(rounds.length, 1);
    assert.deepEqual(p.waits, []);
    assert.equal(answers.get('a')?.status, 429);
  });

  it('non-transient item failures (404, 403) are returned at once, never retried', async () => {
    const { send, rounds } = fakeBatch((item) => ({ status: item.id === 'a' ? 404 : 403, body: { error: { code: 'x', message: 'y' } } }));
    const answers = await executeBatch(send, [get('a'), get('b')], policy());
    assert.equal(rounds.length, 1);
    assert.equal(answers.get('a')?.status, 404);
    assert.equal(answers.get('b')?.status, 403);
  });

  it('an answer missing an item, or holding an unknown id, is a protocol error', async () => {
    await assert.rejects(executeBatch(async () => ({ responses: [] }), [get('a')], policy()), BatchProtocolError);
    await assert.rejects(
      executeBatch(async () => ({ responses: [{ id: 'a', status: 200 }, { id: 'zz', status: 200 }] }), [get('a')], policy()),
      BatchProtocolError,
    );
    await assert.rejects(executeBatch(async () => ({}), [get('a')], policy()), BatchProtocolError);
  });

  it('duplicate request ids are refused before anything is sent', async () => {
    const send = sinon.spy(async () => ({ responses: [] }));
    await assert.rejects(executeBatch(send, [get('a'), get('a')], policy()), RangeError);
    assert.equal(send.callCount, 0);
  });
});
