/**
 * What `npm run doctor` says of the approver's step-up (src/doctor/stepUpCheck.ts): off is a
 * warning in production, on names what to register and checks the sign-in endpoint.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../../sandbox/server';
import type { RunningSandbox } from '../../sandbox/types';
import { loadConfig } from '../../src/config';
import { runDoctorWithSandbox as runDoctor } from '../../dev/sandboxTools';
import { checkStepUp } from '../../src/doctor/stepUpCheck';
import { configureLogging } from '../../src/log';

const production = (extra: Record<string, string> = {}): Record<string, string> => ({
  MicrosoftAppId: '66666666-7777-4888-9999-000000000000',
  MicrosoftAppPassword: 'bot-secret-value',
  MicrosoftAppTenantId: '11111111-2222-4333-8444-555555555555',
  HELPDESK_GROUP_ID: '12345678-1234-4234-8234-123456789012',
  ...extra,
});

describe('doctor: the approver step-up', function () {
  this.timeout(40_000);
  let sandbox: RunningSandbox;
  let dir: string;
  before(async () => {
    configureLogging({ level: 'silent' });
    sandbox = await startSandbox({ port: 0 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-doctor-stepup-'));
  });
  after(async () => {
    await sandbox.stop();
    configureLogging({ level: 'info' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('step-up off in production is a warning that says what a stolen session can do, and how to turn it on', async () => {
    const [line] = await checkStepUp(loadConfig(production()));
    assert.equal(line?.status, 'optional');
    assert.match(line?.detail ?? '', /whoever holds the approver's session/);
    assert.match(line?.fix ?? '', /APPROVER_STEP_UP=elevated or always/);
  });

  it('on in production with a client secret: the redirect URI to register, and a nudge towards the federated credential', async () => {
    const config = loadConfig(production({ APPROVER_STEP_UP: 'always', PUBLIC_BASE_URL: 'https://tap.contoso.com', STEP_UP_CREDENTIAL: 'secret', STEP_UP_CLIENT_SECRET: 'x' }));
    // The authority is not reachable from the test; the lines before it are what this test reads.
    const lines = await checkStepUp({ ...config, graph: { ...config.graph, authorityHost: sandbox.origin }, tenantId: sandbox.tenantId }, sandbox.caPem);
    const byTitle = Object.fromEntries(lines.map((l) => [l.title, l]));
    assert.match(byTitle['Step-up redirect URI']?.detail ?? '', /https:\/\/tap\.contoso\.com\/step-up\/done must be a Web redirect URI of app 66666666/);
    assert.equal(byTitle['Step-up app credential']?.status, 'optional');
    assert.equal(byTitle['Step-up Conditional Access']?.status, 'skipped');
    assert.equal(byTitle['Step-up sign-in endpoint']?.status, 'ok');
  });

  it('an authority that does not know the tenant is reported as missing', async () => {
    const config = loadConfig(production({ APPROVER_STEP_UP: 'always', PUBLIC_BASE_URL: 'https://tap.contoso.com', STEP_UP_CLIENT_ID: '77777777-7777-4888-9999-000000000000' }));
    const lines = await checkStepUp({ ...config, graph: { ...config.graph, authorityHost: sandbox.origin } }, sandbox.caPem);
    assert.equal(lines.find((l) => l.title === 'Step-up sign-in endpoint')?.status, 'missing');
  });

  it('against the sandbox with step-up on, the sign-in endpoint is found and the report stays green', async () => {
    const report = await runDoctor({ env: { APPROVER_STEP_UP: 'always', SANDBOX_GRAPH_PORT: '0', PLAYGROUND: 'false', SQLITE_PATH: path.join(dir, 'bot.sqlite') }, sandbox });
    const endpoint = report.results.find((r) => r.title === 'Step-up sign-in endpoint');
    assert.equal(endpoint?.status, 'ok', JSON.stringify(report.results));
    assert.match(endpoint?.detail ?? '', new RegExp(`${sandbox.origin}/${sandbox.tenantId}/oauth2/v2\\.0/authorize`));
    assert.equal(report.results.find((r) => r.title === 'Approver step-up')?.status, 'ok');
  });
});
