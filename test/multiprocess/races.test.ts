/**
 * Two bot processes on one store, clicked at the same moment: what test/flow/twoInstances
 * pins inside one process, here over HTTP between real processes, on both stores the bot
 * ships with (one SQLite file; Azure Blob Storage, as Azurite). Every race runs many rounds
 * per store, several people at a time (each person's rounds one after another).
 *
 * The sandbox tenant counts the passes (its own record of creates, and the user's TAP list),
 * the fake Bot Connector counts deliveries: neither depends on what the bots say.
 */
import assert from 'node:assert/strict';
import { VERBS } from '../../src/cards/verbs';
import { isTerminal } from '../../src/flow/stateMachine';
import type { TapRequest } from '../../src/flow/types';
import type { BotProcess } from '../support/botProcess';
import { codeIn, cardsOf, executeActions, invokeCard, requestIdIn, textOf } from '../support/httpHarness';
import { eventually, MANY_ROUNDS_ENV, startWorld, USERS, type PersonKey, type StoreKind, type World } from '../support/multiprocessWorld';

/**
 * Rounds per store. Every round is a race (both clicks sent at once, five people at a time),
 * checked on its own: a lost compare-and-swap makes a second pass in most rounds, so a few
 * dozen would show it. The approval race, where a pass could be made twice, runs 100, enough
 * for a window hit one round in 30 to show all but once in 30 runs; the other two races 30
 * (a cancel racing an approval ends either way within them). On blobs a round costs about
 * 200 ms of this machine's time: 200 and 50 rounds took 80 s of the suite to say the same.
 */
const APPROVE_ROUNDS = 100;
const CANCEL_ROUNDS = 30;
const SUBMIT_ROUNDS = 30;
const FORM = { reason: 'Lost phone; verified on a video call', scenario: 'recovery' } as const;
const APPROVAL = { attestation: 'videoCall' } as const;

/**
 * People the sandbox lets one agent ask for again and again, each with the approver the
 * rules pick. Not Lidia: her high user risk asks for four eyes, and RISK_USER_LEVELS cannot
 * be set to none.
 */
interface Lane {
  target: PersonKey;
  agent: PersonKey;
  approver: PersonKey;
}
const LANES: readonly Lane[] = [
  { target: 'megan', agent: 'adele', approver: 'nestor' },
  { target: 'lasse', agent: 'adele', approver: 'nestor' },
  { target: 'miriam', agent: 'adele', approver: 'nestor' },
  { target: 'patti', agent: 'adele', approver: 'joni' },
  { target: 'diego', agent: 'alex', approver: 'adele' },
];

/** `rounds` rounds in all, spread over the lanes: lanes run at the same time, a lane's rounds in turn. */
async function inLanes(lanes: readonly Lane[], rounds: number, round: (lane: Lane, n: number) => Promise<void>): Promise<number> {
  const started = Date.now();
  const perLane = Math.ceil(rounds / lanes.length);
  await Promise.all(
    lanes.map(async (lane) => {
      for (let n = 0; n < perLane; n++) await round(lane, n);
    }),
  );
  return Date.now() - started;
}

function report(kind: StoreKind, what: string, rounds: number, ms: number, extra = ''): void {
  process.stdout.write(`      [${kind}] ${what}: ${rounds} rounds in ${(ms / 1000).toFixed(1)} s (${(ms / rounds).toFixed(0)} ms a round, lanes in parallel)${extra}\n`);
}

/** A card (HTTP 200, Adaptive Card invoke response) on which nobody can approve any more. */
function readOnlyCard(answer: { status: number; body: unknown }, what: string): Record<string, unknown> {
  assert.equal(answer.status, 200, `${what}: HTTP 200, not an error`);
  const card = invokeCard(answer.body);
  assert.ok(!executeActions(card).some((a) => a.verb === VERBS.approve), `${what}: the card offers no Approve any more`);
  return card;
}

async function settled(world: World, id: string): Promise<TapRequest> {
  return eventually(`request ${id} to finish`, async () => {
    const r = await world.request(id);
    return r && isTerminal(r.state) ? r : undefined;
  });
}

/** How many of the processes logged that they refused a click on this request. */
function refusalsLogged(bots: BotProcess[], requestId: string): number {
  return bots.flatMap((b) => b.output).filter((l) => l.includes('"card action refused"') && l.includes(requestId)).length;
}

for (const kind of ['sqlite', 'blobs'] as const) {
  describe(`two bot processes on one ${kind === 'sqlite' ? 'SQLite file' : 'Azure Blob Storage container (Azurite)'}`, function () {
    // Generous: on a loaded machine a round on blobs takes several times as long.
    this.timeout(300_000);
    let world: World;
    let a: BotProcess;
    let b: BotProcess;

    before(async function () {
      this.timeout(120_000);
      world = await startWorld(kind, { env: MANY_ROUNDS_ENV });
      [a, b] = await Promise.all([world.startBot('A'), world.startBot('B')]);
      process.stdout.write(`      [${kind}] bot processes started in ${a.startedInMs} and ${b.startedInMs} ms (node --import tsx, both at once)\n`);
      await world.install(a, ['adele', 'alex', 'nestor', 'joni']);
    });
    after(async () => {
      await world?.stop();
    });
    afterEach(function () {
      // The processes' own words, when a round went wrong.
      if (this.currentTest?.state === 'failed') for (const bot of [a, b]) process.stderr.write(`--- ${bot?.name}\n${bot?.output.slice(-40).join('\n')}\n`);
    });

    async function submit(bot: BotProcess, lane: Lane, agent: PersonKey = lane.agent): Promise<{ status: number; body: unknown }> {
      return world.client(bot, agent).click(VERBS.submitRequest, { target: USERS[lane.target].upn, ...FORM });
    }

    it(`the same approval clicked on both processes at the same moment creates exactly one pass and delivers it once; the other click gets the read-only card (${APPROVE_ROUNDS} rounds)`, async () => {
      const ms = await inLanes(LANES, APPROVE_ROUNDS, async (lane, n) => {
        const where = `${lane.target} round ${n}`;
        const requestId = requestIdIn(invokeCard((await submit(n % 2 ? a : b, lane)).body));
        const before = world.creates(lane.target).length;

        const answers = await Promise.all([a, b].map((bot) => world.client(bot, lane.approver).click(VERBS.approve, { requestId, ...APPROVAL })));
        answers.forEach((answer, i) => assert.ok(textOf(readOnlyCard(answer, `${where}, click on ${i ? 'B' : 'A'}`)).includes(requestId), `${where}: the card is this request's`));

        const done = await settled(world, requestId);
        assert.equal(done.state, 'Issued', where);
        assert.equal(world.creates(lane.target).length - before, 1, `${where}: exactly one pass created`);
        const held = world.sandbox.state.tapsOf(USERS[lane.target].id);
        assert.deepEqual(held.map((t) => t.id), [done.issued?.methodId], `${where}: the user holds that one pass`);
        await eventually(`${where} delivery`, () => (world.deliveries(requestId).length > 0 ? true : undefined));
        assert.equal(world.deliveries(requestId).length, 1, `${where}: delivered once`);
        assert.equal(refusalsLogged([a, b], requestId), 1, `${where}: exactly one of the two clicks lost, and was answered as a refusal`);
      });
      report(kind, 'approve on both', APPROVE_ROUNDS, ms);
    });

    it(`a cancel racing an approval ends in one of them: cancelled with no pass, or issued with one pass delivered once (${CANCEL_ROUNDS} rounds)`, async () => {
      const outcomes = { Cancelled: 0, Issued: 0 };
      const ms = await inLanes(LANES, CANCEL_ROUNDS, async (lane, n) => {
        const where = `${lane.target} round ${n}`;
        const requestId = requestIdIn(invokeCard((await submit(a, lane)).body));
        const before = world.creates(lane.target).length;
        // Each process gets each role in turn.
        const [cancelOn, approveOn] = n % 2 ? [a, b] : [b, a];
        const [cancelled, approved] = await Promise.all([
          world.client(cancelOn, lane.agent).click(VERBS.cancel, { requestId }),
          world.client(approveOn, lane.approver).click(VERBS.approve, { requestId, ...APPROVAL }),
        ]);
        assert.equal(cancelled.status, 200, `${where}: the cancel is answered with a card`);
        invokeCard(cancelled.body);
        readOnlyCard(approved, `${where}, approval`);

        const done = await settled(world, requestId);
        assert.ok(done.state === 'Cancelled' || done.state === 'Issued', `${where}: ${done.state}`);
        outcomes[done.state]++;
        const passes = done.state === 'Issued' ? 1 : 0;
        assert.equal(world.creates(lane.target).length - before, passes, `${where}: ${passes} pass(es) created when ${done.state}`);
        if (passes) await eventually(`${where} delivery`, () => (world.deliveries(requestId).length > 0 ? true : undefined));
        assert.equal(world.deliveries(requestId).length, passes, `${where}: delivered ${passes} time(s)`);
      });
      report(kind, 'cancel vs approve', CANCEL_ROUNDS, ms, `; ${outcomes.Cancelled} cancelled, ${outcomes.Issued} issued`);
    });

    it(`two submits for the same person on both processes at the same moment make one request, with one approval card; the other agent gets the form back saying why (${SUBMIT_ROUNDS} rounds)`, async () => {
      // Two agents for each person: Diego's manager is an agent, so he is left out here.
      const lanes = LANES.filter((l) => l.target !== 'diego');
      const ms = await inLanes(lanes, SUBMIT_ROUNDS, async (lane, n) => {
        const where = `${lane.target} round ${n}`;
        const targetId = USERS[lane.target].id;
        const known = new Set(await world.repo.indexes.recentByTarget(targetId));
        const [first, second] = n % 2 ? [a, b] : [b, a];
        const answers = await Promise.all([submit(first, lane, 'adele'), submit(second, lane, 'alex')]);
        const cards = answers.map((answer) => {
          assert.equal(answer.status, 200, `${where}: a card, not an error`);
          return invokeCard(answer.body);
        });
        const made = cards.filter((c) => executeActions(c).some((x) => typeof x.data.requestId === 'string'));
        assert.equal(made.length, 1, `${where}: one agent gets a request`);
        const refused = cards.find((c) => c !== made[0]);
        assert.match(textOf(refused), /Another request for|already/, `${where}: the other is told a request exists`);

        const fresh = (await world.repo.indexes.recentByTarget(targetId)).filter((id) => !known.has(id));
        assert.equal(fresh.length, 1, `${where}: one request stored`);
        const requestId = fresh[0]!;
        assert.equal(requestIdIn(made[0]), requestId);
        const approvalCards = world.connector.log.filter(
          (r) => r.kind === 'send' && cardsOf(r.activity).some((c) => textOf(c).includes(requestId) && executeActions(c).some((x) => x.verb === VERBS.approve)),
        );
        assert.equal(approvalCards.length, 1, `${where}: the approver got one card`);

        const stored = await world.request(requestId);
        const cancelled = await world.client(a, stored!.requester.id === USERS.adele.id ? 'adele' : 'alex').click(VERBS.cancel, { requestId });
        assert.equal(cancelled.status, 200);
        assert.equal((await world.request(requestId))?.state, 'Cancelled', `${where}: cleaned up`);
      });
      report(kind, 'two submits', SUBMIT_ROUNDS, ms);
    });

    it('no code the bots delivered appears in either process\'s log output', () => {
      const codes = world.connector.log.flatMap((r) => cardsOf(r.activity)).map((c) => codeIn(c)).filter((c): c is string => c !== undefined);
      assert.ok(codes.length >= APPROVE_ROUNDS, `${codes.length} codes delivered`);
      const output = [...a.output, ...b.output].join('\n');
      const leaked = codes.filter((c) => output.includes(c));
      assert.deepEqual(leaked, [], 'codes in the log');
    });
  });
}
