/**
 * The account owner hears of every pass (NIST SP 800-63B-4 asks that the subscriber is
 * told of an account recovery, with a way to dispute it). Through channels that do not
 * depend on the lost factor: a Teams message (the bot can install itself for them) and,
 * when configured, a mail to their alternate address. It says who asked, who approved,
 * when and until when; never the code. Each carries a one-time "This wasn't me".
 */
import { createHash, randomBytes } from 'node:crypto';
import { ConcurrencyError } from '../../errors';
import { ETAG_CREATE_ONLY } from '../../storage/types';
import { flowLog as log, type FlowContext } from '../context';
import type { OwnerNoticeLinks, TapRequest } from '../types';
import { guideUrl } from './guideLinks';
import { catalogue, languageFor, type Catalogue } from '../../i18n';
import { said, wordsIn } from '../../i18n/said';
import { sentence } from '../errors';

/** How long a "This wasn't me" link works after the pass expired: people read mail late. */
const DISPUTE_GRACE_IN_MS = 7 * 24 * 60 * 60_000;

export interface DisputeTokenDoc {
  requestId: string;
  expiresAt: string;
  usedAt?: string;
  eTag?: string;
}

/** Only the hash is stored: whoever reads the store cannot use a link. */
export const disputeKey = (token: string): string => `dispute/${createHash('sha256').update(token).digest('hex')}`;

/** After a pass is delivered: tell the owner, in Teams and by mail. Failures are logged, never thrown. */
export async function tellOwner(ctx: FlowContext, request: TapRequest, guideUrl?: string): Promise<void> {
  const notice = ctx.config.ownerNotice;
  if (!notice?.enabled || !request.issued) return;
  let disputeUrl: string | undefined;
  const base = notice.publicBaseUrl?.();
  if (base) {
    try {
      disputeUrl = `${base}/dispute/${await issueDisputeToken(ctx, request)}`;
    } catch (e) {
      log.warn('could not make a dispute link for the owner notice', { requestId: request.id, error: e });
    }
  }
  const links: OwnerNoticeLinks = { ...(disputeUrl ? { disputeUrl } : {}), ...(guideUrl ? { guideUrl } : {}) };
  const results = await Promise.allSettled([
    ctx.notifier.notifyOwner ? ctx.notifier.notifyOwner(request, links) : Promise.resolve(),
    mailOwner(ctx, request, links),
  ]);
  // Told (or tried on every channel): the sweep need not try again.
  await markOwnerTold(ctx, request.id);
  await auditOwnerTold(ctx, request, results, 'the account owner could not be told of a pass', { disputeLink: disputeUrl !== undefined });
}

/** Logs each channel that failed and audits the notice: `ok` when every channel took it, else `partial`. */
async function auditOwnerTold(
  ctx: FlowContext,
  request: TapRequest,
  results: [PromiseSettledResult<unknown>, PromiseSettledResult<unknown>],
  failedWords: string,
  details: Record<string, string | boolean>,
): Promise<void> {
  const channels = ['teams', 'mail'] as const;
  results.forEach((r, i) => {
    if (r.status === 'rejected') log.warn(failedWords, { requestId: request.id, channel: channels[i], error: r.reason });
  });
  await ctx.audit({
    action: 'owner.notified',
    actorId: 'system',
    requestId: request.id,
    targetId: request.target.id,
    targetUpn: request.target.userPrincipalName,
    outcome: results.every((r) => r.status === 'fulfilled') ? 'ok' : 'partial',
    details: { ...details, teams: results[0].status === 'fulfilled', mail: results[1].status === 'fulfilled' },
  });
}

async function issueDisputeToken(ctx: FlowContext, request: TapRequest): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  const expires = Date.parse(request.issued?.expiresDateTime ?? request.expiresAt) + DISPUTE_GRACE_IN_MS;
  const doc: DisputeTokenDoc = { requestId: request.id, expiresAt: new Date(expires).toISOString(), eTag: ETAG_CREATE_ONLY };
  try {
    await ctx.storage.write({ [disputeKey(token)]: doc });
  } catch (e) {
    if (e instanceof ConcurrencyError) throw new Error('dispute token collision');
    throw e;
  }
  return token;
}

/** The mail to the owner's alternate address, when a sender mailbox is configured and they have one. */
function mailOwner(ctx: FlowContext, request: TapRequest, links: OwnerNoticeLinks): Promise<void> {
  const say = ownersCatalogue(request);
  return mailOwnerText(ctx, request, say.reasons.ownerIssuedSubject(), say.reasons.ownerIssued(ownerIssuedFacts(request, links), ctx.config.orgTimeZone));
}

/** What reaches the account owner is in their own language (Entra's preferredLanguage), else English. */
function ownersCatalogue(request: TapRequest): Catalogue {
  return catalogue(languageFor(request.target.preferredLanguage));
}

async function mailOwnerText(ctx: FlowContext, request: TapRequest, subject: string, text: string): Promise<void> {
  const from = ctx.config.ownerNotice?.mailFrom;
  if (!from) return;
  const user = await ctx.graph.getUser(request.target.id);
  const to = (user.otherMails ?? []).find((m) => m.includes('@'));
  if (!to) {
    log.info('the account owner has no alternate mail address: told in Teams only', { requestId: request.id });
    return;
  }
  await ctx.graph.sendMail(from, to, { subject, text });
}

/** The notice's facts, for the mail (the catalogue words them). Never the code. */
function ownerIssuedFacts(request: TapRequest, links: OwnerNoticeLinks): Parameters<Catalogue['reasons']['ownerIssued']>[0] {
  const issued = request.issued!;
  return {
    name: request.target.displayName,
    upn: request.target.userPrincipalName,
    issuedAt: issued.issuedAt,
    expiresAt: issued.expiresDateTime,
    requester: request.requester.displayName,
    approvers: [request.decision, request.secondDecision].filter((d) => d !== undefined).map((d) => ({ name: d.by.displayName, ...(d.attestation ? { how: d.attestation } : {}) })),
    ...(links.guideUrl ? { guideUrl: links.guideUrl } : {}),
    ...(links.disputeUrl ? { disputeUrl: links.disputeUrl } : {}),
  };
}


const ownerToldKey = (requestId: string): string => `owner-told/${requestId}`;

async function markOwnerTold(ctx: FlowContext, requestId: string): Promise<void> {
  try {
    await ctx.storage.write({ [ownerToldKey(requestId)]: { at: ctx.clock().toISOString(), eTag: '*' } });
  } catch (e) {
    log.warn('could not record that the owner was told', { requestId, error: e });
  }
}

/** Issued this long ago and the owner still not told: the instance died in between. */
const UNTOLD_GRACE_IN_MS = 2 * 60_000;

/**
 * The sweep's half of "delivered, then the owner told": for passes delivered (state Issued,
 * not revoked) whose owner was never told (a crash between the two), tell them now. One
 * small read per live pass.
 */
export async function tellUntoldOwners(ctx: FlowContext, live: ReadonlyArray<{ id: string }>, now: Date): Promise<number> {
  if (!ctx.config.ownerNotice?.enabled || live.length === 0) return 0;
  const keys = live.map((e) => ownerToldKey(e.id));
  const told = await ctx.storage.read(keys);
  let count = 0;
  for (const entry of live) {
    if (told[ownerToldKey(entry.id)]) continue;
    const request = await ctx.repo.get(entry.id);
    // Only a pass that was handed out: one still in Issuing may be an interrupted issuance,
    // whose pass recovery deletes (the visible-pass index lists it from before delivery).
    if (request?.state !== 'Issued' || !request.issued || request.revocation || now.getTime() - Date.parse(request.issued.issuedAt) < UNTOLD_GRACE_IN_MS) continue;
    log.warn('telling the owner of a pass late: the notice was never recorded as sent', { requestId: request.id });
    await tellOwner(ctx, request, ownerGuideUrl(ctx, request));
    count++;
  }
  return count;
}

/**
 * A pass the owner was told of and that crash recovery then deleted: they hear that too, on
 * the channels the notice used, so the notice they have is not left saying it works. Once
 * (recovery fails the request by compare-and-swap, so one instance gets here); never throws.
 */
export async function tellOwnerPassDeleted(ctx: FlowContext, request: TapRequest): Promise<void> {
  try {
    const key = ownerToldKey(request.id);
    if (!(await ctx.storage.read([key]))[key]) return; // never told of it: nothing to take back
    const say = ownersCatalogue(request);
    const orgZone = ctx.config.orgTimeZone;
    const deleted = said('ownerDeleted', {
      upn: request.target.userPrincipalName,
      ...(request.issued ? { issuedAt: request.issued.issuedAt } : {}),
      requester: request.requester.displayName,
      deletedAt: ctx.clock().toISOString(),
    });
    const results = await Promise.allSettled([
      ctx.notifier.tell ? ctx.notifier.tell(request.target.id, sentence(deleted, orgZone)) : Promise.resolve(),
      mailOwnerText(ctx, request, say.reasons.ownerDeletedSubject(), wordsIn(say, deleted, orgZone)),
    ]);
    await auditOwnerTold(ctx, request, results, 'the account owner could not be told that a pass was deleted', { notice: 'passDeleted' });
  } catch (e) {
    log.warn('could not tell the account owner that a pass was deleted', { requestId: request.id, error: e });
  }
}

/** The guide the owner's notice links to (the code-free page, in their language), when the bot has a public URL. */
export function ownerGuideUrl(ctx: FlowContext, request: TapRequest): string | undefined {
  const base = ctx.config.ownerNotice?.publicBaseUrl?.();
  return base ? guideUrl(base, request.scenario, languageFor(request.target.preferredLanguage)) : undefined;
}
