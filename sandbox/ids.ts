/**
 * Well-known ids of the sandbox directory (sandbox/directory.json must use exactly these).
 * Tests, the Playground personas and the README refer to people by these constants.
 */
export const SANDBOX_TENANT_ID = 'c0ffee00-7a90-4d1e-9b1a-5a4db0c0ffee';
/** Client credentials the sandbox token endpoint accepts (sandbox only, not a secret). */
export const SANDBOX_CLIENT_ID = 'b0b0b0b0-0000-4000-8000-00000000b0b0';
export const SANDBOX_CLIENT_SECRET = 'sandbox-client-secret-not-a-real-secret';

export const GROUPS = {
  helpdesk: 'aaaa0000-0000-4000-8000-000000000001', // "Helpdesk Agents": Adele, Alex
  fallbackApprovers: 'aaaa0000-0000-4000-8000-000000000002', // "Identity Approvers": Joni
  protected: 'aaaa0000-0000-4000-8000-000000000003', // "Protected Accounts": Grady
  securityContacts: 'aaaa0000-0000-4000-8000-000000000004', // "Security Operations": Lee
  passkeyOnboarding: 'aaaa0000-0000-4000-8000-000000000005', // "Passkey Onboarding": empty; the onboarding CA policy's group
  newJoiners: 'aaaa0000-0000-4000-8000-000000000006', // "New Joiners": joiners Ana, Ben, Chloe and Patti get a pass; Megan, Lasse (Authenticator), Miriam, Lidia (risk), guest Pradeep, admin Isaiah, protected Grady do not
} as const;

export const USERS = {
  /** Helpdesk agent (the agent persona in the Playground). Manager: Lee. */
  adele: { id: 'a0000000-0000-4000-8000-000000000001', upn: 'adele@contoso.com', name: 'Adele Vance' },
  /** Second helpdesk agent. Manager: Lee. */
  alex: { id: 'a0000000-0000-4000-8000-000000000002', upn: 'alex@contoso.com', name: 'Alex Wilber' },
  /** Manager of Megan, Lasse, Lidia, Miriam, Isaiah, Johanna, Grady (the manager persona). Manager: Lee. */
  nestor: { id: 'a0000000-0000-4000-8000-000000000003', upn: 'nestor@contoso.com', name: 'Nestor Wilke' },
  /** Top of the chain: manager of Nestor, Adele, Alex; no manager of his own. */
  lee: { id: 'a0000000-0000-4000-8000-000000000004', upn: 'lee@contoso.com', name: 'Lee Gu' },
  /** Ordinary target, English. */
  megan: { id: 'a0000000-0000-4000-8000-000000000005', upn: 'megan@contoso.com', name: 'Megan Bowen' },
  /** Ordinary target, preferredLanguage da-DK. */
  lasse: { id: 'a0000000-0000-4000-8000-000000000006', upn: 'lasse@contoso.com', name: 'Lasse Jensen' },
  /** No manager at all: fallback approver group decides. */
  patti: { id: 'a0000000-0000-4000-8000-000000000007', upn: 'patti@contoso.com', name: 'Patti Fernandez' },
  /** Manager is Adele (a helpdesk agent): skip-level Lee decides when Adele asks. */
  diego: { id: 'a0000000-0000-4000-8000-000000000008', upn: 'diego@contoso.com', name: 'Diego Siciliani' },
  /** Global Administrator. */
  isaiah: { id: 'a0000000-0000-4000-8000-000000000009', upn: 'isaiah@contoso.com', name: 'Isaiah Langer' },
  /** Authentication Administrator. */
  johanna: { id: 'a0000000-0000-4000-8000-00000000000a', upn: 'johanna@contoso.com', name: 'Johanna Lorenz' },
  /** Member of the protected group. */
  grady: { id: 'a0000000-0000-4000-8000-00000000000b', upn: 'grady@contoso.com', name: 'Grady Archie' },
  /** External guest (userType Guest). */
  pradeep: { id: 'a0000000-0000-4000-8000-00000000000c', upn: 'pradeep_fabrikam.com#EXT#@contoso.com', name: 'Pradeep Gupta (Fabrikam)' },
  /** Already has a TAP. */
  lidia: { id: 'a0000000-0000-4000-8000-00000000000d', upn: 'lidia@contoso.com', name: 'Lidia Holloway' },
  /** Name and UPN with an apostrophe. */
  miriam: { id: 'a0000000-0000-4000-8000-00000000000e', upn: "miriam.o'brien@contoso.com", name: "Miriam O'Brien" },
  /** Member of the fallback approver group. */
  joni: { id: 'a0000000-0000-4000-8000-00000000000f', upn: 'joni@contoso.com', name: 'Joni Sherman' },
  /** New joiners (Nestor's team; no sign-in method yet, never signed in): what a bulk pass is for. */
  ana: { id: 'a0000000-0000-4000-8000-000000000010', upn: 'ana@contoso.com', name: 'Ana Costa' },
  ben: { id: 'a0000000-0000-4000-8000-000000000011', upn: 'ben@contoso.com', name: 'Ben Okafor' },
  chloe: { id: 'a0000000-0000-4000-8000-000000000012', upn: 'chloe@contoso.com', name: 'Chloe Martin' },
  /** Eligible (PIM) for Helpdesk Administrator, no active role: privileged all the same. Manager: Nestor. */
  henrik: { id: 'a0000000-0000-4000-8000-000000000013', upn: 'henrik@contoso.com', name: 'Henrik Madsen' },
} as const;

export const ROLE_TEMPLATES = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  /** Not a seeded directoryRole: Henrik is only eligible for it (roleManagement in directory.json). */
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
} as const;
