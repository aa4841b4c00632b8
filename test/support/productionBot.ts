/**
 * The real app in production mode, for the tests of its HTTP edge: Bot Framework tokens are
 * checked against a local OpenID metadata document and JWKS (HTTPS, a test CA the default
 * agent trusts for the test's lifetime), replies go to a Bot Connector stand-in, and Graph
 * points at a closed port (nothing under test reaches it). Everything stops in `stop()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { startFakeConnector, type FakeConnector } from './fakeConnector';
import { startOpenIdStub, trustCaForDefaultHttpsAgent, type OpenIdStub } from './openIdStub';

export const PRODUCTION_APP_ID = '66666666-7777-4888-9999-000000000000';
export const PRODUCTION_TENANT_ID = '11111111-2222-4333-8444-555555555555';

export interface ProductionBot {
  stub: OpenIdStub;
  connector: FakeConnector;
  app: RunningApp;
  /** A second connection to the bot's own SQLite file: what it stored, as the bot would read it. */
  storage: SqliteStorage;
  stop(): Promise<void>;
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startProductionBot(dirPrefix: string): Promise<ProductionBot> {
  const dir = mkdtempSync(path.join(os.tmpdir(), dirPrefix));
  const stops: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => undefined);
  };
  try {
    const stub = await startOpenIdStub();
    stops.push(() => stub.stop());
    const untrustCa = trustCaForDefaultHttpsAgent(stub.caPem);
    stops.push(untrustCa);
    const connector = await startFakeConnector();
    stops.push(() => connector.stop());
    const dead = `https://127.0.0.1:${await closedPort()}`;
    const sqlitePath = path.join(dir, 'bot.sqlite');
    const app = await startApp(
      loadConfig({
        MicrosoftAppId: PRODUCTION_APP_ID,
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppTenantId: PRODUCTION_TENANT_ID,
        HELPDESK_GROUP_ID: '12345678-1234-4234-8234-123456789012',
        GRAPH_BASE_URL: dead,
        AUTHORITY_HOST: dead,
        HOST: '127.0.0.1',
        PORT: '0',
        SQLITE_PATH: sqlitePath,
      }),
      { authSettingsOverride: { ToBotFromChannelOpenIdMetadataUrl: stub.metadataUrl, ToBotFromChannelTokenIssuer: stub.issuer }, sweepIntervalInMs: 3_600_000 },
    );
    stops.push(() => app.stop());
    const storage = new SqliteStorage({ path: sqlitePath });
    stops.push(() => storage.close());
    return { stub, connector, app, storage, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
