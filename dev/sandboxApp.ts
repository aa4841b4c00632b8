/**
 * The app as sandbox mode runs it, for tests, benchmarks and dev/localStack.ts: startApp
 * (src/app.ts) with a sandbox-mode config pointed at a sandbox tenant, the one given or one
 * started on the configured port (stopped with the app). A production config goes to
 * startApp unchanged.
 */
import { startApp, type AppOptions, type RunningApp } from '../src/app';
import type { Config } from '../src/config';
import type { RunningSandbox } from '../sandbox/types';
import { useSandboxTenant } from './sandboxTenant';

export interface SandboxAppOptions extends Omit<AppOptions, 'sandbox'> {
  /** Use this running sandbox instead of starting one. */
  sandbox?: RunningSandbox;
}

export async function startSandboxApp(config: Config, options: SandboxAppOptions = {}): Promise<RunningApp> {
  const { sandbox: given, ...appOptions } = options;
  if (config.mode !== 'sandbox') return startApp(config, appOptions);
  const tenant = await useSandboxTenant(config, given);
  try {
    const app = await startApp(tenant.config, { ...appOptions, sandbox: tenant.sandbox });
    let stopped: Promise<void> | undefined;
    const stopBoth = async (): Promise<void> => {
      await app.stop();
      await tenant.stop();
    };
    return { ...app, stop: () => (stopped ??= stopBoth()) };
  } catch (e) {
    await tenant.stop();
    throw e;
  }
}
