/**
 * Writes the two Teams app icons (192x192 colour, 32x32 white outline on transparent) as
 * PNG without any image library, so the manifest ships real, reproducible icons.
 * Run: npx tsx scripts/make-icons.ts
 */
import { deflateSync, crc32 } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

type Pixel = [number, number, number, number];

function png(size: number, paint: (x: number, y: number) => Pixel): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = paint(x, y);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b; raw[o + 3] = a;
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A key: ring at (cx,cy) with a shaft to the right and two teeth. Coordinates in 0..1. */
function isKey(u: number, v: number): boolean {
  const dx = u - 0.33, dy = v - 0.5, d = Math.hypot(dx, dy);
  const ring = d < 0.2 && d > 0.09;
  const shaft = u > 0.5 && u < 0.85 && Math.abs(v - 0.5) < 0.05;
  const tooth1 = u > 0.7 && u < 0.76 && v > 0.5 && v < 0.66;
  const tooth2 = u > 0.8 && u < 0.85 && v > 0.5 && v < 0.62;
  return ring || shaft || tooth1 || tooth2;
}

const out = path.join(__dirname, '..', 'manifest');
writeFileSync(path.join(out, 'color.png'), png(192, (x, y) => {
  const u = x / 192, v = y / 192;
  return isKey(u, v) ? [255, 255, 255, 255] : [70, 71, 117, 255]; // Teams purple
}));
writeFileSync(path.join(out, 'outline.png'), png(32, (x, y) => (isKey(x / 32, y / 32) ? [255, 255, 255, 255] : [0, 0, 0, 0])));
console.log('wrote manifest/color.png and manifest/outline.png');
