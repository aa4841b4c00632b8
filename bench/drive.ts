/**
 * One person's click, timed, with the Graph traffic it caused. Each helper checks that the
 * bot answered what a person would expect; a benchmark of failed requests would flatter.
 */
import { randomUUID } from 'node:crypto';
import { USERS } from '../sandbox/ids';
import type { SandboxRequestRecord } from '../sandbox/types';
import type { Persona } from '../test/support/fakeConnector';
import { carriesPass, FORM, invokeCard, requestIdIn, type BotUnderTest, type PersonKey } from './botUnderTest';

export interface Submitted {
  requestId: string;
  /** tap.submit click → invoke answer (the status card). */
  ms: number;
  /** The approval card's activity id at the approver (Teams sends it back as replyToId). */
  approvalActivityId: string | undefined;
  /** tap.submit click → approval card received by the Bot Connector stand-in. */
  approvalMs: number | undefined;
  /** performance.now() of the click. */
  clickedAt: number;
  /** The agent's form card, now the status card (its Withdraw button sends this id). */
  statusCardId: string;
  records: SandboxRequestRecord[];
}

export interface Approved {
  /** tap.approve click → invoke answer. */
  clickMs: number;
  /** tap.approve click → delivery card received by the Bot Connector stand-in. */
  deliveredMs: number;
  deliveryActivityId: string;
  /** performance.now() of the click. */
  clickedAt: number;
  records: SandboxRequestRecord[];
}

/** A sandbox persona by key, or anyone else (the generated crews of bench/directory.ts). */
export type Who = PersonKey | Persona;

const personaOf = (who: Who): Persona => (typeof who === 'string' ? USERS[who] : who);
const conversationOf = (who: Who): string => `a:personal-${personaOf(who).id}`;

/** Graph requests the sandbox received since `from` (an index into sandbox.requests). */
function since(b: BotUnderTest, from: number): SandboxRequestRecord[] {
  return b.sandbox.requests.slice(from);
}

export async function submit(b: BotUnderTest, agent: Who = 'adele', target = 'megan@contoso.com', approver: Who = 'nestor'): Promise<Submitted> {
  const logFrom = b.connector.log.length;
  const graphFrom = b.sandbox.requests.length;
  // Teams sends the id of the form card the agent clicked; the bot updates it in place.
  const statusCardId = `form-${randomUUID()}`;
  const t0 = performance.now();
  const r = await b.clientFor(personaOf(agent)).click('tap.submit', { target, ...FORM }, statusCardId);
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`tap.submit answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
  const card = invokeCard(r.body);
  const requestId = requestIdIn(card);
  if (!requestId || !/[Ww]aiting for/.test(JSON.stringify(card))) {
    throw new Error(`tap.submit answered the form again: "${textsOf(card).split(' / ').at(-1)?.slice(0, 200) ?? ''}"`);
  }
  const approval = b.connector.log
    .slice(logFrom)
    .find((a) => a.conversationId === conversationOf(approver) && JSON.stringify(a.activity).includes(requestId));
  const approvalAt = approval ? b.receivedAt.get(approval) : undefined;
  return {
    requestId,
    ms,
    approvalActivityId: approval?.activityId,
    approvalMs: approvalAt === undefined ? undefined : approvalAt - t0,
    clickedAt: t0,
    statusCardId,
    records: since(b, graphFrom),
  };
}

/**
 * The agent withdraws the request on its status card. A target has at most one open
 * request, so a benchmark that submits for the same target again must close the last one.
 */
export async function withdraw(b: BotUnderTest, s: Pick<Submitted, 'requestId' | 'statusCardId'>, agent: Who = 'adele'): Promise<void> {
  const r = await b.clientFor(personaOf(agent)).click('tap.cancel', { requestId: s.requestId }, s.statusCardId);
  const stored = await b.app.flow.getRequest(s.requestId);
  if (r.status !== 200 || stored?.state !== 'Cancelled') {
    throw new Error(`tap.cancel of ${s.requestId} answered ${r.status}, state ${stored?.state ?? 'unknown'}: ${JSON.stringify(r.body).slice(0, 300)}`);
  }
}

/**
 * After a failed approval (throttling gave up, say), a request still waiting for its
 * manager would refuse every later request for the same target: withdraw it, so one
 * failure stays one failure in the figures.
 */
export async function withdrawIfWaiting(b: BotUnderTest, s: Pick<Submitted, 'requestId' | 'statusCardId'> | undefined): Promise<void> {
  if (!s) return;
  const stored = await b.app.flow.getRequest(s.requestId);
  if (stored?.state === 'PendingApproval') await withdraw(b, s);
}

export async function approve(b: BotUnderTest, requestId: string, approvalActivityId: string | undefined, approver: Who = 'nestor', recipient: Who = 'adele'): Promise<Approved> {
  const logFrom = b.connector.log.length;
  const graphFrom = b.sandbox.requests.length;
  const t0 = performance.now();
  const r = await b.clientFor(personaOf(approver)).click('tap.approve', { requestId, attestation: 'videoCall', attestationNote: 'Saw her on a Teams video call' }, approvalActivityId);
  const clickMs = performance.now() - t0;
  if (r.status !== 200) throw new Error(`tap.approve answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
  const delivery = b.connector.log.slice(logFrom).find((a) => a.conversationId === conversationOf(recipient) && carriesPass(a.activity));
  if (!delivery) {
    const stored = await b.app.flow.getRequest(requestId);
    const failure = stored?.failure ? `, ${stored.failure.code}: ${stored.failure.message.slice(0, 160)}` : '';
    throw new Error(`no delivery card for ${requestId} (state ${stored?.state ?? 'unknown'}${failure})`);
  }
  const at = b.receivedAt.get(delivery);
  return { clickMs, deliveredMs: (at ?? performance.now()) - t0, deliveryActivityId: delivery.activityId, clickedAt: t0, records: since(b, graphFrom) };
}

/** The recipient marks the pass handed over: the code leaves the card, the request is done. */
export async function handOver(b: BotUnderTest, requestId: string, deliveryActivityId: string, recipient: Who = 'adele'): Promise<void> {
  const r = await b.clientFor(personaOf(recipient)).click('tap.handedOver', { requestId }, deliveryActivityId);
  if (r.status !== 200) throw new Error(`tap.handedOver answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
}

/** The visible text of a card (TextBlocks and TextRuns), to say why a request was refused. */
function textsOf(card: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const o = node as Record<string, unknown>;
    if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') texts.push(o.text);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return texts.join(' / ');
}
