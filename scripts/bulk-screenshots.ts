/**
 * Bulk passes in the Agents Playground, as people see them: Adele asks for "New Joiners",
 * Joni (bulk approver) approves on her card, Adele gets the progress card and the result
 * page. Saves docs/bulk-approval.png and docs/bulk-page.png, and checks the progress card ends Done.
 * Run: npx tsx scripts/bulk-screenshots.ts
 */
import '../src/quietDeprecations'; // first: before anything loads restify
import path from 'node:path';
import { clickCardButton, fillCardInput, screenshotElement, sendMessage, waitForCardWithText } from '../src/dev/browser';
import { startLocalStack } from '../src/dev/localStack';
import { configureLogging } from '../src/log';

const DOCS = path.join(__dirname, '..', 'docs');
const CARD_WINDOW = { width: 560, height: 1400 };

async function main(): Promise<void> {
  configureLogging({ level: 'error' });
  const stack = await startLocalStack();
  try {
    const agent = stack.agentPage;
    const approver = await stack.openPage('fallback');
    await agent.setViewportSize(CARD_WINDOW);
    await approver.setViewportSize(CARD_WINDOW);

    await sendMessage(agent, 'tap group New Joiners');
    const form = await waitForCardWithText(agent, /Passes for a group/);
    await fillCardInput(form, 'Reason (what the auditors will read)', 'December joiners from HR (list of 1 Dec)');
    await clickCardButton(form, 'Check the group');
    const summary = await waitForCardWithText(agent, /Passes for New Joiners[\s\S]*Waiting for approval/);
    await summary.waitFor({ state: 'visible' });

    const approval = await waitForCardWithText(approver, /Passes for New Joiners[\s\S]*Approve \d+ passes/);
    await approval.getByText(/I checked this list/).click();
    console.log(await screenshotElement(approval, path.join(DOCS, 'bulk-approval.png')));
    await clickCardButton(approval, (await approval.getByRole('button', { name: /Approve \d+ passes/ }).textContent())?.trim() ?? 'Approve');

    const page = await waitForCardWithText(agent, /New Joiners: passes, page 1/);
    console.log(await screenshotElement(page, path.join(DOCS, 'bulk-page.png')));
    const done = await waitForCardWithText(agent, /Passes for New Joiners[\s\S]*Done/);
    await done.waitFor({ state: 'visible' });
  } finally {
    await stack.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
