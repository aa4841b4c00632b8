/**
 * botbuilder's TestAdapter plus what it lacks for this bot: proactive turns
 * (`continueConversationAsync`) and a record of everything sent and updated.
 */
import { ActivityEx, TestAdapter, TurnContext } from 'botbuilder';
import type { Activity, ConversationReference, ResourceResponse } from 'botbuilder';
import type { ClaimsIdentity } from 'botframework-connector';

export interface Recorded {
  activity: Partial<Activity>;
  /** Conversation the activity went to. */
  conversationId: string | undefined;
  proactive: boolean;
}

type Logic = (context: TurnContext) => Promise<void>;

export class RecordingAdapter extends TestAdapter {
  readonly sent: Recorded[] = [];
  readonly updated: Recorded[] = [];
  readonly continuedWith: { botAppId: string; reference: Partial<ConversationReference> }[] = [];
  /** Conversation ids whose proactive sends fail (Teams unreachable). */
  readonly failingConversations = new Set<string>();
  private proactiveDepth = 0;
  private nextId = 1;

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversationId = context.activity.conversation?.id;
    if (this.proactiveDepth > 0 && conversationId && this.failingConversations.has(conversationId)) {
      throw new Error(`connector refused the activity: ${JSON.stringify(activities)}`);
    }
    for (const a of activities) {
      if (!a.id && a.type !== 'invokeResponse') a.id = `act-${this.nextId++}`;
      this.sent.push({ activity: a, conversationId, proactive: this.proactiveDepth > 0 });
    }
    return super.sendActivities(context, activities);
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    this.updated.push({ activity, conversationId: activity.conversation?.id ?? context.activity.conversation?.id, proactive: this.proactiveDepth > 0 });
    return super.updateActivity(context, activity);
  }

  override async continueConversationAsync(
    botAppIdOrClaims: string | ClaimsIdentity,
    reference: Partial<ConversationReference>,
    logicOrAudience: string | Logic,
    maybeLogic?: Logic,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new TypeError('logic is required');
    this.continuedWith.push({ botAppId: typeof botAppIdOrClaims === 'string' ? botAppIdOrClaims : 'claims', reference });
    const context = new TurnContext(this, ActivityEx.getContinuationActivity(reference));
    this.proactiveDepth++;
    try {
      await this.runMiddleware(context, logic);
    } finally {
      this.proactiveDepth--;
    }
  }

  /** The invoke response of the last invoke turn (what Teams would get back). */
  lastInvokeResponse(): { status: number; body: { statusCode: number; type: string; value: Record<string, unknown> } } | undefined {
    const r = [...this.sent].reverse().find((s) => s.activity.type === 'invokeResponse');
    return r?.activity.value as ReturnType<RecordingAdapter['lastInvokeResponse']>;
  }

  /** Cards sent (not invoke responses), optionally to one conversation. */
  sentCards(conversationId?: string): Record<string, unknown>[] {
    return this.sent
      .filter((s) => s.activity.type === 'message' && (conversationId === undefined || s.conversationId === conversationId))
      .flatMap((s) => (s.activity.attachments ?? []).map((a) => a.content as Record<string, unknown>));
  }

  sentTexts(conversationId?: string): string[] {
    return this.sent
      .filter((s) => s.activity.type === 'message' && (conversationId === undefined || s.conversationId === conversationId))
      .map((s) => s.activity.text ?? '')
      .filter(Boolean);
  }

  clearRecords(): void {
    this.sent.length = 0;
    this.updated.length = 0;
    this.continuedWith.length = 0;
  }
}
