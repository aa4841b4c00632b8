/**
 * Cards the way Microsoft Teams draws them, for tests that look for cut text, overflow and
 * low contrast: Microsoft's own Adaptive Cards renderer (the `adaptivecards` package) in a
 * blank Chromium page, under the Teams host configs, at phone and desktop chat widths.
 * No network: the renderer is loaded from node_modules into the page.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { LANGUAGES, type Language } from '../src/i18n';
import { contrastRatio } from './browser';

export type TeamsTheme = 'light' | 'dark';

/** A phone is about 320 px wide; a card in the desktop chat pane about 400 px. */
export const TEAMS_WIDTHS = [320, 400] as const;
type TeamsWidth = (typeof TEAMS_WIDTHS)[number];
export const TEAMS_THEMES: readonly TeamsTheme[] = ['light', 'dark'];

/** WCAG 2 AA: 4.5:1 for text, 3:1 for large text (24 px, or 18.66 px bold). */
const WCAG_AA_TEXT = 4.5;
const WCAG_AA_LARGE_TEXT = 3;

type ColourPair = { default: string; subtle: string };
type Foregrounds = Record<'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention', ColourPair>;

const pair = (d: string, subtle: string): ColourPair => ({ default: d, subtle });

// Source: microsoft/AdaptiveCards samples/HostConfig/microsoft-teams-light.json and -dark.json.
// Colours are #RRGGBB or #AARRGGBB (alpha first); the renderer turns the latter into rgba().
const LIGHT_TEXT: Foregrounds = {
  default: pair('#ff252424', '#bf252424'),
  dark: pair('#252424', '#bf252424'),
  light: pair('#ffffff', '#fff3f2f1'),
  accent: pair('#6264a7', '#8b8cc7'),
  good: pair('#92c353', '#e592c353'),
  warning: pair('#f8d22a', '#e5f8d22a'),
  attention: pair('#c4314b', '#e5c4314b'),
};

/** Dark theme, on the default and emphasis backgrounds: light text. */
const DARK_TEXT: Foregrounds = {
  default: pair('#ffffffff', '#bfffffff'),
  dark: pair('#ff201f1f', '#ff2d2c2c'),
  light: pair('#ffffffff', '#bfffffff'),
  accent: pair('#ffa6a7dc', '#ff8b8cc7'),
  good: pair('#ff92c353', '#e592c353'),
  warning: pair('#fff8d22a', '#e5f8d22a'),
  attention: pair('#ffd74654', '#e5d74654'),
};

/** Dark theme, on the pale tinted styles (accent, good, attention, warning): Teams keeps the pale tints and darkens the default text. */
const DARK_TEXT_ON_TINT: Foregrounds = { ...DARK_TEXT, default: pair('#ff201f1f', '#ff2d2c2c') };

/** The pale tints are the same in both themes. */
const TINTS = { accent: '#C7DEF9', good: '#CCFFCC', attention: '#FFC5B2', warning: '#FFE2B2' } as const;

const TEAMS_FONT_SIZES = { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 };
const TEAMS_FONT_WEIGHTS = { lighter: 200, default: 400, bolder: 600 };
const TEAMS_SANS = "'Segoe UI', Tahoma, Geneva, Verdana, sans-serif";
const fontType = (fontFamily: string) => ({ fontFamily, fontSizes: TEAMS_FONT_SIZES, fontWeights: TEAMS_FONT_WEIGHTS });
const TEAMS_MONO = "'Courier New', Courier, monospace";

function teamsHostConfig(theme: TeamsTheme): Record<string, unknown> {
  const plain = theme === 'light' ? LIGHT_TEXT : DARK_TEXT;
  const onTint = theme === 'light' ? LIGHT_TEXT : DARK_TEXT_ON_TINT;
  const background = theme === 'light' ? { default: '#ffffff', emphasis: '#fff9f8f7' } : { default: '#ff2d2c2c', emphasis: '#ff292828' };
  return {
    choiceSetInputValueSeparator: ',',
    supportsInteractivity: true,
    spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: '#EEEEEE' },
    imageSizes: { small: 32, medium: 52, large: 100 },
    fontTypes: { default: fontType(TEAMS_SANS), monospace: fontType(TEAMS_MONO) },
    containerStyles: {
      default: { backgroundColor: background.default, foregroundColors: plain },
      emphasis: { backgroundColor: background.emphasis, foregroundColors: plain },
      accent: { backgroundColor: TINTS.accent, foregroundColors: onTint },
      good: { backgroundColor: TINTS.good, foregroundColors: onTint },
      attention: { backgroundColor: TINTS.attention, foregroundColors: onTint },
      warning: { backgroundColor: TINTS.warning, foregroundColors: onTint },
    },
    actions: {
      maxActions: 6,
      spacing: 'Default',
      buttonSpacing: 8,
      showCard: { actionMode: 'Inline', inlineTopMargin: 16, style: 'emphasis' },
      preExpandSingleShowCardAction: false,
      actionsOrientation: 'Horizontal',
      actionAlignment: 'Left',
    },
    adaptiveCard: { allowCustomStyle: false },
    imageSet: { imageSize: 'Medium', maxImageHeight: 100 },
    // The published files spell the wrap flag "warp", which the renderer ignores: its default (wrap) applies.
    factSet: {
      title: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Bolder', wrap: true },
      value: { size: 'Default', color: 'Default', isSubtle: false, weight: 'Default', wrap: true },
      spacing: 16,
    },
  };
}

/** The two Teams host configs, as Microsoft publishes them. */
const TEAMS_HOST_CONFIGS: Record<TeamsTheme, Record<string, unknown>> = {
  light: teamsHostConfig('light'),
  dark: teamsHostConfig('dark'),
};

/**
 * Segoe UI is not on Linux. Liberation Sans (installed; Arial's metrics) stands in for it and
 * Liberation Mono (Courier New's metrics) for the code font. An approximation: Arial runs
 * about as wide as Segoe UI, and Teams' semibold (600) is drawn with Liberation's bold, which
 * is a little wider, so a title that fits here fits in Teams with a little room to spare.
 */
const RENDER_FONTS = {
  sans: "'Segoe UI', 'Liberation Sans', Arial, sans-serif",
  mono: "'Courier New', 'Liberation Mono', monospace",
};
const RENDER_FONT_TYPES = { default: fontType(RENDER_FONTS.sans), monospace: fontType(RENDER_FONTS.mono) };

/** The default background of each theme's chat, which the card sits on. */
const PAGE_BACKGROUND: Record<TeamsTheme, string> = { light: '#ffffff', dark: '#2d2c2c' };

/**
 * How Teams draws what the renderer leaves to its host: a button title on one line cut with
 * "…" (Teams' Fluent buttons: 32 px high, 12 px side padding, 14 px semibold, 1 px border),
 * and buttons and inputs in the theme's colours. The host configs say nothing of these, so
 * the sizes and colours are our reading of Teams' Fluent theme, an approximation. Choice and
 * toggle labels stay as the renderer draws them: one line unless the card says `wrap`.
 */
function teamsCss(theme: TeamsTheme): string {
  const button = theme === 'light' ? { bg: '#ffffff', fg: '#252424', border: '#e1dfdd' } : { bg: '#201f1f', fg: '#ffffff', border: '#605e5c' };
  const input = theme === 'light' ? { bg: '#ffffff', fg: '#252424', border: '#e1dfdd' } : { bg: '#201f1f', fg: '#ffffff', border: '#605e5c' };
  return `
    html, body { margin: 0; padding: 0; background: ${PAGE_BACKGROUND[theme]}; font-family: ${RENDER_FONTS.sans}; }
    #host { box-sizing: border-box; }
    .ac-pushButton, .ac-pushButton-disabled {
      white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0;
      height: 32px; padding: 0 12px; box-sizing: border-box; border-radius: 4px;
      font-family: ${RENDER_FONTS.sans}; font-size: 14px; font-weight: 600;
      background: ${button.bg}; color: ${button.fg}; border: 1px solid ${button.border};
    }
    .ac-input, .ac-input select, select.ac-input, input.ac-input, textarea.ac-input {
      font-family: ${RENDER_FONTS.sans}; font-size: 14px; background: ${input.bg}; color: ${input.fg};
      border: 1px solid ${input.border}; box-sizing: border-box; max-width: 100%;
    }
  `;
}

function rendererSource(): string {
  return readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
}

/** One problem found on a rendered card. */
export interface TeamsFinding {
  kind: 'truncated' | 'overflow' | 'contrast' | 'render';
  /**
   * Who can fix it: the card, or the host (what the renderer draws in the host's colours
   * whatever the card says: the red "*" of a required input).
   */
  owner: 'card' | 'host';
  /** What a person would notice, in one line. */
  what: string;
}

export interface TeamsView {
  theme: TeamsTheme;
  width: TeamsWidth;
  /** The card's `lang`, the language the client writes dates in: a two-letter code, as the renderer accepts. */
  lang: string;
}

/** What the page measured for one text, before the contrast rule is applied. */
interface MeasuredText {
  text: string;
  where: string;
  color: string;
  background: string;
  fontSizePx: number;
  fontWeight: number;
}

interface PageReport {
  errors: string[];
  truncated: Array<{ text: string; shown: number; total: number; where: string }>;
  overflow: Array<{ text: string; where: string; by: number }>;
  texts: MeasuredText[];
}

/** A blank page with the renderer loaded; render cards one after another into it. */
export class TeamsCardPage {
  private constructor(private readonly page: Page) {}

  static async open(browser: Browser): Promise<TeamsCardPage> {
    const page = await browser.newPage({ viewport: { width: 480, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.setContent('<!doctype html><html><head><style id="teams"></style></head><body><div id="host"></div></body></html>');
    // tsx keeps function names with a helper the page does not have; give the page a no-op one.
    await page.evaluate('window.__name = (f) => f');
    await page.addScriptTag({ content: rendererSource() });
    return new TeamsCardPage(page);
  }

  /** How wide Chromium draws `text` in the Teams button font (14 px semibold) at `sizePx`. */
  async drawnWidthInPx(text: string, sizePx: number): Promise<number> {
    return this.page.evaluate(
      ({ text, font }) => {
        const context = document.createElement('canvas').getContext('2d');
        if (!context) throw new Error('No 2D canvas in this browser');
        context.font = font;
        return context.measureText(text).width;
      },
      { text, font: `600 ${sizePx}px ${RENDER_FONTS.sans}` },
    );
  }

  /** A PNG of the card as last rendered (a clip of the whole page: a long card is taller than the window). */
  async screenshot(path: string): Promise<void> {
    const box = await this.page.locator('#host').boundingBox();
    if (!box) throw new Error('Nothing to capture: no card is rendered');
    await this.page.screenshot({ path, fullPage: true, clip: box });
  }

  /**
   * Renders `card` as Teams would for `view`, opens every Action.ShowCard and
   * Action.ToggleVisibility one after another, and returns every cut text, overflow and
   * text below the contrast minimum seen in any of those states.
   */
  async render(card: Record<string, unknown>, view: TeamsView): Promise<TeamsFinding[]> {
    const hostConfig = { ...TEAMS_HOST_CONFIGS[view.theme], fontTypes: RENDER_FONT_TYPES };
    const report = await this.page.evaluate(inspectInPage, { card, hostConfig, css: teamsCss(view.theme), width: view.width, lang: view.lang });
    return [...codeBlocksWithoutFallback(card), ...findingsOf(report)];
  }
}

/** Teams on a phone draws a CodeBlock's fallback; without one, the code is not there at all. */
function codeBlocksWithoutFallback(node: unknown): TeamsFinding[] {
  if (Array.isArray(node)) return node.flatMap(codeBlocksWithoutFallback);
  if (typeof node !== 'object' || node === null) return [];
  const element = node as Record<string, unknown>;
  const own: TeamsFinding[] =
    element['type'] === 'CodeBlock' && (typeof element['fallback'] !== 'object' || element['fallback'] === null)
      ? [{ kind: 'render', owner: 'card', what: 'a CodeBlock without a fallback: a phone shows nothing in its place' }]
      : [];
  return [...own, ...Object.values(element).flatMap(codeBlocksWithoutFallback)];
}

function isLargeText(t: MeasuredText): boolean {
  return t.fontSizePx >= 24 || (t.fontSizePx >= 18.66 && t.fontWeight >= 700);
}

function findingsOf(report: PageReport): TeamsFinding[] {
  const findings: TeamsFinding[] = report.errors.map((e) => ({ kind: 'render', owner: 'card', what: e }));
  for (const t of report.truncated) {
    findings.push({ kind: 'truncated', owner: 'card', what: `${t.where} "${t.text}" shows ${t.shown} of ${t.total} characters` });
  }
  for (const o of report.overflow) {
    findings.push({ kind: 'overflow', owner: 'card', what: `${o.where} "${o.text}" is ${o.by} px wider than the card` });
  }
  const seen = new Set<string>();
  for (const t of report.texts) {
    const ratio = contrastRatio(t.color, t.background);
    const minimum = isLargeText(t) ? WCAG_AA_LARGE_TEXT : WCAG_AA_TEXT;
    if (ratio >= minimum) continue;
    const what = `${t.where} "${t.text}" ${t.color} on ${t.background} is ${ratio.toFixed(2)}:1 (needs ${minimum}:1)`;
    if (seen.has(what)) continue;
    seen.add(what);
    findings.push({ kind: 'contrast', owner: t.where === 'required mark' ? 'host' : 'card', what });
  }
  return findings;
}

interface InspectArgs {
  card: Record<string, unknown>;
  hostConfig: Record<string, unknown>;
  css: string;
  width: number;
  lang: string;
}

/** The renderer's global, as much of it as the page uses. */
interface RendererAction {
  getJsonTypeName(): string;
  renderedElement?: HTMLElement;
}
interface RendererCard {
  hostConfig: unknown;
  parse(json: unknown, context: RendererParsing): void;
  render(): HTMLElement | undefined;
  getAllActions(): RendererAction[];
}
interface RendererParsing {
  readonly eventCount: number;
  getEventAt(index: number): { message: string } | undefined;
}
interface RendererGlobal {
  AdaptiveCard: new () => RendererCard;
  CardElement: { langProperty?: { regEx?: RegExp } };
  SerializationContext: new () => RendererParsing;
  HostConfig: new (json: unknown) => unknown;
}

/**
 * Runs in the page: renders the card, then measures. Self-contained (serialised into the
 * page), so every helper is declared inside it.
 */
function inspectInPage(args: InspectArgs): PageReport {
  const report: PageReport = { errors: [], truncated: [], overflow: [], texts: [] };
  const style = document.getElementById('teams');
  if (style) style.textContent = args.css;
  const host = document.getElementById('host') as HTMLElement;
  host.style.width = `${args.width}px`;
  host.innerHTML = '';
  const ac = (window as unknown as { AdaptiveCards: RendererGlobal }).AdaptiveCards;
  const card = new ac.AdaptiveCard();
  card.hostConfig = new ac.HostConfig(args.hostConfig);
  // The renderer checks `lang` with a /g regular expression, whose lastIndex survives the test:
  // every other card would lose its language. Reset it before each card.
  const langCheck = ac.CardElement.langProperty?.regEx;
  if (langCheck) langCheck.lastIndex = 0;
  const parsing = new ac.SerializationContext();
  try {
    card.parse({ ...args.card, lang: args.lang }, parsing);
  } catch (e) {
    report.errors.push(`the renderer refused the card: ${String(e)}`);
    return report;
  }
  // What the renderer left out or changed. A CodeBlock is Teams' own (desktop and web): the
  // renderer draws its fallback, as Teams on a phone does; one without a fallback is caught in Node.
  for (let i = 0; i < parsing.eventCount; i++) {
    const message = parsing.getEventAt(i)?.message ?? '';
    if (!message.includes('"CodeBlock"')) report.errors.push(`the renderer warned: ${message}`);
  }
  const rendered = card.render();
  if (!rendered) {
    report.errors.push('the renderer drew nothing');
    return report;
  }
  host.appendChild(rendered);

  const snippet = (s: string): string => {
    const t = s.replace(/\s+/g, ' ').trim();
    return t.length > 80 ? `${t.slice(0, 79)}…` : t;
  };
  const describe = (e: Element): string => {
    if (e.matches('label > .ac-textRun[aria-hidden="true"]')) return 'required mark';
    if (e.closest('.ac-pushButton, .ac-pushButton-disabled')) return 'button';
    if (e.closest('select')) return 'dropdown';
    if (e.closest('.ac-fact-title')) return 'fact title';
    if (e.closest('.ac-fact-value')) return 'fact value';
    if (e.closest('label')) return 'input label';
    if (e.closest('.ac-input')) return 'input';
    if (e.closest('.ac-richTextBlock')) return 'rich text';
    return e.children.length > 0 && !e.classList.contains('ac-textBlock') ? 'block' : 'text';
  };
  const visible = (e: Element): boolean => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
  };
  const ownText = (e: Element): string =>
    Array.from(e.childNodes)
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent ?? '')
      .join('');
  /**
   * Of `e`'s visible characters (spaces aside: a wrapped line's trailing space may hang past
   * the edge and is never drawn), how many end left of `right`, and how many there are.
   */
  const charactersShown = (e: Element, right: number): { shown: number; total: number } => {
    let shown = 0;
    let total = 0;
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        if (/\s/.test(text[i]!)) continue;
        total++;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        if (range.getBoundingClientRect().right <= right + 1) shown++;
      }
    }
    return { shown, total };
  };
  /** The right edge past which `e`'s text is not drawn: its own edge if it hides overflow, or a parent's. */
  const clipEdge = (e: Element): number => {
    let edge = Infinity;
    for (let node: Element | null = e; node && node !== host; node = node.parentElement) {
      const ns = getComputedStyle(node);
      if (ns.overflowX === 'hidden' || ns.overflowX === 'clip' || ns.overflowX === 'auto' || ns.overflowX === 'scroll') {
        const r = node.getBoundingClientRect();
        edge = Math.min(edge, r.left + node.clientLeft + node.clientWidth);
      }
    }
    return edge;
  };
  const seenTruncated = new Set<string>();
  const seenOverflow = new Set<string>();
  const seenTexts = new Set<string>();

  /** Composites the backgrounds under `e` from the page up, so alpha blends as drawn. */
  const backgroundOf = (e: Element): string => {
    const layers: number[][] = [];
    for (let node: Element | null = e; node; node = node.parentElement) {
      const parts = (getComputedStyle(node).backgroundColor.match(/[\d.]+/g) ?? []).map(Number);
      const [r = 0, g = 0, b = 0, a = parts.length >= 4 ? parts[3]! : 1] = parts;
      if (parts.length < 3 || a === 0) continue;
      layers.push([r, g, b, a]);
      if (a >= 1) break;
    }
    let [r, g, b] = [255, 255, 255];
    for (const [lr = 0, lg = 0, lb = 0, la = 1] of layers.reverse()) {
      r = lr * la + r * (1 - la);
      g = lg * la + g * (1 - la);
      b = lb * la + b * (1 - la);
    }
    return `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
  };

  const inspect = (): void => {
    const root = host.querySelector('.ac-adaptiveCard') ?? host;
    const cardBox = root.getBoundingClientRect();
    for (const e of Array.from(root.querySelectorAll('*'))) {
      if (!(e instanceof HTMLElement) || !visible(e)) continue;
      const s = getComputedStyle(e);
      const text = snippet(e.innerText || e.textContent || '');
      // 1. Cut text: its own text runs past the edge of itself or of a parent that hides overflow.
      const own = ownText(e).replace(/\s+/g, ' ').trim();
      if (own) {
        const clipRight = clipEdge(e);
        const contents = document.createRange();
        contents.selectNodeContents(e);
        const textRight = contents.getBoundingClientRect().right;
        if (textRight > clipRight + 1) {
          const count = charactersShown(e, clipRight);
          const full = (e.textContent ?? '').replace(/\s+/g, ' ').trim();
          const key = `${describe(e)}|${full}`;
          if (count.shown < count.total && !seenTruncated.has(key)) {
            seenTruncated.add(key);
            // The ellipsis takes the place of the last character that would fit.
            const shown = Math.max(0, count.shown - (s.textOverflow === 'ellipsis' ? 1 : 0));
            report.truncated.push({ text: full, shown, total: count.total, where: describe(e) });
          }
        }
      }
      // A dropdown shows its chosen option on one line, cut by its own width.
      if (e instanceof HTMLSelectElement && e.selectedIndex >= 0) {
        const option = e.options[e.selectedIndex]!.text;
        const canvas = document.createElement('canvas').getContext('2d')!;
        canvas.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
        const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 24; // the arrow
        const needed = canvas.measureText(option).width;
        if (needed > room + 1) {
          const key = `dropdown|${option}`;
          if (!seenTruncated.has(key)) {
            seenTruncated.add(key);
            report.truncated.push({ text: option, shown: Math.floor((option.length * room) / needed), total: option.length, where: 'dropdown' });
          }
        }
      }
      // 2. Wider than the card: the outermost element that sticks out.
      const box = e.getBoundingClientRect();
      const by = Math.round(Math.max(box.right - cardBox.right, cardBox.left - box.left));
      if (by > 1 && e.parentElement && !(e.parentElement.getBoundingClientRect().right - cardBox.right > 1)) {
        const key = `${e.tagName}|${text}`;
        if (!seenOverflow.has(key)) {
          seenOverflow.add(key);
          report.overflow.push({ text, where: describe(e), by });
        }
      }
      // 3. Contrast of every text this element draws itself.
      // A radio's or checkbox's value is never drawn; a text field's and a dropdown's is.
      const typed = e instanceof HTMLSelectElement || e instanceof HTMLTextAreaElement || (e instanceof HTMLInputElement && !['radio', 'checkbox', 'hidden'].includes(e.type));
      const drawn = snippet(typed ? (e as HTMLInputElement).value : ownText(e));
      if (drawn && !(e instanceof HTMLOptionElement)) {
        const measured = { text: drawn, where: describe(e), color: s.color, background: backgroundOf(e), fontSizePx: parseFloat(s.fontSize), fontWeight: Number(s.fontWeight) || 400 };
        const key = `${measured.text}|${measured.color}|${measured.background}`;
        if (!seenTexts.has(key)) {
          seenTexts.add(key);
          report.texts.push(measured);
        }
      }
    }
    if (root.scrollWidth > root.clientWidth + 1 && report.overflow.length === 0) {
      report.overflow.push({ text: '', where: 'card', by: root.scrollWidth - root.clientWidth });
    }
  };

  inspect();
  // What a click opens: a ShowCard's form, a folded list. Each is opened, measured and closed.
  for (const action of card.getAllActions()) {
    const type = action.getJsonTypeName();
    const button = action.renderedElement;
    if ((type !== 'Action.ShowCard' && type !== 'Action.ToggleVisibility') || !button || !button.isConnected || !visible(button)) continue;
    button.click();
    inspect();
    button.click();
  }
  return report;
}

/**
 * Widths of Liberation Sans Bold (the same as Arial Bold and Helvetica Bold), in thousandths
 * of the font size: what the browser test draws a button title with. Used to estimate,
 * without a browser, whether a title fits; the browser test checks the estimate against
 * Chromium. Bold for every text: a regular text is narrower, so the estimate is safe.
 */
const BOLD_WIDTHS: Record<string, number> = {
  ' ': 278, '!': 333, '"': 474, '#': 556, $: 556, '%': 889, '&': 722, "'": 238, '(': 333, ')': 333, '*': 389, '+': 584,
  ',': 278, '-': 333, '.': 278, '/': 278, ':': 333, ';': 333, '<': 584, '=': 584, '>': 584, '?': 611, '@': 975,
  '[': 333, '\\': 278, ']': 333, '^': 584, _: 556, '…': 1000, '·': 278, '–': 556, '—': 1000, '’': 278, '“': 500, '”': 500,
  A: 722, B: 722, C: 722, D: 722, E: 667, F: 611, G: 778, H: 722, I: 278, J: 556, K: 722, L: 611, M: 833,
  N: 722, O: 778, P: 667, Q: 778, R: 722, S: 667, T: 611, U: 722, V: 667, W: 944, X: 667, Y: 667, Z: 611,
  a: 556, b: 611, c: 556, d: 611, e: 556, f: 333, g: 611, h: 611, i: 278, j: 278, k: 556, l: 278, m: 889,
  n: 611, o: 611, p: 611, q: 611, r: 389, s: 556, t: 333, u: 611, v: 556, w: 778, x: 556, y: 556, z: 500,
  æ: 889, ø: 611, å: 556, Æ: 1000, Ø: 778, Å: 722, é: 556, ü: 611, ö: 611, ä: 556,
};
const DIGIT_WIDTH = 556;
/** Anything not in the table is taken as wide as an M: unknown letters never make a title look shorter. */
const UNKNOWN_WIDTH = 833;
/** Liberation Mono, like Courier New: every character 0.6 of the size. */
const MONO_WIDTH = 600;

/** Teams' text sizes in px, by the card's `size`. */
export const TEAMS_TEXT_PX: Record<string, number> = { small: 12, default: 14, medium: 14, large: 18, extralarge: 24 };

/** Estimated width in px of `text` in the Teams font at `sizePx`, bold (or monospace). */
export function textWidthInPx(text: string, sizePx: number, monospace = false): number {
  let units = 0;
  for (const ch of text) units += monospace ? MONO_WIDTH : (BOLD_WIDTHS[ch] ?? (/\d/.test(ch) ? DIGIT_WIDTH : UNKNOWN_WIDTH));
  return (units * sizePx) / 1000;
}

/** The card's padding on each side, and what a button adds around its title (12 px padding and a 1 px border, each side). */
export const CARD_PADDING_PX = 16;
export const BUTTON_CHROME_PX = 26;
export const BUTTON_SPACING_PX = 8;
export const BUTTON_TITLE_PX = 14;

/** One problem of the whole matrix: what, on which cards, in which views. */
export interface MatrixProblem {
  problem: string;
  owner: TeamsFinding['owner'];
  cards: string[];
  where: string[];
}

/**
 * Renders every card of every language under both themes at both widths, one after another
 * in one page, and gathers what is wrong, once per problem. With `shotsDir`, saves a PNG
 * per card, language, theme and width there.
 */
export async function renderEveryView(
  teams: TeamsCardPage,
  cardsFor: (language: Language) => Array<{ name: string; card: Record<string, unknown> }>,
  options: { shotsDir?: string } = {},
): Promise<{ rendered: number; problems: MatrixProblem[] }> {
  if (options.shotsDir) await mkdir(options.shotsDir, { recursive: true });
  const problems = new Map<string, { owner: TeamsFinding['owner']; cards: Set<string>; where: Set<string> }>();
  let rendered = 0;
  for (const language of LANGUAGES) {
    for (const { name, card } of cardsFor(language)) {
      for (const theme of TEAMS_THEMES) {
        for (const width of TEAMS_WIDTHS) {
          const findings = await teams.render(card, { theme, width, lang: language });
          rendered++;
          for (const f of findings) {
            const key = `${f.kind}: ${f.what}`;
            const entry = problems.get(key) ?? { owner: f.owner, cards: new Set<string>(), where: new Set<string>() };
            entry.cards.add(name);
            entry.where.add(`${theme} ${width}px ${language}`);
            problems.set(key, entry);
          }
          if (options.shotsDir) await teams.screenshot(join(options.shotsDir, `${language}-${theme}-${width}-${name.replace(/[^\w.-]+/g, '-')}.png`));
        }
      }
    }
  }
  return { rendered, problems: [...problems].map(([problem, e]) => ({ problem, owner: e.owner, cards: [...e.cards], where: [...e.where] })) };
}

/** "card; card | problem | view, view": one line per problem, for a test failure or a report. */
export function problemLines(problems: MatrixProblem[]): string[] {
  return problems.map((p) => `${p.cards.join('; ')} | ${p.problem} | ${p.where.join(', ')}`);
}
