import assert from 'node:assert/strict';
import { newRequestId, parseRequestId } from '../../src/flow/requestId';

describe('request ids', () => {
  it('are TAP- and six characters without look-alikes (0, O, 1, I)', () => {
    const ids = Array.from({ length: 2000 }, newRequestId);
    for (const id of ids) assert.match(id, /^TAP-[2-9A-HJ-NP-Z]{6}$/);
    assert.ok(new Set(ids).size > 1990, 'ids are random, not sequential or constant');
  });

  const parsed: Array<[string, string | undefined]> = [
    [' tap-7k3f9q ', 'TAP-7K3F9Q'],
    ['TAP-7K3F9Q', 'TAP-7K3F9Q'],
    ['TAP-7K3F9', undefined],
    ['TAP-7K3F9O', undefined],
    ['request/TAP-7K3F9Q', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of parsed) {
    it(`reads ${JSON.stringify(text)} as ${String(expected)}`, () => {
      assert.equal(parseRequestId(text), expected);
    });
  }
});
