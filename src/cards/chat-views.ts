/**
 * View models for the conversational cards: welcome, help, the request form and plain
 * messages.
 */
import { SCENARIOS, type Scenario } from '../flow/types';
import { type CardContext, type CardWords, cardWords, catalogueOf, formatDuration } from './format';
import { wordsIn, type StoredReason } from '../i18n/said';
import type { ContainerStyle } from './labels';
import type { Fact } from './labels';
import { VERBS } from './verbs';
import { GRAPH_MAX_LIFETIME, GRAPH_MIN_LIFETIME } from '../flow/request/validation';

/** Graph's absolute bounds for a TAP lifetime, used when the tenant policy is unknown. */
const GRAPH_LIFETIME_BOUNDS = { min: GRAPH_MIN_LIFETIME, max: GRAPH_MAX_LIFETIME } as const;
const FALLBACK_LIFETIME_MINUTES = 60;

// Concrete examples rather than "<upn>": angle brackets can be eaten as HTML by renderers. The command words stay English.
function commands(w: CardWords): Fact[] {
  const c = w.commands;
  return [
    { title: 'tap megan@contoso.com', value: c.tap },
    { title: 'tap group New Joiners', value: c.tapGroup },
    { title: 'status', value: c.status },
    { title: 'status megan@contoso.com', value: c.statusFor },
    { title: 'cancel TAP-7K3F9Q', value: c.cancel },
    { title: 'revoke TAP-7K3F9Q', value: c.revoke },
    { title: 'revoke BULK-7K3F9Q', value: c.revokeBulk },
    { title: `report TAP-7K3F9Q ${c.reportWhy}`, value: c.report },
    { title: 'help', value: c.help },
  ];
}

/** What an approver can type (a manager, a fallback or second approver). */
function approverCommands(w: CardWords): Fact[] {
  const c = w.commands;
  return [
    { title: 'pending', value: c.pending },
    { title: 'revoke TAP-7K3F9Q', value: c.revokeOwn },
    { title: `report TAP-7K3F9Q ${c.reportWhy}`, value: c.report },
    { title: 'help', value: c.help },
  ];
}

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
  /** The template's own words. */
  t: CardWords['welcome']['template'];
}

export function welcomeView(isAgent: boolean, ctx?: Pick<CardContext, 'language'>): WelcomeView {
  const w = cardWords(ctx);
  return {
    title: w.welcome.title,
    subtitle: w.welcome.subtitle,
    intro: w.welcome.intro,
    audience: w.welcome.audience,
    isAgent,
    commands: commands(w),
    notAgentNote: w.welcome.notAgent,
    t: w.welcome.template,
  };
}

export interface HelpView {
  title: string;
  subtitle: string;
  commands: Fact[];
  footer: string;
}

export function helpView(reader: HelpReader = { isAgent: true, isApprover: false }, ctx?: Pick<CardContext, 'language'>): HelpView {
  const w = cardWords(ctx);
  const h = w.help;
  if (reader.isAgent) {
    const all = commands(w);
    const pending = reader.isApprover ? [{ title: 'pending', value: w.commands.pending }] : [];
    return { title: h.title, subtitle: h.agentSubtitle, commands: [...all.slice(0, -1), ...pending, all[all.length - 1]!], footer: h.agentFooter };
  }
  if (reader.isApprover) return { title: h.title, subtitle: h.approverSubtitle, commands: approverCommands(w), footer: h.approverFooter };
  return {
    title: h.otherTitle,
    subtitle: h.otherSubtitle,
    commands: [{ title: 'pending', value: w.commands.pendingOther }, { title: 'help', value: w.commands.help }],
    footer: h.otherFooter,
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
  /** What the chosen scenario means, in one line (from the flow's presets): English, and its meaning for the reader's words. */
  scenarioNote?: string;
  scenarioNoteSaid?: StoredReason;
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
  /** The template's own words. */
  t: CardWords['form']['template'];
}

/** Lifetimes people ask for; the form offers those within the policy, plus its bounds and default. */
const COMMON_LIFETIMES_IN_MINUTES = [10, 15, 30, 60, 90, 120, 240, 480, 720, 1440, 2880, 4320, 10080, 20160, 43200];

/** The durations the form offers: only ones the policy allows, so none can be refused later. */
export function allowedLifetimes(min: number, max: number, extra: number[] = []): number[] {
  const within = (m: number): boolean => Number.isInteger(m) && m >= min && m <= max;
  return [...new Set([min, ...COMMON_LIFETIMES_IN_MINUTES, ...extra, max])].filter(within).sort((a, b) => a - b);
}

export function requestFormView(opts: RequestFormOptions, ctx?: Pick<CardContext, 'language'>): RequestFormView {
  const w = cardWords(ctx);
  const f = w.form;
  const language = ctx?.language;
  const min = opts.policy?.minimumLifetimeInMinutes ?? GRAPH_LIFETIME_BOUNDS.min;
  const max = opts.policy?.maximumLifetimeInMinutes ?? GRAPH_LIFETIME_BOUNDS.max;
  const fallback = opts.policy?.defaultLifetimeInMinutes ?? FALLBACK_LIFETIME_MINUTES;
  const asked = opts.lifetimeInMinutes;
  const askedAllowed = asked !== undefined && Number.isInteger(asked) && asked >= min && asked <= max;
  const choices = allowedLifetimes(min, max, [fallback, ...(askedAllowed ? [asked] : [])]);
  // A lifetime outside the bounds is never moved into them: the choice stays empty and the error says why.
  const value = asked !== undefined ? (askedAllowed ? asked : undefined) : choices.includes(fallback) ? fallback : undefined;
  const forcedOneTime = opts.policy?.forcedOneTime ?? false;
  const bounds = f.bounds(formatDuration(min, language), formatDuration(max, language));
  return {
    hasError: Boolean(opts.error),
    error: opts.error ?? '',
    target: opts.target ?? '',
    reason: opts.reason ?? '',
    ticket: opts.ticket ?? '',
    scenario: opts.scenario ?? '',
    scenarioChoices: SCENARIOS.map((s) => ({ title: w.scenario[s], value: s })),
    lifetimeLabel: f.lifetimeLabel(bounds),
    lifetimeChoices: choices.map((m) => ({ title: m === fallback ? f.lifetimeDefault(formatDuration(m, language)) : formatDuration(m, language), value: String(m) })),
    lifetimeValue: value === undefined ? '' : String(value),
    forcedOneTime,
    isUsableOnceValue: forcedOneTime || opts.isUsableOnce ? 'true' : 'false',
    submitVerb: VERBS.submitRequest,
    // A button never carries state: the line under the buttons says which scenario is chosen.
    scenarioButtons: SCENARIOS.map((sc) => ({ title: w.scenarioButton[sc], verb: VERBS.formScenario, scenario: sc })),
    chosenScenario: opts.scenario ? f.chosen(w.scenario[opts.scenario]) : f.noneChosen,
    hasScenarioNote: Boolean(opts.scenarioNote),
    scenarioNote: opts.scenarioNoteSaid ? wordsIn(catalogueOf(w), opts.scenarioNoteSaid, undefined, opts.scenarioNote ?? '') : (opts.scenarioNote ?? ''),
    showStart: opts.start !== undefined,
    startDate: opts.start?.date ?? '',
    startTime: opts.start?.time ?? '',
    startLabel: f.startLabel(opts.timeZone ?? 'UTC'),
    t: f.template,
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
