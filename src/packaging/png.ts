/**
 * Just enough PNG for the Teams app icons: write an 8-bit RGBA image (scripts/make-icons.ts)
 * and read one back (its IHDR, and its pixels when they are 8-bit grey+alpha or RGBA), so the
 * package can check what Teams asks of the icons without an image library.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { crc32 } from './crc32';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const GREY_ALPHA = 4;
const RGBA = 6;

export type Rgba = [number, number, number, number];

interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colorType: number;
  interlaced: boolean;
}

export function encodeRgbaPng(width: number, height: number, paint: (x: number, y: number) => Rgba): Buffer {
  const stride = width * 4 + 1;
  const raw = Buffer.alloc(height * stride); // each row starts with filter type 0 (none)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(paint(x, y), y * stride + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = RGBA;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** The image header, or undefined when `png` is not a PNG file. */
export function readPngHeader(png: Buffer): PngHeader | undefined {
  if (png.length < 33 || !png.subarray(0, 8).equals(SIGNATURE) || png.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24]!,
    colorType: png[25]!,
    interlaced: png[28] === 1,
  };
}

/**
 * Every pixel as RGBA, row by row; undefined for the formats this reader does not decode
 * (anything but non-interlaced 8-bit grey+alpha or RGBA).
 */
export function readRgbaPixels(png: Buffer): Rgba[] | undefined {
  const header = readPngHeader(png);
  if (!header || header.bitDepth !== 8 || header.interlaced || (header.colorType !== RGBA && header.colorType !== GREY_ALPHA)) return undefined;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  const bpp = header.colorType === RGBA ? 4 : 2;
  const stride = header.width * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  if (raw.length < header.height * (stride + 1)) return undefined;
  const rows = unfilter(raw, header.height, stride, bpp);
  const pixels: Rgba[] = [];
  for (const row of rows) {
    for (let x = 0; x < header.width; x++) {
      const o = x * bpp;
      pixels.push(bpp === 4 ? [row[o]!, row[o + 1]!, row[o + 2]!, row[o + 3]!] : [row[o]!, row[o]!, row[o]!, row[o + 1]!]);
    }
  }
  return pixels;
}

/** Undo the per-row filters (PNG spec §9): none, sub, up, average, Paeth. */
function unfilter(raw: Buffer, height: number, stride: number, bpp: number): Buffer[] {
  const rows: Buffer[] = [];
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const left = i >= bpp ? row[i - bpp]! : 0;
      const up = previous[i]!;
      const upLeft = i >= bpp ? previous[i - bpp]! : 0;
      const predictor = filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : filter === 4 ? paeth(left, up, upLeft) : 0;
      row[i] = (row[i]! + predictor) & 0xff;
    }
    rows.push(row);
    previous = row;
  }
  return rows;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
