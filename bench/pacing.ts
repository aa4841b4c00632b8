/**
 * 4. Bulk pacing: many issuances one after another against a tenant write limit (token
 * bucket: 20 writes per 2 s). The gateway must wait out each Retry-After and succeed, so
 * the run settles at the bucket's rate instead of failing. Retry-After comes in whole
 * seconds, as Graph sends it.
 */
import { startBotUnderTest } from './botUnderTest';
import { approve, submit } from './drive';
import { fmt, round, row, type BenchResult } from './stats';

const N = 200;
const WRITE_LIMIT = { capacity: 20, windowInMs: 2_000 };
/** Stop early rather than blow the run's time budget; the notes say so. */
const TIME_CAP_IN_MS = 60_000;

const isTapCreate = (method: string, url: string): boolean => method === 'POST' && /\/authentication\/temporaryAccessPassMethods$/.test(url.split('?')[0] ?? '');

export async function benchPacing(): Promise<BenchResult> {
  const started = performance.now();
  const b = await startBotUnderTest({ knobs: { writeLimit: WRITE_LIMIT } });
  try {
    const approveMs: number[] = [];
    const failures: string[] = [];
    let throttledWrites = 0;
    let writes = 0;
    let done = 0;
    const wallStart = performance.now();
    for (let i = 0; i < N && performance.now() - wallStart < TIME_CAP_IN_MS; i++) {
      try {
        const s = await submit(b);
        const a = await approve(b, s.requestId, s.approvalActivityId);
        approveMs.push(a.deliveredMs);
        for (const r of a.records) {
          if (!isTapCreate(r.method, r.url)) continue;
          writes++;
          if (r.status === 429) throttledWrites++;
        }
      } catch (e) {
        failures.push(e instanceof Error ? e.message.slice(0, 200) : String(e));
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
      ...(done < N ? [`stopped after ${done} of ${N} issuances: time cap ${TIME_CAP_IN_MS / 1000} s.`] : []),
      ...failures.slice(0, 5).map((f) => `FAILED: ${f}`),
    ];
    return {
      id: 'pacing',
      title: 'Bulk pacing against the write limit',
      rows: [r],
      notes,
      data: { n: N, done, issued, writeLimit: WRITE_LIMIT, wallMs, throttledWrites, writes, failures, approveToDelivered: r.latency, floorMs },
      durationMs: performance.now() - started,
    };
  } finally {
    await b.stop();
  }
}
