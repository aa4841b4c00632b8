/**
 * The shape of what the end user reads: the guide card and the guide page
 * (src/web/guidePage.ts) are both built from it, so they always say the same. Nothing here
 * names a person or holds a time: the page is public, and the card adds its facts
 * (account, validity) around these texts.
 */
import type { Scenario } from '../flow/types';

export const SECURITY_INFO_URL = 'https://aka.ms/mysecurityinfo';

export interface GuideStrings {
  title: string;
  /** The card's line under the title. */
  subtitle: (displayName: string) => string;
  intro: Record<Scenario, string>;
  facts: { account: string; validFrom: string; validUntil: string; use: string };
  startsWhenIssued: string;
  usableOnce: string;
  usableMany: string;
  stepsHeading: string;
  /** The same numbered steps on the card and the page. */
  steps: Record<Scenario, string[]>;
  /** How a one-time or a multi-use pass changes what to do. */
  usage: { once: string; many: string };
  /** On the page, which does not know the pass: the usual kind of pass for the scenario. */
  scenarioUsage: Record<Scenario, 'once' | 'many'>;
  finishBy: (expiresAt: string) => string;
  finishWithin: (lifetime: string) => string;
  troubleHeading: string;
  trouble: string[];
  doNotShare: string;
  /** On the card: where the same guide opens on a phone. */
  onYourPhone: (url: string) => string;
  /** The page's own lines. */
  page: { language: string; otherLanguage: string; noPersonalData: string };
}

