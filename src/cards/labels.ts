/**
 * Human labels for the agent's and the manager's cards (English). The end user's guide
 * has its own catalogue in strings.ts because it is translated.
 */
import type { ApproverKind, Attestation, RequestState, Scenario } from '../flow/types';

export const SCENARIO_LABELS: Record<Scenario, string> = {
  recovery: 'Recovery (lost phone / locked out)',
  newJoiner: 'New joiner',
  passkeyOnboarding: 'Passkey onboarding',
};

/** A scenario button's title: one or two short words, so three fit one line on a phone. */
export const SCENARIO_BUTTONS: Record<Scenario, string> = {
  recovery: 'Recovery',
  newJoiner: 'New joiner',
  passkeyOnboarding: 'Passkey',
};

/** What the approver picks: phrased as a statement they make about what they did. */
export const ATTESTATION_CHOICES: Record<Attestation, string> = {
  videoCall: 'Video call — I saw and recognised them',
  inPerson: 'In person — I met them and recognised them',
  knownNumberCall: 'I called them on a number I already knew',
  other: 'Other (describe it in the note)',
};

/** Short form for read-only cards, in brackets after a name: "(video call)". */
export const ATTESTATION_SHORT: Record<Attestation, string> = {
  videoCall: 'video call',
  inPerson: 'in person',
  knownNumberCall: 'call to a number they already knew',
  other: 'other means',
};

/** How identity was confirmed, to follow "Identity confirmed": each reads as a phrase of its own. */
export const CONFIRMED_HOW: Record<Attestation, string> = {
  videoCall: 'on a video call',
  inPerson: 'in person',
  knownNumberCall: 'by a call to a number they already knew',
  other: 'by other means',
};

export const APPROVER_KIND_LABELS: Record<ApproverKind, string> = {
  manager: 'Manager',
  skipLevelManager: 'Skip-level manager',
  fallbackGroup: 'Fallback approver group',
};

/** Container styles that exist in Adaptive Cards 1.5. */
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

/**
 * How a request's state looks. The words carry the meaning and the container's style
 * only repeats it: text keeps the default colour, because the host's coloured text on
 * its own tinted container is unreadable (the Playground draws warning text at 1.2:1 and
 * good text at 1.9:1 on their containers).
 */
export interface StateLook {
  label: string;
  style: ContainerStyle;
}

export const STATE_LOOKS: Record<RequestState, StateLook> = {
  PendingApproval: { label: 'Waiting for approval', style: 'accent' },
  Approved: { label: 'Approved: issuing the pass', style: 'good' },
  Issuing: { label: 'Approved: issuing the pass', style: 'good' },
  Issued: { label: 'Pass issued', style: 'good' },
  Denied: { label: 'Denied', style: 'attention' },
  Expired: { label: 'Expired without a decision', style: 'warning' },
  Failed: { label: 'Failed: no pass was issued', style: 'attention' },
  Cancelled: { label: 'Cancelled', style: 'emphasis' },
};

/** What happened to an issued pass after it was issued, and to a reported request. */
export const STORY_LOOKS = {
  handedOver: { label: 'Pass handed over', style: 'good' },
  passExpired: { label: 'Pass expired', style: 'emphasis' },
  revoked: { label: 'Pass revoked', style: 'attention' },
  reported: { label: 'Reported as suspicious', style: 'attention' },
} as const satisfies Record<string, StateLook>;

export function usageLabel(isUsableOnce: boolean): string {
  return isUsableOnce ? 'One-time use' : 'Multi-use (until it expires)';
}

export const EXISTING_TAP_WARNING =
  'This user already has a Temporary Access Pass; approving replaces it.';

/** Directory fields may be empty; a dash reads better than a blank line. */
export function orDash(value: string | null | undefined): string {
  return value && value.trim() ? value : '—';
}

/** One line of a FactSet: a label and its value. */
export interface Fact {
  title: string;
  value: string;
}
