/**
 * 3. Throttling: 30 % of Graph requests and $batch items answered 429 with a fractional
 * Retry-After (0.05 s). Every request must still complete (submit → approve → delivered)
 * through the gateway's retries; the price is extra round trips and a longer tail.
 */
import { DEFAULT_RETRY_POLICY } from '../src/graph/retry';
import { configureLogging } from '../src/log';
import { countRoundTrips, quietLogging, startBotUnderTest, sumTrips, type RoundTrips } from './botUnderTest';
import { approve, submit, withdrawIfWaiting, type Submitted } from './drive';
import { fmt, round, row, type BenchOptions, type BenchResult } from './stats';

const SIZES = {
  full: { n: 50, baselineN: 5 },
  quick: { n: 6, baselineN: 2 },
};
const KNOBS = { throttleRate: 0.3, retryAfterSeconds: 0.05, retryAfterFractional: true };

export async function benchThrottling(options: BenchOptions): Promise<BenchResult> {
  const { n, baselineN } = options.quick ? SIZES.quick : SIZES.full;
  const started = performance.now();
  const b = await startBotUnderTest();
  try {
    // Unthrottled traffic of one whole request, to count the extra round trips against.
    const baseline = await sumOf(baselineN, async () => {
      const s = await submit(b);
      const a = await approve(b, s.requestId, s.approvalActivityId);
      return [countRoundTrips(s.records), countRoundTrips(a.records)];
    });
    // Which Graph operations gave up: the gateway logs each final failure (never a body).
    const gaveUp = new Map<string, number>();
    configureLogging({
      sink: (line) => {
        const entry = JSON.parse(line) as { msg?: string; operation?: string; item?: string; errorCode?: string };
        if (entry.msg === 'Graph call failed' || entry.msg === 'Graph batch item failed') {
          const key = `${entry.operation ?? '?'}${entry.item ? `[${entry.item}]` : ''}: ${entry.errorCode ?? '?'}`;
          gaveUp.set(key, (gaveUp.get(key) ?? 0) + 1);
        } else {
          process.stderr.write(`${line}\n`);
        }
      },
    });
    Object.assign(b.sandbox.knobs, KNOBS);
    const samples: number[] = [];
    const failures: string[] = [];
    const trips: RoundTrips[] = [];
    const wallStart = performance.now();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const from = b.sandbox.requests.length;
      let s: Submitted | undefined;
      try {
        s = await submit(b);
        await approve(b, s.requestId, s.approvalActivityId);
        samples.push(performance.now() - t0);
      } catch (e) {
        failures.push(e instanceof Error ? e.message.slice(0, 200) : String(e));
      }
      trips.push(countRoundTrips(b.sandbox.requests.slice(from)));
      await withdrawIfWaiting(b, s);
    }
    const wallMs = performance.now() - wallStart;
    const total = sumTrips(trips);
    const perBaseline = { graph: baseline.graph / baselineN, batchItems: baseline.batchItems / baselineN };
    const extraHttp = total.graph - perBaseline.graph * n;
    const extraItems = total.batchItems - perBaseline.batchItems * n;
    const successRate = (n - failures.length) / n;
    const r = row(`throttling 30 %, Retry-After 0.05 s: submit+approve`, samples, {
      wallMs,
      roundTrips: `${fmt(total.graph / n)} HTTP (${fmt(perBaseline.graph)} unthrottled), ${fmt(total.throttled / n)}×429`,
    });
    const notes = [
      `success ${fmt(successRate * 100)} % (${n - failures.length}/${n}) through the retries; ${total.throttled} answers were 429 ` +
        `(${total.throttled} of ${total.graph - total.batches + total.batchItems} Graph operations incl. batch items).`,
      `extra round trips: +${fmt(extraHttp)} HTTP requests (+${fmt(extraHttp / n)} per request, ${fmt((extraHttp / (perBaseline.graph * n)) * 100)} %), ` +
        `+${fmt(extraItems)} re-sent $batch items; p95 ${round(r.latency?.p95Ms ?? NaN)} ms vs p50 ${round(r.latency?.p50Ms ?? NaN)} ms.`,
      expectedFailureNote(perBaseline.graph - baseline.batches / baselineN + perBaseline.batchItems),
      ...(gaveUp.size > 0 ? [`Graph operations that gave up after the retries: ${[...gaveUp].map(([k, v]) => `${k} ×${v}`).join(', ')}.`] : []),
      ...countSame(failures).map(([f, count]) => `FAILED ×${count}: ${f}`),
    ];
    return {
      id: 'throttling',
      title: 'Throttling (429 + fractional Retry-After)',
      rows: [r],
      notes,
      data: { knobs: KNOBS, n, successRate, failures, gaveUp: Object.fromEntries(gaveUp), latency: r.latency, totals: total, baselinePerRequest: perBaseline, extraHttp, extraItems },
      durationMs: performance.now() - started,
    };
  } finally {
    quietLogging();
    await b.stop();
  }
}

async function sumOf(n: number, one: () => Promise<RoundTrips[]>): Promise<RoundTrips> {
  const all: RoundTrips[] = [];
  for (let i = 0; i < n; i++) all.push(...(await one()));
  return sumTrips(all);
}

/** Identical failure messages once, with how often they occurred. */
function countSame(messages: readonly string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m, (counts.get(m) ?? 0) + 1);
  return [...counts];
}

/**
 * Independent 429s at rate r: an operation gives up after 1 + maxRetries throttled attempts
 * (p = r^(1+maxRetries)); a request of k operations fails with 1 - (1 - p)^k.
 */
function expectedFailureNote(operationsPerRequest: number): string {
  const attempts = 1 + DEFAULT_RETRY_POLICY.maxRetries;
  const p = KNOBS.throttleRate ** attempts;
  const perRequest = 1 - (1 - p) ** operationsPerRequest;
  return (
    `expected from the retry budget (${DEFAULT_RETRY_POLICY.maxRetries} retries, the gateway default): an operation gives up with ` +
    `${KNOBS.throttleRate}^${attempts} = ${fmt(p * 100)} %; ${fmt(operationsPerRequest)} operations per request → ${fmt(perRequest * 100)} % of requests fail.`
  );
}
