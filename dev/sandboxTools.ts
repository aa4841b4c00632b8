/**
 * The one way the command-line tools (`npm run doctor`, `npm run bulk`) reach the sandbox
 * tenant: src/doctor and src/bulkCli take a SandboxTargetProvider, and this is the one that
 * starts the sandbox tenant on the configured port (or takes the running one a test gives)
 * and points the config at it, with the identity the bot gets in sandbox mode.
 */
import { runBulkCli, type BulkCliDeps, type BulkCliIo, type ExitCode } from '../src/bulkCli/run';
import type { SandboxTargetProvider } from '../src/doctor/target';
import { runDoctor, type DoctorOptions, type DoctorReport } from '../src/doctor/run';
import type { RunningSandbox } from '../sandbox/types';
import { useSandboxTenant } from './sandboxTenant';

/** The sandbox tenant as the tools see it: this running one, or one started when sandbox mode asks for it. */
function sandboxTarget(given?: RunningSandbox): SandboxTargetProvider {
  return async (config) => {
    const tenant = await useSandboxTenant(config, given);
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
