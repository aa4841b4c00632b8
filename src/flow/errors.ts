/**
 * Workflow errors that carry more than a code: the edge renders them specially.
 */
import { FlowError, type AppError, type Sentence } from '../errors';
import { catalogue, type Catalogue } from '../i18n';
import { said, wordsIn, type StoredReason } from '../i18n/said';
import type { TapRequest } from './types';

/**
 * The request is no longer in a state that allows the action (someone else decided first,
 * it expired, it was cancelled). Carries the current stored record so the edge can answer
 * with the read-only card.
 */
export class RequestClosedError extends FlowError {
  readonly request: TapRequest;
  constructor(request: TapRequest, code: 'requestClosed' | 'requestExpired' = 'requestClosed', userMessage?: string | Sentence | StoredReason) {
    super(code, userMessage ?? closedMessage(request));
    this.request = request;
  }
}

export interface InputProblem {
  field: string;
  /** In English: logs, audit, and a form that has no other words. */
  message: string;
}

/** A problem with one field, as a sentence in every language. */
interface ProblemSaid {
  field: string;
  said: StoredReason;
}

/** A meaning as a sentence for a reader: in their zone when the edge knows it, else in `orgZone`. */
export function sentence(meaning: StoredReason, orgZone?: string): Sentence {
  return (say, zone) => wordsIn(say, meaning, zone ?? orgZone);
}

/** A reason to store (a bulk member's): the English, and its meaning for a reader of another language. */
export function reasonOf(meaning: StoredReason): { reason: string; said: StoredReason } {
  return { reason: wordsIn(catalogue('en'), meaning), said: meaning };
}

/** A failure to store on a record: its code, the English, and its meaning. */
export function failure(code: string, meaning: StoredReason): { code: string; message: string; said: StoredReason } {
  return { code, message: wordsIn(catalogue('en'), meaning), said: meaning };
}

/** What a record keeps of why it failed: the code, the English, and its meaning when it has one. */
export function failureOf(e: AppError, code: string = e.code): { code: string; message: string; said?: StoredReason } {
  return { code, message: e.userMessage, ...(e.said ? { said: e.said } : {}) };
}

/** A problem with one field, in English or as a sentence in every language. */
export type Problem = InputProblem | ProblemSaid;

/** Invalid input: every problem at once, by field, so a form can mark each one. */
export class InvalidInputError extends FlowError {
  /** Each problem in English. */
  readonly problems: InputProblem[];
  private readonly saidProblems: Problem[];
  constructor(problems: Problem[]) {
    super('invalidInput', (say, zone) => problems.map((p) => problemIn(p, say, zone)).join(' '));
    this.saidProblems = problems;
    this.problems = problems.map((p) => ({ field: p.field, message: problemIn(p, catalogue('en')) }));
  }

  /** Each problem in the reader's language, by field (for a form that marks each one). */
  problemsIn(say: Catalogue, timeZone?: string): InputProblem[] {
    return this.saidProblems.map((p) => ({ field: p.field, message: problemIn(p, say, timeZone) }));
  }
}

function problemIn(p: Problem, say: Catalogue, timeZone?: string): string {
  return 'said' in p ? wordsIn(say, p.said, timeZone) : p.message;
}

function closedMessage(request: TapRequest): StoredReason {
  const id = request.id;
  const by = request.decision?.by.displayName;
  switch (request.state) {
    case 'Approved':
    case 'Issuing':
    case 'Issued':
      return said('alreadyApproved', { id, ...(by ? { by } : {}) });
    case 'Denied':
      return said('alreadyDenied', { id, ...(by ? { by } : {}) });
    case 'Expired':
      return said('alreadyExpired', { id });
    case 'Cancelled':
      return said('alreadyCancelled', { id, ...(request.cancelledBy ? { by: request.cancelledBy.displayName } : {}) });
    case 'Failed':
      return said('alreadyFailed', { id, ...(request.failure ? { why: request.failure.said ?? request.failure.message } : {}) });
    case 'PendingApproval':
      return said('stillPending', { id });
  }
}
