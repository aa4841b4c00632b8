/**
 * Checks a rendered card the way a client would: the official `adaptivecards` parser at
 * schema 1.5, its property validation, and a round trip that catches properties the
 * parser did not recognise (a typo like `isSubtitle` is silently ignored otherwise).
 */
import * as AC from 'adaptivecards';

/** Teams extensions and properties the JS SDK reads but does not write back. */
const KNOWN_UNSERIALISED_KEYS = new Set(['msteams', 'width']);

export interface CardProblems {
  events: string[];
  unknownKeys: string[];
  unboundExpressions: string[];
}

function keysOf(value: unknown, acc = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, acc));
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      acc.add(key);
      keysOf(v, acc);
    }
  }
  return acc;
}

export function parseCard(json: object): AC.AdaptiveCard {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  return card;
}

export function problemsOf(json: object): CardProblems {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) events.push(`validate: ${e.message}`);
  const written = keysOf(card.toJSON());
  const unknownKeys = [...keysOf(json)].filter((k) => !written.has(k) && !KNOWN_UNSERIALISED_KEYS.has(k));
  const unboundExpressions = JSON.stringify(json).match(/\$\{[^}]*\}/g) ?? [];
  return { events, unknownKeys, unboundExpressions };
}

/** Every object with a `type` starting with "Action.", at any depth (ShowCards included). */
export function actionsIn(json: unknown, acc: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(json)) json.forEach((v) => actionsIn(v, acc));
  else if (json !== null && typeof json === 'object') {
    const obj = json as Record<string, unknown>;
    if (typeof obj.type === 'string' && obj.type.startsWith('Action.')) acc.push(obj);
    Object.values(obj).forEach((v) => actionsIn(v, acc));
  }
  return acc;
}

/** Every object of the given element type, at any depth. */
export function elementsOfType(json: unknown, type: string, acc: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(json)) json.forEach((v) => elementsOfType(v, type, acc));
  else if (json !== null && typeof json === 'object') {
    const obj = json as Record<string, unknown>;
    if (obj.type === type) acc.push(obj);
    Object.values(obj).forEach((v) => elementsOfType(v, type, acc));
  }
  return acc;
}

export function inputById(json: unknown, id: string): Record<string, unknown> | undefined {
  const found: Record<string, unknown>[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (typeof obj.type === 'string' && obj.type.startsWith('Input.') && obj.id === id) found.push(obj);
      Object.values(obj).forEach(walk);
    }
  };
  walk(json);
  return found[0];
}

/** The parsed `Action.Execute` with this verb, searched through ShowCards too. */
export function parsedExecuteAction(card: AC.AdaptiveCard, verb: string): AC.ExecuteAction | undefined {
  const search = (container: AC.AdaptiveCard): AC.ExecuteAction | undefined => {
    for (let i = 0; i < container.getActionCount(); i++) {
      const action = container.getActionAt(i);
      if (action instanceof AC.ExecuteAction && action.verb === verb) return action;
      if (action instanceof AC.ShowCardAction) {
        const inner = search(action.card);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return search(card);
}

/** The ids of the inputs a client validates and sends with this action. */
export function submittedInputIds(action: AC.ExecuteAction): string[] {
  return Object.keys(action.getReferencedInputs() ?? {}).sort();
}
