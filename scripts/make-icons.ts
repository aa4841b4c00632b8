/**
 * Draws the two Teams app icons into manifest/ without an image library, so the package
 * ships real, reproducible icons: color.png, 192x192, a white key on Teams purple with the
 * key inside the central 96x96 (Teams crops the colour icon in some places, and its
 * guidance keeps the symbol there); outline.png, 32x32, the same key in white on
 * transparent. `npm run package` checks both (src/packaging/icons.ts).
 * Run: npx tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { COLOR_ICON_SIZE, OUTLINE_ICON_SIZE } from '../src/packaging/icons';
import { encodeRgbaPng, type Rgba } from '../src/packaging/png';

const WHITE: Rgba = [255, 255, 255, 255];
const TRANSPARENT: Rgba = [0, 0, 0, 0];
const TEAMS_PURPLE: Rgba = [70, 71, 117, 255]; // the manifest's accentColor, #464775

/** A key in 0..1 coordinates: a ring on the left, a shaft to the right and two teeth. */
function isKey(u: number, v: number): boolean {
  const d = Math.hypot(u - 0.33, v - 0.5);
  const ring = d < 0.2 && d > 0.09;
  const shaft = u > 0.5 && u < 0.85 && Math.abs(v - 0.5) < 0.05;
  const tooth1 = u > 0.7 && u < 0.76 && v > 0.5 && v < 0.66;
  const tooth2 = u > 0.8 && u < 0.85 && v > 0.5 && v < 0.62;
  return ring || shaft || tooth1 || tooth2;
}

// The key spans u 0.13..0.85 (centre 0.49, width 0.72); on the colour icon that width is
// scaled to the 96 px safe area in the middle.
const KEY_CENTRE_U = 0.49;
const SAFE = 96 / COLOR_ICON_SIZE;
const SCALE = 0.72 / SAFE;

const out = path.join(__dirname, '..', 'manifest');
writeFileSync(
  path.join(out, 'color.png'),
  encodeRgbaPng(COLOR_ICON_SIZE, COLOR_ICON_SIZE, (x, y) => {
    const u = KEY_CENTRE_U + ((x + 0.5) / COLOR_ICON_SIZE - 0.5) * SCALE;
    const v = 0.5 + ((y + 0.5) / COLOR_ICON_SIZE - 0.5) * SCALE;
    return isKey(u, v) ? WHITE : TEAMS_PURPLE;
  }),
);
writeFileSync(
  path.join(out, 'outline.png'),
  encodeRgbaPng(OUTLINE_ICON_SIZE, OUTLINE_ICON_SIZE, (x, y) => (isKey(x / OUTLINE_ICON_SIZE, y / OUTLINE_ICON_SIZE) ? WHITE : TRANSPARENT)),
);
console.log('wrote manifest/color.png and manifest/outline.png');
