/**
 * The bulk benchmark in quick mode (100 members, +20 ms) still produces every figure it
 * exists for: its three rows, and notes carrying the bound, the loop, the members, the
 * duplicates, the 429s and the scaling of the write limit. How fast is not checked: two
 * shared cores make timings meaningless here.
 */
import assert from 'node:assert/strict';
import { benchBulk } from '../../bench/bulk';
import { missingFigures } from '../../bench/figures';
import type { BenchResult } from '../../bench/stats';
import { configureLogging } from '../../src/log';

const NUMBER = String.raw`-?\d+(\.\d+)?`;

const ROWS = [
  /^bulk: plan 100 members \(flow\.start\), \+20 ms$/,
  /^bulk: approve → 100 members settled, \+20 ms$/,
  /^bulk: seed loop \(GET user, POST pass\), \d+ members, \+20 ms$/,
];

const NOTES = [
  new RegExp(`^ours: \\d+ of \\d+ eligible \\(100 members\\) issued in ${NUMBER} s .*bound ${NUMBER} s = .*ours/bound ${NUMBER}× \\(target ≤ 1\\.10×\\)`),
  new RegExp(`^planning \\(flow\\.start.*\\) ${NUMBER} s, \\d+ Graph requests`),
  new RegExp(`^seed loop: \\d+ members (sampled|run in full).*${NUMBER} ms per member → ${NUMBER} s for the group; loop/ours ${NUMBER}× \\(target ≥ 4×\\)`),
  /^members: \d+ issued, \d+ refused, \d+ failed \(\d+ without a reason, target 0.*duplicates: \d+ members with more than one pass made \(target 0.*\d+ answers 429/,
  new RegExp(`^where the time goes: first create sent ${NUMBER} s after approval.*\\d+ create batches`),
  /^write limit scaled: Graph allows about 3,000 identity writes per 150 s .*\(\d+\/s\)/,
];

describe('the bulk benchmark in quick mode still produces every figure', function () {
  this.timeout(60_000);
  let result: BenchResult;

  before(async () => {
    result = await benchBulk({ quick: true });
  });
  // The benchmark sends warnings to stderr, as a bench run does; the other suites expect the defaults.
  after(() => configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) }));

  it('has figures by the run\'s own definition (rows that counted something, no NaN in a note)', () => {
    assert.deepEqual(missingFigures(result), []);
    assert.equal(result.id, 'bulk');
  });

  it('prints the planning, the bulk issuance and the seed loop, each with a count, a mean and what went over the wire', () => {
    assert.equal(result.rows.length, ROWS.length, result.rows.map((r) => r.name).join(' / '));
    for (const pattern of ROWS) {
      const r = result.rows.find((x) => pattern.test(x.name));
      assert.ok(r, `no row matching ${pattern} in ${result.rows.map((x) => x.name).join(' / ')}`);
      assert.ok(r.n > 0 && Number.isFinite(r.latency?.meanMs), `${r.name}: n and mean`);
      assert.match(r.roundTrips ?? '', /\d/, `${r.name}: round trips`);
    }
    const [, issuance, loop] = result.rows;
    assert.match(issuance?.versus ?? '', /× bound [\d.]+ s \(≤ 1\.10×\)$/);
    assert.match(issuance?.roundTrips ?? '', /^\d+ creates\/\d+ issued, \d+ dup, \d+×429$/);
    assert.match(loop?.versus ?? '', /× ours for 100 \(≥ 4×\)$/);
    assert.ok(Number.isFinite(issuance?.throughputPerS) && Number.isFinite(loop?.throughputPerS), 'both rates');
  });

  it('says in its notes the bound, the loop, duplicates, unexplained failures, 429s and the scaling, with numbers', () => {
    for (const pattern of NOTES) assert.ok(result.notes.some((n) => pattern.test(n)), `no note matching ${pattern} in:\n${result.notes.join('\n')}`);
  });

  it('keeps every figure in its data for results.json', () => {
    const d = result.data;
    for (const key of ['planMs', 'issueMs', 'boundMs', 'vsBound', 'duplicates', 'unexplained', 'throttled', 'createsSent', 'eligible']) {
      assert.equal(typeof d[key], 'number', key);
      assert.ok(Number.isFinite(d[key] as number), key);
    }
    const loop = d['loop'] as { perMemberMs: number; wholeGroupMs: number; vsOurs: number };
    for (const v of [loop.perMemberMs, loop.wholeGroupMs, loop.vsOurs]) assert.ok(Number.isFinite(v));
  });
});
