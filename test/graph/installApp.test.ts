/**
 * `installAppForUser` over the real Graph client and middleware, scripted transport.
 * The sandbox test (installApp.sandbox.test.ts) covers the same over HTTPS.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { GraphError } from '../../src/errors';
import { configureLogging } from '../../src/log';
import { TEAMS_APP_INSTALL_PERMISSION } from '../../src/graph/types';
import { FAKE_ORIGIN, GraphHttpStub, graphError, json } from '../support/graphHttpStub';

const USER = 'a0000000-0000-4000-8000-000000000003';
const CATALOG_ID = 'b1c5353a-7aca-41b3-830f-27d5218fe0e5';

describe('GraphGateway.installAppForUser (Teams app for a person)', () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    configureLogging({ level: 'debug', sink: (line) => lines.push(line) });
  });
  afterEach(() => {
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
    sinon.restore();
  });

  it('posts the catalog app as teamsApp@odata.bind to the user\'s installedApps, and 201 without a body means installed', async () => {
    const graph = new GraphHttpStub(() => ({ status: 201 }));
    assert.equal(await graph.gateway().installAppForUser(USER, CATALOG_ID), 'installed');
    assert.equal(graph.requests.length, 1);
    const req = graph.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/v1.0/users/${USER}/teamwork/installedApps`);
    assert.deepEqual(req.body, { 'teamsApp@odata.bind': `${FAKE_ORIGIN}/v1.0/appCatalogs/teamsApps/${CATALOG_ID}` });
  });

  it('binds to the public Graph catalog when the gateway talks to graph.microsoft.com', async () => {
    const graph = new GraphHttpStub(() => ({ status: 201 }));
    await graph.gateway({ baseUrl: 'https://graph.microsoft.com' }).installAppForUser(USER, CATALOG_ID);
    assert.deepEqual(graph.requests[0]?.body, { 'teamsApp@odata.bind': `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${CATALOG_ID}` });
  });

  it('409 Conflict means the app was already installed: not an error, and not retried', async () => {
    const graph = new GraphHttpStub(() => graphError(409, 'Conflict', 'App is already installed.'));
    assert.equal(await graph.gateway().installAppForUser(USER, CATALOG_ID), 'alreadyInstalled');
    assert.equal(graph.requests.length, 1);
  });

  it('403 is a forbidden GraphError naming TeamsAppInstallation.ReadWriteSelfForUser.All', async () => {
    const graph = new GraphHttpStub(() => graphError(403, 'Forbidden', 'Missing role permissions on the request.'));
    await assert.rejects(graph.gateway().installAppForUser(USER, CATALOG_ID), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'forbidden');
      assert.equal(e.status, 403);
      assert.equal(e.missingPermission, TEAMS_APP_INSTALL_PERMISSION);
      assert.match(e.userMessage, /TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
      return true;
    });
    assert.ok(lines.some((l) => l.includes('installAppForUser') && l.includes(TEAMS_APP_INSTALL_PERMISSION)));
  });

  it('404 says the person or the catalog app was not found, pointing at TEAMS_APP_CATALOG_ID', async () => {
    const graph = new GraphHttpStub(() => graphError(404, 'NotFound', 'Not found'));
    await assert.rejects(graph.gateway().installAppForUser(USER, CATALOG_ID), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.code, 'notFound');
      assert.match(e.userMessage, /TEAMS_APP_CATALOG_ID/);
      return true;
    });
  });

  it('429 is retried after Retry-After like every other call, then succeeds', async () => {
    let calls = 0;
    const graph = new GraphHttpStub(() => (++calls === 1 ? graphError(429, 'TooManyRequests', 'slow down', { 'retry-after': '2' }) : json(201, {})));
    assert.equal(await graph.gateway().installAppForUser(USER, CATALOG_ID), 'installed');
    assert.deepEqual(graph.sleeps, [2000]);
  });

  it('a catalog id that could smuggle a path or query is refused before any request', async () => {
    const graph = new GraphHttpStub(() => ({ status: 201 }));
    for (const bad of ['', '../../users', 'x?$expand=all', 'a/b', 'x#y']) {
      await assert.rejects(graph.gateway().installAppForUser(USER, bad), (e: unknown) => e instanceof GraphError && e.code === 'badRequest');
    }
    await assert.rejects(graph.gateway().installAppForUser('', CATALOG_ID), (e: unknown) => e instanceof GraphError && e.code === 'badRequest');
    assert.equal(graph.requests.length, 0);
  });
});
