/**
 * Input validation for what agents and approvers submit. Messages say what is wrong and
 * how to fix it; every problem is reported at once (InvalidInputError.problems).
 */
import { FlowError } from '../../errors';
import { InvalidInputError, type InputProblem } from '../errors';
import { localToUtc } from './localTime';
import { ATTESTATIONS, SCENARIOS, type Attestation, type DecisionInput, type NewRequestInput } from '../types';

/** Longest UPN Entra accepts: 64 characters before the @, 48 after. */
const MAX_UPN_LENGTH = 113;
const REASON_MIN = 3;
const REASON_MAX = 500;
export const NOTE_MAX = 300;
/** Graph's absolute bounds for lifetimeInMinutes; the tenant policy narrows them. */
/** Graph's absolute lifetime bounds of a Temporary Access Pass, whatever the tenant policy says (one home). */
export const GRAPH_MIN_LIFETIME = 10;
export const GRAPH_MAX_LIFETIME = 43200;
export const MAX_START_IN_DAYS = 30;

// Characters Entra allows in a UPN's local part (letters, digits, ' . - _ ! # ^ ~), plus
// `$` and `+` seen in real mail addresses; `#EXT#` guest forms pass and are refused later
// by the guest rule with a clearer message than "invalid".
const UPN = /^[a-z0-9'._!#^~$+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const TICKET = /^[A-Za-z0-9#_.-]{1,40}$/;
// ISO 8601 instant with an explicit zone: a bare local time would be read in the server's zone.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const CONTROL_ALL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A request input that passed validation (trimmed, normalised). */
export type ValidRequest = NewRequestInput;

export interface ValidDecision {
  action: 'approve' | 'deny';
  attestation?: Attestation;
  attestationNote?: string;
  denyReason?: string;
}

/** Normalise a sign-in name, or describe what is wrong with it. */
export function normaliseUpn(raw: unknown): { upn: string } | { problem: string } {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { problem: 'Say who the pass is for: their sign-in name, like megan@contoso.com.' };
  }
  const upn = raw.trim().toLowerCase();
  if (upn.length > MAX_UPN_LENGTH) {
    return { problem: `"${shorten(upn)}" is too long for a sign-in name (at most ${MAX_UPN_LENGTH} characters).` };
  }
  if (/[\s<>]/.test(upn) || CONTROL.test(upn)) {
    return { problem: `"${shorten(visible(upn))}" contains spaces or characters a sign-in name cannot have; type it like megan@contoso.com.` };
  }
  if (!UPN.test(upn)) {
    return { problem: `"${shorten(upn)}" is not a sign-in name; type it like megan@contoso.com.` };
  }
  return { upn };
}

export function validateNewRequest(input: NewRequestInput, now: Date): ValidRequest {
  const problems: InputProblem[] = [];
  const target = normaliseUpn(input.target);
  if ('problem' in target) problems.push({ field: 'target', message: target.problem });
  const details = validatePassDetails(input, now, problems);
  if (problems.length > 0) throw new InvalidInputError(problems);
  return { target: (target as { upn: string }).upn, ...details };
}

/** What a pass request says besides who it is for (a single request, or a bulk one for a group). */
export type PassDetails = Omit<ValidRequest, 'target'>;

/** Reason, ticket, scenario, lifetime, one-time use and start: each problem is added to `problems`. */
export function validatePassDetails(input: Omit<NewRequestInput, 'target'>, now: Date, problems: InputProblem[]): PassDetails {
  const add = (field: string, message: string): void => {
    problems.push({ field, message });
  };

  const reason = cleanText(input.reason);
  if (reason.length < REASON_MIN) add('reason', `Give a reason of at least ${REASON_MIN} characters (what happened, e.g. "lost phone, new device").`);
  else if (reason.length > REASON_MAX) add('reason', `Keep the reason under ${REASON_MAX} characters (it has ${reason.length}); put details in the ticket.`);

  let ticket: string | undefined;
  if (input.ticket !== undefined && input.ticket !== null) {
    const t = typeof input.ticket === 'string' ? input.ticket.trim() : '';
    if (t !== '') {
      if (TICKET.test(t)) ticket = t;
      else add('ticket', 'A ticket number is up to 40 letters, digits, #, _, . or - (e.g. INC-12345).');
    }
  }

  if (!SCENARIOS.includes(input.scenario)) {
    add('scenario', `Choose a scenario: ${SCENARIOS.join(', ')}.`);
  }

  const lifetime = parseWholeNumber(input.lifetimeInMinutes);
  if (lifetime === 'invalid') {
    add('lifetimeInMinutes', 'The lifetime must be a whole number of minutes, e.g. 60.');
  } else if (lifetime !== undefined && (lifetime < GRAPH_MIN_LIFETIME || lifetime > GRAPH_MAX_LIFETIME)) {
    add('lifetimeInMinutes', `The lifetime must be between ${GRAPH_MIN_LIFETIME} and ${GRAPH_MAX_LIFETIME} minutes (you gave ${lifetime}).`);
  }

  if (input.isUsableOnce !== undefined && typeof input.isUsableOnce !== 'boolean') {
    add('isUsableOnce', 'One-time use must be yes or no.');
  }

  let startDateTime: string | undefined;
  let startInstant = input.startDateTime;
  if (input.startDate !== undefined && input.startDate !== '') {
    // Typed on the form in the agent's zone: the zone is part of the answer, never guessed.
    const zone = input.timeZone ?? 'UTC';
    const local = localToUtc(String(input.startDate), typeof input.startTime === 'string' && input.startTime !== '' ? input.startTime : '00:00', zone);
    if (!local) add('startDate', `The start must be a real date (YYYY-MM-DD) and time (HH:MM) in ${zone}.`);
    else startInstant = local;
  }
  if (startInstant !== undefined && startInstant !== null && startInstant !== '') {
    const start = parseInstant(startInstant);
    const latest = now.getTime() + MAX_START_IN_DAYS * 24 * 60 * 60 * 1000;
    if (!start) add('startDateTime', 'The start must be a date and time with a time zone, e.g. 2025-03-01T09:00:00Z.');
    else if (start.getTime() <= now.getTime()) add('startDateTime', `The start (${start.toISOString().slice(0, 16).replace('T', ' ')} UTC) is in the past; leave it empty to start the pass as soon as it is issued.`);
    else if (start.getTime() > latest) add('startDateTime', `The start can be at most ${MAX_START_IN_DAYS} days ahead.`);
    else startDateTime = start.toISOString();
  }

  return {
    reason,
    ...(ticket !== undefined ? { ticket } : {}),
    scenario: input.scenario,
    ...(typeof lifetime === 'number' ? { lifetimeInMinutes: lifetime } : {}),
    ...(typeof input.isUsableOnce === 'boolean' ? { isUsableOnce: input.isUsableOnce } : {}),
    ...(startDateTime !== undefined ? { startDateTime } : {}),
  };
}

export function validateDecision(input: DecisionInput): ValidDecision {
  if (input.action !== 'approve' && input.action !== 'deny') {
    throw new InvalidInputError([{ field: 'action', message: 'Choose Approve or Deny.' }]);
  }
  const problems: InputProblem[] = [];
  if (input.action === 'deny') {
    const denyReason = cleanText(input.denyReason);
    if (denyReason.length > NOTE_MAX) problems.push({ field: 'denyReason', message: `Keep the reason for denying under ${NOTE_MAX} characters.` });
    if (problems.length > 0) throw new InvalidInputError(problems);
    return { action: 'deny', ...(denyReason ? { denyReason } : {}) };
  }

  const attestation = typeof input.attestation === 'string' ? input.attestation.trim() : '';
  if (attestation === '') {
    throw new FlowError('attestationRequired', 'Before approving, say how you verified it is really them: video call, in person, or a call to a number you already knew.');
  }
  const note = cleanText(input.attestationNote);
  if (!isAttestation(attestation)) {
    problems.push({ field: 'attestation', message: `Choose how you verified the person: ${ATTESTATIONS.join(', ')}.` });
  } else if (attestation === 'other' && note === '') {
    // "Other" says nothing on its own; the audit needs to know what was done.
    problems.push({ field: 'attestationNote', message: 'You chose "other": describe how you verified the person.' });
  }
  if (note.length > NOTE_MAX) problems.push({ field: 'attestationNote', message: `Keep the verification note under ${NOTE_MAX} characters.` });
  if (problems.length > 0) throw new InvalidInputError(problems);
  return { action: 'approve', attestation: attestation as Attestation, ...(note ? { attestationNote: note } : {}) };
}

/** Free text as stored: control characters become spaces, runs of spaces collapse. */
export function cleanText(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return raw.replace(CONTROL_ALL, ' ').replace(/ {2,}/g, ' ').trim();
}

function isAttestation(value: string): value is Attestation {
  return (ATTESTATIONS as readonly string[]).includes(value);
}

// Card inputs arrive as strings; accept "60" as well as 60, nothing else.
function parseWholeNumber(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return 'invalid';
}

function parseInstant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value.trim())) return undefined;
  const d = new Date(value.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function visible(text: string): string {
  return text.replace(CONTROL_ALL, '?');
}
