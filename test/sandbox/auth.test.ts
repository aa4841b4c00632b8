import assert from 'node:assert/strict';
import https from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import sinon from 'sinon';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { USERS } from '../../sandbox/ids';
import { accessToken, errorCode, graph, request, tokenFor } from '../support/sandboxHttp';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

describe('sandbox tenant: tokens and TLS', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });
  afterEach(() => sinon.restore());

  it('the real ClientSecretCredential obtains a token when given the CA through tlsOptions', async () => {
    const credential = new ClientSecretCredential(sandbox.tenantId, sandbox.clientId, sandbox.clientSecret, {
      authorityHost: sandbox.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sandbox.caPem },
    });
    const token = await credential.getToken(GRAPH_SCOPE);
    assert.ok(token.token.length > 20);
    assert.ok(token.expiresOnTimestamp > Date.now() + 3000 * 1000);
    const me = await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token: token.token });
    assert.equal(me.status, 200);
  });

  it('the real ClientSecretCredential also works with an https.Agent that trusts the CA', async () => {
    const credential = new ClientSecretCredential(sandbox.tenantId, sandbox.clientId, sandbox.clientSecret, {
      authorityHost: sandbox.authorityHost,
      disableInstanceDiscovery: true,
      agent: new https.Agent({ ca: sandbox.caPem }),
    });
    const token = await credential.getToken(GRAPH_SCOPE);
    assert.ok(token.token);
  });

  it('a client that does not trust the sandbox CA is refused at the TLS handshake', async () => {
    await assert.rejects(request(sandbox, 'GET', '/v1.0/users', { agent: new https.Agent() }), /self[- ]signed|unable to verify|certificate/i);
  });

  it('a wrong client secret is refused with 401 invalid_client in the AAD error shape', async () => {
    const result = await tokenFor(sandbox, { client_secret: 'not-the-secret' });
    assert.equal(result.status, 401);
    const body = result.body as { error: string; error_codes: number[]; error_description: string };
    assert.equal(body.error, 'invalid_client');
    assert.deepEqual(body.error_codes, [7000215]);
    assert.match(body.error_description, /^AADSTS7000215/);
  });

  it('the real credential surfaces a wrong secret as an authentication failure', async () => {
    const credential = new ClientSecretCredential(sandbox.tenantId, sandbox.clientId, 'wrong', {
      authorityHost: sandbox.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sandbox.caPem },
    });
    await assert.rejects(credential.getToken(GRAPH_SCOPE), /invalid_client/);
  });

  it('an unknown tenant is refused with 400 for both metadata and token', async () => {
    const other = '11111111-2222-3333-4444-555555555555';
    const metadata = await request(sandbox, 'GET', `/${other}/v2.0/.well-known/openid-configuration`);
    assert.equal(metadata.status, 400);
    const token = await request(sandbox, 'POST', `/${other}/oauth2/v2.0/token`, {
      form: { grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, scope: GRAPH_SCOPE },
    });
    assert.equal(token.status, 400);
    assert.equal((token.body as { error: string }).error, 'invalid_tenant');
  });

  it('an unknown client id and a scope without /.default are refused', async () => {
    assert.equal((await tokenFor(sandbox, { client_id: 'someone-else' })).status, 400);
    const scope = await tokenFor(sandbox, { scope: 'User.Read.All' });
    assert.equal(scope.status, 400);
    assert.equal((scope.body as { error: string }).error, 'invalid_scope');
  });

  it('a token response carries a bearer token valid for 3600 seconds', async () => {
    const result = await tokenFor(sandbox);
    assert.equal(result.status, 200);
    const body = result.body as { token_type: string; expires_in: number };
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3600);
  });

  it('Graph without a token answers 401 InvalidAuthenticationToken', async () => {
    const result = await request(sandbox, 'GET', `/v1.0/users/${USERS.megan.id}`);
    assert.equal(result.status, 401);
    assert.equal(errorCode(result), 'InvalidAuthenticationToken');
    assert.ok(result.headers['www-authenticate']);
  });

  it('Graph refuses a made-up token and an expired token', async () => {
    const madeUp = await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token: 'sbx.forged' });
    assert.equal(madeUp.status, 401);
    const token = await accessToken(sandbox);
    sandbox.expireTokens();
    const expired = await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token });
    assert.equal(expired.status, 401);
    assert.match((expired.body as { error: { message: string } }).error.message, /expired/);
  });

  it('a token issued by another sandbox instance is refused', async () => {
    const other = await startSandbox();
    try {
      const foreign = await accessToken(other);
      const result = await graph(sandbox, 'GET', `/users/${USERS.megan.id}`, { token: foreign });
      assert.equal(result.status, 401);
    } finally {
      await other.stop();
    }
  });
});
