/**
 * Which activity shows which card of a request to whom (key `cardrefs/<requestId>`), so a
 * state change updates those cards in place. Holds activity ids only: never card content,
 * and so never a pass.
 */
import type { RequestState } from '../flow/types';
import { updateItem } from '../storage/casUpdate';
import type { DurableStorage } from '../storage/types';

/** `owner`: the account owner's notice of a pass issued for them. */
export type CardKind = 'status' | 'approval' | 'delivery' | 'owner';

export interface CardRef {
  activityId: string;
  /** Storage key of the conversation reference the activity lives in (`convref/<userId>`). */
  conversationKey: string;
}

/**
 * Per user, one card of each kind: the delivery recipient may be the agent (who also has
 * the status card) or the manager (who also has the approval card).
 */
export interface CardRefsDoc {
  cards: Record<string, Partial<Record<CardKind, CardRef>>>;
  /** Outcomes the requester was already told of, so repeated updates do not repeat them. */
  /** Notices already sent: outcome states, or keys like `revoked:<userId>`. */
  toldRequester?: NoticeKey[];
}

export type NoticeKey = RequestState | `${string}:${string}`;

function cardRefsKey(requestId: string): string {
  return `cardrefs/${requestId}`;
}

export class CardRefStore {
  constructor(private readonly storage: DurableStorage) {}

  async get(requestId: string): Promise<CardRefsDoc> {
    const key = cardRefsKey(requestId);
    const item = (await this.storage.read([key]))[key] as (CardRefsDoc & { eTag?: string }) | undefined;
    return item ? { cards: item.cards ?? {}, ...(item.toldRequester ? { toldRequester: item.toldRequester } : {}) } : { cards: {} };
  }

  async register(requestId: string, userId: string, kind: CardKind, ref: CardRef): Promise<void> {
    await updateItem<CardRefsDoc>(this.storage, cardRefsKey(requestId), (current) => {
      const doc = current ?? { cards: {} };
      const existing = doc.cards[userId]?.[kind];
      if (existing && existing.activityId === ref.activityId && existing.conversationKey === ref.conversationKey) return undefined;
      return { ...doc, cards: { ...doc.cards, [userId]: { ...doc.cards[userId], [kind]: { activityId: ref.activityId, conversationKey: ref.conversationKey } } } };
    });
    // A code goes on a delivery card next: recovery must find that card after a power cut too (durableBefore.ts).
    if (kind === 'delivery') await this.storage.barrier?.();
  }

  /** True the first time the requester is to be told of `state`; false after. */
  /** True the first time for this request and notice key (a state, or e.g. `revoked:<userId>`): tell once. */
  async claimRequesterNotice(requestId: string, state: NoticeKey): Promise<boolean> {
    let claimed = false;
    await updateItem<CardRefsDoc>(this.storage, cardRefsKey(requestId), (current) => {
      const doc = current ?? { cards: {} };
      claimed = !(doc.toldRequester ?? []).includes(state);
      return claimed ? { ...doc, toldRequester: [...(doc.toldRequester ?? []), state] } : undefined;
    });
    return claimed;
  }
}
