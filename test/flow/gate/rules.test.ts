/**
 * The gate's own rules, one by one: who a bulk pass is for, the manager written when an
 * account is made is not a "manager change", and the bulk approver reads every name.
 */
import assert from 'node:assert/strict';
import { enrolmentRefusal } from '../../../src/flow/gate/enrolment';
import { judgeMember } from '../../../src/flow/gate/memberVerdict';
import { assessRisk, DEFAULT_RISK_RULES } from '../../../src/flow/gate/risk';
import { bulkStatusCard } from '../../../src/cards/bulk-views';
import { sampleSignals, sampleSignalsUnavailable, SAMPLE_CONTEXT } from '../../support/cardSamples';
import type { TapMethodInfo, TargetSignals } from '../../../src/graph/types';
import type { BulkMember, BulkRequest } from '../../../src/flow/bulk/types';

const NOW = new Date('2026-12-07T20:00:00Z');
const passwordOnly = (): TargetSignals => ({ ...sampleSignals(), methods: { available: true, value: { registered: [{ type: 'password', createdDateTime: '2026-12-01T08:00:00Z' }] } } });
const PASS: TapMethodInfo = { id: 'p1', createdDateTime: '2026-12-07T08:00:00Z', startDateTime: '2026-12-07T08:00:00Z', lifetimeInMinutes: 60, isUsableOnce: true, isUsable: true, methodUsabilityReason: 'EnabledByPolicy' };

describe('the gate\'s own rules', () => {
  describe('a bulk pass is for people with no sign-in method yet (enrolment.ts)', () => {
    it('a password alone is no sign-in method: they may get one', () => {
      assert.equal(enrolmentRefusal(passwordOnly(), [], 'unenrolled'), undefined);
    });
    it('Authenticator or a passkey makes it a recovery, asked for one at a time', () => {
      const r = enrolmentRefusal(sampleSignals(), [], 'unenrolled');
      assert.equal(r?.code, 'hasSignInMethod');
      assert.match(r?.reason ?? '', /Microsoft Authenticator, a passkey.*recovery.*single request, so their manager confirms who they are/);
    });
    it('a pass already held is never silently replaced by a bulk one', () => {
      assert.equal(enrolmentRefusal(passwordOnly(), [PASS], 'unenrolled')?.code, 'holdsPass');
    });
    it('methods that cannot be read count as "cannot tell", never as "none"', () => {
      const r = enrolmentRefusal(sampleSignalsUnavailable(), [], 'unenrolled');
      assert.equal(r?.code, 'methodsUnknown');
      assert.match(r?.reason ?? '', /UserAuthenticationMethod\.Read\.All/);
    });
    it('BULK_ELIGIBILITY=any lets them through this rule, and the risk rules still apply', () => {
      assert.equal(enrolmentRefusal(sampleSignals(), [PASS], 'any'), undefined);
      const risky: TargetSignals = { ...sampleSignals(), risk: { available: true, value: { level: 'high' } } };
      const user = { id: 'u1', displayName: 'Joiner 1', userPrincipalName: 'joiner1@contoso.com', userType: 'Member' as const, accountEnabled: true };
      const check = { userId: 'u1', facts: { user, manager: null, privilegedRoleTemplateIds: [], inProtectedGroup: false, existingTaps: [], scopeGroupIds: [], signals: risky } };
      const policy = { state: 'enabled' as const, defaultLifetimeInMinutes: 60, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLength: 8, isUsableOnce: false };
      const verdict = judgeMember(check, { requesterId: 'agent', policy, needsManager: false, eligibility: 'any', risk: DEFAULT_RISK_RULES, now: NOW }, { history: { issuedAt: [], reportedSuspicious: false } });
      assert.equal(verdict.code, 'riskElevated');
    });
  });

  describe('risk: the manager written when the account was made is not a change', () => {
    const withManagerSet = (createdAt: string, changedAt: string): TargetSignals => ({
      ...passwordOnly(),
      account: { available: true, value: { createdDateTime: createdAt } },
      managerChange: { available: true, value: { changedAt } },
    });
    it('a joiner whose account and manager were set the same day is not elevated', () => {
      assert.equal(assessRisk(withManagerSet('2026-12-04T09:00:00Z', '2026-12-04T09:05:00Z'), { issuedAt: [], reportedSuspicious: false }, DEFAULT_RISK_RULES, NOW).level, 'normal');
    });
    it('a manager changed days after the account was made still is', () => {
      const r = assessRisk(withManagerSet('2025-01-01T09:00:00Z', '2026-12-05T09:00:00Z'), { issuedAt: [], reportedSuspicious: false }, DEFAULT_RISK_RULES, NOW);
      assert.deepEqual(r.rules, ['managerChange']);
    });
  });

  describe('the bulk approver sees who gets a pass', () => {
    const member = (n: number, extra: Partial<BulkMember> = {}): BulkMember => ({ id: `u${n}`, displayName: `Joiner ${n}`, userPrincipalName: `joiner${n}@contoso.com`, department: 'Sales', managerId: 'm1', managerName: 'Nestor Wilke', state: 'pending', attempts: 0, ...extra });
    const bulk = (members: BulkMember[]): BulkRequest => ({
      id: 'BULK-7K3F9Q', state: 'PendingApproval', createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), expiresAt: '2026-12-07T20:30:00Z', tenantId: 't', requester: { id: 'a', displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.com' },
      via: 'teams', group: { id: 'g', displayName: 'New Joiners', nested: false }, nestedGroupsSkipped: [], scenario: 'newJoiner', reason: 'December joiners', settings: { lifetimeInMinutes: 480, isUsableOnce: false, startDateTime: '2026-12-08T07:00:00Z' },
      approverGroupId: 'g2', approvers: [{ id: 'j', displayName: 'Joni Sherman', userPrincipalName: 'joni@contoso.com' }], deliverTo: 'requester', members, pages: [],
    });
    it('every eligible member by name, sign-in name, department, manager and start; the refused with their reason', () => {
      const json = JSON.stringify(bulkStatusCard(bulk([member(1), member(2), member(3, { state: 'refused', code: 'hasSignInMethod', reason: 'Already has Microsoft Authenticator registered' })]), SAMPLE_CONTEXT, { viewer: 'approver' }));
      assert.match(json, /Would get a pass \(2\):/);
      for (const n of [1, 2]) assert.ok(json.includes(`Joiner ${n} (joiner${n}@contoso.com)`));
      assert.ok(json.includes('Sales · manager: Nestor Wilke · starts'));
      assert.match(json, /No pass for 1:.*Joiner 3.*Already has Microsoft Authenticator/);
    });
    it('a long list folds behind "Show all", so the approver can read every name before approving', () => {
      const many = Array.from({ length: 40 }, (_, i) => member(i + 1));
      const card = bulkStatusCard(bulk(many), SAMPLE_CONTEXT, { viewer: 'approver' });
      const json = JSON.stringify(card);
      for (const n of [1, 25, 26, 40]) assert.ok(json.includes(`joiner${n}@contoso.com`), `joiner ${n} is on the card`);
      assert.match(json, /Action.ToggleVisibility.*Show all 40/);
    });
  });
});
