import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayInMs, shouldRetry } from '../../src/graph/retry';

describe('retry policy', () => {
  it('Retry-After in seconds, whole or fractional, becomes milliseconds', () => {
    assert.equal(parseRetryAfter('3'), 3_000);
    assert.equal(parseRetryAfter(' 0.05 '), 50);
  });

  it('Retry-After as an HTTP date is the time left until then', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now), 0);
  });

  it('a missing or unreadable Retry-After is undefined (backoff applies)', () => {
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter(''), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter('-3'), undefined);
  });

  it("the server's Retry-After wins over backoff; backoff doubles and is capped", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayInMs: 1_000, maxRetryAfterInMs: 5_000 };
    assert.equal(retryDelayInMs(policy, 3, 250), 250);
    assert.deepEqual([1, 2, 3, 4].map((a) => retryDelayInMs(policy, a, undefined)), [1_000, 2_000, 4_000, 5_000]);
  });

  it('no retry beyond maxRetries, nor for a wait longer than allowed', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 2, maxRetryAfterInMs: 10_000 };
    assert.equal(shouldRetry(policy, 2, 1_000), true);
    assert.equal(shouldRetry(policy, 3, 1_000), false);
    assert.equal(shouldRetry(policy, 1, 10_001), false);
  });
});
