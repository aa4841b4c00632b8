/**
 * Remembers each person's 1:1 conversation with the bot (key `convref/<aadObjectId>`), so
 * the bot can write to them later (approval cards, delivery, outcomes), with the time zone
 * and locale their Teams client last told us, so what the bot sends on its own initiative is
 * in their zone and language, as a reply in their chat would be.
 */
import { canonicalId } from '../identity';
import { isTimeZone } from '../flow/request/localTime';
import type { Activity, ConversationReference } from 'botbuilder';
import { TurnContext } from 'botbuilder';
import { createLogger } from '../log';
import { ConcurrencyError } from '../errors';
import { ETAG_CREATE_ONLY, type DurableStorage } from '../storage/types';
import { localeOf } from './reader';
import { tenantIdsOf } from './tenantGuard';

const log = createLogger('bot.conversations');

export interface StoredConversation {
  reference: Partial<ConversationReference>;
  /** IANA zone from the person's Teams client, when it told us. */
  timeZone?: string;
  /** The locale of their Teams client (`activity.locale`, e.g. "da-DK"), when it told us. */
  locale?: string;
  /** They have been sent an approval card: their help lists what an approver can do. */
  approver?: true;
  /** Conversation id the welcome card was sent in (so it is sent once per conversation). */
  welcomedConversationId?: string;
  updatedAt: string;
}

export interface ConversationStoreOptions {
  clock?: () => Date;
}

export function conversationKey(aadObjectId: string): string {
  return `convref/${aadObjectId}`;
}

/** Teams marks 1:1 chats `personal`; other channels (Emulator) leave it out for 1:1. */
export function isPersonalConversation(activity: Partial<Activity>): boolean {
  const c = activity.conversation;
  if (!c) return false;
  if (c.conversationType) return c.conversationType === 'personal';
  return c.isGroup !== true;
}

export class ConversationStore {
  private readonly clock: () => Date;

  constructor(private readonly storage: DurableStorage, options: ConversationStoreOptions = {}) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * Save the reference of a person's 1:1 conversation, if it changed. Returns what is
   * stored now (undefined when the activity is not from a person in a 1:1 chat).
   */
  async remember(activity: Activity): Promise<StoredConversation | undefined> {
    const userId = canonicalId(activity.from?.aadObjectId);
    if (!userId || activity.from.role === 'bot' || !isPersonalConversation(activity)) return undefined;
    const key = conversationKey(userId);
    const stored = await this.get(userId);
    const timeZone = timeZoneOf(activity) ?? stored?.timeZone;
    const locale = localeOf(activity) ?? stored?.locale;
    // The reference carries the last known locale too (proactive messages are sent with it),
    // so an activity that leaves it out, or sends one that is no language tag, changes nothing.
    const { locale: _sent, ...withoutLocale } = referenceOf(activity);
    const reference: Partial<ConversationReference> = { ...withoutLocale, ...(locale ? { locale } : {}) };
    if (stored && sameJson(stored.reference, reference) && stored.timeZone === timeZone && stored.locale === locale) return stored;
    const next: StoredConversation = {
      reference,
      ...(timeZone ? { timeZone } : {}),
      ...(locale ? { locale } : {}),
      ...(stored?.approver ? { approver: true as const } : {}),
      // The welcome marker belongs to a conversation; a new conversation is welcomed again.
      ...(stored?.welcomedConversationId === reference.conversation?.id ? { welcomedConversationId: stored?.welcomedConversationId } : {}),
      updatedAt: this.clock().toISOString(),
    };
    // Last writer wins: two writes of one person's reference carry the same facts.
    await this.storage.write({ [key]: { ...next, eTag: '*' } });
    log.debug('conversation reference saved', { userId, conversationId: reference.conversation?.id });
    return next;
  }

  async get(aadObjectId: string): Promise<StoredConversation | undefined> {
    const key = conversationKey(aadObjectId);
    const item = (await this.storage.read([key]))[key] as (StoredConversation & { eTag?: string }) | undefined;
    if (!item) return undefined;
    const { eTag: _eTag, ...rest } = item;
    return rest;
  }

  /** Save a reference obtained another way (e.g. after installing the app for a person). */
  async save(aadObjectId: string, reference: Partial<ConversationReference>): Promise<void> {
    const stored = await this.get(aadObjectId);
    const next: StoredConversation = { ...stored, reference: withoutActivityId(reference), updatedAt: this.clock().toISOString() };
    await this.storage.write({ [conversationKey(aadObjectId)]: { ...next, eTag: '*' } });
  }

  /** Marks the person as someone who was asked to approve (once: later calls write nothing). */
  async markApprover(aadObjectId: string): Promise<void> {
    const stored = await this.get(aadObjectId);
    if (!stored || stored.approver) return;
    await this.storage.write({ [conversationKey(aadObjectId)]: { ...stored, approver: true, eTag: '*' } });
  }

  /**
   * True the first time for a group chat or channel conversation: the bot says once there
   * that passes are handled in the 1:1 chat, and then stays quiet.
   */
  async claimGroupNotice(conversationId: string): Promise<boolean> {
    const key = `groupnotice/${encodeURIComponent(conversationId.slice(0, 200))}`;
    try {
      await this.storage.write({ [key]: { at: this.clock().toISOString(), eTag: ETAG_CREATE_ONLY } });
      return true;
    } catch (e) {
      if (e instanceof ConcurrencyError) return false;
      throw e;
    }
  }

  /** Records that the welcome card went out in this conversation; false if it already had. */
  async markWelcomed(aadObjectId: string, conversationId: string): Promise<boolean> {
    const stored = await this.get(aadObjectId);
    if (!stored || stored.welcomedConversationId === conversationId) return false;
    await this.storage.write({ [conversationKey(aadObjectId)]: { ...stored, welcomedConversationId: conversationId, eTag: '*' } });
    return true;
  }

  /** After an uninstall the next install is welcomed again. */
  async forgetWelcome(aadObjectId: string): Promise<void> {
    const stored = await this.get(aadObjectId);
    if (!stored?.welcomedConversationId) return;
    const { welcomedConversationId: _w, ...rest } = stored;
    await this.storage.write({ [conversationKey(aadObjectId)]: { ...rest, eTag: '*' } });
  }
}

/**
 * The reference without the per-message activity id (else every message would rewrite it),
 * and with the tenant the guard checked in `conversation.tenantId`, so proactive turns built
 * from it pass the tenant guard too.
 */
function referenceOf(activity: Activity): Partial<ConversationReference> {
  const reference = withoutActivityId(TurnContext.getConversationReference(activity));
  const tenantId = tenantIdsOf(activity)[0];
  if (reference.conversation && !reference.conversation.tenantId && tenantId) {
    reference.conversation = { ...reference.conversation, tenantId };
  }
  return reference;
}

function withoutActivityId(reference: Partial<ConversationReference>): Partial<ConversationReference> {
  const { activityId: _activityId, ...rest } = reference;
  return JSON.parse(JSON.stringify(rest)) as Partial<ConversationReference>;
}

/**
 * The reader's time zone: the activity's `localTimezone`, else Teams' `clientInfo` entity,
 * if it names one this runtime knows.
 */
export function timeZoneOf(activity: Partial<Activity>): string | undefined {
  const info = activity.entities?.find((e) => e.type === 'clientInfo');
  return [activity.localTimezone, info?.['timezone']].find(isKnownZone);
}

function isKnownZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length > 0 && zone.length <= 64 && isTimeZone(zone);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
