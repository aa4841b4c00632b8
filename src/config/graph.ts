/** How the bot reaches Microsoft Graph, and which directory roles make a target privileged. */
import type { GraphAuth } from '../graph/credential';
import { GUID, truncate, type Reader } from './reader';


/**
 * Built-in Entra role template ids refused as targets by default: the administrator roles
 * that can change authentication, identities, or tenant-wide settings. Override with
 * PRIVILEGED_ROLE_TEMPLATE_IDS (comma-separated) to cover custom or further roles.
 */
export const DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS: readonly string[] = [
  '62e90394-69f5-4237-9190-012177145e10', // Global Administrator
  'e8611ab8-c189-46e8-94e1-60213ab1f814', // Privileged Role Administrator
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', // Privileged Authentication Administrator
  'c4e39bd9-1100-46d3-8c65-fb160da0071f', // Authentication Administrator
  '194ae4cb-b126-40b2-bd5b-6091b380977d', // Security Administrator
  'fe930be7-5e62-47db-91af-98c3a49a38b1', // User Administrator
  '729827e3-9c14-49f7-bb1b-9608f156bbb8', // Helpdesk Administrator
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', // Conditional Access Administrator
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
  '29232cdf-9323-42fd-ade2-1d097af3e4de', // Exchange Administrator
  'f28a1f50-f6e7-4571-818b-6a12f2af6b66', // SharePoint Administrator
  '3a2c62db-5318-420d-8d74-23affee5d9d5', // Intune Administrator
  'fdd7a751-b60b-444a-984c-02652fe8fa1c', // Groups Administrator
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451', // Global Reader
];

export function parseRoleIds(r: Reader): string[] {
  const v = r.raw('PRIVILEGED_ROLE_TEMPLATE_IDS');
  if (v === undefined) return [...DEFAULT_PRIVILEGED_ROLE_TEMPLATE_IDS];
  const ids = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = ids.filter((id) => !GUID.test(id));
  if (bad.length) r.problems.push(`PRIVILEGED_ROLE_TEMPLATE_IDS has entries that are not GUIDs: ${bad.map(truncate).join(', ')}.`);
  if (!ids.length) r.problems.push('PRIVILEGED_ROLE_TEMPLATE_IDS is empty: list at least one role template id, or unset it for the built-in list.');
  return ids;
}

export function parseGraphAuth(r: Reader, botAppId: string | undefined): GraphAuth | undefined {
  const kind = r.oneOf('GRAPH_AUTH', ['secret', 'certificate', 'managedIdentity'] as const, r.raw('GRAPH_CERTIFICATE_PATH') ? 'certificate' : 'secret');
  const clientId = r.guid('GRAPH_CLIENT_ID') ?? botAppId;
  if (kind === 'managedIdentity') return clientId ? { kind, clientId } : { kind };
  if (!clientId) {
    r.problems.push('GRAPH_CLIENT_ID is missing: set the app (client) id used for Microsoft Graph, or set MicrosoftAppId to reuse the bot\'s app.');
  }
  if (kind === 'certificate') {
    const certificatePath = r.required('GRAPH_CERTIFICATE_PATH', 'GRAPH_AUTH=certificate needs the path of a PEM file holding the certificate and its private key');
    return clientId && certificatePath ? { kind, clientId, certificatePath } : undefined;
  }
  const clientSecret = r.raw('GRAPH_CLIENT_SECRET') ?? r.raw('MicrosoftAppPassword');
  if (!clientSecret) {
    r.problems.push('GRAPH_CLIENT_SECRET is missing: GRAPH_AUTH=secret needs a client secret (or MicrosoftAppPassword when Graph uses the bot\'s app); or set GRAPH_AUTH=certificate or managedIdentity.');
  }
  return clientId && clientSecret ? { kind, clientId, clientSecret } : undefined;
}
