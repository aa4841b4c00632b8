/**
 * Decide twice: whatever changes in the directory between the request and the approval
 * stops the pass. Each case makes a real request over HTTP (server, sandbox tenant, SQLite),
 * changes the sandbox directory as an admin or an attacker would, and then approves.
 * Run with the helpdesk-membership cache at its default and switched off: the approval's
 * re-check must never be answered from a cache.
 */
import assert from 'node:assert/strict';
import { GROUPS, ROLE_TEMPLATES, USERS } from '../../sandbox/ids';
import { cardsOf, invokeCard, requestIdIn, sentTo, textOf, startHarness, type Harness, type PersonKey } from '../support/httpHarness';

const FORM = { reason: 'Lost phone; verified on a video call', ticket: 'INC-4711', scenario: 'recovery', lifetimeInMinutes: '60', isUsableOnce: 'true' };

interface Case {
  rule: string;
  target: PersonKey;
  approver: PersonKey;
  change: (h: Harness) => void;
  failureCode: string;
  /** What the agent and the approver read. */
  says: RegExp;
}

const CASES: Case[] = [
  {
    rule: 'an agent removed from the helpdesk group after asking gets no pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.removeGroupMember(GROUPS.helpdesk, USERS.adele.id),
    failureCode: 'requesterNotAgent',
    says: /Adele Vance, who asked for this pass, is no longer in the helpdesk group\. No pass was created\./,
  },
  {
    rule: 'an agent whose account was disabled after asking gets no pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.updateUser(USERS.adele.id, { accountEnabled: false }),
    failureCode: 'requesterDisabled',
    says: /account of Adele Vance, who asked for this pass, was disabled/,
  },
  {
    rule: 'a target who became a Global Administrator after the request gets no pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.assignRole(ROLE_TEMPLATES.globalAdministrator, USERS.megan.id),
    failureCode: 'targetPrivileged',
    says: /This changed after the request: Megan Bowen \(megan@contoso\.com\) holds or can activate an administrator role/,
  },
  {
    rule: 'a target added to the protected group after the request gets no pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.addGroupMember(GROUPS.protected, USERS.megan.id),
    failureCode: 'targetProtected',
    says: /Megan Bowen \(megan@contoso\.com\) is in the protected accounts group/,
  },
  {
    rule: 'a target whose account was disabled after the request gets no pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.updateUser(USERS.megan.id, { accountEnabled: false }),
    failureCode: 'targetDisabled',
    says: /account of Megan Bowen \(megan@contoso\.com\) is disabled/,
  },
  {
    rule: 'a target deleted after the request gets no pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.deleteUser(USERS.megan.id),
    failureCode: 'targetNotFound',
    says: /Megan Bowen \(megan@contoso\.com\) no longer exists in the directory/,
  },
  {
    rule: "when the target's manager changed after the request, the former manager's approval does not count",
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.updateUser(USERS.megan.id, { manager: USERS.lee.id }),
    failureCode: 'approverChanged',
    says: /Megan Bowen's manager changed from Nestor Wilke to Lee Gu after the request\. No pass was created\. Ask again so Lee Gu can decide\./,
  },
  {
    rule: 'when the target lost their manager after the request, the former manager cannot decide',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.updateUser(USERS.megan.id, { manager: null }),
    failureCode: 'approverChanged',
    says: /no longer has a manager who can decide \(it was Nestor Wilke\), so the fallback approver group decides now/,
  },
  {
    rule: 'a fallback approver removed from the group after the request cannot approve',
    target: 'patti',
    approver: 'joni',
    change: (h) => h.sandbox.state.removeGroupMember(GROUPS.fallbackApprovers, USERS.joni.id),
    failureCode: 'approverNotInGroup',
    says: /Joni Sherman is no longer in the fallback approver group/,
  },
  {
    rule: 'a target who was given a manager after a fallback approver was asked is decided by that manager',
    target: 'patti',
    approver: 'joni',
    change: (h) => h.sandbox.state.updateUser(USERS.patti.id, { manager: USERS.nestor.id }),
    failureCode: 'approverChanged',
    says: /Patti Fernandez now has a manager, Nestor Wilke, who decides for them/,
  },
  {
    rule: 'a TAP policy turned off after the request stops the pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.setTapPolicy({ state: 'disabled' }),
    failureCode: 'policyDisabled',
    says: /This changed after the request: Temporary Access Pass is turned off/,
  },
  {
    rule: 'a policy whose bounds no longer allow the stored lifetime stops the pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.setTapPolicy({ minimumLifetimeInMinutes: 120, defaultLifetimeInMinutes: 120 }),
    failureCode: 'lifetimeOutOfBounds',
    says: /policy changed after the request.*between 2 hours and 8 hours/,
  },
  {
    rule: 'a TAP policy narrowed to a group the target is not in after the request stops the pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.setTapPolicy({ includeTargets: [{ targetType: 'group', id: GROUPS.helpdesk }] }),
    failureCode: 'targetOutOfPolicyScope',
    says: /Megan Bowen \(megan@contoso\.com\) is not in the scope of this tenant's Temporary Access Pass policy/,
  },
  {
    rule: 'a target excluded by name from the TAP policy after the request gets no pass',
    target: 'megan',
    approver: 'nestor',
    change: (h) => h.sandbox.state.setTapPolicy({ excludeTargets: [{ targetType: 'user', id: USERS.megan.id.toUpperCase() }] }),
    failureCode: 'targetOutOfPolicyScope',
    says: /not in the scope of this tenant's Temporary Access Pass policy/,
  },
];

for (const cacheSeconds of ['300', '0']) {
  describe(`approval re-checks everything from fresh Graph reads (membership cache ${cacheSeconds} s)`, function () {
    this.timeout(60_000);
    let h: Harness;

    before(async () => {
      h = await startHarness({ MEMBERSHIP_CACHE_SECONDS: cacheSeconds });
    });
    after(async () => {
      await h?.stop();
    });
    beforeEach(async () => {
      h.sandbox.reset();
      for (const p of ['adele', 'nestor', 'lee', 'joni'] as PersonKey[]) await h.client(p).install();
    });

    async function request(target: PersonKey, approver: PersonKey): Promise<string> {
      const before = sentTo(h, approver).length;
      const r = await h.client('adele').click('tap.submit', { target: USERS[target].upn, ...FORM });
      assert.equal(r.status, 200);
      const status = invokeCard(r.body);
      assert.match(textOf(status), /[Ww]aiting for/, textOf(status).slice(0, 600));
      const requestId = requestIdIn(status);
      assert.ok(sentTo(h, approver).slice(before).some((s) => textOf(s.activity).includes(requestId)), `${approver} was asked`);
      return requestId;
    }

    function passesCreated(): number {
      return h.sandbox.requests.filter((r) => r.method === 'POST' && /temporaryAccessPassMethods$/.test(r.url.split('?')[0]!)).length;
    }

    for (const c of CASES) {
      it(c.rule, async () => {
        const requestId = await request(c.target, c.approver);
        // The agent's membership was just read (and, with the cache on, cached) at request time.
        c.change(h);
        const agentBefore = sentTo(h, 'adele').length;
        const createsBefore = passesCreated();

        const r = await h.client(c.approver).click('tap.approve', { requestId, attestation: 'videoCall' });
        assert.equal(r.status, 200);

        const stored = await h.app.flow.getRequest(requestId);
        assert.equal(stored?.state, 'Failed');
        assert.equal(stored?.failure?.code, c.failureCode);
        assert.match(stored?.failure?.message ?? '', c.says);
        assert.equal(passesCreated(), createsBefore, 'no pass was created');

        assert.match(textOf(invokeCard(r.body)), c.says, 'the approver reads what changed');
        const toAgent = sentTo(h, 'adele').slice(agentBefore).flatMap((s) => cardsOf(s.activity));
        assert.ok(toAgent.some((card) => c.says.test(textOf(card))), 'the agent is told what changed');

        const failed = h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((l) => l['logger'] === 'audit' && l['action'] === 'tap.failed' && l['requestId'] === requestId);
        assert.ok(failed, 'the failure is audited');
        const details = failed['details'] as Record<string, unknown>;
        assert.equal(details['changed'], c.failureCode);
        assert.equal(typeof details['before'], 'string');
        assert.equal(typeof details['after'], 'string');
        assert.notEqual(details['before'], details['after'], 'the audit has the before and after values');
      });
    }

    it('nothing changed: approve → pass takes two sequential Graph round trips (the check batch, then the create)', async () => {
      const requestId = await request('megan', 'nestor');
      h.sandbox.resetRequests();
      const r = await h.client('nestor').click('tap.approve', { requestId, attestation: 'videoCall' });
      assert.equal(r.status, 200);
      assert.equal((await h.app.flow.getRequest(requestId))?.state, 'Issued');
      const graphCalls = h.sandbox.requests.filter((q) => q.url.startsWith('/v1.0/'));
      assert.deepEqual(graphCalls.map((q) => `${q.method} ${q.url.split('?')[0]}`), [
        'POST /v1.0/$batch',
        `POST /v1.0/users/${USERS.megan.id}/authentication/temporaryAccessPassMethods`,
      ]);
      const items = graphCalls[0]!.batchItems ?? [];
      for (const needed of ['TemporaryAccessPass', `/users/${USERS.adele.id}/checkMemberGroups`, `/users/${USERS.megan.id}?`, `/users/${USERS.megan.id}/checkMemberObjects`]) {
        assert.ok(items.some((i) => i.includes(needed)), `the check batch reads ${needed}: ${items.join(' | ')}`);
      }
    });
  });
}
