/**
 * Production carries no sandbox: nothing under src/ imports sandbox/ or dev/ (not even on
 * demand), so what production runs cannot load them; the production entry, started with a
 * configuration and without one, loads neither (nor node-forge, the sandbox's CA generator),
 * and without one it refuses instead of falling back to a sandbox. `npm start` (dev/start.ts)
 * is where sandbox mode is put together.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { NOTHING_CONFIGURED } from '../../src/runBot';

const ROOT = path.join(__dirname, '..', '..');
const OUTSIDE_PRODUCTION = ['sandbox', 'dev'].map((dir) => path.join(ROOT, dir));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.[cm]?[tj]s$/.test(entry.name) ? [full] : [];
  });
}

/**
 * Every module specifier a file names: import and export declarations, `import x = require()`,
 * `require('…')`, `import('…')`, and `typeof import('…')` types.
 */
function specifiersOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push(node.expression.text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) found.push(first.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `src/x.ts → '../sandbox/y'`, for every relative specifier that lands in sandbox/ or dev/. */
function importsOutsideProduction(): string[] {
  return sourceFiles(path.join(ROOT, 'src')).flatMap((file) =>
    specifiersOf(file)
      .filter((s) => s.startsWith('.'))
      .filter((s) => OUTSIDE_PRODUCTION.some((dir) => `${path.resolve(path.dirname(file), s)}${path.sep}`.startsWith(`${dir}${path.sep}`)))
      .map((s) => `${path.relative(ROOT, file)} → '${s}'`),
  );
}

interface EntryRun {
  loaded: string[];
  stderr: string;
}

/** Starts the production entry (src/index.ts) with this environment and lists what it had loaded when it exited. */
function runEntry(env: Record<string, string>): EntryRun {
  const script = `process.on('exit', () => process.stderr.write('MODULES' + JSON.stringify(Object.keys(require.cache)))); require('./src/index.ts');`;
  let stderr = '';
  try {
    execFileSync(process.execPath, ['--require', 'tsx/cjs', '--require', './src/quietDeprecations.ts', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    stderr = String((e as { stderr?: unknown }).stderr ?? '');
  }
  const at = stderr.indexOf('MODULES');
  const loaded = (JSON.parse(stderr.slice(at + 'MODULES'.length)) as string[]).map((p) => path.relative(ROOT, p));
  return { loaded, stderr: stderr.slice(0, at) };
}

const outsideProduction = (p: string): boolean => p.startsWith(`sandbox${path.sep}`) || p.startsWith(`dev${path.sep}`) || p.includes(`${path.sep}node-forge${path.sep}`);

describe('the production import graph', function () {
  this.timeout(60_000);

  it('no file under src/ imports anything from sandbox/ or dev/, not even on demand or as a type', () => {
    const files = sourceFiles(path.join(ROOT, 'src'));
    assert.ok(files.length > 50 && specifiersOf(path.join(ROOT, 'src', 'app.ts')).length > 10, 'the scan sees src/ and its imports (sanity)');
    assert.deepEqual(importsOutsideProduction(), []);
  });

  it('the production entry (src/index.ts) started with a configuration loads nothing from sandbox/, dev/ or node-forge', () => {
    // A configuration it refuses: the entry loads its modules, validates, and exits.
    const { loaded } = runEntry({ MicrosoftAppId: '00000000-0000-4000-8000-000000000001' });
    assert.ok(loaded.includes(path.join('src', 'config', 'index.ts')), `the entry ran (sanity): ${loaded.slice(0, 5).join(', ')}`);
    assert.deepEqual(loaded.filter(outsideProduction), []);
  });

  it('the production entry with nothing configured says so and starts no sandbox', () => {
    const { loaded, stderr } = runEntry({ LOG_LEVEL: 'silent' });
    assert.ok(stderr.includes(NOTHING_CONFIGURED), `it explains itself: ${stderr}`);
    assert.deepEqual(loaded.filter(outsideProduction), []);
    assert.ok(!loaded.includes(path.join('src', 'app.ts')), 'it stops before the app is loaded');
  });
});
