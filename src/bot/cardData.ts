/**
 * Reading `Action.Execute` data. Only user inputs and `requestId` are read from it: who
 * acts comes from the activity, never from here. Teams sends inputs as strings.
 */
import type { DecisionInput, NewRequestInput, Scenario } from '../flow/types';
import { SCENARIOS } from '../flow/types';
import { catalogue, type Catalogue } from '../i18n';
import type { RequestFormInput } from './ports';

export type CardData = Record<string, unknown>;

type FieldType = 'string' | 'number' | 'boolean';

/**
 * Every field the bot reads from card data, and the JSON types accepted for it. Teams sends
 * inputs as strings; a number or boolean is accepted where the input is one (other clients).
 */
const FIELDS: Readonly<Record<string, readonly FieldType[]>> = Object.freeze({
  requestId: ['string'],
  target: ['string'],
  reason: ['string'],
  ticket: ['string'],
  scenario: ['string'],
  /** A scenario button's own choice (the dropdown input is `scenario`, sent with the same click). */
  chosenScenario: ['string'],
  /** The scenario whose settings the form was drawn with (sent with Send). */
  drawnScenario: ['string'],
  lifetimeInMinutes: ['string', 'number'],
  isUsableOnce: ['string', 'boolean'],
  attestation: ['string'],
  attestationNote: ['string'],
  denyReason: ['string'],
  suspicionReason: ['string'],
  calledNumber: ['string'],
  startDate: ['string'],
  startTime: ['string'],
  // Bulk passes for a group
  group: ['string'],
  attested: ['string', 'boolean'],
  page: ['string', 'number'],
});

/** Far above any input's maxLength on the cards (500): only a forged payload is longer. */
export const MAX_FIELD_LENGTH = 2000;

/**
 * The card data as the handlers may read it: the known fields only (so `__proto__` or
 * `constructor` keys never reach them), each of an accepted type. `problem` says in one
 * sentence what is wrong when a field is not; the caller answers 400 with it.
 */
export function readCardData(raw: unknown): { data: CardData; problem?: undefined } | { problem: string } {
  if (raw === undefined || raw === null) return { data: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { problem: 'The card data must be an object.' };
  const data: CardData = {};
  for (const [name, types] of Object.entries(FIELDS)) {
    const v = own(raw, name);
    if (v === null || v === undefined) continue;
    const type = typeof v;
    if (!types.some((t) => t === type)) return { problem: `The card field "${name}" must be ${types.map(describe).join(' or ')}.` };
    if (typeof v === 'string' && v.length > MAX_FIELD_LENGTH) return { problem: `The card field "${name}" is too long (at most ${MAX_FIELD_LENGTH} characters).` };
    if (typeof v === 'number' && !Number.isFinite(v)) return { problem: `The card field "${name}" must be a finite number.` };
    data[name] = v;
  }
  return { data };
}

function describe(type: FieldType): string {
  return type === 'string' ? 'text' : `a ${type}`;
}

/** Own properties only: an inherited `toString` is not a field the card sent. */
function own(o: object, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, name) ? (o as CardData)[name] : undefined;
}

export function textField(data: CardData, name: string): string | undefined {
  const v = own(data, name);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function requestIdOf(data: CardData): string | undefined {
  const id = textField(data, 'requestId');
  return id && id.length <= 32 ? id : undefined;
}

export function boolField(data: CardData, name: string): boolean | undefined {
  const v = own(data, name);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  return undefined;
}

export interface ParsedForm {
  /** What to show again on the form (nothing the agent typed is lost). */
  echo: Omit<RequestFormInput, 'isUsableOnce'> & { isUsableOnce?: boolean };
  /** Set when the data could be read; otherwise `problem` says what is wrong. */
  input?: NewRequestInput;
  problem?: string;
}

/**
 * Form data → request input; shape problems are reported here, rules by the workflow. A
 * start is typed as a local date and time in `timeZone` (the agent's zone, from Teams).
 */
export function parseRequestForm(data: CardData, timeZone?: string, say: Catalogue['chat'] = catalogue('en').chat): ParsedForm {
  const startDate = textField(data, 'startDate');
  const startTime = textField(data, 'startTime');
  const target = textField(data, 'target');
  const reason = textField(data, 'reason');
  const ticket = textField(data, 'ticket');
  const scenarioText = textField(data, 'scenario');
  const scenario = SCENARIOS.find((s) => s === scenarioText) as Scenario | undefined;
  const lifetimeText = own(data, 'lifetimeInMinutes');
  const lifetime = typeof lifetimeText === 'number' ? lifetimeText : textField(data, 'lifetimeInMinutes');
  const lifetimeInMinutes = typeof lifetime === 'number' ? lifetime : lifetime !== undefined && /^\d{1,6}$/.test(lifetime) ? Number(lifetime) : undefined;
  const isUsableOnce = boolField(data, 'isUsableOnce');
  const echo: ParsedForm['echo'] = {
    ...(isUsableOnce !== undefined ? { isUsableOnce } : {}),
    ...(target ? { target } : {}),
    ...(reason ? { reason } : {}),
    ...(ticket ? { ticket } : {}),
    ...(scenario ? { scenario } : {}),
    ...(lifetimeInMinutes !== undefined ? { lifetimeInMinutes } : {}),
    ...(startDate ? { start: { date: startDate, time: startTime ?? '' } } : {}),
  };
  const problems: string[] = [];
  if (!target) problems.push(say.form.target);
  if (!reason) problems.push(say.form.reason);
  if (!scenario) problems.push(say.form.scenario);
  if (lifetime !== undefined && (lifetimeInMinutes === undefined || !Number.isInteger(lifetimeInMinutes))) {
    problems.push(say.form.lifetime);
  } else if (lifetimeText === '') {
    // The lifetime left unchosen (the form comes back so after a refused lifetime): the agent
    // chooses; the default is never slipped in unseen.
    problems.push(say.form.lifetimeNotChosen);
  }
  if (problems.length > 0 || !target || !reason || !scenario) return { echo, problem: problems.join(' ') };
  return {
    echo,
    input: {
      target,
      reason,
      scenario,
      ...(isUsableOnce !== undefined ? { isUsableOnce } : {}),
      ...(ticket ? { ticket } : {}),
      ...(lifetimeInMinutes !== undefined ? { lifetimeInMinutes } : {}),
      ...(startDate ? { startDate, ...(startTime ? { startTime } : {}), ...(timeZone ? { timeZone } : {}) } : {}),
    },
  };
}

export function parseDecision(data: CardData, action: DecisionInput['action']): DecisionInput {
  const attestation = textField(data, 'attestation');
  const attestationNote = textField(data, 'attestationNote');
  const calledNumber = textField(data, 'calledNumber');
  const denyReason = textField(data, 'denyReason');
  return {
    action,
    ...(attestation ? { attestation } : {}),
    ...(attestationNote ? { attestationNote } : {}),
    ...(calledNumber ? { calledNumber } : {}),
    ...(denyReason ? { denyReason } : {}),
  };
}
