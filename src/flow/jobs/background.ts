/**
 * Background work that must run on one instance at a time (the expiry sweep with its
 * registration follow-through, bulk issuance): each job ticks at its interval on every
 * instance, and only the instance holding the job's lease (src/storage/lease.ts) runs it.
 *
 * Every tick renews (or tries to take) the lease first. The lease lasts at least three
 * intervals, so one missed tick does not hand the job over; an instance that dies stops
 * renewing, and another takes the job within ttl + skew margin + one interval.
 *
 * In one process a job never overlaps itself: a tick that finds the previous run still
 * going only renews the lease (a heartbeat) and lets the run go on. A run that loses its
 * lease (renewal refused, or its lease lapsed while storage could not be reached) has its
 * signal aborted: the sweep's writes are compare-and-swap and need not care, work with side
 * effects outside storage (bulk issuance) checks the signal before each one.
 */
import { createLogger } from '../../log';
import type { Lease, Leases } from '../../storage/lease';

const log = createLogger('background');

/** Why a run's signal is aborted. */
type StopReason = 'leaseLost' | 'stopping';

export interface JobRunContext {
  /** Aborted (reason: a StopReason) when this instance lost the lease or is stopping. */
  signal: AbortSignal;
  /** The lease the run was started under. */
  lease: Lease;
}

export interface BackgroundJob {
  /** Unique; also names the lease document. */
  name: string;
  intervalInMs: number;
  /** How long a lease lasts unrenewed. Default and minimum: 3 × intervalInMs. */
  leaseTtlInMs?: number;
  run(now: Date, context: JobRunContext): Promise<unknown>;
}

/** Global timers by default; tests hand in a fake. */
export interface Timers {
  setTimeout(callback: () => void, delayInMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BackgroundJobsOptions {
  leases: Leases;
  jobs?: readonly BackgroundJob[];
  clock?: () => Date;
  timers?: Timers;
  /** How long stop() waits for running jobs before it gives up on them. Default 10 s. */
  stopTimeoutInMs?: number;
}

const MIN_TTL_INTERVALS = 3;

const REAL_TIMERS: Timers = {
  setTimeout: (callback, delayInMs) => {
    const handle = setTimeout(callback, delayInMs);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Scheduled {
  job: BackgroundJob;
  ttlInMs: number;
  timer?: unknown;
  /** The lease held after the last tick; undefined when another instance holds the job. */
  lease?: Lease;
  tick?: Promise<void>;
  run?: { promise: Promise<void>; abort: AbortController };
}

export class BackgroundJobs {
  private readonly leases: Leases;
  private readonly clock: () => Date;
  private readonly timers: Timers;
  private readonly stopTimeoutInMs: number;
  private readonly scheduled = new Map<string, Scheduled>();
  private state: 'idle' | 'started' | 'stopped' = 'idle';

  constructor(options: BackgroundJobsOptions) {
    this.leases = options.leases;
    this.clock = options.clock ?? (() => new Date());
    this.timers = options.timers ?? REAL_TIMERS;
    this.stopTimeoutInMs = options.stopTimeoutInMs ?? 10_000;
    for (const job of options.jobs ?? []) this.register(job);
  }

  /** Adds a job; once started, its first tick is now. Throws on a duplicate name or a bad interval. */
  register(job: BackgroundJob): void {
    if (this.scheduled.has(job.name)) throw new Error(`A background job named "${job.name}" is registered already.`);
    if (!(job.intervalInMs > 0) || !Number.isFinite(job.intervalInMs)) throw new RangeError(`Background job "${job.name}" needs a positive intervalInMs.`);
    const ttlInMs = job.leaseTtlInMs ?? MIN_TTL_INTERVALS * job.intervalInMs;
    if (ttlInMs < MIN_TTL_INTERVALS * job.intervalInMs) {
      throw new RangeError(`Background job "${job.name}": leaseTtlInMs must be at least ${MIN_TTL_INTERVALS} × intervalInMs, so one missed tick does not hand it over.`);
    }
    const s: Scheduled = { job, ttlInMs };
    this.scheduled.set(job.name, s);
    if (this.state === 'started') void this.tick(s);
  }

  /** Starts every job's timer with a first tick now; resolves when those first ticks (and their runs) are done. */
  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'started';
    await Promise.all([...this.scheduled.values()].map((s) => this.tick(s)));
    await this.whenIdle();
  }

  /** Resolves when no tick and no run is in flight (as of the call). Tests, and stop(). */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.scheduled.values()].flatMap((s) => [s.tick, s.run?.promise]));
  }

  /**
   * Stops the timers, asks running jobs to stop (their signal), waits for them up to the
   * stop timeout, then releases the leases of the jobs that finished, so another instance
   * takes over at once. A job still running keeps its lease until it lapses: another
   * instance must not start it beside us. `release: false` stops like a crash (tests).
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    for (const s of this.scheduled.values()) {
      if (s.timer !== undefined) this.timers.clearTimeout(s.timer);
      s.timer = undefined;
      s.run?.abort.abort('stopping' satisfies StopReason);
    }
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timeout = setTimeout(resolve, this.stopTimeoutInMs);
      timeout.unref();
    });
    await Promise.race([this.whenIdle(), timedOut]);
    clearTimeout(timeout);
    if (options.release === false) return;
    await Promise.all(
      [...this.scheduled.values()].map(async (s) => {
        if (s.run) {
          log.warn('a background job did not finish in time; its lease is left to lapse', { job: s.job.name });
          return;
        }
        try {
          await this.leases.release(s.job.name);
        } catch (e) {
          log.warn('could not release the lease of a background job; it lapses by itself', { job: s.job.name, error: e });
        }
      }),
    );
  }

  private tick(s: Scheduled): Promise<void> {
    if (this.state !== 'started') return Promise.resolve();
    // The next tick is due an interval from now whatever this one takes.
    s.timer = this.timers.setTimeout(() => void this.tick(s), s.job.intervalInMs);
    // Storage slower than the interval: the earlier claim is still under way.
    if (s.tick) return s.tick;
    s.tick = this.claimAndRun(s).finally(() => (s.tick = undefined));
    return s.tick;
  }

  private async claimAndRun(s: Scheduled): Promise<void> {
    const name = s.job.name;
    try {
      s.lease = await this.claim(s);
    } catch (e) {
      // Storage unreachable: whether we still hold the job is unknown; it is ours only
      // until the lease we have lapses.
      log.warn('could not renew the lease of a background job; it is tried again next tick', { job: name, error: e });
      if (s.lease && Date.parse(s.lease.until) <= this.clock().getTime()) this.lose(s);
      return;
    }
    if (!s.lease) {
      log.debug('another instance holds this background job; skipping', { job: name });
      return;
    }
    if (this.state !== 'started') return;
    if (s.run) {
      log.debug('the previous run is still going; its lease was renewed', { job: name });
      return;
    }
    this.startRun(s, s.lease);
  }

  /** Renews the lease held, or (when none, or it was lost) tries to take it. */
  private async claim(s: Scheduled): Promise<Lease | undefined> {
    if (s.lease) {
      const renewed = await this.leases.renew(s.lease, s.ttlInMs);
      if (renewed) return renewed;
      this.lose(s);
    }
    // A lost run still winding down does not stop this: holding the lease again keeps
    // other instances from starting the job beside it (a tick never starts a second run).
    const taken = await this.leases.acquire(s.job.name, s.ttlInMs);
    if (taken) log.info('this instance now runs a background job', { job: s.job.name, holder: taken.holder, generation: taken.generation });
    return taken;
  }

  private lose(s: Scheduled): void {
    log.warn('this instance lost the lease of a background job', { job: s.job.name, generation: s.lease?.generation, running: s.run !== undefined });
    s.lease = undefined;
    s.run?.abort.abort('leaseLost' satisfies StopReason);
  }

  private startRun(s: Scheduled, lease: Lease): void {
    // Registered before the job is called: a job that fails at once still clears it.
    const run = { abort: new AbortController(), promise: Promise.resolve() };
    s.run = run;
    run.promise = (async () => {
      try {
        await s.job.run(this.clock(), { signal: run.abort.signal, lease });
      } catch (e) {
        log.error('a background job failed; the next tick runs it again', { job: s.job.name, error: e });
      } finally {
        if (s.run === run) s.run = undefined;
      }
    })();
  }
}
