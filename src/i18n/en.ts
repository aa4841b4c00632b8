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

export const en = {
  guide,
  waiting,
  stepUp,
};

export type Catalogue = typeof en;
