import assert from 'node:assert/strict';
import sinon from 'sinon';
import { GraphError } from '../../src/errors';
import { createGraphHealthProbe } from '../../src/graph/health';
import type { TapPolicy } from '../../src/graph/types';

const POLICY: TapPolicy = {
  state: 'enabled',
  defaultLifetimeInMinutes: 60,
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  defaultLength: 8,
  isUsableOnce: false,
};

describe('Graph health probe', () => {
  afterEach(() => sinon.restore());

  it('reports ok when the policy can be read', async () => {
    const probe = createGraphHealthProbe({ getTapPolicy: async () => POLICY });
    const health = await probe();
    assert.equal(health.ok, true);
    assert.equal(health.status, 'ok');
  });

  it('reports the GraphError code and its person-readable message on failure', async () => {
    const error = new GraphError({ code: 'forbidden', status: 403, userMessage: 'needs Policy.Read.AuthenticationMethod', missingPermission: 'Policy.Read.AuthenticationMethod' });
    const probe = createGraphHealthProbe({ getTapPolicy: async () => Promise.reject(error) });
    const health = await probe();
    assert.equal(health.ok, false);
    assert.equal(health.status, 'forbidden');
    assert.equal(health.message, 'needs Policy.Read.AuthenticationMethod');
  });

  it('reuses an answer within the cache time, and concurrent probes share one call', async () => {
    let now = 0;
    const getTapPolicy = sinon.stub().resolves(POLICY);
    const probe = createGraphHealthProbe({ getTapPolicy }, { cacheInMs: 1_000, now: () => now });
    await Promise.all([probe(), probe()]);
    await probe();
    assert.equal(getTapPolicy.callCount, 1);
    now = 1_000;
    await probe();
    assert.equal(getTapPolicy.callCount, 2);
  });

  it('a Graph that never answers is reported unavailable after the timeout', async () => {
    const probe = createGraphHealthProbe({ getTapPolicy: () => new Promise<TapPolicy>(() => undefined) }, { timeoutInMs: 20 });
    const health = await probe();
    assert.equal(health.status, 'unavailable');
  });
});
