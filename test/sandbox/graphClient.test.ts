/**
 * The recipe the Graph gateway uses against the sandbox, pinned by a test: the real
 * @azure/identity credential and the real @microsoft/microsoft-graph-client, trusting the
 * sandbox CA and nothing looser.
 */
import assert from 'node:assert/strict';
import { ClientSecretCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  RetryHandler,
  RetryHandlerOptions,
  type GraphError,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import sinon from 'sinon';
import { createHttpsTransport, TransportMiddleware } from '../../src/graph/transport';
import { USERS } from '../../sandbox/ids';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';

function sandboxGraphClient(sandbox: RunningSandbox): Client {
  const credential = new ClientSecretCredential(sandbox.tenantId, sandbox.clientId, sandbox.clientSecret, {
    authorityHost: sandbox.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: sandbox.caPem },
  });
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] });
  const auth = new AuthenticationHandler(authProvider);
  const retry = new RetryHandler(new RetryHandlerOptions(0, 2));
  // Last link: the gateway's own transport, which trusts exactly the sandbox CA.
  const send = new TransportMiddleware(createHttpsTransport({ trustedCaPem: sandbox.caPem }));
  return Client.initWithMiddleware({
    baseUrl: sandbox.graphBaseUrl,
    // The SDK only attaches the token to Graph hosts and these (hostname, no port).
    customHosts: new Set([new URL(sandbox.graphBaseUrl).hostname]),
    middleware: [auth, retry, send],
  });
}

describe('sandbox tenant: the real Graph client', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });
  afterEach(() => sinon.restore());

  it('reads a user through @microsoft/microsoft-graph-client with a transport trusting only the sandbox CA', async () => {
    const client = sandboxGraphClient(sandbox);
    const user = (await client.api(`/users/${encodeURIComponent(USERS.miriam.upn)}`).select(['id', 'displayName', 'userType']).get()) as Record<string, unknown>;
    assert.equal(user['id'], USERS.miriam.id);
    assert.equal(user['userType'], 'Member');
  });

  it('Graph errors reach the SDK as GraphError with status and code', async () => {
    const client = sandboxGraphClient(sandbox);
    await assert.rejects(client.api(`/users/${USERS.lee.id}/manager`).get(), (error: GraphError) => {
      assert.equal(error.statusCode, 404);
      assert.equal(error.code, 'Request_ResourceNotFound');
      return true;
    });
  });

  it('the SDK retry handler honours a 429 Retry-After from the sandbox', async () => {
    sandbox.knobs.retryAfterSeconds = 0.05;
    sandbox.knobs.retryAfterFractional = true;
    sandbox.knobs.failNext = { count: 1, status: 429 };
    sandbox.resetRequests();
    const client = sandboxGraphClient(sandbox);
    const user = (await client.api(`/users/${USERS.megan.id}`).select('id').get()) as Record<string, unknown>;
    assert.equal(user['id'], USERS.megan.id);
    const graphCalls = sandbox.requests.filter((r) => r.url.startsWith('/v1.0/'));
    assert.deepEqual(graphCalls.map((r) => r.status), [429, 200]);
  });

  it('creating a TAP through the SDK returns the pass once', async () => {
    const client = sandboxGraphClient(sandbox);
    const created = (await client.api(`/users/${USERS.lasse.id}/authentication/temporaryAccessPassMethods`).post({ lifetimeInMinutes: 120 })) as Record<string, unknown>;
    assert.equal(typeof created['temporaryAccessPass'], 'string');
    const listed = (await client.api(`/users/${USERS.lasse.id}/authentication/temporaryAccessPassMethods`).get()) as { value: Array<Record<string, unknown>> };
    assert.equal(listed.value[0]?.['temporaryAccessPass'], null);
  });
});
