/**
 * Who may decide a request, and what waits for whom: the one home of the rule. Deciding
 * (decision.ts), the cards (bot/views.ts) and the "pending" list (tapFlow.ts) all ask here,
 * always about the stored record, so a button is offered exactly when a click would count.
 */
import { includesId, sameId } from '../../identity';
import { isAwaitingDecision } from '../stateMachine';
import type { TapRequest } from '../types';

/** Which approval a person may give: the primary approver's, the second approver's (four eyes), or none. */
export type Approval = 'primary' | 'second' | 'none';

/** Why a person has no approval to give now; the caller words it for its reader. */
export type NoApprovalBecause =
  /** A bulk member's record: decided with its bulk request, never on its own. */
  | 'bulkMember'
  /** Not asked to approve, or the requester or the target (a group change must not let them decide). */
  | 'notAsked'
  /** Not waiting for a decision any more: decided, cancelled, failed, or past its deadline. */
  | 'notAwaiting'
  /** They gave their approval (or denial) already: nobody gives both approvals. */
  | 'decidedByThem'
  /** Their approval is given, by someone else of the same group. */
  | 'givenByOthers'
  /** The request moved from them to the next approver (out of office, or no answer): they can no longer decide. */
  | 'movedOn';

export type DecisionRight = { approval: 'primary' | 'second' } | { approval: 'none'; because: NoApprovalBecause };

/**
 * Asked to approve this request, as primary or second approver, and not one of its parties.
 * The approver lists already leave the parties out; asked again here because a group
 * membership change must not let the requester or the target decide.
 */
function isAskedToDecide(request: TapRequest, personId: string): boolean {
  if (sameId(personId, request.requester.id) || sameId(personId, request.target.id)) return false;
  return includesId(request.approver.ids, personId) || includesId(request.secondApprover?.ids ?? [], personId);
}

/** Was this person an approver the request moved away from (escalation.ts)? */
export function movedAwayFrom(request: TapRequest, personId: string): boolean {
  return (request.approver.movedFrom ?? []).some((m) => includesId(m.from.ids, personId));
}

/**
 * The approval this person may still give on the stored request at `now`, or why none.
 * Checked in the order a person would want to be told: whose request it is before whether
 * it is still open, whether it is open before who already approved.
 */
export function decisionRight(request: TapRequest, personId: string, now: Date): DecisionRight {
  if (request.bulk) return { approval: 'none', because: 'bulkMember' };
  // Before "asked": whoever the request moved away from never decides it again, whatever list they are on.
  if (movedAwayFrom(request, personId)) return { approval: 'none', because: 'movedOn' };
  if (!isAskedToDecide(request, personId)) return { approval: 'none', because: 'notAsked' };
  if (!isAwaitingDecision(request, now)) return { approval: 'none', because: 'notAwaiting' };
  if ([request.decision?.by.id, request.secondDecision?.by.id].some((id) => sameId(id, personId))) {
    return { approval: 'none', because: 'decidedByThem' };
  }
  if (!request.decision && includesId(request.approver.ids, personId)) return { approval: 'primary' };
  if (request.secondApprover && !request.secondDecision && includesId(request.secondApprover.ids, personId)) return { approval: 'second' };
  return { approval: 'none', because: 'givenByOthers' };
}

/** The approval this person may still give now: primary, second, or none. */
export function approvalFor(request: TapRequest, personId: string, now: Date): Approval {
  return decisionRight(request, personId, now).approval;
}

/** May this person approve or deny the request now? */
export function mayDecide(request: TapRequest, personId: string, now: Date): boolean {
  return approvalFor(request, personId, now) !== 'none';
}

/** Of `requests`, those waiting for this person's decision now, oldest deadline first. */
export function waitingFor(requests: readonly TapRequest[], personId: string, now: Date): TapRequest[] {
  return requests.filter((r) => mayDecide(r, personId, now)).sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}

