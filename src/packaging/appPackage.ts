/**
 * The Teams app package an admin uploads: manifest.json (filled from configuration and
 * checked against the bundled schema), color.png and outline.png, at the root of
 * `tap-helpdesk-bot-<version>.zip`. Nothing is written unless all of it is valid.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PackagingError } from './errors';
import { iconProblems } from './icons';
import { buildManifest, TEMPLATE_DIR, type ManifestJson } from './manifest';
import type { PackageSettings } from './settings';
import { zipFiles } from './zip';

interface AppPackageOptions {
  settings: PackageSettings;
  /** Folder the zip goes to; created when missing. */
  outDir: string;
  /** Replace a zip of the same version. */
  force?: boolean;
  /** Folder with manifest.json and the icons. Default: the project's manifest/. */
  templateDir?: string;
}

interface AppPackage {
  zipPath: string;
  manifest: ManifestJson;
  /** The manifest.json bytes inside the zip. */
  manifestText: string;
  /** Zip entry names, in order. */
  entries: string[];
}

export function packageFileName(appVersion: string): string {
  return `tap-helpdesk-bot-${appVersion}.zip`;
}

export async function buildAppPackage(options: AppPackageOptions): Promise<AppPackage> {
  const templateDir = options.templateDir ?? TEMPLATE_DIR;
  const zipPath = path.resolve(options.outDir, packageFileName(options.settings.appVersion));
  if (existsSync(zipPath) && !options.force) {
    throw new PackagingError(
      'packageExists',
      `${zipPath} exists already. Teams only takes an update whose version is higher: raise "version" in package.json ` +
        `(or pass --app-version x.y.z), or pass --force to build version ${options.settings.appVersion} again.`,
    );
  }

  const manifest = await buildManifest(options.settings, templateDir);
  const icons = manifest['icons'] as { color: string; outline: string };
  const read = (file: string): { file: string; png: Buffer } => {
    if (path.basename(file) !== file) throw new PackagingError('iconInvalid', `icons "${file}": keep the icons next to manifest.json, at the root of the package.`);
    const full = path.join(templateDir, file);
    if (!existsSync(full)) throw new PackagingError('iconInvalid', `${full} is missing; run npx tsx scripts/make-icons.ts, or put your own icon there.`);
    return { file: full, png: readFileSync(full) };
  };
  const color = read(icons.color);
  const outline = read(icons.outline);
  const problems = iconProblems(color, outline);
  if (problems.length) throw new PackagingError('iconInvalid', 'The app icons are not what Teams needs:', problems);

  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const entries = [
    { name: 'manifest.json', data: Buffer.from(manifestText, 'utf8') },
    { name: icons.color, data: color.png },
    { name: icons.outline, data: outline.png },
  ];
  mkdirSync(path.dirname(zipPath), { recursive: true });
  // Written aside and renamed, so a crash never leaves half a package under the real name.
  const partial = `${zipPath}.partial`;
  writeFileSync(partial, zipFiles(entries));
  renameSync(partial, zipPath);
  return { zipPath, manifest, manifestText, entries: entries.map((e) => e.name) };
}
