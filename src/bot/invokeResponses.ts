/** Bodies of `adaptiveCard/action` answers: a new card, or an error Teams shows on the card. */
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import type { CardJson } from './ports';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const ERROR_CONTENT_TYPE = 'application/vnd.microsoft.error';

export function cardResponse(card: CardJson): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card };
}

export function invokeError(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: ERROR_CONTENT_TYPE, value: { code, message } };
}
