/**
 * Public contract of the sandbox tenant: a local HTTPS stand-in for Entra ID's token
 * endpoint and the Microsoft Graph v1.0 subset the bot uses.
 */
import type { AutomaticRepliesInput } from './mailbox';

export interface SandboxKnobs {
  /** Added latency per request, in ms. */
  latencyInMs: number;
  /** Fraction (0..1) of Graph requests (and $batch items) answered 429 with Retry-After. */
  throttleRate: number;
  /** Retry-After seconds sent with injected 429s (may be fractional in tests, e.g. 0.05; sent rounded up unless `retryAfterFractional`). */
  retryAfterSeconds: number;
  /** Graph-like write limit: token bucket of `capacity` writes refilled over `windowInMs`. null = off. */
  writeLimit: { capacity: number; windowInMs: number } | null;
  /** Fraction (0..1) of Graph requests answered 503. */
  serverErrorRate: number;
  /** Fraction (0..1) of Graph requests whose socket is destroyed without an answer. */
  dropRate: number;
  /** Fail the next N Graph requests (top-level or batch item) with this status (e.g. 429, 503), then behave. */
  failNext: { count: number; status: number } | null;
  /** Send Retry-After as given (e.g. `0.05`) instead of rounded up to whole seconds. Default false. */
  retryAfterFractional?: boolean;
  /**
   * Application permissions granted to the app (admin-consented). Each token the token endpoint
   * issues carries these as its `roles` claim; a route whose permission the token lacks answers
   * 403 `Authorization_RequestDenied`. Changing this affects tokens issued afterwards only: as in
   * Entra, a token keeps its roles until it expires (`expireTokens()` forces a new one).
   * Default: `DEFAULT_GRANTED_PERMISSIONS` (sandbox/permissions.ts).
   */
  grantedPermissions: string[];
  /** Tenant has Entra ID P1: `$select=signInActivity` works. false → 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant. Default true. */
  signInActivityLicensed: boolean;
  /** Tenant has Entra ID P2: `/identityProtection/riskyUsers` works. false → 403. Default true. */
  riskyUsersLicensed: boolean;
}

/** One request the sandbox received (for counting round trips in tests and benchmarks). */
export interface SandboxRequestRecord {
  at: number;
  method: string;
  /** Path with query, e.g. `/v1.0/users/megan@contoso.com?$select=...`. */
  url: string;
  status: number;
  /** For `$batch`: the inner requests' urls. */
  batchItems?: string[];
  /** For `$batch`: the inner requests' methods, in the order of `batchItems`. */
  batchItemMethods?: string[];
  /** For `$batch`: the inner responses' statuses, in the order of `batchItems`. */
  batchItemStatuses?: number[];
}

export interface SandboxOptions {
  /** 0 = pick a free port. */
  port?: number;
  host?: string;
  /** Directory seed; defaults to sandbox/directory.json. */
  directory?: unknown;
  knobs?: Partial<SandboxKnobs>;
  /** Seed of the PRNG behind the random knobs (throttleRate, serverErrorRate, dropRate) and batch shuffling. Default 1. */
  seed?: number;
}

export interface RunningSandbox {
  /** e.g. `https://127.0.0.1:4123` */
  origin: string;
  /** Graph base, e.g. `https://127.0.0.1:4123` (the gateway appends `/v1.0`). */
  graphBaseUrl: string;
  /** Authority host for @azure/identity, e.g. `https://127.0.0.1:4123`. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** PEM of the CA that signed the server certificate: trust exactly this. */
  caPem: string;
  knobs: SandboxKnobs;
  /** Every request received, oldest first. */
  requests: SandboxRequestRecord[];
  resetRequests(): void;
  /** Mutate the directory at run time (tests): e.g. disable the TAP policy. */
  state: SandboxState;
  /**
   * Back to the start state without a restart (one sandbox per test suite): directory from
   * the seed, knobs from the options, PRNGs re-seeded, request log emptied. Issued tokens stay valid.
   */
  reset(): void;
  /** Make every token issued so far expire now (tests of token refresh). */
  expireTokens(): void;
  stop(): Promise<void>;
}

export type RegistrableMethodType = 'fido2' | 'microsoftAuthenticator' | 'windowsHelloForBusiness' | 'phone';

export interface SentMail {
  at: string;
  /** The mailbox the mail was sent from (the `{id|upn}` of the request). */
  from: { id: string; userPrincipalName: string };
  /** The `message` of the request body, as sent. */
  message: Record<string, unknown>;
  /** Lower-cased recipient addresses of `toRecipients`, `ccRecipients` and `bccRecipients`. */
  recipients: string[];
  saveToSentItems: boolean;
}

/** Mutable in-memory directory (Graph shapes). */
export interface SandboxState {
  setTapPolicy(patch: Record<string, unknown>): void;
  /** Issue a TAP outside the bot (test set-up). */
  tapsOf(userId: string): Array<Record<string, unknown>>;
  /**
   * Patch a user (e.g. `{ accountEnabled: false }`); `manager` takes a user id/UPN, or null to remove.
   * Appends an "Update user" directory audit entry listing the changed properties (a manager change
   * as modified property `Manager`), initiated by the sandbox app unless `actor` (user id/UPN) is given.
   */
  updateUser(idOrUpn: string, patch: Record<string, unknown>, options?: { actor?: string }): void;
  /** Register an authentication method for the user, as if they did it themselves now (test set-up). Returns the Graph view. */
  registerMethod(userIdOrUpn: string, type: RegistrableMethodType, displayName?: string): Record<string, unknown>;
  /** The user's registered authentication methods, as `GET /users/{id}/authentication/methods` lists them. */
  authenticationMethodsOf(userIdOrUpn: string): Array<Record<string, unknown>>;
  /** Every directory audit entry, newest first (Graph shapes). */
  directoryAudits(): Array<Record<string, unknown>>;
  /** Set the user's Identity Protection record (`riskLevel`, `riskState`, …), or null to remove it (then 404). */
  setRiskyUser(userIdOrUpn: string, patch: Record<string, unknown> | null): void;
  /** Mail accepted by `POST /users/{id}/sendMail`, oldest first. */
  sentMail(): SentMail[];
  /** Calls of `POST /users/{id}/revokeSignInSessions`, oldest first. */
  revokedSessions(): Array<{ userId: string; at: string }>;
  /** Remove the user from the directory (Graph answers 404 for them afterwards). */
  deleteUser(idOrUpn: string): void;
  /** Add a direct member (user id/UPN, or group id) to a group. */
  addGroupMember(groupId: string, memberId: string): void;
  /** Remove a direct member from a group. */
  removeGroupMember(groupId: string, memberId: string): void;
  /** Direct member ids of a group (what `POST`/`DELETE /groups/{id}/members/$ref` change); [] for an unknown group. */
  directMembersOf(groupId: string): string[];
  /** Make the user an active member of the directory role with this template id. */
  assignRole(roleTemplateId: string, userIdOrUpn: string): void;
  /** Privileged Identity Management (sandbox/pim.ts): principals are object ids, roles template ids. */
  readonly pim: {
    makeEligible(principalId: string, roleTemplateId: string, endDateTime?: string | null): void;
    /** A time-bound active assignment, ending at `endDateTime`. */
    assignUntil(principalId: string, roleTemplateId: string, endDateTime: string): void;
    /** Eligible membership of a group through PIM for Groups. */
    makeEligibleForGroup(principalId: string, groupId: string): void;
  };
  /** Mark the user's one-time TAP as used, so it reads `OneTimeUsed`. */
  markTapUsed(userId: string): void;
  /** Teams apps installed for the user through `POST /users/{id}/teamwork/installedApps`. */
  installedAppsOf(userId: string): Array<Record<string, unknown>>;
  /**
   * Put the person out of office (their automatic replies, read by `GET /users/{id}/mailboxSettings/automaticRepliesSetting`):
   * `{ status: 'alwaysEnabled' }`, or `scheduled` with ISO start and end; `null` or `disabled` = in office.
   */
  setAutomaticReplies(userIdOrUpn: string, setting: AutomaticRepliesInput | null): void;
}
