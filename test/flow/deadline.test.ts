/** One rule for "open for decision", asked by deciding, the cards, the sweep and the limits alike. */
import assert from 'node:assert/strict';
import { isOpenForDecision } from '../../src/cards/offers';
import { isAwaitingDecision, isInFlight } from '../../src/flow/stateMachine';
import type { TapRequest } from '../../src/flow/types';

const at = (iso: string): Date => new Date(iso);
const request = { state: 'PendingApproval', expiresAt: '2026-12-01T10:30:00.000Z' } as TapRequest;

describe('the deadline of a decision', () => {
  it('a request is open up to and including its deadline instant, and closed one millisecond later, everywhere', () => {
    for (const [now, open] of [
      ['2026-12-01T10:29:59.999Z', true],
      ['2026-12-01T10:30:00.000Z', true],
      ['2026-12-01T10:30:00.001Z', false],
    ] as const) {
      assert.equal(isAwaitingDecision(request, at(now)), open, `decision at ${now}`);
      assert.equal(isInFlight(request, at(now)), open, `in flight at ${now}`);
      assert.equal(isOpenForDecision(request, at(now)), open, `card offers at ${now}`);
    }
  });

  it('only a request waiting for approval is open for decision', () => {
    for (const state of ['Approved', 'Issuing', 'Issued', 'Denied', 'Expired', 'Cancelled', 'Failed'] as const) {
      assert.equal(isAwaitingDecision({ ...request, state }, at('2026-12-01T10:00:00Z')), false, state);
    }
  });
});
