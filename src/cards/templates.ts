/**
 * The card templates in top-level `cards/`, each parsed once when this module loads.
 * Importing the JSON (rather than reading files at run time) makes the compiler copy the
 * templates next to the compiled code, so `tsx src/...` and `node dist/...` both work.
 */
import type * as ACData from 'adaptivecards-templating';
import approval from '../../cards/approval.json';
import help from '../../cards/help.json';
import message from '../../cards/message.json';
import ownerNotice from '../../cards/owner-notice.json';
import partyActions from '../../cards/party-actions.json';
import passDelivery from '../../cards/pass-delivery.json';
import requestForm from '../../cards/request-form.json';
import requestStatus from '../../cards/request-status.json';
import statusList from '../../cards/status-list.json';
import userGuide from '../../cards/user-guide.json';
import welcome from '../../cards/welcome.json';

export type AdaptiveCard = Record<string, unknown>;

const SOURCES = {
  approval,
  help,
  message,
  ownerNotice,
  partyActions,
  passDelivery,
  requestForm,
  requestStatus,
  statusList,
  userGuide,
  welcome,
} as const;

export type TemplateName = keyof typeof SOURCES;

export const TEMPLATE_NAMES = Object.keys(SOURCES) as TemplateName[];

/**
 * Parsed on first use: adaptivecards-templating takes about half a second to load, which
 * would otherwise sit on every cold start before the bot answers /health/ready.
 */
let templates: Readonly<Record<TemplateName, ACData.Template>> | undefined;

function parsedTemplates(): Readonly<Record<TemplateName, ACData.Template>> {
  if (!templates) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    const templating = require('adaptivecards-templating') as typeof ACData;
    templates = Object.freeze(
      Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, new templating.Template(SOURCES[name])])) as Record<TemplateName, ACData.Template>,
    );
  }
  return templates;
}

/**
 * Binds a view model to a template. View models are built in TypeScript with every
 * field defined: an undefined field would leave a literal `${...}` on the card.
 */
export function expandTemplate(name: TemplateName, viewModel: object): AdaptiveCard {
  if (!KEPT.has(name)) return expandNow(name, viewModel);
  // A card shown again and again with the same view (help, welcome, the form, a look-up's
  // answer) is expanded once per view: expanding costs more than the rest of a `help` turn.
  const key = `${name}|${JSON.stringify(viewModel)}`;
  let card = expanded.get(key);
  if (card === undefined) {
    // Frozen: nobody can change the card the next reader gets (a change throws instead).
    card = deepFreeze(expandNow(name, viewModel));
    if (expanded.size >= EXPANDED_KEPT) expanded.clear();
    expanded.set(key, card);
  }
  return card;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Templates whose views repeat (the reader's language, zone and role; a policy; a person looked
 * up). Never a card that carries a pass (passDelivery): a code is kept nowhere, not even here.
 */
const KEPT: ReadonlySet<TemplateName> = new Set(['help', 'welcome', 'requestForm', 'message']);
const EXPANDED_KEPT = 200;
const expanded = new Map<string, AdaptiveCard>();

function expandNow(name: TemplateName, viewModel: object): AdaptiveCard {
  const card: unknown = parsedTemplates()[name].expand({ $root: viewModel });
  if (card === null || typeof card !== 'object' || Array.isArray(card)) {
    throw new TypeError(`Card template "${name}" did not expand to an object`);
  }
  return withoutEmptyActions(card) as AdaptiveCard;
}

/**
 * A `$when` can remove every action; an empty `actions` array is noise on the wire. The card
 * is the expansion's own fresh object, so it is cleaned in place (a copy of every node cost
 * more than the rest of a request's own work).
 */
function withoutEmptyActions(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (const item of value) withoutEmptyActions(item);
  } else if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (key === 'actions' && Array.isArray(v) && v.length === 0) delete node[key];
      else withoutEmptyActions(v);
    }
  }
  return value;
}

/** The raw template, for tests that check every template is well-formed. */
export function templateSource(name: TemplateName): unknown {
  return SOURCES[name];
}
