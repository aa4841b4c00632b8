/**
 * A person's automatic replies (out of office), from their mailbox settings. Optional: the
 * permission (MailboxSettings.Read) is not among the required ones, so a 403 is an answer
 * ("not available"), never a failure that stops a request.
 */
import { GraphError } from '../errors';
import { call, userPathOrThrow, type GraphContext } from './client';
import { asObject } from './shapes';
import type { AutomaticReplies, Signal } from './types';
import { said } from '../i18n/said';

/** The application permission the read needs (least privileged). */
const MAILBOX_SETTINGS_PERMISSION = 'MailboxSettings.Read';

const STATUSES: ReadonlySet<string> = new Set<AutomaticReplies['status']>(['disabled', 'alwaysEnabled', 'scheduled']);

export async function automaticReplies(graph: GraphContext, userId: string): Promise<Signal<AutomaticReplies>> {
  const path = `${userPathOrThrow(userId, 'automaticReplies')}/mailboxSettings/automaticRepliesSetting`;
  try {
    // Times in UTC, so a schedule is read without knowing the mailbox's own zone.
    const body = await call('automaticReplies', () => graph.client.api(path).header('Prefer', 'outlook.timezone="UTC"').get());
    return { available: true, value: toAutomaticReplies(body) };
  } catch (e) {
    return unavailableBecause(e);
  }
}

/** A failed read's answer: "not available" and why, when that is what it means; else the error is thrown. */
export function unavailableBecause(e: unknown): Signal<AutomaticReplies> {
  if (e instanceof GraphError && e.code === 'forbidden') return { available: false, missing: said('needsPermission', { permission: MAILBOX_SETTINGS_PERMISSION }) };
  // No mailbox (a guest, an unlicensed account): nobody can say whether they are away.
  if (e instanceof GraphError && e.code === 'notFound') return { available: false, missing: said('needsMailbox') };
  throw e;
}

export function toAutomaticReplies(body: unknown): AutomaticReplies {
  const o = asObject(body);
  const status = typeof o['status'] === 'string' && STATUSES.has(o['status']) ? (o['status'] as AutomaticReplies['status']) : 'disabled';
  if (status !== 'scheduled') return { status };
  const start = utcInstant(o['scheduledStartDateTime']);
  const end = utcInstant(o['scheduledEndDateTime']);
  return { status, ...(start && end ? { scheduledStart: start, scheduledEnd: end } : {}) };
}

/** Graph's dateTimeTimeZone as an ISO instant, when its zone is UTC; undefined when it cannot be read as one. */
function utcInstant(value: unknown): string | undefined {
  const o = asObject(value);
  const dateTime = o['dateTime'];
  const zone = typeof o['timeZone'] === 'string' ? o['timeZone'].toLowerCase() : '';
  if (typeof dateTime !== 'string' || !['utc', 'etc/utc', 'coordinated universal time'].includes(zone)) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(dateTime) ? dateTime : `${dateTime}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}
