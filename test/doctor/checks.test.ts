/**
 * The doctor's checks that need no sandbox: the permission lists against the docs, the
 * Teams catalog check against a stand-in reader, and the messaging endpoint against the
 * real bot in production mode and against endpoints that are down or open.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sinon from 'sinon';
import { loadConfig, type Config } from '../../src/config';
import { configureLogging } from '../../src/log';
import { checkTeamsCatalog } from '../../src/doctor/catalogCheck';
import { checkMessagingEndpoint } from '../../src/doctor/endpointCheck';
import type { GraphAnswer, GraphReader } from '../../src/doctor/graphAccess';
import { OPTIONAL_APPLICATION_PERMISSIONS, REQUIRED_APPLICATION_PERMISSIONS } from '../../src/doctor/permissions';
import { decodeTokenClaims } from '../../src/doctor/token';
import { startProductionBot, type ProductionBot } from '../support/productionBot';

const CATALOG_ID = '9f3c1a2b-4d5e-4f60-8a7b-1c2d3e4f5a6b';

function productionConfig(extra: Record<string, string> = {}): Config {
  return loadConfig({
    MicrosoftAppId: '66666666-7777-4888-9999-000000000000',
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppTenantId: '11111111-2222-4333-8444-555555555555',
    HELPDESK_GROUP_ID: '12345678-1234-4234-8234-123456789012',
    ...extra,
  });
}

function readerAnswering(answer: GraphAnswer): GraphReader & { paths: string[] } {
  const paths: string[] = [];
  return { paths, get: async (p) => (paths.push(p), answer) };
}

/** The backticked permissions of the first column of a docs/security.md table section. */
function docsPermissions(section: string): string[] {
  const docs = readFileSync(path.join(__dirname, '../../docs/security.md'), 'utf8');
  const start = docs.indexOf(section);
  const body = docs.slice(start, docs.indexOf('\n### ', start + section.length) === -1 ? undefined : docs.indexOf('\n### ', start + section.length));
  return [...body.matchAll(/^\| `([\w.-]+)` \|/gm)].map((m) => m[1] ?? '');
}

describe('doctor: the permission lists', () => {
  it('the required permissions are exactly those docs/security.md lists as required', () => {
    assert.deepEqual([...REQUIRED_APPLICATION_PERMISSIONS].sort(), docsPermissions('### Required').sort());
  });

  it('every optional permission is one docs/security.md lists as optional, with the feature it enables', () => {
    const documented = docsPermissions('### Optional');
    for (const p of OPTIONAL_APPLICATION_PERMISSIONS) {
      assert.ok(documented.includes(p.permission), `${p.permission} is not in the optional table`);
      assert.ok(p.feature.length > 10, `${p.permission} says what it enables`);
    }
    assert.ok(!OPTIONAL_APPLICATION_PERMISSIONS.some((p) => REQUIRED_APPLICATION_PERMISSIONS.includes(p.permission)), 'no permission is both');
  });

  it('reads the roles of a token without verifying it', () => {
    const payload = Buffer.from(JSON.stringify({ roles: ['User.Read.All'], tid: 't', appid: 'a' })).toString('base64url');
    assert.deepEqual(decodeTokenClaims(`eyJhbGciOiJub25lIn0.${payload}.`), { roles: ['User.Read.All'], tenantId: 't', appId: 'a' });
  });
});

describe('doctor: the Teams app catalog', () => {
  const app = { id: CATALOG_ID, displayName: 'TAP Helpdesk', distributionMethod: 'organization' };

  it('is not checked when TEAMS_APP_CATALOG_ID is not set', async () => {
    const reader = readerAnswering({ status: 200, body: app });
    const result = await checkTeamsCatalog(productionConfig(), reader, ['AppCatalog.Read.All']);
    assert.equal(result.status, 'skipped');
    assert.deepEqual(reader.paths, []);
  });

  it('shows the app\'s name when the catalog has it', async () => {
    const reader = readerAnswering({ status: 200, body: app });
    const result = await checkTeamsCatalog(productionConfig({ TEAMS_APP_CATALOG_ID: CATALOG_ID }), reader, ['AppCatalog.Read.All']);
    assert.equal(result.status, 'ok');
    assert.match(result.detail, /"TAP Helpdesk"/);
    assert.deepEqual(reader.paths, [`/appCatalogs/teamsApps/${CATALOG_ID}`]);
  });

  it('names TEAMS_APP_CATALOG_ID when the catalog does not have it', async () => {
    const reader = readerAnswering({ status: 404, body: { error: { code: 'NotFound', message: 'not found' } } });
    const result = await checkTeamsCatalog(productionConfig({ TEAMS_APP_CATALOG_ID: CATALOG_ID }), reader, ['AppCatalog.Read.All']);
    assert.equal(result.status, 'missing');
    assert.match(result.detail, /TEAMS_APP_CATALOG_ID .* is not in the tenant's Teams app catalog/);
  });

  it('without AppCatalog.Read.All says it could not verify the id, and how to', async () => {
    const reader = readerAnswering({ status: 200, body: app });
    const result = await checkTeamsCatalog(productionConfig({ TEAMS_APP_CATALOG_ID: CATALOG_ID }), reader, ['TeamsAppInstallation.ReadWriteSelfForUser.All']);
    assert.equal(result.status, 'optional');
    assert.match(result.detail, /could not be verified: reading the catalog needs AppCatalog\.Read\.All/);
    assert.deepEqual(reader.paths, []);
  });
});

describe('doctor: the messaging endpoint', function () {
  this.timeout(30_000);
  let bot: ProductionBot | undefined;

  before(() => configureLogging({ level: 'silent' }));
  // botbuilder prints each rejected token's stack with console.error.
  beforeEach(() => sinon.stub(console, 'error'));
  afterEach(() => sinon.restore());
  after(async () => {
    await bot?.stop();
    configureLogging({ level: 'info' });
  });

  it('is fine when the bot refuses an anonymous activity with 401', async () => {
    bot = await startProductionBot('tapbot-doctor-');
    const result = await checkMessagingEndpoint(bot.app.messagesUrl);
    assert.equal(result.status, 'ok', result.detail);
    assert.match(result.detail, /refused with 401/);
  });

  it('reports an endpoint that does not answer', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as net.AddressInfo;
    await new Promise<void>((r) => s.close(() => r()));
    const result = await checkMessagingEndpoint(`http://127.0.0.1:${port}/api/messages`);
    assert.equal(result.status, 'missing');
    assert.match(result.detail, /got no answer \(ECONNREFUSED\): the bot is down/);
  });

  it('reports an endpoint that accepts anonymous activities', async () => {
    const open = http.createServer((_req, res) => {
      res.statusCode = 200;
      res.end();
    });
    await new Promise<void>((r) => open.listen(0, '127.0.0.1', r));
    try {
      const { port } = open.address() as net.AddressInfo;
      const result = await checkMessagingEndpoint(`http://127.0.0.1:${port}/api/messages`);
      assert.equal(result.status, 'missing');
      assert.match(result.detail, /was accepted \(200\): the endpoint serves anonymous callers/);
    } finally {
      await new Promise<void>((r) => open.close(() => r()));
    }
  });
});
