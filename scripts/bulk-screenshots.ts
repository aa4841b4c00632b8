/**
 * Bulk passes in the Agents Playground, as people see them: Adele asks for "New Joiners",
 * Joni (bulk approver) approves on her card, Adele gets the progress card and the result
 * page. Saves docs/bulk-approval.png and docs/bulk-page.png, and checks the progress card ends Done.
 * Run: npx tsx scripts/bulk-screenshots.ts
 */
import '../src/quietDeprecations'; // first: before anything loads restify
import path from 'node:path';
import { clickCardButton, fillCardInput, screenshotElement, sendMessage, waitForCardWithText } from '../dev/browser';
import { startLocalStack } from '../dev/localStack';
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
    // A first morning within the hour, on the form's own clock: the passes are made at approval
    // (a start further ahead is made 15 minutes before it, which a screenshot cannot wait for).
    const zone = /Times are in ([\w/+-]+)\./.exec((await form.textContent()) ?? '')?.[1] ?? 'UTC';
    const soon = localParts(new Date(Date.now() + 30 * 60_000), zone);
    await fillCardInput(form, 'Start date', soon.date);
    await fillCardInput(form, 'Start time', soon.time);
    await clickCardButton(form, 'Check the group');
    const summary = await waitForCardWithText(agent, /Passes for New Joiners[\s\S]*Waiting for approval/);
    await summary.waitFor({ state: 'visible' });

    const approval = await waitForCardWithText(approver, /Passes for New Joiners[\s\S]*Approving gives each/);
    await approval.getByText(/I checked the names listed/).click();
    console.log(await screenshotElement(approval, path.join(DOCS, 'bulk-approval.png')));
    await clickCardButton(approval, 'Approve');

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

function localParts(at: Date, zone: string): { date: string; time: string } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p['year']}-${p['month']}-${p['day']}`, time: `${p['hour']}:${p['minute']}` };
}
