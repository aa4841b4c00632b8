import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAppPackage, packageFileName } from '../../src/packaging/appPackage';
import { crc32 } from '../../src/packaging/crc32';
import { PackagingError } from '../../src/packaging/errors';
import { buildManifest } from '../../src/packaging/manifest';
import { readPackageSettings } from '../../src/packaging/settings';
import { zipFiles } from '../../src/packaging/zip';
import { readZip } from '../support/zipReader';

const ROOT = path.join(__dirname, '../..');
const BOT = '2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const PAGES = { TEAMS_APP_PRIVACY_URL: 'https://contoso.com/privacy', TEAMS_APP_TERMS_URL: 'https://contoso.com/it-terms' };
const settings = readPackageSettings({ ...PAGES, MicrosoftAppId: BOT, PUBLIC_BASE_URL: 'https://tap.contoso.com' }, { appVersion: '2.3.4' });

describe('the Teams app package', function () {
  this.timeout(20000);
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(path.join(tmpdir(), 'tap-package-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('CRC-32 is the standard one (check value of "123456789")', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
  });

  it('is tap-helpdesk-bot-<version>.zip holding exactly manifest.json, color.png and outline.png at the root', async () => {
    const built = await buildAppPackage({ settings, outDir: out });
    assert.equal(built.zipPath, path.join(out, 'tap-helpdesk-bot-2.3.4.zip'));
    assert.deepEqual(readdirSync(out), ['tap-helpdesk-bot-2.3.4.zip'], 'nothing else is left in the folder');
    const entries = readZip(readFileSync(built.zipPath));
    assert.deepEqual(entries.map((e) => e.name), ['manifest.json', 'color.png', 'outline.png']);
    assert.ok(entries.every((e) => e.method === 8), 'deflated');
    assert.deepEqual(entries[1]!.data, readFileSync(path.join(ROOT, 'manifest/color.png')));
    assert.deepEqual(entries[2]!.data, readFileSync(path.join(ROOT, 'manifest/outline.png')));
  });

  it("the zip's manifest.json is the generated, validated manifest", async () => {
    const built = await buildAppPackage({ settings, outDir: out });
    const inZip = readZip(readFileSync(built.zipPath)).find((e) => e.name === 'manifest.json')!.data.toString('utf8');
    assert.equal(inZip, built.manifestText);
    assert.deepEqual(JSON.parse(inZip), await buildManifest(settings));
  });

  it('the same configuration gives the same bytes', async () => {
    const a = readFileSync((await buildAppPackage({ settings, outDir: out })).zipPath);
    const b = readFileSync((await buildAppPackage({ settings, outDir: path.join(out, 'again') })).zipPath);
    assert.ok(a.equals(b));
  });

  it('an existing zip of the same version is not overwritten, unless forced', async () => {
    const zipPath = path.join(out, packageFileName('2.3.4'));
    writeFileSync(zipPath, 'uploaded last week');
    await assert.rejects(buildAppPackage({ settings, outDir: out }), (e: unknown) => {
      assert.ok(e instanceof PackagingError);
      assert.equal(e.code, 'packageExists');
      assert.match(e.message, /exists already.*raise "version" in package\.json \(or pass --app-version x\.y\.z\), or pass --force/s);
      return true;
    });
    assert.equal(readFileSync(zipPath, 'utf8'), 'uploaded last week');
    await buildAppPackage({ settings, outDir: out, force: true });
    assert.deepEqual(readZip(readFileSync(zipPath)).map((e) => e.name), ['manifest.json', 'color.png', 'outline.png']);
  });

  it('writes nothing when an icon is wrong', async () => {
    const templateDir = path.join(out, 'manifest');
    cpSync(path.join(ROOT, 'manifest'), templateDir, { recursive: true });
    writeFileSync(path.join(templateDir, 'outline.png'), readFileSync(path.join(ROOT, 'manifest/color.png')));
    await assert.rejects(buildAppPackage({ settings, outDir: path.join(out, 'pkg'), templateDir }), /outline\.png is 192x192; Teams needs the outline icon at 32x32/);
    assert.equal(existsSync(path.join(out, 'pkg')), false);
  });

  it('a standard unzip reads it too', async function () {
    if (spawnSync('unzip', ['-v']).status !== 0) this.skip(); // our own reader above covers the format
    const built = await buildAppPackage({ settings, outDir: out });
    const test = spawnSync('unzip', ['-t', built.zipPath], { encoding: 'utf8' });
    assert.equal(test.status, 0, test.stdout + test.stderr);
    assert.equal(execFileSync('unzip', ['-p', built.zipPath, 'manifest.json'], { encoding: 'utf8' }), built.manifestText);
  });

  it('refuses entry names a Teams package cannot hold', () => {
    assert.throws(() => zipFiles([{ name: 'a.png', data: Buffer.alloc(1) }, { name: 'a.png', data: Buffer.alloc(1) }]), /listed twice/);
    assert.throws(() => zipFiles([{ name: 'bad\\name.png', data: Buffer.alloc(1) }]), /printable ASCII/);
  });
});
