/**
 * Input validation for what agents and approvers submit. Messages say what is wrong and
 * how to fix it; every problem is reported at once (InvalidInputError.problems).
 */
import { FlowError } from '../../errors';
import { InvalidInputError, type Problem } from '../errors';
import { said, type StoredReason } from '../../i18n/said';
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
/** Apostrophes a phone or a word processor types for ' (miriam.o’brien): the same name. */
const TYPOGRAPHIC_APOSTROPHES = /[\u2018\u2019\u02bc\u2032]/g;
/** Characters nobody sees: zero-width spaces and joiners, marks, the byte-order mark, a soft hyphen. */
const HIDDEN = /[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/;
const HIDDEN_ALL = /[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/g;

/** A request input that passed validation (trimmed, normalised). */
export type ValidRequest = NewRequestInput;

export interface ValidDecision {
  action: 'approve' | 'deny';
  attestation?: Attestation;
  attestationNote?: string;
  denyReason?: string;
}

/** Normalise a sign-in name, or describe what is wrong with it. */
export function normaliseUpn(raw: unknown): { upn: string } | { problem: StoredReason } {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { problem: said('upnMissing') };
  }
  const upn = raw.trim().toLowerCase().replace(TYPOGRAPHIC_APOSTROPHES, "'");
  if (upn.length > MAX_UPN_LENGTH) {
    return { problem: said('upnTooLong', { upn: shorten(upn), max: MAX_UPN_LENGTH }) };
  }
  if (HIDDEN.test(upn)) {
    return { problem: said('upnHiddenCharacter', { upn: shorten(upn.replace(HIDDEN_ALL, '?')) }) };
  }
  if (/[\s<>]/.test(upn) || CONTROL.test(upn)) {
    return { problem: said('upnBadCharacters', { upn: shorten(visible(upn)) }) };
  }
  // A sign-in name is plain ASCII: a letter from another alphabet (a Cyrillic е) only looks right.
  const foreign = [...upn].find((c) => c.charCodeAt(0) > 0x7e);
  if (foreign) {
    return { problem: said('upnLookAlike', { upn: shorten(upn), character: foreign, code: `U+${foreign.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` }) };
  }
  if (!UPN.test(upn)) {
    return { problem: said('upnNotUpn', { upn: shorten(upn) }) };
  }
  return { upn };
}

export function validateNewRequest(input: NewRequestInput, now: Date): ValidRequest {
  const problems: Problem[] = [];
  const target = normaliseUpn(input.target);
  if ('problem' in target) problems.push({ field: 'target', said: target.problem });
  const details = validatePassDetails(input, now, problems);
  if (problems.length > 0) throw new InvalidInputError(problems);
  return { target: (target as { upn: string }).upn, ...details };
}

/** What a pass request says besides who it is for (a single request, or a bulk one for a group). */
export type PassDetails = Omit<ValidRequest, 'target'>;

/** Reason, ticket, scenario, lifetime, one-time use and start: each problem is added to `problems`. */
export function validatePassDetails(input: Omit<NewRequestInput, 'target'>, now: Date, problems: Problem[]): PassDetails {
  const add = (field: string, sentence: StoredReason): void => {
    problems.push({ field, said: sentence });
  };

  const reason = cleanText(input.reason);
  if (reason.length < REASON_MIN) add('reason', said('reasonTooShort', { min: REASON_MIN }));
  else if (reason.length > REASON_MAX) add('reason', said('reasonTooLong', { max: REASON_MAX, has: reason.length }));

  let ticket: string | undefined;
  if (input.ticket !== undefined && input.ticket !== null) {
    const t = typeof input.ticket === 'string' ? input.ticket.trim() : '';
    if (t !== '') {
      if (TICKET.test(t)) ticket = t;
      else add('ticket', said('ticketInvalid'));
    }
  }

  if (!SCENARIOS.includes(input.scenario)) {
    add('scenario', said('scenarioInvalid', { choices: [...SCENARIOS] }));
  }

  const lifetime = parseWholeNumber(input.lifetimeInMinutes);
  if (lifetime === 'invalid') {
    add('lifetimeInMinutes', said('lifetimeNotWhole'));
  } else if (lifetime !== undefined && (lifetime < GRAPH_MIN_LIFETIME || lifetime > GRAPH_MAX_LIFETIME)) {
    add('lifetimeInMinutes', said('lifetimeOutOfRange', { min: GRAPH_MIN_LIFETIME, max: GRAPH_MAX_LIFETIME, given: lifetime }));
  }

  if (input.isUsableOnce !== undefined && typeof input.isUsableOnce !== 'boolean') {
    add('isUsableOnce', said('usableOnceNotYesNo'));
  }

  let startDateTime: string | undefined;
  let startInstant = input.startDateTime;
  if (input.startDate !== undefined && input.startDate !== '') {
    // Typed on the form in the agent's zone: the zone is part of the answer, never guessed.
    const zone = input.timeZone ?? 'UTC';
    const local = localToUtc(String(input.startDate), typeof input.startTime === 'string' && input.startTime !== '' ? input.startTime : '00:00', zone);
    if (!local) add('startDate', said('startNotReal', { zone }));
    else startInstant = local;
  }
  if (startInstant !== undefined && startInstant !== null && startInstant !== '') {
    const start = parseInstant(startInstant);
    const latest = now.getTime() + MAX_START_IN_DAYS * 24 * 60 * 60 * 1000;
    if (!start) add('startDateTime', said('startNeedsZone'));
    else if (start.getTime() <= now.getTime()) add('startDateTime', said('startInPast', { at: start.toISOString(), ...(input.timeZone ? { zone: input.timeZone } : {}) }));
    else if (start.getTime() > latest) add('startDateTime', said('startTooFar', { days: MAX_START_IN_DAYS }));
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
    throw new InvalidInputError([{ field: 'action', said: said('chooseApproveOrDeny') }]);
  }
  const problems: Problem[] = [];
  if (input.action === 'deny') {
    const denyReason = cleanText(input.denyReason);
    if (denyReason.length > NOTE_MAX) problems.push({ field: 'denyReason', said: said('denyReasonTooLong', { max: NOTE_MAX }) });
    if (problems.length > 0) throw new InvalidInputError(problems);
    return { action: 'deny', ...(denyReason ? { denyReason } : {}) };
  }

  const attestation = typeof input.attestation === 'string' ? input.attestation.trim() : '';
  if (attestation === '') {
    throw new FlowError('attestationRequired', said('attestationRequired'));
  }
  const note = cleanText(input.attestationNote);
  if (!isAttestation(attestation)) {
    problems.push({ field: 'attestation', said: said('attestationChoose', { choices: [...ATTESTATIONS] }) });
  } else if (attestation === 'other' && note === '') {
    // "Other" says nothing on its own; the audit needs to know what was done.
    problems.push({ field: 'attestationNote', said: said('attestationOtherNeedsNote') });
  }
  if (note.length > NOTE_MAX) problems.push({ field: 'attestationNote', said: said('attestationNoteTooLong', { max: NOTE_MAX }) });
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
