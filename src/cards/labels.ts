/**
 * How a request's state looks, and the small shared shapes of the card views. The words
 * themselves are in the catalogue (`cards` in src/i18n/en.ts and its translations).
 */
import type { RequestState } from '../flow/types';
import type { CardWords } from './format';

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

export const STATE_STYLES: Record<RequestState, ContainerStyle> = {
  PendingApproval: 'accent',
  Approved: 'good',
  Issuing: 'good',
  Issued: 'good',
  Denied: 'attention',
  Expired: 'warning',
  Failed: 'attention',
  Cancelled: 'emphasis',
};

/** What happened to an issued pass after it was issued, and to a reported request. */
export const STORY_STYLES = {
  handedOver: 'good',
  passExpired: 'emphasis',
  revoked: 'attention',
  reported: 'attention',
} as const satisfies Record<keyof CardWords['story'], ContainerStyle>;

export function usageLabel(isUsableOnce: boolean, w: CardWords): string {
  return isUsableOnce ? w.usage.once : w.usage.many;
}

/** Directory fields may be empty; a dash reads better than a blank line. */
export function orDash(value: string | null | undefined): string {
  return value && value.trim() ? value : '—';
}

/** One line of a FactSet: a label and its value. */
export interface Fact {
  title: string;
  value: string;
}
