/**
 * The sandbox tenant's interactive sign-in: Entra's authorize endpoint as a small page (choose
 * who you are from the sandbox directory; complete the passkey step or not), and the token
 * endpoint's authorization-code grant with PKCE. The bot's step-up sign-in (MSAL Node) runs
 * against it unchanged, in the Playground and in tests.
 *
 * Like Entra: the code is single-use and short-lived, bound to the client, the redirect URI and
 * the PKCE challenge (S256); the id token carries `tid`, `oid`, `aud`, `iss`, `nonce`,
 * `auth_time`, and `acrs` only when the requested authentication context was met (here: the
 * passkey step was completed). Unlike Entra: anyone may pick anyone (it is a sandbox), and the
 * page offers test twists that hand out a token that must be refused: an old `auth_time`,
 * another nonce, another tenant, another audience. Tokens are HMAC-signed with this instance's
 * key, not RS256: the bot takes the id token from the token endpoint over TLS and does not check
 * its signature (docs/security.md says why).
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const AUTHORIZE_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/i;
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i;
const CODE_LIFETIME_IN_MS = 10 * 60_000;
const TOKEN_LIFETIME_IN_SECONDS = 3600;

/** What the sign-in page can make the token say, for tests that must see it refused. */
const SIGN_IN_TWISTS = ['none', 'oldAuthTime', 'otherNonce', 'otherTenant', 'otherAudience'] as const;
export type SignInTwist = (typeof SIGN_IN_TWISTS)[number];

const TWIST_LABELS: Record<SignInTwist, string> = {
  none: 'None: a correct token',
  oldAuthTime: 'An old sign-in (auth_time an hour ago)',
  otherNonce: 'A token for another request (another nonce)',
  otherTenant: 'A token from another tenant',
  otherAudience: 'A token for another app',
};

interface SignInPerson {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

export interface SignInDeskOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The people one may sign in as: the sandbox directory's users, as they are now. */
  people: () => SignInPerson[];
  now?: () => number;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string;
  userId: string;
  acrs: string[];
  authTime: number;
  twist: SignInTwist;
  expiresAt: number;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Entra lets a Web app register http://localhost redirect URIs; the sandbox takes any loopback or https address. */
function acceptableRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname));
  } catch {
    return false;
  }
}

/** The authentication context the claims parameter asks the id token for (`{"id_token":{"acrs":{"value":"c1"}}}`). */
function requestedContext(claims: string | null): string | undefined {
  if (!claims) return undefined;
  try {
    const parsed = JSON.parse(claims) as { id_token?: { acrs?: { value?: unknown; values?: unknown } } };
    const acrs = parsed.id_token?.acrs;
    if (typeof acrs?.value === 'string') return acrs.value;
    if (Array.isArray(acrs?.values) && typeof acrs.values[0] === 'string') return acrs.values[0];
  } catch {
    return undefined;
  }
  return undefined;
}

export class SignInDesk {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly signingKey = randomBytes(32);
  private readonly now: () => number;

  constructor(private readonly options: SignInDeskOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Answers the authorize page (GET shows it, POST is the choice) and the authorization-code
   * grant; returns the status sent, or null when the request is not one of these (the
   * client-credentials grant stays with TokenIssuer).
   */
  handle(req: IncomingMessage, res: ServerResponse, url: string, rawBody: string, origin: string): number | null {
    const [path = '/', search = ''] = url.split('?');
    const authorize = AUTHORIZE_PATH.exec(path);
    if (authorize && (req.method === 'GET' || req.method === 'POST')) {
      const answer = this.authorize(authorize[1] ?? '', new URLSearchParams(search), req.method === 'POST' ? new URLSearchParams(rawBody) : undefined);
      // No form-action: browsers apply it to the redirect that follows the form, which goes to the app.
      res.writeHead(answer.status, { 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", ...answer.headers });
      res.end(answer.body);
      return answer.status;
    }
    const token = TOKEN_PATH.exec(path);
    if (token && req.method === 'POST') {
      const form = new URLSearchParams(rawBody);
      if (form.get('grant_type') !== 'authorization_code') return null;
      const answer = this.redeem(token[1] ?? '', form, basicAuth(req.headers.authorization), origin);
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' });
      res.end(text);
      return answer.status;
    }
    return null;
  }

  private authorize(tenant: string, query: URLSearchParams, choice: URLSearchParams | undefined): { status: number; headers: Record<string, string>; body: string } {
    const problem = this.authorizeProblem(tenant, query);
    if (problem) return { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page('Sign-in request refused', `<p>${escape(problem)}</p>`) };
    if (!choice) return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: this.signInPage(query) };
    const redirectUri = query.get('redirect_uri') ?? '';
    const back = new URL(redirectUri);
    const state = query.get('state');
    const person = this.options.people().find((p) => p.id === choice.get('user'));
    if (!person) return { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page('Choose who you are', '<p>Pick a person from the list.</p>') };
    if (choice.get('cancel') !== null) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'AADSTS50126: The user cancelled the sign-in.');
    } else {
      const context = requestedContext(query.get('claims'));
      const twist = SIGN_IN_TWISTS.find((t) => t === choice.get('twist')) ?? 'none';
      const code = randomBytes(32).toString('base64url');
      this.codes.set(code, {
        clientId: query.get('client_id') ?? '',
        redirectUri,
        codeChallenge: query.get('code_challenge') ?? '',
        nonce: query.get('nonce') ?? '',
        userId: person.id,
        acrs: choice.get('passkey') === 'done' && context ? [context] : [],
        authTime: Math.floor(this.now() / 1000),
        twist,
        expiresAt: this.now() + CODE_LIFETIME_IN_MS,
      });
      back.searchParams.set('code', code);
    }
    if (state !== null) back.searchParams.set('state', state);
    return { status: 302, headers: { Location: back.toString(), 'Content-Type': 'text/plain; charset=utf-8' }, body: '' };
  }

  private authorizeProblem(tenant: string, query: URLSearchParams): string | undefined {
    if (tenant.toLowerCase() !== this.options.tenantId.toLowerCase()) return `AADSTS90002: Tenant '${tenant}' not found.`;
    if (query.get('client_id') !== this.options.clientId) return `AADSTS700016: Application with identifier '${query.get('client_id') ?? ''}' was not found in the directory.`;
    if (query.get('response_type') !== 'code') return 'AADSTS900144: The request body must contain the following parameter: response_type=code.';
    if (!acceptableRedirect(query.get('redirect_uri') ?? '')) return 'AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.';
    if (!query.get('code_challenge') || query.get('code_challenge_method') !== 'S256') return 'AADSTS9002325: Proof Key for Code Exchange (S256) is required.';
    return undefined;
  }

  private signInPage(query: URLSearchParams): string {
    const context = requestedContext(query.get('claims'));
    const people = this.options
      .people()
      .map((p) => `<option value="${escape(p.id)}">${escape(`${p.displayName} (${p.userPrincipalName})`)}</option>`)
      .join('');
    const twists = SIGN_IN_TWISTS.map((t) => `<option value="${t}">${escape(TWIST_LABELS[t])}</option>`).join('');
    return page(
      'Sandbox sign-in',
      `<p>This is the sandbox tenant's sign-in. Choose who you are.${query.get('prompt') === 'login' ? ' The app asked for a fresh sign-in.' : ''}</p>` +
        `<form method="post"><p><label for="user">Sign in as</label><br><select id="user" name="user">${people}</select></p>` +
        (context
          ? `<p>The app asks for authentication context <code>${escape(context)}</code> (in a real tenant: a Conditional Access policy, e.g. a passkey).</p>` +
            `<p><label><input type="checkbox" name="passkey" value="done"> Complete the passkey step</label></p>`
          : '') +
        `<p><label for="twist">Test: the token says</label><br><select id="twist" name="twist">${twists}</select></p>` +
        `<p><button type="submit" name="signIn" value="1">Sign in</button> <button type="submit" name="cancel" value="1">Cancel</button></p></form>`,
    );
  }

  /** The authorization-code grant: the code once, for its client, redirect URI and PKCE verifier. */
  private redeem(tenant: string, form: URLSearchParams, basic: { id: string; secret: string } | null, origin: string): { status: number; body: Record<string, unknown> } {
    const error = (status: number, code: string, aadsts: number, description: string): { status: number; body: Record<string, unknown> } => ({
      status,
      body: { error: code, error_description: `AADSTS${aadsts}: ${description}`, error_codes: [aadsts], timestamp: new Date(this.now()).toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() },
    });
    if (tenant.toLowerCase() !== this.options.tenantId.toLowerCase()) return error(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    const clientId = form.get('client_id') ?? basic?.id ?? '';
    const secret = form.get('client_secret') ?? basic?.secret ?? '';
    if (clientId !== this.options.clientId || secret !== this.options.clientSecret) return error(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    const codeValue = form.get('code') ?? '';
    const code = this.codes.get(codeValue);
    // Redeemed once: a second redemption, or an unknown or old code, is refused.
    this.codes.delete(codeValue);
    if (!code || code.expiresAt <= this.now()) return error(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
    if (code.clientId !== clientId) return error(400, 'invalid_grant', 70000, 'The provided authorization code was issued to another client.');
    if (form.get('redirect_uri') !== code.redirectUri) return error(400, 'invalid_grant', 50148, 'The redirect_uri does not match the one used to request the authorization code.');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== code.codeChallenge) return error(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
    const person = this.options.people().find((p) => p.id === code.userId);
    if (!person) return error(400, 'invalid_grant', 50034, 'The user account does not exist in this directory.');
    const now = Math.floor(this.now() / 1000);
    const tid = code.twist === 'otherTenant' ? 'deadbeef-0000-4000-8000-00000000dead' : this.options.tenantId;
    const idToken = this.sign({
      aud: code.twist === 'otherAudience' ? 'deadbeef-0000-4000-8000-0000000a0d1e' : clientId,
      iss: `${origin}/${this.options.tenantId}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + TOKEN_LIFETIME_IN_SECONDS,
      auth_time: code.twist === 'oldAuthTime' ? code.authTime - 3600 : code.authTime,
      nonce: code.twist === 'otherNonce' ? randomBytes(24).toString('base64url') : code.nonce,
      name: person.displayName,
      preferred_username: person.userPrincipalName,
      oid: person.id,
      sub: createHash('sha256').update(`${clientId}:${person.id}`).digest('base64url').slice(0, 43),
      tid,
      ...(code.acrs.length > 0 ? { acrs: code.acrs } : {}),
      ver: '2.0',
    });
    const accessToken = this.sign({ aud: '00000003-0000-0000-c000-000000000000', tid, oid: person.id, scp: 'openid profile', iat: now, exp: now + TOKEN_LIFETIME_IN_SECONDS });
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        scope: 'openid profile',
        expires_in: TOKEN_LIFETIME_IN_SECONDS,
        ext_expires_in: TOKEN_LIFETIME_IN_SECONDS,
        access_token: accessToken,
        id_token: idToken,
        client_info: b64url({ uid: person.id, utid: tid }),
      },
    };
  }

  private sign(claims: Record<string, unknown>): string {
    const unsigned = `${b64url({ typ: 'JWT', alg: 'HS256' })}.${b64url(claims)}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }
}

function basicAuth(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return null;
  const [id, ...rest] = Buffer.from(match[1] ?? '', 'base64').toString().split(':');
  return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(rest.join(':')) };
}

function page(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>` +
    '<style>body{font-family:Segoe UI,system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5}select,button{font:inherit}</style>' +
    `</head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`
  );
}
