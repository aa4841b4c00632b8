/**
 * The Entra ID side: OpenID metadata and the OAuth2 client-credentials token endpoint, in
 * the shapes MSAL (under @azure/identity) expects, with AAD's JSON error shape.
 * Tokens are opaque random strings; only this sandbox instance accepts them.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
const TOKEN_LIFETIME_IN_SECONDS = 3600;
// MSAL may ask for these alongside the resource scope; they do not change a client-credentials grant.
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access']);

export interface TokenIssuerOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  now?: () => number;
}

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
  private readonly issued = new Map<string, number>();
  private readonly now: () => number;

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
    const accessToken = `sbx.${randomBytes(32).toString('base64url')}`;
    this.issued.set(accessToken, this.now() + TOKEN_LIFETIME_IN_SECONDS * 1000);
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_IN_SECONDS, ext_expires_in: TOKEN_LIFETIME_IN_SECONDS, access_token: accessToken },
    };
  }

  /** Null when the bearer token is good; else Graph's message for why not. */
  rejectReason(authorization: string | undefined): string | null {
    if (!authorization) return 'Access token is empty.';
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return 'Access token is empty.';
    const expiresAt = this.issued.get(match[1] ?? '');
    if (expiresAt === undefined) return 'Access token validation failure. Invalid audience.';
    if (expiresAt <= this.now()) return 'Lifetime validation failed, the token is expired.';
    return null;
  }

  /** Tests: make every issued token expire now. */
  expireAll(): void {
    for (const token of this.issued.keys()) this.issued.set(token, this.now());
  }
}
