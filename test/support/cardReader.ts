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

/**
 * Teams renders `CodeBlock` (not in the 1.5 schema); every other client renders its
 * fallback. Its own properties are checked here; the parser then checks the fallback.
 */
const CODE_BLOCK_KEYS = new Set(['type', 'codeSnippet', 'language', 'startLineNumber', 'fallback', 'id', 'spacing', 'separator', 'isVisible', 'height']);

function withCodeBlocksAsFallback(value: unknown, problems: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => withCodeBlocksAsFallback(v, problems));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (obj.type === 'CodeBlock') {
    for (const key of Object.keys(obj)) if (!CODE_BLOCK_KEYS.has(key)) problems.push(`CodeBlock: unknown property ${key}`);
    if (typeof obj.codeSnippet !== 'string') problems.push('CodeBlock: codeSnippet must be a string');
    if (obj.fallback === undefined || typeof obj.fallback !== 'object') problems.push('CodeBlock: needs a fallback element for clients other than Teams');
    return withCodeBlocksAsFallback(obj.fallback ?? { type: 'TextBlock', text: '' }, problems);
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, withCodeBlocksAsFallback(v, problems)]));
}

export function problemsOf(original: object): CardProblems {
  const events: string[] = [];
  const json = withCodeBlocksAsFallback(original, events) as object;
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, context);
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

/** The parsed `Action.Execute` with this verb, searched through ShowCards and ActionSets too. */
export function parsedExecuteAction(card: AC.AdaptiveCard, verb: string): AC.ExecuteAction | undefined {
  const inActions = (actions: AC.Action[]): AC.ExecuteAction | undefined => {
    for (const action of actions) {
      if (action instanceof AC.ExecuteAction && action.verb === verb) return action;
      if (action instanceof AC.ShowCardAction) {
        const inner = search(action.card);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  const search = (container: AC.AdaptiveCard): AC.ExecuteAction | undefined => {
    const own: AC.Action[] = [];
    for (let i = 0; i < container.getActionCount(); i++) own.push(container.getActionAt(i)!);
    const sets: AC.Action[] = [];
    const walk = (element: AC.CardElement): void => {
      if (element instanceof AC.ActionSet) for (let i = 0; i < element.getActionCount(); i++) sets.push(element.getActionAt(i)!);
      if (element instanceof AC.CardElementContainer) for (let i = 0; i < element.getItemCount(); i++) walk(element.getItemAt(i));
    };
    for (let i = 0; i < container.getItemCount(); i++) walk(container.getItemAt(i));
    return inActions([...own, ...sets]);
  };
  return search(card);
}

/** The ids of the inputs a client validates and sends with this action. */
export function submittedInputIds(action: AC.ExecuteAction): string[] {
  return Object.keys(action.getReferencedInputs() ?? {}).sort();
}
