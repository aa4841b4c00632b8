/**
 * An approver decides, on the stored record: deny, or approve. Most requests need one
 * approval; one of elevated risk needs two (four eyes: the primary approver and one of the
 * second approver group, each attesting), and the second approval completes it. Then
 * issuance.ts re-checks everything and creates the pass.
 */
import { scheduledIssueAt } from '../gate/schedule';
import { FlowError, type Sentence } from '../../errors';
import { said, wordsIn, type StoredReason } from '../../i18n/said';
import { actorFields, flowLog, requestFields, settingsDetails, type FlowContext } from '../context';
import { InvalidInputError, RequestClosedError } from '../errors';
import { decisionRight, type NoApprovalBecause } from '../gate/decisionRights';
import { tenantRefusal } from '../gate/tenant';
import { includesId, sameId } from '../../identity';
import { issue } from '../issue/issuance';
import { expireRequest, loadRequest } from '../store/transitions';
import type { Actor, Decision, DecisionInput, Person, TapRequest } from '../types';
import { validateDecision } from '../request/validation';
import { isAwaitingDecision } from '../stateMachine';
import { whoHasIt } from './escalation';
import { holdForStepUp, proofFits, stepUpNeeded, type StepUpProof } from './stepUp';

/** `proof`: given only by stepUp.ts, once the approver's fresh sign-in confirmed this approval. */
export async function decide(ctx: FlowContext, actor: Actor, requestId: string, input: DecisionInput, proof?: StepUpProof): Promise<TapRequest> {
  const now = ctx.clock();
  const request = await loadRequest(ctx, requestId);

  const refused = decisionRefusal(ctx, actor, request, now);
  if (refused) {
    await ctx.audit({ action: 'decision.refused', ...actorFields(actor), ...requestFields(request), outcome: refused.code });
    throw refused;
  }
  if (request.state !== 'PendingApproval') throw new RequestClosedError(request);
  if (!isAwaitingDecision(request, now)) {
    await expireRequest(ctx, request.id);
    const current = (await ctx.repo.get(request.id)) ?? request;
    throw current.state === 'Expired'
      ? new RequestClosedError(current, 'requestExpired', lateClick(current, now, ctx.config.orgTimeZone))
      : new RequestClosedError(current);
  }

  const valid = validateDecision(input);
  const calledNumber = valid.action === 'approve' && valid.attestation === 'knownNumberCall' ? numberOnFile(request, input.calledNumber) : undefined;
  if (proof && !proofFits(proof, actor, request)) throw new FlowError('notApprover', said('notYoursToDecide', { id: request.id }));
  if (!proof && stepUpNeeded(ctx.config.stepUp, request, valid.action)) {
    // Held, not applied: a person with no approval left hears why now, as a click would tell them.
    approvalOrRefusal(request, actor.aadObjectId, now);
    throw await holdForStepUp(ctx, actor, request, input);
  }
  const people = [...request.approver.people, ...(request.secondApprover?.people ?? [])];
  const by: Person = people.find((p) => sameId(p.id, actor.aadObjectId)) ?? {
    id: actor.aadObjectId,
    displayName: actor.displayName ?? '',
    userPrincipalName: '',
  };
  const decision: Decision = {
    by,
    at: now.toISOString(),
    action: valid.action,
    ...(valid.attestation ? { attestation: valid.attestation } : {}),
    ...(valid.attestationNote ? { attestationNote: valid.attestationNote } : {}),
    ...(calledNumber ? { calledNumber } : {}),
    ...(valid.denyReason ? { denyReason: valid.denyReason } : {}),
  };

  if (valid.action === 'deny') {
    // Either of two approvers can stop the pass.
    const denied = await ctx.repo.transition(request.id, 'PendingApproval', (r) => {
      const role = approvalOrRefusal(r, actor.aadObjectId, now);
      return { ...r, state: 'Denied', ...(role === 'second' ? { secondDecision: decision } : { decision }) };
    });
    await ctx.audit({
      action: 'decision.denied',
      ...actorFields(actor),
      ...requestFields(denied),
      outcome: 'ok',
      details: valid.denyReason ? { denyReason: valid.denyReason } : {},
    });
    await ctx.notifyUpdated(denied);
    return denied;
  }

  // The atomic step: of two concurrent approvals only one records each role, and only the
  // approval that completes the request moves it to Approved.
  const approved = await ctx.repo.transition(request.id, 'PendingApproval', (r) => {
    const role = approvalOrRefusal(r, actor.aadObjectId, now);
    const next: TapRequest = role === 'second' ? { ...r, secondDecision: decision } : { ...r, decision };
    const complete = next.decision?.action === 'approve' && (!next.secondApprover || next.secondDecision?.action === 'approve');
    if (!complete) return next;
    const issueAt = scheduledIssueAt(next.settings.startDateTime, now);
    return { ...next, state: 'Approved', ...(issueAt ? { scheduledIssueAt: issueAt } : {}) };
  });
  const step = approved.secondApprover ? (approved.state === 'Approved' ? '2 of 2' : '1 of 2') : '1 of 1';
  await ctx.audit({
    action: 'decision.approved',
    ...actorFields(actor),
    ...requestFields(approved),
    outcome: 'ok',
    details: {
      attestation: valid.attestation ?? null,
      ...(valid.attestationNote ? { attestationNote: valid.attestationNote } : {}),
      ...(calledNumber ? { calledNumber } : {}),
      approval: step,
      ...(proof ? { stepUp: proof.authContextId, stepUpAuthTime: proof.authTime } : {}),
      ...(approved.risk ? { risk: approved.risk.level, riskRules: approved.risk.rules } : {}),
      ...settingsDetails(approved),
    },
  });
  if (approved.state !== 'Approved' || approved.scheduledIssueAt) {
    // Four eyes: the first approval is in, the cards now wait for the other person; or the
    // pass starts days ahead and the sweep creates it on the morning (issuance.ts re-checks then).
    await ctx.notifyUpdated(approved);
    return approved;
  }
  return answerInTime(ctx, approved, issue(ctx, actor, approved));
}

/**
 * Teams gives a bot 10 to 15 seconds to answer a click. Issuance waits for Graph (the
 * re-check batch, the create, retries after Retry-After), so the click is answered with the
 * request as it stands once this bound passes, "approved, the pass is being created", and the
 * work finishes in the background on the durable states (Approved, Issuing), updating the
 * cards when it is done and resumed by the sweep after a crash.
 */
export const ANSWER_WITHIN_MS = 3_000;

async function answerInTime(ctx: FlowContext, approved: TapRequest, work: Promise<TapRequest>): Promise<TapRequest> {
  ctx.track(work);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ANSWER_WITHIN_MS);
  });
  try {
    const done = await Promise.race([work, late]);
    if (done) return done;
  } finally {
    if (timer) clearTimeout(timer);
  }
  flowLog.info('issuance goes on after the click was answered', { requestId: approved.id });
  return (await ctx.repo.get(approved.id)) ?? approved;
}

/**
 * The approval this person may still give on the record as stored at the moment of writing
 * (see decisionRights.ts); a person with none left is answered with why, and nothing is recorded.
 */
function approvalOrRefusal(request: TapRequest, id: string, now: Date): 'primary' | 'second' {
  const right = decisionRight(request, id, now);
  if (right.approval !== 'none') return right.approval;
  throw new RequestClosedError(request, 'requestClosed', noApprovalLeft(request, id, right.because));
}

function noApprovalLeft(request: TapRequest, id: string, because: NoApprovalBecause): StoredReason | undefined {
  switch (because) {
    case 'decidedByThem':
      return said('secondApprovalNeeded', { id: request.id, from: waitingNames(request) });
    case 'givenByOthers': {
      // Someone else of the same group answered first.
      const given = includesId(request.approver.ids, id) ? request.decision : request.secondDecision;
      return said('approvalGivenByOthers', { id: request.id, ...(given?.by.displayName ? { by: given.by.displayName } : {}), waitingFor: waitingNames(request) });
    }
    default:
      // The request moved on between reading and writing it: say how it stands now.
      return undefined;
  }
}

function waitingNames(request: TapRequest): string[] {
  const waiting = request.decision ? request.secondApprover?.people : request.approver.people;
  return (waiting ?? []).map((p) => p.displayName);
}

/**
 * "I called them on a number I already knew" names which number on file was called: the
 * evidence the audit keeps. A number the caller gave is exactly what this rules out.
 */
function numberOnFile(request: TapRequest, raw: string | undefined): string | undefined {
  const phones = request.signals?.phones;
  const onFile = phones?.available ? [...phones.value.business, ...(phones.value.mobile ? [phones.value.mobile] : [])] : [];
  if (onFile.length === 0) return undefined;
  const digits = (n: string): string => n.replace(/[^\d+]/g, '');
  const chosen = onFile.find((n) => raw !== undefined && digits(n) === digits(raw));
  if (!chosen) {
    throw new InvalidInputError([{ field: 'calledNumber', said: said('calledNumberOnFile', { numbers: onFile }) }]);
  }
  return chosen;
}

/** A click after the deadline says by how much: both instants in the reader's zone (the organisation's when it is unknown). */
function lateClick(request: TapRequest, clickedAt: Date, orgZone: string | undefined): Sentence {
  const minutes = Math.max(1, Math.round((clickedAt.getTime() - Date.parse(request.expiresAt)) / 60_000));
  const meaning = said('expiredBeforeClick', { id: request.id, expiredAt: request.expiresAt, clickedAt: clickedAt.toISOString(), minutes });
  return (say, zone) => wordsIn(say, meaning, zone ?? orgZone);
}

function decisionRefusal(ctx: FlowContext, actor: Actor, request: TapRequest, now: Date): FlowError | undefined {
  const otherTenant = tenantRefusal(ctx.config, actor.tenantId, request.tenantId);
  if (otherTenant) return otherTenant;
  const right = decisionRight(request, actor.aadObjectId, now);
  if (right.approval !== 'none') return undefined;
  switch (right.because) {
    case 'bulkMember':
      return new FlowError('notApprover', said('decidedWithBulk', { id: request.id, ...(request.bulk ? { bulkId: request.bulk.id } : {}) }));
    case 'notAsked':
      // Nothing about the request (names, target) for someone who is not its approver.
      return new FlowError('notApprover', said('notYoursToDecide', { id: request.id }));
    case 'movedOn':
      // They were asked, so they may know who has it now.
      return new FlowError('notApprover', (say) => say.waiting.movedOn(request.id, whoHasIt(request.approver, say)));
    default:
      // Theirs to decide, but not now: the state checks and the atomic step say why.
      return undefined;
  }
}
