/**
 * The approval card after a request moved to the next approver (src/flow/decide/escalation.ts):
 * the view asks the one decision rule, so the approver it moved from sees no buttons and the
 * one it moved to does. What the card says about the move is the card's (src/cards).
 */
import assert from 'node:assert/strict';
import { approvalViewer } from '../../src/bot/views';
import type { TapRequest } from '../../src/flow/types';
import { USERS } from '../../sandbox/ids';
import { NOW, PEOPLE, request } from '../support/teamsFixtures';

const LEE = { id: USERS.lee.id, displayName: USERS.lee.name, userPrincipalName: USERS.lee.upn };

function movedToLee(): TapRequest {
  const nestor = { ...PEOPLE.nestor };
  return request({
    approver: {
      kind: 'skipLevelManager',
      ids: [LEE.id],
      people: [LEE],
      movedFrom: [{ at: NOW.toISOString(), because: 'noAnswer', from: { kind: 'manager', ids: [nestor.id], people: [nestor] }, cardSentAt: NOW.toISOString() }],
    },
  });
}

describe('the approval card after a request moved to the next approver', () => {
  it('the approver it moved from is offered no decision any more', () => {
    assert.equal(approvalViewer(movedToLee(), PEOPLE.nestor.id, NOW).canDecide, false);
  });

  it('the approver it moved to is', () => {
    assert.equal(approvalViewer(movedToLee(), LEE.id, NOW).canDecide, true);
  });
});
