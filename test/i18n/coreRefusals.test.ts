/**
 * Every refusal the workflow core throws reads in the reader's language: each code is made
 * to happen for real (a request, a click, a bulk run), and the error it throws is read in
 * Danish. A sentence left in English, or one that lost a value ("undefined", "[object …]"),
 * fails here. The sentences the issue named as untrue are pinned too: a guest is named once,
 * a duplicate refusal for a pass prepared days ahead says when it will be made, and a stopped
 * bulk request's reason is said once, not again on every member.
 */
import assert from 'node:assert/strict';
import { FlowError, GraphError, type FlowErrorCode } from '../../src/errors';
import { InvalidInputError, RequestClosedError } from '../../src/flow/errors';
import { tooBusy } from '../../src/flow/store/requestIndexes';
import { tooEarlyForTheCommandLine } from '../../src/flow/bulk/intake';
import { catalogue } from '../../src/i18n';
import { reasonIn } from '../../src/i18n/said';
import { failingFake } from '../support/fakePorts';
import { DEFAULT_RISK_RULES } from '../../src/flow/gate/risk';
import { GENERATED_GROUP } from '../../sandbox/generate';
import { actor, APPROVE, ask, GROUPS, makeWorld, quietLogs, sequentialId, T0, USERS, type World, type WorldOptions } from '../support/flowWorld';
import { AGENT, BULK_APPROVER, startBulkWorld, type BulkWorld } from '../support/bulkWorld';

const da = catalogue('da');
const en = catalogue('en');

/** The error a core call throws (it must throw a FlowError). */
async function thrown(work: () => Promise<unknown> | unknown): Promise<FlowError> {
  try {
    await work();
  } catch (e) {
    if (e instanceof FlowError) return e;
    throw e;
  }
  throw new Error('it did not refuse');
}

const pendingFor = async (w: World, who: keyof typeof USERS = 'megan') => w.flow.startRequest(actor('adele'), ask(USERS[who].upn));

/** What makes each code happen in a single request's life. The record type names every code the core throws. */
const SINGLE: Record<Exclude<FlowErrorCode, 'changedSinceRequest' | `bulk${string}` | `group${string}`>, (w: World) => Promise<unknown> | unknown> = {
  notHelpdeskAgent: (w) => w.flow.startRequest(actor('megan'), ask(USERS.lasse.upn)),
  wrongTenant: (w) => w.flow.startRequest(actor('adele', 'c0ffee00-0000-4000-8000-0000000000ff'), ask(USERS.megan.upn)),
  invalidInput: (w) => w.flow.startRequest(actor('adele'), { target: 'megan at contoso', reason: 'x', scenario: 'recovery' }),
  targetNotFound: (w) => w.flow.startRequest(actor('adele'), ask('nobody@contoso.com')),
  targetIsGuest: (w) => w.flow.startRequest(actor('adele'), ask(USERS.pradeep.upn)),
  targetIsSelf: (w) => w.flow.startRequest(actor('adele'), ask(USERS.adele.upn)),
  targetPrivileged: (w) => w.flow.startRequest(actor('adele'), ask(USERS.isaiah.upn)),
  targetProtected: (w) => w.flow.startRequest(actor('adele'), ask(USERS.grady.upn)),
  targetDisabled: (w) => {
    w.graph.directory.users.find((u) => u.id === USERS.megan.id)!.accountEnabled = false;
    return pendingFor(w);
  },
  policyDisabled: (w) => {
    w.graph.directory.policy.state = 'disabled';
    return pendingFor(w);
  },
  lifetimeOutOfBounds: (w) => w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { lifetimeInMinutes: 600 })),
  noApprover: (w) => {
    delete w.graph.directory.managers[USERS.megan.id];
    w.graph.directory.groups[GROUPS.fallbackApprovers] = [];
    return pendingFor(w);
  },
  approverUnreachable: (w) => {
    w.notifier.requestApproval = failingFake(new Error('Teams is down'));
    return pendingFor(w);
  },
  notApprover: async (w) => w.flow.decide(actor('alex'), (await pendingFor(w)).id, APPROVE),
  notRequester: async (w) => w.flow.cancel(actor('alex'), (await pendingFor(w)).id),
  requestNotFound: (w) => w.flow.decide(actor('nestor'), 'TAP-ZZZZZZ', APPROVE),
  requestClosed: async (w) => {
    const request = await pendingFor(w);
    await w.flow.decide(actor('nestor'), request.id, { action: 'deny' });
    return w.flow.decide(actor('nestor'), request.id, APPROVE);
  },
  requestExpired: async (w) => {
    const request = await pendingFor(w);
    w.advanceMinutes(42);
    return w.flow.decide(actor('nestor'), request.id, APPROVE);
  },
  attestationRequired: async (w) => w.flow.decide(actor('nestor'), (await pendingFor(w)).id, { action: 'approve' }),
  concurrentUpdate: () => {
    throw tooBusy();
  },
  duplicateRequest: async (w) => {
    await pendingFor(w);
    return w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
  },
  targetOutOfPolicyScope: (w) => {
    w.graph.directory.policy.includeTargets = [{ targetType: 'group', id: GROUPS.protected }];
    return pendingFor(w);
  },
  limitReached: async (w) => {
    await pendingFor(w, 'megan');
    return pendingFor(w, 'lasse');
  },
  notParty: async (w) => w.flow.revoke(actor('patti'), (await pendingFor(w)).id),
  notRevocable: async (w) => w.flow.revoke(actor('adele'), (await pendingFor(w)).id),
  riskElevated: async (w) => {
    const first = await pendingFor(w);
    await w.flow.reportSuspicious(actor('nestor'), first.id, 'I was never called');
    return w.flow.startRequest(actor('alex'), ask(USERS.megan.upn));
  },
};

/** The few codes that need a setting turned on to happen. */
const CONFIG: Partial<Record<string, WorldOptions['config']>> = {
  limitReached: { limits: { requestsPerAgentPerHour: 1, openApprovalsPerApprover: 5, passesPerTargetPerDay: 3 } },
  riskElevated: { risk: { ...DEFAULT_RISK_RULES, recentPassWithinDays: 0, onElevated: 'refuse' } },
};

function assertReadsInDanish(e: FlowError, code: string): void {
  const danish = e.messageIn(da, 'Europe/Copenhagen');
  assert.notEqual(danish, e.messageIn(en, 'Europe/Copenhagen'), `${code} is still English in Danish: ${danish}`);
  assert.doesNotMatch(danish, /undefined|\[object|NaN/, `${code} lost a value: ${danish}`);
  assert.ok(danish.trim().length > 10, `${code} says nothing: ${danish}`);
}

describe('every refusal the core throws reads in Danish', () => {
  quietLogs();

  for (const [code, make] of Object.entries(SINGLE)) {
    it(`${code}, asked for in Danish, is a Danish sentence with every value in it`, async () => {
      const w = makeWorld({ config: CONFIG[code] ?? {} });
      const e = await thrown(() => make(w));
      assert.equal(e.code, code, `${code} happened (sanity): ${e.userMessage}`);
      assertReadsInDanish(e, code);
    });
  }

  it('a Graph error reads in Danish too, with the permission it names', () => {
    const e = new GraphError({ code: 'forbidden', status: 403, userMessage: { code: 'graphForbidden', params: { operation: 'createTap', permission: 'UserAuthMethod-TAP.ReadWrite.All' } } });
    assert.match(e.userMessage, /not allowed to create Temporary Access Passes.*UserAuthMethod-TAP\.ReadWrite\.All/);
    assert.match(e.messageIn(da), /ikke lov til at oprette midlertidige adgangskoder.*UserAuthMethod-TAP\.ReadWrite\.All/);
  });

  it('invalid input names each field in the reader\'s language', async () => {
    const w = makeWorld();
    const e = await thrown(() => w.flow.startRequest(actor('adele'), { target: '', reason: 'x', scenario: 'recovery' }));
    assert.ok(e instanceof InvalidInputError);
    assert.deepEqual(e.problems.map((p) => p.field), ['target', 'reason']);
    assert.match(e.problems[0]!.message, /Say who the pass is for/);
    assert.match(e.problemsIn(da)[0]!.message, /Skriv, hvem koden er til/);
  });

  it('a request closed by another reads in Danish, and a failed one gives its stored reason in Danish', async () => {
    const w = makeWorld();
    const request = await pendingFor(w);
    w.notifier.requestApproval = failingFake(new Error('Teams is down'));
    await w.flow.decide(actor('nestor'), request.id, { action: 'deny' });
    const closed = await thrown(() => w.flow.decide(actor('nestor'), request.id, APPROVE));
    assert.ok(closed instanceof RequestClosedError);
    assert.match(closed.messageIn(da), /er allerede afvist af Nestor Wilke/);
    const failed = await thrown(() => pendingFor(w, 'lasse'));
    const stored = await w.stored(sequentialId(2));
    assert.equal(failed.code, 'approverUnreachable');
    assert.ok(stored?.failure?.said, 'the failure keeps its meaning');
    assert.equal(reasonIn(en, stored.failure), stored.failure.message, 'its English is the record\'s message');
    assert.match(reasonIn(da, stored.failure), /kunne ikke leveres til Nestor Wilke i Teams/);
  });

  it('a record written before reasons kept their meaning reads as its English', () => {
    assert.equal(reasonIn(da, { message: 'Old words.' }), 'Old words.');
    assert.equal(reasonIn(da, { message: 'Old words.', said: { code: 'noLongerAnEntry', params: {} } as never }), 'Old words.');
  });
});

describe('sentences the issue named as untrue', () => {
  quietLogs();

  it('a guest is named once in the refusal, in English and in Danish', async () => {
    const w = makeWorld();
    const e = await thrown(() => w.flow.startRequest(actor('adele'), ask(USERS.pradeep.upn)));
    for (const text of [e.userMessage, e.messageIn(da)]) {
      assert.equal(text.split(USERS.pradeep.name).length - 1, 1, text);
      assert.equal(text.split(USERS.pradeep.upn).length - 1, 1, text);
    }
  });

  it('a second request for someone whose pass is prepared for tomorrow says when that pass will be made, in the reader\'s zone', async () => {
    const w = makeWorld({ config: { orgTimeZone: 'Europe/Copenhagen' } });
    // Tomorrow 08:00 in Copenhagen: approved today, made at 07:45 tomorrow.
    const first = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn, { scenario: 'newJoiner', startDateTime: '2030-01-02T07:00:00Z' }));
    await w.flow.decide(actor('nestor'), first.id, APPROVE);
    assert.equal((await w.stored(first.id))?.state, 'Approved', 'waiting for its morning (sanity)');
    const e = await thrown(() => w.flow.startRequest(actor('alex'), ask(USERS.megan.upn)));
    assert.equal(e.code, 'duplicateRequest');
    assert.doesNotMatch(e.userMessage, /being issued now|being made right now/);
    assert.match(e.userMessage, /approved, the pass is made on Wed 2 Jan 2030, 07:45 \(Europe\/Copenhagen\)/);
    assert.match(e.messageIn(en, 'America/New_York'), /made on Wed 2 Jan 2030, 01:45 \(America\/New_York\)/);
    assert.match(e.messageIn(da, 'Europe/Copenhagen'), /godkendt, koden oprettes ons\. 2\. jan\. 2030 kl\. 07\.45 \(Europe\/Copenhagen\)/);
  });
});

describe('a stopped bulk request says its reason once', function () {
  this.timeout(60_000);
  quietLogs();
  let w: BulkWorld;
  before(async () => {
    w = await startBulkWorld({ members: 6 });
  });
  after(async () => {
    await w.stop();
  });

  it('the request keeps the reason; its members that were not made only say they were not made', async () => {
    // Passkey onboarding starts at once (a new joiner's pass would wait for their first morning).
    const bulk = await w.flow.start(AGENT, { group: GENERATED_GROUP.displayName, scenario: 'passkeyOnboarding', reason: 'Passwordless roll-out, wave 1' });
    // The policy is turned off between the request and the approval: the run stops before any create.
    w.sandbox.state.setTapPolicy({ state: 'disabled' });
    try {
      await w.flow.decide(BULK_APPROVER, bulk.id, { action: 'approve', attested: true });
      await w.flow.run(bulk.id);
    } finally {
      w.sandbox.state.setTapPolicy({ state: 'enabled' });
    }
    const done = await w.flow.get(bulk.id);
    assert.equal(done?.state, 'Failed');
    const why = done!.failure!;
    assert.match(why.message, /turned off in the tenant policy after the request/);
    const members = done!.members.filter((m) => m.state === 'failed');
    assert.ok(members.length > 0, 'members were waiting (sanity)');
    for (const m of members) {
      assert.doesNotMatch(m.reason ?? '', /turned off/, `the reason is not repeated on ${m.displayName}`);
      assert.match(reasonIn(da, m), /Ikke oprettet: anmodningen stoppede/);
    }
    assert.match(reasonIn(da, why), /slået fra i tenantens politik efter anmodningen/);
  });

  it('refusals of the bulk road read in Danish too', async () => {
    const codes: Array<[string, FlowError]> = [
      ['groupNotFound', await thrown(() => w.flow.plan(AGENT, { group: 'No such group anywhere', scenario: 'newJoiner', reason: 'New joiners starting Monday' }))],
      ['requestNotFound', await thrown(() => w.flow.cancel(AGENT, 'BULK-ZZZZZZ'))],
      ['bulkTooEarly', tooEarlyForTheCommandLine('2030-01-09T07:00:00Z', T0)!],
    ];
    const open = await w.flow.start(AGENT, { group: GENERATED_GROUP.displayName, scenario: 'newJoiner', reason: 'New joiners starting Monday' });
    await w.flow.cancel(AGENT, open.id);
    codes.push(['bulkNotOpen', await thrown(() => w.flow.cancel(AGENT, open.id))]);
    for (const [code, e] of codes) {
      assert.equal(e.code, code, e.userMessage);
      assertReadsInDanish(e, code);
    }
  });
});
