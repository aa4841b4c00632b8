/**
 * The end user's guide as a web page the bot serves: for someone who is locked out of
 * Teams and mail, the agent reads out or texts a short address. The page is the same for
 * everyone (per scenario and language): no name, no account, no pass, no time, so it can
 * be public and cached. Self-contained (no scripts, fonts, images or other requests), and
 * built from the same catalogue as the guide card, so both say the same.
 */
import type { Scenario } from '../flow/types';
import { guidePath } from '../flow/follow/guideLinks';
import { LANGUAGES, LANGUAGE_TAGS, type Language, catalogue } from '../i18n';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Addresses in the texts become links; everything else stays text. */
function withLinks(text: string): string {
  return escapeHtml(text).replace(/https:\/\/[\w./-]+[\w/]/g, (url) => `<a href="${url}">${url}</a>`);
}

// Near-black on white and a dark blue link: both far above 4.5:1; the warning box keeps dark text.
const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1.125rem;line-height:1.5;color:#1b1b1b;background:#fff;margin:0 auto;max-width:40rem;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
a{color:#0b4f9c}ol{padding-left:1.5rem}li{margin:.5rem 0}
.note{border-left:.3rem solid #1b1b1b;background:#f3f3f3;padding:.5rem .75rem}
.warning{border:2px solid #8a5300;background:#fff4e0;padding:.5rem .75rem;font-weight:600}
footer{margin-top:2rem;font-size:.95rem;color:#444}`;

export function renderGuidePage(scenario: Scenario, language: Language): string {
  const s = catalogue(language).guide;
  const other = LANGUAGES.find((l) => l !== language)!;
  const steps = s.steps[scenario].map((step) => `<li>${withLinks(step)}</li>`).join('');
  const trouble = s.trouble.map((t) => `<li>${escapeHtml(t)}</li>`).join('');
  return [
    '<!doctype html>',
    `<html lang="${LANGUAGE_TAGS[language]}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex">',
    `<title>${escapeHtml(s.title)}</title><style>${STYLE}</style></head>`,
    '<body><main>',
    `<h1>${escapeHtml(s.title)}</h1>`,
    `<p>${escapeHtml(s.intro[scenario])}</p>`,
    `<h2>${escapeHtml(s.stepsHeading)}</h2>`,
    `<ol>${steps}</ol>`,
    `<p class="note">${escapeHtml(s.usage[s.scenarioUsage[scenario]])}</p>`,
    `<p class="warning" role="note">${escapeHtml(s.doNotShare)}</p>`,
    `<h2>${escapeHtml(s.troubleHeading)}</h2>`,
    `<ul>${trouble}</ul>`,
    '</main>',
    `<footer><p>${escapeHtml(s.page.noPersonalData)}</p>`,
    `<p><a href="${guidePath(scenario, other)}" hreflang="${LANGUAGE_TAGS[other]}" lang="${LANGUAGE_TAGS[other]}">${escapeHtml(s.page.otherLanguage)}</a></p></footer>`,
    '</body></html>',
  ].join('\n');
}
