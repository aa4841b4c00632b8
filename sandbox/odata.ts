/**
 * The small slice of OData the sandbox understands: `$select`, `$expand=manager($select=…)`,
 * `$top`, `$skiptoken`, key segments (`/users/{key}` and `/users('{key}')`).
 */
import { badRequest } from './graphErrors';

export const GRAPH_METADATA = 'https://graph.microsoft.com/v1.0/$metadata';

/** What Graph returns for a user when no `$select` is given: note userType, department and accountEnabled are NOT in it. */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

export interface ParsedUrl {
  /** Decoded path segments after `/v1.0`. */
  segments: string[];
  query: URLSearchParams;
  /** The raw path + query, for building nextLinks. */
  raw: string;
}

export function parseGraphUrl(relativeUrl: string): ParsedUrl {
  const withSlash = relativeUrl.startsWith('/') ? relativeUrl : `/${relativeUrl}`;
  const queryAt = withSlash.indexOf('?');
  const path = queryAt < 0 ? withSlash : withSlash.slice(0, queryAt);
  const queryText = queryAt < 0 ? '' : withSlash.slice(queryAt + 1);
  // Split before decoding: an encoded '/' must not create a segment.
  const segments = path
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw badRequest(`The request URI is not valid: malformed escape in segment '${s}'.`);
      }
    });
  return { segments, query: new URLSearchParams(queryText), raw: withSlash };
}

/**
 * `users('o''brien@x')` → `o'brien@x`: inside an OData string literal a quote is doubled.
 * Returns null when the segment is not the key-in-parentheses form.
 */
export function parenthesizedKey(segment: string, entitySet: string): string | null {
  const match = new RegExp(`^${entitySet}\\('((?:[^']|'')*)'\\)$`, 'i').exec(segment);
  if (!match) return null;
  return (match[1] ?? '').replace(/''/g, "'");
}

/** Splits on commas that are not inside parentheses: `a,b($select=c,d)` → [`a`, `b($select=c,d)`]. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

export function parseSelect(value: string | null): string[] | null {
  if (value === null || value.trim() === '') return null;
  return value.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

export interface ExpandClause {
  property: string;
  select: string[] | null;
}

export function parseExpand(value: string | null): ExpandClause[] {
  if (value === null || value.trim() === '') return [];
  return splitTopLevel(value).map((item) => {
    const match = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(item);
    if (!match) throw badRequest(`Invalid $expand clause '${item}'.`);
    const property = match[1] ?? '';
    const options = match[2] ?? '';
    let select: string[] | null = null;
    for (const option of options.split(';').filter((o) => o.trim())) {
      const [name, optionValue] = option.split('=');
      if (name?.trim().toLowerCase() !== '$select') throw badRequest(`Query option '${name ?? ''}' is not supported inside $expand in the sandbox.`);
      select = parseSelect(optionValue ?? '');
    }
    return { property, select };
  });
}

/**
 * Projects an entity to the selected properties. Unknown names are an error in Graph
 * ("Could not find a property named …"), so they are here too: a typo must not pass.
 */
export function project(
  entity: Record<string, unknown>,
  select: string[] | null,
  defaults: string[],
  known: ReadonlySet<string>,
  typeName: string,
): Record<string, unknown> {
  const names = select ?? defaults;
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const actual = [...known].find((k) => k.toLowerCase() === name.toLowerCase());
    if (!actual) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
    out[actual] = entity[actual] ?? null;
  }
  if (!('id' in out) && select === null) out['id'] = entity['id'];
  return out;
}

export function parseTop(value: string | null, max: number, fallback: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest(`Invalid page size specified: '${value}'. Must be between 1 and ${max}.`);
  return n;
}
