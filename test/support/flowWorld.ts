import assert from 'node:assert/strict';
import { FlowError } from '../../src/errors';
/**
 * A small Contoso (the sandbox's people, by the sandbox's ids) and a TapFlow wired to fakes.
 */
import { GROUPS, ROLE_TEMPLATES, SANDBOX_TENANT_ID, USERS } from '../../sandbox/ids';
import type { DirectoryUser, TapPolicy } from '../../src/graph/types';
import { DEFAULT_RISK_RULES } from '../../src/flow/gate/risk';
import { TapFlow } from '../../src/flow/tapFlow';
import { configureLogging } from '../../src/log';
import type { Actor, FlowConfig, NewRequestInput, TapRequest } from '../../src/flow/types';
import { fakeAudit, fakeNotifier, MemoryStorage, spiedGraph, type FakeDirectory } from './fakePorts';

export { GROUPS, USERS, SANDBOX_TENANT_ID };
type Who = keyof typeof USERS;

export const T0 = new Date('2030-01-01T08:00:00.000Z');

function user(who: Who, extra: Partial<DirectoryUser> = {}): DirectoryUser {
  const u = USERS[who];
  return { id: u.id, userPrincipalName: u.upn, displayName: u.name, userType: 'Member', accountEnabled: true, jobTitle: 'Staff', department: 'Sales', ...extra };
}

export function contoso(): FakeDirectory {
  return {
    users: [
      user('adele'), user('alex'), user('nestor'), user('lee'), user('megan'),
      user('lasse', { preferredLanguage: 'da-DK' }), user('patti'), user('diego'), user('isaiah'), user('johanna'),
      user('grady'), user('pradeep', { userType: 'Guest' }), user('lidia'), user('miriam'), user('joni'),
    ],
    managers: {
      [USERS.adele.id]: USERS.lee.id,
      [USERS.alex.id]: USERS.lee.id,
      [USERS.nestor.id]: USERS.lee.id,
      [USERS.diego.id]: USERS.adele.id,
      ...Object.fromEntries((['megan', 'lasse', 'isaiah', 'johanna', 'grady', 'lidia', 'miriam', 'pradeep'] as const).map((w) => [USERS[w].id, USERS.nestor.id])),
    },
    groups: {
      [GROUPS.helpdesk]: [USERS.adele.id, USERS.alex.id],
      [GROUPS.fallbackApprovers]: [USERS.joni.id],
      [GROUPS.protected]: [USERS.grady.id],
    },
    roles: {
      [USERS.isaiah.id]: [ROLE_TEMPLATES.globalAdministrator],
      [USERS.johanna.id]: [ROLE_TEMPLATES.authenticationAdministrator],
    },
    taps: {
      [USERS.lidia.id]: [{
        id: 'old-method', createdDateTime: '2029-12-31T08:00:00Z', startDateTime: '2029-12-31T08:00:00Z',
        lifetimeInMinutes: 60, isUsableOnce: true, isUsable: false, methodUsabilityReason: 'Expired',
      }],
    },
    policy: defaultPolicy(),
  };
}

function defaultPolicy(): TapPolicy {
  return { state: 'enabled', defaultLifetimeInMinutes: 60, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLength: 8, isUsableOnce: false };
}

export function flowConfig(overrides: Partial<FlowConfig> = {}): FlowConfig {
  return {
    tenantId: SANDBOX_TENANT_ID,
    helpdeskGroupId: GROUPS.helpdesk,
    fallbackApproverGroupId: GROUPS.fallbackApprovers,
    protectedGroupId: GROUPS.protected,
    privilegedRoleTemplateIds: [ROLE_TEMPLATES.globalAdministrator, ROLE_TEMPLATES.authenticationAdministrator],
    tap: { isUsableOnce: true, deliveryRecipient: 'agent' },
    approvalTimeoutInMinutes: 30,
    limits: { requestsPerAgentPerHour: 20, openApprovalsPerApprover: 5, passesPerTargetPerDay: 3 },
    // Most tests issue several passes for Megan; the four-eyes tests turn the rule on.
    risk: { ...DEFAULT_RISK_RULES, recentPassWithinDays: 0 },
    ...overrides,
  };
}

export function actor(who: Who, tenantId: string = SANDBOX_TENANT_ID): Actor {
  return { aadObjectId: USERS[who].id, tenantId, displayName: USERS[who].name };
}

export function ask(target: string, extra: Partial<NewRequestInput> = {}): NewRequestInput {
  return { target, reason: 'Lost phone, new device', scenario: 'recovery', ...extra };
}

export const APPROVE = { action: 'approve', attestation: 'videoCall' } as const;

const ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A request as the repository stores it: Adele asks for Megan's pass, Nestor (or `approverIds`) decides. */
export function draftRequest(id: string, overrides: Partial<TapRequest> = {}, approverIds: string[] = [USERS.nestor.id]): TapRequest {
  const person = (who: keyof typeof USERS) => ({ id: USERS[who].id, displayName: USERS[who].name, userPrincipalName: USERS[who].upn });
  return {
    id,
    state: 'PendingApproval',
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    expiresAt: new Date(T0.getTime() + 30 * 60_000).toISOString(),
    tenantId: 't',
    requester: person('adele'),
    target: person('megan'),
    approver: { kind: 'manager', ids: approverIds, people: [person('nestor')] },
    scenario: 'recovery',
    reason: 'Lost phone',
    settings: { lifetimeInMinutes: 60, isUsableOnce: true },
    replacesExistingTap: false,
    deliveryRecipient: 'agent',
    ...overrides,
  };
}

/** Predictable ids in the real format: TAP-222223, TAP-222224, ... */
export function sequentialId(n: number): string {
  let id = '';
  for (let i = 0, rest = n; i < 6; i++, rest = Math.floor(rest / 32)) id = ID_ALPHABET[rest % 32] + id;
  return `TAP-${id}`;
}

export interface WorldOptions {
  config?: Partial<FlowConfig>;
  directory?: FakeDirectory;
  storage?: MemoryStorage;
}

export function makeWorld(options: WorldOptions = {}) {
  const clock = { now: new Date(T0) };
  const storage = options.storage ?? new MemoryStorage();
  const graph = spiedGraph(options.directory ?? contoso());
  const notifier = fakeNotifier();
  const audit = fakeAudit();
  const config = flowConfig(options.config);
  let ids = 0;
  const build = (): TapFlow =>
    new TapFlow({ graph, storage, audit, notifier, config, clock: () => clock.now, newId: () => sequentialId(++ids) });
  const flow = build();
  return {
    flow,
    /** Another instance over the same storage, as after a restart. */
    restart: build,
    clock,
    storage,
    graph,
    notifier,
    audit,
    config,
    advanceMinutes(minutes: number): void {
      clock.now = new Date(clock.now.getTime() + minutes * 60_000);
    },
    /** The request, as stored now. */
    async stored(id: string): Promise<TapRequest | undefined> {
      return flow.getRequest(id);
    },
  };
}
export type World = ReturnType<typeof makeWorld>;

/** Keep test output readable: flow logs are silenced inside the calling describe block. */
export function quietLogs(): void {
  before(() => configureLogging({ level: 'silent' }));
  after(() => configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) }));
}

/** For assert.rejects: a FlowError with this code (and, when given, a message matching). */
export function refusedWith(code: string, message?: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof FlowError, `expected FlowError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.userMessage);
    if (message) assert.match(e.userMessage, message);
    return true;
  };
}

/** Wait until the stored request satisfies `ready` (a decision running in the background). */
export async function storedWhen(w: World, id: string, ready: (r: TapRequest) => boolean): Promise<TapRequest> {
  for (let i = 0; i < 200; i++) {
    const r = await w.stored(id);
    if (r && ready(r)) return r;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`request ${id} never reached the expected point`);
}

/** A Graph or Teams call that never answers: the process died with it on its way. */
export const hang = (): Promise<never> => new Promise<never>(() => undefined);
