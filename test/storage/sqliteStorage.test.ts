import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { ConcurrencyError } from '../../src/errors';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { storageContract } from './storageContract';

describe('SqliteStorage', () => {
  afterEach(() => sinon.restore());

  describe('ETag contract (in memory)', () => {
    let storage: SqliteStorage;
    after(async () => storage.close());
    storageContract({ storage: () => (storage = new SqliteStorage({ path: ':memory:' })), atomicBatches: true });
  });

  describe('on a file', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'tap-bot-sqlite-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('items and their eTags survive closing and reopening the file, in a directory it creates', async () => {
      const path = join(dir, 'nested', 'deeper', 'bot.sqlite');
      const first = new SqliteStorage({ path });
      await first.write({ 'request/1': { state: 'PendingApproval' } });
      const before = (await first.read(['request/1']))['request/1'];
      await first.close();

      const reopened = new SqliteStorage({ path });
      try {
        const after = (await reopened.read(['request/1']))['request/1'];
        assert.deepEqual(after, before);
        await reopened.write({ 'request/1': { ...after, state: 'Approved' } });
        await assert.rejects(reopened.write({ 'request/1': { ...after, state: 'Denied' } }), ConcurrencyError);
      } finally {
        await reopened.close();
      }
    });

    it('two connections to one file (two bot processes) see each other\'s eTags', async () => {
      const path = join(dir, 'shared.sqlite');
      const a = new SqliteStorage({ path });
      const b = new SqliteStorage({ path });
      try {
        await a.write({ k: { n: 0 } });
        const seenByB = (await b.read(['k']))['k'];
        await a.write({ k: { n: 1, eTag: seenByB.eTag } });
        await assert.rejects(b.write({ k: { ...seenByB, n: 2 } }), ConcurrencyError);
        assert.equal((await b.read(['k']))['k'].n, 1);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('uses WAL journaling so readers do not block the writer', async () => {
      const path = join(dir, 'wal.sqlite');
      const s = new SqliteStorage({ path });
      await s.write({ k: { n: 1 } });
      await s.close();
      const Database = (await import('better-sqlite3')).default;
      const raw = new Database(path, { readonly: true });
      try {
        assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        raw.close();
      }
    });
  });

  it('listKeys returns exactly the keys under a prefix, in order', async () => {
    const s = new SqliteStorage({ path: ':memory:' });
    await s.write({ 'audit/2': {}, 'audit/1': {}, 'auditx/1': {}, 'aud': {}, 'request/1': {} });
    assert.deepEqual(await s.listKeys('audit/'), ['audit/1', 'audit/2']);
    await s.close();
  });

  it('a closed store refuses work and its health check fails', async () => {
    const s = new SqliteStorage({ path: ':memory:' });
    await s.close();
    await assert.rejects(s.check());
    await assert.rejects(s.read(['k']));
  });

  it('an item that cannot be serialized fails the batch before anything is written', async () => {
    const s = new SqliteStorage({ path: ':memory:' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(s.write({ good: { n: 1 }, bad: cyclic }), TypeError);
    assert.deepEqual(await s.read(['good']), {});
    await s.close();
  });
});
