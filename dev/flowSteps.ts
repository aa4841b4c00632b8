/**
 * The TAP flow's steps as a person does them in the Agents Playground: type, fill, choose,
 * click. Each returns the rendered card it ends on, so callers assert on what is shown.
 * Labels and titles are the ones in cards/*.json (form, approval, delivery).
 */
import type { Locator, Page } from 'playwright-core';
import {
  cardInput,
  chooseCardChoice,
  clickCardButton,
  fillCardInput,
  sendMessage,
  waitForCardWithText,
} from './browser';
import { catalogue } from '../src/i18n';

/** The English cards' own words (src/i18n/en.ts), so a reworded label never leaves a step looking for the old one. */
const CARDS = catalogue('en').cards;
const FORM_TITLE = CARDS.form.template.title;
export const ATTESTATION_LABEL = CARDS.approval.template.attestationLabel;
/** With "I called them on a number I already knew": which number on file (cards/approval.json). */
export const CALLED_NUMBER_LABEL = CARDS.approval.template.calledNumberLabel;
const DENY_REASON_LABEL = CARDS.approval.template.denyReasonLabel;
const REQUEST_ID = /TAP-[A-Z0-9]{6}/;

export interface PassRequestInput {
  /** Sign-in name typed after `tap`. */
  target: string;
  /** Display name the cards show, e.g. "Megan Bowen". */
  targetName: string;
  reason: string;
  ticket?: string;
  /** Title of the scenario choice, e.g. "Recovery (lost phone / locked out)". */
  scenario: string;
}

export interface AskedPass {
  requestId: string;
  /** The form, as filled in, just before it was sent. */
  form: Locator;
  /** The agent's status card (waiting for the approver). */
  status: Locator;
}

/** `tap <upn>`; waits for the prefilled form (not one left over from an earlier request). */
export async function openRequestForm(agentPage: Page, target: string): Promise<Locator> {
  const forms = agentPage.locator('.ac-adaptiveCard').filter({ hasText: FORM_TITLE });
  const before = await forms.count();
  await sendMessage(agentPage, `tap ${target}`);
  await forms.nth(before).waitFor({ state: 'visible' });
  return forms.nth(before);
}

/** Fills the form and clicks "Ask for approval"; resolves with the status card. */
export async function askForApproval(agentPage: Page, form: Locator, input: PassRequestInput): Promise<AskedPass> {
  await fillCardInput(form, CARDS.form.template.reasonLabel, input.reason);
  if (input.ticket) await fillCardInput(form, 'Ticket number', input.ticket);
  await chooseCardChoice(form, 'Scenario (the buttons above also set its defaults)', input.scenario);
  await clickCardButton(form, 'Ask for approval');
  const status = await waitForCardWithText(agentPage, new RegExp(`For ${escapeRegExp(input.targetName)}[\\s\\S]*Waiting for`));
  const requestId = REQUEST_ID.exec((await status.textContent()) ?? '')?.[0];
  if (!requestId) throw new Error('The status card shows no request id');
  return { requestId, form, status };
}

/** The value the form shows in its target field. */
export async function formTarget(form: Locator): Promise<string> {
  return cardInput(form, CARDS.form.template.userLabel).inputValue();
}

/** The approver's card for one request (its subtitle names the request id). */
export function approvalCard(managerPage: Page, requestId: string): Promise<Locator> {
  return waitForCardWithText(managerPage, `Request ${requestId} from`);
}

/** "Approve", the attestation (when given), "Confirm approval". */
export async function approve(card: Locator, attestation?: string): Promise<void> {
  await openApproveSection(card);
  if (attestation) await chooseCardChoice(card, ATTESTATION_LABEL, attestation);
  await clickCardButton(card, 'Confirm approval');
}

/** Opens the Approve show-card (idempotent: a second click would fold it away). */
export async function openApproveSection(card: Locator): Promise<void> {
  if (await card.getByRole('radiogroup', { name: ATTESTATION_LABEL }).isVisible()) return;
  await clickCardButton(card, 'Approve');
  await card.getByRole('radiogroup', { name: ATTESTATION_LABEL }).waitFor({ state: 'visible' });
}

/** Unfolds the approval card's details (job title, ticket, settings); idempotent. */
export async function openDetails(card: Locator, marker: string): Promise<void> {
  if (await card.getByText(marker).first().isVisible()) return;
  await clickCardButton(card, 'Details');
  await card.getByText(marker).first().waitFor({ state: 'visible' });
}

/** "Deny", the reason, "Confirm denial". */
export async function deny(card: Locator, reason: string): Promise<void> {
  await clickCardButton(card, 'Deny');
  await fillCardInput(card, DENY_REASON_LABEL, reason);
  await clickCardButton(card, 'Confirm denial');
}

/** The delivery card of one request on the agent's page. */
export function deliveryCard(agentPage: Page, targetName: string, requestId: string): Promise<Locator> {
  return waitForCardWithText(agentPage, new RegExp(`Temporary Access Pass for ${escapeRegExp(targetName)}[\\s\\S]*${requestId}`));
}

/** The code as rendered: the card's only monospace text run (see cards/pass-delivery.json). */
export async function renderedCode(card: Locator): Promise<string | undefined> {
  const runs = await card.locator('.ac-textRun').evaluateAll((elements) =>
    elements
      .filter((e) => getComputedStyle(e).fontFamily.toLowerCase().includes('monospace'))
      .map((e) => e.textContent ?? ''),
  );
  // A phone's view shows the code in groups of four; the card says the spaces are not part of it.
  return runs.find((text) => text.trim().length > 0)?.replace(/\s+/g, '');
}

/** Every character of the page, hidden elements included (for "is the secret gone?"). */
export async function allPageText(page: Page): Promise<string> {
  return page.evaluate(() => document.body.textContent ?? '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
