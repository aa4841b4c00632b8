/**
 * The approver's step-up (APPROVER_STEP_UP, docs/deploy.md "Step-up"): whether it is on, the
 * redirect URI to register, the app's credential, and whether the authority answers with the
 * sign-in endpoints the bot will send approvers to. The Conditional Access side (the
 * authentication context, the policy and its authentication strength) needs Policy.Read.All,
 * which the bot does not hold: the report says to check it by hand.
 */
import https from 'node:https';
import type { Config } from '../config';
import { missing, ok, optional, skipped, type CheckResult } from './types';

const TITLE = 'Approver step-up';

export async function checkStepUp(config: Config, trustedCaPem?: string): Promise<CheckResult[]> {
  const s = config.stepUp;
  if (s.mode === 'off') {
    if (config.mode === 'sandbox') return [skipped(TITLE, 'off (npm start turns it on in the sandbox)')];
    return [
      optional(
        TITLE,
        'off: an approval is one click in a Teams session, so whoever holds the approver\'s session (a stolen token, an unlocked screen) can approve',
        'set up the authentication context and its Conditional Access policy (docs/deploy.md, "Step-up"), then set APPROVER_STEP_UP=elevated or always.',
      ),
    ];
  }
  const results: CheckResult[] = [
    ok(TITLE, `${s.mode}: an approval waits for a fresh sign-in (at most ${s.maxAgeInMinutes} minutes old) that meets authentication context ${s.authContextId}`),
  ];
  if (config.mode === 'production') {
    const app = s.app;
    results.push(
      config.publicBaseUrl && app
        ? ok('Step-up redirect URI', `${config.publicBaseUrl}/step-up/done must be a Web redirect URI of app ${app.clientId}`)
        : missing('Step-up redirect URI', 'PUBLIC_BASE_URL or STEP_UP_CLIENT_ID is not set', 'set both (docs/deploy.md, "Step-up").'),
    );
    if (app?.credential.kind === 'secret') {
      results.push(optional('Step-up app credential', 'a client secret', 'prefer a federated credential on the app that trusts the bot\'s managed identity, and STEP_UP_CREDENTIAL=federated: no secret to leak or rotate.'));
    } else if (app) {
      results.push(ok('Step-up app credential', 'a federated credential of the managed identity (no secret)'));
    }
    results.push(
      skipped(
        'Step-up Conditional Access',
        `not checked (needs Policy.Read.All): check by hand that authentication context ${s.authContextId} is published, and that a Conditional Access policy targets it with a phishing-resistant authentication strength and sign-in frequency "every time"`,
      ),
    );
  }
  results.push(await checkAuthority(config, trustedCaPem));
  return results;
}

/** The authority's OpenID metadata names an authorize endpoint and the issuer the bot expects in the id token. */
async function checkAuthority(config: Config, trustedCaPem?: string): Promise<CheckResult> {
  const title = 'Step-up sign-in endpoint';
  const base = `${config.graph.authorityHost.replace(/\/+$/, '')}/${config.tenantId}`;
  const url = `${base}/v2.0/.well-known/openid-configuration`;
  let body: { authorization_endpoint?: unknown; issuer?: unknown };
  try {
    body = (await getJson(url, trustedCaPem)) as typeof body;
  } catch (e) {
    return missing(title, `GET ${url} failed (${e instanceof Error ? e.message : String(e)})`, 'check AUTHORITY_HOST and TENANT_ID, and that the bot can reach the authority.');
  }
  if (typeof body.authorization_endpoint !== 'string' || body.issuer !== `${base}/v2.0`) {
    return missing(title, `the authority's metadata has no authorize endpoint, or its issuer is not ${base}/v2.0`, 'check AUTHORITY_HOST and TENANT_ID.');
  }
  return ok(title, `approvers sign in at ${body.authorization_endpoint}`);
}

function getJson(url: string, caPem: string | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...(caPem ? { ca: caPem } : {}), timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if ((res.statusCode ?? 0) !== 200) return reject(new Error(`HTTP ${res.statusCode ?? 0}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error('the answer is not JSON'));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
  });
}
