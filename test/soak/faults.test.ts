/**
 * Graph faults soak: 180 complete flows (submit → approval card → approve → pass delivered,
 * or a defined failure) through the real HTTP edge while Microsoft Graph misbehaves on about
 * one request in five: 429 with Retry-After, 503, dropped connections (the sandbox's knobs,
 * before Graph acts), and answers lost after Graph created the pass (a proxy that drops the
 * connection once the sandbox has answered: what a gateway timeout looks like to the bot).
 *
 * Pinned: every flow ends in a defined state; no pass is created twice for one request except
 * to replace one whose answer was lost; at most one live pass per person, the one delivered;
 * and what the agent is told says what happened.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { USERS } from '../../sandbox/ids';
import { seededRandom } from '../../sandbox/knobs';
import type { TapRequest } from '../../src/flow/types';
import { startHarness, invokeCard, requestIdIn, sentTo, textOf, type Harness, type PersonKey } from '../support/httpHarness';
import { startAnswerLosingProxy, type AnswerLosingProxy } from '../support/answerLosingProxy';

/**
 * 180 flows, 20 per person: at about 10 Graph requests a flow, some 200 top-level faults (and
 * more on $batch items) land on every step of the flow, and the 5 % lost create answers happen
 * about 9 times (none at all once in 10,000 runs; the run asserts that some did). Each flow is checked on
 * its own, so a rule broken one time in a few dozen fails here; 500 flows took a minute of
 * the suite to say the same. SOAK_FLOWS=500 for the longer run docs/operations.md cites.
 */
const FLOWS = Number(process.env['SOAK_FLOWS'] ?? 180);
const TARGETS: PersonKey[] = ['megan', 'lasse', 'lidia', 'miriam', 'patti', 'diego', 'alex', 'nestor', 'lee'];
const FORM = { reason: 'Lost phone; verified on a video call', ticket: 'INC-4711', scenario: 'recovery', lifetimeInMinutes: '60', isUsableOnce: 'true' };
/** Knob rates (top-level requests and $batch items): 10 % 429 + 8 % 503 + 2 % dropped = 20 %. */
const KNOBS = { throttleRate: 0.1, serverErrorRate: 0.08, dropRate: 0.02, retryAfterSeconds: 0.02, retryAfterFractional: true };
/** Plus this share of TAP creates whose answer is lost after Graph made the pass. */
const LOST_CREATE_ANSWERS = 0.05;
const IN_FLIGHT = ['PendingApproval', 'Approved', 'Issuing'];
const GENERIC = /something went wrong|unexpected error/i;
const SAYS_NO_PASS = /no pass was created|did not create the pass|no pass was issued/i;

interface FlowRecord {
  target: PersonKey;
  requestId?: string;
  /** Sandbox answered 201 to this many creates for the target during the flow. */
  creates: number;
  /** Of those, answers the proxy kept from the bot. */
  lostCreates: number;
  told: string;
  refusal?: string;
  /** Method ids of the person's live passes right after the flow. */
  liveAfter: string[];
}

const approverKey = (id: string): PersonKey => {
  const found = (Object.keys(USERS) as PersonKey[]).find((k) => USERS[k].id === id.toLowerCase());
  if (!found) throw new Error(`no persona for approver ${id}`);
  return found;
};

describe(`Graph faults soak: ${FLOWS} flows over HTTP at a 20 % fault rate @soak`, function () {
  this.timeout(600_000);
  let h: Harness;
  let proxy: AnswerLosingProxy;
  let shmDir: string | undefined;
  /** Share of TAP creates whose answer the proxy loses after Graph made the pass. */
  let loseCreateAnswers = 0;

  before(async () => {
    // tmpfs when there is one: the soak is about Graph faults, not about fsync on a shared disk.
    shmDir = existsSync('/dev/shm') ? mkdtempSync(path.join('/dev/shm', 'tapbot-soak-')) : undefined;
    h = await startHarness({
      ...(shmDir ? { SQLITE_PATH: path.join(shmDir, 'bot.sqlite') } : {}),
      LIMIT_PASSES_PER_TARGET_PER_DAY: '1000',
      LIMIT_REQUESTS_PER_AGENT_PER_HOUR: '10000',
      LIMIT_OPEN_APPROVALS_PER_APPROVER: '1000',
      RISK_RECENT_PASS_DAYS: '0',
      RISK_MANAGER_CHANGE_DAYS: '0',
      RISK_METHOD_REGISTERED_HOURS: '0',
      RISK_USER_LEVELS: '',
    });
    const random = seededRandom(13);
    proxy = await startAnswerLosingProxy(h.sandbox, (method, url) => method === 'POST' && /\/temporaryAccessPassMethods$/.test(url) && random() < loseCreateAnswers);
    // The bot reaches Graph through the proxy from its next start (the token endpoint, whose
    // metadata names the sandbox's own address, directly); it trusts both CAs.
    Object.assign(h.sandbox, { graphBaseUrl: proxy.origin, caPem: `${h.sandbox.caPem}\n${proxy.caPem}` });
    await h.restart();
    for (const p of ['adele', 'joni', ...TARGETS] as PersonKey[]) assert.ok((await h.client(p).install()).status < 300);
  });
  after(async () => {
    await h?.stop();
    await proxy?.stop();
    if (shmDir) rmSync(shmDir, { recursive: true, force: true });
  });

  const createsFor = (userId: string): number =>
    h.sandbox.requests.filter((r) => r.method === 'POST' && r.status === 201 && r.url.includes(`/users/${userId}/authentication/temporaryAccessPassMethods`)).length;
  const lostFor = (userId: string): number => proxy.lost.filter((l) => l.includes(`/users/${userId}/`)).length;

  async function oneFlow(target: PersonKey): Promise<FlowRecord> {
    const targetId = USERS[target].id;
    const creates0 = createsFor(targetId);
    const lost0 = lostFor(targetId);
    const told0 = sentTo(h, 'adele').length;
    const record: FlowRecord = { target, creates: 0, lostCreates: 0, told: '', liveAfter: [] };
    const submitted = await h.client('adele').click('tap.submit', { target: `${USERS[target].upn}`, ...FORM });
    assert.equal(submitted.status, 200, textOf(submitted.body));
    const status = invokeCard(submitted.body);
    if (!/"text":"TAP request TAP-/.test(textOf(status))) {
      record.refusal = textOf(status);
    } else {
      record.requestId = requestIdIn(status);
      const stored = await h.app.flow.getRequest(record.requestId);
      const approver = approverKey(stored!.approver.ids[0]!);
      const clicked = await h.client(approver).click('tap.approve', { requestId: record.requestId, attestation: 'videoCall', attestationNote: 'Saw them on Teams video' });
      assert.equal(clicked.status, 200, textOf(clicked.body));
      record.told = textOf(clicked.body);
      // Four eyes (Identity Protection rates Lidia high risk): the second approver approves too.
      const after = await h.app.flow.getRequest(record.requestId);
      if (after?.state === 'PendingApproval' && after.secondApprover && after.decision) {
        const second = await h.client(approverKey(after.secondApprover.ids[0]!)).click('tap.approve', { requestId: record.requestId, attestation: 'inPerson', attestationNote: 'Met them at the desk' });
        assert.equal(second.status, 200, textOf(second.body));
        record.told += textOf(second.body);
      }
    }
    // An approval may answer the click before the pass is made (it is delivered when ready).
    await h.app.flow.whenIdle();
    record.creates = createsFor(targetId) - creates0;
    record.lostCreates = lostFor(targetId) - lost0;
    record.liveAfter = h.sandbox.state.tapsOf(targetId).map((t) => String(t.id));
    record.told += textOf(sentTo(h, 'adele').slice(told0).map((r) => r.activity));
    return record;
  }

  it('every flow ends in a defined state, no pass is made twice, and everyone is told what happened', async () => {
    const perTarget = Math.ceil(FLOWS / TARGETS.length);
    Object.assign(h.sandbox.knobs, KNOBS);
    loseCreateAnswers = LOST_CREATE_ANSWERS;
    const records: FlowRecord[] = [];
    // One flow at a time per person (one open request per person), all people at once.
    await Promise.all(
      TARGETS.map(async (target) => {
        for (let i = 0; i < perTarget; i++) records.push(await oneFlow(target));
      }),
    );
    Object.assign(h.sandbox.knobs, { throttleRate: 0, serverErrorRate: 0, dropRate: 0 });
    loseCreateAnswers = 0;
    await h.app.flow.whenIdle();
    await h.app.flow.sweep();

    const requests = new Map<string, TapRequest>();
    for (const r of records) if (r.requestId) requests.set(r.requestId, (await h.app.flow.getRequest(r.requestId))!);
    const outcomes = new Map<string, number>();
    const count = (k: string): void => void outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    for (const r of records) {
      if (!r.requestId) count(`refused:${/busy/i.test(r.refusal!) ? 'throttled' : /unavailable|reached/i.test(r.refusal!) ? 'unavailable' : 'other'}`);
      else {
        const req = requests.get(r.requestId)!;
        count(req.failure ? `${req.state}:${req.failure.code}` : req.state);
      }
    }
    const creates = records.reduce((s, r) => s + r.creates, 0);
    const issued = [...requests.values()].filter((r) => r.state === 'Issued').length;
    const lostAnswers = records.reduce((s, r) => s + r.lostCreates, 0);
    console.log(
      `      ${records.length} flows: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}; ` +
        `${creates} passes created by Graph for ${issued} issued, ${lostAnswers} create answers lost; ` +
        `${h.sandbox.requests.length} Graph requests, ${h.sandbox.requests.filter((q) => q.status === 429 || q.status === 503 || q.status === 0).length} faulted at top level`,
    );

    assert.equal(records.length, perTarget * TARGETS.length);
    assert.ok(records.length >= FLOWS);
    // The soak proves nothing about faults it never met: each kind came up.
    const faulted = (status: number): number => h.sandbox.requests.filter((q) => q.status === status).length;
    assert.ok(faulted(429) > 0 && faulted(503) > 0 && faulted(0) > 0, `429s ${faulted(429)}, 503s ${faulted(503)}, dropped ${faulted(0)}`);
    assert.ok(lostAnswers > 0, 'some create answers were lost after Graph made the pass');
    const problems: string[] = [];
    for (const r of records) {
      const req = r.requestId ? requests.get(r.requestId) : undefined;
      const where = `${r.requestId ?? 'refused'} (${r.target})`;
      if (!req) {
        // Refused before any request existed: the card names the cause.
        if (GENERIC.test(r.refusal!) || !/Microsoft Graph/.test(r.refusal!)) problems.push(`${where}: refusal does not name the cause: ${r.refusal!.slice(0, 200)}`);
        if (r.creates !== 0) problems.push(`${where}: refused, yet ${r.creates} passes were created`);
        continue;
      }
      if (IN_FLIGHT.includes(req.state)) problems.push(`${where}: left in ${req.state}`);
      if (req.state === 'Issued') {
        // One create, or one more for each create whose answer was lost and that was sent again.
        if (r.creates < 1 || r.creates - r.lostCreates > 1) problems.push(`${where}: issued with ${r.creates} creates (${r.lostCreates} answers lost)`);
        if (!/TAP-/.test(r.told) || GENERIC.test(r.told)) problems.push(`${where}: the agent was not clearly told`);
        if (r.liveAfter.join() !== req.issued?.methodId) problems.push(`${where}: live passes ${r.liveAfter.join() || 'none'}, delivered ${req.issued?.methodId}`);
      } else if (req.state === 'Failed') {
        if (!req.failure?.code || req.failure.code === 'unexpected') problems.push(`${where}: failed without a known cause (${req.failure?.code})`);
        if (!r.told.includes(req.failure!.message.slice(0, 40))) problems.push(`${where}: the agent was not told why it failed`);
        if (GENERIC.test(req.failure!.message)) problems.push(`${where}: generic failure message: ${req.failure!.message}`);
        // A create Graph carried out and whose answer was lost: the bot cannot know there is no pass.
        if (r.creates > 0 && r.liveAfter.length > 0) problems.push(`${where}: failed, and the pass Graph created (${r.liveAfter.join()}) is still live with nobody holding it`);
        if (r.creates > 0 && SAYS_NO_PASS.test(req.failure!.message)) {
          problems.push(`${where}: Graph created ${r.creates} pass(es) but the agent was told "${req.failure!.message}"`);
        }
      } else if (req.state !== 'Expired') {
        problems.push(`${where}: unexpected end state ${req.state}`);
      }
    }
    // At most one live pass per person, and it is the one delivered by the last issued request.
    for (const target of TARGETS) {
      const live = h.sandbox.state.tapsOf(USERS[target].id);
      if (live.length > 1) problems.push(`${target}: ${live.length} live passes`);
      const last = records.filter((r) => r.target === target).at(-1)!;
      const lastReq = last.requestId ? requests.get(last.requestId) : undefined;
      if (live.length === 1 && lastReq?.state === 'Issued' && live[0]!.id !== lastReq.issued?.methodId) {
        problems.push(`${target}: the live pass ${String(live[0]!.id)} is not the one delivered (${lastReq.issued?.methodId})`);
      }
    }
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
  });

  it('a create whose answer is lost on every attempt: the agent is not told "no pass was created", and no pass nobody holds stays live', async () => {
    loseCreateAnswers = 1;
    let r: FlowRecord;
    try {
      r = await oneFlow('megan');
    } finally {
      loseCreateAnswers = 0;
    }
    const req = (await h.app.flow.getRequest(r.requestId!))!;
    console.log(`      lost on every attempt: ${r.creates} creates carried out by Graph, ended ${req.state}:${req.failure?.code}, live passes ${r.liveAfter.length}; told "${req.failure?.message}"`);
    assert.ok(r.creates >= 1, 'Graph carried out the create');
    assert.equal(req.state, 'Failed');
    assert.doesNotMatch(req.failure!.message, SAYS_NO_PASS, 'the bot cannot know that no pass exists');
    assert.deepEqual(r.liveAfter, [], 'a pass nobody holds is deleted (or the agent is told to have it deleted)');
  });

  it('Graph throttling every request while the approval is re-checked: the request fails as throttled and says no pass was created', async () => {
    const submitted = invokeCard((await h.client('adele').click('tap.submit', { target: USERS.megan.upn, ...FORM })).body);
    const requestId = requestIdIn(submitted);
    const creates0 = createsFor(USERS.megan.id);
    Object.assign(h.sandbox.knobs, { throttleRate: 1 });
    try {
      const clicked = await h.client('nestor').click('tap.approve', { requestId, attestation: 'videoCall', attestationNote: 'Saw her on Teams video' });
      assert.equal(clicked.status, 200);
    } finally {
      Object.assign(h.sandbox.knobs, { throttleRate: 0 });
    }
    const req = (await h.app.flow.getRequest(requestId))!;
    assert.equal(req.state, 'Failed');
    assert.equal(req.failure?.code, 'throttled');
    assert.match(req.failure!.message, /busy/);
    assert.match(req.failure!.message, SAYS_NO_PASS);
    assert.equal(createsFor(USERS.megan.id), creates0, 'no create was sent');
  });
});
