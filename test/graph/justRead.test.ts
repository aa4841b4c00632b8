import assert from 'node:assert/strict';
import { JustRead } from '../../src/graph/justRead';

describe('answers that rode in another $batch (justRead)', () => {
  it('answer the next call once, and never after the time to live', async () => {
    let now = 0;
    const kept = new JustRead({ ttlInMs: 2_000, now: () => now });
    kept.keep('policy', () => Promise.resolve('enabled'));
    assert.equal(await kept.take('POLICY'), 'enabled');
    assert.equal(kept.take('policy'), undefined, 'used once');
    kept.keep('policy', () => Promise.resolve('enabled'));
    now = 2_001;
    assert.equal(kept.take('policy'), undefined, 'an answer older than the time to live is not this read');
  });

  it("keep a failed read's error for the caller, as its own read would have thrown it", async () => {
    const kept = new JustRead({ ttlInMs: 2_000, now: () => 0 });
    kept.keep('user:a', () => Promise.reject(new Error('forbidden')));
    await assert.rejects(kept.take('user:a')!, /forbidden/);
  });
});
