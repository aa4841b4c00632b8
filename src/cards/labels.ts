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

/** What the approver picks: phrased as a statement they make about what they did. */
export const ATTESTATION_CHOICES: Record<Attestation, string> = {
  videoCall: 'Video call — I saw and recognised them',
  inPerson: 'In person — I met them and recognised them',
  knownNumberCall: 'I called them on a number I already knew',
  other: 'Other (describe it in the note)',
};

/** Short form for read-only cards and outcome lines. */
export const ATTESTATION_SHORT: Record<Attestation, string> = {
  videoCall: 'video call',
  inPerson: 'in person',
  knownNumberCall: 'call to a number they already knew',
  other: 'other means',
};

export const APPROVER_KIND_LABELS: Record<ApproverKind, string> = {
  manager: 'Manager',
  skipLevelManager: 'Skip-level manager',
  fallbackGroup: 'Fallback approver group',
};

export type Tone = 'good' | 'attention' | 'warning' | 'accent' | 'default';
/** Container styles that exist in Adaptive Cards 1.5. */
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface StateLook {
  label: string;
  color: Tone;
  style: ContainerStyle;
}

export const STATE_LOOKS: Record<RequestState, StateLook> = {
  PendingApproval: { label: 'Waiting for approval', color: 'accent', style: 'accent' },
  Approved: { label: 'Approved — issuing the pass', color: 'good', style: 'good' },
  Issuing: { label: 'Approved — issuing the pass', color: 'good', style: 'good' },
  Issued: { label: 'Pass issued', color: 'good', style: 'good' },
  Denied: { label: 'Denied', color: 'attention', style: 'attention' },
  Expired: { label: 'Expired without a decision', color: 'warning', style: 'warning' },
  Failed: { label: 'Failed', color: 'attention', style: 'attention' },
  Cancelled: { label: 'Cancelled', color: 'default', style: 'emphasis' },
};

export function usageLabel(isUsableOnce: boolean): string {
  return isUsableOnce ? 'One-time use' : 'Multi-use (until it expires)';
}

export const EXISTING_TAP_WARNING =
  'This user already has a Temporary Access Pass; approving replaces it.';

/** Directory fields may be empty; a dash reads better than a blank line. */
export function orDash(value: string | null | undefined): string {
  return value && value.trim() ? value : '—';
}
