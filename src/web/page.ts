/**
 * What every plain page the bot serves answers with, and the headers it sends. The pages
 * load nothing, so the policy forbids everything but their inline style.
 */

/** A whole page: the server writes it as is. */
export interface PageResponse {
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: string;
}

export const HTML = 'text/html; charset=utf-8';

/** `formAction`: 'none' for a page without a form, 'self' for one that posts to itself. */
export function securityHeaders(formAction: "'none'" | "'self'"): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action ${formAction}; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}
