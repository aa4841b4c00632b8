/**
 * Every card the bot can send, drawn the way Teams draws it: Microsoft's Adaptive Cards
 * renderer in headless Chromium under the Teams light and dark host configs, at phone
 * width (320 px) and desktop chat width (400 px), for an English and a Danish reader.
 * Fails on cut text (a button title, a one-line text, a dropdown), anything wider than the
 * card, and text below WCAG AA contrast (4.5:1; 3:1 for large text), naming the card, the
 * theme, the width, the language and what is wrong. When it fails, PNGs of the cards with a
 * problem land in artifacts/teams/ (ignored by git); npm run cards:teams writes one of every
 * view. The red "*" of a required input is drawn in the host's colour (3.24:1 in dark), so
 * a card that marks an input required fails too.
 *
 * Run: npx mocha test/e2e/teamsRender.e2e.test.ts
 *   (only the cards: --grep "no card"; the list of problems is printed when it fails)
 * Or: npm run cards:teams, which writes the same list to artifacts/teams/report.md.
 * The same rules without a browser, in the ordinary suite: test/cards/teamsRules.test.ts.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../dev/browser';
import { BUTTON_TITLE_PX, TEAMS_THEMES, TEAMS_WIDTHS, TeamsCardPage, problemLines, renderEveryView, textWidthInPx, type TeamsFinding } from '../../dev/teamsHost';
import { everyCard } from '../support/everyCard';
import { requireChromium } from '../support/requireChromium';

const SHOTS = resolve(__dirname, '..', '..', 'artifacts', 'teams');

/** Cards built to break each rule once, so a clean run means the checks look, not that they are blind. */
const BROKEN = {
  longButton: {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'Approve?', wrap: true }],
    actions: [{ type: 'Action.Execute', title: 'Approve the Temporary Access Pass for Megan Bowen now', verb: 'x' }],
  },
  oneLineText: {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'Megan Bowen (megan.bowen@contoso.onmicrosoft.com), Account Manager, Sales' }],
  },
  paleWarning: {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'BULK-7K3F9Q · Stopped', color: 'Warning', wrap: true }],
  },
  longCode: {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: 'Xk7#Qm2$Lp9!Rz4&Vn8*Tb3@Hw6%Jc5^Fd1+Gs0=Yt2?Ae4u', fontType: 'Monospace', size: 'ExtraLarge' }] }],
  },
  wideColumn: {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'ColumnSet', columns: [{ type: 'Column', width: '500px', items: [{ type: 'TextBlock', text: 'A column of 500 px', wrap: true }] }] }],
  },
  behindShowCard: {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'Approve?', wrap: true }],
    actions: [
      {
        type: 'Action.ShowCard',
        title: 'Approve',
        card: { type: 'AdaptiveCard', body: [{ type: 'Input.Toggle', id: 'checked', title: 'I checked the names listed against the joiners HR expects' }], actions: [{ type: 'Action.Execute', title: 'Approve', verb: 'x' }] },
      },
    ],
  },
  folded: {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'Container', id: 'more', isVisible: false, items: [{ type: 'TextBlock', text: 'Megan Bowen (megan.bowen@contoso.onmicrosoft.com), Account Manager, Sales' }] },
      { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 'Show all', targetElements: ['more'] }] },
    ],
  },
  tidy: {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'Megan Bowen (megan.bowen@contoso.onmicrosoft.com), Account Manager, Sales', wrap: true }],
    actions: [{ type: 'Action.Execute', title: 'Approve', verb: 'x' }],
  },
};

describe('every card as Teams draws it, light and dark, phone and desktop, English and Danish @e2e', function () {
  this.timeout(240_000);
  let browser: Browser | undefined;
  let teams: TeamsCardPage;

  before(async function () {
    requireChromium(this);
    browser = await launchChromium();
    teams = await TeamsCardPage.open(browser);
  });

  after(async () => {
    await browser?.close();
  });

  const phone = { theme: 'light', width: 320, lang: 'en' } as const;
  const kinds = (findings: TeamsFinding[]): string[] => [...new Set(findings.map((f) => f.kind))].sort();

  it('a button title too long for a phone is reported cut, with how much of it shows @e2e', async () => {
    const findings = await teams.render(BROKEN.longButton, phone);
    assert.deepEqual(kinds(findings), ['truncated']);
    assert.match(findings[0]!.what, /^button "Approve the Temporary Access Pass for Megan Bowen now" shows \d+ of 45 characters$/);
  });

  it('a one-line text longer than the card is reported cut @e2e', async () => {
    const findings = await teams.render(BROKEN.oneLineText, phone);
    assert.deepEqual(kinds(findings), ['truncated']);
    assert.match(findings[0]!.what, /^text "Megan Bowen .*" shows \d+ of \d+ characters$/);
  });

  it('Teams\' warning yellow on white is reported at 1.47:1 @e2e', async () => {
    const findings = await teams.render(BROKEN.paleWarning, phone);
    assert.deepEqual(kinds(findings), ['contrast']);
    assert.match(findings[0]!.what, /"BULK-7K3F9Q · Stopped" rgb\(248, 210, 42\) on rgb\(255, 255, 255\) is 1\.47:1 \(needs 4\.5:1\)/);
  });

  it('a 48-character code in large type sticks out of a phone-wide card @e2e', async () => {
    const findings = await teams.render(BROKEN.longCode, phone);
    assert.deepEqual(kinds(findings), ['overflow']);
    assert.match(findings[0]!.what, /^rich text "Xk7#Qm2\$Lp9.*Ae4u" is \d+ px wider than the card$/);
  });

  it('a column wider than the card is reported as sticking out, by how much @e2e', async () => {
    const findings = await teams.render(BROKEN.wideColumn, phone);
    assert.deepEqual(kinds(findings), ['overflow']);
    // 16 px of card padding + 500 px of column, on a card 320 px wide.
    assert.match(findings[0]!.what, /is 196 px wider than the card$/);
  });

  it('what a show card opens and what a toggle unfolds is measured too @e2e', async () => {
    const opened = await teams.render(BROKEN.behindShowCard, phone);
    assert.match(opened.map((f) => f.what).join('\n'), /^input label "I checked the names listed against the joiners HR expects" shows \d+ of 48 characters$/);
    const unfolded = await teams.render(BROKEN.folded, phone);
    assert.match(unfolded.map((f) => f.what).join('\n'), /^text "Megan Bowen .*" shows \d+ of \d+ characters$/);
  });

  it('a card that wraps its text and keeps its button short passes in both themes and widths @e2e', async () => {
    for (const theme of TEAMS_THEMES) {
      for (const width of TEAMS_WIDTHS) assert.deepEqual(await teams.render(BROKEN.tidy, { theme, width, lang: 'en' }), [], `${theme} ${width}`);
    }
  });

  it('the width estimate of the card rules test (no browser) is within 3% of what Chromium draws @e2e', async () => {
    const titles = ['Approve', 'Deny', 'Handed over', 'Revoke…', 'Report as suspicious…', 'Call Megan Bowen in Teams', 'Godkend', 'Afvis', 'Rapportér som mistænkelig…', 'Overdraget: skjul koderne', 'ÆØÅ æøå 0123456789 (TAP-7K3F9Q)'];
    for (const title of titles) {
      const drawn = await teams.drawnWidthInPx(title, BUTTON_TITLE_PX);
      const estimated = textWidthInPx(title, BUTTON_TITLE_PX);
      assert.ok(Math.abs(estimated - drawn) <= drawn * 0.03, `"${title}": estimated ${estimated.toFixed(1)} px, drawn ${drawn.toFixed(1)} px`);
    }
  });

  it('the red "*" the renderer puts after a required input\'s label is reported in the dark theme, at 3.24:1, as the host\'s own colour @e2e', async () => {
    const required = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text', id: 'reason', label: 'Reason', isRequired: true }] };
    assert.deepEqual(await teams.render(required, { theme: 'light', width: 400, lang: 'en' }), []);
    const dark = await teams.render(required, { theme: 'dark', width: 400, lang: 'en' });
    assert.deepEqual(dark, [{ kind: 'contrast', owner: 'host', what: 'required mark "*" rgb(215, 70, 84) on rgb(45, 44, 44) is 3.24:1 (needs 4.5:1)' }]);
  });

  it('no card cuts text, sticks out or reads below the contrast minimum @e2e', async () => {
    // No PNG per view here: saving one took longer than drawing and measuring it (about 45 ms
    // against 25 ms a view on two shared cores). Only a failure needs pictures: of its cards.
    const { rendered, problems } = await renderEveryView(teams, everyCard);
    assert.ok(rendered > 0);
    // The host's own colours count too: a card avoids the red required mark by not marking inputs required.
    const lines = problemLines(problems);
    if (lines.length > 0) {
      const failing = new Set(problems.flatMap((p) => p.cards));
      await renderEveryView(teams, (language) => everyCard(language).filter((c) => failing.has(c.name)), { shotsDir: SHOTS });
    }
    assert.equal(lines.length, 0, `${lines.length} problems in ${rendered} renders (card | problem | where):\n${lines.join('\n')}`);
  });
});
