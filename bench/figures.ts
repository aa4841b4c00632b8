/**
 * What "a benchmark produced its figures" means, for run.ts's exit code and the quick
 * test: at least one row, every row measured something (n > 0, a finite mean, a finite
 * rate when it has one), and no note that says NaN or undefined where a number belongs.
 */
import type { BenchResult } from './stats';

/** Why the result carries no usable figures; empty when it does. */
export function missingFigures(result: Pick<BenchResult, 'rows' | 'notes'>): string[] {
  if (result.rows.length === 0) return ['printed no figures'];
  const problems: string[] = [];
  for (const r of result.rows) {
    if (!(r.n > 0)) problems.push(`row "${r.name}" counted no operations`);
    if (!Number.isFinite(r.latency?.meanMs)) problems.push(`row "${r.name}" has no mean latency`);
    if (r.throughputPerS !== undefined && !Number.isFinite(r.throughputPerS)) problems.push(`row "${r.name}" has no rate`);
  }
  for (const note of result.notes) {
    if (/\bNaN\b|\bundefined\b/.test(note)) problems.push(`a note lacks a figure: "${note.slice(0, 160)}"`);
  }
  return problems;
}
