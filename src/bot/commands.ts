/**
 * Chat text → typed command. Teams wraps mentions in `<at>…</at>` and may send HTML
 * (`<p>`, auto-linked `mailto:` addresses); all of that is stripped before parsing.
 */

import { typedRequestId } from '../flow/requestId';

export type Command =
  | { kind: 'tap'; target?: string }
  /** `tap group <name or id>`: passes for every member of a group (the text may have spaces). */
  | { kind: 'bulk'; group?: string }
  | { kind: 'cancelBulk'; bulkId: string }
  | { kind: 'status'; targetUpn?: string }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'revoke'; requestId: string }
  /** `revoke BULK-…`: every pass of a bulk request. */
  | { kind: 'revokeBulk'; bulkId: string }
  | { kind: 'report'; requestId: string; reason: string }
  | { kind: 'pending' }
  /** `cancel`, `revoke` or `report` without a request id it can use: that command's usage, not the whole help. */
  | { kind: 'usage'; command: 'cancel' | 'revoke' | 'report' }
  | { kind: 'help'; understood: boolean };

/** Loose on purpose: the workflow validates the UPN and explains what is wrong. */
const UPN_OR_EMAIL = /^[^\s@<>"]+@[^\s@<>"]+$/;

const ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&apos;': "'" };

/** Text without mentions, tags and entities, whitespace collapsed. */
export function cleanText(text: string | undefined | null): string {
  return (text ?? '')
    .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|#39|apos);/gi, (m) => ENTITIES[m.toLowerCase()] ?? m)
    .replace(/\s+/g, ' ')
    .trim();
}

export function parseCommand(text: string | undefined | null): Command {
  const words = cleanText(text).split(' ').filter(Boolean);
  const [verb, ...rest] = words;
  if (!verb) return { kind: 'help', understood: false };
  switch (verb.toLowerCase()) {
    case 'tap':
    case 'new':
    case 'request':
      return parseTap(rest);
    case 'status':
      if (rest.length === 0) return { kind: 'status' };
      if (rest.length === 1 && UPN_OR_EMAIL.test(stripMailto(rest[0]!))) return { kind: 'status', targetUpn: stripMailto(rest[0]!) };
      return { kind: 'help', understood: false };
    case 'cancel':
      if (rest.length === 1 && single(rest[0]!)) return { kind: 'cancel', requestId: single(rest[0]!)! };
      if (rest.length === 1 && typedRequestId(rest[0]!)?.kind === 'bulk') return { kind: 'cancelBulk', bulkId: typedRequestId(rest[0]!)!.id };
      return { kind: 'usage', command: 'cancel' };
    case 'revoke':
      if (rest.length === 1 && single(rest[0]!)) return { kind: 'revoke', requestId: single(rest[0]!)! };
      if (rest.length === 1 && typedRequestId(rest[0]!)?.kind === 'bulk') return { kind: 'revokeBulk', bulkId: typedRequestId(rest[0]!)!.id };
      return { kind: 'usage', command: 'revoke' };
    case 'report':
      // `report TAP-7K3F9Q the caller did not know her manager's name`: the reason is required.
      if (rest.length >= 2 && single(rest[0]!)) return { kind: 'report', requestId: single(rest[0]!)!, reason: rest.slice(1).join(' ') };
      return { kind: 'usage', command: 'report' };
    case 'pending':
    case 'approvals':
      return rest.length === 0 ? { kind: 'pending' } : { kind: 'help', understood: false };
    case 'help':
    case '?':
    case 'hi':
    case 'hello':
      return rest.length === 0 ? { kind: 'help', understood: true } : { kind: 'help', understood: false };
    default:
      return { kind: 'help', understood: false };
  }
}

function parseTap(rest: string[]): Command {
  const args = rest[0]?.toLowerCase() === 'for' ? rest.slice(1) : rest;
  if (args.length === 0) return { kind: 'tap' };
  if (args[0]?.toLowerCase() === 'group') return args.length === 1 ? { kind: 'bulk' } : { kind: 'bulk', group: args.slice(1).join(' ') };
  if (args.length === 1 && UPN_OR_EMAIL.test(stripMailto(args[0]!))) return { kind: 'tap', target: stripMailto(args[0]!) };
  // A name or a near miss ("tap megan", "tap Megan Bowen", "tap megan @contoso.com"): the
  // look-up says what is wrong with it and whom it may mean, rather than the whole help.
  const text = args.map(stripMailto).join(' ');
  if (args.length <= 4 && (text.match(/@/g) ?? []).length <= 1) return { kind: 'tap', target: text };
  return { kind: 'help', understood: false };
}

/** A single request's id as typed (the syntax lives in flow/requestId.ts). */
function single(word: string): string | undefined {
  const typed = typedRequestId(word);
  return typed?.kind === 'single' ? typed.id : undefined;
}

function stripMailto(word: string): string {
  return word.replace(/^mailto:/i, '');
}
