/** Sending cards into the current conversation. */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { CardContext } from '../cards/format';
import type { AppError } from '../errors';
import type { CardJson, CardRenderer } from './ports';
import { chatIn, errorIn } from './reader';

export async function sendCard(context: TurnContext, card: CardJson, text?: string): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), text));
}

/** A refusal in the person's chat: the error's own sentence in their language, never internals. */
export async function sendRefusal(context: TurnContext, cards: CardRenderer, error: AppError, ctx: CardContext): Promise<void> {
  await sendCard(context, cards.messageCard({ title: chatIn(ctx).refusedTitle, text: errorIn(error, ctx), tone: 'attention' }));
}
