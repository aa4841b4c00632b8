/**
 * One catalogue of coded errors. Every error a person may see has a code and a sentence
 * written for that person; internals (stack, Graph payloads) stay in the logs.
 * Never put a TAP value in any of these.
 */
import { type Catalogue, en } from './i18n/en';
import { type StoredReason, wordsIn } from './i18n/said';

export type GraphErrorCode =
  | 'notFound'
  | 'forbidden'
  | 'policy'
  | 'guest'
  | 'throttled'
  | 'unavailable'
  | 'badRequest'
  | 'unauthorized'
  | 'unknown';

export type FlowErrorCode =
  | 'notHelpdeskAgent'
  | 'wrongTenant'
  | 'invalidInput'
  | 'targetNotFound'
  | 'targetIsGuest'
  | 'targetIsSelf'
  | 'targetPrivileged'
  | 'targetProtected'
  | 'targetDisabled'
  | 'policyDisabled'
  | 'lifetimeOutOfBounds'
  | 'noApprover'
  | 'approverUnreachable'
  | 'notApprover'
  | 'notRequester'
  | 'requestNotFound'
  | 'requestClosed'
  | 'requestExpired'
  | 'attestationRequired'
  | 'concurrentUpdate'
  | 'duplicateRequest'
  | 'targetOutOfPolicyScope'
  | 'limitReached'
  | 'changedSinceRequest'
  | 'notParty'
  | 'notRevocable'
  | 'riskElevated'
  // Bulk passes for a group
  | 'bulkNotConfigured'
  | 'bulkTooLarge'
  | 'bulkEmpty'
  | 'bulkNoApprover'
  | 'bulkNobodyEligible'
  | 'bulkTooEarly'
  | 'bulkNotOpen'
  | 'groupNotFound'
  | 'groupAmbiguous';

/**
 * A sentence for a person, in whatever language they read: it picks its words from the
 * reader's catalogue (src/i18n), so the rule that refuses says why once, in every language.
 */
export type Sentence = (say: Catalogue, timeZone?: string) => string;

/** Base class: `code` for programs, `userMessage` for people. */
export abstract class AppError extends Error {
  abstract readonly code: string;
  /** The sentence in English: logs, audit and any reader whose language is unknown. */
  readonly userMessage: string;
  /** The sentence as its meaning (catalogue entry and values), when it was made from one: what a record keeps to say it again later. */
  readonly said: StoredReason | undefined;
  private readonly sentence: Sentence | undefined;

  protected constructor(userMessage: string | Sentence | StoredReason, detail?: string, options?: { cause?: unknown }) {
    const sentence: Sentence | undefined =
      typeof userMessage === 'string' ? undefined : typeof userMessage === 'function' ? userMessage : (say, timeZone) => wordsIn(say, userMessage, timeZone);
    const english = typeof userMessage === 'string' ? userMessage : (sentence?.(en) ?? '');
    super(detail ?? english, options);
    this.userMessage = english;
    this.sentence = sentence;
    this.said = typeof userMessage === 'object' ? userMessage : undefined;
    this.name = new.target.name;
  }

  /**
   * The sentence safe to show the person in Teams, in their language (English where it has no
   * other words yet), with any time in it written in `timeZone` when the reader's zone is known.
   */
  messageIn(say: Catalogue, timeZone?: string): string {
    return this.sentence ? this.sentence(say, timeZone) : this.userMessage;
  }
}

/** A Graph call failed; `userMessage` explains it (missing permission, throttled, ...). */
export class GraphError extends AppError {
  readonly code: GraphErrorCode;
  readonly status: number;
  /** Graph's own error code (e.g. `Authorization_RequestDenied`), for logs. */
  readonly graphCode: string | undefined;
  /** For `throttled`: seconds until a retry makes sense. */
  readonly retryAfterSeconds: number | undefined;
  /** For `forbidden`: the application permission that is most likely missing. */
  readonly missingPermission: string | undefined;

  constructor(init: {
    code: GraphErrorCode;
    status: number;
    userMessage: string | Sentence | StoredReason;
    detail?: string;
    graphCode?: string;
    retryAfterSeconds?: number;
    missingPermission?: string;
    cause?: unknown;
  }) {
    super(init.userMessage, init.detail, { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.graphCode = init.graphCode;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.missingPermission = init.missingPermission;
  }
}

/** A workflow rule refused something; the message says why and what to do. */
export class FlowError extends AppError {
  readonly code: FlowErrorCode;
  constructor(code: FlowErrorCode, userMessage: string | Sentence | StoredReason, detail?: string) {
    super(userMessage, detail);
    this.code = code;
  }
}

/** Configuration is invalid; lists every problem at once. */
export class ConfigError extends Error {
  readonly code = 'invalidConfig';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
    this.name = 'ConfigError';
  }
}

/** Storage refused a write because the item changed since it was read (ETag mismatch). */
export class ConcurrencyError extends Error {
  readonly code = 'etagMismatch';
  constructor(key: string) {
    super(`Storage item "${key}" was changed by someone else (ETag mismatch).`);
    this.name = 'ConcurrencyError';
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
