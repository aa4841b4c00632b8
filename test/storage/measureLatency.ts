/**
 * Not a test: prints per-operation latency of SqliteStorage (and of updateItem) so the
 * report can quote figures. Run: npx tsx test/storage/measureLatency.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateItem } from '../../src/storage/casUpdate';
import { SqliteStorage, type SqliteStorageOptions } from '../../src/storage/sqliteStorage';

async function perOp(label: string, n: number, op: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 50; i++) await op(i); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await op(i);
  const us = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(`${label.padEnd(62)} ${us.toFixed(1).padStart(8)} µs/op`);
}

async function measure(name: string, options: SqliteStorageOptions): Promise<void> {
  const s = new SqliteStorage(options);
  const doc = { state: 'PendingApproval', agentId: 'a'.repeat(36), targetUpn: 'megan@contoso.com', reason: 'x'.repeat(200) };
  const n = 2000;
  await perOp(`${name}: write (unconditional)`, n, (i) => s.write({ [`k${i % 100}`]: doc }));
  await perOp(`${name}: read (1 key)`, n, (i) => s.read([`k${i % 100}`]));
  await perOp(`${name}: updateItem (read + conditional write)`, n, (i) =>
    updateItem<{ n: number }>(s, `c${i % 100}`, (c) => ({ n: (c?.n ?? 0) + 1 })),
  );
  await s.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tap-bot-latency-'));
  try {
    await measure('memory', { path: ':memory:' });
    await measure('file, synchronous=FULL', { path: join(dir, 'full.sqlite'), synchronous: 'FULL' });
    await measure('file, synchronous=NORMAL', { path: join(dir, 'normal.sqlite'), synchronous: 'NORMAL' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
