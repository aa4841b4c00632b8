/**
 * Runs the benchmarks, prints one compact table plus notes, and writes
 * artifacts/bench/results.json. Figures only: nothing here passes or fails on time.
 * Requests that fail are counted and described in the notes (a success rate is a figure);
 * only a benchmark that throws or produces no figures (see figures.ts) makes the exit code 1.
 *
 *   npm run bench                    # all
 *   npm run bench -- checks memory   # some, by id
 *   npm run bench -- --quick         # few iterations (also BENCH_QUICK=1): do they all still run?
 *   npm run bench -- --out=FILE      # results elsewhere (quick: artifacts/bench/results-quick.json)
 */
import '../src/quietDeprecations'; // first: before anything loads restify
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchCeiling } from './ceiling';
import { benchChecks } from './checks';
import { benchDelivery } from './delivery';
import { benchFootprint } from './footprint';
import { benchMemory } from './memory';
import { benchPacing } from './pacing';
import { benchStorage } from './storage';
import { benchThrottling } from './throttling';
import { benchBulk } from './bulk';
import { benchHotspots } from './hotspots';
import { benchWrites } from './writes';
import { missingFigures } from './figures';
import { mb, memoryNow, type BenchOptions, type BenchResult, type BenchRow } from './stats';

// Memory first: "idle after start" should not carry the other benchmarks' heap.
const BENCHES: Array<{ id: string; title: string; run: (options: BenchOptions) => Promise<BenchResult> }> = [
  { id: 'memory', title: 'Memory at idle and after completed requests', run: benchMemory },
  { id: 'checks', title: 'Checks before anyone is bothered', run: benchChecks },
  { id: 'delivery', title: 'Approve → pass delivered', run: benchDelivery },
  { id: 'throttling', title: 'Throttling (429 + fractional Retry-After)', run: benchThrottling },
  { id: 'pacing', title: 'Bulk pacing against the write limit', run: benchPacing },
  { id: 'bulk', title: 'Bulk passes for a group: 1,000 members vs the seed loop and the write-limit bound', run: benchBulk },
  { id: 'writes', title: 'Durable storage writes per step (counted)', run: benchWrites },
  { id: 'hotspots', title: 'Shared index documents under bursts from three instances', run: benchHotspots },
  { id: 'ceiling', title: 'Turn overhead against the framework ceiling', run: benchCeiling },
  // The production build in a child process: its RSS is the bot's alone.
  { id: 'footprint', title: 'Footprint of the production build', run: benchFootprint },
  // Its figures come from a script with fixed sizes (about 5 s), quick or not.
  { id: 'storage', title: 'SQLite per-operation latency', run: () => benchStorage() },
];

const RESULTS_DIR = path.resolve(__dirname, '..', 'artifacts', 'bench');

interface RunArgs {
  ids: string[];
  quick: boolean;
  resultsPath: string;
}

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RunArgs {
  const ids: string[] = [];
  let quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--quick') quick = true;
    else if (arg === '--out') out = argv[++i];
    else if (arg.startsWith('--out=')) out = arg.slice('--out='.length);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}; known: --quick, --out=FILE`);
    else ids.push(arg);
  }
  if (out === '') throw new Error('--out needs a file name');
  // A quick run must not overwrite the figures of the last full one.
  const resultsPath = out ? path.resolve(out) : path.join(RESULTS_DIR, quick ? 'results-quick.json' : 'results.json');
  return { ids, quick, resultsPath };
}

async function main(): Promise<void> {
  const { ids: wanted, quick, resultsPath } = parseArgs(process.argv.slice(2), process.env);
  const unknown = wanted.filter((w) => !BENCHES.some((b) => b.id === w));
  if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.id).join(', ')}`);
  const selected = wanted.length > 0 ? BENCHES.filter((b) => wanted.includes(b.id)) : BENCHES;

  const started = performance.now();
  const loadBefore = os.loadavg();
  const results: BenchResult[] = [];
  for (const bench of selected) {
    process.stderr.write(`bench: ${bench.id} …\n`);
    const t0 = performance.now();
    try {
      const result = await bench.run({ quick });
      const missing = missingFigures(result);
      results.push(missing.length > 0 ? { ...result, error: `no figures: ${missing.join('; ')}` } : result);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      results.push({ id: bench.id, title: bench.title, rows: [], notes: [], data: {}, durationMs: performance.now() - t0, error: message });
    }
    process.stderr.write(`bench: ${bench.id} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const totalMs = performance.now() - started;

  process.stdout.write(`\n${renderTable(results)}\n`);
  for (const r of results) {
    process.stdout.write(`\n${r.title} (${(r.durationMs / 1000).toFixed(1)} s)\n`);
    if (r.error) process.stdout.write(`  ERROR: ${r.error}\n`);
    for (const note of r.notes) process.stdout.write(`  - ${note}\n`);
  }
  // Other work on a 2-core machine shows up as tail latency: print the load next to the figures.
  const loadAfter = os.loadavg();
  const load = `load avg (1 min) ${loadBefore[0]?.toFixed(2)} → ${loadAfter[0]?.toFixed(2)}`;
  process.stdout.write(
    `\nnode ${process.version}, ${os.cpus().length} cores, ${os.platform()}, ${load}; total ${(totalMs / 1000).toFixed(1)} s; results: ${path.relative(process.cwd(), resultsPath)}\n`,
  );
  if (quick) process.stdout.write('quick mode: few iterations; these figures show that every benchmark runs, not how fast.\n');

  mkdirSync(path.dirname(resultsPath), { recursive: true });
  writeFileSync(
    resultsPath,
    `${JSON.stringify({ at: new Date().toISOString(), quick, node: process.version, cpus: os.cpus().length, platform: os.platform(), loadBefore, loadAfter, totalMs, finalMemory: memoryNow(), results }, null, 2)}\n`,
  );
  // Only a benchmark that could not produce its figures fails the run; failed requests are a figure.
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) {
    process.stderr.write(`bench: no figures from ${failed.map((r) => r.id).join(', ')}\n`);
    process.exitCode = 1;
  }
}

const COLUMNS: Array<{ title: string; right: boolean; cell: (r: BenchRow) => string }> = [
  { title: 'benchmark', right: false, cell: (r) => r.name },
  { title: 'n', right: true, cell: (r) => String(r.n) },
  { title: 'p50 ms', right: true, cell: (r) => ms(r.latency?.p50Ms) },
  { title: 'p95 ms', right: true, cell: (r) => ms(r.latency?.p95Ms) },
  { title: 'p99 ms', right: true, cell: (r) => ms(r.latency?.p99Ms) },
  { title: 'max ms', right: true, cell: (r) => ms(r.latency?.maxMs) },
  { title: 'mean ms', right: true, cell: (r) => ms(r.latency?.meanMs, 3) },
  { title: 'ops/s', right: true, cell: (r) => (r.throughputPerS === undefined ? '-' : r.throughputPerS >= 100 ? r.throughputPerS.toFixed(0) : r.throughputPerS.toFixed(1)) },
  { title: 'round trips / op', right: false, cell: (r) => r.roundTrips ?? '-' },
  { title: 'vs target', right: false, cell: (r) => r.versus ?? '-' },
  { title: 'RSS/heap MB', right: true, cell: (r) => `${mb(r.memory.rssBytes)}/${mb(r.memory.heapUsedBytes)}` },
];

function ms(v: number | undefined, digits = 1): string {
  if (v === undefined || Number.isNaN(v)) return '-';
  return v < 1 && digits > 1 ? v.toFixed(digits) : v.toFixed(1);
}

function renderTable(results: readonly BenchResult[]): string {
  const rows = results.flatMap((r) => (r.error ? [] : r.rows));
  const cells = rows.map((r) => COLUMNS.map((c) => c.cell(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (COLUMNS[i]?.right ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [line(COLUMNS.map((c) => c.title)), rule, ...cells.map(line)].join('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
