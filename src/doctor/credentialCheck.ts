/**
 * Check 2: the configured credential (client secret, certificate or managed identity) gets
 * a Graph token. The token itself never leaves this module's caller: only its claims and
 * the reader built on it do.
 */
import type { TokenCredential } from '@azure/identity';
import type { Config } from '../config';
import { failureOf, mapThrown } from '../graph/errors';
import { graphScope } from './graphAccess';
import { decodeTokenClaims, type TokenClaims } from './token';
import { missing, ok, type CheckResult } from './types';

const TITLE = 'Graph token';

function credentialFix(config: Config): string {
  switch (config.graph.auth?.kind) {
    case 'certificate':
      return `check GRAPH_CLIENT_ID (${config.graph.auth.clientId}), that GRAPH_CERTIFICATE_PATH is a PEM with the certificate and its private key, that this certificate is uploaded to the app registration (Certificates & secrets) and not expired, and TENANT_ID / AUTHORITY_HOST.`;
    case 'managedIdentity':
      return 'run the doctor where the managed identity is assigned (App Service, Container Apps, VM), check GRAPH_CLIENT_ID names the user-assigned identity if there are several, and TENANT_ID.';
    case 'secret':
      return `check GRAPH_CLIENT_ID (${config.graph.auth.clientId}), that GRAPH_CLIENT_SECRET (or MicrosoftAppPassword) is the value of a current, unexpired client secret of that app registration (Certificates & secrets), and TENANT_ID / AUTHORITY_HOST.`;
    default:
      return 'configure GRAPH_AUTH and its credential (.env.example, "Tenant and Microsoft Graph").';
  }
}

export async function checkToken(config: Config, credential: TokenCredential): Promise<{ result: CheckResult; accessToken?: string; claims?: TokenClaims }> {
  const kind = config.graph.auth?.kind ?? 'none';
  let accessToken: string;
  try {
    const token = await credential.getToken(graphScope(config.graph.baseUrl));
    if (!token) throw new Error('the credential returned no token');
    accessToken = token.token;
  } catch (e) {
    const unreachable = failureOf(e).kind === 'authority';
    const fix = unreachable
      ? `check AUTHORITY_HOST (${config.graph.authorityHost}) and TENANT_ID (${config.tenantId}), and that this machine reaches the sign-in service (DNS, proxy, firewall).`
      : credentialFix(config);
    return { result: missing(TITLE, `the ${kind} credential got no token: ${mapThrown(e, 'getTapPolicy').userMessage}`, fix) };
  }
  let claims: TokenClaims;
  try {
    claims = decodeTokenClaims(accessToken);
  } catch {
    return { result: missing(TITLE, `the ${kind} credential got a token that is not a JWT, so its permissions cannot be read`, `check GRAPH_BASE_URL (${config.graph.baseUrl}) and AUTHORITY_HOST point at Microsoft Graph and Entra.`) };
  }
  const wrongTenant = claims.tenantId && config.tenantId && claims.tenantId.toLowerCase() !== config.tenantId.toLowerCase();
  if (wrongTenant) {
    return { result: missing(TITLE, `the token is for tenant ${claims.tenantId}, not the configured ${config.tenantId}`, 'set TENANT_ID to the tenant of the app registration the bot serves.') };
  }
  const app = claims.appId ? ` for app ${claims.appId}` : '';
  return { result: ok(TITLE, `the ${kind} credential got a token${app}, with ${claims.roles.length} application permission${claims.roles.length === 1 ? '' : 's'}`), accessToken, claims };
}
