import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../src/audit/auditLog';
import { configureLogging } from '../../src/log';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { event, eventKey, overwrite, readItem } from '../support/auditFixtures';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npx tsx scripts/audit.ts …` with the store at `sqlitePath`, as the admin would run it. */
function runAudit(sqlitePath: string, args: string[]): Promise<Run> {
  const env = { ...process.env, STORAGE: 'sqlite', SQLITE_PATH: sqlitePath };
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'scripts/audit.ts', ...args], { cwd: join(__dirname, '../..'), env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run audit', function () {
  this.timeout(60_000);
  let dir: string;
  let path: string;
  before(async () => {
    configureLogging({ level: 'silent' });
    dir = mkdtempSync(join(tmpdir(), 'tap-bot-audit-cli-'));
    path = join(dir, 'store.sqlite');
    const storage = new SqliteStorage({ path });
    const audit = new AuditLog({ storage });
    for (const minute of [1, 2, 3]) await audit.record(event(minute));
    await storage.close();
  });
  after(() => {
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') });
    rmSync(dir, { recursive: true, force: true });
  });

  it('--recent still prints the newest events, oldest of them first', async () => {
    const run = await runAudit(path, ['--recent', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { requestId: string }).requestId), ['req-2', 'req-3']);
  });

  it('--verify on an intact store says so and exits 0', async () => {
    const run = await runAudit(path, ['--verify']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split('\n')[0], `audit chain intact: 3 events, from ${event(1).at} to ${event(3).at}`);
  });

  it('--verify on a tampered store names the changed event and exits 1', async () => {
    const storage = new SqliteStorage({ path });
    const stored = await readItem(storage, eventKey(2));
    await overwrite(storage, eventKey(2), { ...stored, outcome: 'denied' });
    await storage.close();
    const run = await runAudit(path, ['--verify']);
    assert.equal(run.code, 1);
    assert.equal(run.stdout.split('\n')[0], `event #2 (${event(2).at}, tap.issued, req-2) was changed: its hash does not match`);
  });
});
