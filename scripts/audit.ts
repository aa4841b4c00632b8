/**
 * For the admin: print the audit trail as JSON lines, oldest first (`npm run audit`), only
 * the newest N (`npm run audit -- --recent 50`), or check its hash chain
 * (`npm run audit -- --verify`: exit 0 when intact, 1 naming the first broken link).
 * Reads the same storage settings as the bot (SQLITE_PATH or STORAGE=blobs +
 * BLOB_CONNECTION_STRING). Never contains a TAP.
 */
import { loadConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { configureLogging } from '../src/log';
import { createStorage } from '../src/storage';
import { AuditLog } from '../src/audit/auditLog';

type Command = { kind: 'export' } | { kind: 'recent'; count: number } | { kind: 'verify' };

function parseArgs(args: string[]): Command {
  const verify = args.includes('--verify');
  const i = args.indexOf('--recent');
  if (verify && i >= 0) throw new Error('--verify and --recent cannot be combined');
  if (verify) return { kind: 'verify' };
  if (i < 0) return { kind: 'export' };
  const count = Number(args[i + 1]);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new Error('--recent takes a whole number from 1 to 1000');
  return { kind: 'recent', count };
}

/** The exit code. */
async function main(): Promise<number> {
  configureLogging({ level: 'silent' });
  const command = parseArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  const storage = createStorage(config.storage);
  try {
    const audit = new AuditLog({ storage });
    switch (command.kind) {
      case 'verify': {
        const report = await audit.verify();
        process.stdout.write(`${[report.message, ...report.notes].join('\n')}\n`);
        return report.intact ? 0 : 1;
      }
      case 'recent':
        for (const e of (await audit.recent(command.count)).reverse()) process.stdout.write(`${JSON.stringify(e)}\n`);
        return 0;
      case 'export':
        for await (const line of audit.exportJsonLines()) process.stdout.write(`${line}\n`);
        return 0;
    }
  } finally {
    await storage.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof ConfigError || e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
