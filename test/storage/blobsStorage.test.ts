import assert from 'node:assert/strict';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import sinon from 'sinon';
import { createBlobsStorage, type BlobsDurableStorage } from '../../src/storage/blobsStorage';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { storageContract } from './storageContract';

describe('Blobs storage against Azurite', function () {
  this.timeout(30_000);
  let azurite: RunningAzurite | undefined;
  let storage: BlobsDurableStorage;

  before(async () => {
    azurite = await startAzurite();
    storage = createBlobsStorage({ connectionString: azurite.connectionString, container: 'contract' });
  });
  after(async () => {
    await storage?.close();
    await azurite?.stop();
  });
  afterEach(() => sinon.restore());

  describe('ETag contract', () => {
    storageContract({ storage: () => storage, atomicBatches: false });
  });

  it('keeps botbuilder BlobsStorage\'s blob layout: each reads what the other wrote', async () => {
    const botbuilder = new BlobsStorage(azurite!.connectionString, 'contract');
    await botbuilder.write({ 'conversation/a b': { from: 'botbuilder' } });
    assert.equal((await storage.read(['conversation/a b']))['conversation/a b'].from, 'botbuilder');
    await storage.writeReturningETags({ 'conversation/c': { from: 'ours' } });
    assert.equal((await botbuilder.read(['conversation/c']))['conversation/c'].from, 'ours');
  });

  it('creates its container on first use', async () => {
    const fresh = createBlobsStorage({ connectionString: azurite!.connectionString, container: 'created-on-demand' });
    await fresh.write({ k: { n: 1 } });
    assert.equal((await fresh.read(['k']))['k'].n, 1);
  });

  it('the health check fails while the service is unreachable', async () => {
    const broken = azurite!.connectionString.replace(`:${azurite!.port}/`, ':1/');
    const unreachable = createBlobsStorage({ connectionString: broken, container: 'contract', healthTimeoutInMs: 300 });
    await assert.rejects(unreachable.check());
  });

  it('the health check fails when the account key is wrong', async () => {
    const wrongKey = azurite!.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.from('not the key').toString('base64')}`);
    const unauthorized = createBlobsStorage({ connectionString: wrongKey, container: 'contract' });
    await assert.rejects(unauthorized.check());
  });
});
