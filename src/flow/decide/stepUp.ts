/**
 * Step-up before an approval counts. A click in Teams proves only that someone holds the
 * approver's Teams session (a stolen token, an unlocked screen). When step-up applies, the
 * click is held as a decision intent; the approver confirms it with a fresh sign-in in the
 * browser that meets a Conditional Access authentication context, and only then does the
 * approval go through the normal path (decision.ts: the right on the stored record, four eyes,
 * issuance's re-check).
 *
 * The intent is a small stored document (`step-up/<id>`), changed only by compare-and-swap, so
 * it survives a restart and works across instances: bound to the request, the approver, the
 * decision and the attestation they gave; short-lived; used once. A denial issues nothing and
 * needs no step-up (docs/security.md says why).
 *
 * No OAuth here: the web layer (src/web/stepUpSignIn.ts, MSAL Node) runs the authorization code
 * flow and hands back the id token's claims; this file decides what they prove.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, FlowError, isAppError } from '../../errors';
import { canonicalId, sameId } from '../../identity';
import { updateItem } from '../../storage/casUpdate';
import { actorFields, flowLog as log, requestFields, type FlowContext } from '../context';
import { RequestClosedError } from '../errors';
import { isAwaitingDecision } from '../stateMachine';
import type { Actor, DecisionInput, TapRequest } from '../types';

export const STEP_UP_MODES = ['off', 'elevated', 'always'] as const;
/** off: a click decides; elevated: approvals of elevated-risk and bulk requests need a step-up; always: every approval does. */
export type StepUpMode = (typeof STEP_UP_MODES)[number];

/** The workflow's step-up settings (FlowConfig.stepUp). */
export interface StepUpPolicy {
  mode: StepUpMode;
  /** The authentication context the token's `acrs` must hold, e.g. `c1`. */
  authContextId: string;
  /** How old the sign-in (`auth_time`) may be when the approval is applied. */
  maxAgeInMinutes: number;
  /** How long a held approval waits for its sign-in. */
  linkLifetimeInMinutes: number;
  /** The browser address that starts the sign-in for a held approval; undefined while the bot has no public address. */
  startUrl(intentId: string): string | undefined;
}

/** What the approver gave on the card, kept with the intent and applied unchanged after the sign-in. */
type HeldDecision = Pick<DecisionInput, 'attestation' | 'attestationNote' | 'calledNumber'>;

/** One sign-in attempt for an intent: what the callback must match, and the PKCE verifier to redeem the code with. */
export interface StepUpAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  startedAt: string;
  /** The page language the approver read the card in. */
  language?: string;
}

interface StepUpIntent {
  id: string;
  /** A bulk request's approval (flow/bulk/decision.ts); absent for a single request. */
  kind?: 'bulk';
  requestId: string;
  approverId: string;
  tenantId: string;
  action: 'approve';
  decision: HeldDecision;
  createdAt: string;
  expiresAt: string;
  /** The latest attempt: a new one replaces it, so an older sign-in's state matches nothing. */
  attempt?: StepUpAttempt;
  /** Set by the one callback that claimed it: the intent never counts twice. */
  usedAt?: string;
}

const intentKey = (id: string): string => `step-up/${id}`;
const INTENT_ID = /^[A-Za-z0-9_-]{22,64}$/;
/** A sign-in that started a moment before the clock of this instance still counts (two instances, two clocks). */
const CLOCK_SKEW_IN_MS = 60_000;
/** The audit's actor for a browser whose sign-in did not prove who it is. */
const UNVERIFIED = 'unverified';

/** The approval is held until its step-up: the card says so and links to the sign-in. */
export class StepUpRequiredError extends AppError {
  readonly code = 'stepUpRequired';
  constructor(readonly hold: { requestId: string; intentId: string; startUrl: string; expiresAt: string; linkLifetimeInMinutes: number }) {
    super((say) => say.stepUp.card.held(hold.requestId, hold.linkLifetimeInMinutes));
  }
}

/** Proof, handed to decide(), that the approval it applies was confirmed by a step-up sign-in. */
export interface StepUpProof {
  intentId: string;
  requestId: string;
  approverId: string;
  authContextId: string;
  authTime: string;
}

/** Does this decision need a step-up before it counts? Denials never do: they issue nothing. */
export function stepUpNeeded(policy: StepUpPolicy | undefined, request: TapRequest, action: 'approve' | 'deny'): boolean {
  if (!policy || policy.mode === 'off' || action !== 'approve') return false;
  return policy.mode === 'always' || request.risk?.level === 'elevated';
}

/**
 * A bulk approval is one click for many passes: it steps up whenever step-up is on (a bulk
 * request has no risk level of its own; its members at elevated risk get no bulk pass).
 */
export function bulkStepUpNeeded(policy: StepUpPolicy | undefined, action: 'approve' | 'deny'): boolean {
  return policy !== undefined && policy.mode !== 'off' && action === 'approve';
}

/** A proof counts only for the request and the person it was made for. */
export function proofFits(proof: StepUpProof, actor: Actor, request: Pick<TapRequest, 'id'>): boolean {
  return proof.requestId === request.id && sameId(proof.approverId, actor.aadObjectId);
}

/** Stores the held approval and returns the error that tells the card to ask for the sign-in. */
export function holdForStepUp(ctx: FlowContext, actor: Actor, request: TapRequest, decision: HeldDecision): Promise<StepUpRequiredError> {
  return hold(ctx, actor, { requestId: request.id, audit: requestFields(request) }, decision);
}

/** The same for a bulk request's approval: the attestation is the bulk card's checkbox, given. */
export function holdBulkForStepUp(ctx: FlowContext, actor: Actor, bulkId: string): Promise<StepUpRequiredError> {
  return hold(ctx, actor, { requestId: bulkId, kind: 'bulk', audit: { requestId: bulkId } }, {});
}

async function hold(
  ctx: FlowContext,
  actor: Actor,
  what: { requestId: string; kind?: 'bulk'; audit: Record<string, string> },
  decision: HeldDecision,
): Promise<StepUpRequiredError> {
  const policy = ctx.config.stepUp;
  if (!policy) throw new Error('holdForStepUp without a step-up policy');
  const id = randomBytes(24).toString('base64url');
  const startUrl = policy.startUrl(id);
  // Fail closed: without a page to sign in on, the approval cannot be confirmed, so it is not applied.
  if (!startUrl) throw new Error('Step-up is on but the bot has no public address (PUBLIC_BASE_URL) to sign in at');
  const now = ctx.clock();
  const expiresAt = new Date(now.getTime() + policy.linkLifetimeInMinutes * 60_000).toISOString();
  const intent: StepUpIntent = {
    id,
    ...(what.kind ? { kind: what.kind } : {}),
    requestId: what.requestId,
    approverId: actor.aadObjectId,
    tenantId: actor.tenantId,
    action: 'approve',
    decision: {
      ...(decision.attestation ? { attestation: decision.attestation } : {}),
      ...(decision.attestationNote ? { attestationNote: decision.attestationNote } : {}),
      ...(decision.calledNumber ? { calledNumber: decision.calledNumber } : {}),
    },
    createdAt: now.toISOString(),
    expiresAt,
  };
  await updateItem<StepUpIntent>(ctx.storage, intentKey(id), (current) => (current ? 'abort' : intent));
  await ctx.audit({ action: 'decision.held', ...actorFields(actor), ...what.audit, outcome: 'stepUpRequired', details: { authContext: policy.authContextId, expiresAt } });
  return new StepUpRequiredError({ requestId: what.requestId, intentId: id, startUrl, expiresAt, linkLifetimeInMinutes: policy.linkLifetimeInMinutes });
}

/** Why a step-up did not apply the approval; each has its sentence in the `stepUp` catalogue section. */
export type StepUpRefusal =
  | 'unknownLink'
  | 'used'
  | 'expired'
  | 'otherUser'
  | 'otherTenant'
  | 'noContext'
  | 'stale'
  | 'notThisApproval'
  | 'signInFailed'
  | 'requestClosed'
  | 'notYours'
  | 'notApplied';

export type StepUpOutcome =
  | { kind: 'applied' | 'waiting'; requestId: string; language?: string }
  | { kind: 'refused'; because: StepUpRefusal; requestId?: string; language?: string };

/** What the step-up needs of the bulk road (flow/bulk/bulkFlow.ts), which it cannot import. */
export interface BulkStepUpPort {
  /** Does the bulk request still wait for a decision? */
  isOpen(bulkId: string): Promise<boolean>;
  /** Applies the held approval through decideBulk; the bulk request as it stands after. */
  approve(actor: Actor, bulkId: string, proof: StepUpProof): Promise<{ state: string; decision?: { by: { id: string } } }>;
}

export type StepUpStart = { kind: 'signIn'; attempt: StepUpAttempt } | { kind: 'refused'; because: StepUpRefusal; requestId?: string };

/**
 * The approver opened the sign-in link: a fresh attempt (state, nonce, PKCE verifier) replaces
 * any earlier one, unless the intent is unknown, used, expired, or its request no longer waits.
 */
export async function beginStepUp(ctx: FlowContext, intentId: string, attempt: Omit<StepUpAttempt, 'startedAt'>, bulk?: BulkStepUpPort): Promise<StepUpStart> {
  if (!INTENT_ID.test(intentId)) return { kind: 'refused', because: 'unknownLink' };
  const now = ctx.clock();
  let refusal: StepUpStart | undefined;
  const stored = await updateItem<StepUpIntent>(ctx.storage, intentKey(intentId), (current) => {
    refusal = current ? openRefusal(current, now) : { kind: 'refused', because: 'unknownLink' };
    return refusal ? 'abort' : { ...current!, attempt: { ...attempt, startedAt: now.toISOString() } };
  });
  if (refusal) return refusal;
  if (!stored?.attempt) return { kind: 'refused', because: 'unknownLink' };
  const open = stored.kind === 'bulk' ? (bulk ? await bulk.isOpen(stored.requestId) : false) : await isOpenRequest(ctx, stored.requestId, now);
  if (!open) return { kind: 'refused', because: 'requestClosed', requestId: stored.requestId };
  return { kind: 'signIn', attempt: stored.attempt };
}

async function isOpenRequest(ctx: FlowContext, requestId: string, now: Date): Promise<boolean> {
  const request = await ctx.repo.get(requestId);
  return request !== undefined && isAwaitingDecision(request, now);
}

function openRefusal(intent: StepUpIntent, now: Date): StepUpStart | undefined {
  if (intent.usedAt) return { kind: 'refused', because: 'used', requestId: intent.requestId };
  if (Date.parse(intent.expiresAt) <= now.getTime()) return { kind: 'refused', because: 'expired', requestId: intent.requestId };
  return undefined;
}

/** The sign-in layer's own refusal (MSAL found the nonce wrong): said as the workflow would say it. */
export class SignInRefused extends Error {
  constructor(readonly because: StepUpRefusal) {
    super(`the sign-in was refused: ${because}`);
  }
}

/** What the sign-in handed back: the id token's claims, and the audience and issuer they must name. */
export interface StepUpSignIn {
  claims: Readonly<Record<string, unknown>>;
  expect: { audience: string; issuer: string };
}

/**
 * The sign-in came back with `state`: claim the intent it names (once, by compare-and-swap),
 * redeem the code (`redeem`, MSAL), check what the token proves, and apply the approval through
 * decide(). Every failure leaves the request as it was and says why in one sentence.
 */
export async function finishStepUp(
  ctx: FlowContext,
  state: string,
  redeem: (attempt: StepUpAttempt) => Promise<StepUpSignIn>,
  decide: (actor: Actor, requestId: string, input: DecisionInput, proof: StepUpProof) => Promise<TapRequest>,
  bulk?: BulkStepUpPort,
): Promise<StepUpOutcome> {
  const claimed = await claimIntent(ctx, state);
  if (claimed.kind === 'refused') return claimed;
  const { intent, attempt } = claimed;
  const language = attempt.language;
  const refuse = async (because: StepUpRefusal, details: Record<string, string> = {}): Promise<StepUpOutcome> => {
    // Who signed in is not proven when the token is refused: the audit names whom the approval was held for.
    await ctx.audit({ action: 'decision.stepUpRefused', actorId: UNVERIFIED, requestId: intent.requestId, outcome: because, details: { heldFor: intent.approverId, ...details } });
    return { kind: 'refused', because, requestId: intent.requestId, ...(language ? { language } : {}) };
  };

  let signIn: StepUpSignIn;
  try {
    signIn = await redeem(attempt);
  } catch (e) {
    if (e instanceof SignInRefused) return refuse(e.because, { by: 'signIn' });
    // MSAL's message may name the tenant or the app: the log keeps it, the approver gets a sentence.
    log.warn('step-up code could not be redeemed', { requestId: intent.requestId, error: e });
    return refuse('signInFailed');
  }
  const proven = whatTheTokenProves(ctx, intent, attempt, signIn);
  if ('because' in proven) return refuse(proven.because, proven.details);

  const proof: StepUpProof = { intentId: intent.id, requestId: intent.requestId, approverId: intent.approverId, authContextId: proven.authContextId, authTime: proven.authTime };
  const steppedUp = { action: 'decision.steppedUp' as const, ...actorFields(proven.actor), requestId: intent.requestId, outcome: 'ok', details: { authContext: proven.authContextId, authTime: proven.authTime } };
  try {
    if (intent.kind === 'bulk') {
      if (!bulk) return refuse('notApplied', { why: 'bulk requests are not served here' });
      const decided = await bulk.approve(proven.actor, intent.requestId, proof);
      // decideBulk answers with the request as it stands: decided by someone else, cancelled or expired meanwhile.
      if (decided.state === 'PendingApproval' || !sameId(decided.decision?.by.id, proven.actor.aadObjectId)) return refuse('requestClosed');
      await ctx.audit(steppedUp);
      return { kind: 'applied', requestId: intent.requestId, ...(language ? { language } : {}) };
    }
    const request = await decide(proven.actor, intent.requestId, { action: intent.action, ...intent.decision }, proof);
    await ctx.audit({ ...steppedUp, ...requestFields(request) });
    const waiting = request.state === 'PendingApproval';
    return { kind: waiting ? 'waiting' : 'applied', requestId: request.id, ...(language ? { language } : {}) };
  } catch (e) {
    if (e instanceof RequestClosedError) return refuse('requestClosed');
    if (e instanceof FlowError && (e.code === 'notApprover' || e.code === 'notParty' || e.code === 'wrongTenant')) return refuse('notYours');
    if (!isAppError(e)) log.error('a stepped-up approval could not be applied', { requestId: intent.requestId, error: e });
    return refuse('notApplied', { code: isAppError(e) ? e.code : 'unexpected' });
  }
}

type Claimed =
  | { kind: 'claimed'; intent: StepUpIntent; attempt: StepUpAttempt }
  | { kind: 'refused'; because: StepUpRefusal; requestId?: string; language?: string; heldFor?: string };

/**
 * `state` is `<intent id>.<secret>`: the intent is found by its id and the whole state must equal
 * its latest attempt's. The first callback that matches marks it used; a replay, a state from an
 * older attempt or a made-up one changes nothing.
 */
async function claimIntent(ctx: FlowContext, state: string): Promise<Claimed> {
  const intentId = state.split('.')[0] ?? '';
  if (!INTENT_ID.test(intentId) || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22,}$/.test(state)) return { kind: 'refused', because: 'unknownLink' };
  const now = ctx.clock();
  let found: Claimed = { kind: 'refused', because: 'unknownLink' };
  await updateItem<StepUpIntent>(ctx.storage, intentKey(intentId), (current) => {
    if (!current) {
      found = { kind: 'refused', because: 'unknownLink' };
      return 'abort';
    }
    const language = current.attempt?.language;
    const answer = (because: StepUpRefusal): 'abort' => {
      found = { kind: 'refused', because, requestId: current.requestId, heldFor: current.approverId, ...(language ? { language } : {}) };
      return 'abort';
    };
    if (current.usedAt) return answer('used');
    if (!current.attempt || !sameSecret(current.attempt.state, state)) return answer('notThisApproval');
    if (Date.parse(current.expiresAt) <= now.getTime()) return answer('expired');
    found = { kind: 'claimed', intent: current, attempt: current.attempt };
    return { ...current, usedAt: now.toISOString() };
  });
  if (found.kind === 'refused' && found.heldFor) {
    const { heldFor, ...refusal } = found;
    await ctx.audit({ action: 'decision.stepUpRefused', actorId: UNVERIFIED, ...(found.requestId ? { requestId: found.requestId } : {}), outcome: found.because, details: { heldFor } });
    return refusal;
  }
  return found;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type Proven = { actor: Actor; authContextId: string; authTime: string } | { because: StepUpRefusal; details: Record<string, string> };

/**
 * The id token counts only when it is for this tenant and this app, answers this attempt (nonce),
 * names the approver who clicked, holds the authentication context, and the sign-in is fresh:
 * after the attempt began, and within the configured minutes.
 */
function whatTheTokenProves(ctx: FlowContext, intent: StepUpIntent, attempt: StepUpAttempt, signIn: StepUpSignIn): Proven {
  const policy = ctx.config.stepUp;
  const c = signIn.claims;
  const text = (name: string): string => (typeof c[name] === 'string' ? (c[name] as string) : '');
  if (!policy) return { because: 'notApplied', details: { why: 'step-up is not configured' } };
  if (!sameId(text('tid'), ctx.config.tenantId) || !sameId(text('tid'), intent.tenantId)) return { because: 'otherTenant', details: { tid: text('tid') } };
  const audiences = Array.isArray(c['aud']) ? (c['aud'] as unknown[]) : [c['aud']];
  if (audiences.length !== 1 || audiences[0] !== signIn.expect.audience) return { because: 'notThisApproval', details: { why: 'audience' } };
  if (text('iss') !== signIn.expect.issuer) return { because: 'notThisApproval', details: { why: 'issuer' } };
  if (!text('nonce') || !sameSecret(text('nonce'), attempt.nonce)) return { because: 'notThisApproval', details: { why: 'nonce' } };
  const oid = canonicalId(text('oid'));
  if (!oid || !sameId(oid, intent.approverId)) return { because: 'otherUser', details: { signedInAs: oid ?? 'none' } };
  const acrs = Array.isArray(c['acrs']) ? (c['acrs'] as unknown[]) : typeof c['acrs'] === 'string' ? [c['acrs']] : [];
  if (!acrs.some((a) => typeof a === 'string' && a.toLowerCase() === policy.authContextId)) return { because: 'noContext', details: { acrs: acrs.join(' ') } };
  const authTime = typeof c['auth_time'] === 'number' ? c['auth_time'] * 1000 : NaN;
  const now = ctx.clock().getTime();
  const fresh =
    Number.isFinite(authTime) &&
    authTime >= now - policy.maxAgeInMinutes * 60_000 &&
    authTime >= Date.parse(attempt.startedAt) - CLOCK_SKEW_IN_MS &&
    authTime <= now + CLOCK_SKEW_IN_MS;
  if (!fresh) return { because: 'stale', details: { authTime: Number.isFinite(authTime) ? new Date(authTime).toISOString() : 'none' } };
  const actor: Actor = { aadObjectId: oid, tenantId: text('tid').toLowerCase(), ...(text('name') ? { displayName: text('name') } : {}) };
  return { actor, authContextId: policy.authContextId, authTime: new Date(authTime).toISOString() };
}
