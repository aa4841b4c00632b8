import assert from 'node:assert/strict';
import { helpCard } from '../../src/cards/render';

describe('cards expanded once per view (help, welcome)', () => {
  it('the same view gives the same card, and nobody can change it for the next reader', () => {
    const first = helpCard({ isAgent: true, isApprover: false });
    assert.throws(() => {
      (first as { body: unknown[] }).body.length = 0;
    }, TypeError);
    const second = helpCard({ isAgent: true, isApprover: false });
    assert.ok(Array.isArray(second.body) && second.body.length > 0);
    assert.deepEqual(helpCard({ isAgent: true, isApprover: false }), second);
  });

  it('another view (another role) is another card', () => {
    assert.notDeepEqual(helpCard({ isAgent: true, isApprover: false }), helpCard({ isAgent: false, isApprover: true }));
  });

});
