/**
 * A person's automatic replies (out of office), as Exchange keeps them in the mailbox
 * settings: `GET /users/{id}/mailboxSettings/automaticRepliesSetting`. Kept apart from the
 * directory (they live in Exchange, not Entra), set by tests through `state` and by anyone
 * running `npm start` through the loopback hook `PUT /_sandbox/users/{id}/automaticReplies`.
 */
import { badRequest, GraphHttpError } from './graphErrors';

type AutomaticRepliesStatus = 'disabled' | 'alwaysEnabled' | 'scheduled';

/** What a test or the hook sets: the status, and for `scheduled` the window as ISO instants (UTC). */
export interface AutomaticRepliesInput {
  status: AutomaticRepliesStatus;
  scheduledStartDateTime?: string;
  scheduledEndDateTime?: string;
  internalReplyMessage?: string;
}

const STATUSES: ReadonlySet<string> = new Set<AutomaticRepliesStatus>(['disabled', 'alwaysEnabled', 'scheduled']);

/** Graph's `dateTimeTimeZone`: a wall-clock time without offset, and the zone it is in. */
function dateTimeTimeZone(iso: string): { dateTime: string; timeZone: string } {
  // Graph writes seven fraction digits: 2026-12-07T08:00:00.0000000.
  return { dateTime: new Date(iso).toISOString().replace(/Z$/, '0000'), timeZone: 'UTC' };
}

export class Mailboxes {
  private readonly replies = new Map<string, AutomaticRepliesInput>();

  clear(): void {
    this.replies.clear();
  }

  /** Throws a sentence a test or hook caller can act on when the input is not a setting Graph could hold. */
  set(userId: string, input: AutomaticRepliesInput | null): void {
    if (input === null) {
      this.replies.delete(userId);
      return;
    }
    if (!STATUSES.has(input.status)) throw new RangeError(`'status' must be one of ${[...STATUSES].join(', ')}.`);
    if (input.status === 'scheduled') {
      const start = Date.parse(input.scheduledStartDateTime ?? '');
      const end = Date.parse(input.scheduledEndDateTime ?? '');
      if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
        throw new RangeError("A 'scheduled' setting needs 'scheduledStartDateTime' before 'scheduledEndDateTime', as ISO instants.");
      }
    }
    this.replies.set(userId, { ...input });
  }

  /** Graph's view; a guest has no mailbox in this tenant (Exchange's 404). */
  view(user: { id: string; userType: string }): Record<string, unknown> {
    if (user.userType === 'Guest') {
      throw new GraphHttpError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    }
    const set = this.replies.get(user.id) ?? { status: 'disabled' };
    // Graph always carries a window, even when the status does not use it.
    const start = set.scheduledStartDateTime ?? new Date(0).toISOString();
    const end = set.scheduledEndDateTime ?? new Date(0).toISOString();
    return {
      status: set.status,
      externalAudience: 'all',
      internalReplyMessage: set.internalReplyMessage ?? '',
      externalReplyMessage: '',
      scheduledStartDateTime: dateTimeTimeZone(start),
      scheduledEndDateTime: dateTimeTimeZone(end),
    };
  }
}

/** The hook's body, checked: a setting, or null (`{"status": null}` or an empty body) to clear it. */
export function parseAutomaticReplies(payload: Record<string, unknown>): AutomaticRepliesInput | null {
  const { status, scheduledStartDateTime: start, scheduledEndDateTime: end, internalReplyMessage: message } = payload;
  if (status === null || status === undefined) return null;
  if (typeof status !== 'string' || !STATUSES.has(status)) throw badRequest(`'status' must be one of ${[...STATUSES].join(', ')}, or null to clear.`);
  for (const [name, v] of [['scheduledStartDateTime', start], ['scheduledEndDateTime', end], ['internalReplyMessage', message]] as const) {
    if (v !== undefined && typeof v !== 'string') throw badRequest(`'${name}' must be a string.`);
  }
  return {
    status: status as AutomaticRepliesStatus,
    ...(typeof start === 'string' ? { scheduledStartDateTime: start } : {}),
    ...(typeof end === 'string' ? { scheduledEndDateTime: end } : {}),
    ...(typeof message === 'string' ? { internalReplyMessage: message } : {}),
  };
}
