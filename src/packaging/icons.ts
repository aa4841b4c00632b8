/**
 * What Teams asks of the two app icons (app manifest schema, `icons`): a full-colour PNG of
 * 192x192, and an outline PNG of 32x32 that is white on a transparent background (Teams
 * tints it; any other colour shows up wrong). Semi-transparent white, for smooth edges, is
 * fine.
 */
import { readPngHeader, readRgbaPixels } from './png';

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** Every problem with the icons, each a sentence naming the file; empty when both are fine. */
export function iconProblems(color: { file: string; png: Buffer }, outline: { file: string; png: Buffer }): string[] {
  const problems: string[] = [];
  const colorHeader = readPngHeader(color.png);
  if (!colorHeader) problems.push(`${color.file} is not a PNG file.`);
  else if (colorHeader.width !== COLOR_ICON_SIZE || colorHeader.height !== COLOR_ICON_SIZE) {
    problems.push(`${color.file} is ${colorHeader.width}x${colorHeader.height}; Teams needs the colour icon at ${COLOR_ICON_SIZE}x${COLOR_ICON_SIZE} pixels.`);
  }

  const outlineHeader = readPngHeader(outline.png);
  if (!outlineHeader) return [...problems, `${outline.file} is not a PNG file.`];
  if (outlineHeader.width !== OUTLINE_ICON_SIZE || outlineHeader.height !== OUTLINE_ICON_SIZE) {
    problems.push(`${outline.file} is ${outlineHeader.width}x${outlineHeader.height}; Teams needs the outline icon at ${OUTLINE_ICON_SIZE}x${OUTLINE_ICON_SIZE} pixels.`);
    return problems;
  }
  const pixels = readRgbaPixels(outline.png);
  if (!pixels) return [...problems, `${outline.file} must be an 8-bit PNG with an alpha channel (RGBA or grey+alpha, not interlaced): white on transparent.`];
  if (!pixels.some(([, , , a]) => a === 0)) problems.push(`${outline.file} has no transparent pixels; the outline icon is white on a transparent background.`);
  const coloured = pixels.filter(([r, g, b, a]) => a > 0 && (r !== 255 || g !== 255 || b !== 255)).length;
  if (coloured > 0) problems.push(`${outline.file} has ${coloured} visible pixels that are not white; the outline icon may only be white (any opacity) on transparent.`);
  return problems;
}
