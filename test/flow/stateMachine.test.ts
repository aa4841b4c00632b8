import assert from 'node:assert/strict';
import { assertTransition, canTransition, isTerminal, TERMINAL_STATES } from '../../src/flow/stateMachine';
import { REQUEST_STATES, type RequestState } from '../../src/flow/types';

describe('request state machine', () => {
  const allowed: Array<[RequestState, RequestState]> = [
    ['PendingApproval', 'Approved'],
    ['PendingApproval', 'Denied'],
    ['PendingApproval', 'Expired'],
    ['PendingApproval', 'Cancelled'],
    ['PendingApproval', 'Failed'],
    ['Approved', 'Issuing'],
    ['Approved', 'Failed'],
    ['Approved', 'Cancelled'], // a pass prepared days ahead, withdrawn before it is made
    ['Issuing', 'Issued'],
    ['Issuing', 'Failed'],
  ];

  it('allows exactly the lifecycle transitions', () => {
    for (const from of REQUEST_STATES) {
      for (const to of REQUEST_STATES) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        assert.equal(canTransition(from, to), expected, `${from} → ${to}`);
      }
    }
  });

  it('a pending request cannot jump straight to Issued', () => {
    assert.throws(() => assertTransition('PendingApproval', 'Issued'), /PendingApproval to Issued/);
  });

  it('nothing leaves a terminal state', () => {
    assert.deepEqual([...TERMINAL_STATES].sort(), ['Cancelled', 'Denied', 'Expired', 'Failed', 'Issued']);
    for (const from of TERMINAL_STATES) {
      assert.ok(isTerminal(from));
      for (const to of REQUEST_STATES) assert.throws(() => assertTransition(from, to));
    }
  });
});
