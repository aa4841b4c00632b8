/** `installAppForUser` against the sandbox tenant over HTTPS (real credential and client). */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { USERS } from '../../sandbox/ids';
import { GraphError } from '../../src/errors';
import { configureLogging } from '../../src/log';
import { createCredential } from '../../src/graph/credential';
import { GraphGateway } from '../../src/graph/gateway';

const CATALOG_ID = 'b1c5353a-7aca-41b3-830f-27d5218fe0e5';

describe('GraphGateway.installAppForUser against the sandbox tenant', () => {
  let sandbox: RunningSandbox;

  before(async () => {
    configureLogging({ level: 'silent' });
    sandbox = await startSandbox({ port: 0 });
  });
  after(async () => {
    await sandbox?.stop();
    configureLogging({ level: 'info' });
  });
  beforeEach(() => sandbox.reset());
  afterEach(() => sinon.restore());

  function gateway(): GraphGateway {
    const credential = createCredential({ kind: 'secret', clientId: sandbox.clientId, clientSecret: sandbox.clientSecret }, sandbox.tenantId, {
      authorityHost: sandbox.authorityHost,
      trustedCaPem: sandbox.caPem,
    });
    return new GraphGateway({ credential, baseUrl: sandbox.graphBaseUrl, trustedCaPem: sandbox.caPem, sleep: async () => undefined });
  }

  it('installs the app for a person once; the second install answers 409 and counts as already installed', async () => {
    const graph = gateway();
    assert.equal(await graph.installAppForUser(USERS.adele.id, CATALOG_ID), 'installed');
    assert.equal(await graph.installAppForUser(USERS.adele.id, CATALOG_ID), 'alreadyInstalled');
    assert.deepEqual(
      sandbox.state.installedAppsOf(USERS.adele.id).map((a) => a['teamsApp']),
      [{ id: CATALOG_ID }],
    );
    const posts = sandbox.requests.filter((r) => r.method === 'POST' && r.url === `/v1.0/users/${USERS.adele.id}/teamwork/installedApps`);
    assert.equal(posts.length, 2);
  });

  it('installing for someone who is not in the directory is a notFound GraphError', async () => {
    await assert.rejects(gateway().installAppForUser('0badbad0-0000-4000-8000-000000000000', CATALOG_ID), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'notFound');
      return true;
    });
  });
});
