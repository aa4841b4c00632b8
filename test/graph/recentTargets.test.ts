import assert from 'node:assert/strict';
import { RecentTargets } from '../../src/graph/recentTargets';

describe("a look-up's hints (recentTargets)", () => {
  const ID = 'a0000000-0000-4000-8000-000000000005';
  const MANAGER = 'a0000000-0000-4000-8000-000000000003';

  it('recall the id and manager by the name typed (any case) or by the id, until the time to live ends', () => {
    let now = 0;
    const hints = new RecentTargets({ ttlInMs: 1000, now: () => now });
    hints.remember('Megan@Contoso.com ', ID, MANAGER);
    assert.deepEqual(hints.recall('megan@contoso.com'), { id: ID, managerId: MANAGER });
    assert.deepEqual(hints.recall(ID.toUpperCase()), { id: ID, managerId: MANAGER });
    now = 1000;
    assert.equal(hints.recall('megan@contoso.com'), undefined, 'an old hint is gone, not used');
  });

  it('keep no hint with a time to live of 0, and at most maxEntries, the oldest dropped first', () => {
    const off = new RecentTargets({ ttlInMs: 0, now: () => 0 });
    off.remember('megan@contoso.com', ID, undefined);
    assert.equal(off.recall('megan@contoso.com'), undefined);
    const small = new RecentTargets({ ttlInMs: 1000, now: () => 0, maxEntries: 2 });
    small.remember('a@contoso.com', ID, undefined);
    small.remember('b@contoso.com', MANAGER, undefined);
    assert.equal(small.recall('a@contoso.com'), undefined);
    assert.deepEqual(small.recall('b@contoso.com'), { id: MANAGER });
  });
});
