/**
 * 4. Bulk pacing: many issuances one after another against a tenant write limit (token
 * bucket: 20 writes per 2 s). The gateway must wait out each Retry-After and succeed, so
 * the run settles at the bucket's rate instead of failing. Retry-After comes in whole
 * seconds, as Graph sends it.
 */
import { startBotUnderTest } from './botUnderTest';
import { approve, submit, withdrawIfWaiting, type Submitted } from './drive';
import { fmt, round, row, type BenchOptions, type BenchResult } from './stats';

const WRITE_LIMIT = { capacity: 20, windowInMs: 2_000 };
/**
 * timeCapInMs: stop early rather than blow the run's time budget; the notes say so.
 * Quick stays inside the burst: its figures show the benchmark runs, not the pacing.
 */
const SIZES = {
  full: { n: 200, timeCapInMs: 60_000 },
  quick: { n: 5, timeCapInMs: 20_000 },
};

const isTapCreate = (method: string, url: string): boolean => method === 'POST' && /\/authentication\/temporaryAccessPassMethods$/.test(url.split('?')[0] ?? '');

export async function benchPacing(options: BenchOptions): Promise<BenchResult> {
  const { n, timeCapInMs } = options.quick ? SIZES.quick : SIZES.full;
  const started = performance.now();
  const b = await startBotUnderTest({ knobs: { writeLimit: WRITE_LIMIT } });
  try {
    const approveMs: number[] = [];
    const failures: string[] = [];
    let throttledWrites = 0;
    let writes = 0;
    let done = 0;
    const wallStart = performance.now();
    for (let i = 0; i < n && performance.now() - wallStart < timeCapInMs; i++) {
      let s: Submitted | undefined;
      try {
        s = await submit(b);
        const a = await approve(b, s.requestId, s.approvalActivityId);
        approveMs.push(a.deliveredMs);
        for (const r of a.records) {
          if (!isTapCreate(r.method, r.url)) continue;
          writes++;
          if (r.status === 429) throttledWrites++;
        }
      } catch (e) {
        failures.push(e instanceof Error ? e.message.slice(0, 200) : String(e));
        await withdrawIfWaiting(b, s);
      }
      done++;
    }
    const wallMs = performance.now() - wallStart;
    const issued = done - failures.length;
    const refillPerS = WRITE_LIMIT.capacity / (WRITE_LIMIT.windowInMs / 1000);
    const floorMs = (Math.max(0, issued - WRITE_LIMIT.capacity) / refillPerS) * 1000;
    const r = row(`pacing: ${done} issuances vs ${WRITE_LIMIT.capacity} writes/${WRITE_LIMIT.windowInMs / 1000} s`, approveMs, {
      wallMs,
      roundTrips: `${fmt(writes / Math.max(1, done))} TAP POST/issue, ${throttledWrites}×429`,
    });
    const notes = [
      `${issued}/${done} issued in ${round(wallMs / 1000, 2)} s (${round((issued * 1000) / wallMs, 2)} passes/s; the bucket allows ${refillPerS}/s after a burst of ${WRITE_LIMIT.capacity}, ` +
        `so ≥ ${round(floorMs / 1000, 1)} s); ${throttledWrites} of ${writes} TAP creates answered 429 and were retried after Retry-After; ${failures.length} failed.`,
      `latency column = approve → delivered; throttled approvals wait a whole-second Retry-After (Graph's granularity), hence p95/max ≈ 1 s.`,
      ...(done < n ? [`stopped after ${done} of ${n} issuances: time cap ${timeCapInMs / 1000} s.`] : []),
      ...failures.slice(0, 5).map((f) => `FAILED: ${f}`),
    ];
    return {
      id: 'pacing',
      title: 'Bulk pacing against the write limit',
      rows: [r],
      notes,
      data: { n, done, issued, writeLimit: WRITE_LIMIT, wallMs, throttledWrites, writes, failures, approveToDelivered: r.latency, floorMs },
      durationMs: performance.now() - started,
    };
  } finally {
    await b.stop();
  }
}
