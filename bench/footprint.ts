/**
 * 8. Footprint of the production build: the bot as deployed (`node dist/src/index.js`,
 * production mode, compiled JavaScript, no tsx) in a child process of its own, so its
 * RSS is the bot's alone. Graph and the token endpoint are a sandbox tenant this process
 * starts (trusted through NODE_EXTRA_CA_CERTS, as a deployment trusts a corporate CA);
 * the Bot Connector stand-in and a stand-in for login.botframework.com run here too.
 *
 *   - cold start: spawn → first 200 from /health/ready (falls back to /health while the
 *     server has no /health/ready: a 404 there), the entry exactly as deployed;
 *   - idle RSS: VmRSS of that process once ready and settled;
 *   - under load: a second start of the same entry with bench/productionSeams.ts
 *     preloaded (where channel keys live, the bot's outgoing token: see there), whole
 *     requests (submit → approval card → approve → pass delivered) driven N at a time with
 *     signed channel tokens; peak VmRSS sampled every 50 ms and VmHWM.
 * If the build is missing (or, in a full run, older than the sources), it is built first
 * with bench/tsconfig.build.json (only what production runs), and the notes say so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { GROUPS, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_TENANT_ID } from '../sandbox/ids';
import { startSandbox } from '../sandbox/server';
import { startFakeConnector, TeamsClient, type Persona, type RecordedActivity } from '../test/support/fakeConnector';
import { startOpenIdStub } from '../test/support/openIdStub';
import { carriesPass, FORM, invokeCard, requestIdIn } from './botUnderTest';
import { crew, directoryWithCrews, type LoadCrew } from './directory';
import { runConcurrently } from './load';
import { ensureProductionBuild, PRODUCTION_ENTRY, PRODUCTION_SEAMS } from './productionBuild';
import { mb, round, row, summarize, verdict, type BenchOptions, type BenchResult, type BenchRow } from './stats';

const ROOT = path.resolve(__dirname, '..');
const MB = 1024 * 1024;
const TARGETS = { idleBytes: 150 * MB, loadBytes: 300 * MB, coldStartMs: 2000 };
const BOT_APP_ID = 'be0b0000-0000-4000-8000-00000000b0b0';
const SIZES = {
  full: { coldStarts: 3, concurrency: 50, rounds: 2 },
  quick: { coldStarts: 1, concurrency: 4, rounds: 1 },
};

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Resident and peak resident set of a process, from /proc (Linux). */
function rssOf(pid: number): { rssBytes: number; hwmBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
}

interface Started {
  child: ChildProcess;
  baseUrl: string;
  /** spawn → ready, ms. */
  readyMs: number;
  /** spawn → the first HTTP answer of any status (the server listens), ms. */
  listeningMs: number;
  /** Which endpoint said ready. */
  readyPath: '/health/ready' | '/health';
  stderr: () => string;
}

/**
 * Spawns the entry and polls until it is ready. /health/ready is preferred: a 200 is
 * ready, a 503 is "not yet" (keep polling it), a 404 means this build has no such route,
 * and from then on /health decides.
 */
async function startBot(env: NodeJS.ProcessEnv, preload: string | undefined, timeoutMs: number): Promise<Started> {
  const port = Number(env.PORT);
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = [...(preload ? ['--require', preload] : []), PRODUCTION_ENTRY];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-4000)));
  let readyPath: Started['readyPath'] = '/health/ready';
  let exited: number | null | undefined;
  let listeningMs = Number.NaN;
  child.once('exit', (code) => (exited = code));
  while (performance.now() - t0 < timeoutMs) {
    if (exited !== undefined) throw new Error(`the production build exited (${exited}) before it was ready: ${err.slice(-600)}`);
    try {
      const res = await fetch(`${baseUrl}${readyPath}`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (Number.isNaN(listeningMs)) listeningMs = performance.now() - t0;
      if (res.status === 200) return { child, baseUrl, readyMs: performance.now() - t0, listeningMs, readyPath, stderr: () => err };
      if (res.status === 404 && readyPath === '/health/ready') readyPath = '/health';
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  throw new Error(`the production build was not ready within ${timeoutMs} ms: ${err.slice(-600)}`);
}

async function stopBot(s: Started | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  const gone = new Promise<void>((r) => s.child.once('exit', () => r()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

/**
 * The first activity the connector stand-in received since `from` that matches, waiting
 * for it: under load the bot answers an invoke in time and may finish its proactive
 * messages after (test/integration/answerInTime.http.test.ts).
 */
async function arrival(log: readonly RecordedActivity[], from: number, match: (a: RecordedActivity) => boolean, timeoutMs = 30_000): Promise<RecordedActivity | undefined> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const found = log.slice(from).find(match);
    if (found || performance.now() > until) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A Teams client whose every activity carries a channel token, as Teams sends them. */
class SignedTeamsClient extends TeamsClient {
  constructor(
    private readonly url: string,
    serviceUrl: string,
    persona: Persona,
    private readonly token: string,
  ) {
    super(url, serviceUrl, SANDBOX_TENANT_ID, persona);
  }

  override async post(activity: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }
}

export async function benchFootprint(options: BenchOptions): Promise<BenchResult> {
  const size = options.quick ? SIZES.quick : SIZES.full;
  const started = performance.now();
  const notes: string[] = [];
  const build = await ensureProductionBuild({ rebuildIfStale: !options.quick });
  notes.push(build.note);

  const crews = crew(size.concurrency);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-footprint-'));
  const sandbox = await startSandbox({ port: 0, directory: directoryWithCrews(crews) });
  const connector = await startFakeConnector();
  const stub = await startOpenIdStub();
  let bot: Started | undefined;
  try {
    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, `${sandbox.caPem}\n${stub.caPem}\n`);
    const envFor = async (name: string): Promise<NodeJS.ProcessEnv> => ({
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      NODE_EXTRA_CA_CERTS: caFile,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppId: BOT_APP_ID,
      MicrosoftAppPassword: 'bench-bot-secret-not-a-real-secret',
      MicrosoftAppTenantId: SANDBOX_TENANT_ID,
      TENANT_ID: SANDBOX_TENANT_ID,
      GRAPH_CLIENT_ID: SANDBOX_CLIENT_ID,
      GRAPH_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
      GRAPH_BASE_URL: sandbox.graphBaseUrl,
      AUTHORITY_HOST: sandbox.authorityHost,
      HELPDESK_GROUP_ID: GROUPS.helpdesk,
      FALLBACK_APPROVER_GROUP_ID: GROUPS.fallbackApprovers,
      PROTECTED_GROUP_ID: GROUPS.protected,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      SQLITE_PATH: path.join(dir, `${name}.sqlite`),
      LOG_LEVEL: 'warn',
      // As the in-process benchmarks: limits on, but high enough for a load test.
      LIMIT_REQUESTS_PER_AGENT_PER_HOUR: '10000',
      LIMIT_OPEN_APPROVALS_PER_APPROVER: '1000',
      LIMIT_PASSES_PER_TARGET_PER_DAY: '1000',
      RISK_RECENT_PASS_DAYS: '0',
    });

    // 1. Cold start and idle, the entry exactly as deployed.
    const coldMs: number[] = [];
    const listeningMs: number[] = [];
    const idleRss: number[] = [];
    let readyPath: Started['readyPath'] = '/health/ready';
    const graphFrom = sandbox.requests.length;
    for (let i = 0; i < size.coldStarts; i++) {
      bot = await startBot(await envFor(`cold-${i}`), undefined, 20_000);
      coldMs.push(bot.readyMs);
      listeningMs.push(bot.listeningMs);
      readyPath = bot.readyPath;
      await new Promise((r) => setTimeout(r, 1000));
      idleRss.push(rssOf(bot.child.pid ?? 0).rssBytes);
      await stopBot(bot);
      bot = undefined;
    }
    const graphPerStart = (sandbox.requests.length - graphFrom) / size.coldStarts;

    // 2. Under load, with the seams preloaded.
    const seamed = { ...(await envFor('load')), BENCH_CHANNEL_OPENID_METADATA_URL: stub.metadataUrl, BENCH_CHANNEL_TOKEN_ISSUER: stub.issuer };
    bot = await startBot(seamed, PRODUCTION_SEAMS, 20_000);
    const botNow = bot;
    const pid = botNow.child.pid ?? 0;
    await new Promise((r) => setTimeout(r, 500));
    const idleSeamed = rssOf(pid).rssBytes;
    const now = Math.floor(Date.now() / 1000);
    const token = stub.mint({ iss: stub.issuer, aud: BOT_APP_ID, serviceurl: connector.serviceUrl, nbf: now - 60, exp: now + 3600 });
    const messagesUrl = `${botNow.baseUrl}/api/messages`;
    const client = (p: Persona): SignedTeamsClient => new SignedTeamsClient(messagesUrl, connector.serviceUrl, p, token);
    for (const c of crews) {
      for (const p of [c.agent, c.manager]) {
        const r = await client(p).install();
        if (r.status >= 300) throw new Error(`install for ${p.name} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 200)} ${botNow.stderr().slice(-400)}`);
      }
    }
    // Timed: submit click → pass delivered at the connector (approval card and approve click in between).
    const whole = async (c: LoadCrew): Promise<number> => {
      const t0 = performance.now();
      const logFrom = connector.log.length;
      const r = await client(c.agent).click('tap.submit', { target: c.target.upn, ...FORM }, `form-${c.agent.id}-${t0}`);
      if (r.status !== 200) throw new Error(`tap.submit answered ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
      const requestId = requestIdIn(invokeCard(r.body));
      const approval = requestId
        ? await arrival(connector.log, logFrom, (a) => a.conversationId === `a:personal-${c.manager.id}` && JSON.stringify(a.activity).includes(requestId))
        : undefined;
      if (!requestId || !approval) throw new Error(`no approval card for ${c.target.upn} (${requestId ?? 'no request id'})`);
      const decided = await client(c.manager).click('tap.approve', { requestId, attestation: 'videoCall', attestationNote: 'Saw them on a Teams video call' }, approval.activityId);
      if (decided.status !== 200) throw new Error(`tap.approve answered ${decided.status}: ${JSON.stringify(decided.body).slice(0, 200)}`);
      const delivered = await arrival(connector.log, logFrom, (a) => a.conversationId === `a:personal-${c.agent.id}` && carriesPass(a.activity));
      if (!delivered) throw new Error(`no pass delivered for ${requestId}`);
      return performance.now() - t0;
    };
    // One warm-up request per crew (helpdesk membership cached, JIT warm), then the timed rounds.
    const warm = await runConcurrently(size.concurrency, crews.length, (w) => whole(crews[w] as LoadCrew));
    let peak = 0;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssOf(pid).rssBytes);
      } catch {
        // the process is gone: the load step reports it
      }
    }, 50);
    const loadFrom = sandbox.requests.length;
    const load = await runConcurrently(size.concurrency, crews.length * size.rounds, (w) => whole(crews[w] as LoadCrew)).finally(() => clearInterval(sampler));
    const graphPerRequest = (sandbox.requests.length - loadFrom) / Math.max(1, load.samplesInMs.length);
    const after = rssOf(pid);
    peak = Math.max(peak, after.rssBytes);
    const failures = [...warm.failures, ...load.failures];

    const cold = summarize(coldMs);
    const idle = Math.max(...idleRss);
    const rows: BenchRow[] = [
      row(`footprint: cold start → ${readyPath} (node dist/src/index.js)`, coldMs, {
        wallMs: coldMs.reduce((s, v) => s + v, 0),
        roundTrips: `${round(graphPerStart, 1)} Graph HTTP per start (idle included)`,
        versus: `ready p50 ${round(cold.p50Ms / 1000, 2)} s (< ${TARGETS.coldStartMs / 1000} s); idle RSS ${mb(idle)} MB (< ${TARGETS.idleBytes / MB} MB)`,
      }),
      row(`footprint: ${size.concurrency} concurrent whole requests (production build)`, load.samplesInMs, {
        wallMs: load.wallMs,
        roundTrips: `${round(graphPerRequest, 1)} Graph HTTP, submit → approve → delivered`,
        versus: `peak RSS ${mb(peak)} MB (< ${TARGETS.loadBytes / MB} MB)`,
      }),
    ];
    notes.push(
      `cold start (spawn → ${readyPath} 200) p50 ${round(cold.p50Ms)} ms, max ${round(cold.maxMs)} ms over ${coldMs.length} start(s) (target < ${TARGETS.coldStartMs} ms: ${verdict(cold.maxMs < TARGETS.coldStartMs)})` +
        `; listening (first HTTP answer) p50 ${round(summarize(listeningMs).p50Ms)} ms` +
        (readyPath === '/health' ? '; this build has no /health/ready (404), so /health decided.' : '.'),
      `bot process RSS idle ${mb(idle)} MB (target < ${TARGETS.idleBytes / MB} MB: ${verdict(idle < TARGETS.idleBytes)}); with the seams preloaded ${mb(idleSeamed)} MB idle.`,
      `under load (${size.concurrency} concurrent, ${load.samplesInMs.length} whole requests after ${warm.samplesInMs.length} warm-up): peak RSS ${mb(peak)} MB sampled, VmHWM ${mb(after.hwmBytes)} MB, ${mb(after.rssBytes)} MB after ` +
        `(target < ${TARGETS.loadBytes / MB} MB: ${verdict(Math.max(peak, after.hwmBytes) < TARGETS.loadBytes)}); ${round((load.samplesInMs.length * 1000) / load.wallMs)} requests/s; failed ${failures.length}` +
        (failures.length > 0 ? ` (first: ${failures[0]?.slice(0, 160)})` : '') + '.',
    );
    return {
      id: 'footprint',
      title: 'Footprint of the production build',
      rows,
      notes,
      data: { build, coldStartMs: coldMs, listeningMs, readyPath, idleRssBytes: idleRss, idleSeamedRssBytes: idleSeamed, peakRssBytes: peak, hwmBytes: after.hwmBytes, afterRssBytes: after.rssBytes, load: summarize(load.samplesInMs), failures: failures.length, targets: TARGETS },
      durationMs: performance.now() - started,
    };
  } finally {
    await stopBot(bot);
    await stub.stop().catch(() => undefined);
    await connector.stop().catch(() => undefined);
    await sandbox.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
