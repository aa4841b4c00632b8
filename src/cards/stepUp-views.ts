/**
 * The card an approver gets instead of a decision when step-up applies: their approval is held
 * until they confirm it with a fresh sign-in in the browser (flow/decide/stepUp.ts). The sign-in
 * link opens the bot's start page (Action.OpenUrl); "Back" redraws the approval
 * card. The template (`cards/step-up.json`) is bound here, as the other templates are in
 * templates.ts.
 */
import type * as ACData from 'adaptivecards-templating';
import template from '../../cards/step-up.json';
import type { StepUpRequiredError } from '../flow/decide/stepUp';
import { catalogue } from '../i18n';
import type { CardContext } from './format';
import type { AdaptiveCard } from './templates';
import { VERBS } from './verbs';

export interface StepUpView {
  title: string;
  held: string;
  after: string;
  signIn: string;
  back: string;
  startUrl: string;
  requestId: string;
  refreshVerb: string;
}

/** The start link carries the reader's language, so the pages after the sign-in speak it too. */
/** `refreshVerb`: how "Back" redraws its card (a bulk request has its own verb). */
export function stepUpView(hold: StepUpRequiredError['hold'], ctx: Pick<CardContext, 'language'>, refreshVerb: string = VERBS.refresh): StepUpView {
  const language = ctx.language ?? 'en';
  const say = catalogue(language).stepUp.card;
  const url = new URL(hold.startUrl);
  url.searchParams.set('lang', language);
  return {
    title: say.title,
    held: say.held(hold.requestId, hold.linkLifetimeInMinutes),
    after: say.after,
    signIn: say.signIn,
    back: say.back,
    startUrl: url.toString(),
    requestId: hold.requestId,
    refreshVerb,
  };
}

let parsed: ACData.Template | undefined;

export function expandStepUp(view: StepUpView): AdaptiveCard {
  if (!parsed) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, as templates.ts does
    const templating = require('adaptivecards-templating') as typeof ACData;
    parsed = new templating.Template(template);
  }
  return parsed.expand({ $root: view }) as AdaptiveCard;
}
