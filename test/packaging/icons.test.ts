import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../src/packaging/crc32';
import { iconProblems } from '../../src/packaging/icons';
import { encodeRgbaPng, readRgbaPixels, type Rgba } from '../../src/packaging/png';

const MANIFEST_DIR = path.join(__dirname, '../../manifest');
const icon = (file: string): { file: string; png: Buffer } => ({ file, png: readFileSync(path.join(MANIFEST_DIR, file)) });

/** Width and height straight from the bytes: signature, IHDR length and type, then two big-endian uint32. */
function ihdrSize(png: Buffer): { width: number; height: number } {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.toString('ascii', 12, 16), 'IHDR', 'the first chunk is IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const white: Rgba = [255, 255, 255, 255];
const clear: Rgba = [0, 0, 0, 0];
const ring = (x: number, y: number): Rgba => (Math.abs(Math.hypot(x - 15.5, y - 15.5) - 10) < 2 ? white : clear);

/** A PNG whose rows use every filter type (0-4) in turn: what image editors write, unlike our encoder. */
function filteredRgbaPng(size: number, paint: (x: number, y: number) => Rgba): Buffer {
  const stride = size * 4;
  const rows = Array.from({ length: size }, (_, y) => Buffer.from(Array.from({ length: size }, (_, x) => paint(x, y)).flat()));
  const out: Buffer[] = [];
  rows.forEach((row, y) => {
    const filter = y % 5;
    const prev = y > 0 ? rows[y - 1]! : Buffer.alloc(stride);
    const line = Buffer.alloc(stride + 1);
    line[0] = filter;
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? row[i - 4]! : 0, b = prev[i]!, c = i >= 4 ? prev[i - 4]! : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
      line[i + 1] = (row[i]! - predictor) & 0xff;
    }
    out.push(line);
  });
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, size, 0, 0, 0, size, 8, 6, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(out))), chunk('IEND', Buffer.alloc(0))]);
}

describe('the Teams app icons', () => {
  it('manifest/color.png is 192x192 and manifest/outline.png 32x32, by their IHDR', () => {
    assert.deepEqual(ihdrSize(icon('color.png').png), { width: 192, height: 192 });
    assert.deepEqual(ihdrSize(icon('outline.png').png), { width: 32, height: 32 });
  });

  it('the icons in manifest/ pass the package check: the outline is white on transparent', () => {
    assert.deepEqual(iconProblems(icon('color.png'), icon('outline.png')), []);
    const pixels = readRgbaPixels(icon('outline.png').png)!;
    assert.equal(pixels.length, 32 * 32);
    assert.ok(pixels.some(([, , , a]) => a === 255), 'something is drawn');
  });

  it('wrong sizes are refused, with the size found and the size Teams needs', () => {
    const problems = iconProblems({ file: 'color.png', png: encodeRgbaPng(96, 96, () => white) }, { file: 'outline.png', png: encodeRgbaPng(48, 48, ring) });
    assert.deepEqual(problems, [
      'color.png is 96x96; Teams needs the colour icon at 192x192 pixels.',
      'outline.png is 48x48; Teams needs the outline icon at 32x32 pixels.',
    ]);
  });

  it('an outline that is not white on transparent is refused', () => {
    const color = icon('color.png');
    const grey = encodeRgbaPng(32, 32, (x, y) => (ring(x, y) === white ? [200, 200, 200, 255] : clear));
    assert.match(iconProblems(color, { file: 'outline.png', png: grey }).join(), /visible pixels that are not white/);
    const faintRed = encodeRgbaPng(32, 32, (x, y) => (ring(x, y) === white ? [255, 0, 0, 60] : clear));
    assert.match(iconProblems(color, { file: 'outline.png', png: faintRed }).join(), /outline\.png has \d+ visible pixels that are not white/);
    const opaque = encodeRgbaPng(32, 32, (x, y) => (ring(x, y) === white ? white : [70, 71, 117, 255]));
    assert.match(iconProblems(color, { file: 'outline.png', png: opaque }).join(), /no transparent pixels/);
    assert.match(iconProblems(color, { file: 'outline.png', png: Buffer.from('GIF89a') }).join(), /outline\.png is not a PNG file/);
  });

  it('reads pixels of PNGs written with any row filter, as other tools write them', () => {
    const paint = (x: number, y: number): Rgba => [(x * 37 + y) & 0xff, (y * 53) & 0xff, (x ^ y) & 0xff, (x * y) & 0xff];
    const expected = Array.from({ length: 32 * 32 }, (_, i) => paint(i % 32, Math.floor(i / 32)));
    assert.deepEqual(readRgbaPixels(filteredRgbaPng(32, paint)), expected);
    assert.deepEqual(iconProblems(icon('color.png'), { file: 'outline.png', png: filteredRgbaPng(32, ring) }), []);
  });
});
