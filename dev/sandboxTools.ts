/**
 * The one way the command-line tools (`npm run doctor`, `npm run bulk`) reach the sandbox
 * tenant: src/doctor and src/bulkCli take a SandboxTargetProvider, and this is the one that
 * joins the sandbox tenant `npm start` runs on the configured port, or starts one there (or
 * takes the running one a test gives), and points the config at it, with the identity the
 * bot gets in sandbox mode.
 */
import { runBulkCli, type BulkCliDeps, type BulkCliIo, type ExitCode } from '../src/bulkCli/run';
import type { SandboxTargetProvider } from '../src/doctor/target';
import { runDoctor, type DoctorOptions, type DoctorReport } from '../src/doctor/run';
import type { RunningSandbox } from '../sandbox/types';
import { findRunningSandbox } from './sandboxDiscovery';
import { joinedSandboxConfig, useSandboxTenant } from './sandboxTenant';

/**
 * The sandbox tenant as the tools see it: this running one; else the one `npm start` runs on
 * the configured port, joined (the same people and passes the bot sees, and no second
 * sandbox on its port); else one started for the command.
 */
function sandboxTarget(given?: RunningSandbox): SandboxTargetProvider {
  return async (config) => {
    const running = given ? undefined : await findRunningSandbox(config.sandbox.graphPort);
    if (running) return { config: joinedSandboxConfig(config, running.origin), trustedCaPem: running.caPem, origin: running.origin, joined: true, stop: async () => undefined };
    let tenant;
    try {
      tenant = await useSandboxTenant(config, given);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'EADDRINUSE') throw e;
      const port = config.sandbox.graphPort;
      throw new Error(
        `Port ${port} (SANDBOX_GRAPH_PORT) is in use, but not by a sandbox tenant that npm start runs on this machine for this user, so there is none to join. ` +
          `Stop what uses the port, or set SANDBOX_GRAPH_PORT=0 to give this command a sandbox tenant of its own.`,
      );
    }
    return { config: tenant.config, trustedCaPem: tenant.sandbox.caPem, origin: tenant.sandbox.origin, stop: () => tenant.stop() };
  };
}

/** The doctor, able to check sandbox mode against this sandbox tenant (or one it starts). */
export function runDoctorWithSandbox(options: Omit<DoctorOptions, 'sandbox'> & { sandbox?: RunningSandbox }): Promise<DoctorReport> {
  return runDoctor({ ...options, sandbox: sandboxTarget(options.sandbox) });
}

/** The bulk command line, able to run sandbox mode against this sandbox tenant (or one it starts). */
export function runBulkCliWithSandbox(argv: readonly string[], io: BulkCliIo, deps: Omit<BulkCliDeps, 'sandbox'> & { sandbox?: RunningSandbox }): Promise<ExitCode> {
  return runBulkCli(argv, io, { ...deps, sandbox: sandboxTarget(deps.sandbox) });
}
