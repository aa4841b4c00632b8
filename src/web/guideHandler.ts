/**
 * The HTTP answer for `GET /guide/:scenario/:language`, as a pure function so the route
 * is one line in the server and the answer is tested without one. The page is public
 * and identical for everyone, so it may be cached; it loads nothing, so the policy can
 * forbid everything but its inline style.
 */
import { renderGuidePage } from './guidePage';
import { HTML, securityHeaders, type PageResponse } from './page';
import { LANGUAGES } from '../i18n';
import { guidePath, languageFromSlug, scenarioFromSlug } from '../flow/follow/guideLinks';
import { SCENARIOS } from '../flow/types';

const HEADERS = securityHeaders("'none'");

/** Language may be left out ("/guide/recovery"): English. Unknown parts get a list of the guides, never an echo of what was asked. */
export function handleGuideRequest(pathParams: { scenario?: string; language?: string }): PageResponse {
  const scenario = scenarioFromSlug(pathParams.scenario ?? '');
  const language = pathParams.language === undefined || pathParams.language === '' ? 'en' : languageFromSlug(pathParams.language);
  if (scenario && language) {
    return { status: 200, contentType: HTML, headers: { ...HEADERS, 'Cache-Control': 'public, max-age=3600' }, body: renderGuidePage(scenario, language) };
  }
  const links = SCENARIOS.flatMap((s) => LANGUAGES.map((l) => guidePath(s, l)))
    .map((path) => `<li><a href="${path}">${path}</a></li>`)
    .join('');
  const body = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Guide not found</title></head><body><h1>Guide not found</h1><p>These guides exist:</p><ul>${links}</ul></body></html>`;
  return { status: 404, contentType: HTML, headers: { ...HEADERS, 'Cache-Control': 'no-store' }, body };
}
