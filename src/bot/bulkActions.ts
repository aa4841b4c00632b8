/**
 * Card actions of bulk requests (verbs `tap.bulk.*`), routed by exact verb like the single
 * request's. Who acts comes from the activity; the card data supplies the request id, the
 * page number and what the person typed.
 */
import type { AdaptiveCardInvokeResponse } from 'botbuilder';
import { BULK_VERBS, bulkFormCard, bulkPageCard, bulkStatusCard, type BulkVerb, type BulkViewer } from '../cards/bulk-views';
import { stepUpCard } from '../cards/render';
import { StepUpRequiredError } from '../flow/decide/stepUp';
import { isAppError } from '../errors';
import type { BulkFlow } from '../flow/bulk/bulkFlow';
import type { BulkInput, BulkRequest } from '../flow/bulk/types';
import { includesId, sameId } from '../identity';
import { SCENARIOS, type FormPolicy, type Scenario } from '../flow/types';
import { createLogger } from '../log';
import type { BulkTeamsNotifier } from './bulkNotifier';
import type { CardTurn } from './cardActions';
import { boolField, requestIdOf, textField, type CardData } from './cardData';
import { cardResponse, invokeError } from './invokeResponses';
import { chatIn, errorIn } from './reader';

const log = createLogger('bot.bulkActions');

export type BulkPort = Pick<BulkFlow, 'start' | 'decide' | 'cancel' | 'get' | 'handedOver' | 'revokeAll'>;

export interface BulkActionsOptions {
  flow: BulkPort;
  notifier: Pick<BulkTeamsNotifier, 'rememberStatusCard'>;
  policyForForm: (timeZone?: string) => Promise<FormPolicy>;
}

const INPUT_PROBLEMS = new Set(['invalidInput']);

export function viewerOf(bulk: BulkRequest, userId: string): BulkViewer {
  if (sameId(bulk.requester.id, userId)) return 'requester';
  if (includesId(bulk.approvers.map((p) => p.id), userId)) return 'approver';
  return 'other';
}

/** Form data → bulk input; the workflow validates the rules and says what is wrong. */
function parseBulkForm(data: CardData, timeZone?: string): { input: BulkInput; echo: NonNullable<Parameters<typeof bulkFormCard>[0]['echo']> & { group?: string } } {
  const scenarioText = textField(data, 'scenario');
  const scenario = (SCENARIOS.find((s) => s === scenarioText) ?? 'newJoiner') as Scenario;
  const lifetimeText = textField(data, 'lifetimeInMinutes') ?? (typeof data['lifetimeInMinutes'] === 'number' ? String(data['lifetimeInMinutes']) : undefined);
  const lifetimeInMinutes = lifetimeText && /^\d{1,6}$/.test(lifetimeText) ? Number(lifetimeText) : undefined;
  const group = textField(data, 'group') ?? '';
  const reason = textField(data, 'reason') ?? '';
  const ticket = textField(data, 'ticket');
  const startDate = textField(data, 'startDate');
  const startTime = textField(data, 'startTime');
  return {
    input: {
      group,
      scenario,
      reason,
      ...(ticket ? { ticket } : {}),
      ...(lifetimeInMinutes !== undefined ? { lifetimeInMinutes } : {}),
      ...(startDate ? { startDate, ...(startTime ? { startTime } : {}), ...(timeZone ? { timeZone } : {}) } : {}),
    },
    echo: {
      group,
      scenario,
      reason,
      ...(ticket ? { ticket } : {}),
      ...(lifetimeInMinutes !== undefined ? { lifetimeInMinutes } : {}),
      ...(startDate ? { startDate } : {}),
      ...(startTime ? { startTime } : {}),
    },
  };
}

export class BulkActions {
  private readonly routes: Readonly<Record<BulkVerb, (t: CardTurn) => Promise<AdaptiveCardInvokeResponse>>>;

  constructor(private readonly options: BulkActionsOptions) {
    this.routes = Object.freeze({
      [BULK_VERBS.submit]: (t: CardTurn) => this.onSubmit(t),
      [BULK_VERBS.approve]: (t: CardTurn) => this.onDecide(t, 'approve'),
      [BULK_VERBS.deny]: (t: CardTurn) => this.onDecide(t, 'deny'),
      [BULK_VERBS.cancel]: (t: CardTurn) => this.onCancel(t),
      [BULK_VERBS.refresh]: (t: CardTurn) => this.onRefresh(t),
      [BULK_VERBS.handedOver]: (t: CardTurn) => this.onHandedOver(t),
    });
  }

  isVerb(verb: unknown): verb is BulkVerb {
    return typeof verb === 'string' && Object.prototype.hasOwnProperty.call(this.routes, verb);
  }

  handle(verb: BulkVerb, turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    return this.routes[verb](turn);
  }

  private async onSubmit(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const { input, echo } = parseBulkForm(turn.data, turn.ctx.timeZone);
    let bulk: BulkRequest;
    try {
      bulk = await this.options.flow.start(turn.actor, input);
    } catch (e) {
      if (!isAppError(e)) throw e;
      const policy = await this.options.policyForForm(turn.ctx.timeZone);
      return cardResponse(bulkFormCard({ policy, group: echo.group ?? '', echo, error: errorIn(e, turn.ctx), ...(turn.ctx.timeZone ? { timeZone: turn.ctx.timeZone } : {}), ...(turn.ctx.language ? { language: turn.ctx.language } : {}) }));
    }
    // The form the agent clicked becomes the progress card, updated in place.
    const activityId = turn.context.activity.replyToId;
    if (activityId) await this.options.notifier.rememberStatusCard(bulk.id, turn.actor.aadObjectId, activityId);
    else log.warn('bulk submit without replyToId: the progress card will not update in place', { requestId: bulk.id });
    return cardResponse(bulkStatusCard(bulk, turn.ctx, { viewer: 'requester' }));
  }

  private async onDecide(turn: CardTurn, action: 'approve' | 'deny'): Promise<AdaptiveCardInvokeResponse> {
    const id = requestIdOf(turn.data);
    if (!id) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noRequest);
    const denyReason = textField(turn.data, 'denyReason');
    try {
      const bulk = await this.options.flow.decide(turn.actor, id, { action, attested: boolField(turn.data, 'attested') === true, ...(denyReason ? { denyReason } : {}) });
      return cardResponse(bulkStatusCard(bulk, turn.ctx, { viewer: viewerOf(bulk, turn.actor.aadObjectId) }));
    } catch (e) {
      // Step-up: the approval is held until the approver signs in again in the browser.
      if (e instanceof StepUpRequiredError) return cardResponse(stepUpCard(e.hold, turn.ctx, BULK_VERBS.refresh));
      return this.refusal(turn, id, e);
    }
  }

  private async onCancel(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const id = requestIdOf(turn.data);
    if (!id) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noRequest);
    try {
      const bulk = await this.options.flow.cancel(turn.actor, id);
      return cardResponse(bulkStatusCard(bulk, turn.ctx, { viewer: viewerOf(bulk, turn.actor.aadObjectId) }));
    } catch (e) {
      return this.refusal(turn, id, e);
    }
  }

  private async onRefresh(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const id = requestIdOf(turn.data);
    const bulk = id ? await this.options.flow.get(id) : undefined;
    if (!bulk || viewerOf(bulk, turn.actor.aadObjectId) === 'other') return invokeError(403, 'Forbidden', id ? chatIn(turn.ctx).card.notYoursId(id) : chatIn(turn.ctx).card.notYours);
    return cardResponse(bulkStatusCard(bulk, turn.ctx, { viewer: viewerOf(bulk, turn.actor.aadObjectId) }));
  }

  private async onHandedOver(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const id = requestIdOf(turn.data);
    const pageText = turn.data['page'];
    const page = typeof pageText === 'number' ? pageText : typeof pageText === 'string' && /^\d{1,5}$/.test(pageText) ? Number(pageText) : undefined;
    if (!id || page === undefined) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noPage);
    try {
      const bulk = await this.options.flow.handedOver(turn.actor, id, page);
      const shown = bulk.pages.find((p) => p.n === page);
      if (!shown) return invokeError(404, 'NotFound', chatIn(turn.ctx).card.pageGone);
      return cardResponse(bulkPageCard(bulk, shown, null, turn.ctx));
    } catch (e) {
      if (!isAppError(e)) throw e;
      return invokeError(403, 'Forbidden', errorIn(e, turn.ctx));
    }
  }

  /** A refusal: the card again with the reason when the person can see it, else just the reason. */
  private async refusal(turn: CardTurn, id: string, e: unknown): Promise<AdaptiveCardInvokeResponse> {
    if (!isAppError(e)) throw e;
    const bulk = await this.options.flow.get(id);
    const viewer = bulk ? viewerOf(bulk, turn.actor.aadObjectId) : 'other';
    if (!bulk || viewer === 'other') return invokeError(403, 'Forbidden', errorIn(e, turn.ctx));
    if (!INPUT_PROBLEMS.has(e.code)) log.info('bulk card action refused', { requestId: id, code: e.code });
    return cardResponse(bulkStatusCard(bulk, turn.ctx, { viewer, error: errorIn(e, turn.ctx) }));
  }
}
