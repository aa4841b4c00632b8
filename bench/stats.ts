/** Summaries and the shapes every benchmark reports in. */

/** How a benchmark is run. */
export interface BenchOptions {
  /**
   * Few iterations and no long waits: proves every benchmark still produces its figures
   * (test/bench/bench.quick.test.ts), says nothing about speed.
   */
  quick: boolean;
}

export interface LatencySummary {
  n: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Nearest-rank percentiles: with small n this reports a value that was actually seen. */
export function summarize(samplesInMs: readonly number[]): LatencySummary {
  if (samplesInMs.length === 0) return { n: 0, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, maxMs: NaN, meanMs: NaN };
  const sorted = [...samplesInMs].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return {
    n: sorted.length,
    p50Ms: rank(0.5),
    p95Ms: rank(0.95),
    p99Ms: rank(0.99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
    meanMs: sorted.reduce((s, v) => s + v, 0) / sorted.length,
  };
}

export interface MemorySnapshot {
  rssBytes: number;
  heapUsedBytes: number;
}

export function memoryNow(): MemorySnapshot {
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed };
}

export const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/** One line of the printed table. */
export interface BenchRow {
  name: string;
  n: number;
  latency?: LatencySummary;
  /** Operations per second over the wall time of the row. */
  throughputPerS?: number;
  /** Short text: what went over the wire per operation. */
  roundTrips?: string;
  /** Short text: the row's figure against its target or its ceiling, e.g. "0.91× echo (≥ 0.8×)". */
  versus?: string;
  memory: MemorySnapshot;
}

export interface BenchResult {
  id: string;
  title: string;
  rows: BenchRow[];
  /** What the figures mean: derived numbers, counts, findings. Printed under the table. */
  notes: string[];
  /** Everything measured, for results.json. */
  data: Record<string, unknown>;
  durationMs: number;
  error?: string;
}

export function row(name: string, samplesInMs: readonly number[], extra: { wallMs?: number; roundTrips?: string; versus?: string } = {}): BenchRow {
  const latency = summarize(samplesInMs);
  return {
    name,
    n: latency.n,
    latency,
    ...(extra.wallMs && extra.wallMs > 0 ? { throughputPerS: (latency.n * 1000) / extra.wallMs } : {}),
    ...(extra.roundTrips ? { roundTrips: extra.roundTrips } : {}),
    ...(extra.versus ? { versus: extra.versus } : {}),
    memory: memoryNow(),
  };
}

export const round = (v: number, digits = 1): number => Number(v.toFixed(digits));

/** Integers as they are, fractions to two places. */
export const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** "0.91×": a ratio as the tables print it. */
export const times = (v: number): string => `${v >= 10 ? v.toFixed(0) : v.toFixed(2)}×`;

/** Whether a figure meets its target, as a word the notes can carry. */
export const verdict = (met: boolean): string => (met ? 'meets the target' : 'MISSES the target');
