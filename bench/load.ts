/**
 * Closed-loop load: `concurrency` workers, each running one operation after another until
 * `total` have run. Each operation reports its own timed step (ms); throughput is
 * operations over the wall time of the whole level, which includes any untimed
 * follow-up an operation does (a withdrawal, say).
 */
export interface LoadResult {
  samplesInMs: number[];
  wallMs: number;
  failures: string[];
}

export async function runConcurrently(
  concurrency: number,
  total: number,
  operation: (worker: number, index: number) => Promise<number>,
): Promise<LoadResult> {
  const samplesInMs: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async (w: number): Promise<void> => {
    while (next < total) {
      const i = next++;
      try {
        samplesInMs.push(await operation(w, i));
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, (_, w) => worker(w)));
  return { samplesInMs, wallMs: performance.now() - t0, failures };
}
