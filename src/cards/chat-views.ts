/**
 * View models for the conversational cards: welcome, help, the request form and plain
 * messages.
 */
import { SCENARIOS, type Scenario } from '../flow/types';
import { formatDuration } from './format';
import { type ContainerStyle, SCENARIO_BUTTONS, SCENARIO_LABELS } from './labels';
import type { Fact } from './labels';
import { VERBS } from './verbs';
import { GRAPH_MAX_LIFETIME, GRAPH_MIN_LIFETIME } from '../flow/request/validation';

/** Graph's absolute bounds for a TAP lifetime, used when the tenant policy is unknown. */
const GRAPH_LIFETIME_BOUNDS = { min: GRAPH_MIN_LIFETIME, max: GRAPH_MAX_LIFETIME } as const;
const FALLBACK_LIFETIME_MINUTES = 60;

// Concrete examples rather than "<upn>": angle brackets can be eaten as HTML by renderers.
const COMMANDS: Fact[] = [
  { title: 'tap megan@contoso.com', value: 'See who that is, then request a Temporary Access Pass for them.' },
  { title: 'tap group New Joiners', value: 'Passes for every member of a group (by name or object id): checked, approved once by a bulk approver.' },
  { title: 'status', value: 'Your recent requests.' },
  { title: 'status megan@contoso.com', value: 'Recent requests for that user.' },
  { title: 'cancel TAP-7K3F9Q', value: 'Cancel a request that is still waiting for approval (or BULK-… to stop a bulk request).' },
  { title: 'revoke TAP-7K3F9Q', value: 'Delete a pass that was issued, so it no longer works.' },
  { title: 'revoke BULK-7K3F9Q', value: 'Stop every pass a group request made (and the request, if still running).' },
  { title: 'report TAP-7K3F9Q <why>', value: 'Report a request as suspicious: it is stopped (or its pass revoked) and security is told.' },
  { title: 'help', value: 'Show this list.' },
];

/** What an approver can type (a manager, a fallback or second approver). */
const APPROVER_COMMANDS: Fact[] = [
  { title: 'pending', value: 'The requests waiting for your decision.' },
  { title: 'revoke TAP-7K3F9Q', value: 'Delete a pass you approved, so it no longer works.' },
  { title: 'report TAP-7K3F9Q <why>', value: 'Report a request as suspicious: it is stopped (or its pass revoked) and security is told.' },
  { title: 'help', value: 'Show this list.' },
];

/** Who is reading the help: the commands are theirs, not everyone's. */
export interface HelpReader {
  isAgent: boolean;
  /** Has been asked to approve (something waits for them, or did). */
  isApprover: boolean;
}

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

export function helpView(reader: HelpReader = { isAgent: true, isApprover: false }): HelpView {
  if (reader.isAgent) {
    const pending = reader.isApprover ? [{ title: 'pending', value: 'The requests waiting for your decision.' }] : [];
    return {
      title: 'What you can type',
      subtitle: 'Commands for helpdesk agents, in this chat',
      commands: [...COMMANDS.slice(0, -1), ...pending, COMMANDS[COMMANDS.length - 1]!],
      footer:
        'Every request is approved by the user\'s manager (or a skip-level manager or the fallback approvers). ' +
        'The pass is shown once and removed from the card when you mark it handed over or when it expires.',
    };
  }
  if (reader.isApprover) {
    return {
      title: 'What you can type',
      subtitle: 'For approvers, in this chat',
      commands: APPROVER_COMMANDS,
      footer:
        'When the helpdesk asks for a pass for one of your people, the approval card arrives here. ' +
        'Approve only after you have verified it is really them, on a video call, in person, or by calling a number you already knew.',
    };
  }
  return {
    title: 'TAP helpdesk',
    subtitle: 'Temporary Access Passes for the helpdesk',
    commands: [{ title: 'pending', value: 'Approval requests waiting for you (if the helpdesk asks you to confirm someone).' }, { title: 'help', value: 'Show this list.' }],
    footer:
      'You are not in the helpdesk group, so you cannot request passes. If you are a manager, approval cards for your people ' +
      'arrive in this chat. If you need a pass yourself, contact your helpdesk: they will ask your manager to confirm it is you.',
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
  /** What the chosen scenario means, in one line (from the flow's presets). */
  scenarioNote?: string;
  /** The start fields, shown when the scenario asks for a start or one was typed. */
  start?: { date: string; time: string };
  /** The zone the start is typed in (the agent's, from Teams; else the organisation's). */
  timeZone?: string;
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
  lifetimeChoices: Fact[];
  /** '' when nothing allowed was asked for: the agent picks, nothing is silently moved into bounds. */
  lifetimeValue: string;
  lifetimeError: string;
  forcedOneTime: boolean;
  isUsableOnceValue: 'true' | 'false';
  submitVerb: string;
  /** One button per scenario: picking one redraws the form with its defaults. */
  scenarioButtons: Array<{ title: string; verb: string; scenario: string }>;
  /** Which scenario the form is drawn for, in words (never in a button title). */
  chosenScenario: string;
  hasScenarioNote: boolean;
  scenarioNote: string;
  showStart: boolean;
  startDate: string;
  startTime: string;
  startLabel: string;
}

/** Lifetimes people ask for; the form offers those within the policy, plus its bounds and default. */
const COMMON_LIFETIMES_IN_MINUTES = [10, 15, 30, 60, 90, 120, 240, 480, 720, 1440, 2880, 4320, 10080, 20160, 43200];

/** The durations the form offers: only ones the policy allows, so none can be refused later. */
export function allowedLifetimes(min: number, max: number, extra: number[] = []): number[] {
  const within = (m: number): boolean => Number.isInteger(m) && m >= min && m <= max;
  return [...new Set([min, ...COMMON_LIFETIMES_IN_MINUTES, ...extra, max])].filter(within).sort((a, b) => a - b);
}

export function requestFormView(opts: RequestFormOptions): RequestFormView {
  const min = opts.policy?.minimumLifetimeInMinutes ?? GRAPH_LIFETIME_BOUNDS.min;
  const max = opts.policy?.maximumLifetimeInMinutes ?? GRAPH_LIFETIME_BOUNDS.max;
  const fallback = opts.policy?.defaultLifetimeInMinutes ?? FALLBACK_LIFETIME_MINUTES;
  const asked = opts.lifetimeInMinutes;
  const askedAllowed = asked !== undefined && Number.isInteger(asked) && asked >= min && asked <= max;
  const choices = allowedLifetimes(min, max, [fallback, ...(askedAllowed ? [asked] : [])]);
  // A lifetime outside the bounds is never moved into them: the choice stays empty and the error says why.
  const value = asked !== undefined ? (askedAllowed ? asked : undefined) : choices.includes(fallback) ? fallback : undefined;
  const forcedOneTime = opts.policy?.forcedOneTime ?? false;
  const bounds = `${formatDuration(min)} to ${formatDuration(max)}`;
  return {
    hasError: Boolean(opts.error),
    error: opts.error ?? '',
    target: opts.target ?? '',
    reason: opts.reason ?? '',
    ticket: opts.ticket ?? '',
    scenario: opts.scenario ?? '',
    scenarioChoices: SCENARIOS.map((s) => ({ title: SCENARIO_LABELS[s], value: s })),
    lifetimeLabel: `How long the pass works (your policy allows ${bounds})`,
    lifetimeChoices: choices.map((m) => ({ title: m === fallback ? `${formatDuration(m)} (default)` : formatDuration(m), value: String(m) })),
    lifetimeValue: value === undefined ? '' : String(value),
    lifetimeError: `Choose how long the pass works: from ${bounds}.`,
    forcedOneTime,
    isUsableOnceValue: forcedOneTime || opts.isUsableOnce ? 'true' : 'false',
    submitVerb: VERBS.submitRequest,
    // A button never carries state: the line under the buttons says which scenario is chosen.
    scenarioButtons: SCENARIOS.map((sc) => ({ title: SCENARIO_BUTTONS[sc], verb: VERBS.formScenario, scenario: sc })),
    chosenScenario: opts.scenario ? `Chosen: ${SCENARIO_LABELS[opts.scenario]}` : 'No scenario chosen yet: pick one of the buttons.',
    hasScenarioNote: Boolean(opts.scenarioNote),
    scenarioNote: opts.scenarioNote ?? '',
    showStart: opts.start !== undefined,
    startDate: opts.start?.date ?? '',
    startTime: opts.start?.time ?? '',
    startLabel: `Starts on: date and time in ${opts.timeZone ?? 'UTC'}`,
  };
}

export interface MessageOptions {
  title: string;
  text: string;
  tone: 'good' | 'attention' | 'warning' | 'default';
}

/** The container carries the tone; the title keeps the default colour, readable on every tint. */
const TONE_STYLES: Record<MessageOptions['tone'], ContainerStyle> = {
  good: 'good',
  attention: 'attention',
  warning: 'warning',
  default: 'emphasis',
};

export function messageView(opts: MessageOptions): { title: string; text: string; style: ContainerStyle } {
  return { title: opts.title, text: opts.text, style: TONE_STYLES[opts.tone] };
}
