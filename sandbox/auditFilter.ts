/**
 * The `$filter` subset of `GET /auditLogs/directoryAudits`, as Graph documents it for
 * directoryAudit: clauses joined by ` and ` / ` or ` (`and` binds tighter), parentheses group. A clause is one of
 *   activityDisplayName | category | loggedByService | id | correlationId | result  eq 'v'
 *   startswith(activityDisplayName,'v')
 *   activityDateTime eq|ge|le|gt|lt 2024-01-01T00:00:00Z   (a DateTimeOffset literal: unquoted)
 *   targetResources/any(t:t/id eq 'v')   (also t/userPrincipalName eq, t/displayName eq, startswith(t/displayName,'v'))
 *   initiatedBy/user/id eq 'v' | initiatedBy/user/userPrincipalName eq 'v' | initiatedBy/app/appId eq 'v'
 * String literals double their apostrophes; `eq` on strings ignores case. Anything else is a 400.
 */
import { badRequest } from './graphErrors';

type Json = Record<string, unknown>;
type Predicate = (entry: Json) => boolean;

const LITERAL = String.raw`'((?:[^']|'')*)'`;
const STRING_EQ = new RegExp(String.raw`^(activityDisplayName|category|loggedByService|id|correlationId|result)\s+eq\s+${LITERAL}$`, 'i');
const STARTSWITH = new RegExp(String.raw`^startswith\(\s*activityDisplayName\s*,\s*${LITERAL}\s*\)$`, 'i');
const DATE_CMP = /^activityDateTime\s+(eq|ge|le|gt|lt)\s+(\S+)$/i;
const TARGET_ANY = new RegExp(String.raw`^targetResources/any\(\s*(\w+)\s*:\s*(.+)\)$`, 'i');
const INITIATED = new RegExp(String.raw`^initiatedBy/(user/id|user/userPrincipalName|user/displayName|app/appId|app/displayName)\s+eq\s+${LITERAL}$`, 'i');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const unquote = (s: string): string => s.replace(/''/g, "'");
const lower = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');
const unsupported = (clause: string): Error => badRequest(`Invalid filter clause: ${clause.slice(0, 120)}`, 'Request_UnsupportedQuery');

/** Splits on a keyword (` and ` / ` or `) outside string literals and parentheses. */
function splitTop(text: string, keyword: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "'") inString = !inString;
    if (!inString && ch === '(') depth++;
    if (!inString && ch === ')') depth--;
    if (!inString && depth === 0 && text.slice(i, i + keyword.length).toLowerCase() === keyword) {
      parts.push(current.trim());
      current = '';
      i += keyword.length - 1;
      continue;
    }
    current += ch;
  }
  if (inString || depth !== 0) throw badRequest(`Syntax error in filter: unbalanced quotes or parentheses in '${text.slice(0, 120)}'.`);
  parts.push(current.trim());
  return parts;
}

/** `(a or b)` → its inside; null when the parentheses do not wrap the whole clause. */
function unwrap(clause: string): string | null {
  if (!clause.startsWith('(') || !clause.endsWith(')')) return null;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < clause.length; i++) {
    const ch = clause[i];
    if (ch === "'") inString = !inString;
    if (inString) continue;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && i < clause.length - 1) return null;
  }
  return clause.slice(1, -1).trim();
}

/** `and` binds tighter than `or`, as in OData. */
export function parseAuditFilter(filter: string): Predicate {
  const alternatives = splitTop(filter.trim(), ' or ').map((alternative) => {
    const clauses = splitTop(alternative, ' and ').map(parseClause);
    return (entry: Json): boolean => clauses.every((c) => c(entry));
  });
  return (entry) => alternatives.some((a) => a(entry));
}

function parseClause(clause: string): Predicate {
  const inner = unwrap(clause);
  if (inner !== null) return parseAuditFilter(inner);
  let m = STRING_EQ.exec(clause);
  if (m) {
    const key = (m[1] as string).toLowerCase();
    const value = unquote(m[2] as string).toLowerCase();
    return (entry) => {
      const actual = Object.keys(entry).find((k) => k.toLowerCase() === key);
      return actual !== undefined && lower(entry[actual]) === value;
    };
  }
  m = STARTSWITH.exec(clause);
  if (m) {
    const value = unquote(m[1] as string).toLowerCase();
    return (entry) => lower(entry['activityDisplayName']).startsWith(value);
  }
  m = DATE_CMP.exec(clause);
  if (m) {
    const literal = m[2] as string;
    if (literal.startsWith("'")) {
      throw badRequest("A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThanOrEqual'.");
    }
    if (!ISO_DATE.test(literal) || Number.isNaN(Date.parse(literal))) throw badRequest(`The DateTimeOffset text '${literal}' should be in format 'yyyy-mm-ddThh:mm:ss('.'s+)?(zzzzzz)?' and each field value is within valid range.`);
    const bound = Date.parse(literal);
    const op = (m[1] as string).toLowerCase();
    return (entry) => {
      const at = Date.parse(String(entry['activityDateTime']));
      if (op === 'eq') return at === bound;
      if (op === 'ge') return at >= bound;
      if (op === 'le') return at <= bound;
      if (op === 'gt') return at > bound;
      return at < bound;
    };
  }
  m = TARGET_ANY.exec(clause);
  if (m) {
    const variable = m[1] as string;
    const body = (m[2] as string).trim();
    const eq = new RegExp(String.raw`^${variable}/(id|displayName|userPrincipalName)\s+eq\s+${LITERAL}$`, 'i').exec(body);
    const starts = new RegExp(String.raw`^startswith\(\s*${variable}/displayName\s*,\s*${LITERAL}\s*\)$`, 'i').exec(body);
    if (!eq && !starts) throw unsupported(clause);
    const targets = (entry: Json): Json[] => (Array.isArray(entry['targetResources']) ? (entry['targetResources'] as Json[]) : []);
    if (eq) {
      const named = (eq[1] as string).toLowerCase();
      const key = named === 'id' ? 'id' : named === 'userprincipalname' ? 'userPrincipalName' : 'displayName';
      const value = unquote(eq[2] as string).toLowerCase();
      return (entry) => targets(entry).some((t) => lower(t[key]) === value);
    }
    const prefix = unquote((starts as RegExpExecArray)[1] as string).toLowerCase();
    return (entry) => targets(entry).some((t) => lower(t['displayName']).startsWith(prefix));
  }
  m = INITIATED.exec(clause);
  if (m) {
    const [who, key] = (m[1] as string).split('/') as [string, string];
    const value = unquote(m[2] as string).toLowerCase();
    return (entry) => {
      const initiator = ((entry['initiatedBy'] as Json | undefined)?.[who] ?? null) as Json | null;
      return initiator !== null && lower(initiator[key]) === value;
    };
  }
  throw unsupported(clause);
}
