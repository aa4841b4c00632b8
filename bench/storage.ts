/**
 * 6. Storage: SQLite read / write / updateItem per-operation latency. The measurement is
 * test/storage/measureLatency.ts (owned by storage); this runs it in its own process, so
 * its figures are not disturbed by this one's heap, and turns its lines into rows.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { memoryNow, type BenchResult, type BenchRow } from './stats';

const run = promisify(execFile);
const SCRIPT = 'test/storage/measureLatency.ts';
/** measureLatency.ts times this many operations per line (after 50 warm-up). */
const OPS_PER_LINE = 2000;
const LINE = /^(.+?)\s+([\d.]+)\s+µs\/op$/;

export async function benchStorage(): Promise<BenchResult> {
  const started = performance.now();
  const root = path.resolve(__dirname, '..');
  const tsxCli = require.resolve('tsx/cli');
  const { stdout } = await run(process.execPath, [tsxCli, SCRIPT], { cwd: root, timeout: 60_000 });
  const rows: BenchRow[] = [];
  const perOp: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m?.[1] || !m[2]) continue;
    const us = Number(m[2]);
    perOp[m[1]] = us;
    rows.push({
      name: shortName(m[1]),
      n: OPS_PER_LINE,
      latency: { n: OPS_PER_LINE, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, maxMs: NaN, meanMs: us / 1000 },
      throughputPerS: 1e6 / us,
      memory: memoryNow(),
    });
  }
  if (rows.length === 0) throw new Error(`${SCRIPT} printed no figures: ${stdout.slice(0, 300)}`);
  return {
    id: 'storage',
    title: 'SQLite per-operation latency',
    rows,
    notes: [
      `mean µs/op from ${SCRIPT} (${OPS_PER_LINE} ops per line, sequential); it reports means only, so p50/p95/p99/max are "-". ` +
        `The bot opens SQLite with synchronous=NORMAL (the "file NORMAL" rows) and waits for the disk only before a side effect a write guards, ` +
        `one commit at FULL (a "file FULL" write) that keeps every commit before it (src/storage/sqliteStorage.ts, barrier); memory column = this process.`,
    ],
    data: { script: SCRIPT, opsPerLine: OPS_PER_LINE, microsecondsPerOp: perOp },
    durationMs: performance.now() - started,
  };
}

/** "file, synchronous=FULL: updateItem (read + conditional write)" → "sqlite file FULL: updateItem". */
function shortName(label: string): string {
  return `sqlite ${label}`
    .replace('sqlite memory', 'sqlite in-memory')
    .replace('file, synchronous=', 'file ')
    .replace(/ \(.*\)$/, '');
}
