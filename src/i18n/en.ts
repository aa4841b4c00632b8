/**
 * Everything the bot says to a person, in English: one section per reader or surface.
 * This file is the shape every other language follows (`Catalogue`): a string missing in
 * another language is a compile error, not a blank line on a card.
 */
import { type GuideStrings, SECURITY_INFO_URL } from './guideStrings';

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
    after: 'When you have signed in, come back here: this card shows the outcome.',
    signIn: 'Sign in to confirm',
    back: 'Back to the request',
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

/** Waiting for an approver: the reminder, a request that moved to the next approver, and nobody left (flow/decide/escalation.ts). */
const waitingClock = (iso: string): string => `${iso.slice(11, 16)} UTC`;
const waitingWho = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? 'the approver') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`);
const waiting = {
  /** One of several: the fallback approvers. */
  who: (names: readonly string[]) => waitingWho(names),
  fallbackGroup: (names: readonly string[]) => `the fallback approvers (${waitingWho(names)})`,
  reminderTitle: (requestId: string) => `Reminder: ${requestId} is waiting for your decision`,
  reminderText: (p: { requester: string; target: string; until: string }) =>
    `${p.requester} asked for a Temporary Access Pass for ${p.target}, and it is waiting for you. The approval card is further up in this chat; it can be decided until ${waitingClock(p.until)}, after that the request expires.`,
  movedTitle: (requestId: string, to: string) => `${requestId} is now waiting for ${to}`,
  movedAway: (p: { from: string; to: string; until?: string }) =>
    `${p.from} is out of office${p.until ? ` until ${p.until.slice(0, 10)} ${waitingClock(p.until)}` : ''} (their automatic replies are on), so the request went to ${p.to}, the next approver the rules allow. ${p.to} has the approval card now.`,
  movedNoAnswer: (p: { from: string; to: string; minutes: number }) =>
    `${p.from} did not answer within ${p.minutes} minutes, so the request went to ${p.to}, the next approver the rules allow. ${p.to} has the approval card now; ${p.from} can no longer decide it.`,
  movedFromYouTitle: (requestId: string) => `${requestId} has moved to another approver`,
  movedFromYouText: (p: { target: string; to: string }) =>
    `The request for a Temporary Access Pass for ${p.target} is now waiting for ${p.to}. You can no longer decide it, and nothing more is needed from you.`,
  nobodyLeftTitle: (requestId: string) => `${requestId} is still waiting`,
  nobodyLeftText: (p: { who: string; until: string }) =>
    `${p.who} has not answered, and the rules allow nobody else to decide this request. It keeps waiting for ${p.who} until ${waitingClock(p.until)} and then expires. Call them, or ask your IT admin to configure a fallback approver group.`,
  awayNobodyElse: (p: { who: string; until?: string }) =>
    `${p.who} is out of office${p.until ? ` until ${p.until.slice(0, 10)} ${waitingClock(p.until)}` : ''} (their automatic replies are on), and the rules allow nobody else to decide this request, so it is waiting for them.`,
  /** The click of an approver the request moved away from. */
  movedOn: (requestId: string, to: string) => `Request ${requestId} has moved to ${to}, so you can no longer decide it.`,
  /** Where the approver's out-of-office could not be read (cards, status). */
  awayNotAvailable: (missing: string) => `Out of office: not available (needs ${missing})`,
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
    approvalSummary: (requester: string, count: number, group: string) => `${requester} asks for ${count} passes for ${group}`,
    pageSummary: (id: string, count: number, group: string, page: number) => `${id}: ${count} passes for ${group} (page ${page})`,
    unreachable: (names: string) => `None of the bulk approvers (${names}) has opened the TAP bot in Teams yet, so I can't reach them.`,
  },
};

export const en = {
  guide,
  chat,
  waiting,
  stepUp,
};

export type Catalogue = typeof en;
