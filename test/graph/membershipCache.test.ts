import assert from 'node:assert/strict';
import { MembershipCache } from '../../src/graph/membershipCache';

describe('membership cache', () => {
  it('the key ignores group order and case', () => {
    assert.equal(MembershipCache.key('U', ['B', 'a']), MembershipCache.key('u', ['A', 'b']));
  });

  it('an answer expires exactly at its time to live', () => {
    let now = 0;
    const cache = new MembershipCache({ ttlInMs: 100, now: () => now });
    cache.set('u', ['g'], ['g']);
    now = 99;
    assert.deepEqual(cache.get('u', ['g']), ['g']);
    now = 100;
    assert.equal(cache.get('u', ['g']), undefined);
  });

  it('a time to live of 0 disables caching', () => {
    const cache = new MembershipCache({ ttlInMs: 0, now: () => 0 });
    cache.set('u', ['g'], ['g']);
    assert.equal(cache.get('u', ['g']), undefined);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new MembershipCache({ ttlInMs: 1_000, now: () => 0, maxEntries: 2 });
    cache.set('a', ['g'], []);
    cache.set('b', ['g'], []);
    cache.set('c', ['g'], []);
    assert.equal(cache.get('a', ['g']), undefined);
    assert.deepEqual(cache.get('c', ['g']), []);
  });

  it('a caller mutating the returned list does not change the cache', () => {
    const cache = new MembershipCache({ ttlInMs: 1_000, now: () => 0 });
    cache.set('u', ['g'], ['g']);
    cache.get('u', ['g'])?.push('evil');
    assert.deepEqual(cache.get('u', ['g']), ['g']);
  });
});
