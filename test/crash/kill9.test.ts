/**
 * kill -9 at each step of a request, then a new process on the same store. After every
 * crash: the request reaches a defined state, no pass is created twice (the sandbox tenant
 * counts), no pass is left that nobody holds, and the agent is told what happened and what
 * to do (what the fake Bot Connector received in the agent's chat).
 *
 * How a step is caught: a Bot Connector call held by a gate (the approval card, the pass
 * card, the guide card), or let through with only its answer held (Teams shows the card,
 * the bot never learns its activity id), or a Graph request caught as it reaches the sandbox
 * with latency set, so the bot is still waiting for Graph's answer when it dies.
 *
 * The pass card goes out without the code, its activity id is stored, then the code is put
 * on it in place: after a crash at any of those moments, no card in the recipient's chat
 * still shows the code of the deleted pass.
 *
 * The restarted process's clock runs INTERRUPTED_AFTER_IN_MS (+1 min) ahead: an issuance is
 * taken for interrupted only after that long (it may still be running on another instance),
 * and this keeps the test from waiting five real minutes. Graph has answered the held
 * request before the restart, as it would have long before those five minutes.
 */
import assert from 'node:assert/strict';
import { VERBS } from '../../src/cards/verbs';
import { INTERRUPTED_AFTER_IN_MS } from '../../src/flow/issue/recovery';
import type { RequestState, TapRequest } from '../../src/flow/types';
import type { BotProcess } from '../support/botProcess';
import { cardsOf, codeIn, executeActions, invokeCard, requestIdIn, textOf } from '../support/httpHarness';
import { eventually, MANY_ROUNDS_ENV, startWorld, USERS, type PersonKey, type StoreKind, type World } from '../support/multiprocessWorld';
import { isTapCreate, sendsTo, startConnectorGate, updatesIn, whenAnswered, whenSandboxReceives, type ConnectorGate } from '../support/botHolds';

/** The restarted process is this far ahead: past the bound after which an issuance counts as interrupted. */
const AFTER_INTERRUPTION_IN_MINUTES = INTERRUPTED_AFTER_IN_MS / 60_000 + 1;
/** Graph latency while a Graph step is caught: long enough to kill the bot inside it. */
const HOLD_IN_MS = 1_500;
const SWEEP_INTERVAL_IN_MS = 1_000;
const FORM = { reason: 'Lost phone; verified on a video call', scenario: 'recovery' } as const;
const APPROVAL = { attestation: 'videoCall' } as const;

interface Lane {
  target: PersonKey;
  agent: PersonKey;
  approver: PersonKey;
}

type Step = 'requestStored' | 'requestSent' | 'approvalRecorded' | 'duringCreate' | 'beforeDelivery' | 'insidePassCardSend' | 'insideCodeUpdate' | 'duringDelivery';

const STEPS_PER_STORE: Record<StoreKind, readonly Step[]> = {
  sqlite: ['requestStored', 'requestSent', 'approvalRecorded', 'duringCreate', 'beforeDelivery', 'insidePassCardSend', 'insideCodeUpdate', 'duringDelivery'],
  // The steps where a second store could behave differently: an unanswered Graph write, a
  // card Teams shows whose id was never stored, and a pass already on the agent's screen.
  blobs: ['duringCreate', 'insidePassCardSend', 'duringDelivery'],
};

for (const kind of ['sqlite', 'blobs'] as const) {
  describe(`kill -9 at each step, then a restart on the same ${kind === 'sqlite' ? 'SQLite file' : 'Azure Blob Storage container (Azurite)'}`, function () {
    this.timeout(60_000);
    let world: World;
    let gate: ConnectorGate;
    const bots: BotProcess[] = [];
    const steps = new Set(STEPS_PER_STORE[kind]);
    const step = (name: Step, title: string, body: () => Promise<void>): void => {
      if (steps.has(name)) it(title, body);
    };

    before(async function () {
      this.timeout(60_000);
      world = await startWorld(kind, {
        env: MANY_ROUNDS_ENV,
        serviceUrl: async (connector) => (gate = await startConnectorGate(connector)),
      });
    });
    afterEach(async function () {
      world.sandbox.knobs.latencyInMs = 0;
      if (this.currentTest?.state === 'failed') for (const bot of bots) process.stderr.write(`--- ${bot.name}\n${bot.output.slice(-30).join('\n')}\n`);
      await Promise.all(bots.splice(0).map((b) => b.stop()));
    });
    after(async () => {
      await world?.stop();
    });

    async function bot(name: string, clockOffsetInMinutes = 0): Promise<BotProcess> {
      // A short sweep interval keeps the sweep's lease short (3 intervals): the lease the
      // killed process held lapses at once for a process whose clock is minutes ahead.
      const started = await world.startBot(name, { clockOffsetInMinutes, sweepIntervalInMs: SWEEP_INTERVAL_IN_MS });
      bots.push(started);
      return started;
    }

    async function submitted(on: BotProcess, lane: Lane): Promise<string> {
      const answer = await world.client(on, lane.agent).click(VERBS.submitRequest, { target: USERS[lane.target].upn, ...FORM });
      return requestIdIn(invokeCard(answer.body));
    }

    /** A click whose bot may die before it answers: resolves either way. */
    function clickDespiteCrash(on: BotProcess, person: PersonKey, verb: string, data: Record<string, unknown>): Promise<unknown> {
      return world.client(on, person).click(verb, data).catch((e: unknown) => e);
    }

    async function stateOf(id: string): Promise<TapRequest> {
      const r = await world.request(id);
      assert.ok(r, `request ${id} is stored`);
      return r;
    }

    async function reaches(id: string, state: RequestState): Promise<TapRequest> {
      return eventually(`request ${id} to be ${state}`, async () => {
        const r = await world.request(id);
        return r?.state === state ? r : undefined;
      });
    }

    /** Text of everything the bot sent (not updated) into this person's chat. */
    function toldTo(person: PersonKey): string[] {
      return world.connector.log.filter((r) => r.kind === 'send' && r.conversationId === `a:personal-${USERS[person].id}`).map((r) => textOf(r.activity));
    }

    const tapsOf = (person: PersonKey): string[] => world.sandbox.state.tapsOf(USERS[person].id).map((t) => String(t.id));

    /** Every activity (sent, or updated in place) that carried a code of this request to the connector. */
    const codeCards = (id: string) => world.connector.log.filter((r) => cardsOf(r.activity).some((c) => codeIn(c) !== undefined && textOf(c).includes(id)));

    /** Codes that cards of this request in this person's chat show now (each card as last sent or updated). */
    function codesShown(person: PersonKey, id: string): string[] {
      const chat = `a:personal-${USERS[person].id}`;
      const cards = new Set(world.connector.log.filter((r) => r.conversationId === chat && textOf(r.activity).includes(id)).map((r) => r.activityId));
      const now = world.connector.current();
      return [...cards].flatMap((a) => cardsOf(now.get(a)?.activity ?? {}).map((c) => codeIn(c)).filter((c): c is string => c !== undefined));
    }

    /** Interrupted issuance: failed, every pass it may have made gone, no pass made twice, and the agent told to ask again. */
    async function assertCleanedUp(id: string, lane: Lane, createsBefore: number, createsMade: number): Promise<TapRequest> {
      const failed = await reaches(id, 'Failed');
      assert.equal(failed.failure?.code, 'interrupted');
      assert.equal(world.creates(lane.target).length - createsBefore, createsMade, `Graph was asked to create ${createsMade} pass(es), never again after the crash`);
      assert.deepEqual(tapsOf(lane.target), [], 'no pass is left that nobody reliably holds');
      const message = failed.failure?.message ?? '';
      assert.match(message, /Request a new one/, 'the failure says what to do');
      await eventually('the agent to be told', () => (toldTo(lane.agent).some((t) => t.includes(id) && t.includes(JSON.stringify(message).slice(1, -1))) ? true : undefined));
      await eventually('no card to show the dead code', () => (codesShown(lane.agent, id).length === 0 ? true : undefined));
      return failed;
    }

    step('requestStored', 'killed after the request is stored, before its approval card is out: it stays open, and the agent asking again is told of it and how to withdraw it, then can ask anew', async () => {
      const lane: Lane = { target: 'megan', agent: 'adele', approver: 'nestor' };
      const victim = await bot('victim');
      await world.install(victim, [lane.agent, lane.approver]);
      const held = gate.holdNext(sendsTo(USERS[lane.approver].id));
      const submit = clickDespiteCrash(victim, lane.agent, VERBS.submitRequest, { target: USERS[lane.target].upn, ...FORM });
      await held;
      await victim.kill9();
      await submit;
      const open = (await world.repo.indexes.recentByTarget(USERS[lane.target].id))[0];
      assert.ok(open, 'the request was stored');
      assert.equal((await stateOf(open)).state, 'PendingApproval');

      const restarted = await bot('restarted');
      const again = invokeCard((await world.client(restarted, lane.agent).click(VERBS.submitRequest, { target: USERS[lane.target].upn, ...FORM })).body);
      assert.match(textOf(again), new RegExp(`already an open request ${open} for .*cancel ${open}`), 'the agent learns of the open request and how to withdraw it');
      const withdrawn = await world.client(restarted, lane.agent).click(VERBS.cancel, { requestId: open });
      assert.equal(withdrawn.status, 200);
      assert.equal((await stateOf(open)).state, 'Cancelled');
      const fresh = await submitted(restarted, lane);
      assert.notEqual(fresh, open);
      await eventually('the new approval card', () =>
        world.connector.log.some((r) => r.conversationId === `a:personal-${USERS[lane.approver].id}` && cardsOf(r.activity).some((c) => executeActions(c).some((a) => a.verb === VERBS.approve && a.data.requestId === fresh)))
          ? true
          : undefined,
      );
      await world.client(restarted, lane.agent).click(VERBS.cancel, { requestId: fresh });
    });

    step('requestSent', 'killed while the approval waits on the manager: the restarted process takes the click and issues exactly one pass, delivered once', async () => {
      const lane: Lane = { target: 'lasse', agent: 'adele', approver: 'nestor' };
      const victim = await bot('victim');
      await world.install(victim, [lane.agent, lane.approver]);
      const id = await submitted(victim, lane);
      await victim.kill9();
      const before = world.creates(lane.target).length;

      const restarted = await bot('restarted');
      const answer = await world.client(restarted, lane.approver).click(VERBS.approve, { requestId: id, ...APPROVAL });
      assert.equal(answer.status, 200);
      const issued = await reaches(id, 'Issued');
      assert.equal(world.creates(lane.target).length - before, 1);
      assert.deepEqual(tapsOf(lane.target), [issued.issued?.methodId]);
      await eventually('the delivery', () => (codeCards(id).length ? true : undefined));
      assert.equal(codeCards(id).length, 1);
    });

    step('approvalRecorded', 'killed after the approval is recorded, before the pass is created: the restart fails the request without touching Graph and tells the agent to ask again', async () => {
      const lane: Lane = { target: 'megan', agent: 'adele', approver: 'nestor' };
      const victim = await bot('victim');
      await world.install(victim, [lane.agent, lane.approver]);
      const id = await submitted(victim, lane);
      const passWrites = (): number => world.sandbox.requests.filter((q) => q.method !== 'GET' && /temporaryaccesspassmethods/i.test(q.url)).length;
      const before = passWrites();
      // Graph slow: the re-check before the create keeps the bot in Approved for HOLD_IN_MS.
      world.sandbox.knobs.latencyInMs = HOLD_IN_MS;
      const click = clickDespiteCrash(victim, lane.approver, VERBS.approve, { requestId: id, ...APPROVAL });
      await eventually('the approval to be stored', async () => ((await world.request(id))?.state === 'Approved' ? true : undefined), 10_000, 5);
      await victim.kill9();
      await click;
      world.sandbox.knobs.latencyInMs = 0;
      assert.equal((await stateOf(id)).state, 'Approved', 'the approval is stored');

      await bot('restarted', AFTER_INTERRUPTION_IN_MINUTES);
      const failed = await reaches(id, 'Failed');
      assert.equal(failed.failure?.code, 'interrupted');
      assert.match(failed.failure?.message ?? '', /no pass exists\. Request a new one/);
      assert.equal(passWrites(), before, 'no pass created or deleted');
      await eventually('the agent to be told', () => (toldTo(lane.agent).some((t) => t.includes(id) && t.includes('no pass exists')) ? true : undefined));
    });

    step('duringCreate', 'killed while Graph is creating the pass (sent, never answered): the create is not retried; the restart deletes the pass Graph made, fails the request and tells the agent to ask again', async () => {
      const lane: Lane = { target: 'miriam', agent: 'adele', approver: 'nestor' };
      const victim = await bot('victim');
      await world.install(victim, [lane.agent, lane.approver]);
      const id = await submitted(victim, lane);
      const before = world.creates(lane.target).length;
      world.sandbox.knobs.latencyInMs = HOLD_IN_MS;
      const create = whenSandboxReceives(world.sandbox, isTapCreate(USERS[lane.target].id));
      const click = clickDespiteCrash(victim, lane.approver, VERBS.approve, { requestId: id, ...APPROVAL });
      const sent = await create;
      await victim.kill9();
      await click;
      const stuck = await stateOf(id);
      assert.equal(stuck.state, 'Issuing');
      assert.equal(stuck.issued, undefined, 'the bot never learnt which pass Graph made');
      assert.equal(await whenAnswered(sent), 201, 'Graph made the pass all the same');
      world.sandbox.knobs.latencyInMs = 0;
      assert.equal(tapsOf(lane.target).length, 1, 'a pass exists that nobody holds');

      await bot('restarted', AFTER_INTERRUPTION_IN_MINUTES);
      const failed = await assertCleanedUp(id, lane, before, 1);
      assert.match(failed.failure?.message ?? '', /removed/);
    });

    step('beforeDelivery', 'killed after Graph created the pass, before the pass card went out: the restart deletes that pass, nobody ever saw the code, and the agent is told to ask again', async () => {
      const lane: Lane = { target: 'patti', agent: 'adele', approver: 'joni' };
      const victim = await bot('victim');
      await world.install(victim, [lane.agent, lane.approver]);
      const id = await submitted(victim, lane);
      const before = world.creates(lane.target).length;
      const held = gate.holdNext((call) => sendsTo(USERS[lane.agent].id)(call) && textOf(call.body).includes(id));
      const click = clickDespiteCrash(victim, lane.approver, VERBS.approve, { requestId: id, ...APPROVAL });
      await held;
      await victim.kill9();
      await click;
      const stuck = await stateOf(id);
      assert.equal(stuck.state, 'Issuing');
      assert.ok(stuck.issued?.methodId, 'the pass is named in the store before it is delivered');
      assert.deepEqual(tapsOf(lane.target), [stuck.issued.methodId]);

      await bot('restarted', AFTER_INTERRUPTION_IN_MINUTES);
      await assertCleanedUp(id, lane, before, 1);
      assert.equal(codeCards(id).length, 0, 'the code never reached anyone');
    });

    step('insidePassCardSend', 'killed inside the send of the pass card (Teams shows the card, its activity id never came back): that card never carried the code, the restart deletes the pass, and no card shows a code', async () => {
      const lane: Lane = { target: 'megan', agent: 'adele', approver: 'nestor' };
      const victim = await bot('victim');
      await world.install(victim, [lane.agent, lane.approver]);
      const id = await submitted(victim, lane);
      const before = world.creates(lane.target).length;
      const accepted = gate.holdAnswerOfNext((call) => sendsTo(USERS[lane.agent].id)(call) && textOf(call.body).includes(id));
      const click = clickDespiteCrash(victim, lane.approver, VERBS.approve, { requestId: id, ...APPROVAL });
      const card = await accepted;
      await victim.kill9();
      await click;
      assert.ok(world.connector.log.some((r) => r.kind === 'send' && r.conversationId === card.conversationId && textOf(r.activity).includes(id)), 'Teams shows the pass card');
      const stuck = await stateOf(id);
      assert.equal(stuck.state, 'Issuing');
      assert.deepEqual(tapsOf(lane.target), [stuck.issued?.methodId], 'a live pass exists');

      await bot('restarted', AFTER_INTERRUPTION_IN_MINUTES);
      await assertCleanedUp(id, lane, before, 1);
      assert.deepEqual(codesShown(lane.agent, id), [], 'no card shows a code of the deleted pass');
    });

    step('insideCodeUpdate', 'killed while the code is being put on the pass card (Teams shows it, the bot never hears back): the restart deletes the pass and takes the code off that card', async () => {
      const lane: Lane = { target: 'patti', agent: 'adele', approver: 'joni' };
      const victim = await bot('victim');
      await world.install(victim, [lane.agent, lane.approver]);
      const id = await submitted(victim, lane);
      const before = world.creates(lane.target).length;
      const accepted = gate.holdAnswerOfNext((call) => updatesIn(USERS[lane.agent].id)(call) && cardsOf(call.body).some((c) => codeIn(c) !== undefined));
      const click = clickDespiteCrash(victim, lane.approver, VERBS.approve, { requestId: id, ...APPROVAL });
      await accepted;
      await victim.kill9();
      await click;
      assert.equal(codesShown(lane.agent, id).length, 1, 'the code is on the agent\'s screen');
      assert.equal((await stateOf(id)).state, 'Issuing');

      await bot('restarted', AFTER_INTERRUPTION_IN_MINUTES);
      await assertCleanedUp(id, lane, before, 1);
      assert.deepEqual(codesShown(lane.agent, id), [], 'the dead code is no longer shown');
    });

    step('duringDelivery', 'killed while the pass is being delivered (the code is on the agent\'s screen, the guide not yet): the restart deletes the pass, hides the code and tells the agent to ask again', async () => {
      const lane: Lane = { target: 'diego', agent: 'alex', approver: 'adele' };
      const victim = await bot('victim');
      await world.install(victim, [lane.agent, lane.approver]);
      const id = await submitted(victim, lane);
      const before = world.creates(lane.target).length;
      // The next thing the agent's chat gets after the code is on the pass card: the user guide.
      const held = gate.holdNext((call) => sendsTo(USERS[lane.agent].id)(call) && codeCards(id).length === 1);
      const click = clickDespiteCrash(victim, lane.approver, VERBS.approve, { requestId: id, ...APPROVAL });
      await held;
      await victim.kill9();
      await click;
      const stuck = await stateOf(id);
      assert.equal(stuck.state, 'Issuing');
      assert.equal(codesShown(lane.agent, id).length, 1, 'the agent has the code');

      await bot('restarted', AFTER_INTERRUPTION_IN_MINUTES);
      await assertCleanedUp(id, lane, before, 1);
      assert.deepEqual(codesShown(lane.agent, id), [], 'the dead code is no longer shown');
    });
  });
}
