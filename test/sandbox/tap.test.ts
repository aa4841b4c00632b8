import assert from 'node:assert/strict';
import sinon from 'sinon';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { USERS } from '../../sandbox/ids';
import { accessToken, errorMessage, graph, type HttpResult } from '../support/sandboxHttp';

type Json = Record<string, unknown>;
const body = (r: HttpResult): Json => r.body as Json;
const tapPath = (userId: string): string => `/users/${userId}/authentication/temporaryAccessPassMethods`;
const SEEDED_POLICY = { state: 'enabled', minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, defaultLifetimeInMinutes: 60, defaultLength: 8, isUsableOnce: false };

describe('sandbox tenant: Temporary Access Pass rules', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const create = (userId: string, payload: unknown = {}): Promise<HttpResult> => graph(sandbox, 'POST', tapPath(userId), { token, body: payload });
  const list = async (userId: string): Promise<Json[]> => body(await graph(sandbox, 'GET', tapPath(userId), { token }))['value'] as Json[];

  before(async () => {
    sandbox = await startSandbox();
    token = await accessToken(sandbox);
  });
  beforeEach(() => sandbox.reset());
  afterEach(() => sinon.restore());
  after(async () => {
    await sandbox.stop();
  });

  it('creating a TAP answers 201 with a pass of the policy length, and the policy defaults', async () => {
    const result = await create(USERS.megan.id);
    assert.equal(result.status, 201);
    const tap = body(result);
    assert.equal(typeof tap['temporaryAccessPass'], 'string');
    assert.equal((tap['temporaryAccessPass'] as string).length, 8);
    assert.equal(tap['lifetimeInMinutes'], 60);
    assert.equal(tap['isUsableOnce'], false);
    assert.equal(tap['isUsable'], true);
    assert.equal(tap['methodUsabilityReason'], 'EnabledByPolicy');
  });

  it('the pass length follows the policy defaultLength', async () => {
    sandbox.state.setTapPolicy({ defaultLength: 14 });
    assert.equal((body(await create(USERS.megan.id))['temporaryAccessPass'] as string).length, 14);
  });

  it('the TAP value appears only in the create response: list and get return null', async () => {
    const created = body(await create(USERS.megan.id));
    const listed = await list(USERS.megan.id);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.['temporaryAccessPass'], null);
    const one = body(await graph(sandbox, 'GET', `${tapPath(USERS.megan.id)}/${String(created['id'])}`, { token }));
    assert.equal(one['temporaryAccessPass'], null);
    assert.equal(JSON.stringify(sandbox.state.tapsOf(USERS.megan.id)).includes(String(created['temporaryAccessPass'])), false);
  });

  it('one TAP per user: a new TAP replaces the existing one', async () => {
    const before = await list(USERS.lidia.id);
    assert.equal(before.length, 1, 'Lidia is seeded with a TAP');
    const created = body(await create(USERS.lidia.id));
    const after = await list(USERS.lidia.id);
    assert.deepEqual(after.map((t) => t['id']), [created['id']]);
    assert.notEqual(created['id'], before[0]?.['id']);
  });

  for (const lifetimeInMinutes of [5, 59, 481, 50000]) {
    it(`a lifetime of ${lifetimeInMinutes} minutes, outside the policy's 60–480, is refused with 400`, async () => {
      const result = await create(USERS.megan.id, { lifetimeInMinutes });
      assert.equal(result.status, 400);
      assert.match(errorMessage(result), /LifetimeInMinutes.*60 and 480/);
      assert.deepEqual(await list(USERS.megan.id), []);
    });
  }

  it('Graph\'s absolute bounds 10–43200 apply even when the policy is wider', async () => {
    sandbox.state.setTapPolicy({ minimumLifetimeInMinutes: 1, maximumLifetimeInMinutes: 100000 });
    assert.equal((await create(USERS.megan.id, { lifetimeInMinutes: 9 })).status, 400);
    assert.equal((await create(USERS.megan.id, { lifetimeInMinutes: 43201 })).status, 400);
    assert.equal((await create(USERS.megan.id, { lifetimeInMinutes: 43200 })).status, 201);
  });

  it('lifetimes at the policy bounds are accepted', async () => {
    assert.equal(body(await create(USERS.megan.id, { lifetimeInMinutes: 60 }))['lifetimeInMinutes'], 60);
    assert.equal(body(await create(USERS.megan.id, { lifetimeInMinutes: 480 }))['lifetimeInMinutes'], 480);
  });

  it('a policy with isUsableOnce forces a one-time pass even when the caller asks for multi-use', async () => {
    sandbox.state.setTapPolicy({ isUsableOnce: true });
    const tap = body(await create(USERS.megan.id, { isUsableOnce: false }));
    assert.equal(tap['isUsableOnce'], true);
  });

  it('a one-time pass that was used reads OneTimeUsed', async () => {
    await create(USERS.megan.id, { isUsableOnce: true });
    sandbox.state.markTapUsed(USERS.megan.id);
    const [tap] = await list(USERS.megan.id);
    assert.equal(tap?.['isUsable'], false);
    assert.equal(tap?.['methodUsabilityReason'], 'OneTimeUsed');
  });

  it('an external guest cannot get a TAP', async () => {
    const result = await create(USERS.pradeep.id);
    assert.equal(result.status, 400);
    assert.match(errorMessage(result), /guest/i);
    assert.deepEqual(await list(USERS.pradeep.id), []);
  });

  it('a disabled policy refuses creation and makes existing passes DisabledByPolicy', async () => {
    sandbox.state.setTapPolicy({ state: 'disabled' });
    const result = await create(USERS.megan.id);
    assert.equal(result.status, 400);
    assert.match(errorMessage(result), /UserCredentialPolicy/);
    const [lidias] = await list(USERS.lidia.id);
    assert.equal(lidias?.['methodUsabilityReason'], 'DisabledByPolicy');
  });

  it('a user excluded from the policy by group cannot get a TAP', async () => {
    sandbox.state.setTapPolicy({ excludeTargets: [{ targetType: 'group', id: 'aaaa0000-0000-4000-8000-000000000003' }] });
    assert.equal((await create(USERS.grady.id)).status, 400);
    assert.equal((await create(USERS.megan.id)).status, 201);
  });

  it('a start in the future reads NotYetValid; a start longer ago than the lifetime reads Expired', async () => {
    const future = new Date(Date.now() + 2 * 3600_000).toISOString();
    const later = body(await create(USERS.megan.id, { startDateTime: future, lifetimeInMinutes: 60 }));
    assert.equal(later['isUsable'], false);
    assert.equal(later['methodUsabilityReason'], 'NotYetValid');
    assert.equal(later['startDateTime'], future);

    const past = new Date(Date.now() - 2 * 3600_000).toISOString();
    const old = body(await create(USERS.lasse.id, { startDateTime: past, lifetimeInMinutes: 60 }));
    assert.equal(old['methodUsabilityReason'], 'Expired');
  });

  it('invalid inputs are refused with 400: non-integer lifetime, bad date, non-boolean isUsableOnce', async () => {
    assert.equal((await create(USERS.megan.id, { lifetimeInMinutes: '60' })).status, 400);
    assert.equal((await create(USERS.megan.id, { lifetimeInMinutes: 60.5 })).status, 400);
    assert.equal((await create(USERS.megan.id, { startDateTime: 'tomorrow' })).status, 400);
    assert.equal((await create(USERS.megan.id, { isUsableOnce: 'yes' })).status, 400);
  });

  it('DELETE removes the TAP with 204; a second delete answers 404', async () => {
    const created = body(await create(USERS.megan.id));
    const path = `${tapPath(USERS.megan.id)}/${String(created['id'])}`;
    assert.equal((await graph(sandbox, 'DELETE', path, { token })).status, 204);
    assert.deepEqual(await list(USERS.megan.id), []);
    assert.equal((await graph(sandbox, 'DELETE', path, { token })).status, 404);
  });

  it('the write limit answers 429 with a Retry-After computed from the bucket', async () => {
    sandbox.knobs.writeLimit = { capacity: 2, windowInMs: 60_000 };
    assert.equal((await create(USERS.megan.id)).status, 201);
    assert.equal((await create(USERS.lasse.id)).status, 201);
    const limited = await create(USERS.lidia.id);
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers['retry-after']);
    // One token refills in 30 s; a little has already refilled, so 29–30 s rounded up.
    assert.ok(retryAfter >= 29 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    // Reads are not writes: still fine.
    assert.equal((await graph(sandbox, 'GET', tapPath(USERS.megan.id), { token })).status, 200);
  });

  it('setTapPolicy changes what Graph serves; reset() and a fresh sandbox start from the seed again', async () => {
    const policyPath = '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass';
    sandbox.state.setTapPolicy({ maximumLifetimeInMinutes: 120 });
    await create(USERS.megan.id);
    assert.equal(body(await graph(sandbox, 'GET', policyPath, { token }))['maximumLifetimeInMinutes'], 120);

    sandbox.reset();
    const afterReset = body(await graph(sandbox, 'GET', policyPath, { token }));
    for (const [key, value] of Object.entries(SEEDED_POLICY)) assert.equal(afterReset[key], value, key);
    assert.deepEqual(await list(USERS.megan.id), []);
    assert.equal((await list(USERS.lidia.id)).length, 1);

    const fresh = await startSandbox();
    try {
      const seeded = body(await graph(fresh, 'GET', policyPath));
      for (const [key, value] of Object.entries(SEEDED_POLICY)) assert.equal(seeded[key], value, key);
    } finally {
      await fresh.stop();
    }
  });
});
