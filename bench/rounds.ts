/**
 * Sequential Graph rounds, read off the sandbox's traffic. Each request the sandbox
 * receives gets a time window (arrival → answer written, performance.now()); requests
 * whose windows overlap travel in one round, and a request that starts after every
 * earlier one has ended opens the next. So "1 round" means every read of the step ran in
 * parallel and the step pays Graph's latency once; "2 rounds" means one wait followed the
 * other. Counted, never written down: the figure stays true when the code changes.
 */
import type { RunningSandbox, SandboxRequestRecord } from '../sandbox/types';

interface GraphWindow {
  startMs: number;
  endMs: number;
}

export type GraphWindows = WeakMap<SandboxRequestRecord, GraphWindow>;

/**
 * Time-stamps every request the sandbox records from now on, without changing the
 * sandbox: its handler pushes a record on arrival and sets `status` once it has answered,
 * so push and that assignment mark the window.
 */
export function timeGraphRequests(sandbox: Pick<RunningSandbox, 'requests'>): GraphWindows {
  const windows: GraphWindows = new WeakMap();
  const log = sandbox.requests;
  const push = log.push.bind(log);
  log.push = (...items: SandboxRequestRecord[]): number => {
    const now = performance.now();
    for (const item of items) {
      const window: GraphWindow = { startMs: now, endMs: Number.NaN };
      windows.set(item, window);
      let status = item.status;
      Object.defineProperty(item, 'status', {
        enumerable: true,
        configurable: true,
        get: () => status,
        set: (v: number) => {
          status = v;
          if (v !== 0 && Number.isNaN(window.endMs)) window.endMs = performance.now();
        },
      });
    }
    return push(...items);
  };
  return windows;
}

export interface RoundsSummary {
  /** Groups of overlapping windows, in time order. */
  rounds: number;
  /** Time during which at least one Graph request was in flight (union of the windows). */
  graphMs: number;
  /** Graph requests in the slice (token calls included: they are waits too). */
  requests: number;
}

/** Rounds in a slice of the log, optionally only those that started before `untilMs`. */
export function sequentialRounds(records: readonly SandboxRequestRecord[], windows: GraphWindows, untilMs = Number.POSITIVE_INFINITY): RoundsSummary {
  const spans = records
    .map((r) => windows.get(r))
    .filter((w): w is GraphWindow => w !== undefined && w.startMs < untilMs)
    .map((w) => ({ startMs: w.startMs, endMs: Number.isNaN(w.endMs) ? w.startMs : w.endMs }))
    .sort((a, b) => a.startMs - b.startMs);
  let rounds = 0;
  let graphMs = 0;
  let roundStart = Number.NaN;
  let roundEnd = Number.NEGATIVE_INFINITY;
  for (const s of spans) {
    if (s.startMs > roundEnd) {
      if (rounds > 0) graphMs += roundEnd - roundStart;
      rounds++;
      roundStart = s.startMs;
      roundEnd = s.endMs;
    } else {
      roundEnd = Math.max(roundEnd, s.endMs);
    }
  }
  if (rounds > 0) graphMs += roundEnd - roundStart;
  return { rounds, graphMs, requests: spans.length };
}
