/**
 * The `$filter` subset Graph's user directory search needs: clauses joined by ` or `, each
 * `startswith(prop,'v')`, `prop eq 'v'`, or `otherMails/any(x:x eq 'v')`. String literals
 * double their apostrophes, as in OData. Comparisons ignore case, as Graph's do for these
 * properties. `otherMails/any` is an advanced query: Graph answers 400 unless the request
 * sends `ConsistencyLevel: eventual` and `$count=true`, and so does this.
 */
import { badRequest } from './graphErrors';

const FILTERABLE = new Set(['userprincipalname', 'mail', 'displayname', 'givenname', 'surname']);
const LITERAL = String.raw`'((?:[^']|'')*)'`;
const STARTSWITH = new RegExp(String.raw`^startswith\(\s*(\w+)\s*,\s*${LITERAL}\s*\)$`, 'i');
const EQ = new RegExp(String.raw`^(\w+)\s+eq\s+${LITERAL}$`, 'i');
const ANY = new RegExp(String.raw`^otherMails/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+${LITERAL}\s*\)$`, 'i');

type Predicate = (user: Record<string, unknown>) => boolean;

const unquote = (s: string): string => s.replace(/''/g, "'");
const text = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');
const prop = (user: Record<string, unknown>, name: string): unknown => {
  const key = Object.keys(user).find((k) => k.toLowerCase() === name);
  return key ? user[key] : undefined;
};

export function parseUserFilter(filter: string, advanced: boolean): Predicate {
  const clauses = splitOr(filter).map((clause) => parseClause(clause.trim(), advanced));
  return (user) => clauses.some((c) => c(user));
}

function splitOr(filter: string): string[] {
  // Split on " or " outside string literals.
  const parts: string[] = [];
  let current = '';
  let inString = false;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i]!;
    if (ch === "'") inString = !inString;
    if (!inString && filter.slice(i, i + 4).toLowerCase() === ' or ') {
      parts.push(current);
      current = '';
      i += 3;
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

function parseClause(clause: string, advanced: boolean): Predicate {
  let m = STARTSWITH.exec(clause);
  if (m) {
    const name = checkProperty(m[1]!);
    const value = unquote(m[2]!).toLowerCase();
    return (u) => text(prop(u, name)).startsWith(value);
  }
  m = EQ.exec(clause);
  if (m) {
    const name = checkProperty(m[1]!);
    const value = unquote(m[2]!).toLowerCase();
    return (u) => text(prop(u, name)) === value;
  }
  m = ANY.exec(clause);
  if (m) {
    if (m[1]!.toLowerCase() !== m[2]!.toLowerCase()) throw badRequest(`Invalid lambda expression in filter: ${clause}`);
    if (!advanced) {
      throw badRequest(
        "Unsupported or invalid query filter clause specified for property 'otherMails' of resource 'User'. Use ConsistencyLevel: eventual and $count=true.",
        'Request_UnsupportedQuery',
      );
    }
    const value = unquote(m[3]!).toLowerCase();
    return (u) => Array.isArray(u['otherMails']) && (u['otherMails'] as unknown[]).some((x) => text(x) === value);
  }
  throw badRequest(`Invalid filter clause: ${clause.slice(0, 80)}`, 'Request_UnsupportedQuery');
}

function checkProperty(name: string): string {
  const lower = name.toLowerCase();
  if (!FILTERABLE.has(lower)) throw badRequest(`Unsupported property '${name}' in filter.`, 'Request_UnsupportedQuery');
  return lower;
}
