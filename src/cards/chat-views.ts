/**
 * View models for the conversational cards: welcome, help, the request form and plain
 * messages.
 */
import { SCENARIOS, type Scenario } from '../flow/types';
import { formatDuration } from './format';
import { type ContainerStyle, SCENARIO_LABELS, type Tone } from './labels';
import type { Fact } from './outcome';
import { VERBS } from './verbs';

/** Graph's absolute bounds for a TAP lifetime, used when the tenant policy is unknown. */
export const GRAPH_LIFETIME_BOUNDS = { min: 10, max: 43200 } as const;
const FALLBACK_LIFETIME_MINUTES = 60;

// Concrete examples rather than "<upn>": angle brackets can be eaten as HTML by renderers.
export const COMMANDS: Fact[] = [
  { title: 'tap megan@contoso.com', value: 'Request a Temporary Access Pass for that user.' },
  { title: 'status', value: 'Your recent requests.' },
  { title: 'status megan@contoso.com', value: 'Recent requests for that user.' },
  { title: 'cancel TAP-7K3F9Q', value: 'Cancel a request that is still waiting for approval.' },
  { title: 'help', value: 'Show this list.' },
];

export interface WelcomeView {
  title: string;
  subtitle: string;
  intro: string;
  audience: string[];
  isAgent: boolean;
  commands: Fact[];
  notAgentNote: string;
}

export function welcomeView(isAgent: boolean): WelcomeView {
  return {
    title: 'TAP helpdesk',
    subtitle: 'Temporary Access Passes, confirmed by the user\'s manager',
    intro:
      'I get a Temporary Access Pass for a user who has lost their phone, is new, or is setting up a passkey. ' +
      'Before any pass is issued, the user\'s manager confirms who they are on an approval card. ' +
      'The pass is shown once, to the person who hands it over, with a guide for the user.',
    audience: [
      'Helpdesk agents (members of the helpdesk group) can request passes.',
      'Managers receive approval cards here and confirm how they verified the person.',
      'Passes are never issued to guests, to administrators, or to protected accounts.',
    ],
    isAgent,
    commands: COMMANDS,
    notAgentNote:
      'You are not in the helpdesk group, so you cannot request passes. ' +
      'If you are a manager, approval requests for your people will appear in this chat.',
  };
}

export interface HelpView {
  title: string;
  subtitle: string;
  commands: Fact[];
  footer: string;
}

export function helpView(): HelpView {
  return {
    title: 'What you can type',
    subtitle: 'Commands for helpdesk agents, in this chat',
    commands: COMMANDS,
    footer:
      'Every request is approved by the user\'s manager (or a skip-level manager or the fallback approvers). ' +
      'The pass is shown once and removed from the card when you mark it handed over or when it expires.',
  };
}

export interface RequestFormOptions {
  target?: string;
  reason?: string;
  ticket?: string;
  scenario?: Scenario;
  lifetimeInMinutes?: number;
  isUsableOnce: boolean;
  policy?: {
    minimumLifetimeInMinutes: number;
    maximumLifetimeInMinutes: number;
    defaultLifetimeInMinutes: number;
    forcedOneTime: boolean;
  };
  error?: string;
}

export interface RequestFormView {
  hasError: boolean;
  error: string;
  target: string;
  reason: string;
  ticket: string;
  scenario: string;
  scenarioChoices: Fact[];
  lifetimeLabel: string;
  lifetimeMin: number;
  lifetimeMax: number;
  lifetimeValue: number;
  lifetimeError: string;
  forcedOneTime: boolean;
  isUsableOnceValue: 'true' | 'false';
  submitVerb: string;
}

export function requestFormView(opts: RequestFormOptions): RequestFormView {
  const min = opts.policy?.minimumLifetimeInMinutes ?? GRAPH_LIFETIME_BOUNDS.min;
  const max = opts.policy?.maximumLifetimeInMinutes ?? GRAPH_LIFETIME_BOUNDS.max;
  const value = opts.lifetimeInMinutes ?? opts.policy?.defaultLifetimeInMinutes ?? FALLBACK_LIFETIME_MINUTES;
  const forcedOneTime = opts.policy?.forcedOneTime ?? false;
  return {
    hasError: Boolean(opts.error),
    error: opts.error ?? '',
    target: opts.target ?? '',
    reason: opts.reason ?? '',
    ticket: opts.ticket ?? '',
    scenario: opts.scenario ?? '',
    scenarioChoices: SCENARIOS.map((s) => ({ title: SCENARIO_LABELS[s], value: s })),
    lifetimeLabel: `How long the pass works, in minutes (${min}–${max})`,
    lifetimeMin: min,
    lifetimeMax: max,
    lifetimeValue: Math.min(max, Math.max(min, value)),
    lifetimeError: `Enter a lifetime from ${formatDuration(min)} to ${formatDuration(max)} (${min}–${max} minutes).`,
    forcedOneTime,
    isUsableOnceValue: forcedOneTime || opts.isUsableOnce ? 'true' : 'false',
    submitVerb: VERBS.submitRequest,
  };
}

export interface MessageOptions {
  title: string;
  text: string;
  tone: 'good' | 'attention' | 'warning' | 'default';
}

const TONE_LOOKS: Record<MessageOptions['tone'], { style: ContainerStyle; color: Tone }> = {
  good: { style: 'good', color: 'good' },
  attention: { style: 'attention', color: 'attention' },
  // Yellow text on the yellow container is hard to read: the container carries the tone.
  warning: { style: 'warning', color: 'default' },
  default: { style: 'emphasis', color: 'default' },
};

export function messageView(opts: MessageOptions): { title: string; text: string; style: ContainerStyle; color: Tone } {
  return { title: opts.title, text: opts.text, ...TONE_LOOKS[opts.tone] };
}
