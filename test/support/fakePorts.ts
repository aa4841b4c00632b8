/**
 * Test doubles for the workflow's ports: an in-memory DurableStorage with the real ETag
 * contract (and a log of every write, to search for secrets), and a directory-backed
 * TapGraph whose every method is a sinon spy.
 */
import sinon from 'sinon';
import type { AuditEvent, AuditSink } from '../../src/audit/types';
import { ConcurrencyError, GraphError } from '../../src/errors';
import type { ApprovalCheckInput, ApprovalFacts, DirectoryUser, GroupMemberChange, RegisteredMethod, TargetSignals, InspectTargetOptions, IssuedTap, TapCreateOptions, TapGraph, TapMethodInfo, TapPolicy, TargetFacts } from '../../src/graph/types';
import type { DeliverablePass, FlowConfig, FlowNotifier, TapRequest } from '../../src/flow/types';
import { makeAudit, makeNotifyUpdated, type FlowContext } from '../../src/flow/context';
import { VelocityLimiter } from '../../src/flow/gate/limits';
import { TargetLocks } from '../../src/flow/gate/openRequestLock';
import { RequestRepository } from '../../src/flow/store/requestRepository';
import { ETAG_CREATE_ONLY, type DurableStorage, type StoreItems } from '../../src/storage/types';

/** Lets other promises run between a read and a write, as a real store's I/O would. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class MemoryStorage implements DurableStorage {
  private readonly items = new Map<string, { json: string; eTag: string }>();
  private nextETag = 1;
  /** Every value ever written, serialised as stored. */
  readonly writes: string[] = [];

  async read(keys: string[]): Promise<StoreItems> {
    await tick();
    const out: StoreItems = {};
    for (const key of keys) {
      const item = this.items.get(key);
      if (item) out[key] = { ...JSON.parse(item.json), eTag: item.eTag };
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    await this.writeReturningETags(changes);
  }

  async writeReturningETags(changes: StoreItems): Promise<Record<string, string>> {
    await tick();
    // Check every condition first: a batch is all or nothing, as in SqliteStorage.
    for (const [key, value] of Object.entries(changes)) {
      const eTag: unknown = (value as { eTag?: unknown }).eTag;
      const stored = this.items.get(key);
      if (eTag === ETAG_CREATE_ONLY) {
        if (stored) throw new ConcurrencyError(key);
      } else if (typeof eTag === 'string' && eTag !== '' && eTag !== '*') {
        if (!stored || stored.eTag !== eTag) throw new ConcurrencyError(key);
      }
    }
    const eTags: Record<string, string> = {};
    for (const [key, value] of Object.entries(changes)) {
      const { eTag: _ignored, ...rest } = value as Record<string, unknown>;
      const json = JSON.stringify(rest);
      const eTag = `"${this.nextETag++}"`;
      this.items.set(key, { json, eTag });
      this.writes.push(json);
      eTags[key] = eTag;
    }
    return eTags;
  }

  async delete(keys: string[]): Promise<void> {
    await tick();
    for (const key of keys) this.items.delete(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }
}

export interface FakeDirectory {
  users: DirectoryUser[];
  /** userId → managerId */
  managers: Record<string, string>;
  /** groupId → transitive member ids */
  groups: Record<string, string[]>;
  /** userId → role template ids held */
  roles: Record<string, string[]>;
  /** userId → existing TAP methods */
  taps: Record<string, TapMethodInfo[]>;
  policy: TapPolicy;
  /** userId → identity-assurance signals (absent = the gateway reads none). */
  signals?: Record<string, TargetSignals>;
}

let codeCounter = 0;

/** A tiny Graph over a directory. Every method is wrapped in a sinon spy by `spyAll`. */
export class FakeGraph implements TapGraph {
  /** Set a method's name to make it fail with that error. */
  readonly faults: Partial<Record<keyof TapGraph, Error>> = {};
  /** Every code this fake handed out: tests search for them where they must not be. */
  readonly issuedCodes: string[] = [];

  constructor(readonly directory: FakeDirectory) {}

  private fail(name: keyof TapGraph): void {
    const fault = this.faults[name];
    if (fault) throw fault;
  }

  async getUser(idOrUpn: string): Promise<DirectoryUser> {
    this.fail('getUser');
    const key = idOrUpn.toLowerCase();
    const user = this.directory.users.find((u) => u.id === idOrUpn || u.userPrincipalName.toLowerCase() === key);
    if (!user) throw new GraphError({ code: 'notFound', status: 404, userMessage: `No user ${idOrUpn}.` });
    return structuredClone(user);
  }

  async getManager(userId: string): Promise<DirectoryUser | null> {
    this.fail('getManager');
    const managerId = this.directory.managers[userId];
    return managerId ? this.getUser(managerId) : null;
  }

  async memberGroups(objectId: string, groupIds: string[]): Promise<string[]> {
    this.fail('memberGroups');
    return groupIds.filter((g) => (this.directory.groups[g] ?? []).includes(objectId));
  }

  async directoryRolesHeld(userId: string, roleTemplateIds: string[]): Promise<string[]> {
    this.fail('directoryRolesHeld');
    return (this.directory.roles[userId] ?? []).filter((r) => roleTemplateIds.includes(r));
  }

  async getTapPolicy(): Promise<TapPolicy> {
    this.fail('getTapPolicy');
    return { ...this.directory.policy };
  }

  async listTaps(userId: string): Promise<TapMethodInfo[]> {
    this.fail('listTaps');
    return structuredClone(this.directory.taps[userId] ?? []);
  }

  async createTap(userId: string, options: TapCreateOptions): Promise<IssuedTap> {
    this.fail('createTap');
    await tick();
    const code = `Zq9!secret-${++codeCounter}-Pw`;
    this.issuedCodes.push(code);
    const method: TapMethodInfo = {
      id: `method-${codeCounter}`,
      // The world's clock starts at T0; Graph's own clock is the server's, like the start.
      createdDateTime: options.startDateTime ?? '2030-01-01T08:00:00.000Z',
      startDateTime: options.startDateTime ?? '2030-01-01T08:00:00.000Z',
      lifetimeInMinutes: options.lifetimeInMinutes ?? this.directory.policy.defaultLifetimeInMinutes,
      isUsableOnce: options.isUsableOnce ?? false,
      isUsable: true,
      methodUsabilityReason: 'EnabledByPolicy',
    };
    // One TAP per user: a new one replaces the old, as in Graph.
    this.directory.taps[userId] = [method];
    return { ...method, temporaryAccessPass: code };
  }

  async deleteTap(userId: string, methodId: string): Promise<void> {
    this.fail('deleteTap');
    this.directory.taps[userId] = (this.directory.taps[userId] ?? []).filter((t) => t.id !== methodId);
  }

  async listGroupUsers(groupId: string): Promise<DirectoryUser[]> {
    this.fail('listGroupUsers');
    return Promise.all((this.directory.groups[groupId] ?? []).map((id) => this.getUser(id)));
  }

  async inspectTarget(idOrUpn: string, options: InspectTargetOptions): Promise<TargetFacts> {
    this.fail('inspectTarget');
    const user = await this.getUser(idOrUpn);
    return {
      user,
      manager: await this.getManager(user.id),
      privilegedRoleTemplateIds: await this.directoryRolesHeld(user.id, options.privilegedRoleTemplateIds),
      inProtectedGroup: options.protectedGroupId ? (this.directory.groups[options.protectedGroupId] ?? []).includes(user.id) : false,
      existingTaps: await this.listTaps(user.id),
      ...(options.withSignals && this.directory.signals?.[user.id] ? { signals: structuredClone(this.directory.signals[user.id]!) } : {}),
    };
  }

  /** Mail the fake "sent", for tests to read. */
  readonly sentMail: Array<{ from: string; to: string; subject: string; text: string }> = [];
  readonly revokedSessions: string[] = [];

  async sendMail(from: string, to: string, message: { subject: string; text: string }): Promise<void> {
    this.fail('sendMail');
    this.sentMail.push({ from, to, ...message });
  }

  async revokeSignInSessions(userId: string): Promise<void> {
    this.fail('revokeSignInSessions');
    this.revokedSessions.push(userId);
  }

  async findUsersByAddress(address: string): Promise<DirectoryUser[]> {
    this.fail('findUsersByAddress');
    const a = address.toLowerCase();
    return this.directory.users.filter((u) => u.userPrincipalName.toLowerCase() === a || (u.mail ?? '').toLowerCase() === a).map((u) => structuredClone(u));
  }

  async suggestUsers(prefix: string, top: number): Promise<DirectoryUser[]> {
    this.fail('suggestUsers');
    const p = prefix.toLowerCase();
    return this.directory.users
      .filter((u) => [u.displayName, u.userPrincipalName, u.mail ?? ''].some((v) => v.toLowerCase().startsWith(p)))
      .slice(0, top)
      .map((u) => structuredClone(u));
  }

  async checkForApproval(input: ApprovalCheckInput): Promise<ApprovalFacts> {
    this.fail('checkForApproval');
    const inGroup = (groupId: string | undefined, id: string): boolean => (groupId ? (this.directory.groups[groupId] ?? []).includes(id) : false);
    const requester = await this.getUser(input.requesterId);
    let target: ApprovalFacts['target'] = null;
    try {
      const user = await this.getUser(input.targetId);
      target = {
        user,
        manager: await this.getManager(user.id),
        privilegedRoleTemplateIds: (this.directory.roles[user.id] ?? []).filter((r) => input.privilegedRoleTemplateIds.includes(r)),
        inProtectedGroup: inGroup(input.protectedGroupId, user.id),
      };
    } catch (e) {
      if (!(e instanceof GraphError && e.code === 'notFound')) throw e;
    }
    return {
      policy: { ...this.directory.policy },
      requester,
      requesterManager: await this.getManager(requester.id),
      requesterIsAgent: inGroup(input.helpdeskGroupId, requester.id),
      target,
      targetScopeGroupIds: target ? input.scopeGroupIds.filter((g) => inGroup(g, input.targetId)) : [],
      approverInFallbackGroup: inGroup(input.fallbackApproverGroupId, input.approverId),
      ...(input.secondApprover ? { secondApproverInGroup: inGroup(input.secondApprover.groupId, input.secondApprover.id) } : {}),
    };
  }

  /** userId → methods registered besides the password and the TAP (which `listAuthenticationMethods` adds). */
  readonly methods: Record<string, RegisteredMethod[]> = {};

  /** Test set-up: the user registers a method at `at` (Graph's createdDateTime). */
  registerMethod(userId: string, type: string, at: Date, displayName?: string): void {
    (this.methods[userId] ??= []).push({ type, displayName: displayName ?? null, createdDateTime: at.toISOString() });
  }

  async listAuthenticationMethods(userId: string): Promise<RegisteredMethod[]> {
    this.fail('listAuthenticationMethods');
    await tick();
    const taps = (this.directory.taps[userId] ?? []).map((t): RegisteredMethod => ({ type: 'temporaryAccessPass', displayName: null, createdDateTime: t.createdDateTime }));
    return structuredClone([{ type: 'password', displayName: null, createdDateTime: null }, ...(this.methods[userId] ?? []), ...taps]);
  }

  /** Graph's semantics: adding a member twice is "already exists", removing a non-member is 404; both count as done. */
  async addGroupMember(groupId: string, userId: string): Promise<GroupMemberChange> {
    this.fail('addGroupMember');
    await tick();
    const members = (this.directory.groups[groupId] ??= []);
    if (members.includes(userId)) return 'alreadyMember';
    members.push(userId);
    return 'added';
  }

  async removeGroupMember(groupId: string, userId: string): Promise<GroupMemberChange> {
    this.fail('removeGroupMember');
    await tick();
    const members = this.directory.groups[groupId] ?? [];
    if (!members.includes(userId)) return 'notMember';
    this.directory.groups[groupId] = members.filter((m) => m !== userId);
    return 'removed';
  }
}

const GRAPH_METHODS = [
  'getUser', 'getManager', 'memberGroups', 'directoryRolesHeld', 'getTapPolicy', 'listTaps',
  'createTap', 'deleteTap', 'listGroupUsers', 'inspectTarget', 'checkForApproval', 'findUsersByAddress', 'suggestUsers', 'sendMail', 'revokeSignInSessions',
  'listAuthenticationMethods', 'addGroupMember', 'removeGroupMember',
] as const satisfies readonly (keyof TapGraph)[];

export type SpiedGraph = FakeGraph & { [K in (typeof GRAPH_METHODS)[number]]: sinon.SinonSpy<Parameters<TapGraph[K]>, ReturnType<TapGraph[K]>> };

export function spiedGraph(directory: FakeDirectory): SpiedGraph {
  const graph = new FakeGraph(directory);
  for (const name of GRAPH_METHODS) sinon.spy(graph, name);
  return graph as SpiedGraph;
}

export interface FakeNotifier extends FlowNotifier {
  requestApproval: sinon.SinonSpy<[TapRequest], Promise<void>>;
  requestUpdated: sinon.SinonSpy<[TapRequest], Promise<void>>;
  deliverPass: sinon.SinonSpy<[TapRequest, DeliverablePass], Promise<void>>;
  hidePass: sinon.SinonSpy<[TapRequest], Promise<void>>;
}

export function fakeNotifier(): FakeNotifier {
  return {
    requestApproval: sinon.fake(async (_request: TapRequest) => undefined),
    requestUpdated: sinon.fake(async (_request: TapRequest) => undefined),
    deliverPass: sinon.fake(async (_request: TapRequest, _pass: DeliverablePass) => undefined),
    hidePass: sinon.fake(async (_request: TapRequest) => undefined),
  };
}

export interface FakeAudit extends AuditSink {
  events: AuditEvent[];
  record: sinon.SinonSpy<[AuditEvent], Promise<void>>;
  actions(): string[];
}

export function fakeAudit(): FakeAudit {
  const events: AuditEvent[] = [];
  return {
    events,
    record: sinon.fake(async (event: AuditEvent) => {
      events.push(structuredClone(event));
    }),
    recent: async (limit: number) => events.slice().reverse().slice(0, limit),
    actions: () => events.map((e) => e.action),
  };
}

/** A notifier or audit method that always fails, typed like the method it replaces. */
export function failingFake<A extends unknown[]>(error: Error): sinon.SinonSpy<A, Promise<void>> {
  return sinon.fake(async (..._args: A): Promise<void> => {
    throw error;
  });
}

/** A FlowContext over the same parts a TapFlow of the world uses: for calling one workflow step directly. */
export function flowContext(parts: { graph: TapGraph; storage: DurableStorage; notifier: FlowNotifier; audit: AuditSink; config: FlowConfig; clock: () => Date }): FlowContext {
  const repo = new RequestRepository(parts.storage, { clock: parts.clock });
  return {
    graph: parts.graph,
    repo,
    storage: parts.storage,
    limiter: new VelocityLimiter(parts.storage, parts.config.limits),
    targetLocks: new TargetLocks(parts.storage, repo),
    track: () => undefined,
    notifier: parts.notifier,
    config: parts.config,
    clock: parts.clock,
    newId: () => 'TAP-ZZZZZZ',
    audit: makeAudit(parts.audit, parts.clock),
    notifyUpdated: makeNotifyUpdated(parts.notifier),
  };
}
