/**
 * 2. Approve → pass delivered: from the manager's tap.approve click to the delivery card
 * arriving at the Bot Connector stand-in, at 0 and 50 ms of added Graph latency.
 * Approving is sequential by nature (re-check the facts, then create the pass), so the
 * floor is (Graph requests) × latency. The round-trips column is read off the traffic, so
 * it stays true when the approval path changes. "Delivered" is the moment the code reaches
 * the connector: the pass card is sent without it and the code put on it in place, so a
 * crash never leaves a code on a card whose id was not stored; the notes count the Bot
 * Connector calls up to that moment (each a round trip to Teams in production, where the
 * stand-in answers at once).
 */
import { averageTrips, carriesPass, countRoundTrips, startBotUnderTest, type BotUnderTest, type RoundTrips } from './botUnderTest';
import { approve, submit } from './drive';
import { sequentialRounds } from './rounds';
import { fmt, round, row, verdict, type BenchOptions, type BenchResult, type BenchRow } from './stats';

/** Approve → pass delivered: the re-check round, then the create. */
const ROUNDS_TARGET = 2;

const SIZES = {
  full: { warmup: 3, runs: [{ latencyInMs: 0, n: 30 }, { latencyInMs: 50, n: 15 }] },
  quick: { warmup: 1, runs: [{ latencyInMs: 0, n: 3 }, { latencyInMs: 50, n: 2 }] },
};

export async function benchDelivery(options: BenchOptions): Promise<BenchResult> {
  const { warmup, runs } = options.quick ? SIZES.quick : SIZES.full;
  const started = performance.now();
  const b = await startBotUnderTest();
  try {
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    const perRun: Record<string, unknown>[] = [];
    for (const run of runs) {
      b.sandbox.knobs.latencyInMs = run.latencyInMs;
      for (let i = 0; i < warmup; i++) {
        const s = await submit(b);
        await approve(b, s.requestId, s.approvalActivityId);
      }
      const delivered: number[] = [];
      const answered: number[] = [];
      const trips: RoundTrips[] = [];
      const rounds: number[] = [];
      const connectorCalls: number[] = [];
      let wallMs = 0;
      for (let i = 0; i < run.n; i++) {
        const s = await submit(b);
        const logFrom = b.connector.log.length;
        const t0 = performance.now();
        const a = await approve(b, s.requestId, s.approvalActivityId);
        wallMs += performance.now() - t0;
        connectorCalls.push(connectorCallsToPass(b, logFrom));
        delivered.push(a.deliveredMs);
        answered.push(a.clickMs);
        trips.push(countRoundTrips(a.records));
        rounds.push(sequentialRounds(a.records, b.graphWindows, a.clickedAt + a.deliveredMs).rounds);
      }
      const maxRounds = Math.max(...rounds);
      const avg = averageTrips(trips);
      const r = row(`approve → pass delivered, +${run.latencyInMs} ms`, delivered, {
        wallMs,
        roundTrips: `${fmt(avg.graph)} HTTP, sequential: ${sequence(avg)}`,
        ...(run.latencyInMs > 0 ? { versus: `${fmt(maxRounds)} rounds to the pass (≤ ${ROUNDS_TARGET})` } : {}),
      });
      rows.push(r);
      const click = row('', answered);
      const calls = Math.max(...connectorCalls);
      notes.push(
        `+${run.latencyInMs} ms: delivery card p50 ${round(r.latency?.p50Ms ?? NaN)} ms after the click (${fmt(calls)} Bot Connector call(s) up to the code: the pass card, then the code put on it); the manager's invoke answer (updated card) p50 ${round(click.latency?.p50Ms ?? NaN)} ms` +
          (run.latencyInMs > 0
            ? `; floor ${fmt(avg.graph)} × ${run.latencyInMs} = ${fmt(avg.graph * run.latencyInMs)} ms of Graph latency; ` +
              `${fmt(maxRounds)} sequential round(s) counted from the traffic, re-checks included (target ≤ ${ROUNDS_TARGET}: ${verdict(maxRounds <= ROUNDS_TARGET)}).`
            : '.'),
      );
      perRun.push({ latencyInMs: run.latencyInMs, deliveredLatency: r.latency, invokeAnswerLatency: click.latency, roundTripsPerApproval: avg, connectorCallsToPass: calls, ...(run.latencyInMs > 0 ? { sequentialRounds: rounds } : {}) });
    }
    return { id: 'delivery', title: 'Approve → pass delivered', rows, notes, data: { runs: perRun }, durationMs: performance.now() - started };
  } finally {
    await b.stop();
  }
}

/** What one approval sent, in order: "$batch×7 → TAP POST" ($batch items are the re-checks). */
function sequence(avg: RoundTrips): string {
  const batches = avg.batches > 0 ? [`${fmt(avg.batches)} $batch×${fmt(avg.batchItems / avg.batches)}`] : [];
  const others = avg.graph - avg.batches - 1; // besides the batches and the TAP create
  return [...batches, ...(others > 0 ? [`${fmt(others)} GET`] : []), 'TAP POST'].join(' → ');
}

/** Bot Connector calls (sends and updates, any chat) from the click up to the one that carried the code. */
function connectorCallsToPass(b: BotUnderTest, logFrom: number): number {
  const at = b.connector.log.findIndex((a, i) => i >= logFrom && carriesPass(a.activity));
  return at < 0 ? NaN : at - logFrom + 1;
}
