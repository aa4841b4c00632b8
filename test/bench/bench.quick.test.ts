/**
 * `npm run bench` must never stop producing figures unnoticed again: this runs every
 * benchmark in quick mode (bench/run.ts --quick, as a child process, the way a person runs
 * it) and checks that each printed every row and note it exists for, with numbers in them.
 * How fast anything was is not checked: two shared cores make timings meaningless here.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { missingFigures } from '../../bench/figures';
import type { BenchResult, BenchRow } from '../../bench/stats';

const ROOT = resolve(__dirname, '..', '..');
const NUMBER = /^-?\d+(\.\d+)?$/;
const COLUMNS = ['benchmark', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'mean ms', 'ops/s', 'round trips / op', 'vs target', 'RSS/heap MB'];
/** Quick mode's concurrency levels in bench/ceiling.ts (a full run: 1, 10, 50). */
const LEVELS = [1, 2, 4];
const STORAGE_ROWS = ['in-memory', 'file FULL', 'file NORMAL'].flatMap((where) =>
  ['write', 'read', 'updateItem'].map((op) => `sqlite ${where}: ${op}`),
);

/** Per benchmark: its section title, the table rows it prints, and what its notes must say. */
const EXPECTED: Array<{ id: string; title: string; rows: Array<string | RegExp>; notes: RegExp[] }> = [
  {
    id: 'memory',
    title: 'Memory at idle and after completed requests',
    rows: [/^memory: \d+ complete requests \(submit→approve→handed over\)$/],
    notes: [/^RSS\/heapUsed after GC .*idle after start [\d.]+\/[\d.]+ MB/, /^retained per request: -?[\d.]+ KiB over \d+/],
  },
  {
    id: 'checks',
    title: 'Checks before anyone is bothered',
    rows: ['checks: tap.submit → status card, +0 ms', 'checks: tap.submit → status card, +50 ms'],
    notes: [/^per request: [\d.]+ Graph HTTP requests, of which 1 \$batch carrying [\d.]+ target checks/, /^cached, paid once at first contact: \d+ token/, /^at \+50 ms per request: measured p50 [\d.]+ ms/],
  },
  {
    id: 'delivery',
    title: 'Approve → pass delivered',
    rows: ['approve → pass delivered, +0 ms', 'approve → pass delivered, +50 ms'],
    notes: [/^\+0 ms: delivery card p50 [\d.]+ ms after the click/, /^\+50 ms: delivery card p50 [\d.]+ ms after the click.*floor [\d.]+ × 50/],
  },
  {
    id: 'throttling',
    title: 'Throttling (429 + fractional Retry-After)',
    rows: [/^throttling 30 %, Retry-After 0\.05 s: submit\+approve$/],
    notes: [/^success [\d.]+ % \(\d+\/\d+\) through the retries/, /^extra round trips: \+-?[\d.]+ HTTP requests/, /^expected from the retry budget/],
  },
  {
    id: 'pacing',
    title: 'Bulk pacing against the write limit',
    rows: [/^pacing: \d+ issuances vs 20 writes\/2 s$/],
    notes: [/^\d+\/\d+ issued in [\d.]+ s/],
  },
  {
    id: 'ceiling',
    title: 'Turn overhead against the framework ceiling',
    rows: LEVELS.flatMap((c) => [
      `ceiling: echo (bare botbuilder), ${c} concurrent`,
      `ceiling: help, ${c} concurrent`,
      `ceiling: tap <upn> preview, ${c} concurrent`,
      `ceiling: request → approval card, +20 ms, ${c} concurrent`,
    ]),
    notes: [
      ...LEVELS.map((c) => new RegExp(`^help at ${c} concurrent: [\\d.]+ turns/s vs echo [\\d.]+ = [\\d.]+× \\(target ≥ 0\\.9×.*p99 .*= [\\d.]+× \\(target ≤ 1\\.5×`)),
      /^request → approval card alone \(\+20 ms per Graph request\): p50 [\d.]+ ms, of which Graph in flight p50 [\d.]+ ms \(Graph share p50 \d+ %\); \d+ sequential round/,
      /^failed operations: \d+/,
    ],
  },
  {
    id: 'footprint',
    title: 'Footprint of the production build',
    rows: [/^footprint: cold start → \/health(\/ready)? \(node dist\/src\/index\.js\)$/, /^footprint: \d+ concurrent whole requests \(production build\)$/],
    notes: [
      /^dist\/ /,
      /^cold start \(spawn → \/health(\/ready)? 200\) p50 [\d.]+ ms/,
      /^bot process RSS idle [\d.]+ MB \(target < 150 MB/,
      /^under load \(\d+ concurrent, \d+ whole requests .*peak RSS [\d.]+ MB .*failed \d+/,
    ],
  },
  {
    id: 'bulk',
    title: 'Bulk passes for a group: 1,000 members vs the seed loop and the write-limit bound',
    rows: [
      /^bulk: plan 100 members \(flow\.start\), \+20 ms$/,
      /^bulk: approve → 100 members settled, \+20 ms$/,
      /^bulk: seed loop \(GET user, POST pass\), \d+ members, \+20 ms$/,
    ],
    notes: [/^ours: \d+ of \d+ eligible/, /^seed loop: \d+ members/, /^members: \d+ issued/, /^storage, approval → settled: \d+ SQLite commits writing [\d.]+ MB; the bulk document \d+ times/],
  },
  {
    id: 'hotspots',
    title: 'Shared index documents: 3 instances, 2 requests/s each in bursts, one agent, one approver group',
    rows: ['sqlite indexes: create', 'blobs indexes: create', 'sqlite flow: create', 'blobs flow: create'],
    notes: [/^sqlite indexes: \d+ requests .* 0 too busy/, /^blobs indexes: \d+ requests .* 0 too busy/, /^sqlite flow: \d+ requests/, /^blobs flow: \d+ requests/],
  },
  {
    id: 'writes',
    title: 'Durable storage writes per step (counted)',
    rows: ['tap <upn> → approval card', 'approve → pass delivered'].flatMap((step) => ['sqlite', 'blobs'].map((store) => `writes: ${step}, ${store}`)),
    notes: [/^a durable write is one committed SQLite transaction/, /^sqlite, tap <upn> → approval card: keys written per step by family: .*request \d/],
  },
  {
    id: 'storage',
    title: 'SQLite per-operation latency',
    rows: STORAGE_ROWS,
    notes: [/^mean µs\/op from test\/storage\/measureLatency\.ts/],
  },
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  results: { quick: boolean; results: BenchResult[] };
}

function runQuickBench(resultsPath: string): Promise<Omit<Run, 'results'>> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'bench/run.ts', '--quick', `--out=${resultsPath}`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // The footprint benchmark may build dist/ first (about 20 s on two busy cores).
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** The table's data rows by benchmark name, each split into its columns. */
function tableRows(stdout: string): Map<string, string[]> {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('benchmark '));
  assert.ok(header >= 0, `no table in:\n${stdout}`);
  assert.deepEqual(lines[header]?.split('|').map((c) => c.trim()), COLUMNS);
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(header + 2)) {
    if (!line.includes(' | ')) break;
    const cells = line.split(' | ').map((c) => c.trim());
    assert.ok(!rows.has(cells[0] ?? ''), `row printed twice: ${cells[0]}`);
    rows.set(cells[0] ?? '', cells);
  }
  return rows;
}

/** The notes printed under a benchmark's section title. */
function notesOf(stdout: string, title: string): { notes: string[]; errors: string[] } {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${title} (`) && /\([\d.]+ s\)$/.test(l));
  assert.ok(start >= 0, `no section "${title}" in:\n${stdout}`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    body.push(line);
  }
  return {
    notes: body.filter((l) => l.startsWith('  - ')).map((l) => l.slice(4)),
    errors: body.filter((l) => l.startsWith('  ERROR: ')),
  };
}

describe('npm run bench -- --quick: every benchmark still produces its figures', function () {
  this.timeout(180_000);
  let dir: string;
  let run: Run;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tapbot-bench-quick-'));
    const resultsPath = join(dir, 'results.json');
    const finished = await runQuickBench(resultsPath);
    const text = await readFile(resultsPath, 'utf8').catch(() => '');
    run = { ...finished, results: text ? (JSON.parse(text) as Run['results']) : { quick: false, results: [] } };
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and reports no benchmark without figures', () => {
    assert.equal(run.code, 0, `exit code ${run.code}\n--- stdout:\n${run.stdout}\n--- stderr:\n${run.stderr.slice(-3000)}`);
    assert.doesNotMatch(run.stdout, /ERROR:/);
    assert.doesNotMatch(run.stdout, /\bNaN\b|\bundefined\b/);
    assert.match(run.stdout, /quick mode: few iterations/);
  });

  it('prints every table row each benchmark exists for, once, with a number in every figure column', () => {
    const rows = tableRows(run.stdout);
    const expectedCount = EXPECTED.reduce((sum, e) => sum + e.rows.length, 0);
    assert.equal(rows.size, expectedCount, `rows printed: ${[...rows.keys()].join(' / ')}`);
    for (const bench of EXPECTED) {
      for (const name of bench.rows) {
        const match = [...rows.keys()].filter((k) => (typeof name === 'string' ? k === name : name.test(k)));
        assert.equal(match.length, 1, `${bench.id}: expected one row ${name}, found ${match.length}`);
        const [, n, p50, p95, p99, max, mean, opsPerS, roundTrips, , memory] = rows.get(match[0] as string) ?? [];
        const where = `${bench.id} row "${match[0]}"`;
        assert.match(n ?? '', /^[1-9]\d*$/, `${where}: n`);
        // The storage script reports means only; every other row has its percentiles.
        for (const [col, v] of Object.entries({ p50, p95, p99, max })) {
          assert.match(v ?? '', bench.id === 'storage' ? /^-$/ : NUMBER, `${where}: ${col}`);
        }
        assert.match(mean ?? '', NUMBER, `${where}: mean`);
        assert.match(opsPerS ?? '', NUMBER, `${where}: ops/s`);
        assert.match(memory ?? '', /^\d+(\.\d+)?\/\d+(\.\d+)?$/, `${where}: RSS/heap`);
        if (bench.id !== 'storage') assert.match(roundTrips ?? '', /\d/, `${where}: round trips`);
      }
    }
  });

  for (const bench of EXPECTED) {
    it(`${bench.id}: prints its notes, with their figures, and no error`, () => {
      const { notes, errors } = notesOf(run.stdout, bench.title);
      assert.deepEqual(errors, []);
      for (const pattern of bench.notes) {
        assert.ok(notes.some((n) => pattern.test(n)), `${bench.id}: no note matching ${pattern} in:\n${notes.join('\n')}`);
      }
      for (const note of notes) assert.match(note, /\d/, `${bench.id}: a note without a figure: ${note}`);
    });
  }

  it('writes the results file: quick, every benchmark, none failed', () => {
    assert.equal(run.results.quick, true);
    assert.deepEqual(run.results.results.map((r) => r.id).sort(), EXPECTED.map((e) => e.id).sort());
    for (const r of run.results.results) {
      assert.equal(r.error, undefined, `${r.id}: ${r.error}`);
      assert.deepEqual(missingFigures(r), [], r.id);
    }
  });
});

describe('what counts as a benchmark without figures (the run then exits 1)', () => {
  const measured: BenchRow = {
    name: 'checks: tap.submit → status card, +0 ms',
    n: 3,
    latency: { n: 3, p50Ms: 30, p95Ms: 40, p99Ms: 40, maxMs: 40, meanMs: 33 },
    throughputPerS: 30,
    memory: { rssBytes: 1, heapUsedBytes: 1 },
  };

  it('a benchmark with rows that counted operations and a mean has its figures', () => {
    assert.deepEqual(missingFigures({ rows: [measured], notes: ['p50 30 ms'] }), []);
  });

  it('a benchmark that printed no rows has none', () => {
    assert.deepEqual(missingFigures({ rows: [], notes: ['something'] }), ['printed no figures']);
  });

  it('a row of zero operations, or without a mean, has none', () => {
    const empty: BenchRow = { ...measured, n: 0, latency: { n: 0, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, maxMs: NaN, meanMs: NaN } };
    assert.deepEqual(missingFigures({ rows: [empty], notes: [] }), [
      `row "${measured.name}" counted no operations`,
      `row "${measured.name}" has no mean latency`,
    ]);
  });

  it('a note that says NaN or undefined where a number belongs is missing a figure', () => {
    assert.equal(missingFigures({ rows: [measured], notes: ['measured p50 NaN ms'] }).length, 1);
    assert.equal(missingFigures({ rows: [measured], notes: ['state undefined'] }).length, 1);
  });
});
