/**
 * Bulk passes for a group (new joiners, by the dozen or the hundred): one request, one
 * approval, one pass per eligible member, every member accounted for. Plain TypeScript;
 * the Teams edge and the admin command line are two front ends of the same engine.
 */
import type { DirectoryGroup } from '../../graph/types';
import type { BulkEligibility } from '../gate/enrolment';
import type { Person, Scenario, TapSettings } from '../types';
import type { StoredReason } from '../../i18n/said';

type BulkState = 'PendingApproval' | 'Issuing' | 'Completed' | 'Denied' | 'Cancelled' | 'Expired' | 'Failed';

/**
 * A member's way through a bulk request:
 *   refused (at request or approval: why) | pending → sending → created → issued
 *                                                  ↘ failed (why, after retries)
 * `sending` is written before the create goes out and `created` before the code is
 * delivered, so after a crash the engine knows which members may hold a pass nobody saw.
 */
type MemberState = 'refused' | 'pending' | 'sending' | 'created' | 'issued' | 'failed';

export interface BulkMember {
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** For delivery to managers. */
  managerId?: string;
  managerName?: string;
  state: MemberState;
  /** Refused/failed: a sentence for the requester (English); code: a machine-readable reason. */
  reason?: string;
  /** The reason as its meaning, for a reader of another language (read it with `reasonIn`, src/i18n/said.ts). */
  said?: StoredReason;
  code?: string;
  /** Creates sent for this member (a 429 answer counts: it was sent). */
  attempts: number;
  /** Not before this instant (after a 429's Retry-After). */
  notBefore?: string;
  /** When the latest create went out: a pass made after this is one of ours. */
  sentAt?: string;
  /** After creation (never the code). */
  methodId?: string;
  startDateTime?: string;
  expiresDateTime?: string;
  /** The result page that carried the code. */
  page?: number;
  /** The member had a pass already; the new one replaces it. */
  replacesExisting?: boolean;
  /** For the approver's list. */
  department?: string | null;
  /** The member's own request record (TAP-…), made when their pass is created: status, revoke, report and the owner's notice use it. */
  requestId?: string;
}

/** One result card (or CSV block): which members' codes went to whom. */
export interface BulkPage {
  n: number;
  recipientId: string;
  memberIds: string[];
  deliveredAt: string;
  /** Latest expiry of the page's passes: after it the codes are hidden. */
  expiresDateTime: string;
  codesHidden?: boolean;
}

interface BulkDecision {
  by: Person;
  at: string;
  action: 'approve' | 'deny';
  attestation?: string;
  denyReason?: string;
}

export interface BulkRequest {
  id: string;
  state: BulkState;
  createdAt: string;
  updatedAt: string;
  /** Approval deadline. */
  expiresAt: string;
  tenantId: string;
  requester: Person;
  /** Teams (an agent, approved on a card) or the admin command line (run by an admin). */
  via: 'teams' | 'cli';
  group: DirectoryGroup & { nested: boolean };
  /** Member groups that were not expanded (nested groups off). */
  nestedGroupsSkipped: DirectoryGroup[];
  scenario: Scenario;
  reason: string;
  ticket?: string;
  settings: TapSettings;
  /** Who may get a pass in this request (enrolment.ts); absent on requests stored before the rule: 'any'. */
  eligibility?: BulkEligibility;
  /**
   * Passes that start days ahead are made shortly before they start (like a single request's),
   * re-checked then, and their codes delivered then: no code waits on a card for days.
   */
  scheduledIssueAt?: string;
  /** The group whose members may approve, and who they were when asked. */
  approverGroupId: string;
  approvers: Person[];
  decision?: BulkDecision;
  deliverTo: 'requester' | 'manager';
  members: BulkMember[];
  pages: BulkPage[];
  startedAt?: string;
  finishedAt?: string;
  /** Why the whole request stopped (Failed), e.g. the policy was turned off before issuing. */
  /** `message` in English; `said` its meaning, for a reader of another language (read it with `reasonIn`, src/i18n/said.ts). */
  failure?: { code: string; message: string; said?: StoredReason };
  cancelledBy?: Person;
}

/** A pass as delivered: only in memory between Graph and the recipient. */
export interface BulkPass {
  member: BulkMember;
  temporaryAccessPass: string;
  startDateTime: string;
  expiresDateTime: string;
}

export interface BulkNotifier {
  /** The approval card to every approver. Throws when none can be reached. */
  requestBulkApproval(bulk: BulkRequest): Promise<void>;
  /** Refresh approvers' cards and the requester's progress card (in place). */
  bulkUpdated(bulk: BulkRequest): Promise<void>;
  /** One result page with codes, to `page.recipientId`. */
  deliverBulkPage(bulk: BulkRequest, page: BulkPage, passes: BulkPass[]): Promise<void>;
  /** Remove the codes from a delivered page (handover or expiry). */
  hideBulkPage?(bulk: BulkRequest, page: BulkPage): Promise<void>;
}

export interface BulkInput {
  /** Group name or object id. */
  group: string;
  scenario: Scenario;
  reason: string;
  ticket?: string;
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
  startDateTime?: string;
  startDate?: string;
  startTime?: string;
  timeZone?: string;
}

export interface BulkConfig {
  /** Who approves bulk requests; default the fallback approver group. */
  approverGroupId?: string;
  /** Count members of nested groups (transitive) or direct members only. Default false. */
  includeNestedGroups: boolean;
  /** Largest group a bulk request may cover. Default 300. */
  maxMembers: number;
  /** Client-side pace of creates (identity writes): per second, and burst. */
  writesPerSecond: number;
  writeBurst: number;
  /** Creates per member before it is failed (429s included). Default 6. */
  maxAttempts: number;
  /** Where codes go: the requester, or each member's manager. */
  deliverTo: 'requester' | 'manager';
  /** Members per result page (card). Default 20. */
  pageSize: number;
  /** Who may get a bulk pass: only people with no sign-in method yet (default), or anyone eligible for a single pass. */
  eligibility: BulkEligibility;
}

export const DEFAULT_BULK_CONFIG: BulkConfig = {
  includeNestedGroups: false,
  maxMembers: 300,
  writesPerSecond: 15,
  writeBurst: 20,
  maxAttempts: 6,
  deliverTo: 'requester',
  pageSize: 20,
  eligibility: 'unenrolled',
};

export function isOpenBulk(b: Pick<BulkRequest, 'state'>): boolean {
  return b.state === 'PendingApproval' || b.state === 'Issuing';
}

export interface BulkCounts {
  total: number;
  eligible: number;
  refused: number;
  issued: number;
  failed: number;
  waiting: number;
}

export function countMembers(bulk: Pick<BulkRequest, 'members'>): BulkCounts {
  const c: BulkCounts = { total: bulk.members.length, eligible: 0, refused: 0, issued: 0, failed: 0, waiting: 0 };
  for (const m of bulk.members) {
    if (m.state === 'refused') c.refused++;
    else {
      c.eligible++;
      if (m.state === 'issued') c.issued++;
      else if (m.state === 'failed') c.failed++;
      else c.waiting++;
    }
  }
  return c;
}
