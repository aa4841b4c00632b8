/**
 * The sandbox tenant's interactive sign-in (sandbox/authorize.ts) keeps Entra's rules for the
 * authorization code flow: the code is redeemed once, by its client, with its redirect URI and
 * its PKCE verifier; the id token says who signed in, when, and `acrs` only when the passkey
 * step was completed.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { USERS } from '../../sandbox/ids';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { request } from '../support/sandboxHttp';

const REDIRECT = 'http://127.0.0.1:3978/step-up/done';

describe('the sandbox sign-in (authorize page and code grant)', function () {
  this.timeout(30_000);
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  after(async () => {
    await sandbox?.stop();
  });

  function authorizePath(extra: Record<string, string> = {}): { path: string; verifier: string; nonce: string } {
    const verifier = randomBytes(32).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const q = new URLSearchParams({
      client_id: sandbox.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid profile',
      state: 'the-state',
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      prompt: 'login',
      claims: JSON.stringify({ id_token: { acrs: { essential: true, value: 'c1' } } }),
      ...extra,
    });
    return { path: `/${sandbox.tenantId}/oauth2/v2.0/authorize?${q.toString()}`, verifier, nonce };
  }

  async function codeFor(form: Record<string, string>, extra: Record<string, string> = {}): Promise<{ code: string; verifier: string; nonce: string; location: URL }> {
    const { path, verifier, nonce } = authorizePath(extra);
    const chosen = await request(sandbox, 'POST', path, { form });
    assert.equal(chosen.status, 302, chosen.text);
    const location = new URL(String(chosen.headers['location']));
    return { code: location.searchParams.get('code') ?? '', verifier, nonce, location };
  }

  function redeem(code: string, verifier: string, extra: Record<string, string> = {}) {
    return request(sandbox, 'POST', `/${sandbox.tenantId}/oauth2/v2.0/token`, {
      form: { grant_type: 'authorization_code', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, code, code_verifier: verifier, redirect_uri: REDIRECT, scope: 'openid profile', ...extra },
    });
  }

  const claimsOf = (idToken: string): Record<string, unknown> => JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

  it('the page lets you choose who you are and whether to complete the passkey step', async () => {
    const page = await request(sandbox, 'GET', authorizePath().path);
    assert.equal(page.status, 200);
    assert.match(page.text, /Nestor Wilke \(nestor@contoso\.com\)/);
    assert.match(page.text, /Complete the passkey step/);
  });

  it('a sign-in with the passkey step gives a code whose id token names the person, the nonce, a fresh auth_time and acrs', async () => {
    const { code, verifier, nonce, location } = await codeFor({ user: USERS.nestor.id, passkey: 'done', twist: 'none' });
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
    assert.equal(location.searchParams.get('state'), 'the-state');
    const token = await redeem(code, verifier);
    assert.equal(token.status, 200, token.text);
    const claims = claimsOf((token.body as { id_token: string }).id_token);
    assert.equal(claims['oid'], USERS.nestor.id);
    assert.equal(claims['tid'], sandbox.tenantId);
    assert.equal(claims['aud'], sandbox.clientId);
    assert.equal(claims['iss'], `${sandbox.origin}/${sandbox.tenantId}/v2.0`);
    assert.equal(claims['nonce'], nonce);
    assert.deepEqual(claims['acrs'], ['c1']);
    assert.ok(Math.abs(Number(claims['auth_time']) - Date.now() / 1000) < 60);
  });

  it('without the passkey step the id token has no acrs', async () => {
    const { code, verifier } = await codeFor({ user: USERS.nestor.id, twist: 'none' });
    const claims = claimsOf(((await redeem(code, verifier)).body as { id_token: string }).id_token);
    assert.equal(claims['acrs'], undefined);
  });

  it('the twists mint the tokens a test needs refused: an old auth_time, another nonce, tenant or audience', async () => {
    const twisted = async (twist: string): Promise<Record<string, unknown>> => {
      const { code, verifier } = await codeFor({ user: USERS.nestor.id, passkey: 'done', twist });
      return claimsOf(((await redeem(code, verifier)).body as { id_token: string }).id_token);
    };
    assert.ok(Number((await twisted('oldAuthTime'))['auth_time']) < Date.now() / 1000 - 3000);
    const { nonce } = authorizePath();
    assert.notEqual((await twisted('otherNonce'))['nonce'], nonce);
    assert.notEqual((await twisted('otherTenant'))['tid'], sandbox.tenantId);
    assert.notEqual((await twisted('otherAudience'))['aud'], sandbox.clientId);
  });

  it('a code is redeemed once, and only with its PKCE verifier and redirect URI, by its client', async () => {
    const wrongVerifier = await codeFor({ user: USERS.nestor.id, passkey: 'done' });
    const refused = await redeem(wrongVerifier.code, randomBytes(32).toString('base64url'));
    assert.equal(refused.status, 400);
    assert.match(refused.text, /AADSTS501481/);

    const wrongRedirect = await codeFor({ user: USERS.nestor.id, passkey: 'done' });
    assert.match((await redeem(wrongRedirect.code, wrongRedirect.verifier, { redirect_uri: 'http://127.0.0.1:1/elsewhere' })).text, /AADSTS50148/);

    const wrongClient = await codeFor({ user: USERS.nestor.id, passkey: 'done' });
    assert.equal((await redeem(wrongClient.code, wrongClient.verifier, { client_secret: 'guess' })).status, 401);

    const good = await codeFor({ user: USERS.nestor.id, passkey: 'done' });
    assert.equal((await redeem(good.code, good.verifier)).status, 200);
    const again = await redeem(good.code, good.verifier);
    assert.equal(again.status, 400);
    assert.match(again.text, /AADSTS54005/);
  });

  it('the authorize page refuses an unknown client, a foreign redirect URI and a request without PKCE', async () => {
    const refused: Record<string, string>[] = [{ client_id: 'someone-else' }, { redirect_uri: 'http://evil.example/cb' }, { code_challenge_method: 'plain' }];
    for (const extra of refused) {
      const page = await request(sandbox, 'GET', authorizePath(extra).path);
      assert.equal(page.status, 400, JSON.stringify(extra));
    }
  });

  it('cancel sends the browser back with error=access_denied and the state, and no code', async () => {
    const { location } = await codeFor({ user: USERS.nestor.id, cancel: '1' });
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), 'the-state');
    assert.equal(location.searchParams.get('code'), null);
  });
});
