/**
 * What the doctor checks: the configuration the bot would load from the same environment.
 * With no credentials that is sandbox mode, and then the doctor starts the sandbox tenant
 * the way src/app.ts does (loaded on demand, so production never imports it) and checks
 * the configuration pointed at it, saying loudly that it is not checking Microsoft Entra.
 */
import { loadConfig, withSandboxTenant, type Config } from '../config';
import { ConfigError } from '../errors';
import type { RunningSandbox } from '../../sandbox/types';
import { missing, ok, type CheckResult } from './types';

/** The environment the bot reads (process.env, or a .env file merged under it). */
export type DoctorEnv = Record<string, string | undefined>;

export interface DoctorTarget {
  config: Config;
  /** Sandbox only: the one CA to trust. */
  trustedCaPem?: string;
  /** Sandbox only: where the sandbox tenant answers. */
  sandboxOrigin?: string;
  stop(): Promise<void>;
}

export interface TargetOptions {
  /** Sandbox mode: check against this running sandbox instead of starting one (tests). */
  sandbox?: RunningSandbox;
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
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only in sandbox mode
  const { startSandbox } = require('../../sandbox/server') as typeof import('../../sandbox/server');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only in sandbox mode
  const { GROUPS } = require('../../sandbox/ids') as typeof import('../../sandbox/ids');
  const sandbox = options.sandbox ?? (await startSandbox({ port: config.sandbox.graphPort }));
  const stop = options.sandbox ? async () => undefined : () => sandbox.stop();
  // The same identity src/app.ts gives the bot in sandbox mode.
  const checked = withSandboxTenant(config, sandbox, GROUPS);
  return {
    result: ok('Configuration', `loads: SANDBOX mode (no credentials configured), checking the local sandbox tenant at ${sandbox.origin}, not Microsoft Entra`),
    target: { config: checked, trustedCaPem: sandbox.caPem, sandboxOrigin: sandbox.origin, stop },
  };
}
