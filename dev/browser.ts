/**
 * Headless Chromium helpers for driving the Microsoft 365 Agents Playground in tests.
 * Only Debian's Chromium is used (never a downloaded browser build).
 *
 * Selectors are role/label/text based, taken from what Playground 0.2.28 renders:
 * - message box: `[contenteditable="true"][role="textbox"]` (a Lexical editor); Enter sends;
 * - each chat message: a div whose child is `[aria-label="Message header"]`; bot messages
 *   carry `[aria-label="Message author"]` with the bot's name;
 * - cards: `.ac-adaptiveCard` (the Adaptive Cards renderer's own class); inputs are
 *   labelled by their `label` (`<label for>`/aria-labelledby), buttons by their title;
 *   expanded ChoiceSet = radiogroup of radios, compact ChoiceSet = combobox + options.
 * The card's input `id` is not in the DOM (ids are `__ac-<uuid>`), so inputs are found
 * by label, placeholder or aria-label.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_MISSING_MESSAGE =
  'Chromium not found at /usr/bin/chromium: install it with `sudo apt-get install -y chromium`';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
/** Git-ignored folder for screenshots. */
const E2E_ARTIFACTS_DIR = resolve(__dirname, '..', '..', 'artifacts', 'e2e');
/**
 * How long a browser test waits for what the page should show. Generous on purpose: on a
 * busy 2-core machine a Playground page once took more than 15 s to load and failed a
 * whole suite; a correct page shows up sooner, so only a broken one waits this long.
 */
const DEFAULT_TIMEOUT_IN_MS = 45_000;
const NAVIGATION_TIMEOUT_IN_MS = 90_000;

export function chromiumAvailable(executablePath = CHROMIUM_PATH): boolean {
  return existsSync(executablePath);
}

export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!chromiumAvailable(executablePath)) throw new Error(CHROMIUM_MISSING_MESSAGE);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Where and in which language the simulated person's browser lives (cards write times in them). */
export interface ChatPageOptions {
  timezoneId?: string;
  locale?: string;
}

/** A fresh context per persona, so two Playgrounds never share storage or focus. */
export async function newChatPage(browser: Browser, url: string, options: ChatPageOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(DEFAULT_TIMEOUT_IN_MS);
  page.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_IN_MS);
  await openChat(page, url);
  return page;
}

function messageBox(page: Page): Locator {
  return page.locator('[contenteditable="true"][role="textbox"]');
}

/** Every message bubble in the open conversation (not the sidebar or the log panel). */
function chatMessages(page: Page): Locator {
  return page.locator('div:has(> [aria-label="Message header"])');
}

/** Messages the signed-in user sent. */
function userMessages(page: Page): Locator {
  return chatMessages(page).filter({ hasNot: page.locator('[aria-label="Message author"]') });
}

/**
 * Opens the Playground; the personal chat with the bot is selected by default. Opening
 * the page is what makes the Playground send installationUpdate + conversationUpdate.
 */
async function openChat(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await messageBox(page).waitFor({ state: 'visible' });
}

/**
 * Waits until the Playground's log panel shows the bot's answer to conversationUpdate,
 * i.e. the bot has had the chance to store this persona's conversation reference.
 * Throws when the bot answered with an error status.
 */
export async function waitForBotConnected(page: Page, timeoutInMs = DEFAULT_TIMEOUT_IN_MS): Promise<void> {
  const entry = page.getByText(/^conversationUpdate \d{3}$/).first();
  await entry.waitFor({ state: 'visible', timeout: timeoutInMs });
  const text = (await entry.textContent()) ?? '';
  const status = Number(text.split(' ')[1]);
  if (status < 200 || status >= 300) {
    throw new Error(`The bot answered the Playground's conversationUpdate with HTTP ${status}`);
  }
}

/** Types into the contenteditable message box and sends; waits for the user's bubble. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const mine = userMessages(page).filter({ hasText: text });
  const before = await mine.count();
  const box = messageBox(page);
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await waitUntil(
    async () => (await mine.count()) > before,
    `the message "${text}" to appear in the chat`,
  );
}

/** The last chat message containing `text`, once it is visible. */
export async function waitForMessage(
  page: Page,
  text: string | RegExp,
  timeoutInMs = DEFAULT_TIMEOUT_IN_MS,
): Promise<Locator> {
  const message = chatMessages(page).filter({ hasText: text }).last();
  await message.waitFor({ state: 'visible', timeout: timeoutInMs });
  return message;
}

/** The last rendered Adaptive Card in the chat containing `text`, once it is visible. */
export async function waitForCardWithText(
  page: Page,
  text: string | RegExp,
  timeoutInMs = DEFAULT_TIMEOUT_IN_MS,
): Promise<Locator> {
  const card = chatMessages(page).locator('.ac-adaptiveCard').filter({ hasText: text }).last();
  await card.waitFor({ state: 'visible', timeout: timeoutInMs });
  return card;
}

/** Waits until no card in the chat contains `text` (e.g. it was replaced in place). */
export async function waitForCardGone(
  page: Page,
  text: string | RegExp,
  timeoutInMs = DEFAULT_TIMEOUT_IN_MS,
): Promise<void> {
  const cards = chatMessages(page).locator('.ac-adaptiveCard').filter({ hasText: text });
  await waitUntil(async () => (await cards.count()) === 0, `no card with "${text}" to remain`, timeoutInMs);
}

/** A card input found by its label, placeholder or aria-label (substring, case-insensitive). */
export function cardInput(card: Locator, labelOrPlaceholder: string): Locator {
  return card
    .getByLabel(labelOrPlaceholder)
    .or(card.getByPlaceholder(labelOrPlaceholder))
    .first();
}

/** Fills an Input.Text / Input.Number (multiline too) of `card`. */
export async function fillCardInput(card: Locator, labelOrPlaceholder: string, value: string): Promise<void> {
  await cardInput(card, labelOrPlaceholder).fill(value);
}

/**
 * Picks `choiceTitle` in the Input.ChoiceSet labelled `label`: a radio (style expanded),
 * a checkbox (isMultiSelect), or an option of the combobox (style compact, the default).
 */
export async function chooseCardChoice(card: Locator, label: string, choiceTitle: string): Promise<void> {
  const page = card.page();
  const group = card.getByRole('radiogroup', { name: label });
  if ((await group.count()) > 0) {
    await group.getByRole('radio', { name: choiceTitle, exact: true }).check();
    return;
  }
  const combobox = card.getByRole('combobox', { name: label });
  if ((await combobox.count()) > 0) {
    await combobox.click();
    await page.getByRole('option', { name: choiceTitle, exact: true }).click();
    return;
  }
  const checkbox = card.getByRole('checkbox', { name: choiceTitle, exact: true });
  if ((await checkbox.count()) > 0) {
    await checkbox.check();
    return;
  }
  throw new Error(`No choice set labelled "${label}" with a choice "${choiceTitle}" in the card`);
}

/** Clicks the card action whose title is exactly `title`. */
export async function clickCardButton(card: Locator, title: string): Promise<void> {
  await card.getByRole('button', { name: title, exact: true }).click();
}

/** WCAG 2 contrast ratio of two CSS colours `rgb(r, g, b)` / `rgba(r, g, b, a)` (alpha blended over `background`). */
export function contrastRatio(foreground: string, background: string): number {
  const parse = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).map(Number);
  const [br = 255, bg = 255, bb = 255] = parse(background);
  const [fr = 0, fg = 0, fb = 0, fa = 1] = parse(foreground);
  const blend = (f: number, b: number): number => f * fa + b * (1 - fa);
  const luminance = (rgb: number[]): number => {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const a = luminance([blend(fr, br), blend(fg, bg), blend(fb, bb)]);
  const b = luminance([br, bg, bb]);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** Every visible text of the card with its colour and the background it is drawn on. */
export async function textColours(card: Locator): Promise<{ text: string; color: string; background: string }[]> {
  return card.locator('.ac-textBlock, .ac-textRun, .ac-fact-title, .ac-fact-value').evaluateAll((elements) =>
    elements
      .filter((e) => (e as HTMLElement).offsetParent !== null && (e.textContent ?? '').trim() !== '')
      .map((e) => {
        let node: Element | null = e;
        let background = 'rgb(255, 255, 255)';
        while (node) {
          const bg = getComputedStyle(node).backgroundColor;
          if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) {
            background = bg;
            break;
          }
          node = node.parentElement;
        }
        return { text: (e.textContent ?? '').trim().slice(0, 60), color: getComputedStyle(e).color, background };
      }),
  );
}

/** Saves a full-page screenshot to artifacts/e2e/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(E2E_ARTIFACTS_DIR, { recursive: true });
  const path = join(E2E_ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Room for the Playground's toolbar and message box around an element being shot. */
const ELEMENT_SHOT_MARGIN_IN_PX = 400;

/**
 * A PNG of one element (e.g. a card). The chat scrolls inside its own pane, so an element
 * taller than the window would be captured with the Playground's toolbar painted over it:
 * the window grows to fit the element for the shot, then gets its size back.
 */
export async function captureElement(element: Locator): Promise<Buffer> {
  const page = element.page();
  const viewport = page.viewportSize();
  const box = await element.boundingBox();
  const needed = box ? Math.ceil(box.height) + ELEMENT_SHOT_MARGIN_IN_PX : 0;
  const grow = viewport !== null && needed > viewport.height;
  if (grow) await page.setViewportSize({ width: viewport.width, height: needed });
  try {
    await element.scrollIntoViewIfNeeded();
    // A clip of the page, not element.screenshot(): with Playwright 1.56 + Debian Chromium
    // the latter drew the delivery card with other fonts and misaligned facts.
    const shown = await element.boundingBox();
    if (!shown) throw new Error('Nothing to capture: the element is not visible');
    return await page.screenshot({ clip: shown });
  } finally {
    if (grow) await page.setViewportSize(viewport);
  }
}

/** Saves captureElement() to `path`, or to artifacts/e2e/<name>.png for a bare name. */
export async function screenshotElement(element: Locator, nameOrPath: string): Promise<string> {
  const path = nameOrPath.endsWith('.png')
    ? nameOrPath
    : join(E2E_ARTIFACTS_DIR, `${nameOrPath.replace(/[^\w.-]+/g, '-')}.png`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await captureElement(element));
  return path;
}

async function waitUntil(
  condition: () => Promise<boolean>,
  what: string,
  timeoutInMs = DEFAULT_TIMEOUT_IN_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutInMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutInMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
