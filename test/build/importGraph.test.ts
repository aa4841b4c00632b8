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

describe('the production import graph', function () {
  this.timeout(60_000);

  it('src/app.ts (the wiring production runs) loads nothing from sandbox/, src/dev/ or node-forge', () => {
    const loaded = modulesLoadedBy('./src/app.ts');
    assert.ok(loaded.some((p) => p.startsWith('src/flow/')), 'the check sees the app load (sanity)');
    const offending = loaded.filter((p) => p.startsWith('sandbox/') || p.startsWith(path.join('src', 'dev')) || p.includes(`${path.sep}node-forge${path.sep}`));
    assert.deepEqual(offending, []);
  });
});
