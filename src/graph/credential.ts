/**
 * The app's Microsoft Entra credential for Graph (client credentials flow), from config.
 *
 * Sandbox: the token endpoint is a local HTTPS server with its own CA. `tlsOptions.ca`
 * (core-rest-pipeline's TLS policy) makes this credential, and only it, trust exactly that
 * CA; MSAL sends its requests through the same pipeline. Verification stays on.
 */
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';

/** How the bot signs in to Microsoft Graph (GRAPH_* settings, read by src/config/graph.ts). */
export type GraphAuth =
  | { kind: 'secret'; clientId: string; clientSecret: string }
  | { kind: 'certificate'; clientId: string; certificatePath: string }
  | { kind: 'managedIdentity'; clientId?: string };

const PUBLIC_CLOUD_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export interface CredentialOptions {
  /** e.g. `https://login.microsoftonline.com`, or the sandbox origin. Must be https. */
  authorityHost: string;
  /** Sandbox only: the PEM of the one CA to trust. */
  trustedCaPem?: string;
}

function isPublicCloud(authorityHost: string): boolean {
  return new URL(authorityHost).host.toLowerCase() === new URL(PUBLIC_CLOUD_AUTHORITY_HOST).host;
}

export function createCredential(auth: GraphAuth, tenantId: string, opts: CredentialOptions): TokenCredential {
  const common = {
    authorityHost: opts.authorityHost,
    // Instance discovery asks the public cloud about the authority; any other host
    // (sovereign cloud, sandbox) must be trusted as configured instead.
    ...(isPublicCloud(opts.authorityHost) ? {} : { disableInstanceDiscovery: true }),
    ...(opts.trustedCaPem ? { tlsOptions: { ca: opts.trustedCaPem } } : {}),
  };
  switch (auth.kind) {
    case 'secret':
      return new ClientSecretCredential(tenantId, auth.clientId, auth.clientSecret, common);
    case 'certificate':
      return new ClientCertificateCredential(tenantId, auth.clientId, { certificatePath: auth.certificatePath }, common);
    case 'managedIdentity':
      return auth.clientId ? new ManagedIdentityCredential({ clientId: auth.clientId }) : new ManagedIdentityCredential();
  }
}
