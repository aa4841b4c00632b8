/**
 * Card actions (Universal Actions, invoke `adaptiveCard/action`), routed by exact verb.
 * The actor comes from the activity (see TapBot); card data only supplies `requestId` and
 * what the person typed. Every answer is a card for this person, or an error body.
 */
import type { AdaptiveCardInvokeResponse, TurnContext } from 'botbuilder';
import { cardWords, type CardContext } from '../cards/format';
import { VERBS, type Verb } from '../cards/verbs';
import { isAppError } from '../errors';
import { SCENARIOS, type Actor, type FormPolicy, type Scenario, type TapRequest } from '../flow/types';
import { createLogger } from '../log';
import { parseDecision, parseRequestForm, requestIdOf, textField, type CardData, type ParsedForm } from './cardData';
import type { CardKind, CardRefStore } from './cardRefs';
import { conversationKey } from './conversations';
import { cardResponse, invokeError } from './invokeResponses';
import type { CardJson, CardRenderer, FlowPort, RequestFormInput } from './ports';
import { chatIn, errorIn, ownerContext } from './reader';
import { sendRefusal } from './send';
import { approvalViewer, rolesOf } from './views';
import { stepUpCard } from '../cards/render';
import { StepUpRequiredError } from '../flow/decide/stepUp';

const log = createLogger('bot.cardActions');

/** One card action, as a handler sees it. */
export interface CardTurn {
  context: TurnContext;
  actor: Actor;
  data: CardData;
  ctx: CardContext;
}

type VerbHandler = (turn: CardTurn) => Promise<AdaptiveCardInvokeResponse>;

/** Refusals of what the person typed on the card: the card comes back with it, and the error. */
const INPUT_PROBLEMS = new Set(['attestationRequired', 'invalidInput']);

/** Refusals where the read-only card already says everything. */
const SELF_EXPLAINING = new Set(['requestClosed', 'requestExpired', 'concurrentUpdate']);

export interface CardActionsOptions {
  flow: FlowPort;
  cardRefs: CardRefStore;
  cards: CardRenderer;
  clock: () => Date;
}

export class CardActions {
  private readonly flow: FlowPort;
  private readonly cardRefs: CardRefStore;
  private readonly cards: CardRenderer;
  private readonly clock: () => Date;
  private readonly routes: Readonly<Record<Verb, VerbHandler>>;

  constructor(options: CardActionsOptions) {
    this.flow = options.flow;
    this.cardRefs = options.cardRefs;
    this.cards = options.cards;
    this.clock = options.clock;
    this.routes = Object.freeze({
      [VERBS.submitRequest]: (t: CardTurn) => this.onSubmitRequest(t),
      [VERBS.formScenario]: (t: CardTurn) => this.onFormScenario(t),
      [VERBS.approve]: (t: CardTurn) => this.onDecide(t, 'approve'),
      [VERBS.deny]: (t: CardTurn) => this.onDecide(t, 'deny'),
      [VERBS.cancel]: (t: CardTurn) => this.onCancel(t),
      [VERBS.handedOver]: (t: CardTurn) => this.onHandedOver(t),
      [VERBS.refresh]: (t: CardTurn) => this.onRefresh(t),
      [VERBS.revoke]: (t: CardTurn) => this.onRevoke(t),
      [VERBS.report]: (t: CardTurn) => this.onReport(t),
      [VERBS.notMe]: (t: CardTurn) => this.onNotMe(t),
    });
  }

  /** Own properties only: "toString" or "__proto__" are not verbs. */
  isVerb(verb: unknown): verb is Verb {
    return typeof verb === 'string' && Object.prototype.hasOwnProperty.call(this.routes, verb);
  }

  handle(verb: Verb, turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    return this.routes[verb](turn);
  }

  private async onSubmitRequest(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    // Who may ask comes first: someone outside the helpdesk learns only that, not how the form is checked.
    try {
      await this.flow.assertAgent(turn.actor);
    } catch (e) {
      if (!isAppError(e)) throw e;
      return cardResponse(this.cards.messageCard({ title: chatIn(turn.ctx).card.notAvailable, text: errorIn(e, turn.ctx), tone: 'attention' }));
    }
    const form = parseRequestForm(turn.data, turn.ctx.timeZone, chatIn(turn.ctx));
    if (!form.input) return cardResponse(await this.formAgain(form.echo, form.problem ?? chatIn(turn.ctx).card.checkForm, turn.ctx));
    // A scenario chosen in the list (not by its button) while the settings below are another
    // scenario's: its defaults are filled in and shown before anything is asked, so a passkey
    // onboarding pass never goes out with a recovery's one-time hour.
    const drawn = SCENARIOS.find((s) => s === textField(turn.data, 'drawnScenario'));
    if (drawn && drawn !== form.input.scenario) return this.formWithDefaults(turn, form.echo, form.input.scenario, true);
    let request: TapRequest;
    try {
      request = await this.flow.startRequest(turn.actor, form.input);
    } catch (e) {
      if (!isAppError(e)) throw e;
      return cardResponse(await this.formAgain(form.echo, errorIn(e, turn.ctx), turn.ctx));
    }
    // The form the agent clicked becomes the status card: remember it for in-place updates.
    const activityId = turn.context.activity.replyToId;
    if (activityId) {
      await this.cardRefs.register(request.id, turn.actor.aadObjectId, 'status', { activityId, conversationKey: conversationKey(turn.actor.aadObjectId) });
    } else {
      log.warn('submit without replyToId: status card will not update in place', { requestId: request.id });
    }
    return cardResponse(this.cards.requestStatusCard(request, turn.ctx));
  }

  private async onDecide(turn: CardTurn, action: 'approve' | 'deny'): Promise<AdaptiveCardInvokeResponse> {
    const requestId = requestIdOf(turn.data);
    if (!requestId) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noRequest);
    const input = parseDecision(turn.data, action);
    let request: TapRequest;
    try {
      request = await this.flow.decide(turn.actor, requestId, input);
    } catch (e) {
      // Step-up: the approval is held, not applied, until the approver signs in again in the browser.
      if (e instanceof StepUpRequiredError) return cardResponse(stepUpCard(e.hold, turn.ctx));
      if (isAppError(e) && INPUT_PROBLEMS.has(e.code)) {
        // Nothing changed: the same card again, with what they chose and typed, and why.
        const current = await this.flow.getRequest(requestId);
        if (current) {
          const echo = {
            ...(input.attestation ? { attestation: input.attestation } : {}),
            ...(input.attestationNote ? { attestationNote: input.attestationNote } : {}),
            ...(input.calledNumber ? { calledNumber: input.calledNumber } : {}),
            error: errorIn(e, turn.ctx),
          };
          return cardResponse(this.cards.approvalCard(current, approvalViewer(current, turn.actor.aadObjectId, this.clock(), echo), turn.ctx));
        }
      }
      return this.refusal(turn, requestId, e, 'approval');
    }
    return this.answerAfterChange(request, turn.ctx, () => this.cards.approvalCard(request, approvalViewer(request, turn.actor.aadObjectId, this.clock()), turn.ctx));
  }

  /**
   * The change is stored (a pass may exist): if drawing the card fails now, say that truthfully
   * instead of letting the turn fail with a message that could suggest nothing happened.
   */
  private answerAfterChange(request: TapRequest, ctx: CardContext, draw: () => CardJson): AdaptiveCardInvokeResponse {
    try {
      return cardResponse(draw());
    } catch (e) {
      log.error('card could not be drawn after a stored change', { requestId: request.id, state: request.state, error: e });
      const say = chatIn(ctx).card;
      const text = request.state === 'Issued' ? say.notRefreshedIssued : say.notRefreshed(request.id);
      return cardResponse(this.cards.messageCard({ title: say.notRefreshedTitle(request.id), text, tone: 'warning' }));
    }
  }

  private async onCancel(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const requestId = requestIdOf(turn.data);
    if (!requestId) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noRequest);
    try {
      return cardResponse(this.cards.requestStatusCard(await this.flow.cancel(turn.actor, requestId), turn.ctx));
    } catch (e) {
      return this.refusal(turn, requestId, e, 'status');
    }
  }

  private async onHandedOver(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const requestId = requestIdOf(turn.data);
    if (!requestId) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noRequest);
    try {
      const request = await this.flow.markHandedOver(turn.actor, requestId);
      return cardResponse(this.cards.passDeliveryCard(request, null, turn.ctx));
    } catch (e) {
      return this.refusal(turn, requestId, e, 'delivery');
    }
  }

  /** Revoke from whichever card the party clicked: they get that card back, updated. */
  private async onRevoke(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const requestId = requestIdOf(turn.data);
    if (!requestId) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noRequest);
    try {
      const request = await this.flow.revoke(turn.actor, requestId);
      const card = await this.viewFor(turn, request);
      const say = chatIn(turn.ctx).revoked;
      return cardResponse(card ?? this.cards.messageCard({ title: say.cardTitle(request.id), text: say.cardText, tone: 'good' }));
    } catch (e) {
      return this.refusal(turn, requestId, e, 'status');
    }
  }

  private async onReport(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const requestId = requestIdOf(turn.data);
    if (!requestId) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noRequest);
    try {
      const request = await this.flow.reportSuspicious(turn.actor, requestId, textField(turn.data, 'suspicionReason') ?? '');
      const card = await this.viewFor(turn, request);
      const say = chatIn(turn.ctx).reported;
      return cardResponse(card ?? this.cards.messageCard({ title: say.cardTitle(request.id), text: say.cardText, tone: 'good' }));
    } catch (e) {
      return this.refusal(turn, requestId, e, 'status');
    }
  }

  /** The account owner says the pass was not for them: stopped at once, and they see that it was. */
  private async onNotMe(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const requestId = requestIdOf(turn.data);
    if (!requestId) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noRequest);
    try {
      const request = await this.flow.disputeAsOwner(turn.actor, requestId);
      return this.answerAfterChange(request, turn.ctx, () => this.cards.ownerNoticeCard(request, {}, ownerContext(turn.ctx, request)));
    } catch (e) {
      return this.refusal(turn, requestId, e, 'owner');
    }
  }

  private async onRefresh(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const requestId = requestIdOf(turn.data);
    if (!requestId) return invokeError(400, 'BadRequest', chatIn(turn.ctx).card.noRequest);
    const request = await this.flow.getRequest(requestId);
    if (!request) return cardResponse(this.notFoundCard(requestId, turn.ctx));
    const card = await this.viewFor(turn, request);
    return card ? cardResponse(card) : invokeError(403, 'Forbidden', chatIn(turn.ctx).card.notYours);
  }

  /**
   * A refused card action: answer with the request's current card for this person (read-only
   * unless they may still decide), and say why in the chat unless the card shows it.
   */
  private async refusal(turn: CardTurn, requestId: string, error: unknown, hint: CardKind): Promise<AdaptiveCardInvokeResponse> {
    if (!isAppError(error)) throw error;
    log.info('card action refused', { requestId, outcome: error.code, userId: turn.actor.aadObjectId });
    const request = await this.flow.getRequest(requestId);
    if (!request) return cardResponse(this.notFoundCard(requestId, turn.ctx));
    const card = await this.viewFor(turn, request, hint);
    if (!SELF_EXPLAINING.has(error.code) || !card) await sendRefusal(turn.context, this.cards, error, turn.ctx);
    return cardResponse(card ?? this.cards.messageCard({ title: chatIn(turn.ctx).card.notAvailable, text: errorIn(error, turn.ctx), tone: 'attention' }));
  }

  /** The card this person should see for the request; undefined when it is none of theirs. */
  private async viewFor(turn: CardTurn, request: TapRequest, hint?: CardKind): Promise<CardJson | undefined> {
    const userId = turn.actor.aadObjectId;
    const mine = (await this.cardRefs.get(request.id)).cards[userId] ?? {};
    const replyToId = turn.context.activity.replyToId;
    const kinds = Object.keys(mine) as CardKind[];
    const byRole: CardKind[] = rolesOf(request, userId).map((r) => (r === 'approver' ? 'approval' : r === 'requester' ? 'status' : 'delivery'));
    const kind =
      kinds.find((k) => replyToId !== undefined && mine[k]?.activityId === replyToId) ??
      (hint && (kinds.includes(hint) || byRole.includes(hint)) ? hint : undefined) ??
      byRole[0] ??
      kinds[0];
    switch (kind) {
      case 'approval':
        return this.cards.approvalCard(request, approvalViewer(request, userId, this.clock()), turn.ctx);
      case 'status':
        return this.cards.requestStatusCard(request, turn.ctx);
      case 'delivery':
        return this.cards.passDeliveryCard(request, null, turn.ctx);
      case 'owner':
        return this.cards.ownerNoticeCard(request, {}, ownerContext(turn.ctx, request));
      default:
        return undefined;
    }
  }

  /** The form with what the agent typed and the reason it was not accepted. */
  private async formAgain(echo: ParsedForm['echo'], error: string, ctx: CardContext): Promise<CardJson> {
    const timeZone = ctx.timeZone;
    let policy: FormPolicy | undefined;
    try {
      policy = await this.flow.getPolicyForForm(timeZone);
    } catch (e) {
      log.warn('policy not available for the form', { error: e });
    }
    return this.cards.requestFormCard(formInput(policy, echo, { ...(timeZone ? { timeZone } : {}), error }), ctx);
  }

  /** A scenario button on the form: the same form, with that scenario's defaults and what it means. */
  private async onFormScenario(turn: CardTurn): Promise<AdaptiveCardInvokeResponse> {
    const form = parseRequestForm(turn.data, turn.ctx.timeZone);
    // The button's own key: with associatedInputs the dropdown (id "scenario") would overwrite a "scenario" key.
    const scenario = SCENARIOS.find((s) => s === (textField(turn.data, 'chosenScenario') ?? textField(turn.data, 'scenario')));
    return this.formWithDefaults(turn, form.echo, scenario, false);
  }

  /** The form again with a scenario's defaults in place of the settings typed for another; `told` says so on the form. */
  private async formWithDefaults(turn: CardTurn, echo: ParsedForm['echo'], scenario: Scenario | undefined, told: boolean): Promise<AdaptiveCardInvokeResponse> {
    const policy = await this.flow.getPolicyForForm(turn.ctx.timeZone);
    const { lifetimeInMinutes: _l, isUsableOnce: _o, start: _s, ...kept } = echo;
    const note = told && scenario ? chatIn(turn.ctx).form.scenarioDefaultsFilled(cardWords(turn.ctx).scenario[scenario]) : undefined;
    return cardResponse(
      this.cards.requestFormCard(
        formInput(policy, kept, { ...(scenario ? { scenario } : {}), useScenarioDefaults: true, ...(turn.ctx.timeZone ? { timeZone: turn.ctx.timeZone } : {}), ...(note ? { error: note } : {}) }),
        turn.ctx,
      ),
    );
  }

  private notFoundCard(requestId: string, ctx: CardContext): CardJson {
    const say = chatIn(ctx).card;
    return this.cards.messageCard({ title: say.notFoundTitle, text: say.notFound(requestId), tone: 'warning' });
  }
}

/**
 * The request form for a scenario: its defaults (lifetime, one-time, a first day) unless
 * the agent already chose otherwise, what it means, and the zone a start is typed in.
 */
export function formInput(
  policy: FormPolicy | undefined,
  echo: ParsedForm['echo'],
  options: { scenario?: Scenario; useScenarioDefaults?: boolean; timeZone?: string; error?: string } = {},
): RequestFormInput {
  const scenario = options.scenario ?? echo.scenario ?? 'recovery';
  const defaults = policy?.scenarios[scenario];
  const fresh = options.useScenarioDefaults === true;
  const start = echo.start ?? (defaults?.start && (fresh || echo.scenario === undefined) ? defaults.start : undefined);
  return {
    ...echo,
    scenario,
    isUsableOnce: fresh ? (defaults?.isUsableOnce ?? true) : (echo.isUsableOnce ?? defaults?.isUsableOnce ?? policy?.defaultIsUsableOnce ?? true),
    ...((fresh ? defaults?.lifetimeInMinutes : (echo.lifetimeInMinutes ?? defaults?.lifetimeInMinutes)) !== undefined
      ? { lifetimeInMinutes: (fresh ? defaults?.lifetimeInMinutes : (echo.lifetimeInMinutes ?? defaults?.lifetimeInMinutes)) as number }
      : {}),
    ...(policy ? { policy: formBounds(policy) } : {}),
    ...(defaults ? { scenarioNote: defaults.note, ...(defaults.noteSaid ? { scenarioNoteSaid: defaults.noteSaid } : {}) } : {}),
    ...(start ? { start } : {}),
    timeZone: options.timeZone ?? policy?.orgTimeZone ?? 'UTC',
    ...(options.error ? { error: options.error } : {}),
  };
}

/** The bounds the form shows; the tenant's one-time setting forces the toggle. */
function formBounds(policy: FormPolicy): NonNullable<RequestFormInput['policy']> {
  return {
    minimumLifetimeInMinutes: policy.minimumLifetimeInMinutes,
    maximumLifetimeInMinutes: policy.maximumLifetimeInMinutes,
    defaultLifetimeInMinutes: policy.defaultLifetimeInMinutes,
    forcedOneTime: policy.isUsableOnceForced,
  };
}
