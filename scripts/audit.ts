/**
 * For the admin: print the audit trail as JSON lines, oldest first (`npm run audit`), or
 * only the newest N (`npm run audit -- --recent 50`). Reads the same storage settings as
 * the bot (SQLITE_PATH or STORAGE=blobs + BLOB_CONNECTION_STRING). Never contains a TAP.
 */
import { loadConfig } from '../src/config';
import { ConfigError } from '../src/errors';
import { configureLogging } from '../src/log';
import { createStorage } from '../src/storage';
import { AuditLog } from '../src/audit/auditLog';

async function main(): Promise<void> {
  configureLogging({ level: 'silent' });
  const args = process.argv.slice(2);
  const i = args.indexOf('--recent');
  const recent = i >= 0 ? Number(args[i + 1]) : undefined;
  if (recent !== undefined && (!Number.isInteger(recent) || recent < 1 || recent > 1000)) {
    throw new Error('--recent takes a whole number from 1 to 1000');
  }
  const config = loadConfig(process.env);
  const storage = createStorage(config.storage);
  try {
    const audit = new AuditLog({ storage });
    if (recent !== undefined) {
      for (const e of (await audit.recent(recent)).reverse()) process.stdout.write(`${JSON.stringify(e)}\n`);
    } else {
      for await (const line of audit.exportJsonLines()) process.stdout.write(`${line}\n`);
    }
  } finally {
    await storage.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof ConfigError || e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
