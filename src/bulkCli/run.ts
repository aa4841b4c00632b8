/**
 * `npm run bulk`: passes for every eligible member of a group, from the admin's terminal,
 * through the same engine (BulkFlow) the Teams bot uses: the same checks (twice), the same
 * pace, the same audit. The admin who runs it is the requester and the approver of record;
 * the codes go to a new owner-only CSV file and nowhere else.
 *
 * Order matters: arguments, configuration, the output file's name and whether it exists,
 * the admin's directory account, the plan, the confirmation; only then the file is created
 * and the request stored. Any refusal before that point leaves nothing behind.
 */
import { existsSync, lstatSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../audit/auditLog';
import { envFilePath, overEnvFile } from '../config/envFile';
import { resolveTarget, type DoctorEnv, type SandboxTargetProvider } from '../doctor/target';
import { FlowError, GraphError } from '../errors';
import { BulkFlow } from '../flow/bulk/bulkFlow';
import { countMembers, type BulkInput, type BulkRequest } from '../flow/bulk/types';
import { tooEarlyForTheCommandLine } from '../flow/bulk/intake';
import { InvalidInputError } from '../flow/errors';
import { toFlowConfig } from '../config/flowSlice';
import { sameId } from '../identity';
import { newBulkId } from '../flow/requestId';
import type { Actor, FlowNotifier } from '../flow/types';
import { createCredential } from '../graph/credential';
import { GraphGateway } from '../graph/gateway';
import { createStorage } from '../storage';
import { Leases, instanceName } from '../storage/lease';
import type { DurableStorage, StorageConfig } from '../storage/types';
import { parseBulkArgs, UsageError, USAGE, type BulkCliOptions } from './args';
import { CsvPassFile, OutputExistsError } from './csvPassFile';
import { NoWriteStorage } from './noWriteStorage';
import { Progress, type ProgressOutput } from './progress';
import { localDate, named, outcomeLines, planLines, terminalSafe } from './report';

const EXIT = { ok: 0, someFailed: 1, badInput: 2, nothingDone: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface BulkCliIo {
  stdout: { write(text: string): unknown };
  /** Banner, progress, questions and errors. */
  stderr: ProgressOutput;
  /** Asks on the terminal and returns the answer; absent when there is no terminal to ask on. */
  ask?: (question: string) => Promise<string>;
}

export interface BulkCliDeps {
  /** The process environment; an env file (--env-file, or ./.env) is read under it. */
  env: DoctorEnv;
  /** Where relative paths (the CSV, ./.env) are. */
  cwd: string;
  /** Sandbox mode: how to reach a sandbox tenant (dev/sandboxTools.ts); without it sandbox mode is refused. */
  sandbox?: SandboxTargetProvider;
  /** Who runs the command, for the audit trail. Default user@host of this process. */
  runBy?: string;
  /** Non-terminal progress: a line this often. Default 5 s. */
  progressLineEveryInMs?: number;
}

/** A refusal with its exit code; the message is for the admin. */
class Stop extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

export async function runBulkCli(argv: readonly string[], io: BulkCliIo, deps: BulkCliDeps): Promise<ExitCode> {
  const say = (lines: string | string[]): void => void io.stdout.write(`${([] as string[]).concat(lines).join('\n')}\n`);
  const warn = (text: string): void => void io.stderr.write(`${text}\n`);
  try {
    const parsed = parseBulkArgs(argv);
    if (parsed.kind === 'help') {
      say(USAGE);
      return EXIT.ok;
    }
    return await execute(parsed.options, io, deps, say, warn);
  } catch (e) {
    if (e instanceof UsageError) {
      warn([...e.problems, 'Run with --help for the options.'].join('\n'));
      return EXIT.badInput;
    }
    if (e instanceof Stop) {
      warn(e.message);
      return e.exitCode;
    }
    const { code, message } = describeError(e);
    warn(message);
    return code;
  }
}

async function execute(options: BulkCliOptions, io: BulkCliIo, deps: BulkCliDeps, say: (l: string | string[]) => void, warn: (t: string) => void): Promise<ExitCode> {
  const env = readEnv(options, deps);
  const { result, target } = await resolveTarget(env, deps.sandbox ? { sandbox: deps.sandbox } : {});
  if (!target) throw new Stop(EXIT.badInput, `The configuration does not load: ${result.detail}${result.fix ? `\nFix: ${result.fix}` : ''}`);
  try {
    const { config } = target;
    if (config.mode === 'sandbox') {
      warn(
        [
          '==================================================================================',
          ' SANDBOX MODE: no credentials are configured, so this runs against the LOCAL',
          ` SANDBOX TENANT at ${target.sandboxOrigin ?? 'a local address'}, not Microsoft Entra.`,
          ...(target.sandboxJoined ? [' It is the one the running npm start uses: the bot sees these passes.'] : []),
          ' The passes it makes are not real. Configure the bot (npm run doctor) to use a tenant.',
          '==================================================================================',
        ].join('\n'),
      );
    }
    const zone = options.timeZone ?? config.orgTimeZone;
    const runBy = deps.runBy ?? `${os.userInfo().username}@${os.hostname()}`;

    // The file's name is fixed before anything else, so a refusal to overwrite comes first.
    const id = newBulkId();
    const outPath = options.dryRun ? undefined : path.resolve(deps.cwd, options.out ?? `bulk-${id}-${localDate(new Date(), zone)}.csv`);
    if (outPath && existsOrLink(outPath)) throw new OutputExistsError(outPath);

    const storage: DurableStorage & { close?: () => Promise<void> } = options.dryRun ? dryRunStorage(config.storage) : createStorage(config.storage);
    try {
      const auth = config.graph.auth;
      if (!auth) throw new Stop(EXIT.badInput, 'Microsoft Graph credentials are not configured (GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET, GRAPH_CERTIFICATE_PATH, or GRAPH_AUTH=managedIdentity).');
      const credential = createCredential(auth, config.tenantId, { authorityHost: config.graph.authorityHost, ...(target.trustedCaPem ? { trustedCaPem: target.trustedCaPem } : {}) });
      const graph = new GraphGateway({ credential, baseUrl: config.graph.baseUrl, membershipCacheInMs: 0, ...(target.trustedCaPem ? { trustedCaPem: target.trustedCaPem } : {}) });

      const actor = await adminActor(graph, options.as, config.tenantId, runBy);
      const progressRef: { current?: Progress } = {};
      const csvRef: { current?: CsvPassFile } = {};
      const notifier = {
        requestBulkApproval: async () => undefined,
        bulkUpdated: async (b: BulkRequest) => csvRef.current?.bulkUpdated(b),
        deliverBulkPage: async (...a: Parameters<CsvPassFile['deliverBulkPage']>) => {
          // No file, no delivery: the engine deletes passes whose codes reached nobody.
          if (!csvRef.current) throw new Error('The codes file is not open.');
          return csvRef.current.deliverBulkPage(...a);
        },
      };
      const flow = new BulkFlow({
        graph,
        storage,
        audit: new AuditLog({ storage }),
        notifier,
        // No Teams here: owners are told by the running bot's sweep (the passes are recorded
        // like any other), and mail goes out when OWNER_NOTICE_MAIL_FROM is set.
        flowNotifier: cliFlowNotifier,
        config: toFlowConfig(config),
        // Every code goes to the file, whoever the Teams bot would send it to.
        bulk: { ...config.bulk, deliverTo: 'requester' },
        // Whoever holds the app's credentials may run this; the actor is the admin named by --as.
        assertAgent: async (a) => {
          if (!sameId(a.aadObjectId, actor.aadObjectId)) throw new FlowError('notHelpdeskAgent', 'Only the admin running the command line may start this request.');
        },
        leases: new Leases({ storage, holder: instanceName(`bulk-cli@${os.hostname()}`) }),
        newId: () => id,
      });

      const plan = await flow.plan(actor, bulkInput(options, zone, new Date()), 'cli');
      const eligible = plan.members.filter((m) => m.state === 'pending').length;
      say(planLines(plan, zone, { dryRun: options.dryRun, runBy }));
      if (eligible === 0) throw new Stop(EXIT.nothingDone, `Nobody in ${plan.group.displayName} can get a pass, so nothing was created.`);
      if (options.dryRun || !outPath) return EXIT.ok;
      // Asked before "Create N passes?": a start days ahead is refused, and nothing is written.
      const early = tooEarlyForTheCommandLine(plan.settings.startDateTime, new Date());
      if (early) throw new Stop(EXIT.badInput, `${early.userMessage} Nothing was created.`);

      if (!options.yes) {
        if (!io.ask) throw new Stop(EXIT.badInput, `No terminal to ask "Create ${eligible} passes?" on: run again with --yes to confirm. Nothing was created.`);
        const answer = await io.ask(`Create ${eligible} passes? [y/N] `);
        if (!/^y(es)?$/i.test(answer.trim())) throw new Stop(EXIT.nothingDone, 'Not confirmed: nothing was created.');
      }

      const csv = await CsvPassFile.create(outPath, { onPage: (_p, rows) => progressRef.current?.pageWritten(rows), onUpdate: (b) => progressRef.current?.update(b) });
      csvRef.current = csv;
      let finished: BulkRequest | undefined;
      try {
        let started: BulkRequest;
        try {
          // Read again: `--start now` means now, however long the question above waited.
          started = await flow.startApproved(actor, bulkInput(options, zone, new Date()));
        } catch (e) {
          await csv.close();
          await unlink(outPath);
          throw e;
        }
        const refusedAtRequest = started.members.filter((m) => m.state === 'refused').length;
        const progress = new Progress(io.stderr, {
          eligible: started.members.length - refusedAtRequest,
          refusedAtRequest,
          ...(deps.progressLineEveryInMs ? { lineEveryInMs: deps.progressLineEveryInMs } : {}),
        });
        progressRef.current = progress;
        warn(`${started.id}: creating ${started.members.length - refusedAtRequest} passes…`);
        progress.start();
        try {
          finished = (await flow.run(started.id)) ?? (await flow.get(started.id));
        } finally {
          progress.stop();
        }
      } finally {
        await csv.close().catch(() => undefined);
      }
      if (!finished) throw new Stop(EXIT.nothingDone, `The request ${id} could not be read back; see \`npm run audit\` for what happened.`);
      const removed = csv.rows === 0;
      if (removed) await unlink(outPath).catch(() => undefined);
      say(outcomeLines(finished, { path: outPath, rows: csv.rows, expiresBy: csv.expiresBy, removed }, zone));
      const c = countMembers(finished);
      if (c.issued === 0) return EXIT.nothingDone;
      return c.issued < c.eligible ? EXIT.someFailed : EXIT.ok;
    } finally {
      await storage.close?.();
    }
  } finally {
    await target.stop();
  }
}

function readEnv(options: BulkCliOptions, deps: BulkCliDeps): DoctorEnv {
  const file = envFilePath(options.envFile, deps.cwd);
  try {
    return overEnvFile(deps.env, file);
  } catch (e) {
    throw new Stop(EXIT.badInput, `Cannot read the env file ${file}: ${(e as Error).message}`);
  }
}

/** Also a dangling symbolic link: `wx` would refuse it, so refuse it now. */
function existsOrLink(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The admin named by --as, as the directory knows them: a member account that is enabled. */
async function adminActor(graph: GraphGateway, as: string, tenantId: string, runBy: string): Promise<Actor> {
  let user;
  try {
    user = await graph.getUser(as);
  } catch (e) {
    if (e instanceof GraphError && e.code === 'notFound') throw new Stop(EXIT.badInput, `--as ${as}: there is no such user in the directory. Give your own user principal name.`);
    throw e;
  }
  if (user.userType === 'Guest' || user.accountEnabled === false) {
    throw new Stop(EXIT.badInput, `--as ${as}: ${named(user)} is ${user.userType === 'Guest' ? 'an external guest' : 'disabled'}; give your own (member, enabled) account.`);
  }
  return { aadObjectId: user.id.toLowerCase(), tenantId, displayName: `${named(user)} via the admin command line (${runBy})` };
}

/**
 * A dry run reads the bot's storage, so its plan meets the open requests and limits the real
 * run would; it opens no SQLite file that does not exist yet (opening one makes it).
 */
function dryRunStorage(config: StorageConfig): NoWriteStorage {
  if (config.kind === 'sqlite' && !existsSync(config.path)) return new NoWriteStorage();
  return new NoWriteStorage(createStorage(config));
}

function bulkInput(options: BulkCliOptions, zone: string, now: Date): BulkInput {
  return {
    group: options.group,
    scenario: options.scenario,
    reason: options.reason ?? `Bulk ${options.scenario} passes from the admin command line`,
    ...(options.ticket ? { ticket: options.ticket } : {}),
    ...(options.lifetimeInMinutes !== undefined ? { lifetimeInMinutes: options.lifetimeInMinutes } : {}),
    ...(options.isUsableOnce !== undefined ? { isUsableOnce: options.isUsableOnce } : {}),
    ...startOf(options.start, now),
    timeZone: zone,
  };
}

/**
 * The start as the flow takes it. `now` is a minute ahead: the flow refuses a start in the
 * past, and a pass whose start was left out would wait for the scenario's next morning.
 */
function startOf(start: BulkCliOptions['start'], now: Date): Pick<BulkInput, 'startDateTime' | 'startDate' | 'startTime'> {
  if (start === 'now') return { startDateTime: new Date(now.getTime() + START_NOW_AHEAD_IN_MS).toISOString() };
  return { startDate: start.date, ...(start.time ? { startTime: start.time } : {}) };
}
const START_NOW_AHEAD_IN_MS = 60_000;

/** Bad input or configuration → 2; the tenant or engine said no → 3. Messages are for people. */
const BAD_INPUT_CODES = new Set(['invalidInput', 'groupNotFound', 'groupAmbiguous', 'bulkNotConfigured', 'bulkTooLarge', 'bulkTooEarly', 'lifetimeOutOfBounds', 'notHelpdeskAgent']);

function describeError(e: unknown): { code: ExitCode; message: string } {
  if (e instanceof OutputExistsError) return { code: EXIT.badInput, message: `${e.message} Nothing was created.` };
  if (e instanceof InvalidInputError) return { code: EXIT.badInput, message: `${e.problems.map((p) => p.message).join('\n')}\nNothing was created.` };
  if (e instanceof FlowError) return { code: BAD_INPUT_CODES.has(e.code) ? EXIT.badInput : EXIT.nothingDone, message: terminalSafe(e.userMessage) };
  if (e instanceof GraphError) {
    const permission = e.missingPermission ? ` The app needs the ${e.missingPermission} permission.` : '';
    return { code: e.code === 'forbidden' || e.code === 'unauthorized' ? EXIT.badInput : EXIT.nothingDone, message: `Microsoft Graph: ${e.userMessage}${permission}` };
  }
  return { code: EXIT.nothingDone, message: `The bulk command stopped: ${e instanceof Error ? e.message : String(e)}` };
}

/** The command line reaches nobody in Teams; the bot's sweep tells the owners of the passes it recorded. */
const cliFlowNotifier: FlowNotifier = {
  requestApproval: async () => undefined,
  requestUpdated: async () => undefined,
  deliverPass: async () => {
    throw new Error('The command line delivers codes to its file only.');
  },
  hidePass: async () => undefined,
};
