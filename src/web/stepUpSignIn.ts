/**
 * The approver's step-up sign-in against Microsoft Entra ID: the authorization code flow with
 * PKCE through MSAL Node (no hand-written OAuth). The authorize URL asks for a fresh sign-in
 * (`prompt=login`, `max_age`) that satisfies the authentication context (`claims` with `acrs`);
 * the code is redeemed over TLS with the PKCE verifier and the app's credential, and the id
 * token's claims go to the workflow (flow/decide/stepUp.ts), which decides what they prove.
 *
 * The app's credential: preferably a federated credential on the app registration that trusts
 * the bot's managed identity (the managed identity's token for `api://AzureADTokenExchange` is
 * the client assertion), else a client secret. Sandbox: the authority is the sandbox tenant, its
 * own CA the only one trusted (a network client of our own, as MSAL Node uses fetch otherwise),
 * and its host a known authority, so nothing asks the internet for instance discovery.
 */
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import { ManagedIdentityCredential } from '@azure/identity';
import {
  AuthError,
  ConfidentialClientApplication,
  CryptoProvider,
  type Configuration,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import type { StepUpApp } from '../config/stepUp';
import { SignInRefused, type StepUpSignIn } from '../flow/decide/stepUp';

const PUBLIC_CLOUD_HOST = 'login.microsoftonline.com';
/** The id token is all the step-up needs: who signed in, how and when. */
const SCOPES = ['openid', 'profile'];

export interface StepUpSignInOptions {
  app: StepUpApp;
  tenantId: string;
  /** e.g. https://login.microsoftonline.com, or the sandbox origin. */
  authorityHost: string;
  /** `<public base URL>/step-up/done`, registered on the app as a Web redirect URI. */
  redirectUri: string;
  authContextId: string;
  maxAgeInMinutes: number;
  /** Sandbox only: the PEM of the one CA to trust. */
  trustedCaPem?: string;
}

/** What the pages need of the sign-in: a URL to send the browser to, and the code redeemed. */
export interface AttemptSecrets {
  nonce: string;
  codeVerifier: string;
  codeChallenge: string;
  stateSecret: string;
}

export interface StepUpSignInPort {
  /** Fresh secrets for one attempt: nonce, state secret, and the PKCE pair (S256). */
  newAttempt(): Promise<AttemptSecrets>;
  authorizeUrl(input: { state: string; nonce: string; codeChallenge: string }): Promise<string>;
  redeem(input: { code: string; codeVerifier: string; nonce: string }): Promise<StepUpSignIn>;
}

export class EntraStepUpSignIn implements StepUpSignInPort {
  private readonly msal: ConfidentialClientApplication;
  private readonly crypto = new CryptoProvider();
  private readonly authority: string;
  constructor(private readonly options: StepUpSignInOptions) {
    this.authority = `${options.authorityHost.replace(/\/+$/, '')}/${options.tenantId}`;
    const host = new URL(options.authorityHost).host;
    const config: Configuration = {
      auth: {
        clientId: options.app.clientId,
        authority: this.authority,
        ...(host.toLowerCase() === PUBLIC_CLOUD_HOST ? {} : { knownAuthorities: [host] }),
        ...credentialOf(options.app),
      },
      system: { ...(options.trustedCaPem ? { networkClient: new TrustingNetworkClient(options.trustedCaPem) } : {}) },
    };
    this.msal = new ConfidentialClientApplication(config);
  }

  async newAttempt(): Promise<AttemptSecrets> {
    const pkce = await this.crypto.generatePkceCodes();
    return { nonce: randomBytes(32).toString('base64url'), codeVerifier: pkce.verifier, codeChallenge: pkce.challenge, stateSecret: randomBytes(32).toString('base64url') };
  }

  authorizeUrl(input: { state: string; nonce: string; codeChallenge: string }): Promise<string> {
    return this.msal.getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri: this.options.redirectUri,
      state: input.state,
      nonce: input.nonce,
      codeChallenge: input.codeChallenge,
      codeChallengeMethod: 'S256',
      // A fresh sign-in: whatever session the browser has, the person signs in again now.
      prompt: 'login',
      claims: authContextClaims(this.options.authContextId),
      extraQueryParameters: { max_age: String(this.options.maxAgeInMinutes * 60) },
    });
  }

  async redeem(input: { code: string; codeVerifier: string; nonce: string }): Promise<StepUpSignIn> {
    let result;
    try {
      result = await this.msal.acquireTokenByCode({
        scopes: SCOPES,
        redirectUri: this.options.redirectUri,
        code: input.code,
        codeVerifier: input.codeVerifier,
        // MSAL checks the id token's nonce too; the workflow checks it again with the other claims.
        nonce: input.nonce,
        claims: authContextClaims(this.options.authContextId),
      });
    } catch (e) {
      // A token for another attempt: the approver hears that, not that the sign-in failed.
      if (e instanceof AuthError && e.errorCode === 'nonce_mismatch') throw new SignInRefused('notThisApproval');
      throw e;
    }
    // Nothing is kept: a step-up token is used once, for this decision.
    const cache = this.msal.getTokenCache();
    for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
    return { claims: { ...result.idTokenClaims }, expect: { audience: this.options.app.clientId, issuer: `${this.authority}/v2.0` } };
  }
}

/** The authentication context asked for, as an essential claim of the id token (and the access token, where Entra puts it). */
function authContextClaims(authContextId: string): string {
  const acrs = { acrs: { essential: true, value: authContextId } };
  return JSON.stringify({ id_token: acrs, access_token: acrs });
}

function credentialOf(app: StepUpApp): Pick<Configuration['auth'], 'clientSecret' | 'clientAssertion'> {
  if (app.credential.kind === 'secret') return { clientSecret: app.credential.clientSecret };
  const identity = app.credential.managedIdentityClientId ? new ManagedIdentityCredential({ clientId: app.credential.managedIdentityClientId }) : new ManagedIdentityCredential();
  return {
    clientAssertion: async () => {
      const token = await identity.getToken('api://AzureADTokenExchange/.default');
      if (!token) throw new Error('The managed identity gave no token for api://AzureADTokenExchange (the federated credential of the step-up app)');
      return token.token;
    },
  };
}

/** MSAL's requests over node https, trusting exactly the given CA (the sandbox's); verification stays on. */
class TrustingNetworkClient implements INetworkModule {
  private readonly agent: https.Agent;
  constructor(caPem: string) {
    this.agent = new https.Agent({ ca: caPem, keepAlive: false });
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, agent: this.agent, headers: options?.headers ?? {}, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
          try {
            resolve({ headers, body: (text ? JSON.parse(text) : {}) as T, status: res.statusCode ?? 0 });
          } catch (e) {
            reject(e instanceof Error ? e : new Error('unreadable answer'));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${new URL(url).host} within 10 s`)));
      req.on('error', reject);
      if (options?.body) req.write(options.body);
      req.end();
    });
  }
}
