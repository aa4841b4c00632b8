/**
 * Fuzzing `POST /api/messages` of the real app in sandbox mode (sandbox tenant, SQLite in a
 * temp dir, the Bot Connector stand-in): thousands of generated activities and card
 * payloads, malformed, oversized, unicode, injection-shaped, with prototype keys, wrong
 * types and missing fields, and valid-looking Teams invokes with junk data for every verb.
 *
 * Deterministic: each activity is drawn from a PRNG seeded with (seed, index), so the same
 * seed gives the same activities whatever the concurrency. The seed is printed; rerun one
 * with FUZZ_SEED=<seed> (and FUZZ_COUNT=<n> for a longer run).
 */
import assert from 'node:assert/strict';
import vm from 'node:vm';
import v8 from 'node:v8';
import { SANDBOX_TENANT_ID, USERS } from '../../sandbox/ids';
import { VERBS } from '../../src/cards/verbs';
import { configureLogging } from '../../src/log';
import { startHarness, type Harness } from '../support/httpHarness';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20260302) >>> 0;
const COUNT = Math.max(10_000, Number(process.env['FUZZ_COUNT'] ?? 10_000));
const CONCURRENCY = 8;
const BATCH = 500;

type Json = Record<string, unknown>;

// ---- a small deterministic PRNG (mulberry32) ----

class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

// ---- junk ----

const PEOPLE = Object.values(USERS);
const STRANGERS = Array.from({ length: 24 }, (_, i) => `f0000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
const OTHER_TENANT = 'bad00000-0000-4000-8000-00000000bad0';

/** Never "undefined", "[object Object]" or error names: those are what the readable check looks for. */
const NASTY_STRINGS = [
  '', ' ', '\t\n', "'; DROP TABLE users; --", "' OR '1'='1", "megan@contoso.com' or 1 eq 1 or '",
  "$filter=startswith(displayName,'a')", '$megan@contoso.com', '$batch', "/users('x')/memberOf", '../../etc/passwd', '..\\..\\windows\\win.ini',
  '%2e%2e%2f', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<at>TAP Helpdesk</at>', '<<<<<<<<', '&amp;&lt;&gt;&#39;',
  '{{7*7}}', '${7*7}', '#{7*7}', '%s%s%n', 'null', 'true', 'false', '0', '-1', '1e309', 'NaN', 'Infinity',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf',
  'Ωmega 🎉 مرحبا 你好 שלום', 'Z̴̡̪a̵l̸g̶o̵', '\u202eevil\u202c', '\u0000\u0001\u0007', '\ud800', '👩‍👩‍👧‍👦'.repeat(20), '\uFEFFtap',
  'tap', 'status', 'cancel', 'help', 'TAP-7K3F9Q', 'tap-7k3f9q', 'TAP-000000', 'TAP-', 'TAP-7K3F9Q-7K3F9Q',
  'megan@contoso.com', 'MEGAN@CONTOSO.COM', "miriam.o'brien@contoso.com", 'pradeep_fabrikam.com#EXT#@contoso.com', 'isaiah@contoso.com',
  'adele@contoso.com', 'nobody@contoso.com', 'a@b', '@', 'mailto:megan@contoso.com',
  'recovery', 'newDevice', 'newJoiner', 'videoCall', 'inPerson', 'knownNumber', 'other',
  SANDBOX_TENANT_ID, USERS.adele.id.toUpperCase(), `{${USERS.nestor.id}}`, 'msteams', 'webchat',
];

function nastyString(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.05) return 'A'.repeat(1000 + rng.int(9000));
  if (roll < 0.07) return '<'.repeat(2000 + rng.int(40_000));
  if (roll < 0.1) return Array.from({ length: 1 + rng.int(6) }, () => rng.pick(NASTY_STRINGS)).join(rng.pick([' ', '', '\n', '@', ';']));
  return rng.pick(NASTY_STRINGS);
}

function nastyValue(rng: Rng, depth = 0): unknown {
  const roll = rng.int(14);
  switch (roll) {
    case 0: return rng.pick([0, -1, 1.5, 60, 1e308, -0, 2 ** 53 + 1, 43200, 10]);
    case 1: return rng.chance(0.5);
    case 2: return null;
    case 3: return [];
    case 4: return depth < 3 ? Array.from({ length: rng.int(4) }, () => nastyValue(rng, depth + 1)) : [];
    case 5: return {};
    case 6: return depth < 3 ? prototypeKeys(rng, depth) : {};
    case 7: return deepNest(rng);
    default: return nastyString(rng);
  }
}

/** Objects with own `__proto__` / `constructor` keys, as JSON.parse produces them. */
function prototypeKeys(rng: Rng, depth: number): Json {
  return {
    ['__proto__']: { polluted: 'yes', isAdmin: true },
    constructor: { prototype: { polluted: 'yes' } },
    ...(rng.chance(0.5) ? { prototype: { polluted: 'yes' } } : {}),
    ...(rng.chance(0.3) ? { toString: nastyValue(rng, depth + 1) } : {}),
  };
}

function deepNest(rng: Rng): unknown {
  let v: unknown = nastyString(rng);
  const depth = 10 + rng.int(200);
  for (let i = 0; i < depth; i++) v = rng.chance(0.5) ? [v] : { a: v };
  return v;
}

// ---- activities ----

interface Sender {
  from: Json;
  /** A person the bot can identify (GUID object id, not a bot). */
  person: boolean;
}

function sender(rng: Rng): Sender {
  const roll = rng.next();
  if (roll < 0.55) {
    const p = rng.pick(PEOPLE);
    const id = rng.chance(0.1) ? p.id.toUpperCase() : p.id;
    return { from: { id: `29:${p.id}`, name: p.name, aadObjectId: id }, person: true };
  }
  if (roll < 0.8) {
    const id = rng.pick(STRANGERS);
    return { from: { id: `29:${id}`, name: nastyString(rng).slice(0, 300), aadObjectId: id }, person: true };
  }
  if (roll < 0.88) return { from: { id: '28:some-bot', name: 'Other bot', aadObjectId: rng.pick(PEOPLE).id, role: 'bot' }, person: false };
  if (roll < 0.95) return { from: { id: `29:${nastyString(rng).slice(0, 100)}`, aadObjectId: nastyString(rng).slice(0, 200) }, person: false };
  return { from: { id: '29:anonymous' }, person: false };
}

interface Generated {
  /** The HTTP body (a string for raw junk). */
  body: unknown;
  contentType: string;
  /** Set when a person sent a message with text: the bot must answer it, readably. */
  expectsAnswerIn?: string;
}

function baseActivity(rng: Rng, i: number, who: Sender, serviceUrl: string, type: string, extra: Json = {}): Json {
  const tenant = rng.chance(0.05) ? OTHER_TENANT : SANDBOX_TENANT_ID;
  return {
    type,
    id: `fuzz-${i}`,
    timestamp: new Date(Date.UTC(2026, 2, 2, 9, 0, i % 60)).toISOString(),
    channelId: rng.chance(0.05) ? rng.pick(['webchat', 'directline', 'emulator']) : 'msteams',
    serviceUrl,
    from: who.from,
    recipient: { id: '28:tap-bot', name: 'TAP Helpdesk' },
    conversation: { id: `a:fuzz-${i}`, conversationType: 'personal', tenantId: tenant },
    channelData: { tenant: { id: tenant } },
    ...(rng.chance(0.7) ? { entities: [{ type: 'clientInfo', locale: 'en-US', timezone: rng.pick(['Europe/Copenhagen', 'UTC', 'Mars/Olympus', '../../etc', 'America/New_York']) }] } : {}),
    locale: rng.pick(['en-US', 'da-DK', 'xx', '']),
    ...extra,
  };
}

const COMMANDS = ['tap', 'tap for', 'status', 'cancel', 'help', 'new', 'request', '?', 'hi', ''];

function chatText(rng: Rng, requestIds: readonly string[]): string {
  const roll = rng.next();
  if (roll < 0.5) return `${rng.pick(COMMANDS)} ${nastyString(rng)}`.trim();
  if (roll < 0.65 && requestIds.length > 0) return `cancel ${rng.pick(requestIds)}`;
  if (roll < 0.75) return `<p>${rng.pick(COMMANDS)} <a href="mailto:${nastyString(rng)}">${nastyString(rng)}</a></p>`;
  if (roll < 0.8) return `<at>TAP Helpdesk</at> ${rng.pick(COMMANDS)} ${rng.pick(PEOPLE).upn}`;
  return nastyString(rng);
}

const FIELDS = ['requestId', 'target', 'reason', 'ticket', 'scenario', 'lifetimeInMinutes', 'isUsableOnce', 'attestation', 'attestationNote', 'denyReason', 'startDateTime'];

function cardData(rng: Rng, requestIds: readonly string[]): unknown {
  if (rng.chance(0.05)) return nastyValue(rng);
  const data: Json = {};
  for (const field of FIELDS) {
    if (!rng.chance(0.45)) continue;
    const roll = rng.next();
    data[field] = field === 'requestId' && roll < 0.5 && requestIds.length > 0
      ? rng.pick(requestIds)
      : roll < 0.75 ? nastyString(rng) : nastyValue(rng);
  }
  if (rng.chance(0.15)) Object.assign(data, prototypeKeys(rng, 0));
  return data;
}

const ALL_VERBS = Object.values(VERBS);
const ODD_VERBS = ['tap.APPROVE', 'tap.approve ', 'approve', '__proto__', 'constructor', 'toString', 'tap.', '', '../tap.approve'];

function cardInvoke(rng: Rng, i: number, who: Sender, serviceUrl: string, requestIds: readonly string[]): Json {
  const verb = rng.chance(0.9) ? rng.pick(ALL_VERBS) : rng.pick(ODD_VERBS);
  const action: Json = { type: 'Action.Execute', id: `act-${i}`, verb, data: cardData(rng, requestIds) };
  const value: unknown = rng.chance(0.08)
    ? rng.pick<unknown>([undefined, null, 'x', [], {}, { action: nastyValue(rng) }, { action: { ...action, type: nastyValue(rng) } }, { action: { ...action, verb: nastyValue(rng) } }])
    : { action, trigger: rng.pick(['manual', 'automatic']) };
  return baseActivity(rng, i, who, serviceUrl, 'invoke', {
    name: rng.chance(0.95) ? 'adaptiveCard/action' : rng.pick(['task/fetch', 'composeExtension/query', 'signin/verifyState', 'fileConsent/invoke', nastyString(rng)]),
    value,
    ...(rng.chance(0.5) ? { replyToId: rng.chance(0.8) ? `act-${rng.int(1000)}` : nastyValue(rng) } : {}),
  });
}

const TOP_FIELDS = ['type', 'id', 'channelId', 'serviceUrl', 'from', 'recipient', 'conversation', 'channelData', 'entities', 'locale', 'text', 'timestamp', 'name', 'value', 'replyToId', 'attachments', 'membersAdded', 'action'];

/** A well-formed activity with one or two fields removed or replaced by junk. */
function mutated(rng: Rng, activity: Json): Json {
  const out: Json = { ...activity };
  for (let n = 1 + rng.int(2); n > 0; n--) {
    const field = rng.pick(TOP_FIELDS);
    if (rng.chance(0.3)) {
      delete out[field];
      continue;
    }
    // A second, independent draw: nest the junk one level down.
    if (rng.chance(0.3) && typeof out[field] === 'object' && out[field] !== null && !Array.isArray(out[field])) {
      const inner: Json = { ...(out[field] as Json) };
      const key = rng.pick([...Object.keys(inner), 'id', 'aadObjectId', 'tenantId', 'isGroup', 'name', 'role']);
      if (rng.chance(0.4)) delete inner[key];
      else inner[key] = nastyValue(rng);
      out[field] = inner;
    } else out[field] = nastyValue(rng);
  }
  return out;
}

function otherActivity(rng: Rng, i: number, who: Sender, serviceUrl: string): Json {
  const kind = rng.int(7);
  switch (kind) {
    case 0: return baseActivity(rng, i, who, serviceUrl, 'conversationUpdate', { membersAdded: rng.chance(0.7) ? [who.from, { id: '28:tap-bot' }] : nastyValue(rng) });
    case 1: return baseActivity(rng, i, who, serviceUrl, 'installationUpdate', { action: rng.pick(['add', 'remove', 'add-upgrade', nastyString(rng)]) });
    case 2: return baseActivity(rng, i, who, serviceUrl, 'messageReaction', { reactionsAdded: [{ type: 'like' }], replyToId: `act-${rng.int(100)}` });
    case 3: return baseActivity(rng, i, who, serviceUrl, 'typing');
    case 4: return baseActivity(rng, i, who, serviceUrl, 'event', { name: nastyString(rng), value: nastyValue(rng) });
    case 5: return baseActivity(rng, i, who, serviceUrl, rng.pick(['endOfConversation', 'messageUpdate', 'messageDelete', 'trace', 'handoff', 'weird', nastyString(rng).slice(0, 100)]));
    default: return baseActivity(rng, i, who, serviceUrl, 'message', { value: nastyValue(rng) });
  }
}

function rawJunk(rng: Rng): Generated {
  const roll = rng.int(8);
  switch (roll) {
    case 0: return { body: '{"type":', contentType: 'application/json' };
    case 1: return { body: JSON.stringify(nastyValue(rng)), contentType: 'application/json' };
    case 2: return { body: '', contentType: 'application/json' };
    case 3: return { body: 'type=message&text=hi', contentType: 'application/x-www-form-urlencoded' };
    case 4: return { body: '<activity type="message"/>', contentType: 'text/xml' };
    case 5: return { body: '['.repeat(50_000), contentType: 'application/json' };
    case 6: return { body: JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) }), contentType: 'application/json' };
    default: return { body: '{"type":"message","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}', contentType: 'application/json' };
  }
}

function generate(i: number, serviceUrl: string, requestIds: readonly string[]): Generated {
  const rng = new Rng((SEED ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  const who = sender(rng);
  const roll = rng.next();
  if (roll < 0.35) return { body: cardInvoke(rng, i, who, serviceUrl, requestIds), contentType: 'application/json' };
  if (roll < 0.65) {
    const activity = baseActivity(rng, i, who, serviceUrl, 'message', { text: chatText(rng, requestIds) });
    const answerable = who.person && activity['channelId'] !== undefined && (activity['channelData'] as Json).tenant !== undefined
      && ((activity['conversation'] as Json)['tenantId'] === SANDBOX_TENANT_ID);
    return { body: activity, contentType: 'application/json', ...(answerable ? { expectsAnswerIn: `a:fuzz-${i}` } : {}) };
  }
  if (roll < 0.85) {
    const start = rng.chance(0.5) ? cardInvoke(rng, i, who, serviceUrl, requestIds) : baseActivity(rng, i, who, serviceUrl, 'message', { text: chatText(rng, requestIds) });
    return { body: mutated(rng, start), contentType: 'application/json' };
  }
  if (roll < 0.96) return { body: otherActivity(rng, i, who, serviceUrl), contentType: 'application/json' };
  return rawJunk(rng);
}

// ---- what a person may see ----

const UNREADABLE: Array<[string, RegExp]> = [
  ['"undefined"', /\bundefined\b/],
  ['"[object Object]"', /\[object Object\]/],
  ['a stack trace', /\bat [\w.<>]+ \(?[^)\s]*:\d+:\d+\)?/],
  ['an exception name', /\b(TypeError|ReferenceError|RangeError|SyntaxError)\b/],
  ['an internal message', /Cannot read propert/],
];

function unreadable(text: string): string | undefined {
  return UNREADABLE.find(([, pattern]) => pattern.test(text))?.[0];
}

function loadGc(): (() => void) | undefined {
  if (typeof global.gc === 'function') return global.gc;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? () => (gc as () => void)() : undefined;
  } catch {
    return undefined;
  }
}

describe('fuzzing /api/messages of the sandbox app', function () {
  this.timeout(180_000);
  let h: Harness;

  before(async () => {
    h = await startHarness();
    // Installs so proactive cards have somewhere to go, and a few real requests to aim junk at.
    for (const p of ['adele', 'alex', 'nestor', 'lee', 'joni'] as const) await h.client(p).install();
    for (const target of ['megan@contoso.com', 'lasse@contoso.com', 'patti@contoso.com']) {
      await h.client('adele').click('tap.submit', { target, reason: 'Lost phone, verified by video', scenario: 'recovery', lifetimeInMinutes: '60', isUsableOnce: 'true' });
    }
  });
  after(async () => {
    await h?.stop();
  });

  it(`${COUNT} generated activities: no 5xx, no unhandled rejection, heap flat, /health still 200, and every person gets a readable answer`, async () => {
    console.log(`      fuzz seed ${SEED} (rerun with FUZZ_SEED=${SEED}), ${COUNT} activities`);
    const errorLines: string[] = [];
    configureLogging({ level: 'error', sink: (line) => { if (errorLines.length < 20) errorLines.push(line.slice(0, 600)); } });
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown): void => {
      rejections.push(reason);
    };
    process.on('unhandledRejection', onRejection);
    const gc = loadGc();
    const heapNow = (): number => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };

    const requestIds = [...new Set(JSON.stringify(h.connector.log).match(/TAP-[A-Z0-9]{6}/g) ?? [])];
    assert.ok(requestIds.length > 0, 'the setup created real requests');
    const failures: string[] = [];
    const expected = new Map<string, number>();
    const answered = new Set<string>();
    const statuses = new Map<number, number>();
    let unreadableCount = 0;
    let answersChecked = 0;

    const check = (): void => {
      // Everything the bot sent: readable. Then drop it, so the log does not grow the heap.
      for (const r of h.connector.log) {
        const text = JSON.stringify(r.activity);
        const bad = unreadable(text);
        if (bad && unreadableCount++ < 5) failures.push(`the bot sent ${bad} to ${r.conversationId}: ${text.slice(0, 400)}`);
        answered.add(r.conversationId);
      }
      h.connector.log.length = 0;
      for (const [conversationId, i] of expected) {
        answersChecked++;
        if (!answered.has(conversationId)) failures.push(`activity #${i} (a person's message) got no answer`);
      }
      expected.clear();
      answered.clear();
    };

    const post = async (i: number): Promise<void> => {
      const g = generate(i, h.connector.serviceUrl, requestIds);
      const res = await fetch(h.app.messagesUrl, {
        method: 'POST',
        headers: { 'content-type': g.contentType },
        body: typeof g.body === 'string' ? g.body : JSON.stringify(g.body),
      });
      const text = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const shown = (typeof g.body === 'string' ? g.body : JSON.stringify(g.body)).slice(0, 300);
      if (res.status >= 500) failures.push(`activity #${i} got ${res.status} ${text.slice(0, 200)}: ${shown}`);
      const bad = unreadable(text);
      if (bad) failures.push(`activity #${i} was answered with ${bad}: ${text.slice(0, 300)}`);
      if (text) {
        try {
          JSON.parse(text);
        } catch {
          failures.push(`activity #${i} was answered with a body that is not JSON: ${text.slice(0, 200)}`);
        }
      }
      if (g.expectsAnswerIn && res.status === 200) expected.set(g.expectsAnswerIn, i);
    };

    const started = Date.now();
    let heapBefore = 0;
    for (let batchStart = 0; batchStart < COUNT && failures.length < 20; batchStart += BATCH) {
      const end = Math.min(COUNT, batchStart + BATCH);
      let next = batchStart;
      await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
        while (next < end) await post(next++);
      }));
      check();
      // The first batch warms caches, connections and JIT: the baseline is taken after it.
      if (batchStart === 0) heapBefore = heapNow();
    }
    const seconds = (Date.now() - started) / 1000;
    const heapGrowthInMb = (heapNow() - heapBefore) / 1024 / 1024;
    process.off('unhandledRejection', onRejection);
    configureLogging({ level: 'silent' });
    console.log(`      ${COUNT} activities in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; heap ${heapGrowthInMb.toFixed(1)} MB (${gc ? 'after gc' : 'no gc'}); ${answersChecked} answers to people checked`);

    assert.deepEqual(failures, [], `seed ${SEED}`);
    assert.ok(answersChecked > COUNT / 10, `only ${answersChecked} messages from people were checked for an answer`);
    assert.deepEqual(rejections.map(String), [], 'no unhandled rejection');
    assert.deepEqual(errorLines, [], 'no turn failed and nothing was logged as an error');
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false, 'Object.prototype is untouched');
    assert.ok(heapGrowthInMb < (gc ? 40 : 150), `heap grew by ${heapGrowthInMb.toFixed(1)} MB`);
    const health = await fetch(`${h.app.server.url}/health`);
    assert.equal(health.status, 200, await health.text());
  });
});
