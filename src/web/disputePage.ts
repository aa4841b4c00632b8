/**
 * The one-time "This wasn't me" link from the owner's notice mail, as two tiny pages: a
 * GET only asks (mail scanners and link previews open links; they must never stop a
 * pass), the POST acts. Nothing personal is shown: the link is the only key.
 */
import type { LinkDispute } from '../flow/stop/dispute';
import { HTML, securityHeaders, type PageResponse } from './page';

const HEADERS: Record<string, string> = { ...securityHeaders("'self'"), 'Cache-Control': 'no-store' };

const STYLE =
  'body{font-family:Segoe UI,system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b;background:#fff}' +
  'h1{font-size:1.5rem}button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#a4262c;color:#fff;cursor:pointer}' +
  'button:focus{outline:3px solid #1b1b1b;outline-offset:2px}';

function page(status: number, title: string, body: string): PageResponse {
  return {
    status,
    contentType: HTML,
    headers: HEADERS,
    body: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title><style>${STYLE}</style></head><body><main><h1>${title}</h1>${body}</main></body></html>`,
  };
}

const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

/** GET: ask before acting. */
export function disputeQuestionPage(token: string | undefined): PageResponse {
  if (!token || !TOKEN.test(token)) return notValid();
  return page(
    200,
    'Did you ask for a Temporary Access Pass?',
    '<p>The helpdesk issued a Temporary Access Pass for your account. If you did <strong>not</strong> ask for it, stop it now: ' +
      'it is deleted at once and your IT security team is told.</p>' +
      '<form method="post"><button type="submit">This wasn\'t me: stop the pass</button></form>' +
      '<p>If you did ask for it, you can close this page.</p>',
  );
}

/** POST: the outcome of the dispute, in words. */
export function disputeOutcomePage(result: LinkDispute): PageResponse {
  switch (result.outcome) {
    case 'stopped':
      return page(200, 'Thank you: the pass is stopped', '<p>The Temporary Access Pass no longer works, and your IT security team has been told. You do not need to do anything else now.</p>');
    case 'used':
      return page(409, 'This link was already used', '<p>The pass was stopped when the link was first used. If you are still worried, contact your IT security team.</p>');
    case 'expired':
      return page(410, 'This link has expired', '<p>The link works until a week after the pass expired. If you are worried about your account, contact your IT security team.</p>');
    case 'notFinished':
      // Another press of the same link is still stopping the pass, or could not finish.
      return page(
        503,
        'The pass is not stopped yet',
        '<p>An attempt to stop it started a moment ago and has not finished, or could not finish. Open the link again in a minute and press the button: the link keeps working until the pass is stopped. Your IT security team has been told.</p>',
      );
    case 'unknown':
      return notValid();
  }
}

function notValid(): PageResponse {
  return page(404, 'This link is not valid', '<p>Check that you opened the whole link from the mail. If you are worried about your account, contact your IT security team.</p>');
}
