/**
 * Takes the README's screenshots from a real run: the sandbox tenant, the bot and two
 * Agents Playgrounds in headless Chromium (Debian's /usr/bin/chromium). Saves
 * docs/approval-card.png (the manager's card, attestation choices open) and
 * docs/tap-card.png (the agent's delivery card). Run: npx tsx scripts/screenshots.ts
 */
import path from 'node:path';
import { screenshotElement } from '../src/dev/browser';
import { approvalCard, askForApproval, deliveryCard, openApproveSection, openRequestForm, approve } from '../src/dev/flowSteps';
import { startLocalStack } from '../src/dev/localStack';
import { configureLogging } from '../src/log';

const DOCS = path.join(__dirname, '..', 'docs');

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
    const form = await openRequestForm(stack.agentPage, megan.target);
    const { requestId } = await askForApproval(stack.agentPage, form, megan);
    const card = await approvalCard(stack.managerPage, requestId);
    await stack.managerPage.setViewportSize({ width: 560, height: 1400 });
    await openApproveSection(card);
    await stack.managerPage.waitForTimeout(300);
    console.log(await screenshotElement(card, path.join(DOCS, 'approval-card.png')));
    await approve(card, 'Video call — I saw and recognised them');
    await stack.agentPage.setViewportSize({ width: 560, height: 900 });
    const delivery = await deliveryCard(stack.agentPage, megan.targetName, requestId);
    console.log(await screenshotElement(delivery, path.join(DOCS, 'tap-card.png')));
  } finally {
    await stack.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
