/**
 * `npm run bulk -- --group <id|name> --start <local time> --as <upn> [...]`: Temporary
 * Access Passes for a group from the admin's terminal (docs/bulk-cli.md). The work lives in
 * src/bulkCli (sandbox mode reaches the sandbox tenant through dev/sandboxTools.ts); this only
 * connects it to the process: arguments, environment, terminal.
 */
import '../src/quietDeprecations';
import { createInterface } from 'node:readline/promises';
import { configureLogging } from '../src/log';
import type { BulkCliIo } from '../src/bulkCli/run';
import { runBulkCliWithSandbox } from '../dev/sandboxTools';

async function main(): Promise<number> {
  configureLogging({ level: 'silent' });
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const io: BulkCliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    ...(interactive
      ? {
          ask: async (question: string) => {
            const rl = createInterface({ input: process.stdin, output: process.stderr });
            try {
              return await rl.question(question);
            } finally {
              rl.close();
            }
          },
        }
      : {}),
  };
  return runBulkCliWithSandbox(process.argv.slice(2), io, { env: process.env, cwd: process.cwd() });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`The bulk command could not run: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(3);
  },
);
