/**
 * Which buttons a card offers: the one place that decides it, from the stored request,
 * which card it is (each card goes to one party: the approval card to approvers, the
 * status card to the agent who asked, the delivery card to whoever received the pass)
 * and what the edge knows of the viewer. The server checks every click again; hiding a
 * button is kindness, not security.
 */
import type { TapRequest } from '../flow/types';
import { isAwaitingDecision } from '../flow/stateMachine';

export type PartyCard = 'approval' | 'status' | 'delivery';

export interface Offers {
  /** Approve… / Deny…: only for someone the edge says may decide, while it is open. */
  decide: boolean;
  /** Cancel request: the agent's card while it waits for a decision. */
  cancel: boolean;
  /** Handed over: on the delivery card while it shows the code. */
  handOver: boolean;
  /** Revoke the pass: an issued pass that still works. */
  revoke: boolean;
  /** Report as suspicious…: on every party's card until someone has reported it. */
  report: boolean;
}

/** Still open for a decision: pending and not past its deadline (the sweeper may lag). */
export function isOpenForDecision(req: TapRequest, now: Date): boolean {
  return isAwaitingDecision(req, now) && !req.suspicious;
}

/** The pass exists, nobody revoked it and it has not expired. */
function passStillWorks(req: TapRequest, now: Date): boolean {
  return (
    req.state === 'Issued' &&
    req.issued !== undefined &&
    req.revocation === undefined &&
    req.replacedBy === undefined &&
    new Date(req.issued.expiresDateTime).getTime() > now.getTime()
  );
}

export function offersFor(req: TapRequest, card: PartyCard, viewer: { canDecide?: boolean; hasCode?: boolean }, now: Date): Offers {
  const open = isOpenForDecision(req, now);
  return {
    decide: card === 'approval' && viewer.canDecide === true && open,
    cancel: card === 'status' && open,
    handOver: card === 'delivery' && viewer.hasCode === true && req.revocation === undefined && req.replacedBy === undefined,
    // The card that carries the code is sent as the pass is created, maybe before the
    // stored request says Issued: the code in hand is the proof that a pass exists.
    revoke: passStillWorks(req, now) || (card === 'delivery' && viewer.hasCode === true && req.revocation === undefined && req.replacedBy === undefined),
    report: req.suspicious === undefined,
  };
}
