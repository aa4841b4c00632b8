/**
 * What the doctor checks: the configuration the bot would load from the same environment.
 * With no credentials that is sandbox mode, which only a local sandbox tenant can serve: the
 * caller hands in how to reach one (`npm run doctor` and `npm run bulk` do, through
 * dev/sandboxTools.ts), and the result says loudly that it is not checking Microsoft Entra.
 * Without one, sandbox mode is reported as a configuration that does not load.
 */
import { loadConfig, type Config } from '../config';
import { ConfigError } from '../errors';
import { missing, ok, type CheckResult } from './types';

/** The environment the bot reads (process.env, or a .env file merged under it). */
export type DoctorEnv = Record<string, string | undefined>;

export interface DoctorTarget {
  config: Config;
  /** Sandbox only: the one CA to trust. */
  trustedCaPem?: string;
  /** Sandbox only: where the sandbox tenant answers. */
  sandboxOrigin?: string;
  /** Sandbox only: the tenant is the one a running `npm start` uses, joined rather than started. */
  sandboxJoined?: boolean;
  stop(): Promise<void>;
}

/** Points a sandbox-mode config at a local sandbox tenant (started, or one already running). */
export type SandboxTargetProvider = (config: Config) => Promise<{
  config: Config;
  trustedCaPem: string;
  origin: string;
  /** True when it is the sandbox tenant a running `npm start` serves the bot from (joined, not started). */
  joined?: boolean;
  stop(): Promise<void>;
}>;

export interface TargetOptions {
  /** Sandbox mode: how to reach a sandbox tenant (dev/sandboxTools.ts). */
  sandbox?: SandboxTargetProvider;
}

export async function resolveTarget(env: DoctorEnv, options: TargetOptions = {}): Promise<{ result: CheckResult; target?: DoctorTarget }> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      return { result: missing('Configuration', `it does not load: ${e.problems.join(' ')}`, 'fix each setting named above (.env.example documents every one), then run the doctor again.') };
    }
    throw e;
  }
  if (config.mode === 'production') {
    return { result: ok('Configuration', `loads: production mode, tenant ${config.tenantId}, Graph ${config.graph.baseUrl}`), target: { config, stop: async () => undefined } };
  }
  if (!options.sandbox) {
    return { result: missing('Configuration', 'no Microsoft credentials are configured, and there is no sandbox tenant to check instead.', 'set the settings of .env.example for your tenant, or run it through npm (npm run doctor, npm run bulk), which starts the sandbox tenant.') };
  }
  const sandbox = await options.sandbox(config);
  return {
    result: ok(
      'Configuration',
      `loads: SANDBOX mode (no credentials configured), checking the local sandbox tenant at ${sandbox.origin}${sandbox.joined ? ' (the one the running npm start uses)' : ''}, not Microsoft Entra`,
    ),
    target: { config: sandbox.config, trustedCaPem: sandbox.trustedCaPem, sandboxOrigin: sandbox.origin, ...(sandbox.joined ? { sandboxJoined: true } : {}), stop: () => sandbox.stop() },
  };
}
