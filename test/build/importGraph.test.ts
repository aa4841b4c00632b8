/**
 * Production carries no sandbox: loading the app's wiring (what production runs) pulls in
 * nothing from sandbox/ or src/dev/, and not node-forge (the sandbox's CA generator);
 * sandbox mode loads them on demand.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function modulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '--require', './src/quietDeprecations.ts', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' } });
  return (JSON.parse(out) as string[]).map((p) => path.relative(ROOT, p));
}

/** Starts the real entry point in production mode with a config it refuses, and lists what it had loaded by then. */
function modulesLoadedByEntryInProduction(): string[] {
  const script = `process.on('exit', () => process.stderr.write('MODULES' + JSON.stringify(Object.keys(require.cache)))); require('./src/index.ts');`;
  let err = '';
  try {
    execFileSync(process.execPath, ['--require', 'tsx/cjs', '--require', './src/quietDeprecations.ts', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', MicrosoftAppId: '00000000-0000-4000-8000-000000000001' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    err = String((e as { stderr?: unknown }).stderr ?? '');
  }
  const json = err.slice(err.indexOf('MODULES') + 'MODULES'.length);
  return (JSON.parse(json) as string[]).map((p) => path.relative(ROOT, p));
}

describe('the production import graph', function () {
  this.timeout(60_000);

  it('src/app.ts (the wiring production runs) loads nothing from sandbox/, src/dev/ or node-forge', () => {
    const loaded = modulesLoadedBy('./src/app.ts');
    assert.ok(loaded.some((p) => p.startsWith('src/flow/')), 'the check sees the app load (sanity)');
    const offending = loaded.filter((p) => p.startsWith('sandbox/') || p.startsWith(path.join('src', 'dev')) || p.includes(`${path.sep}node-forge${path.sep}`));
    assert.deepEqual(offending, []);
  });

  it('the entry point (src/index.ts) started in production mode loads nothing from sandbox/ or src/dev/ either', () => {
    const loaded = modulesLoadedByEntryInProduction();
    assert.ok(loaded.includes(path.join('src', 'config.ts')), `the entry ran (sanity): ${loaded.slice(0, 5).join(', ')}`);
    assert.deepEqual(loaded.filter((p) => p.startsWith('sandbox/') || p.startsWith(path.join('src', 'dev'))), []);
  });
});
