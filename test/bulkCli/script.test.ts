/**
 * `scripts/bulk.ts` as an admin runs it: a child process whose exit code a script can rely on.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.join(__dirname, '../..');
/** tsx from this project, whatever the working directory (the admin's, not the repository). */
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

function runBulkScript(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, path.join(ROOT, 'scripts/bulk.ts'), ...args],
      { cwd, timeout: 30_000, env: { PATH: process.env['PATH'] ?? '', SANDBOX_GRAPH_PORT: '0', PLAYGROUND: 'false', SQLITE_PATH: path.join(cwd, 'state.sqlite') } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The sandbox example of docs/bulk-cli.md, as a reader copies it: its arguments after `--`. */
function sandboxExampleOfTheDocs(): string[] {
  const doc = readFileSync(path.join(ROOT, 'docs/bulk-cli.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Without a tenant'));
  const command = /```bash\n(npm run bulk -- [^\n]+)\n```/.exec(section)?.[1];
  assert.ok(command, 'docs/bulk-cli.md has a sandbox example');
  const words = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  return words.slice(words.indexOf('--') + 1);
}

describe('scripts/bulk.ts', function () {
  this.timeout(40_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulk-script-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 with the usage for --help, 2 on a bad --start before starting anything, and 0 on a dry run against the embedded sandbox, which it names loudly', async () => {
    const start = `${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)} 09:00`;
    // In parallel: each child pays tsx's start-up once.
    const [help, bad, dry] = await Promise.all([
      runBulkScript(['--help'], dir),
      runBulkScript(['--group', 'Helpdesk Agents', '--as', 'joni@contoso.com', '--start', '07/12/2026'], dir),
      runBulkScript(['--group', 'Helpdesk Agents', '--as', 'joni@contoso.com', '--start', start, '--dry-run'], dir),
    ]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: npm run bulk -- --group/);
    assert.match(help.stdout, /Exit codes: 0 .* 1 .* 2 .*\n.* 3 /);

    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /--start "07\/12\/2026" is not a local time/);
    assert.doesNotMatch(bad.stderr, /SANDBOX MODE/, 'refused before the sandbox started');

    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /SANDBOX MODE/);
    assert.match(dry.stdout, /Would get a pass \(1\):\n {2}Adele Vance \(adele@contoso\.com\)/);
    assert.deepEqual(readdirSync(dir), [], 'no file, not even the state database');
  });

  it('the sandbox example of docs/bulk-cli.md works as written, and again without --dry-run (with --yes) it makes the passes; a start days ahead exits 2', async () => {
    const example = sandboxExampleOfTheDocs();
    assert.ok(example.includes('--dry-run'), example.join(' '));
    const own = mkdtempSync(path.join(os.tmpdir(), 'bulk-example-'));
    try {
      const inTwoDays = `${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)} 09:00`;
      const [dry, early] = await Promise.all([
        runBulkScript(example, own),
        runBulkScript([...example.filter((a) => a !== '--dry-run' && a !== 'now' && a !== '--start'), '--start', inTwoDays, '--yes'], own),
      ]);
      assert.equal(dry.code, 0, dry.stderr);
      assert.match(dry.stdout, /Would get a pass \(1\)/);
      assert.equal(early.code, 2, early.stderr);
      assert.match(early.stderr, /more than an hour from now/);
      const real = await runBulkScript([...example.filter((a) => a !== '--dry-run'), '--yes'], own);
      assert.equal(real.code, 0, real.stderr);
      assert.equal(readdirSync(own).filter((f) => f.endsWith('.csv')).length, 1, 'the codes went to one file');
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
