/**
 * Takes the README's screenshots from a real run: the sandbox tenant, the bot and two
 * Agents Playgrounds in headless Chromium (Debian's /usr/bin/chromium). Saves
 * docs/approval-card.png (the manager's card, attestation choices open) and
 * docs/tap-card.png (the agent's delivery card beside the user guide card).
 * Run: npx tsx scripts/screenshots.ts
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { captureElement, screenshotElement, waitForCardWithText } from '../dev/browser';
import { approvalCard, askForApproval, approve, deliveryCard, openApproveSection, openRequestForm } from '../dev/flowSteps';
import { startLocalStack } from '../dev/localStack';
import { configureLogging } from '../src/log';

const DOCS = path.join(__dirname, '..', 'docs');
/** A README shows the cards at about this size; wider only adds whitespace. */
const CARD_WINDOW = { width: 560, height: 900 };

/** Two card images side by side on a light background, as one PNG. */
async function sideBySide(browser: Browser, left: Buffer, right: Buffer): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  try {
    const img = (png: Buffer): string => `<img src="data:image/png;base64,${png.toString('base64')}">`;
    await page.setContent(
      `<body style="margin:0"><div id="pair" style="display:inline-flex;align-items:flex-start;gap:12px;padding:12px;background:#f0f0f0">${img(left)}${img(right)}</div></body>`,
    );
    return await page.locator('#pair').screenshot();
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  configureLogging({ level: 'error' });
  const stack = await startLocalStack();
  try {
    const megan = {
      target: 'megan@contoso.com',
      targetName: 'Megan Bowen',
      reason: 'Lost her phone; called me from the front desk',
      ticket: 'INC-4711',
      scenario: 'Recovery (lost phone / locked out)',
    };
    await stack.managerPage.setViewportSize(CARD_WINDOW);
    await stack.agentPage.setViewportSize(CARD_WINDOW);
    const form = await openRequestForm(stack.agentPage, megan.target);
    const { requestId } = await askForApproval(stack.agentPage, form, megan);

    const card = await approvalCard(stack.managerPage, requestId);
    await openApproveSection(card);
    console.log(await screenshotElement(card, path.join(DOCS, 'approval-card.png')));

    await approve(card, 'Video call — I saw and recognised them');
    const delivery = await deliveryCard(stack.agentPage, megan.targetName, requestId);
    const guide = await waitForCardWithText(stack.agentPage, /Set up how you sign in[\s\S]*megan@contoso\.com/);
    const pair = await sideBySide(stack.browser, await captureElement(delivery), await captureElement(guide));
    const tapCard = path.join(DOCS, 'tap-card.png');
    await writeFile(tapCard, pair);
    console.log(tapCard);
  } finally {
    await stack.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
