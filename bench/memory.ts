/**
 * 5. Memory: RSS and heapUsed after a full GC, at idle after start, after a warm-up, and
 * after 150 and 300 completed requests (submit → approve → delivered → handed over). The
 * sandbox and the connector stand-in share the process, so their logs are emptied between
 * requests: what remains is the bot's (plus the sandbox's bounded directory).
 * Retained bytes per request = growth of heapUsed after GC / requests.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { countRoundTrips, startBotUnderTest, type BotUnderTest } from './botUnderTest';
import { approve, handOver, submit } from './drive';
import { mb, memoryNow, round, row, type BenchOptions, type BenchResult, type MemorySnapshot } from './stats';

/** n is even: the second-half figure is taken at n / 2. */
const SIZES = {
  full: { warmup: 20, n: 300 },
  quick: { warmup: 2, n: 6 },
};

type Gc = () => void;

/** `tsx --expose-gc` gives global.gc; otherwise turn the flag on at run time (V8 allows it). */
function findGc(): { gc: Gc | undefined; how: string } {
  const exposed = (globalThis as { gc?: Gc }).gc;
  if (exposed) return { gc: exposed, how: '--expose-gc' };
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as Gc, how: 'v8.setFlagsFromString(--expose-gc)' };
  } catch {
    // fall through: measure without GC
  }
  return { gc: undefined, how: 'none (figures include garbage)' };
}

async function settled(gc: Gc | undefined): Promise<MemorySnapshot> {
  if (gc) {
    // Twice, with a turn of the event loop between: finalisers and weak refs clear on the second.
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return memoryNow();
}

async function completeOne(b: BotUnderTest): Promise<{ ms: number; graphRequests: number }> {
  const t0 = performance.now();
  const s = await submit(b);
  const a = await approve(b, s.requestId, s.approvalActivityId);
  await handOver(b, s.requestId, a.deliveryActivityId);
  const ms = performance.now() - t0;
  const graphRequests = countRoundTrips(b.sandbox.requests).graph;
  // The harness's own records are not the bot's memory.
  b.connector.log.length = 0;
  b.connector.created.length = 0;
  b.sandbox.resetRequests();
  return { ms, graphRequests };
}

export async function benchMemory(options: BenchOptions): Promise<BenchResult> {
  const { warmup, n } = options.quick ? SIZES.quick : SIZES.full;
  const started = performance.now();
  const { gc, how } = findGc();
  const b = await startBotUnderTest();
  try {
    const idle = await settled(gc);
    // Empty the log of start-up and installs first: it is the harness's, not the bot's.
    b.sandbox.resetRequests();
    for (let i = 0; i < warmup; i++) await completeOne(b);
    const warm = await settled(gc);
    const samples: number[] = [];
    let graphRequests = 0;
    const wallStart = performance.now();
    let half: MemorySnapshot | undefined;
    for (let i = 0; i < n; i++) {
      const one = await completeOne(b);
      samples.push(one.ms);
      graphRequests += one.graphRequests;
      if (i === n / 2 - 1) half = await settled(gc);
    }
    const wallMs = performance.now() - wallStart;
    const after = await settled(gc);
    const perRequest = (after.heapUsedBytes - warm.heapUsedBytes) / n;
    const secondHalf = half ? (after.heapUsedBytes - half.heapUsedBytes) / (n / 2) : NaN;
    const r = row(`memory: ${n} complete requests (submit→approve→handed over)`, samples, { wallMs, roundTrips: `${graphRequests / n} Graph HTTP per request` });
    r.memory = after;
    const at = (label: string, m: MemorySnapshot): string => `${label} ${mb(m.rssBytes)}/${mb(m.heapUsedBytes)} MB`;
    const notes = [
      `RSS/heapUsed after GC (${how}): ${at('idle after start', idle)}; ${at(`after ${warmup} warm-up`, warm)}; ${half ? at(`after ${n / 2}`, half) + '; ' : ''}${at(`after ${n}`, after)}.`,
      `retained per request: ${round(perRequest / 1024, 2)} KiB over ${n} (${round(secondHalf / 1024, 2)} KiB over the last ${n / 2}); ` +
        `heap growth ${round((after.heapUsedBytes - warm.heapUsedBytes) / 1024, 0)} KiB, RSS growth ${mb(after.rssBytes - warm.rssBytes)} MB.`,
    ];
    return {
      id: 'memory',
      title: 'Memory at idle and after completed requests',
      rows: [r],
      notes,
      data: { gc: how, warmup, n, idle, warm, half, after, retainedBytesPerRequest: perRequest, retainedBytesPerRequestSecondHalf: secondHalf, latency: r.latency },
      durationMs: performance.now() - started,
    };
  } finally {
    await b.stop();
  }
}
