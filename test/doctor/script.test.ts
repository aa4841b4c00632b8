/**
 * `scripts/doctor.ts` as an admin runs it: a child process reading an env file, whose exit
 * code says whether anything required is missing.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');

function runDoctorScript(envFile: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts/doctor.ts'), '--env-file', envFile],
      { cwd: ROOT, timeout: 30_000, env: { PATH: process.env['PATH'] ?? '' } },
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
}

describe('scripts/doctor.ts', function () {
  this.timeout(40_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tapbot-doctor-script-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on the default sandbox configuration and 1 when the helpdesk group does not exist', async () => {
    const base = `SANDBOX_GRAPH_PORT=0\nPLAYGROUND=false\nSQLITE_PATH=${path.join(dir, 'bot.sqlite')}\n`;
    writeFileSync(path.join(dir, 'good.env'), base);
    writeFileSync(path.join(dir, 'bad.env'), `${base}HELPDESK_GROUP_ID=0badc0de-0000-4000-8000-000000000000\n`);
    const [good, bad] = await Promise.all([runDoctorScript(path.join(dir, 'good.env')), runDoctorScript(path.join(dir, 'bad.env'))]);

    assert.equal(good.code, 0, good.stdout);
    assert.match(good.stdout, /^✓ Configuration: loads: SANDBOX mode/m);
    assert.match(good.stdout, /Everything is in place\./);

    assert.equal(bad.code, 1, bad.stdout);
    assert.match(bad.stdout, /^✗ Group HELPDESK_GROUP_ID: no group with id 0badc0de-0000-4000-8000-000000000000 exists/m);
  });
});
