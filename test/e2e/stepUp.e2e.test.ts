/**
 * The approver's step-up as people see it (headless Chromium, two Agents Playgrounds, the real
 * bot with APPROVER_STEP_UP=always, the sandbox tenant's sign-in page): Nestor clicks Approve,
 * the card says his approval is held and offers "Sign in"; the link opens the
 * sandbox's sign-in in the browser, where he signs in as himself and completes the passkey step;
 * the page tells him to go back to Teams, where the cards show the pass created. A sign-in that
 * skips the passkey step approves nothing. Screenshots land in artifacts/e2e/stepUp-*.png.
 *
 * The sign-in page is served by the sandbox tenant over HTTPS with its own CA, which the test
 * browser cannot be told to trust; its sign-in context ignores certificate errors (the bot's
 * own requests to the sandbox verify the CA).
 */
import assert from 'node:assert/strict';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { screenshot, screenshotElement, waitForCardWithText } from '../../dev/browser';
import { approvalCard, approve, askForApproval, deliveryCard, openRequestForm } from '../../dev/flowSteps';
import { startLocalStack, type LocalStack } from '../../dev/localStack';
import { USERS } from '../../sandbox/ids';
import { configureLogging } from '../../src/log';
import { requireChromium } from '../support/requireChromium';

const RECOVERY = 'Recovery (lost phone / locked out)';
const VIDEO_CALL = 'Video call — I saw and recognised them';

describe('step-up before an approval counts, in the Agents Playground @e2e', function () {
  this.timeout(240_000);
  let stack: LocalStack | undefined;
  let agent: Page;
  let manager: Page;
  let signInContext: BrowserContext;

  before(async function () {
    requireChromium(this);
    configureLogging({ level: 'error' });
    stack = await startLocalStack({ stepUp: 'always' });
    agent = stack.agentPage;
    manager = stack.managerPage;
    signInContext = await stack.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 800 } });
  });

  after(async () => {
    await signInContext?.close().catch(() => undefined);
    await stack?.stop();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  /** Adele asks for a pass; Nestor approves with a video call; the card he gets back holds it. */
  async function heldApproval(target: keyof typeof USERS): Promise<{ requestId: string; held: Locator }> {
    const person = USERS[target];
    const form = await openRequestForm(agent, person.upn);
    const { requestId } = await askForApproval(agent, form, { target: person.upn, targetName: person.name, reason: 'Lost phone', scenario: RECOVERY });
    await approve(await approvalCard(manager, requestId), VIDEO_CALL);
    const held = await waitForCardWithText(manager, new RegExp(`Confirm it is you[\\s\\S]*Your approval of ${requestId} is held`));
    return { requestId, held };
  }

  /**
   * "Sign in": the Playground opens the link in a new window; the test reads where it
   * goes and opens it in the sign-in browser instead (which accepts the sandbox's certificate).
   */
  async function followSignInLink(held: Locator): Promise<Page> {
    let link = '';
    await manager.context().route('**/step-up/start/**', async (route) => {
      link = route.request().url();
      await route.fulfill({ status: 204, body: '' });
    });
    try {
      const popup = manager.context().waitForEvent('page', { timeout: 15_000 }).catch(() => undefined);
      // Action.OpenUrl renders as a link-role button.
      await held.getByRole('link', { name: 'Sign in' }).click();
      const opened = await popup;
      for (let i = 0; i < 100 && !link; i++) await manager.waitForTimeout(100);
      await opened?.close().catch(() => undefined);
    } finally {
      await manager.context().unroute('**/step-up/start/**');
    }
    assert.match(link, /\/step-up\/start\/[A-Za-z0-9_-]+\?lang=en$/, 'the button opens the bot\'s sign-in link');
    const page = await signInContext.newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: 'Sandbox sign-in' }).waitFor();
    return page;
  }

  it('the approver confirms with a fresh sign-in and the passkey step: only then is the pass created', async () => {
    const { requestId, held } = await heldApproval('megan');
    await screenshotElement(held, 'stepUp-held');
    assert.equal((await stack!.app.flow.getRequest(requestId))?.state, 'PendingApproval', 'the click alone approved nothing');

    const signIn = await followSignInLink(held);
    await signIn.getByLabel('Sign in as').selectOption(USERS.nestor.id);
    await signIn.getByLabel('Complete the passkey step').check();
    await screenshot(signIn, 'stepUp-sign-in');
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByRole('heading', { name: 'Your approval is confirmed' }).waitFor();
    assert.match((await signIn.locator('#outcome').textContent()) ?? '', new RegExp(`approval of ${requestId}\\. Go back to Teams`));
    await screenshot(signIn, 'stepUp-confirmed');
    await signIn.close();

    // Back in Teams: the pass reaches the agent, and Nestor's card shows the outcome.
    await deliveryCard(agent, USERS.megan.name, requestId);
    const card = await waitForCardWithText(manager, new RegExp(`Request ${requestId} from[\\s\\S]*(Issued|issued|created)`));
    await screenshotElement(card, 'stepUp-approved');
  });

  it('a sign-in that skips the passkey step approves nothing, and the page says why', async () => {
    const { requestId, held } = await heldApproval('lasse');
    const signIn = await followSignInLink(held);
    await signIn.getByLabel('Sign in as').selectOption(USERS.nestor.id);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await signIn.getByRole('heading', { name: 'Nothing was approved' }).waitFor();
    assert.match((await signIn.locator('#outcome').textContent()) ?? '', /did not meet the stronger sign-in/);
    await screenshot(signIn, 'stepUp-refused');
    await signIn.close();
    assert.equal((await stack!.app.flow.getRequest(requestId))?.state, 'PendingApproval');
  });
});
