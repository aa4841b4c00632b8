import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readZip } from '../support/zipReader';

const ROOT = path.join(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const SCRIPT = path.join(ROOT, 'scripts/package.ts');
const BOT = '2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

/** `npm run package -- <args>` in `cwd`, with only the given variables set. */
function runPackage(cwd: string, args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(TSX, [SCRIPT, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env }, timeout: 30000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run package', function () {
  this.timeout(40000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tap-package-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('without MicrosoftAppId it exits 1, says which setting and where to put it, and writes nothing', () => {
    const run = runPackage(dir, ['--out', 'pkg'], { TEAMS_APP_ID: 'not-a-guid' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Cannot build the Teams app package/);
    assert.match(run.stderr, /MicrosoftAppId is missing: set it to the bot's Microsoft App ID/);
    assert.match(run.stderr, /TEAMS_APP_ID is not a GUID \(got "not-a-guid"\)/);
    assert.match(run.stderr, /Set them in \.env \(copy \.env\.example\) or the environment/);
    // The app's details must link the organisation's own privacy statement and terms, never a default.
    assert.match(run.stderr, /TEAMS_APP_PRIVACY_URL is missing: set it to your organisation's privacy statement/);
    assert.match(run.stderr, /TEAMS_APP_TERMS_URL is missing: set it to your organisation's terms of use/);
    assert.equal(existsSync(path.join(dir, 'pkg')), false);
  });

  it('reads .env like `node --env-file` (the environment wins), writes the zip, says what to do next, and will not overwrite it', () => {
    writeFileSync(path.join(dir, '.env'), `# the bot's settings\nMicrosoftAppId=${BOT}\nTEAMS_APP_ID=11111111-2222-4333-8444-555555555555\nMicrosoftAppPassword=never-read\nTEAMS_APP_PRIVACY_URL=https://contoso.com/privacy\nTEAMS_APP_TERMS_URL=https://contoso.com/it-terms\n`);
    const run = runPackage(dir, ['--out', 'pkg', '--app-version', '3.0.1'], { TEAMS_APP_ID: '99999999-8888-4777-8666-555555555555' });
    assert.equal(run.status, 0, run.stderr);
    const zipPath = path.join(dir, 'pkg', 'tap-helpdesk-bot-3.0.1.zip');
    const manifest = JSON.parse(readZip(readFileSync(zipPath)).find((e) => e.name === 'manifest.json')!.data.toString('utf8')) as Record<string, unknown>;
    assert.equal(manifest['id'], '99999999-8888-4777-8666-555555555555');
    assert.equal(manifest['version'], '3.0.1');
    assert.ok(!JSON.stringify(manifest).includes('never-read'));
    assert.match(run.stdout, /^Wrote pkg\/tap-helpdesk-bot-3\.0\.1\.zip$/m);
    assert.match(run.stdout, /Teams admin center .*Manage apps → Upload new app → Upload/);
    assert.match(run.stdout, /TEAMS_APP_CATALOG_ID/);

    const again = runPackage(dir, ['--out', 'pkg', '--app-version', '3.0.1'], {});
    assert.equal(again.status, 1);
    assert.match(again.stderr, /exists already/);
  });
});
