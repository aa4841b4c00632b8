/**
 * Everything the bot says to a person, in English: one section per reader or surface.
 * This file is the shape every other language follows (`Catalogue`): a string missing in
 * another language is a compile error, not a blank line on a card.
 */
import { type GuideStrings, SECURITY_INFO_URL } from './guideStrings';
import { wordsIn, type Words } from './said';
import { writeInstant } from './time';

const guide: GuideStrings = {
  title: 'Set up how you sign in',
  subtitle: (name) => `For ${name}, with the Temporary Access Pass from the helpdesk`,
  intro: {
    recovery:
      'Lost your phone or locked out? The Temporary Access Pass gets you back in, so you can set up a new way to sign in.',
    newJoiner:
      'Welcome! Use the Temporary Access Pass to sign in for the first time and set up how you will sign in from now on.',
    passkeyOnboarding:
      'Use the Temporary Access Pass to add a passkey, so you can sign in without a password.',
  },
  facts: { account: 'Your account', validFrom: 'Valid from', validUntil: 'Valid until', use: 'Use' },
  startsWhenIssued: 'As soon as it is issued',
  usableOnce: 'One sign-in only',
  usableMany: 'As often as needed until it expires',
  stepsHeading: 'What to do',
  steps: {
    recovery: [
      `On a computer or your new phone, go to ${SECURITY_INFO_URL}`,
      'Sign in with your work account. When asked, enter the Temporary Access Pass instead of a password.',
      'Add Microsoft Authenticator and turn on phone sign-in, or add a passkey (in Authenticator or on a security key). Follow the steps on the screen.',
      'Sign out and sign in again with the new method to check that it works.',
    ],
    newJoiner: [
      `Go to ${SECURITY_INFO_URL}`,
      'Sign in for the first time with your work account. When asked, enter the Temporary Access Pass instead of a password.',
      'Set up Microsoft Authenticator with phone sign-in, or a passkey (in Authenticator or on a security key): this is how you sign in from now on.',
      'Sign out and sign in again with the new method to check that it works.',
    ],
    passkeyOnboarding: [
      'Install Microsoft Authenticator on your phone, if it is not there yet.',
      `Go to ${SECURITY_INFO_URL} and sign in with your work account. When asked, enter the Temporary Access Pass.`,
      'Choose Add sign-in method, then Passkey in Microsoft Authenticator. Authenticator asks you to sign in once more: enter the same pass again.',
      'Sign out and sign in again with the passkey to check that it works.',
    ],
  },
  usage: {
    once: 'The pass works for one sign-in only: do everything in one sitting, without signing out, and finish within about 10 minutes of signing in.',
    many: 'The pass works for several sign-ins until it expires. Adding a passkey in Microsoft Authenticator needs two of them.',
  },
  scenarioUsage: { recovery: 'once', newJoiner: 'once', passkeyOnboarding: 'many' },
  finishBy: (at) => `Finish before the pass expires: ${at}.`,
  finishWithin: (lifetime) => `Finish before the pass expires, ${lifetime} after it starts.`,
  troubleHeading: 'If it does not work',
  trouble: [
    'The pass has expired, or it was for one sign-in and is used up: ask the helpdesk for a new one.',
    '"You can\'t use this method": the pass may not be enabled for your account. Contact the helpdesk.',
  ],
  doNotShare: 'Do not share the pass with anyone. It opens your account, and nobody from IT will ask you for it.',
  onYourPhone: (url) => `This guide on your phone: ${url}`,
  page: { language: 'English', otherLanguage: 'Dansk', noPersonalData: 'This page is the same for everyone: it holds no personal data and no pass.' },
};


/** The approver's step-up sign-in: the held-approval card and the pages the sign-in ends on. */
const stepUp = {
  card: {
    title: 'Confirm it is you',
    held: (requestId: string, minutes: number) =>
      `Your approval of ${requestId} is held, not applied: confirm it with a fresh sign-in in your browser within ${minutes} minutes. Only a sign-in as you counts.`,
    after: 'Sign in opens the sign-in in your browser. When you have signed in, come back here and choose Back: this card then shows the outcome.',
    signIn: 'Sign in',
    back: 'Back',
  },
  page: {
    appliedTitle: 'Your approval is confirmed',
    applied: (requestId: string) => `Your sign-in confirmed your approval of ${requestId}. Go back to Teams: the request's cards show what happens next.`,
    waitingTitle: 'Your approval is recorded',
    waiting: (requestId: string) => `Your sign-in confirmed your approval of ${requestId}; it needs a second approval before a pass is created. Go back to Teams.`,
    refusedTitle: 'Nothing was approved',
    unknownLink: 'This sign-in link is not valid. Go back to Teams and click Approve again.',
    used: 'This sign-in link was already used, and it approves nothing a second time. Go back to Teams to see how the request stands.',
    expired: (minutes: number) => `The link works for ${minutes} minutes after you click Approve, and that time has passed. Go back to Teams and click Approve again.`,
    otherUser: 'You signed in as someone other than the approver who clicked Approve. Go back to Teams, click Approve again and sign in with your own account.',
    otherTenant: "You signed in with an account from another organisation. Go back to Teams, click Approve again and sign in with your work account.",
    noContext: 'Your sign-in did not meet the stronger sign-in your organisation requires for approvals (for example a passkey). Go back to Teams, click Approve again and complete that step.',
    stale: (minutes: number) => `Your sign-in was not fresh: it must have happened within the last ${minutes} minutes. Go back to Teams, click Approve again and sign in when asked.`,
    notThisApproval: 'This sign-in does not belong to the approval it came back to. Go back to Teams and click Approve again.',
    signInFailed: 'The sign-in did not finish. Go back to Teams and click Approve again.',
    requestClosed: (requestId: string) => `Request ${requestId} no longer waits for your decision: it was decided, withdrawn or has expired. Go back to Teams to see how it stands.`,
    notYours: (requestId: string) => `Request ${requestId} is not yours to decide now. Go back to Teams to see how it stands.`,
    notApplied: (requestId: string) => `Your approval of ${requestId} could not be applied. Go back to Teams and look at the request before you try again.`,
  },
};

/**
 * The Teams chat (src/bot): replies to commands, notices sent on the bot's own initiative,
 * and what a refused card action says. Command words (`tap`, `status`, `cancel`, `revoke`,
 * `report`, `pending`, `help`), request ids, UPNs and URLs are the same in every language:
 * the bot understands one set of commands, and an example must work when typed.
 */
const chat = {
  unknownSender: "I can't tell who you are from this message, so I can't help here. Open the TAP helpdesk bot in Teams and try again.",
  unknownClicker: "I can't tell who clicked, so I can't act on it.",
  tooLong: 'That message is too long for me. I understand short commands such as `tap megan@contoso.com`, `status` or `help`.',
  groupNotice:
    "I handle Temporary Access Passes only in a 1:1 chat, so that nothing about a person's account is shared with a group. Open a chat with me (TAP Helpdesk) to ask for, approve or check a pass.",
  notUnderstood: "I didn't understand that. Here is what I can do:",
  refusedTitle: "I can't do that",
  notSetUpTitle: 'Not set up',
  bulkNotSetUp: 'Passes for a whole group are not set up in this bot. Ask the IT admin (it needs BULK_APPROVER_GROUP_ID or FALLBACK_APPROVER_GROUP_ID).',
  tapOffTitle: 'Temporary Access Pass is turned off',
  tapOff: "Temporary Access Pass is turned off in this organization's authentication methods policy, so I can't issue one. Ask your IT admin to enable it.",
  onlyTeams: 'This bot works only in Microsoft Teams.',
  onlyOwnOrganization: 'This bot only serves its own organization.',
  turnFailed: (ref: string) =>
    `Something went wrong on our side (ref ${ref}). Send \`status\` to see where your request stands before you try again: a pass may already have been created. If you need help, give this reference to your IT admin.`,
  /** Before the form: who the person is, who decides, or why there is no pass. */
  preview: {
    noPassFor: (who: string) => `No pass for ${who}`,
    noUser: (typed: string) => `No user ${typed} was found.`,
    manager: (name: string) => `Manager: ${name}.`,
    noManager: 'No manager set.',
    replaces: 'They already have a pass: a new one replaces it.',
  },
  /** A command typed without the id it needs: its one line, not the whole help. */
  usage: {
    cancel: 'Type `cancel` and the request id, e.g. `cancel TAP-7K3F9Q`, to cancel a request that is still waiting for approval (`cancel BULK-…` stops a group request).',
    revoke: 'Type `revoke` and the request id, e.g. `revoke TAP-7K3F9Q`, to delete a pass that was issued, so it no longer works (`revoke BULK-…` stops every pass of a group request).',
    report: 'Type `report`, the request id and why, e.g. `report TAP-7K3F9Q the caller did not know her manager`, to report a request as suspicious.',
    title: (command: string) => `How to use ${command}`,
    /** "TAP-7K3F9Q (Megan Bowen)", … */
    choose: (requests: string) => `Yours to choose from: ${requests}.`,
  },
  /** What is missing or wrong on the request form, before the workflow sees it. */
  form: {
    target: 'Enter the user principal name (e.g. megan@contoso.com) of the person who needs the pass.',
    reason: 'Enter a reason.',
    scenario: 'Choose a scenario.',
    lifetime: 'Lifetime must be a whole number of minutes.',
    lifetimeNotChosen: 'Choose how long the pass works.',
    scenarioDefaultsFilled: (scenario: string) => `You chose ${scenario} in the list: its settings are now filled in below. Check them, then send again.`,
  },
  statusTitle: 'Your TAP requests',
  statusTitleFor: (upn: string) => `TAP requests for ${upn}`,
  cancelled: { title: (id: string) => `${id} cancelled`, text: (who: string) => `The request for ${who} is cancelled.` },
  revoked: {
    title: (id: string) => `${id}: stopped`,
    withdrawnTitle: (id: string) => `${id}: withdrawn before it was made`,
    withdrawn: (who: string) => `The pass for ${who} will not be made.`,
    /** The card action's answer when the person has no card of the request to get back. */
    cardTitle: (id: string) => `${id}: pass revoked`,
    cardText: 'The pass no longer works.',
  },
  bulkRevoked: {
    title: (id: string) => `${id}: passes stopped`,
    deleted: (count: number) => (count === 1 ? '1 pass was deleted in Entra ID and no longer works.' : `${count} passes were deleted in Entra ID and no longer work.`),
    noneDeleted: 'No pass was deleted.',
    nothingLive: (count: number) => `${count} had no live pass any more (expired, used, replaced or stopped before).`,
    notStopped: (ids: string) => `Could not be stopped now, try again: ${ids}.`,
    nothingMore: 'Nothing more will be made for this request.',
  },
  reported: {
    title: (id: string) => `${id} reported as suspicious`,
    revoked: (name: string) => `Thank you. The request for ${name} is recorded as suspicious and its pass was revoked; the security contacts are told.`,
    stopped: (name: string) => `Thank you. The request for ${name} is recorded as suspicious and it was stopped; the security contacts are told.`,
    flagged: (name: string) => `Thank you. The request for ${name} is recorded as suspicious; the security contacts are told.`,
    cardTitle: (id: string) => `${id} reported`,
    cardText: 'Thank you: the request is stopped and the report is in the audit trail.',
  },
  pending: {
    noneTitle: 'Nothing waits for you',
    none: 'No Temporary Access Pass request is waiting for your decision.',
    title: (count: number) => `Waiting for your decision (${count})`,
  },
  /** Answers to card clicks that cannot be acted on (shown by Teams on the card). */
  card: {
    unsupported: 'This card action is not supported.',
    onlyOwnActions: 'This bot only answers its own card actions.',
    noRequest: 'This card does not name a request.',
    noPage: 'This card does not name a result page.',
    pageGone: 'That result page no longer exists.',
    notYours: 'This request is not yours to see.',
    notYoursId: (id: string) => `Request ${id} is not yours to see.`,
    checkForm: 'Check the form.',
    notAvailable: 'Not available',
    notFoundTitle: 'Request not found',
    notFound: (id: string) => `I can't find request ${id}.`,
    /** The change is stored, but the card could not be drawn again. */
    notRefreshedTitle: (id: string) => `${id}: saved`,
    notRefreshedIssued: 'The pass was issued; this card could not be refreshed. Type `status` to see the request.',
    notRefreshed: (id: string) => `Request ${id} was updated; this card could not be refreshed. Type \`status\` to see the request.`,
  },
  /** Sent on the bot's own initiative: to approvers, the agent, the account owner, security. */
  notice: {
    preparingTitle: (name: string) => `Preparing the pass for ${name}`,
    preparing: (id: string, who: string) =>
      `Request ${id}: the Temporary Access Pass for ${who} appears on this card in a moment. If it does not, nobody was given a pass, and you will get a message saying what to do.`,
    notDeliveredTitle: (id: string) => `${id}: the pass could not be delivered`,
    notDelivered: (who: string) =>
      `The Temporary Access Pass for ${who} could not be shown here, so it is being deleted and nobody can use it. You will get a message saying what to do.`,
    codeRemovedTitle: (id: string) => `${id}: the code was removed from this card`,
    codeRemoved: (who: string) => `The Temporary Access Pass for ${who} was not handed out, and its code is no longer shown.`,
    revokedTitle: (id: string) => `${id}: the pass was revoked`,
    /** `by` is empty when the record does not name who revoked it; `at` is written in the reader's zone. */
    revoked: (by: string, who: string, at: string) => `${by || 'A party to the request'} revoked the Temporary Access Pass of ${who} on ${at}; it no longer works.`,
    reason: (reason: string) => `Reason: ${reason}`,
    deniedTitle: (id: string) => `${id} was denied`,
    denied: (by: string, who: string) => `${by || 'The approver'} denied the Temporary Access Pass for ${who}. Nothing was issued.`,
    expiredTitle: (id: string) => `${id} expired`,
    expired: (who: string) => `Nobody decided on the Temporary Access Pass for ${who} in time. Nothing was issued; start a new request if it is still needed.`,
    failedTitle: (id: string) => `${id} failed`,
    failed: (who: string) => `The Temporary Access Pass for ${who} could not be issued.`,
    ownerSummary: (requester: string) => `A Temporary Access Pass was issued for your account (asked by ${requester}).`,
    noRecipient: 'This request has no delivery recipient, so the pass could not be delivered.',
    /** `names` already joined: "Nestor Wilke", "Nestor Wilke and Lee Gu". */
    unreachable: (names: string, many: boolean) =>
      `${names} ${many ? "haven't" : "hasn't"} opened the TAP helpdesk bot in Teams yet, so I can't reach them. Ask them to open it once (search for the app in Teams), then try again.`,
    someone: 'The approver',
    and: 'and',
  },
  /** The security contacts' alert when a party reports a request as suspicious. */
  suspicious: {
    title: (id: string) => `Suspicious TAP request ${id}`,
    /** `reason` is quoted as typed; the sentence adds no punctuation after the closing quote when it ends in its own. */
    reported: (by: string, id: string, reason: string) => `${by || 'A party to the request'} reported request ${id} as suspicious: "${reason}"${/[.!?…]$/.test(reason) ? '' : '.'}`,
    asked: (requester: string, who: string, state: string) => `It was asked by ${requester} for ${who}; ${state}.`,
    /** What the report did, or found. */
    state: {
      revoked: 'its pass was revoked',
      stopped: 'it is stopped, and no pass was made for it',
      issuing: 'it was being issued, so a pass made for it is deleted instead of handed out',
      denied: 'it had already been denied',
      expired: 'it had already expired',
      failed: 'it had already failed',
    },
    /** The last sentence: what a Teams reader can do in Teams. */
    inTeams: (upn: string, name: string) => `In this chat, a helpdesk agent can type \`status ${upn}\` to see every request for ${name}.`,
  },
  bulk: {
    approvalSummary: (requester: string, count: number, group: string) => `${requester} asks for ${count} ${count === 1 ? 'pass' : 'passes'} for ${group}`,
    pageSummary: (id: string, count: number, group: string, page: number) => `${id}: ${count} ${count === 1 ? 'pass' : 'passes'} for ${group} (page ${page})`,
    unreachable: (names: string) => `None of the bulk approvers (${names}) has opened the TAP bot in Teams yet, so I can't reach them.`,
  },
};

/** The one way a time is written in a sentence: the reader's zone, named; UTC only when it is unknown. */
const time = (iso: string, zone?: string): string =>
  writeInstant(iso, zone, 'en-GB', (p) => `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}${p.zone}`);

/** 45 → "45 minutes", 480 → "8 hours", 2880 → "2 days". */
const duration = (minutes: number): string => {
  const count = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes >= 1440 && minutes % 1440 === 0) return count(minutes / 1440, 'day');
  if (minutes >= 60 && minutes % 60 === 0) return count(minutes / 60, 'hour');
  return count(minutes, 'minute');
};

const or = (names: readonly string[]): string => names.join(' or ');
const w = (words: Words, zone?: string): string => wordsIn(en, words, zone);

const GRAPH_ACTION = {
  getUser: 'read users',
  getManager: "read users' managers",
  memberGroups: 'check group membership',
  directoryRolesHeld: "check users' directory roles",
  getTapPolicy: 'read the Temporary Access Pass policy',
  listTaps: "read users' Temporary Access Passes",
  createTap: 'create Temporary Access Passes',
  deleteTap: 'delete Temporary Access Passes',
  listGroupUsers: 'list group members',
  sendMail: 'send mail from the configured mailbox',
  revokeSignInSessions: "revoke users' sign-in sessions",
  listAuthenticationMethods: "read users' registered sign-in methods",
  addGroupMember: 'add people to the passkey onboarding group',
  removeGroupMember: 'remove people from the passkey onboarding group',
  automaticReplies: "read approvers' automatic replies (out of office)",
};
/** The Graph operations a person may read about. */
type GraphOperationName = keyof typeof GRAPH_ACTION;

const NO_SUCH_USER = 'No such user was found in the directory.';
const GRAPH_NOT_FOUND: Record<GraphOperationName, string> = {
  getUser: 'No such user was found in the directory. Check the user principal name.',
  getManager: NO_SUCH_USER,
  memberGroups: 'No such user or group was found in the directory.',
  directoryRolesHeld: NO_SUCH_USER,
  getTapPolicy: 'The Temporary Access Pass policy was not found in this tenant.',
  listTaps: NO_SUCH_USER,
  createTap: NO_SUCH_USER,
  deleteTap: 'That Temporary Access Pass no longer exists.',
  listGroupUsers: 'The configured group was not found in the directory. Ask the IT admin to check its object id.',
  sendMail: 'The mailbox the bot sends from (OWNER_NOTICE_MAIL_FROM) was not found.',
  revokeSignInSessions: NO_SUCH_USER,
  listAuthenticationMethods: NO_SUCH_USER,
  addGroupMember: 'The onboarding group (ONBOARDING_GROUP_ID) or the user was not found in the directory. Ask the IT admin to check the group id.',
  removeGroupMember: 'The user is not a member of the onboarding group.',
  automaticReplies: 'The user has no mailbox, so their automatic replies cannot be read.',
};

/** What holds a person's one open request, as facts (flow/gate/openRequestLock.ts). */
export interface HolderFacts {
  /** A single request (TAP-…) or a bulk request (BULK-…) for a group. */
  group?: string;
  requester?: string;
  /** waiting: for a decision; scheduled: approved, made at `makesAt`; issuing: being made now; creating: being stored right now. */
  stage: 'waiting' | 'scheduled' | 'issuing' | 'creating';
  approvers?: string[];
  makesAt?: string;
}

/** Why a person is outside the TAP policy's scope (flow/gate/policyScope.ts). */
export type ScopeGap =
  | { kind: 'excludesAll' }
  | { kind: 'excludesUser' }
  | { kind: 'excludedGroup'; group: string }
  | { kind: 'onlyGroups'; groups: string[] }
  | { kind: 'includesNobody' };

/** How a person may sign in today, as the bulk gate names it (flow/gate/enrolment.ts). */
const METHOD_WORDS: Record<string, string> = {
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'a passkey',
  windowsHelloForBusiness: 'Windows Hello for Business',
  phone: 'a phone number for sign-in',
  softwareOath: 'an authenticator app code',
  email: 'an email method',
  platformCredential: 'a platform credential',
  qrCodePin: 'a QR code sign-in',
};

/** Bulk refusals counted by kind: "3 guest(s), 1 without a manager". */
const REFUSAL_WORDS: Record<string, string> = {
  targetIsGuest: 'guest(s)',
  targetIsSelf: 'yourself',
  targetPrivileged: 'administrator(s)',
  targetProtected: 'protected account(s)',
  targetDisabled: 'disabled account(s)',
  targetOutOfPolicyScope: 'outside the TAP policy',
  targetNotFound: 'no longer in the directory',
  noManager: 'without a manager',
  openRequest: 'with another request open',
  hasSignInMethod: 'already able to sign in (a recovery is asked for one at a time)',
  holdsPass: 'already holding a pass',
  methodsUnknown: 'whose sign-in methods could not be read',
  riskElevated: 'at elevated risk (asked for one at a time)',
  limitReached: 'at the daily pass limit',
  approverIsTarget: 'the approver',
  policyDisabled: 'TAP turned off',
};

/** How an approver confirmed who they were dealing with, as the account owner reads it. */
const CONFIRMED_BY: Record<string, string> = {
  videoCall: 'a video call',
  inPerson: 'meeting you in person',
  knownNumberCall: 'calling you on a number they already knew',
  other: 'other means',
};

/** The strong methods whose registration ends a pass's follow-through. */
const STRONG_METHOD_WORDS: Record<string, string> = {
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'a passkey',
  windowsHelloForBusiness: 'Windows Hello for Business',
};

const ASK_ONE_BY_ONE = 'needs a single request, so their manager confirms who they are';
const NOTHING_CREATED = 'No pass was created.';
const otherPassLive = (who: string): string =>
  ` ${who} does hold a pass the bot did not make (from the Entra admin center or another tool); it was not touched: an identity admin should check it.`;

function holder(h: HolderFacts, zone?: string): string {
  if (h.stage === 'creating') return 'being made right now';
  const how =
    h.stage === 'waiting'
      ? h.group !== undefined ? 'waiting for the bulk approvers' : `waiting for ${or(h.approvers ?? [])}`
      : h.stage === 'scheduled'
        ? h.makesAt ? `approved, the pass is made on ${time(h.makesAt, zone)}` : 'approved, the pass is made shortly before it starts'
        : 'being issued now';
  const asked = h.requester ? `asked by ${h.requester}, ` : '';
  return h.group !== undefined ? `passes for the group ${h.group}, ${asked}${how}` : `${asked}${how}`;
}

function scopeGap(gap: ScopeGap): string {
  switch (gap.kind) {
    case 'excludesAll':
      return 'the policy excludes all users';
    case 'excludesUser':
      return 'the policy excludes them by name';
    case 'excludedGroup':
      return `they are in the group ${gap.group}, which the policy excludes`;
    case 'onlyGroups':
      return `the policy only includes the group${gap.groups.length === 1 ? '' : 's'} ${gap.groups.join(', ')}, and they are in none of them`;
    case 'includesNobody':
      return 'the policy includes nobody';
  }
}

/**
 * Refusals and errors of the workflow core and the Graph gateway: each entry takes its values
 * as one object, so a refusal can be stored as its meaning (src/i18n/said.ts) and read later.
 */
const errors = {
  // Who asks
  noActorId: () => "I can't tell who you are from this message (no Entra object id), so I can't act on it.",
  notHelpdeskAgent: () => 'Only members of the helpdesk group can request a Temporary Access Pass. If you should have access, ask your IT admin to add you.',
  wrongTenant: () => 'This bot only serves its own organisation.',

  // The person the pass is for
  policyDisabled: () =>
    "Temporary Access Pass is turned off in this tenant's authentication methods policy, so no pass can be issued. Ask your identity admin to enable it (Entra admin center > Authentication methods > Temporary Access Pass).",
  targetNotFound: (p: { who: string; suggestions?: string[] }) =>
    `No user ${p.who} in the directory: check the spelling.${p.suggestions && p.suggestions.length > 0 ? ` Did you mean ${or(p.suggestions)}?` : ''}`,
  notASignInName: (p: { typed: string; suggestions: string[] }) => `"${p.typed}" is a name, not a sign-in name. Did you mean ${or(p.suggestions)}? Type it as tap megan@contoso.com.`,
  mailOfSeveral: (p: { who: string; names: string[] }) => `${p.who} is the mail address of more than one person (${p.names.join(', ')}). Use their sign-in name.`,
  targetIsGuest: (p: { who: string }) =>
    `${p.who} is an external guest. Guests sign in with their home organisation, and Entra ID cannot give them a Temporary Access Pass here; their own IT team has to help them.`,
  targetIsSelf: () => 'You cannot request a pass for yourself. Ask another helpdesk agent to handle it, so a second person checks.',
  targetPrivileged: (p: { who: string }) => `${p.who} holds or can activate an administrator role; TAPs for privileged accounts are issued by the identity team, not the helpdesk.`,
  targetProtected: (p: { who: string }) => `${p.who} is in the protected accounts group; passes for these accounts are issued by the identity team, not the helpdesk.`,
  targetDisabled: (p: { who: string }) => `The account of ${p.who} is disabled, so a pass would not let them sign in. Ask an admin to re-enable the account first.`,
  targetOutOfPolicyScope: (p: { who: string; gap?: ScopeGap }) =>
    `${p.who} is not in the scope of this tenant's Temporary Access Pass policy${p.gap ? ` (${scopeGap(p.gap)})` : ''}, so Entra ID would refuse the pass. Ask your identity admin to add them (or a group they are in) to the policy's targets, or remove them from its exclusions.`,

  // Who decides
  noApproverNoFallback: (p: { who: string }) =>
    `Nobody can approve a pass for ${p.who}: they have no manager who could decide, and no fallback approver group is configured. Ask your IT admin to set their manager in Entra ID, or to configure FALLBACK_APPROVER_GROUP_ID.`,
  noApproverInFallback: (p: { who: string }) =>
    `Nobody can approve a pass for ${p.who}: they have no manager who could decide, and the fallback approver group has no member who could decide (you and they do not count). Ask your IT admin to set their manager or to add approvers to the fallback group.`,
  riskElevated: (p: { who: string; reasons: Words[]; secondGroupMissing: boolean }, zone?: string) =>
    `This request needs more than the helpdesk can approve: ${p.reasons.map((r) => w(r, zone)).join(' ')} Ask the identity team to verify ${p.who} and issue the pass${p.secondGroupMissing ? ' (no second approver group is configured: SECOND_APPROVER_GROUP_ID)' : ''}.`,
  noSecondApprover: (p: { reasons: Words[] }, zone?: string) =>
    `This request needs a second approver. ${p.reasons.map((r) => w(r, zone)).join(' ')} But the second approver group has nobody who could decide (you, they and the first approver do not count). Ask your IT admin.`,

  // The pass's settings
  passkeyNeedsMultiUse: () =>
    "Passkey onboarding needs a pass that works for two sign-ins, but this tenant's Temporary Access Pass policy makes every pass one-time, so it would fail half-way. Ask your identity admin to allow multi-use passes (Entra admin center > Authentication methods > Temporary Access Pass), or use the recovery scenario.",
  lifetimeOutsidePolicy: (p: { min: number; max: number; asked: number }) =>
    `This tenant's policy allows a pass to last between ${duration(p.min)} and ${duration(p.max)} (${p.min}–${p.max} minutes); ${p.asked} minutes is outside that. Pick a lifetime in that range, or leave it empty for the default.`,

  // What was typed
  upnMissing: () => 'Say who the pass is for: their sign-in name, like megan@contoso.com.',
  upnTooLong: (p: { upn: string; max: number }) => `"${p.upn}" is too long for a sign-in name (at most ${p.max} characters).`,
  upnBadCharacters: (p: { upn: string }) => `"${p.upn}" contains spaces or characters a sign-in name cannot have; type it like megan@contoso.com.`,
  upnNotUpn: (p: { upn: string }) => `"${p.upn}" is not a sign-in name; type it like megan@contoso.com.`,
  upnHiddenCharacter: (p: { upn: string }) => `"${p.upn}" holds a character nobody can see (shown here as ?), often pasted along with the name: type the sign-in name again by hand, like megan@contoso.com.`,
  upnLookAlike: (p: { upn: string; character: string; code: string }) =>
    `"${p.upn}" holds "${p.character}" (${p.code}), a character that only looks like a Latin letter; sign-in names are plain letters and digits. Type it again by hand, like megan@contoso.com.`,
  reasonTooShort: (p: { min: number }) => `Give a reason of at least ${p.min} characters (what happened, e.g. "lost phone, new device").`,
  reasonTooLong: (p: { max: number; has: number }) => `Keep the reason under ${p.max} characters (it has ${p.has}); put details in the ticket.`,
  ticketInvalid: () => 'A ticket number is up to 40 letters, digits, #, _, . or - (e.g. INC-12345).',
  scenarioInvalid: (p: { choices: string[] }) => `Choose a scenario: ${p.choices.join(', ')}.`,
  lifetimeNotWhole: () => 'The lifetime must be a whole number of minutes, e.g. 60.',
  lifetimeOutOfRange: (p: { min: number; max: number; given: number }) => `The lifetime must be between ${p.min} and ${p.max} minutes (you gave ${p.given}).`,
  usableOnceNotYesNo: () => 'One-time use must be yes or no.',
  startNotReal: (p: { zone: string }) => `The start must be a real date (YYYY-MM-DD) and time (HH:MM) in ${p.zone}.`,
  startNeedsZone: () => 'The start must be a date and time with a time zone, e.g. 2025-03-01T09:00:00Z.',
  startInPast: (p: { at: string; zone?: string }, zone?: string) =>
    `The start, ${time(p.at, zone ?? p.zone)}, is in the past; leave it empty to start the pass as soon as it is issued.`,
  startTooFar: (p: { days: number }) => `The start can be at most ${p.days} days ahead.`,
  chooseApproveOrDeny: () => 'Choose Approve or Deny.',
  denyReasonTooLong: (p: { max: number }) => `Keep the reason for denying under ${p.max} characters.`,
  attestationRequired: () => 'Before approving, say how you verified it is really them: video call, in person, or a call to a number you already knew.',
  attestationChoose: (p: { choices: string[] }) => `Choose how you verified the person: ${p.choices.join(', ')}.`,
  attestationOtherNeedsNote: () => 'You chose "other": describe how you verified the person.',
  attestationNoteTooLong: (p: { max: number }) => `Keep the verification note under ${p.max} characters.`,
  calledNumberOnFile: (p: { numbers: string[] }) => `Say which number on file you called (${or(p.numbers)}). Never call back a number the caller gives you.`,
  reportNeedsReason: (p: { max: number }) => `Say in a few words (3 to ${p.max} characters) what makes this request suspicious; the security team reads it.`,

  // One open request per person
  duplicateBeingMade: (p: { who: string }) => `Another request for ${p.who} is being made right now. Check "status ${p.who}" in a minute before asking again.`,
  duplicateRequest: (p: { id: string; who: string; holder: HolderFacts; next: 'waitForBulk' | 'askRequester' | 'withdraw' | 'wait'; bulkId?: string; requester?: string }, zone?: string) => {
    const next =
      p.next === 'waitForBulk'
        ? `Wait for it: it is part of ${p.bulkId ?? p.id}, whose requester can stop it ("cancel ${p.bulkId ?? p.id}").`
        : p.next === 'askRequester'
          ? `Wait for it, or ask its requester to withdraw it ("cancel ${p.id}") first.`
          : p.next === 'withdraw'
            ? `Wait for it, or withdraw it with "cancel ${p.id}" first (${p.requester ?? 'its requester'} can).`
            : 'Wait for it: it is being made right now.';
    return `There is already an open request ${p.id} for ${p.who} (${holder(p.holder, zone)}). ${next}`;
  },
  approverUnreachable: (p: { names: string[]; id: string }) =>
    `The approval request could not be delivered to ${p.names.join(', ')} in Teams, so ${p.id} was closed. Ask the approver to open the TAP bot in Teams once, then request the pass again.`,

  // Limits
  agentHourlyLimit: (p: { max: number; resetsAt: string }, zone?: string) =>
    `You have made ${p.max} pass requests in the last hour, the most this bot allows one agent. You can ask again after ${time(p.resetsAt, zone)}. If many people really need a pass now (for example a group of new joiners), ask your identity team.`,
  approverQueueFull: (p: { who?: string; max: number; oldestExpiresAt?: string }, zone?: string) =>
    `${p.who ?? 'The approver'} already has ${p.max} pass requests waiting for a decision, the most this bot sends one approver at once. Wait until they decide some${p.oldestExpiresAt ? ` (the oldest expires on ${time(p.oldestExpiresAt, zone)})` : ''}, or ask your identity team if it cannot wait.`,
  targetDailyLimit: (p: { who: string; max: number; resetsAt: string }, zone?: string) =>
    `${p.who} has been issued ${p.max} passes in the last 24 hours, the most this bot allows for one person. Another is possible after ${time(p.resetsAt, zone)}; if it cannot wait, the identity team can issue one in the Entra admin center.`,

  // Deciding, withdrawing, handing over
  requestNotFound: (p: { id: string }) => `There is no request ${p.id}. Check the id, or type "status" to see your requests.`,
  tooBusy: () => 'Too many changes arrived at the same moment; please try again.',
  notYoursToCancel: (p: { id: string }) => `Request ${p.id} is not yours to cancel: only the helpdesk agent who asked for it can.`,
  onlyRecipientHandsOver: (p: { id: string }) => `Only the person who received the pass of request ${p.id} can mark it handed over.`,
  codeNoLongerWorks: (p: { id: string; replacedBy?: string }) =>
    `The code of ${p.id} no longer works: ${p.replacedBy ? `a later pass (${p.replacedBy}) replaced it` : 'it was stopped'}. Do not hand it over.`,
  expiredBeforeClick: (p: { id: string; expiredAt: string; clickedAt: string; minutes: number }, zone?: string) =>
    `Request ${p.id} expired on ${time(p.expiredAt, zone)}, before it was approved; you clicked on ${time(p.clickedAt, zone)}, ${p.minutes} minute${p.minutes === 1 ? '' : 's'} later. No pass was created; the helpdesk can ask again.`,
  secondApprovalNeeded: (p: { id: string; from: string[] }) =>
    `Your approval of ${p.id} is recorded. It needs a second approval${p.from.length > 0 ? `, from ${or(p.from)}` : ''}, before the pass is created.`,
  approvalGivenByOthers: (p: { id: string; by?: string; waitingFor: string[] }) =>
    `The approval you were asked for on ${p.id} was already given by ${p.by || 'someone else'}; ${p.waitingFor.length > 0 ? `it now waits for ${or(p.waitingFor)}` : 'it now waits for the other approver'}.`,
  decidedWithBulk: (p: { id: string; bulkId?: string }) => `Request ${p.id} is part of ${p.bulkId ?? 'a bulk request'}; it is decided with that request, not on its own.`,
  notYoursToDecide: (p: { id: string }) => `Request ${p.id} is not yours to decide.`,
  alreadyApproved: (p: { id: string; by?: string }) => `Request ${p.id} was already approved${p.by ? ` by ${p.by}` : ''}.`,
  alreadyDenied: (p: { id: string; by?: string }) => `Request ${p.id} was already denied${p.by ? ` by ${p.by}` : ''}.`,
  alreadyExpired: (p: { id: string }) => `Request ${p.id} expired before anyone decided; the helpdesk can ask again.`,
  alreadyCancelled: (p: { id: string; by?: string }) => `Request ${p.id} was cancelled by ${p.by ?? 'the requester'}.`,
  alreadyFailed: (p: { id: string; why?: Words }, zone?: string) => `Request ${p.id} has failed: ${p.why !== undefined ? w(p.why, zone) : 'see the request card'}.`,
  stillPending: (p: { id: string }) => `Request ${p.id} is still waiting for approval.`,

  // Stopping a pass
  notYoursToStop: (p: { id: string }) => `Request ${p.id} is not yours: only the agent who asked, its approver or whoever received the pass can act on it.`,
  nothingToRevoke: (p: { id: string; state: string }) => `Request ${p.id} has no pass to revoke (it is ${p.state}).`,
  revokeFailed: (p: { who: string; why: Words }, zone?: string) =>
    `The pass of ${p.who} could not be revoked (${w(p.why, zone)}). It may still work until it expires; try again, or an admin can delete it in the Entra admin center.`,
  notYoursToDispute: (p: { id: string }) => `Request ${p.id} is not yours: only the person the pass is for can say it was not them.`,
  disputeStillRunning: () => 'Your pass is being stopped by an attempt that started a moment ago, or that attempt could not finish. Press the button again in a minute.',

  // Bulk passes for a group
  groupNameMissing: () => 'Name the group: its display name as Entra ID shows it, or its object id.',
  groupNameTooLong: (p: { max: number }) => `A group name is at most ${p.max} characters.`,
  bulkNotConfigured: () => 'Bulk passes need an approver group: ask the IT admin to set BULK_APPROVER_GROUP_ID (or FALLBACK_APPROVER_GROUP_ID).',
  bulkTooLarge: (p: { group: string; max: number }) =>
    `${p.group} has more than ${p.max} members, the most one bulk request may cover (BULK_MAX_MEMBERS). Split it into smaller groups, or ask the IT admin to raise the limit.`,
  bulkEmpty: (p: { group: string; nestedGroups: number }) =>
    `${p.group} has no user members, so there is nobody to give a pass to.${p.nestedGroups > 0 ? ` It has ${p.nestedGroups} nested group(s), which are not counted (BULK_INCLUDE_NESTED=false).` : ''}`,
  bulkNoApprover: () => 'Nobody but you is in the bulk approver group, so nobody can approve this. Ask the IT admin to add a second person to it.',
  bulkNobodyEligible: (p: { group: string; refused: Array<[string, number]> }) =>
    `Nobody in ${p.group} can get a pass: ${p.refused.map(([code, n]) => `${n} ${REFUSAL_WORDS[code] ?? code}`).join(', ')}.`,
  groupNotFound: (p: { typed: string }) => `No group "${p.typed}" in the directory. Use its exact display name as Entra ID shows it, or its object id.`,
  groupAmbiguous: (p: { typed: string; ids: string[] }) => `${p.ids.length} groups are called "${p.typed}": ${p.ids.join(', ')}. Ask again with the object id of the one you mean.`,
  bulkTooEarly: (p: { startsAt: string }, zone?: string) =>
    `These passes start on ${time(p.startsAt, zone)}, more than an hour from now, and the command line creates them at once. Run it within the hour before they start (for example from a scheduled task), or ask in Teams with "tap group", where the bot makes them on the morning.`,
  bulkNotFound: (p: { id: string }) => `There is no bulk request ${p.id}.`,
  bulkNotYours: (p: { id: string; to: 'decide' | 'cancel' | 'change' }) => `Request ${p.id} is not yours to ${p.to}.`,
  bulkAskedBySelf: () => 'You asked for these passes, so someone else has to approve them.',
  bulkApproverIsMember: () => 'You are one of the members who would get a pass, so someone else in the bulk approver group has to approve this.',
  bulkConfirmFirst: () => 'Tick the confirmation first: approving gives every eligible member a pass.',
  bulkNotOpen: (p: { id: string; state: string }) =>
    `${p.id} is ${p.state.toLowerCase()} already; passes already issued stay valid until they expire (revoke them one by one if needed).`,
  bulkNotYoursToStop: (p: { id: string }) => `Request ${p.id} is not yours: only the agent who asked and the bulk approvers can stop its passes.`,
  bulkApproverUnreachable: (p: { id: string }) =>
    `The approval request could not be delivered to the bulk approvers in Teams, so ${p.id} was closed. Ask them to open the TAP bot in Teams once, then ask again.`,

  // Microsoft Graph
  graphUnauthorized: () =>
    'The bot could not sign in to Microsoft Graph: its credentials (client id, secret, certificate or managed identity) were rejected. Ask the IT admin to check the app registration.',
  graphNoSignInService: () =>
    'The bot could not reach the Microsoft Entra sign-in service to get a Graph token. Ask the IT admin to check the tenant id, the authority host and the network.',
  graphUnavailable: (p: { seconds: number }) => `Microsoft Graph is unavailable right now; try again in ${p.seconds === 1 ? '1 second' : `${p.seconds} seconds`}.`,
  graphUnreachable: () => 'Microsoft Graph could not be reached; try again in a few minutes.',
  graphThrottled: (p: { seconds: number }) => `Microsoft Graph is busy; try again in ${p.seconds === 1 ? '1 second' : `${p.seconds} seconds`}.`,
  graphNotFound: (p: { operation: GraphOperationName }) => GRAPH_NOT_FOUND[p.operation],
  graphForbidden: (p: { operation: GraphOperationName; permission: string }) =>
    `The bot is not allowed to ${GRAPH_ACTION[p.operation]}: its app registration needs the Microsoft Graph application permission ${p.permission} with admin consent. Ask the IT admin.`,
  graphGuest: () => 'External guests cannot get a Temporary Access Pass.',
  graphPolicy: () =>
    "The tenant's Temporary Access Pass policy does not allow this pass: it may be disabled, not cover this user, or require another lifetime or one-time setting.",
  graphBadRequest: () => 'Microsoft Graph refused the request as invalid.',
  graphUnexpected: () => 'Microsoft Graph answered unexpectedly; try again, and tell the IT admin if it persists.',
  graphBadIdentifier: () => 'That is not a valid user or group identifier.',
  graphBadAppIdentifier: () => 'That is not a valid user or Teams app identifier.',
  graphInstallForbidden: (p: { permission: string }) =>
    `The bot is not allowed to install itself for people in Teams: its app registration needs the Microsoft Graph application permission ${p.permission} with admin consent, and the app must be allowed by the tenant's Teams app policies. Ask the IT admin.`,
  graphInstallNotFound: () =>
    "The person, or the bot's Teams app in the organization's app catalog (TEAMS_APP_CATALOG_ID), was not found. Ask the IT admin to check the app catalog id.",
};

/**
 * Reasons the core stores for someone to read later: why a bulk member gets no pass, why a
 * request failed, why a request is risky. Kept as meaning (src/i18n/said.ts); read with `reasonIn`.
 */
const reasons = {
  // A bulk member
  memberGone: () => 'No longer in the directory.',
  memberNotChecked: (p: { why?: Words }, zone?: string) => `Could not be checked: ${p.why !== undefined ? w(p.why, zone) : 'the checks could not be read'}`,
  memberPolicyOff: () => 'Temporary Access Pass is turned off in the tenant policy.',
  memberApprovedSelf: () => 'Approved the request themselves: a pass for the approver needs someone else to decide (ask for it on its own).',
  memberOpenElsewhere: (p: { id?: string; holder: HolderFacts }, zone?: string) =>
    `Has an open request already (${p.id ?? 'another request'}, ${holder(p.holder, zone)}); one request per person at a time.`,
  memberHoldsPass: () => `Already holds a Temporary Access Pass, which a new one would silently replace: ${ASK_ONE_BY_ONE}.`,
  memberMethodsUnknown: (p: { why: Words }, zone?: string) => `Their sign-in methods could not be read (${w(p.why, zone)}), so the bot cannot tell they have none yet: ${ASK_ONE_BY_ONE}.`,
  memberHasMethod: (p: { methods: string[] }) =>
    `Already has ${p.methods.map((m) => METHOD_WORDS[m] ?? m).join(', ')} registered; if they lost it, that is a recovery, which ${ASK_ONE_BY_ONE}.`,
  memberRisk: (p: { reasons: Words[] }, zone?: string) => `${p.reasons.map((r) => w(r, zone)).join(' ')} This ${ASK_ONE_BY_ONE}, and a second approver.`,
  memberNoManager: () => 'Has no manager in the directory to hand the pass to (BULK_DELIVER_TO=manager).',
  memberChanged: (p: { why?: Words }, zone?: string) => `Changed since the request: ${p.why !== undefined ? w(p.why, zone) : 'no longer eligible'}`,
  memberThrottled: (p: { tries: number; why: Words }, zone?: string) => `Still throttled after ${p.tries} tries: ${w(p.why, zone)}`,
  memberNotCreated: (p: { why: Words }, zone?: string) => `Microsoft Graph did not create the pass: ${w(p.why, zone)}`,
  memberNoAnswer: (p: { tries: number }) => `Microsoft Graph did not answer after ${p.tries} tries; no pass was made for this person. Ask again later.`,
  memberNotRecorded: () => 'The bot could not record this pass, so it was deleted before anyone saw its code. Ask again for this person.',
  memberCodeLost: () => 'The bot stopped after this pass was made and its code was lost; no pass of theirs is left (checked). Ask again for this person.',
  memberMayHoldPass: (p: { why: Words }, zone?: string) =>
    `A pass may exist for this person whose code nobody has, and it could not be checked (${w(p.why, zone)}). Check their authentication methods in Entra ID and delete any Temporary Access Pass, then ask again.`,
  memberCancelled: (p: { by?: string }) => `Not made: ${p.by ?? 'someone'} stopped the request before this pass was created.`,
  /** The request's own failure is said once, with the request: a member line does not repeat it. */
  memberRequestStopped: () => 'Not made: the request stopped before this pass was created.',
  memberPageUndelivered: (p: { askAgain: boolean }) =>
    `The page with this code could not be delivered in Teams, so the pass was deleted.${p.askAgain ? ' Ask again for this person.' : ''}`,
  memberNotRecordedDelivered: (p: { askAgain: boolean }) =>
    `This pass could not be recorded as delivered, so it was deleted; its code on the page no longer works.${p.askAgain ? ' Ask again for this person.' : ''}`,
  memberStoppedWhileCreating: () => 'The request was stopped while this pass was being created, so it was deleted before anyone saw its code.',
  memberUnansweredDeleted: () =>
    'Microsoft Graph did not answer the create, and a pass it made anyway was deleted (its code can never be read back). Ask again for this person.',
  memberLostAfterSend: () => 'The bot stopped after this pass was sent for; the pass was deleted because its code was lost. Ask again for this person.',

  unexpectedError: () => 'an unexpected error; the details are in the bot log',
  graphRefusedIt: () => 'Microsoft Graph refused it',

  // Who a preview says will be asked
  previewManagerAsked: (p: { manager: string }) => `${p.manager}, their manager, will be asked to approve.`,
  previewSkipLevelAsked: (p: { manager: string }) => `You are their manager, so your own manager, ${p.manager}, will be asked to approve.`,
  previewSecondApproval: (p: { reasons: Words[] }, zone?: string) => `A second approver will have to approve too. ${p.reasons.map((r) => w(r, zone)).join(' ')}`,
  previewAwayAsked: (p: { away: string; to?: string }) =>
    `${p.away} is out of office, so ${p.to ?? 'the fallback approver group'} will be asked to approve.`,
  previewFallbackAsked: () => 'They have no manager who can decide, so the fallback approver group will be asked.',

  // What each scenario's defaults mean, on the form and the approval card
  presetRecovery: () => 'Recovery: one sign-in to register a new method straight away.',
  presetNewJoiner: (p: { startTime?: string }) => `New joiner: starts on their first morning${p.startTime ? ` at ${p.startTime}` : ''} and lasts the working day.`,
  presetPasskey: () => 'Passkey onboarding: usable more than once, for the two sign-ins a passkey in Microsoft Authenticator needs.',

  // Why a signal could not be read (written after "not available: ")
  needsPermission: (p: { permission: string }) => `needs the Graph permission ${p.permission}`,
  needsPermissionAndLicence: (p: { permission: string; licence: string }) => `needs ${p.permission} and an ${p.licence} licence`,
  needsMailbox: () => 'needs an Exchange Online mailbox',
  graphBusy: () => 'Microsoft Graph was busy; try again for this signal',
  graphAnswered: (p: { status: string }) => `could not be read (Graph answered ${p.status})`,
  notReadHere: () => 'not read for this request',

  // Why a request failed
  checksIncomplete: (p: { why: Words }, zone?: string) =>
    `The checks made before creating a pass could not be completed (${w(p.why, zone)}), so no pass was created. The helpdesk can ask again.`,
  requesterNotAgent: (p: { requester: string; target: string }) =>
    `${p.requester}, who asked for this pass, is no longer in the helpdesk group. ${NOTHING_CREATED} If ${p.target} still needs a pass, another helpdesk agent has to ask again.`,
  requesterDisabled: (p: { requester: string; target: string }) =>
    `The account of ${p.requester}, who asked for this pass, was disabled after the request. ${NOTHING_CREATED} If ${p.target} still needs a pass, another helpdesk agent has to ask again.`,
  targetGone: (p: { who: string }) => `${p.who} no longer exists in the directory. ${NOTHING_CREATED}`,
  changedAfterRequest: (p: { why: Words; nothingCreated: boolean }, zone?: string) => `This changed after the request: ${w(p.why, zone)}${p.nothingCreated ? ` ${NOTHING_CREATED}` : ''}`,
  approverIsTarget: () => `Nobody can approve a pass for themselves. ${NOTHING_CREATED}`,
  policyLifetimeChanged: (p: { why: Words }, zone?: string) => `The tenant's pass policy changed after the request. ${w(p.why, zone)} ${NOTHING_CREATED}`,
  managerNowDecides: (p: { target: string; manager: string }) =>
    `${p.target} now has a manager, ${p.manager}, who decides for them, so an approval from the fallback approvers no longer counts. ${NOTHING_CREATED} Ask again so ${p.manager} can decide.`,
  approverChanged: (p: { target: string; skipLevel: boolean; was: string[]; now: string }) =>
    `${p.skipLevel ? `The approver for ${p.target} (the skip-level manager)` : `${p.target}'s manager`} changed from ${p.was.length > 0 ? p.was.join(', ') : 'the approver'} to ${p.now} after the request. ${NOTHING_CREATED} Ask again so ${p.now} can decide.`,
  noManagerNoFallback: (p: { target: string; was: string[] }) =>
    `${p.target} no longer has a manager who can decide (it was ${p.was.length > 0 ? p.was.join(', ') : 'the approver'}), and no fallback approver group is configured. ${NOTHING_CREATED} Ask your IT admin to set their manager in Entra ID.`,
  fallbackNowDecides: (p: { target: string; was: string[] }) =>
    `${p.target} no longer has a manager who can decide (it was ${p.was.length > 0 ? p.was.join(', ') : 'the approver'}), so the fallback approver group decides now. ${NOTHING_CREATED} Ask again so one of them can decide.`,
  approverLeftFallback: (p: { who?: string }) =>
    `${p.who ?? 'The person who approved'} is no longer in the fallback approver group, so the approval no longer counts. ${NOTHING_CREATED} Ask again so a current member can decide.`,
  secondApproverLeftGroup: (p: { who?: string }) =>
    `${p.who || 'The second approver'} is no longer in the second approver group, so their approval no longer counts. ${NOTHING_CREATED} Ask again so two people can decide.`,
  riskAfterApproval: (p: { reasons: Words[]; mayNeedSecond: boolean }, zone?: string) =>
    `This changed after the approval: ${p.reasons.map((r) => w(r, zone)).join(' ')} The approvers did not see this, so no pass was created. Ask again so it can be judged${p.mayNeedSecond ? ' (a second approver may be needed)' : ''}.`,
  limitAtIssue: (p: { why: Words }, zone?: string) => `${w(p.why, zone)} ${NOTHING_CREATED}`,
  reportedWhileApproving: () => 'The request was reported as suspicious while it was being approved, so no pass was created.',
  graphDidNotCreate: (p: { why: Words }, zone?: string) => `Microsoft Graph did not create the pass: ${w(p.why, zone)}`,
  createUnconfirmedUnchecked: (p: { who: string; name: string }) =>
    `Microsoft Graph did not confirm the pass for ${p.who}, and I could not check whether it made one anyway. An admin should delete any Temporary Access Pass of ${p.name} in Entra ID (Users > Authentication methods) before you ask again.`,
  createUnconfirmedDeleted: (p: { who: string }) =>
    `Microsoft Graph did not confirm the pass for ${p.who}. It had made one anyway, which I deleted (its code can never be read back), so nobody holds a working pass. Ask again.`,
  createUnconfirmedNone: (p: { who: string; tries: number }) =>
    `Microsoft Graph did not answer when the pass for ${p.who} was created (${p.tries} tries), and it made none (I checked). Ask again in a few minutes.`,
  undeliveredDeleted: (p: { suspicious: boolean }) =>
    `The pass was created but ${p.suspicious ? 'was reported as suspicious while it was being created' : 'could not be delivered'}, so it was deleted again and nobody holds it.${p.suspicious ? '' : ' Request a new pass.'}`,
  undeliveredNotDeleted: (p: { suspicious: boolean; upn: string; expiresAt: string }, zone?: string) =>
    `The pass was created but ${p.suspicious ? 'was reported as suspicious while it was being created' : 'could not be delivered'}, and deleting it failed: an admin should remove the Temporary Access Pass of ${p.upn} in Entra ID (it expires on ${time(p.expiresAt, zone)}).`,
  interruptedBeforeCreate: () => 'The bot stopped after the approval and before creating the pass, so no pass exists. Request a new one.',
  interruptedNotRemoved: (p: { upn: string }) =>
    `The bot stopped while issuing this pass and could not remove it: an admin should delete the Temporary Access Pass of ${p.upn} in Entra ID.`,
  interruptedNoneMade: () => 'The bot stopped while creating this pass, and Entra ID holds no pass from it, so none exists. Request a new one.',
  interruptedRemoved: () => 'The bot stopped while issuing this pass, so nobody can be sure who holds it; to be safe it was removed. Request a new one.',

  // Why a pass was stopped
  stoppedWith: (p: { id: string; why?: Words }, zone?: string) => `Stopped with ${p.id}${p.why !== undefined ? `: ${w(p.why, zone)}` : ''}`,
  reportedSuspicious: (p: { reason: string }) => `Reported as suspicious: ${p.reason}`,
  reportedWhileDelivering: (p: { reason: string }) => `Reported as suspicious while it was being delivered: ${p.reason}`,
  ownerDisputed: (p: { via: 'teams' | 'mail' }) => `The account owner says they did not ask for this pass (${p.via === 'teams' ? 'from the Teams notice' : 'from the mail link'}).`,

  // What a stop did
  stopDeleted: () => 'The pass was deleted in Entra ID and no longer works.',
  stopReplacedDeleted: (p: { who: string; deleted: string[]; otherLive: boolean }) =>
    `This pass had already been replaced by a later one (${p.deleted.join(', ')}), and that pass was deleted.${p.otherLive ? otherPassLive(p.who) : ` ${p.who} holds no working pass from this bot.`}`,
  stopNothingLive: (p: { who: string; otherLive: boolean }) =>
    `No pass of this request was live any more (it had expired, been used, or been replaced), so nothing needed deleting.${p.otherLive ? otherPassLive(p.who) : ''}`,

  // Short messages the core sends to a person's chat (follow-through news); never a code
  onboardingAddFailed: (p: { who: string; why: Words }, zone?: string) =>
    `${p.who} could not be added to the passkey onboarding group (${w(p.why, zone)}). Until an admin adds them, the onboarding Conditional Access policy does not apply to them and registering a passkey with the pass may be blocked.`,
  registeredWithPass: (p: { who: string; method: string; displayName?: string; id: string; passDeleted: boolean | null; expiresAt?: string }, zone?: string) =>
    `${p.who} registered ${STRONG_METHOD_WORDS[p.method] ?? p.method}${p.displayName ? ` ("${p.displayName}")` : ''} with the Temporary Access Pass of request ${p.id}.` +
    (p.passDeleted === true
      ? ' The pass was deleted: nobody needs it any more.'
      : p.passDeleted === false
        ? ` Deleting the pass failed: it works until it expires${p.expiresAt ? ` (${time(p.expiresAt, zone)})` : ''}; revoke it if you can.`
        : ''),
  expiredUnregistered: (p: { who: string; id: string; passkeyOnboarding: boolean; oneTime: boolean }) =>
    `The Temporary Access Pass of ${p.who} (request ${p.id}) expired and no new sign-in method was registered with it. ` +
    `Ask again if they still need one; check that they open ${SECURITY_INFO_URL} while the pass is valid, sign in with it, and add ${p.passkeyOnboarding ? 'a passkey' : 'Microsoft Authenticator or a passkey'} before it expires.` +
    `${p.oneTime ? ' A one-time pass works for one sign-in: they must finish the registration in that sign-in, within about 10 minutes.' : ''}` +
    `${p.passkeyOnboarding ? ' A passkey in Authenticator needs a multi-use pass (two sign-ins).' : ''}`,
  bulkCodeDead: (p: { who: string; id: string; bulkId: string; how: 'stopped' | 'replaced' | 'deleted'; replacedBy?: string }) =>
    `The code for ${p.who} (${p.id}) on a result page of ${p.bulkId} no longer works: ${p.how === 'stopped' ? 'it was stopped' : p.how === 'replaced' ? `a later pass (${p.replacedBy ?? ''}) replaced it` : 'it was deleted'}. Do not hand it over.`,
  pageCodesDead: (p: { page: number; bulkId: string; names: string[] }) =>
    p.names.length === 1
      ? `On page ${p.page} of ${p.bulkId}, the code for ${p.names[0]} no longer works: the pass could not be recorded, so it was deleted. Do not hand it over.`
      : `On page ${p.page} of ${p.bulkId}, the codes for ${p.names.join(', ')} no longer work: the pass could not be recorded, so it was deleted. Do not hand them over.`,
  managerBulkNotice: (p: { requester: string; bulkId: string; group: string; approver?: string; joiners: Array<{ name: string; upn: string; id: string; until?: string }> }, zone?: string) =>
    [
      `The helpdesk (${p.requester}) issued a Temporary Access Pass to ${p.joiners.length === 1 ? 'someone who reports' : `${p.joiners.length} people who report`} to you, in ${p.bulkId} for ${p.group}, approved by ${p.approver ?? 'a bulk approver'}. This message never contains a code.`,
      ...p.joiners.map((j) => `• ${j.name} (${j.upn}): ${j.id}, works until ${j.until ? time(j.until, zone) : 'its expiry'}`),
      `If any of them should not have a pass, stop it here: type "revoke ${p.joiners[0]?.id ?? ''}" (or "report ${p.joiners[0]?.id ?? ''} <why>" if it looks wrong).`,
    ].join('\n'),

  // To the account owner (their own language; the organisation's zone, as nothing else is known of them)
  ownerIssuedSubject: () => 'A Temporary Access Pass was issued for your account',
  ownerIssued: (p: { name: string; upn: string; issuedAt: string; expiresAt: string; requester: string; approvers: Array<{ name: string; how?: string }>; guideUrl?: string; disputeUrl?: string }, zone?: string) =>
    [
      `Hello ${p.name},`,
      '',
      `A Temporary Access Pass for your account ${p.upn} was issued on ${time(p.issuedAt, zone)}, at the request of ${p.requester} (helpdesk), approved by ${
        p.approvers.length > 0 ? p.approvers.map((a) => `${a.name}${a.how ? ` (who confirmed it was you by ${CONFIRMED_BY[a.how] ?? 'other means'})` : ''}`).join(' and ') : 'your manager'
      }. It works until ${time(p.expiresAt, zone)}.`,
      '',
      p.guideUrl ? `If you asked the helpdesk for it, set up how you sign in now: ${p.guideUrl}` : `If you asked the helpdesk for it, set up how you sign in at ${SECURITY_INFO_URL} before it expires.`,
      '',
      p.disputeUrl
        ? `If this was NOT you, open this link straight away: ${p.disputeUrl} (it works once). The pass is deleted at once and the security team is told.`
        : 'If this was NOT you, tell your IT security team straight away.',
      '',
      'This message never contains the pass itself.',
    ].join('\n'),
  ownerDeletedSubject: () => 'The Temporary Access Pass for your account was deleted',
  ownerDeleted: (p: { upn: string; issuedAt?: string; requester: string; deletedAt: string }, zone?: string) =>
    `The Temporary Access Pass issued for your account ${p.upn}${p.issuedAt ? ` on ${time(p.issuedAt, zone)}` : ''} (asked by ${p.requester}, helpdesk) was deleted on ${time(p.deletedAt, zone)}: the bot stopped while handing it over, so to be safe nobody may use it. It no longer works. If you still need one, ask the helpdesk again.`,

  // Why a whole bulk request stopped
  bulkEveryMemberOpen: () => 'Every member has another request open.',
  bulkPolicyOff: () => 'Temporary Access Pass was turned off in the tenant policy after the request, so no pass was created.',
  bulkLifetimeOutsidePolicy: (p: { min: number; max: number; asked: number }) =>
    `The tenant policy now allows ${p.min}–${p.max} minutes, and this request asked for ${p.asked}, so no pass was created. Ask again.`,
  bulkRequesterNotAgent: (p: { requester: string }) => `${p.requester} is no longer in the helpdesk group, so no pass was created.`,
  bulkApproverLeftGroup: (p: { approver?: string }) => `${p.approver ?? 'The approver'} is no longer in the bulk approver group, so no pass was created. Ask again.`,
  bulkChecksIncomplete: (p: { why: Words }, zone?: string) => `The checks before creating the passes could not be completed (${w(p.why, zone)}), so no pass was created. Ask again.`,

  // Why a request is risky (flow/gate/risk.ts): instants in the reader's zone
  riskManagerChange: (p: { at: string; days: number }, zone?: string) =>
    `Their manager was changed on ${time(p.at, zone)}, within ${p.days} days: an attacker may have set it to an accomplice.`,
  riskRecentPass: (p: { at: string; days: number }, zone?: string) =>
    `They were given a pass on ${time(p.at, zone)}, within ${p.days} days: a second recovery so soon needs a second look.`,
  riskReportedBefore: () => 'An earlier request for them was reported as suspicious.',
  riskMethodRegisteredRecently: (p: { at: string; hours: number }, zone?: string) =>
    `A sign-in method was registered on ${time(p.at, zone)}, within ${p.hours} hours: ask why they lost it so soon.`,
  riskUserRisk: (p: { level: string }) => `Identity Protection rates their account ${p.level} risk.`,
  riskPrivilegedRolesUnknown: (p: { missing: Words }, zone?: string) =>
    `Whether they can activate an administrator role (PIM) is not available: ${w(p.missing, zone)}. A pass for an administrator is the identity team's.`,
};

/**
 * Every card's words (src/cards and cards/*.json): the view models pick them here, so a card
 * reads in its reader's language. Names, ids, UPNs, command words and URLs stay as they are.
 */
const cards = {
  scenario: {
    recovery: 'Recovery (lost phone / locked out)',
    newJoiner: 'New joiner',
    passkeyOnboarding: 'Passkey onboarding',
  },
  /** One or two words: each scenario's button has a line of its own on a phone. */
  scenarioButton: { recovery: 'Recovery', newJoiner: 'New joiner', passkeyOnboarding: 'Passkey onboarding' },
  /** What the approver picks: a statement about what they did. */
  attestationChoice: {
    videoCall: 'Video call — I saw and recognised them',
    inPerson: 'In person — I met them and recognised them',
    knownNumberCall: 'I called them on a number I already knew',
    other: 'Other (describe it in the note)',
  },
  /** In brackets after a name: "(video call)". */
  attestationShort: { videoCall: 'video call', inPerson: 'in person', knownNumberCall: 'call to a number they already knew', other: 'other means' },
  /** After "Identity confirmed". */
  confirmedHow: { videoCall: 'on a video call', inPerson: 'in person', knownNumberCall: 'by a call to a number they already knew', other: 'by other means' },
  /** After "confirmed it was you", to the account owner. */
  confirmedToOwner: { videoCall: 'on a video call', inPerson: 'in person', knownNumberCall: 'by calling you on a number they already knew', other: 'by other means' },
  approverKind: { manager: 'Manager', skipLevelManager: 'Skip-level manager', fallbackGroup: 'Fallback approver group' },
  state: {
    PendingApproval: 'Waiting for approval',
    Approved: 'Approved: issuing the pass',
    Issuing: 'Approved: issuing the pass',
    Issued: 'Pass issued',
    Denied: 'Denied',
    Expired: 'Expired without a decision',
    Failed: 'Failed: no pass was issued',
    Cancelled: 'Cancelled',
  },
  story: { handedOver: 'Pass handed over', passExpired: 'Pass expired', revoked: 'Pass revoked', reported: 'Reported as suspicious' },
  scheduledLabel: (at: string) => `Approved: the pass is made on ${at}`,
  usage: { once: 'One-time use', many: 'Multi-use (until it expires)' },
  existingTap: 'This user already has a Temporary Access Pass; approving replaces it.',
  /** The one line a notification shows before the card is opened (plain text: the time in words). */
  summary: {
    approval: (requester: string, target: string, by: string) => `${requester} (helpdesk) asks for a Temporary Access Pass for ${target}. Decide by ${by}.`,
    delivery: (target: string, requester: string, before: string) => `Temporary Access Pass for ${target} (asked by ${requester}): give it to them before ${before}.`,
  },
  /** Lists of people: "Ann, Bo and Cy", "Ann, Bo, Cy and 4 more". */
  people: {
    and: 'and',
    more: (names: string, more: number) => `${names} and ${more} more`,
    approvers: (count: number) => (count === 1 ? '1 approver' : `${count} approvers`),
    oneOf: (names: string) => `one of ${names}`,
    you: 'you',
    helpdesk: 'the helpdesk',
  },
  /** The story of a request, on the approval and status cards. */
  outcome: {
    denied: (who: string, at: string) => `Denied by ${who} on ${at}.`,
    approved: (who: string, at: string) => `Approved by ${who} on ${at}.`,
    confirmedCall: (number: string) => `Identity confirmed by a call to ${number}.`,
    confirmed: (how: string) => `Identity confirmed ${how}.`,
    approvedBy: (who: string) => `approved by ${who}`,
    waitingFor: (who: string) => `waiting for ${who}`,
    progress: (given: number, parts: string) => `${given} of 2 approvals: ${parts}.`,
    revoked: (who: string, at: string) => `Revoked by ${who} on ${at}.`,
    revokedReason: (reason: string) => `Reason: ${reason}`,
    replaced: (at: string, id: string) => `Replaced on ${at} by a later pass (${id}): Entra ID keeps one pass per person, so this one no longer works.`,
    expired: (at: string) => `The pass expired on ${at}; its code is no longer shown.`,
    issued: (at: string, until: string) => `Pass issued on ${at}; it works until ${until}.`,
    recipientManager: 'the approving manager',
    recipientAgent: 'the requesting helpdesk agent',
    handedOver: (at: string) => `Handed over on ${at}; the code was removed from the card.`,
    delivered: (to: string, at: string) => `Delivered to ${to} on ${at}.`,
    method: { microsoftAuthenticator: 'Microsoft Authenticator', fido2: 'a passkey', windowsHelloForBusiness: 'Windows Hello for Business' } as Record<string, string>,
    registered: (who: string, method: string, at: string) => `${who} registered ${method} on ${at}.`,
    deletedEarly: 'The pass was deleted early: it is no longer needed.',
    expiredUnregistered: 'The pass expired and no new sign-in method was registered: ask the user what went wrong, then request a new pass.',
    onboardingRemoved: (at: string) => `Removed from the onboarding group on ${at}.`,
    onboardingSince: (at: string) => `In the onboarding group since ${at}, until a passkey is registered or the pass ends.`,
    reported: (who: string, at: string) => `Reported as suspicious by ${who} on ${at}. The security team has been told.`,
    movedAway: (from: string, at: string, until: string) => `${from} was out of office${until ? ` until ${until}` : ''}, so the request moved on ${at}; they can no longer decide it.`,
    movedNoAnswer: (from: string, at: string) => `${from} did not answer in time, so the request moved on ${at}; they can no longer decide it.`,
    noDecision: (at: string) => `Nobody decided before ${at}, so the request can no longer be approved.`,
    decideBefore: (at: string) => `Decide before ${at}; after that the request expires.`,
    yourDecision: 'Your decision is needed',
    youApproved: (who: string) => `You approved; waiting for ${who}`,
    ifNobodyElse: (at: string) => `If nobody else approves before ${at}, the request expires.`,
    waitingUntil: (at: string) => `Waiting until ${at}; after that the request expires.`,
    waitingForDecision: (who: string, at: string) => `Waiting for ${who} to decide, until ${at}.`,
    madeBeforeStart: (at: string) => `The pass will be created and delivered shortly before it starts, on ${at}.`,
    beingIssued: 'The pass is being issued now.',
    wasDenied: 'The request was denied.',
    noPass: 'No pass was issued.',
    expiredNoPass: (at: string) => `Nobody decided before ${at}, so the request expired and no pass was issued.`,
    stoppedByReport: 'It was stopped by the report: no pass was issued.',
    cancelled: (who: string, at: string) => `Cancelled by ${who} on ${at}. No pass was issued.`,
    failed: (why: string) => `No pass was issued: ${why}`,
    failedUnknown: 'something went wrong while issuing it.',
  },
  /** What the approvers are shown about the caller. */
  evidence: {
    notRead: 'not read for this request',
    notAvailable: (missing: string) => `not available: ${missing}`,
    mobile: 'mobile',
    business: 'business phone',
    onFile: (number: string, kind: string) => `${number} (${kind} on file)`,
    called: (label: string) => `called ${label}`,
    methodNames: {
      microsoftAuthenticator: 'Microsoft Authenticator',
      fido2: 'passkey (FIDO2)',
      windowsHelloForBusiness: 'Windows Hello',
      phone: 'phone (SMS or call)',
      softwareOath: 'authenticator app code',
      email: 'email',
      platformCredential: 'platform credential',
      password: 'password',
    } as Record<string, string>,
    phonesNotAvailable: (missing: string) => `not available: ${missing}. Verify by video call or in person, never on a number the caller gives you.`,
    phoneMobile: (n: string) => `${n} (mobile)`,
    phoneBusiness: (n: string) => `${n} (business)`,
    or: ' or ',
    noNumber: 'No number on file. Verify by video call or in person, never on a number the caller gives you.',
    numbers: (list: string) => `${list}. Never a number the caller gives you.`,
    noMethods: 'None registered.',
    methods: (list: string) => `${list}.`,
    newestRecent: (list: string, at: string) => `${list}. Newest added ${at}, shortly before this request: ask why they lost it.`,
    newest: (list: string, at: string) => `${list}. Newest added ${at}.`,
    notRecorded: 'Not recorded.',
    couldNotRead: 'could not be read',
    noSignIn: 'No successful sign-in recorded.',
    managerUnchanged: (days: number) => `Not changed in the last ${days} days.`,
    managerChanged: (at: string, by: string) => `Changed on ${at} by ${by}.`,
    unnamed: 'someone the audit log does not name',
    noRisk: 'No risk recorded.',
    risk: { low: 'Low risk', medium: 'Medium risk', high: 'High risk', hidden: 'Hidden risk', none: 'No risk' } as Record<string, string>,
    riskLevel: (level: string, updated: string) => `${level}${updated ? `, updated ${updated}` : ''}.`,
    facts: { callBack: 'Call back on', methods: 'Sign-in methods', created: 'Account created', lastSignIn: 'Last sign-in', manager: 'Manager', identityProtection: 'Identity Protection' },
    calledNumberChoice: (number: string, kind: string) => `${number} (${kind})`,
    noNumberNote: (name: string) => `No number is on file for ${name}: a call to a number they give you does not count. Choose a video call or in person instead.`,
    numbersUnavailableNote: (missing: string) => `The numbers on file are not available (${missing}). If you called them, say in the note which number and where you know it from.`,
  },
  /** Revoke and Report, on every party's card. */
  party: {
    revoke: 'Revoke',
    revokeNow: 'Revoke now',
    revokeWarning: (name: string) => `${name} can no longer sign in with this pass, and the code stops working at once. This cannot be undone.`,
    report: 'Report',
    sendReport: 'Send report',
    reportHelp:
      'Report it if the request may be someone pretending to be the user. A request still waiting is stopped, an issued pass is revoked, and the security team is told.',
    reasonLabel: 'What makes it suspicious? Required (the security team reads this)',
    reasonPlaceholder: 'For example: the caller could not say their employee number',
  },
  /** Facts every request card shows. */
  facts: {
    validFor: 'Valid for',
    use: 'Use',
    starts: 'Starts',
    asSoonAsIssued: 'As soon as it is issued',
    scenario: 'Scenario',
    requestedOn: 'Requested on',
    decideBy: 'Decide by',
    deadlineWas: 'Decision deadline was',
  },
  notes: { reported: 'Why it was reported: ', reason: 'Reason', approverNote: "Approver's note", by: (label: string, who: string) => `${label} (${who}): `, plain: (label: string) => `${label}: ` },
  approval: {
    risks: {
      multiUse: 'Multi-use: the pass works for any number of sign-ins until it expires.',
      longLifetime: (lifetime: string, usual: string) => `Long lifetime: ${lifetime}, longer than the usual ${usual}.`,
      startsLater: (at: string) => `Starts later, on ${at}: check that the person will still be the one using it.`,
      one: 'Warning: check this before you approve',
      many: (count: number) => `Warning: check these ${count} things before you approve`,
    },
    elevated: { open: 'Elevated risk: two approvals needed', closed: 'Elevated risk: two approvals were needed', plain: 'Elevated risk' },
    bothApprove: (first: string, second: string) => `${first} and ${second} must both approve.`,
    oneOfApproves: (first: string, others: string) => `${first} must approve, and so must ${others}.`,
    titleDecide: (name: string) => `Approve a Temporary Access Pass for ${name}?`,
    title: (name: string) => `Temporary Access Pass for ${name}`,
    subtitle: (id: string, who: string) => `Request ${id} from ${who}, helpdesk`,
    whoAsks: 'Who asks',
    whoAsksValue: (name: string) => `${name}, helpdesk`,
    for: 'For',
    name: 'Name',
    signInName: 'Sign-in name',
    jobTitle: 'Job title',
    department: 'Department',
    requestedBy: 'Requested by',
    signalsHeading: (name: string) => `What Entra ID says about ${name}`,
    decideAdvice: (name: string) =>
      `Approve only if you have confirmed yourself that it is really ${name} asking, not someone pretending to be them: ` +
      'see them on video, meet them, or call them back on a number on file. The pass opens their account to whoever holds it.',
    callTitle: 'Call in Teams',
    /** The words of cards/approval.json. */
    template: {
      why: 'Why: ',
      notApprovedYet: 'Not approved yet',
      openAgain: 'Open Approve again: your choice and note are kept.',
      beforeYouApprove: 'Before you approve',
      approve: 'Approve',
      confirmApproval: 'Confirm approval',
      attestationLabel: 'How did you confirm it is really them? (required)',
      calledNumberLabel: 'If you called them: which number on file?',
      noteLabel: 'Note (required when you choose Other)',
      notePlaceholder: 'For example: where you met them',
      deny: 'Deny',
      confirmDenial: 'Confirm denial',
      denyReasonLabel: 'Reason (optional; the helpdesk sees it)',
      denyReasonPlaceholder: 'For example: I could not reach them',
      details: 'Details',
      whoNeedsIt: 'Who needs the pass',
      theRequest: 'The request',
      ticket: 'Ticket: ',
      settings: 'Temporary Access Pass settings',
      refresh: 'Refresh',
    },
  },
  status: {
    title: (id: string) => `TAP request ${id}`,
    subtitle: (who: string) => `For ${who}`,
    askedToApprove: 'Asked to approve',
    approvers: 'Approvers',
    approver: 'Approver',
    secondApprover: 'Second approver',
    passGoesTo: 'Pass goes to',
    toManager: 'The approving manager',
    toAgent: 'You (the requesting agent)',
    existingPass: 'Existing pass',
    replacedIfApproved: 'Replaced if approved',
    template: { request: 'Request', reason: 'Reason: ', ticket: 'Ticket: ', cancel: 'Cancel request' },
  },
  list: {
    count: (n: number) => (n === 1 ? '1 request' : `${n} requests`),
    cut: (counted: string, finished: number) => `${counted}: the open ones and the ${finished} most recent finished ones. Older requests are not listed.`,
    empty: 'No requests to show.',
    detail: (upn: string, scenario: string, at: string) => `${upn} · ${scenario} · requested ${at}`,
    footerCut: 'To see older requests for one user, type status followed by their sign-in name, e.g. status megan@contoso.com.',
    footer: "Type status followed by a sign-in name, e.g. status megan@contoso.com, for one user's requests.",
  },
  delivery: {
    revoked: (at: string) => `Pass revoked on ${at}: the code no longer works and is not shown.`,
    replaced: (id: string, at: string) => `A later pass (${id}) replaced this one on ${at}: this code no longer works and is not shown. Do not hand it over.`,
    handedOver: (at: string) => `Code removed: handed over on ${at}.`,
    expired: (at: string) => `The pass expired on ${at}. The code is no longer shown.`,
    hidden: 'The code is no longer shown on this card.',
    readItOut: 'Read it out: ',
    inPerson: 'In person, or on a call you started to a number you know: read the code out, character by character.',
    guide: (first: string, url: string) => `If ${first} is locked out, read out or text this guide: ${url} (it holds no personal data and no code).`,
    signsIn: (first: string, url: string) => `${first} signs in at ${url}. Read that address out: on your own computer it would open your security info, not theirs.`,
    title: (first: string) => `Give this to ${first}`,
    subtitle: (name: string, upn: string, id: string) => `Temporary Access Pass for ${name} (${upn}) · request ${id}`,
    groupsNote: 'The spaces only make it easier to read: the code has none. Type it without them.',
    for: 'For',
    whenIssued: 'When issued',
    expires: 'Expires',
    afterStart: (lifetime: string) => `${lifetime} after it starts`,
    handOverHeading: (first: string) => `How to hand it to ${first}`,
    handOverLast: (first: string) => `Give the pass only to ${first}, once you are sure it is them. Then select Handed over: the code is removed from this card.`,
    template: { pass: 'Temporary Access Pass', handedOver: 'Handed over' },
  },
  /** The guide card's own lines around the guide's texts. */
  guideCard: {
    stopped: 'Stopped',
    noLongerWorks: 'This pass no longer works. If you still need to set up how you sign in, ask the helpdesk for a new one.',
  },
  owner: {
    askedBy: 'Asked by',
    askedByValue: (name: string) => `${name} (helpdesk)`,
    approvedBy: 'Approved by',
    issued: 'Issued',
    stopped: 'Stopped',
    worksUntil: 'Works until',
    approverLine: (name: string, how: string) => `${name} (confirmed it was you ${how})`,
    byCalling: (number: string) => `by calling you on ${number}`,
    guide: (url: string) => `Step-by-step guide: ${url}`,
    disputed: {
      title: 'Thank you: the pass was stopped',
      intro: (upn: string) => `You said you did not ask for this pass. It no longer works for ${upn}, and the security team has been told. You do not need to do anything else now.`,
      ifYou: 'The security team may contact you to ask what happened.',
      ifNotYou: 'If you did ask for it after all, tell the helpdesk: they can ask for a new one.',
    },
    stoppedNotice: {
      title: 'The pass for your account was stopped',
      intro: (upn: string) => `A Temporary Access Pass was issued for ${upn}, and then stopped: it no longer works.`,
      ifYou: 'If you still need one, ask the helpdesk again.',
      ifNotYou: 'If you did not ask for this pass, press "This wasn\'t me" so that the security team knows it was not you.',
    },
    issuedNotice: {
      title: 'A Temporary Access Pass was issued for your account',
      intro: (upn: string) => `The helpdesk made a Temporary Access Pass for ${upn}: a code that lets you sign in for a short time to set up a new way to sign in.`,
      ifYou: (url: string) => `If you asked the helpdesk for it: they give you the code. Then set up Microsoft Authenticator or a passkey at ${url} before it expires.`,
      ifNotYou: 'If you did not ask for this, press "This wasn\'t me". The pass is deleted at once and the security team is told.',
    },
    template: { noPass: 'This message never contains the pass itself.', notMe: "This wasn't me" },
  },
  welcome: {
    title: 'TAP helpdesk',
    subtitle: "Temporary Access Passes, confirmed by the user's manager",
    intro:
      'I get a Temporary Access Pass for a user who has lost their phone, is new, or is setting up a passkey. ' +
      "Before any pass is issued, the user's manager confirms who they are on an approval card. " +
      'The pass is shown once, to the person who hands it over, with a guide for the user.',
    audience: [
      'Helpdesk agents (members of the helpdesk group) can request passes.',
      'Managers receive approval cards here and confirm how they verified the person.',
      'Passes are never issued to guests, to administrators, or to protected accounts.',
    ],
    notAgent:
      'You are not in the helpdesk group, so you cannot request passes. ' +
      'If you are a manager, approval requests for your people will appear in this chat.',
    template: { whoCanUse: 'Who can use it', commands: 'Commands' },
  },
  /** What each command does; the command words themselves stay English. */
  commands: {
    tap: 'See who that is, then request a Temporary Access Pass for them.',
    tapGroup: 'Passes for every member of a group (by name or object id): checked, approved once by a bulk approver.',
    status: 'Your recent requests.',
    statusFor: 'Recent requests for that user.',
    cancel: 'Cancel a request that is still waiting for approval (or BULK-… to stop a bulk request).',
    revoke: 'Delete a pass that was issued, so it no longer works.',
    revokeBulk: 'Stop every pass a group request made (and the request, if still running).',
    report: 'Report a request as suspicious: it is stopped (or its pass revoked) and security is told.',
    help: 'Show this list.',
    pending: 'The requests waiting for your decision.',
    revokeOwn: 'Delete a pass you approved, so it no longer works.',
    pendingOther: 'Approval requests waiting for you (if the helpdesk asks you to confirm someone).',
    reportWhy: '<why>',
  },
  help: {
    title: 'What you can type',
    agentSubtitle: 'Commands for helpdesk agents, in this chat',
    agentFooter:
      "Every request is approved by the user's manager (or a skip-level manager or the fallback approvers). " +
      'The pass is shown once and removed from the card when you mark it handed over or when it expires.',
    approverSubtitle: 'For approvers, in this chat',
    approverFooter:
      'When the helpdesk asks for a pass for one of your people, the approval card arrives here. ' +
      'Approve only after you have verified it is really them, on a video call, in person, or by calling a number you already knew.',
    otherTitle: 'TAP helpdesk',
    otherSubtitle: 'Temporary Access Passes for the helpdesk',
    otherFooter:
      'You are not in the helpdesk group, so you cannot request passes. If you are a manager, approval cards for your people ' +
      'arrive in this chat. If you need a pass yourself, contact your helpdesk: they will ask your manager to confirm it is you.',
  },
  form: {
    lifetimeLabel: (bounds: string) => `How long the pass works (your policy allows ${bounds})`,
    bounds: (min: string, max: string) => `${min} to ${max}`,
    lifetimeDefault: (lifetime: string) => `${lifetime} (default)`,
    chosen: (scenario: string) => `Chosen: ${scenario}`,
    noneChosen: 'No scenario chosen yet: pick one of the buttons.',
    startLabel: (zone: string) => `Starts on: date and time in ${zone}`,
    template: {
      title: 'Request a Temporary Access Pass',
      subtitle: "The user's manager is asked to confirm who they are before the pass is issued.",
      notSent: 'Not sent yet',
      userLabel: 'User, required (sign-in name or email)',
      whatFor: 'What is it for? Each choice sets its own defaults below.',
      scenarioLabel: 'Scenario (the buttons above also set its defaults)',
      scenarioPlaceholder: 'Choose a scenario',
      /** The card cannot redraw itself when the dropdown changes: it says so, and what does fill in the defaults. */
      dropdownKeeps: "The buttons above fill in a scenario's settings at once. If you choose in this list instead, Send first fills them in for you to check.",
      reasonLabel: 'Reason, required (the approver sees this)',
      reasonPlaceholder: 'What happened, and how the user contacted you',
      ticketLabel: 'Ticket number (optional)',
      firstDay: 'First day',
      startTime: 'Start time',
      useLabel: 'Use',
      oneTime: 'One-time use (the pass stops working after the first sign-in)',
      forcedOneTime: "Your organisation's policy makes every pass one-time use.",
      submit: 'Ask for approval',
    },
  },
  bulk: {
    scenario: { newJoiner: 'New joiners (first morning)', recovery: 'Recovery (lost or new phone)', passkeyOnboarding: 'Passkey onboarding (multi-use)' },
    state: {
      PendingApproval: 'Waiting for approval',
      Issuing: 'Approved',
      Completed: 'Done',
      Denied: 'Denied',
      Cancelled: 'Stopped',
      Expired: 'Expired without a decision',
      Failed: 'Stopped: nothing more will be created',
    },
    form: {
      title: 'Passes for a group',
      intro: (zone: string) =>
        `One request for every member of an Entra group (for example HR's new joiners). Each member is checked as for a single pass; admins, guests, protected and disabled accounts are left out, and you see who and why before anyone approves. A bulk approver decides once. Times are in ${zone}.`,
      group: 'Group, required (display name or object id)',
      scenario: 'Scenario',
      startDate: (zone: string) => `Start date (empty: the next working day, ${zone})`,
      startTime: "Start time (empty: the scenario's start, 08:00 for joiners)",
      lifetime: 'Lifetime',
      reason: 'Reason, required (what the auditors will read)',
      ticket: 'Ticket (optional)',
      submit: 'Check the group',
    },
    more: (n: number) => `…and ${n} more.`,
    eligibleDetail: (department: string, manager: string, start: string) => `${department ? `${department} · ` : ''}manager: ${manager} · starts ${start}`,
    noManager: 'none in the directory',
    showAll: (n: number) => `Show all ${n}`,
    secondsLeft: (n: number) => `about ${n} seconds left`,
    minutesLeft: (n: number) => `about ${n} minutes left`,
    asSoonAsMade: 'as soon as each pass is made',
    progressPending: (eligible: number, total: number, refused: number) => `${eligible} of ${total} members can get a pass; ${refused} cannot (below).`,
    progress: (done: number, eligible: number, issued: number, failed: number, waiting: number) =>
      `${done} of ${eligible} done: ${issued} issued, ${failed} failed${waiting > 0 ? `, ${waiting} to go` : ''}.`,
    title: (group: string) => `Passes for ${group}`,
    askedBy: 'Asked by',
    viaCli: ' (admin command line)',
    reason: 'Reason',
    scenarioFact: 'Scenario',
    starts: 'Starts',
    lifetime: 'Lifetime',
    once: 'one sign-in only',
    many: 'usable several times',
    members: 'Members',
    nested: ' (nested groups included)',
    direct: ' (direct members)',
    codesGoTo: 'Codes go to',
    eachManager: "each member's manager",
    approvedBy: 'Approved by',
    deniedBy: 'Denied by',
    decideBy: 'Decide by',
    approvers: 'Approvers',
    notCounted: (n: number, names: string) =>
      `Not counted: ${n} nested group(s) (${names}). Members of nested groups are left out (BULK_INCLUDE_NESTED=false).`,
    wouldGet: (n: number) => `Would get a pass (${n}):`,
    scheduled: (at: string) => `Approved. The passes are made at ${at}, shortly before they start, after every member is checked again; the codes come then.`,
    replacing: (n: number) => (n === 1 ? 'Note: 1 member already has a pass; the new one replaces it.' : `Note: ${n} members already have a pass; the new one replaces it.`),
    noPassFor: (n: number) => `No pass for ${n}:`,
    failedFor: (n: number) => `Failed for ${n}:`,
    approving: (n: number, to: string) => `Approving gives each of the ${n} eligible members a pass, delivered to ${to}.`,
    theirManager: 'their manager',
    attestation: 'I checked the names listed to get a pass against the joiners HR expects (or another record I trust), and each of them should get one.',
    denyReason: 'Reason if you deny (optional)',
    approve: 'Approve',
    deny: 'Deny',
    stop: 'Stop',
    withdraw: 'Withdraw',
    refresh: 'Refresh',
    summary: (id: string, state: string, issued: number, eligible: number) => `${id}: ${state}, ${issued} of ${eligible} issued`,
    page: {
      expired: 'the passes have expired',
      handedOver: 'you marked them handed over',
      onlyOnce: 'codes are shown only once, when the passes are made',
      validity: (from: string, until: string) => `From ${from} until ${until}`,
      toStop: (id: string) => ` · to stop it: revoke ${id}`,
      title: (group: string, n: number) => `${group}: passes, page ${n}`,
      members: (n: number) => (n === 1 ? '1 member' : `${n} members`),
      give: (url: string, guide: string) =>
        `Give each person their own code, and nothing else from this card. They open ${url}, sign in with the code and register Microsoft Authenticator (phone sign-in) or a passkey before it expires. The guide to pass on: ${guide}`,
      hidden: (why: string) => `Codes hidden: ${why}. For a lost code, revoke and ask again for that person.`,
      groups: 'A code shown in groups of four has no spaces: type it without them. When everyone has their code, select All handed over to hide the codes.',
      allHandedOver: 'All handed over',
      summary: (id: string, n: number, group: string) => `${id}: page ${n} of the passes for ${group}`,
    },
  },
};

/** Waiting for an approver: the reminder, a request that moved to the next approver, and nobody left (flow/decide/escalation.ts). */
const waitingWho = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? 'the approver') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`);
const waiting = {
  /** One person, or several as "A, B or C". */
  who: (names: readonly string[]) => waitingWho(names),
  fallbackGroup: (names: readonly string[]) => `the fallback approvers (${waitingWho(names)})`,
  reminderTitle: (requestId: string) => `Reminder: ${requestId} is waiting for your decision`,
  reminderText: (p: { requester: string; target: string; until: string; movesOn: boolean; zone?: string }) =>
    `${p.requester} asked for a Temporary Access Pass for ${p.target}, and it is waiting for you. The approval card is further up in this chat. Decide by ${time(p.until, p.zone)}: ${p.movesOn ? 'after that the request goes to the next approver the rules allow, and you can no longer decide it.' : 'after that the request expires.'}`,
  movedTitle: (requestId: string, to: string) => `${requestId} is now waiting for ${to}`,
  movedAway: (p: { from: string; to: string; until?: string; zone?: string }) =>
    `${p.from} is out of office${p.until ? ` until ${time(p.until, p.zone)}` : ''} (their automatic replies are on), so the request went to ${p.to}, the next approver the rules allow. ${p.to} has the approval card now.`,
  movedNoAnswer: (p: { from: string; to: string; minutes: number }) =>
    `${p.from} did not answer within ${p.minutes} minutes, so the request went to ${p.to}, the next approver the rules allow. ${p.to} has the approval card now; ${p.from} can no longer decide it.`,
  movedFromYouTitle: (requestId: string) => `${requestId} has moved to another approver`,
  movedFromYouText: (p: { target: string; to: string }) =>
    `The request for a Temporary Access Pass for ${p.target} is now waiting for ${p.to}. You can no longer decide it, and nothing more is needed from you.`,
  nobodyLeftTitle: (requestId: string) => `${requestId} is still waiting`,
  nobodyLeftText: (p: { who: string; until: string; zone?: string }) =>
    `${p.who} has not answered, and the rules allow nobody else to decide this request. It keeps waiting for ${p.who} until ${time(p.until, p.zone)} and then expires. Call them, or ask your IT admin to configure a fallback approver group.`,
  awayNobodyElse: (p: { who: string; until?: string; zone?: string }) =>
    `${p.who} is out of office${p.until ? ` until ${time(p.until, p.zone)}` : ''} (their automatic replies are on), and the rules allow nobody else to decide this request, so it is waiting for them.`,
  /** The click of an approver the request moved away from. */
  movedOn: (requestId: string, to: string) => `Request ${requestId} has moved to ${to}, so you can no longer decide it.`,
  /** Where the approver's out-of-office could not be read (cards, status). */
  awayNotAvailable: (missing: string) => `Out of office: not available (${missing})`,
};

export const en = {
  guide,
  waiting,
  cards,
  time,
  duration,
  errors,
  reasons,
  chat,
  stepUp,
};

export type Catalogue = typeof en;
