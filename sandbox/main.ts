/**
 * CLI: `npx tsx sandbox/main.ts [--port N] [--seed N] [--latency MS]`
 * Starts the sandbox tenant, writes its CA to a temp file and prints what a client needs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from './server';

function numberFlag(args: string[], name: string): number | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`${name} needs a whole number, got '${args[at + 1] ?? ''}'\n`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const port = numberFlag(args, '--port');
  const seed = numberFlag(args, '--seed');
  const latencyInMs = numberFlag(args, '--latency');
  const sandbox = await startSandbox({
    ...(port !== undefined ? { port } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(latencyInMs !== undefined ? { knobs: { latencyInMs } } : {}),
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'tap-sandbox-'));
  const caPath = path.join(dir, 'sandbox-ca.pem');
  writeFileSync(caPath, sandbox.caPem);

  process.stdout.write(
    [
      '',
      '  SANDBOX TENANT (not Microsoft Entra ID, not Microsoft Graph)',
      `  origin / authority host / Graph base: ${sandbox.origin}`,
      `  CA certificate (trust exactly this):  ${caPath}`,
      `  tenant id:     ${sandbox.tenantId}`,
      `  client id:     ${sandbox.clientId}`,
      `  client secret: ${sandbox.clientSecret}`,
      `  token endpoint: ${sandbox.origin}/${sandbox.tenantId}/oauth2/v2.0/token`,
      `  Graph:          ${sandbox.graphBaseUrl}/v1.0`,
      '  Ctrl+C to stop.',
      '',
    ].join('\n') + '\n',
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the sandbox tenant\n`);
    void sandbox.stop().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
