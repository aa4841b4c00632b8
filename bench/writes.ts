/**
 * 11. Durable writes per step, counted, not timed: what one request costs the store from the
 * agent's `tap <upn>` (preview and form) through `tap.submit` to the approval card, and what
 * one approval costs from the manager's click to the delivered pass, on SQLite and on blob
 * storage (Azurite). The counts come from bench/storageCounter.ts, which wraps the store's
 * class the bot builds its store from; each step is counted until the store has been quiet
 * for a moment, so writes the bot makes after it answered (card references) count too.
 */
import { countStorage, difference, emptyCounts, type StorageCounts } from './storageCounter';
import { startBotUnderTest, type BotUnderTest } from './botUnderTest';
import { approve, submit, withdraw } from './drive';
import { fmt, row, type BenchOptions, type BenchResult, type BenchRow } from './stats';
import { startAzurite } from '../test/support/azurite';

/** Issue 21: at most this many durable writes per request, on either store. */
const TARGET_WRITES = 6;

const SIZES = { full: { warmup: 2, n: 10 }, quick: { warmup: 1, n: 2 } };

interface Step {
  name: string;
  samplesInMs: number[];
  counts: StorageCounts[];
}

export async function benchWrites(options: BenchOptions): Promise<BenchResult> {
  const sizes = options.quick ? SIZES.quick : SIZES.full;
  const started = performance.now();
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const data: Record<string, unknown> = {};
  for (const kind of ['sqlite', 'blobs'] as const) {
    const steps = await countOn(kind, sizes);
    for (const step of steps) {
      const avg = average(step.counts);
      rows.push(
        row(`writes: ${step.name}, ${kind}`, step.samplesInMs, {
          wallMs: step.samplesInMs.reduce((sum, ms) => sum + ms, 0),
          roundTrips: `${fmt(avg.durableWrites)} commits, ${fmt(avg.diskSyncs)} disk syncs (${fmt(avg.keysWritten)} keys, ${fmt(Math.round(avg.bytesWritten))} B), ${fmt(avg.roundTrips)} storage round trips`,
          versus: `${fmt(avg.durableWrites)} writes (≤ ${TARGET_WRITES})`,
        }),
      );
      notes.push(`${kind}, ${step.name}: keys written per step by family: ${families(avg)}.`);
      data[`${kind}: ${step.name}`] = { average: avg, samples: step.counts };
    }
  }
  notes.unshift(
    `a durable write is one committed SQLite transaction (durable against a crash of the process at once) or one blob PUT/DELETE; ` +
      `a disk sync is a wait for the disk (SQLite: barrier() before a pass is made or a code shown; blobs: every write); ` +
      `storage round trips add the reads (SQLite read transactions, blob GETs); target ≤ ${TARGET_WRITES} durable writes per step.`,
  );
  return { id: 'writes', title: 'Durable storage writes per step (counted)', rows, notes, data, durationMs: performance.now() - started };
}

async function countOn(kind: 'sqlite' | 'blobs', sizes: { warmup: number; n: number }): Promise<Step[]> {
  const azurite = kind === 'blobs' ? await startAzurite() : undefined;
  const counter = countStorage(kind);
  let b: BotUnderTest | undefined;
  try {
    b = await startBotUnderTest(azurite ? { env: { STORAGE: 'blobs', BLOB_CONNECTION_STRING: azurite.connectionString, BLOB_CONTAINER: 'bench-writes' } } : {});
    const request: Step = { name: 'tap <upn> → approval card', samplesInMs: [], counts: [] };
    const approval: Step = { name: 'approve → pass delivered', samplesInMs: [], counts: [] };
    for (let i = 0; i < sizes.warmup + sizes.n; i++) {
      const measured = i >= sizes.warmup;
      await counter.settled();
      const before = counter.snapshot();
      const t0 = performance.now();
      const preview = await b.client('adele').say('tap megan@contoso.com');
      if (preview.status >= 300) throw new Error(`tap <upn> answered ${preview.status}`);
      const s = await submit(b);
      const ms = performance.now() - t0;
      await counter.settled();
      const afterRequest = counter.snapshot();
      if (measured) {
        request.samplesInMs.push(ms);
        request.counts.push(difference(afterRequest, before));
      }
      // Every other request is withdrawn, not approved: the approval rows count approvals only.
      if (i % 2 === 1) {
        await withdraw(b, s);
        continue;
      }
      const a = await approve(b, s.requestId, s.approvalActivityId);
      await counter.settled();
      if (measured) {
        approval.samplesInMs.push(a.deliveredMs);
        approval.counts.push(difference(counter.snapshot(), afterRequest));
      }
    }
    return [request, approval];
  } finally {
    counter.restore();
    await b?.stop();
    await azurite?.stop();
  }
}

function average(all: readonly StorageCounts[]): StorageCounts {
  const sum = emptyCounts();
  for (const c of all) {
    sum.durableWrites += c.durableWrites;
    sum.diskSyncs += c.diskSyncs;
    sum.keysWritten += c.keysWritten;
    sum.bytesWritten += c.bytesWritten;
    sum.roundTrips += c.roundTrips;
    for (const [k, v] of Object.entries(c.byFamily)) sum.byFamily[k] = (sum.byFamily[k] ?? 0) + v;
    for (const [k, v] of Object.entries(c.bytesByFamily)) sum.bytesByFamily[k] = (sum.bytesByFamily[k] ?? 0) + v;
  }
  const n = Math.max(1, all.length);
  const byFamily = Object.fromEntries(Object.entries(sum.byFamily).map(([k, v]) => [k, v / n]));
  const bytesByFamily = Object.fromEntries(Object.entries(sum.bytesByFamily).map(([k, v]) => [k, v / n]));
  return { durableWrites: sum.durableWrites / n, diskSyncs: sum.diskSyncs / n, keysWritten: sum.keysWritten / n, bytesWritten: sum.bytesWritten / n, roundTrips: sum.roundTrips / n, byFamily, bytesByFamily };
}

function families(c: StorageCounts): string {
  const entries = Object.entries(c.byFamily).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none (0)' : entries.map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
}
