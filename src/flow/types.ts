/**
 * The request workflow's data model. Plain TypeScript: no botbuilder, no Graph SDK.
 * A TapRequest never holds the TAP value.
 */
import type { TargetSignals } from '../graph/types';
import type { RiskRules } from './gate/risk';
import type { Catalogue } from '../i18n';
import type { Words } from '../i18n/said';
import type { StoredReason } from '../i18n/said';
import type { Sentence } from '../errors';
import type { StepUpPolicy } from './decide/stepUp';

export const REQUEST_STATES = [
  'PendingApproval',
  'Approved',
  'Issuing',
  'Issued',
  'Denied',
  'Expired',
  'Failed',
  'Cancelled',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const SCENARIOS = ['recovery', 'newJoiner', 'passkeyOnboarding'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const ATTESTATIONS = ['videoCall', 'inPerson', 'knownNumberCall', 'other'] as const;
export type Attestation = (typeof ATTESTATIONS)[number];

export type DeliveryRecipient = 'agent' | 'manager';

/** Who is acting, as the Teams edge establishes it from the activity (never from card data). */
export interface Actor {
  aadObjectId: string;
  tenantId: string;
  displayName?: string;
}

export interface Person {
  id: string;
  displayName: string;
  userPrincipalName: string;
  jobTitle?: string | null;
  department?: string | null;
}

export interface TargetPerson extends Person {
  preferredLanguage?: string | null;
}

export interface TapSettings {
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  /** ISO instant; absent = starts when created. */
  startDateTime?: string;
}

export type ApproverKind = 'manager' | 'skipLevelManager' | 'fallbackGroup';

export interface ApproverAssignment {
  kind: ApproverKind;
  /** Object ids allowed to decide (one manager, or the fallback group's members). */
  ids: string[];
  people: Person[];
  /** How it came to these people: each earlier approver it moved from, oldest first (escalation.ts). They can no longer decide. */
  movedFrom?: ApproverMove[];
  /** Whether the approver's automatic replies could be read when they were asked (absent for a group, or when not checked). */
  awayCheck?: AwayCheck;
}

/** Why a request moved to the next approver: out of office when asked, or no answer by the set point. */
export type MoveReason = 'away' | 'noAnswer';

/** One move of a request from one approver to the next the rules allow. */
export interface ApproverMove {
  at: string;
  from: { kind: ApproverKind; ids: string[]; people: Person[] };
  because: MoveReason;
  /** For `away`: when their automatic replies end, when Graph says. */
  awayUntil?: string;
  /** When the new approver's card went out; absent = a crash came between (the sweep sends it). */
  cardSentAt?: string;
}

/** The approver's out-of-office as read: away or not, or not available and what the read needs (e.g. MailboxSettings.Read). */
export type AwayCheck = { available: true; away: boolean; until?: string } | { available: false; missing: Words };

/** Reminders and escalation while a request waits (APPROVAL_REMINDER_AT, APPROVAL_ESCALATE_AFTER, APPROVAL_ESCALATE_WHEN_AWAY). */
export interface ApprovalWaiting {
  /** After this long without a decision, the approver is reminded once; absent = no reminder. */
  remindAfterInMs?: number;
  /** After this long without an answer from the approver who has it, it moves to the next one; absent = never for silence. */
  escalateAfterInMs?: number;
  /** An approver out of office when asked is passed over at once. */
  escalateWhenAway: boolean;
}

export interface Decision {
  by: Person;
  at: string;
  action: 'approve' | 'deny';
  attestation?: Attestation;
  attestationNote?: string;
  /** With `knownNumberCall`: which number on file the approver called. */
  calledNumber?: string;
  denyReason?: string;
}

/** Facts about the pass after creation: never the code. */
export interface IssuedFacts {
  methodId: string;
  startDateTime: string;
  expiresDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  issuedAt: string;
}

export interface DeliveryFacts {
  recipientId: string;
  recipientKind: DeliveryRecipient;
  deliveredAt?: string;
  handedOverAt?: string;
  /** When the code was removed from the delivered card (handover or expiry). */
  codeHiddenAt?: string;
}

export interface TapRequest {
  /** Short human id, e.g. `TAP-7K3F9Q`; used in `cancel <id>`. */
  id: string;
  state: RequestState;
  createdAt: string;
  updatedAt: string;
  /** Approval deadline. */
  expiresAt: string;
  tenantId: string;
  requester: Person;
  target: TargetPerson;
  approver: ApproverAssignment;
  scenario: Scenario;
  reason: string;
  ticket?: string;
  settings: TapSettings;
  /** The tenant policy's default lifetime when the request was made: a longer pass stands out on the card. */
  policyDefaultLifetimeInMinutes?: number;
  /** Groups the TAP policy's scope named when the request was made (re-checked at approval in the same batch). */
  scopeGroupIds?: string[];
  /** True when the target had a TAP when the request was made: a new one replaces it. */
  replacesExistingTap: boolean;
  /** When the approval card reached the approvers; absent = a crash came between storing and asking (the sweep asks again). */
  approvalSentAt?: string;
  deliveryRecipient: DeliveryRecipient;
  /** The primary approver's decision. */
  decision?: Decision;
  /** Waiting for the approver: the one reminder, and the moment escalation found nobody left to move to (escalation.ts). */
  waiting?: { remindedAt?: string; nobodyLeftAt?: string };
  /**
   * A pass that starts days ahead is created (and its code delivered) at this instant,
   * shortly before it starts: the code is never stored, so it is made when it is needed.
   */
  scheduledIssueAt?: string;
  /** Elevated risk (see risk.ts): who else must approve (four eyes), and their decision. */
  secondApprover?: { ids: string[]; people: Person[] };
  secondDecision?: Decision;
  /** The evidence read when the request was made, shown to the approvers (never secret). */
  signals?: TargetSignals;
  /** The risk assessment made when the request was created. */
  /** `reasons` in English (audit, older records); `said` their meanings, one per reason, for a reader of another language. */
  risk?: { level: 'normal' | 'elevated'; reasons: string[]; rules: string[]; said?: StoredReason[] };
  issued?: IssuedFacts;
  delivery?: DeliveryFacts;
  /** Why it failed, in words safe to show (never the code). */
  /** `message` in English; `said` its meaning, for a reader of another language (read it with `reasonIn`, src/i18n/said.ts). */
  failure?: { code: string; message: string; said?: StoredReason };
  cancelledBy?: Person;
  /**
   * Revoked, reported or disputed (state stays Issued). `stopped` says what was deleted: this
   * request's own pass, a later pass the bot made that had replaced it, or nothing live.
   */
  /** `reason` in English (or as a person typed it); `said` its meaning when the bot wrote it (`reasonIn`, src/i18n/said.ts). */
  revocation?: { by: Person; at: string; reason?: string; said?: StoredReason; stopped?: StoppedPasses };
  /** Entra keeps one pass per user: a later pass (of this bot) replaced this one, which no longer works. */
  replacedBy?: { requestId: string; at: string };
  /** A party said the request looks like social engineering; security reads this in the audit. */
  suspicious?: { by: Person; at: string; reason: string; said?: StoredReason };
  /**
   * A strong sign-in method (Authenticator, passkey, Windows Hello) the user registered after
   * the pass was issued, as the registration follow-through saw it (followThrough.ts). `at`
   * is Graph's createdDateTime of the method.
   */
  registration?: { type: StrongMethodType; displayName?: string; at: string };
  /** Passkey onboarding: the user's membership of the onboarding group (onboarding.ts). */
  onboarding?: { groupId: string; addedAt: string; removedAt?: string; removedBecause?: OnboardingLeaveReason };
  /**
   * How the registration follow-through ended, claimed on the record before anyone is told,
   * so that of several instances exactly one tells. `passDeletedAt`: deleted early because
   * it was no longer needed.
   */
  followThroughResult?: { outcome: 'registered' | 'expiredUnregistered'; at: string; passDeletedAt?: string };
  /**
   * A member of a bulk request (BULK-…): one record per member pass, so every pass can be
   * seen (`status`), stopped (`revoke`, `report`, "This wasn't me") and told to its owner like
   * any other. It is decided with the bulk request, never on its own.
   */
  bulk?: { id: string; /** The member's manager: told of the pass, and may stop it. */ managerId?: string };
  /** Storage ETag; set by the repository. */
  eTag?: string;
}

/** What a stop deleted, read from the user's passes at that moment ("stop means stopped"). */
export interface StoppedPasses {
  /** Request ids whose passes were deleted (this one's, or later ones the bot made that replaced it). */
  deleted: string[];
  /** True when no pass of the bot's was live: nothing needed deleting. */
  nothingLive: boolean;
  /** Live passes the bot did not make (not deleted; named so nobody believes the user holds none). */
  otherLive?: number;
}

/** Methods whose registration is what a pass is for. */
export const STRONG_METHOD_TYPES = ['microsoftAuthenticator', 'fido2', 'windowsHelloForBusiness'] as const;
export type StrongMethodType = (typeof STRONG_METHOD_TYPES)[number];

/** Why the user left the onboarding group. */
export type OnboardingLeaveReason = 'registered' | 'revoked' | 'expired' | 'failed';

/** Which passes the follow-through deletes once a method is registered (FOLLOW_THROUGH_DELETE_PASS). */
export type FollowThroughDeletePass = 'recovery' | 'all' | 'none';

/** What the agent submits (chat command or form card). Validated by the flow. */
export interface NewRequestInput {
  target: string;
  reason: string;
  ticket?: string;
  scenario: Scenario;
  lifetimeInMinutes?: number;
  isUsableOnce?: boolean;
  startDateTime?: string;
  /** The start as the agent typed it on the form: a local date (YYYY-MM-DD) and time (HH:MM)… */
  startDate?: string;
  startTime?: string;
  /** …in this IANA zone (the agent's, from Teams; else the organisation's). */
  timeZone?: string;
}

export interface DecisionInput {
  action: 'approve' | 'deny';
  attestation?: string;
  attestationNote?: string;
  calledNumber?: string;
  denyReason?: string;
}

/**
 * The pass as delivered. Exists only in memory between the Graph response and the card.
 */
export interface DeliverablePass {
  temporaryAccessPass: string;
  startDateTime: string;
  expiresDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
}

/**
 * Port the workflow calls to reach people; implemented at the Teams edge (src/bot).
 * Implementations must never persist or log `pass.temporaryAccessPass`.
 */
export interface FlowNotifier {
  /** Send the approval card to every approver in `request.approver.ids`; `onlyTo`: to these of them only (a request that moved to them). */
  requestApproval(request: TapRequest, options?: { onlyTo?: readonly string[] }): Promise<void>;
  /** The request changed state: refresh the agent's status card and the approvers' cards, tell the requester of denial/expiry/failure. */
  requestUpdated(request: TapRequest): Promise<void>;
  /** Deliver the pass and the user guide to `request.delivery.recipientId`. */
  deliverPass(request: TapRequest, pass: DeliverablePass): Promise<void>;
  /** Remove the code from the delivered card (handover or pass expiry). */
  hidePass(request: TapRequest): Promise<void>;
  /** Tell the configured security contacts that a request was reported as suspicious. */
  reportSuspicious?(request: TapRequest): Promise<void>;
  /** Tell the account owner a pass was issued for them, with "This wasn't me" (never the code). */
  notifyOwner?(request: TapRequest, links: OwnerNoticeLinks): Promise<void>;
  /** A short plain sentence in the person's 1:1 chat (follow-through news), in their language and zone when given as a Sentence; never a code. */
  tell?(userId: string, message: string | Sentence): Promise<void>;
  /** A short message card in the person's 1:1 chat, in their language (reminders, a request that moved); never a code. */
  /** `message` gets the reader's catalogue and, when their client told it, their time zone. */
  notice?(userId: string, message: (say: Catalogue, timeZone?: string) => NoticeMessage): Promise<void>;
}

/** A message card's words (title, text) and tone. */
export interface NoticeMessage {
  title: string;
  text: string;
  tone: 'default' | 'warning' | 'attention';
}

/** Links in the owner's notice (ownerNotice.ts). */
export interface OwnerNoticeLinks {
  /** One-time "This wasn't me" link (needs no sign-in), when the bot has a public URL. */
  disputeUrl?: string;
  /** The code-free guide page. */
  guideUrl?: string;
}

/** What a scenario means for the pass (presets.ts holds the defaults). */
export interface ScenarioPreset {
  lifetimeInMinutes?: number;
  /** Absent: the bot's TAP_ONE_TIME default (recovery: one-time unless an admin said otherwise). */
  isUsableOnce?: boolean;
  /** Local time of day the pass starts when the agent gives a date but no time (newJoiner: 08:00). */
  startTime?: string;
  /** True when the pass should start later (a first day); the form asks for the date. */
  asksForStart: boolean;
  /** The scenario fails with a one-time pass (a passkey in Authenticator takes two sign-ins): it is never one-time. */
  multiUseOnly?: boolean;
}

export type ScenarioPresets = Record<Scenario, ScenarioPreset>;

/** What the workflow needs from the configuration (built from `Config` by `toFlowConfig`). */
export interface FlowConfig {
  tenantId: string;
  helpdeskGroupId: string;
  fallbackApproverGroupId?: string;
  protectedGroupId?: string;
  privilegedRoleTemplateIds: string[];
  tap: {
    /** Absent = the tenant policy's default; clamped into the policy's bounds. */
    defaultLifetimeInMinutes?: number;
    isUsableOnce: boolean;
    deliveryRecipient: DeliveryRecipient;
  };
  approvalTimeoutInMinutes: number;
  /** Reminding a silent approver and moving the request on (escalation.ts). Absent = off. */
  approvalWaiting?: ApprovalWaiting;
  /** Velocity limits, shared by every instance through storage; 0 turns one off. */
  limits: VelocityLimits;
  /** When one approval is not enough (see risk.ts). Absent = the defaults. */
  risk?: RiskRules;
  /** The organisation's IANA time zone: a first morning is 08:00 here (ORG_TIME_ZONE). Default UTC. */
  orgTimeZone?: string;
  /** What each scenario means for the pass (see presets.ts). Absent = the defaults. */
  presets?: ScenarioPresets;
  /** Telling the account owner of every pass (see ownerNotice.ts). Absent = off. */
  ownerNotice?: {
    enabled: boolean;
    /** Mailbox (UPN) the notice mail is sent from; absent = Teams only. */
    mailFrom?: string;
    /** Revoke the user's sign-in sessions when they say "This wasn't me". */
    revokeSessionsOnDispute: boolean;
    /** Where links in the notice point (the bot's public URL). */
    publicBaseUrl?: () => string | undefined;
  };
  /** Watching for the registration a pass is for (see followThrough.ts). Absent = off. */
  followThrough?: {
    /** Graph calls the follow-through may make per sweep, tenant-wide (checks and group removals). */
    checksPerSweep: number;
    deletePass: FollowThroughDeletePass;
  };
  /** Passkey onboarding: the group an onboarding Conditional Access policy targets (see onboarding.ts). */
  onboardingGroupId?: string;
  /** The approver's step-up sign-in before an approval counts (see decide/stepUp.ts). Absent = off. */
  stepUp?: StepUpPolicy;
}

export interface VelocityLimits {
  /** Requests one agent may make in a rolling hour. */
  requestsPerAgentPerHour: number;
  /** Approval cards one approver may have waiting at once. */
  openApprovalsPerApprover: number;
  /** Passes one person may be issued in a rolling 24 hours. */
  passesPerTargetPerDay: number;
}

/** Bounds and defaults the request form shows, read from the tenant policy. */
export interface FormPolicy {
  enabled: boolean;
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  /** The lifetime used when the agent leaves it empty. */
  defaultLifetimeInMinutes: number;
  /** True when the tenant forces one-time passes: the form hides the choice. */
  isUsableOnceForced: boolean;
  defaultIsUsableOnce: boolean;
  /** How far ahead a start date may be set. */
  maxStartInDays: number;
  approvalTimeoutInMinutes: number;
  /** What each scenario means on the form: its defaults, clamped to the policy. */
  scenarios: Record<Scenario, ScenarioFormDefaults>;
  /** The organisation's zone (the form uses the agent's own when Teams says it). */
  orgTimeZone: string;
}

export interface ScenarioFormDefaults {
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  /** One line for the form and the approval card, in English; `noteSaid` its meaning for any reader. */
  note: string;
  noteSaid?: StoredReason;
  /** Set when the scenario asks for a start: the default first day (YYYY-MM-DD) and time (HH:MM). */
  start?: { date: string; time: string };
}

export interface StatusFilter {
  targetUpn?: string;
}

export interface StatusView {
  /** Still in flight: PendingApproval, Approved, Issuing. Newest first. */
  open: TapRequest[];
  /** Finished requests, newest first (at most 10). */
  recent: TapRequest[];
}

export interface SweepResult {
  expired: number;
  codesHidden: number;
}
