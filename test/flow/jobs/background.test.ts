/**
 * Background jobs run on one instance at a time (src/flow/jobs/background.ts): two schedulers
 * share one store and a fake clock; then two real bots (startApp) on one SQLite file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { BackgroundJobs, type BackgroundJob, type JobRunContext, type Timers } from '../../../src/flow/jobs/background';
import { Leases } from '../../../src/storage/lease';
import { SqliteStorage } from '../../../src/storage/sqliteStorage';
import { configureLogging, type LogRecord } from '../../../src/log';
import { loadConfig } from '../../../src/config';
import type { RunningApp } from '../../../src/app';
import { startSandboxApp as startApp } from '../../../dev/sandboxApp';
import { startSandbox } from '../../../sandbox/server';
import type { RunningSandbox } from '../../../sandbox/types';

const INTERVAL = 30_000;
const TTL = 3 * INTERVAL;
const MARGIN = 5_000;
const JOB = 'expiry-sweep';

/** A clock and timers that move only when told; after each timer fires, `settle` lets its work finish. */
class FakeTime implements Timers {
  nowInMs = Date.parse('2025-03-03T08:00:00.000Z');
  private timers: Array<{ id: number; at: number; callback: () => void }> = [];
  private nextId = 1;
  settle: () => Promise<void> = flushMicrotasks;
  readonly clock = (): Date => new Date(this.nowInMs);

  setTimeout(callback: () => void, delayInMs: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.nowInMs + delayInMs, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  /** Fires every timer due within `ms`, in order, each at its own time. */
  async advance(ms: number): Promise<void> {
    const end = this.nowInMs + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((x, y) => x.at - y.at || x.id - y.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.nowInMs = due.at;
      due.callback();
      await this.settle();
    }
    this.nowInMs = end;
    await this.settle();
  }
}

/** SQLite answers synchronously: a few turns of the event loop finish any tick. */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Runs of gated jobs still waiting: each test's end lets them finish. */
const unfinished = new Set<() => void>();

/** A job whose runs wait until released, one gate per run. */
function gatedJob(name = JOB) {
  const runs: Array<{ at: Date; context: JobRunContext; finish: (error?: Error) => void }> = [];
  const job: BackgroundJob = {
    name,
    intervalInMs: INTERVAL,
    run: (at, context) =>
      new Promise<void>((resolve, reject) => {
        unfinished.add(resolve);
        runs.push({ at, context, finish: (error) => (unfinished.delete(resolve), error ? reject(error) : resolve()) });
      }),
  };
  return { job, runs };
}

function quickJob(name = JOB) {
  const runs: Date[] = [];
  const job: BackgroundJob = { name, intervalInMs: INTERVAL, run: async (at) => void runs.push(at) };
  return { job, runs };
}

describe('background jobs', () => {
  let time: FakeTime;
  let storage: SqliteStorage;
  let logs: LogRecord[];
  const running: BackgroundJobs[] = [];

  beforeEach(() => {
    time = new FakeTime();
    storage = new SqliteStorage({ path: ':memory:' });
    logs = [];
    configureLogging({ level: 'debug', sink: (_line, record) => logs.push(record) });
  });
  afterEach(async () => {
    sinon.restore();
    for (const finish of unfinished) finish();
    unfinished.clear();
    for (const j of running.splice(0)) await j.stop({ release: false });
    await storage.close();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  function instance(name: string, jobs: BackgroundJob[], options: { stopTimeoutInMs?: number } = {}) {
    const leases = new Leases({ storage, holder: name, clock: time.clock, skewMarginInMs: MARGIN });
    const scheduler = new BackgroundJobs({ leases, jobs, clock: time.clock, timers: time, ...options });
    running.push(scheduler);
    return { leases, scheduler };
  }

  it('of two instances sharing storage, only one runs the job, at every tick', async () => {
    const a = quickJob();
    const b = quickJob();
    await instance('a', [a.job]).scheduler.start();
    await instance('b', [b.job]).scheduler.start();
    await time.advance(10 * INTERVAL);
    assert.equal(a.runs.length, 11, 'the first tick and ten more');
    assert.equal(b.runs.length, 0);
  });

  it('when the holder dies, the other instance takes over after its lease lapses, within ttl + margin + interval', async () => {
    const a = quickJob();
    const b = quickJob();
    const { scheduler: first } = instance('a', [a.job]);
    await first.start();
    await time.advance(10_000); // b starts a little later, out of step
    await instance('b', [b.job]).scheduler.start();
    await time.advance(3 * INTERVAL);
    const lastRenewal = a.runs.at(-1)!.getTime();
    await first.stop({ release: false }); // a crash: nothing released

    await time.advance(TTL + MARGIN + INTERVAL);
    assert.ok(b.runs.length > 0, 'b took the job over');
    const takeover = b.runs[0]!.getTime();
    assert.ok(takeover >= lastRenewal + TTL + MARGIN, 'not while a\'s lease could still be live');
    assert.ok(takeover <= lastRenewal + TTL + MARGIN + INTERVAL);
  });

  it('one missed renewal does not hand the job over', async () => {
    const a = quickJob();
    const b = quickJob();
    const { leases } = instance('a', [a.job]);
    await running[0]!.start();
    await instance('b', [b.job]).scheduler.start();
    // a's storage fails for one tick.
    const renew = sinon.stub(leases, 'renew').callThrough();
    renew.onFirstCall().rejects(new Error('storage timed out'));
    await time.advance(6 * INTERVAL);
    assert.equal(b.runs.length, 0);
    assert.equal(a.runs.length, 6, 'every tick but the failed one');
  });

  it('a slow run is never overlapped: ticks meanwhile only renew its lease', async () => {
    const a = gatedJob();
    const b = quickJob();
    const { leases } = instance('a', [a.job]);
    void running[0]!.start();
    await time.settle();
    await instance('b', [b.job]).scheduler.start();
    const granted = await leases.state(JOB);
    await time.advance(5 * INTERVAL); // longer than the lease itself
    assert.equal(a.runs.length, 1);
    assert.equal(b.runs.length, 0, 'the lease was kept alive while the run went on');
    const held = await leases.state(JOB);
    assert.equal(held?.generation, granted?.generation);
    assert.equal(held?.until, new Date(time.nowInMs + TTL).toISOString());
    assert.equal(a.runs[0]!.context.signal.aborted, false);

    a.runs[0]!.finish();
    await time.advance(INTERVAL);
    assert.equal(a.runs.length, 2, 'the next tick after it finished runs again');
  });

  it('a run whose lease lapses while storage is unreachable is told to stop through its signal', async () => {
    const a = gatedJob();
    const { leases } = instance('a', [a.job]);
    void running[0]!.start();
    await time.settle();
    sinon.stub(leases, 'renew').rejects(new Error('storage unreachable'));
    await time.advance(2 * INTERVAL);
    assert.equal(a.runs[0]!.context.signal.aborted, false, 'within its lease it goes on');
    await time.advance(INTERVAL);
    assert.equal(a.runs[0]!.context.signal.aborted, true);
    assert.equal(a.runs[0]!.context.signal.reason, 'leaseLost');

    // Storage answers again: a takes the job back at once, so no other instance starts it
    // beside the run still winding down, and runs it again only once that run has ended.
    sinon.restore();
    await time.advance(INTERVAL);
    const retaken = await leases.state(JOB);
    assert.deepEqual([retaken?.holder, retaken?.generation], ['a', a.runs[0]!.context.lease.generation + 1]);
    assert.equal(a.runs.length, 1);
    a.runs[0]!.finish();
    await time.advance(INTERVAL);
    assert.equal(a.runs.length, 2);
  });

  it('once another instance took the job from a run that outlived its lease, this instance does not run it again', async () => {
    const a = gatedJob();
    const { leases } = instance('a', [a.job]);
    void running[0]!.start();
    await time.settle();
    // a is cut off from storage past its lease (a partition); b takes the job meanwhile.
    sinon.stub(leases, 'renew').rejects(new Error('partitioned'));
    await time.advance(TTL + MARGIN);
    const b = new Leases({ storage, holder: 'b', clock: time.clock, skewMarginInMs: MARGIN });
    assert.ok(await b.acquire(JOB, TTL));
    sinon.restore();
    await time.advance(INTERVAL);
    assert.equal(a.runs.length, 1, 'no second run beside the lost one');
    a.runs[0]!.finish();
    await time.advance(INTERVAL);
    assert.equal(a.runs.length, 1, 'b holds the job');
    assert.equal((await leases.state(JOB))?.holder, 'b');
  });

  it('a failing run is logged and the next tick runs the job again', async () => {
    let calls = 0;
    const job: BackgroundJob = {
      name: JOB,
      intervalInMs: INTERVAL,
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('graph down');
      },
    };
    await instance('a', [job]).scheduler.start();
    await time.advance(INTERVAL);
    assert.equal(calls, 2);
    const failed = logs.filter((r) => r.level === 'error' && r.logger === 'background');
    assert.deepEqual(failed.map((r) => [r.job, (r.error as { message: string }).message]), [[JOB, 'graph down']]);
  });

  it('stop waits for the running job, then releases the lease so the other instance takes over at its next tick', async () => {
    const a = gatedJob();
    const b = quickJob();
    const { scheduler: first, leases } = instance('a', [a.job]);
    void first.start();
    await time.settle();
    await instance('b', [b.job]).scheduler.start();

    let stopped = false;
    const stopping = first.stop().then(() => (stopped = true));
    await time.settle();
    assert.equal(stopped, false, 'stop waits for the run');
    assert.equal(a.runs[0]!.context.signal.reason, 'stopping');
    assert.equal((await leases.state(JOB))?.holder, 'a', 'not released while it runs');
    a.runs[0]!.finish();
    await stopping;

    await time.advance(INTERVAL);
    assert.equal(b.runs.length, 1, 'b did not wait for the lease to lapse');
    assert.equal(a.runs.length, 1, 'a stopped ticking');
  });

  it('stop gives up on a run that does not finish in time and leaves its lease to lapse', async () => {
    const a = gatedJob();
    const { scheduler, leases } = instance('a', [a.job], { stopTimeoutInMs: 20 });
    void scheduler.start();
    await time.settle();
    const held = await leases.state(JOB);
    await scheduler.stop();
    assert.deepEqual(await leases.state(JOB), held, 'another instance must not start it beside the unfinished run');
    assert.ok(logs.some((r) => r.level === 'warn' && /did not finish in time/.test(r.msg)));
    a.runs[0]!.finish();
  });

  it('a job registered after start has its first tick at once and keeps its own lease', async () => {
    const sweep = quickJob();
    const bulk = quickJob('bulk-issuance');
    const { scheduler, leases } = instance('a', [sweep.job]);
    await scheduler.start();
    scheduler.register(bulk.job);
    await time.settle();
    assert.equal(bulk.runs.length, 1);
    assert.equal((await leases.state('bulk-issuance'))?.holder, 'a');
  });

  it('a lease shorter than three intervals, a second job of one name and a zero interval are refused', () => {
    const { scheduler } = instance('a', [quickJob().job]);
    assert.throws(() => scheduler.register({ ...quickJob('short').job, leaseTtlInMs: 3 * INTERVAL - 1 }), RangeError);
    assert.throws(() => scheduler.register(quickJob().job), /registered already/);
    assert.throws(() => scheduler.register({ ...quickJob('never').job, intervalInMs: 0 }), RangeError);
  });
});

describe('two bots on one SQLite file', function () {
  this.timeout(40_000);
  let dir: string;
  let sandbox: RunningSandbox;
  const apps: RunningApp[] = [];

  before(async () => {
    configureLogging({ level: 'silent' });
    sandbox = await startSandbox({ port: 0 });
  });
  after(async () => {
    await sandbox?.stop();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-background-'));
  });
  afterEach(async () => {
    sinon.restore();
    for (const app of apps.splice(0)) await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('only one of them sweeps, and the other takes over when the first stops without releasing', async () => {
    const time = new FakeTime();
    time.nowInMs = Date.now();
    const config = loadConfig({ PORT: '0', SANDBOX_GRAPH_PORT: '0', PLAYGROUND: 'false', SQLITE_PATH: path.join(dir, 'bot.sqlite') });
    const boot = async (name: string): Promise<RunningApp> => {
      const app = await startApp({ ...config, instanceName: name }, { sandbox, clock: time.clock, timers: time, sweepIntervalInMs: INTERVAL });
      apps.push(app);
      return app;
    };
    const first = await boot('first');
    const second = await boot('second');
    time.settle = async () => {
      await flushMicrotasks();
      await Promise.all(apps.map((a) => a.background.whenIdle()));
    };
    const sweeps = { first: sinon.spy(first.flow, 'sweep'), second: sinon.spy(second.flow, 'sweep') };

    await time.advance(4 * INTERVAL);
    assert.equal(sweeps.first.callCount, 4);
    assert.equal(sweeps.second.callCount, 0);

    // The first bot's scheduler dies (no release); its server would go on answering.
    const diedAt = time.nowInMs;
    await first.background.stop({ release: false });
    await time.advance(TTL + MARGIN + INTERVAL);
    assert.equal(sweeps.first.callCount, 4);
    assert.ok(sweeps.second.callCount >= 1, 'the second bot took the sweep over');
    const takeover = (sweeps.second.firstCall.args[0] as Date).getTime();
    assert.ok(takeover - diedAt <= TTL + MARGIN + INTERVAL);
  });
});
