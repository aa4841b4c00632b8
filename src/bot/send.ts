/** Sending cards into the current conversation. */
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AppError } from '../errors';
import type { CardJson, CardRenderer } from './ports';

export async function sendCard(context: TurnContext, card: CardJson, text?: string): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), text));
}

/** A refusal in the person's chat: the error's own sentence, never internals. */
export async function sendRefusal(context: TurnContext, cards: CardRenderer, error: AppError): Promise<void> {
  await sendCard(context, cards.messageCard({ title: "I can't do that", text: error.userMessage, tone: 'attention' }));
}
