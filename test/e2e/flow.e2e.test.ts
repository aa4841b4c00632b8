/**
 * The TAP flow as people see it: headless Chromium drives two Agents Playgrounds (Adele,
 * helpdesk agent; Nestor, manager) against the real bot (startApp in sandbox mode, SQLite,
 * the sandbox tenant). Every assertion reads the rendered page, except the one check the
 * page cannot answer (a blocked click left the request pending). One stack serves every
 * scenario, each with its own target; expiry runs last because it moves the bot's clock.
 * Screenshots of each step land in artifacts/e2e/flow-*.png.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import sinon from 'sinon';
import { clickCardButton, screenshot, screenshotElement, waitForCardWithText } from '../../dev/browser';
import {
  allPageText,
  approvalCard,
  approve,
  askForApproval,
  deliveryCard,
  deny,
  formTarget,
  openApproveSection,
  openDetails,
  openRequestForm,
  renderedCode,
  type PassRequestInput,
} from '../../dev/flowSteps';
import { startLocalStack, type LocalStack } from '../../dev/localStack';
import { configureLogging } from '../../src/log';
import { requireChromium } from '../support/requireChromium';

const RECOVERY = 'Recovery (lost phone / locked out)';
const VIDEO_CALL = 'Video call — I saw and recognised them';
const IN_PERSON = 'In person — I met them and recognised them';
const APPROVAL_TIMEOUT_IN_MINUTES = 30;

/** The bot's clock; only the expiry scenario moves it. */
class TestClock {
  private offsetInMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetInMs);
  advanceMinutes(minutes: number): void {
    this.offsetInMs += minutes * 60_000;
  }
}

function request(target: string, targetName: string, extra: Partial<PassRequestInput> = {}): PassRequestInput {
  return { target, targetName, reason: 'Lost her phone; called me from the front desk', ticket: 'INC-4711', scenario: RECOVERY, ...extra };
}

/** The card itself when there is one (it may be taller than the window), else the page. */
async function shot(page: Page, name: string, card?: Locator): Promise<void> {
  if (card) await screenshotElement(card, `flow-${name}`);
  else await screenshot(page, `flow-${name}`);
}

/** Titles of the card's actions as rendered (Action.OpenUrl renders as a link-role button). */
async function buttonTitles(card: Locator): Promise<string[]> {
  return (await card.locator('button').allInnerTexts()).map((t) => t.trim());
}

describe('the TAP flow in two Agents Playgrounds (agent Adele, manager Nestor) @e2e', function () {
  this.timeout(240_000); // generous: a busy 2-core CI machine, and pages wait on what they show
  const clock = new TestClock();
  let stack: LocalStack | undefined;
  let agent: Page;
  let manager: Page;

  before(async function () {
    requireChromium(this);
    // The bot's own lines are not evidence here; keep the test output readable.
    configureLogging({ level: 'error' });
    stack = await startLocalStack({ clock: clock.now, approvalTimeoutInMinutes: APPROVAL_TIMEOUT_IN_MINUTES });
    agent = stack.agentPage;
    manager = stack.managerPage;
  });

  afterEach(async function () {
    sinon.restore();
    if (this.currentTest?.state === 'failed' && stack) {
      const title = this.currentTest.title.slice(0, 40);
      await screenshot(agent, `failed-agent-${title}`).catch(() => undefined);
      await screenshot(manager, `failed-manager-${title}`).catch(() => undefined);
    }
  });

  after(async () => {
    await stack?.stop();
    configureLogging({ level: 'info' });
  });

  it('happy path: the agent asks, the manager must attest before approving, the agent gets the code, the link and the guide, and handing over removes the code @e2e', async () => {
    assert.ok(stack);
    const megan = request('megan@contoso.com', 'Megan Bowen');
    const form = await openRequestForm(agent, megan.target);
    assert.equal(await formTarget(form), 'megan@contoso.com', 'the form is prefilled with the typed user');
    await shot(agent, 'a1-agent-form', form);

    const { requestId, status } = await askForApproval(agent, form, megan);
    assert.match((await status.innerText()), /Waiting for Nestor Wilke/);
    await shot(agent, 'a2-agent-waiting', status);

    const card = await approvalCard(manager, requestId);
    const summary = await card.innerText();
    for (const fact of ['Megan Bowen', 'megan@contoso.com', 'Marketing Manager', 'Marketing', 'Adele Vance', megan.reason]) {
      assert.ok(summary.includes(fact), `the approval card's summary shows "${fact}"`);
    }
    assert.ok(!summary.includes('INC-4711'), 'the details start folded');
    assert.doesNotMatch(summary, /\{\{|in \d+ minutes/, 'times are written by the client, nothing frozen');
    await openDetails(card, 'INC-4711');
    await shot(manager, 'a3-manager-approval-card', card);

    // Approve without saying how identity was checked: the bot refuses it and says why, on the card.
    await openApproveSection(card);
    await clickCardButton(card, 'Confirm approval');
    const refused = await waitForCardWithText(manager, /Before approving, say how you verified it is really them/);
    await shot(manager, 'a4-manager-attestation-required', refused);
    assert.equal((await stack.app.flow.getRequest(requestId))?.state, 'PendingApproval', 'nothing was decided');

    await approve(await approvalCard(manager, requestId), VIDEO_CALL);
    const decided = await waitForCardWithText(manager, new RegExp(`${requestId}[\\s\\S]*Approved by you`));
    assert.deepEqual(await buttonTitles(decided), ['Details', 'Revoke', 'Report'], 'no decision left to make');
    const decidedText = await decided.innerText();
    assert.match(decidedText, /video call/);
    assert.doesNotMatch(decidedText, /Decide by/, 'a decided request no longer asks for a decision');
    await shot(manager, 'a5-manager-decided', decided);

    const delivery = await deliveryCard(agent, 'Megan Bowen', requestId);
    const code = await renderedCode(delivery);
    assert.ok(code && /^\S{8,48}$/.test(code), `a code is shown: ${code === undefined ? 'none' : 'has ' + code.length + ' characters'}`);
    assert.deepEqual(await buttonTitles(delivery), ['Handed over', 'Revoke', 'Report']);
    const deliveryText = await delivery.innerText();
    assert.match(deliveryText, /^Give this to Megan/);
    assert.match(deliveryText, /Megan signs in at https:\/\/aka\.ms\/mysecurityinfo/, 'the address is text to read out');
    assert.match(deliveryText, /Read it out: /);
    const guide = await waitForCardWithText(agent, /Set up how you sign in[\s\S]*megan@contoso\.com/);
    const guideText = await guide.innerText();
    assert.match(guideText, /Microsoft Authenticator/);
    assert.match(guideText, /passkey/);
    assert.ok(!guideText.includes(code), 'the guide (which may be forwarded) does not carry the code');
    await shot(agent, 'a6-agent-delivery', delivery);
    await shot(agent, 'a7-agent-guide', guide);
    assert.match(await (await waitForCardWithText(agent, `TAP request ${requestId}`)).innerText(), /Pass issued/);

    await clickCardButton(delivery, 'Handed over');
    const handed = await waitForCardWithText(agent, new RegExp(`${requestId}[\\s\\S]*Code removed: handed over`));
    assert.deepEqual(await buttonTitles(handed), ['Revoke', 'Report']);
    assert.ok(!(await allPageText(agent)).includes(code), 'the code is gone from the page');
    await shot(agent, 'a8-agent-handed-over', handed);
  });

  it('a user whose preferred language is Danish gets the guide in Danish @e2e', async () => {
    // Recovery, so the pass is made at once (a new joiner's pass is made on their first morning).
    const lasse = request('lasse@contoso.com', 'Lasse Jensen', { reason: 'Lost his phone, met him at reception' });
    const { requestId } = await askForApproval(agent, await openRequestForm(agent, lasse.target), lasse);
    await approve(await approvalCard(manager, requestId), IN_PERSON);
    await deliveryCard(agent, 'Lasse Jensen', requestId);
    const guide = await waitForCardWithText(agent, /Konfigurer, hvordan du logger ind[\s\S]*lasse@contoso\.com/);
    const text = await guide.innerText();
    assert.match(text, /Microsoft Authenticator/);
    assert.match(text, /adgangsnøgle/, 'passkey, in Danish');
    await shot(agent, 'b-agent-danish-guide', guide);
  });

  it('deny: the manager gives a reason and the agent sees the denial with it; no code is shown @e2e', async () => {
    const lidia = request('lidia@contoso.com', 'Lidia Holloway');
    const { requestId } = await askForApproval(agent, await openRequestForm(agent, lidia.target), lidia);
    const card = await approvalCard(manager, requestId);
    assert.match(await card.innerText(), /already has a Temporary Access Pass/, 'the manager is warned that a pass would be replaced');
    await shot(manager, 'c1-manager-replace-warning', card);

    const reason = 'I could not reach Lidia on any number I know';
    await deny(card, reason);
    const denied = await waitForCardWithText(manager, new RegExp(`${requestId}[\\s\\S]*Denied by you`));
    assert.deepEqual(await buttonTitles(denied), ['Details', 'Report'], 'no decision left to make');
    assert.doesNotMatch(await denied.innerText(), /approving replaces it/, 'no advice about a decision already made');
    await shot(manager, 'c2-manager-denied', denied);

    const told = await waitForCardWithText(agent, `${requestId} was denied`);
    assert.ok((await told.innerText()).includes(reason), 'the agent sees the manager’s reason');
    const status = await waitForCardWithText(agent, `TAP request ${requestId}`);
    assert.match(await status.innerText(), /Denied by Nestor Wilke/);
    assert.deepEqual(await buttonTitles(status), ['Report'], 'nothing left to cancel');
    const deliveries = agent.locator('.ac-adaptiveCard').filter({ hasText: `· request ${requestId}` });
    assert.equal(await deliveries.count(), 0, 'no pass was delivered');
    await shot(agent, 'c3-agent-denied', told);
  });

  it('expiry: nobody decides in time; the agent is told and the manager’s card can no longer approve @e2e', async () => {
    assert.ok(stack);
    const miriam = request("miriam.o'brien@contoso.com", "Miriam O'Brien");
    const { requestId } = await askForApproval(agent, await openRequestForm(agent, miriam.target), miriam);
    const card = await approvalCard(manager, requestId);
    assert.match(await card.innerText(), /Miriam O'Brien/);

    clock.advanceMinutes(APPROVAL_TIMEOUT_IN_MINUTES + 1);
    await stack.app.flow.sweep();

    const told = await waitForCardWithText(agent, `${requestId} expired`);
    assert.match(await told.innerText(), /Nothing was issued/);
    await shot(agent, 'd1-agent-expired', told);
    const status = await waitForCardWithText(agent, new RegExp(`TAP request ${requestId}[\\s\\S]*Expired without a decision`));
    assert.deepEqual(await buttonTitles(status), ['Report'], 'nothing left to cancel');

    const expired = await waitForCardWithText(manager, new RegExp(`${requestId}[\\s\\S]*Expired without a decision`));
    assert.deepEqual(await buttonTitles(expired), ['Details', 'Report'], 'nothing left to decide');
    await shot(manager, 'd2-manager-expired', expired);
  });
});
