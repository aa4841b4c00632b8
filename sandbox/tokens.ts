/**
 * The Entra ID side: OpenID metadata and the OAuth2 client-credentials token endpoint, in
 * the shapes MSAL (under @azure/identity) expects, with AAD's JSON error shape.
 * Access tokens are JWT-shaped like Entra's app-only tokens (`aud`, `tid`, `appid`, `idtyp: app`
 * and `roles`, the application permissions granted when the token was issued), signed with a
 * per-instance HMAC key: only this sandbox instance accepts them. As in Entra, a token keeps the
 * roles it was issued with until it expires, whatever is granted or withdrawn afterwards.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
const TOKEN_LIFETIME_IN_SECONDS = 3600;
// MSAL may ask for these alongside the resource scope; they do not change a client-credentials grant.
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access']);

export interface TokenIssuerOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  now?: () => number;
  /** Application permissions granted to the app at the moment a token is issued (its `roles`). */
  grantedPermissions?: () => readonly string[];
}

interface IssuedToken {
  expiresAt: number;
  roles: readonly string[];
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface AuthResponse {
  status: number;
  body: Record<string, unknown>;
}

function aadError(status: number, error: string, aadsts: number, description: string): AuthResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
      error_codes: [aadsts],
      timestamp: new Date().toISOString(),
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: 'https://login.microsoftonline.com/error?code=' + aadsts,
    },
  };
}

export class TokenIssuer {
  private readonly issued = new Map<string, IssuedToken>();
  private readonly now: () => number;
  private readonly signingKey = randomBytes(32);

  constructor(private readonly options: TokenIssuerOptions) {
    this.now = options.now ?? Date.now;
  }

  knowsTenant(tenant: string): boolean {
    return tenant.toLowerCase() === this.options.tenantId.toLowerCase();
  }

  unknownTenant(tenant: string): AuthResponse {
    return aadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
  }

  /** `GET /{tenant}/v2.0/.well-known/openid-configuration`: what MSAL reads to find the token endpoint. */
  openIdConfiguration(origin: string, tenant: string): AuthResponse {
    if (!this.knowsTenant(tenant)) return this.unknownTenant(tenant);
    const base = `${origin}/${this.options.tenantId}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${origin}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid'],
        kerberos_endpoint: `${base}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net',
      },
    };
  }

  /** `POST /{tenant}/oauth2/v2.0/token` with a form body. */
  token(tenant: string, form: URLSearchParams, basicAuth: { id: string; secret: string } | null): AuthResponse {
    if (!this.knowsTenant(tenant)) return this.unknownTenant(tenant);
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') {
      return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
    }
    const clientId = form.get('client_id') ?? basicAuth?.id ?? '';
    const clientSecret = form.get('client_secret') ?? basicAuth?.secret ?? null;
    if (clientId !== this.options.clientId) {
      return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${this.options.tenantId}'.`);
    }
    if (clientSecret === null) {
      return aadError(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    }
    if (clientSecret !== this.options.clientSecret) {
      return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app \'' + clientId + "'.");
    }
    const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s.length > 0);
    const resourceScopes = scopes.filter((s) => !OIDC_SCOPES.has(s));
    if (resourceScopes.length !== 1 || resourceScopes[0] !== GRAPH_DEFAULT_SCOPE) {
      return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${form.get('scope') ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const roles = [...(this.options.grantedPermissions?.() ?? [])];
    const issuedAt = Math.floor(this.now() / 1000);
    const accessToken = this.sign({
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${this.options.tenantId}/`,
      iat: issuedAt,
      nbf: issuedAt,
      exp: issuedAt + TOKEN_LIFETIME_IN_SECONDS,
      appid: this.options.clientId,
      appidacr: '1',
      idtyp: 'app',
      oid: this.options.clientId,
      sub: this.options.clientId,
      tid: this.options.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
      ...(roles.length > 0 ? { roles } : {}),
    });
    this.issued.set(accessToken, { expiresAt: this.now() + TOKEN_LIFETIME_IN_SECONDS * 1000, roles });
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_IN_SECONDS, ext_expires_in: TOKEN_LIFETIME_IN_SECONDS, access_token: accessToken },
    };
  }

  private sign(claims: Record<string, unknown>): string {
    const unsigned = `${b64url({ typ: 'JWT', alg: 'HS256' })}.${b64url(claims)}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }

  private validSignature(token: string): boolean {
    const parts = token.split('.');
    if (parts.length !== 3) return false;
    const expected = createHmac('sha256', this.signingKey).update(`${parts[0] ?? ''}.${parts[1] ?? ''}`).digest();
    const given = Buffer.from(parts[2] ?? '', 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private lookup(authorization: string | undefined): IssuedToken | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec((authorization ?? '').trim());
    const token = match?.[1] ?? '';
    return this.validSignature(token) ? this.issued.get(token) : undefined;
  }

  /** Null when the bearer token is good; else Graph's message for why not. */
  rejectReason(authorization: string | undefined): string | null {
    if (!authorization) return 'Access token is empty.';
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return 'Access token is empty.';
    const issued = this.lookup(authorization);
    if (issued === undefined) return 'Access token validation failure. Invalid audience.';
    if (issued.expiresAt <= this.now()) return 'Lifetime validation failed, the token is expired.';
    return null;
  }

  /** The `roles` of a token this instance issued (call after `rejectReason` returned null). */
  rolesOf(authorization: string | undefined): ReadonlySet<string> {
    return new Set(this.lookup(authorization)?.roles ?? []);
  }

  /** Tests: make every issued token expire now. */
  expireAll(): void {
    for (const issued of this.issued.values()) issued.expiresAt = this.now();
  }
}
