/**
 * What Teams cuts, found without a browser: walks the JSON of every card the bot can send
 * (test/support/everyCard.ts, English and Danish) and the templates in cards/.
 * Teams draws a button title on one line and cuts it with "…", and draws a text, a toggle
 * or a choice on one line unless the card says `wrap`. Widths are estimated from the font
 * metrics of the font the browser test draws with (Liberation Sans Bold, Arial's metrics:
 * dev/teamsHost.ts textWidthInPx); test/e2e/teamsRender.e2e.test.ts checks the estimate
 * against Chromium and draws the cards for real.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUTTON_CHROME_PX, BUTTON_SPACING_PX, BUTTON_TITLE_PX, CARD_PADDING_PX, TEAMS_TEXT_PX, textWidthInPx } from '../../dev/teamsHost';
import { LANGUAGES } from '../../src/i18n';
import { everyCard } from '../support/everyCard';

/** A phone: the narrowest card Teams draws. */
const PHONE_WIDTH_PX = 320;
/** Teams shows up to 6 buttons in a row; the rest go behind a "…" button. */
const MAX_ACTIONS = 6;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
/**
 * A card's text as the client draws it: Teams writes {{DATE(…)}} and {{TIME(…)}} in the
 * reader's zone and language (at most about "Wed, Nov 22, 2026" and "12:30 PM").
 */
const str = (v: unknown): string =>
  typeof v === 'string' ? v.replace(/\{\{DATE\([^)]*\)\}\}/g, 'Wed, Nov 22, 2026').replace(/\{\{TIME\([^)]*\)\}\}/g, '12:30 PM') : '';
const sizePx = (size: unknown): number => TEAMS_TEXT_PX[str(size).toLowerCase()] ?? TEAMS_TEXT_PX['default']!;

/** A fact's title and value are drawn at the default size; the renderer puts 10 px between their columns. */
const BODY_PX = TEAMS_TEXT_PX['default']!;
const FACT_SPACER_PX = 10;

/** Space between columns (the host's default spacing). */
const COLUMN_SPACING_PX = 12;

/**
 * How the renderer shares a row among columns: "auto" takes what its widest text needs,
 * "50px" its pixels, and "stretch" or a weight share what is left in proportion.
 */
function columnWidths(columns: Json[], width: number): number[] {
  const auto = (c: Json): number => Math.ceil(Math.max(0, ...list(c['items']).map((i) => textWidthInPx(str(i['text']), sizePx(i['size'])))));
  const fixed = columns.map((c) => {
    const w = c['width'];
    if (w === 'auto') return auto(c);
    const px = /^(\d+)px$/.exec(str(w));
    return px ? Number(px[1]) : undefined;
  });
  const weight = (c: Json): number => (typeof c['width'] === 'number' ? c['width'] : Number(str(c['width'])) || 1);
  const left = width - fixed.reduce<number>((sum, w) => sum + (w ?? 0), 0) - COLUMN_SPACING_PX * (columns.length - 1);
  const weights = columns.reduce((sum, c, i) => sum + (fixed[i] === undefined ? weight(c) : 0), 0);
  return columns.map((c, i) => Math.floor(fixed[i] ?? (left * weight(c)) / weights));
}

/** One broken rule: the element and why Teams would cut it. */
interface Breach {
  rule: 'button' | 'text' | 'input' | 'word';
  what: string;
}

/**
 * Every rule on one card. `width` is the room inside the card at phone width; a styled
 * container pads its content again, and columns share their row.
 */
function breachesOf(card: Json): Breach[] {
  const found: Breach[] = [];
  const actionRow = (actions: Json[], width: number): void => {
    // Secondary actions and those past the sixth sit behind one "…" button.
    const primary = actions.filter((a) => a['mode'] !== 'secondary');
    const shown = primary.slice(0, MAX_ACTIONS).map((a) => str(a['title']));
    if (primary.length > MAX_ACTIONS || primary.length < actions.length) shown.push('…');
    const needed = shown.reduce((sum, t) => sum + textWidthInPx(t, BUTTON_TITLE_PX) + BUTTON_CHROME_PX, 0) + BUTTON_SPACING_PX * (shown.length - 1);
    if (shown.length > 0 && needed > width + 0.5) {
      const titles = shown.map((t) => `"${t}"`).join(', ');
      found.push({ rule: 'button', what: `${shown.length === 1 ? 'button' : 'buttons'} ${titles} need ${Math.ceil(needed)} px on one line; a phone has ${width}` });
    }
    for (const a of actions) {
      if (isObject(a['card'])) walkCard(a['card'], width);
    }
  };
  const element = (e: Json, width: number): void => {
    const type = str(e['type']);
    if (type === 'CodeBlock' && isObject(e['fallback'])) return element(e['fallback'], width);
    if (type === 'TextBlock' && e['wrap'] !== true) {
      const needed = textWidthInPx(str(e['text']), sizePx(e['size']), str(e['fontType']) === 'Monospace');
      if (needed > width + 0.5) found.push({ rule: 'text', what: `text "${str(e['text'])}" has no wrap and needs ${Math.ceil(needed)} px; a phone has ${width}` });
    }
    if (type === 'RichTextBlock') {
      for (const run of list(e['inlines'])) {
        for (const word of str(run['text']).split(/\s+/)) {
          const needed = textWidthInPx(word, sizePx(run['size']), str(run['fontType']) === 'Monospace');
          if (needed > width + 0.5) found.push({ rule: 'word', what: `"${word}" in a rich text is one word of ${Math.ceil(needed)} px; a phone has ${width}` });
        }
      }
    }
    if (type === 'FactSet') {
      // A fact table gives its title column the longest title word (plus 10 px between the
      // columns); a value's words wrap, but a single word wider than what is left pushes the
      // table out of the card.
      const facts = list(e['facts']);
      const longestWord = (t: string): string => t.split(/\s+/).reduce((a, b) => (textWidthInPx(b, BODY_PX) > textWidthInPx(a, BODY_PX) ? b : a), '');
      const titleColumn = Math.max(0, ...facts.map((f) => textWidthInPx(longestWord(str(f['title'])), BODY_PX)));
      const valueColumn = width - titleColumn - FACT_SPACER_PX;
      for (const f of facts) {
        const word = longestWord(str(f['value']));
        const needed = textWidthInPx(word, BODY_PX);
        if (needed > valueColumn + 0.5) found.push({ rule: 'word', what: `"${word}" in the fact "${str(f['title'])}" is one word of ${Math.ceil(needed)} px; its column has ${Math.floor(valueColumn)}` });
      }
    }
    if ((type === 'Input.Toggle' || type === 'Input.ChoiceSet') && e['wrap'] !== true) {
      const label = str(e['title']) || str(e['label']) || str(e['id']);
      found.push({ rule: 'input', what: `${type} "${label}" has no wrap: Teams draws its ${type === 'Input.Toggle' ? 'title' : 'choices'} on one line` });
    }
    const inner = isObject(e['style']) || (str(e['style']) !== '' && str(e['style']) !== 'default') ? width - 2 * CARD_PADDING_PX : width;
    for (const item of list(e['items'])) element(item, inner);
    const columns = list(e['columns']);
    columnWidths(columns, inner).forEach((w, i) => element(columns[i]!, w));
    if (type === 'ActionSet') actionRow(list(e['actions']), width);
    if (isObject(e['selectAction'])) actionRow([e['selectAction']], width);
  };
  const walkCard = (c: Json, width: number): void => {
    for (const e of list(c['body'])) element(e, width);
    actionRow(list(c['actions']), width);
  };
  walkCard(card, PHONE_WIDTH_PX - 2 * CARD_PADDING_PX);
  return found;
}

/** Every card in every language, with the breaches of one rule, as "card: what (languages)". */
function everyBreachOf(rule: Breach['rule']): string[] {
  const languagesOf = new Map<string, string[]>();
  for (const language of LANGUAGES) {
    for (const { name, card } of everyCard(language)) {
      for (const b of breachesOf(card)) {
        const line = `${name}: ${b.what}`;
        if (b.rule === rule) languagesOf.set(line, [...new Set([...(languagesOf.get(line) ?? []), language])]);
      }
    }
  }
  return [...languagesOf].map(([line, languages]) => `${line} (${languages.join(', ')})`);
}

/** Bound values that cannot grow: a guide step's number ("1."). */
const SHORT_VALUES = new Set(['${number}.']);

/** TextBlocks of a template whose text is bound to a value (`${…}`) and that do not wrap. */
function unwrappedBoundTexts(node: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(node)) node.forEach((n, i) => unwrappedBoundTexts(n, `${path}[${i}]`, out));
  else if (isObject(node)) {
    if (node['type'] === 'TextBlock' && str(node['text']).includes('${') && !SHORT_VALUES.has(str(node['text'])) && node['wrap'] !== true) out.push(`${path}: "${str(node['text'])}"`);
    for (const [key, value] of Object.entries(node)) unwrappedBoundTexts(value, `${path}.${key}`, out);
  }
  return out;
}

const TEMPLATES = join(__dirname, '..', '..', 'cards');

describe('what Teams cuts on a phone, read from the cards\' JSON', () => {
  describe('the rules themselves', () => {
    it('a button title wider than a phone is a breach, a short one is not', () => {
      const long = breachesOf({ body: [], actions: [{ type: 'Action.Execute', title: 'Approve the Temporary Access Pass for Megan Bowen now' }] });
      assert.deepEqual(long.map((b) => b.rule), ['button']);
      assert.deepEqual(breachesOf({ body: [], actions: [{ type: 'Action.Execute', title: 'Approve' }] }), []);
    });

    it('three buttons that each fit alone but not side by side are a breach', () => {
      const titles = ['Handed over', 'Revoke…', 'Report as suspicious…'];
      for (const title of titles) assert.deepEqual(breachesOf({ actions: [{ title }] }), [], title);
      assert.deepEqual(breachesOf({ actions: titles.map((title) => ({ title })) }).map((b) => b.rule), ['button']);
    });

    it('a button behind the "…" menu (secondary, or past the sixth) takes no room in the row', () => {
      const long = 'Report this request as suspicious now';
      assert.deepEqual(breachesOf({ actions: [{ title: 'Approve' }, { title: long, mode: 'secondary' }] }), []);
      const seven = Array.from({ length: 7 }, (_, i) => ({ title: i < 6 ? `Step ${i + 1}` : long }));
      const [row] = breachesOf({ actions: seven });
      assert.ok(row && row.what.includes('"…"') && !row.what.includes(long), row?.what);
    });

    it('a long text without wrap is a breach, and the same text with wrap is not', () => {
      const text = 'Megan Bowen (megan.bowen@contoso.onmicrosoft.com), Account Manager, Sales';
      assert.deepEqual(breachesOf({ body: [{ type: 'TextBlock', text }] }).map((b) => b.rule), ['text']);
      assert.deepEqual(breachesOf({ body: [{ type: 'TextBlock', text, wrap: true }] }), []);
    });

    it('a fact value with one word wider than its column is a breach; the same value in words is not', () => {
      const fact = (value: string): Json => ({ body: [{ type: 'FactSet', facts: [{ title: 'Sign-in methods', value }] }] });
      assert.deepEqual(breachesOf(fact('not available: needs the Graph permission UserAuthenticationMethod.Read.All')).map((b) => b.rule), ['word']);
      assert.deepEqual(breachesOf(fact('not available: needs a Graph permission to read the methods')), []);
    });

    it('a toggle or a choice set without wrap is a breach', () => {
      const found = breachesOf({ body: [{ type: 'Input.Toggle', id: 'a', title: 'Yes' }, { type: 'Input.ChoiceSet', id: 'b', choices: [] }, { type: 'Input.Toggle', id: 'c', title: 'Yes', wrap: true }] });
      assert.deepEqual(found.map((b) => b.rule), ['input', 'input']);
    });

    it('a 48-character code in large type is a breach, in a one-line text and as one word of a rich text', () => {
      const code = 'Xk7#Qm2$Lp9!Rz4&Vn8*Tb3@Hw6%Jc5^Fd1+Gs0=Yt2?Ae4u';
      assert.deepEqual(breachesOf({ body: [{ type: 'TextBlock', text: code, fontType: 'Monospace', size: 'Large' }] }).map((b) => b.rule), ['text']);
      assert.deepEqual(breachesOf({ body: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: code, fontType: 'Monospace', size: 'ExtraLarge' }] }] }).map((b) => b.rule), ['word']);
    });

    it('a button in a styled container has 32 px less room than one on the card; in a show card or beside a step number, as the renderer lays them out', () => {
      const title = 'Report this request as suspicious now';
      assert.deepEqual(breachesOf({ actions: [{ title }] }), []);
      assert.deepEqual(breachesOf({ actions: [{ type: 'Action.ShowCard', title: 'More', card: { actions: [{ title }] } }] }), []);
      const besideNumber = (t: string): Json => ({ body: [{ type: 'ColumnSet', columns: [{ type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: '1.' }] }, { type: 'Column', width: 'stretch', items: [{ type: 'ActionSet', actions: [{ title: t }] }] }] }] });
      assert.deepEqual(breachesOf(besideNumber('Show the details of this request')), []);
      assert.deepEqual(breachesOf(besideNumber(title)).map((b) => b.rule), ['button']);
      assert.deepEqual(breachesOf({ body: [{ type: 'Container', style: 'emphasis', items: [{ type: 'ActionSet', actions: [{ title }] }] }] }).map((b) => b.rule), ['button']);
    });
  });

  describe('every card the bot sends, English and Danish', () => {
    it('every row of buttons fits on one line at 320 px', () => {
      const breaches = everyBreachOf('button');
      assert.deepEqual(breaches, [], `${breaches.length} rows of buttons are cut on a phone:\n${breaches.join('\n')}`);
    });

    it('a text without wrap never runs past a phone-wide card', () => {
      const breaches = everyBreachOf('text');
      assert.deepEqual(breaches, [], `${breaches.length} texts are cut on a phone:\n${breaches.join('\n')}`);
    });

    it('no word of a rich text or a fact is wider than the room it has on a phone', () => {
      const breaches = everyBreachOf('word');
      assert.deepEqual(breaches, [], `${breaches.length} words stick out on a phone:\n${breaches.join('\n')}`);
    });

    it('every toggle and choice set wraps its labels', () => {
      const breaches = everyBreachOf('input');
      assert.deepEqual(breaches, [], `${breaches.length} inputs draw their labels on one line:\n${breaches.join('\n')}`);
    });

    it('no input is marked required: Teams dark draws the red mark at 3.24:1, so the label says it and the bot checks', () => {
      const required = new Set<string>();
      const walk = (node: unknown, card: string): void => {
        if (Array.isArray(node)) node.forEach((n) => walk(n, card));
        else if (isObject(node)) {
          if (node['isRequired'] === true) required.add(`${card}: ${str(node['type'])} "${str(node['label']) || str(node['id'])}"`);
          Object.values(node).forEach((v) => walk(v, card));
        }
      };
      for (const language of LANGUAGES) for (const { name, card } of everyCard(language)) walk(card, name);
      assert.deepEqual([...required], []);
    });

    it('a template text that holds a value wraps (a value can be as long as a name or a reason)', () => {
      const breaches = readdirSync(TEMPLATES)
        .filter((f) => f.endsWith('.json'))
        .flatMap((f) => unwrappedBoundTexts(JSON.parse(readFileSync(join(TEMPLATES, f), 'utf8')), f, []));
      assert.deepEqual(breaches, [], `${breaches.length} template texts hold a value on one line:\n${breaches.join('\n')}`);
    });
  });
});
