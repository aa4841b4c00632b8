/**
 * The production build the footprint benchmark runs: dist/src/index.js (what
 * `npm run build` and `npm run start:prod` produce and run) and the bench's preload.
 * Built here with bench/tsconfig.build.json (the same compiler settings, only the files
 * production runs, so about half the time of the whole project) when missing, or when
 * older than the sources and the caller asks for a fresh one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const PRODUCTION_ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');
export const PRODUCTION_SEAMS = path.join(ROOT, 'dist', 'bench', 'productionSeams.js');
const SOURCES = [path.join(ROOT, 'src'), path.join(ROOT, 'cards'), path.join(ROOT, 'bench', 'productionSeams.ts')];

export interface BuildState {
  built: boolean;
  buildMs?: number;
  /** The newest source is newer than the build (and it was not rebuilt). */
  stale: boolean;
  note: string;
}

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

const minutes = (ms: number): string => (ms / 60_000).toFixed(1);

function buildMtime(): number | undefined {
  if (!existsSync(PRODUCTION_ENTRY) || !existsSync(PRODUCTION_SEAMS)) return undefined;
  return Math.min(statSync(PRODUCTION_ENTRY).mtimeMs, statSync(PRODUCTION_SEAMS).mtimeMs);
}

export async function ensureProductionBuild(options: { rebuildIfStale: boolean }): Promise<BuildState> {
  const builtAt = buildMtime();
  const sourcesAt = Math.max(...SOURCES.map(newestMtime));
  const stale = builtAt !== undefined && sourcesAt > builtAt;
  if (builtAt !== undefined && (!stale || !options.rebuildIfStale)) {
    return {
      built: false,
      stale,
      note: stale
        ? `dist/ is ${minutes(sourcesAt - builtAt)} min older than src/: these figures are of the last build (a full run rebuilds it).`
        : `dist/ is up to date with src/ (built ${minutes(Date.now() - builtAt)} min ago): measured as built.`,
    };
  }
  process.stderr.write('bench: footprint: building the production entry (tsc -p bench/tsconfig.build.json) …\n');
  // From a clean dist/: a file an older layout left there (dist/src/config.js beside the newer
  // dist/src/config/index.js) would be the one `require('./config')` finds.
  rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join('bench', 'tsconfig.build.json')], { cwd: ROOT, encoding: 'utf8' });
  const buildMs = performance.now() - t0;
  const after = buildMtime();
  if (after === undefined || after < t0 + performance.timeOrigin - 1000) {
    throw new Error(`the production build failed (tsc exit ${r.status}): ${(r.stdout + r.stderr).slice(0, 600)}`);
  }
  const why = builtAt === undefined ? 'dist/ had no production build' : 'dist/ was older than src/';
  // tsc emits despite type errors elsewhere; say so rather than hide it.
  const errors = r.status === 0 ? '' : ` (tsc reported type errors, ${(r.stdout.match(/error TS/g) ?? []).length}, but emitted)`;
  return { built: true, buildMs, stale: false, note: `${why}: built it first with tsc in ${(buildMs / 1000).toFixed(1)} s${errors}.` };
}
