import { deflateSync } from 'node:zlib';
import piexif from 'piexifjs';
import sharp from 'sharp';

/** A small JPEG, optionally with EXIF time and GPS as a phone camera writes them. */
export async function testJpeg(
  o: { color?: string; takenAt?: string; lat?: number; lng?: number; width?: number } = {},
): Promise<Buffer> {
  const jpg = await sharp({
    create: { width: o.width ?? 64, height: 48, channels: 3, background: o.color ?? '#c8102e' },
  })
    .jpeg()
    .toBuffer();
  if (!o.takenAt && o.lat === undefined) return jpg;
  const gps: Record<number, unknown> = {};
  if (o.lat !== undefined && o.lng !== undefined) {
    gps[piexif.GPSIFD.GPSLatitudeRef] = o.lat >= 0 ? 'N' : 'S';
    gps[piexif.GPSIFD.GPSLatitude] = piexif.GPSHelper.degToDmsRational(Math.abs(o.lat));
    gps[piexif.GPSIFD.GPSLongitudeRef] = o.lng >= 0 ? 'E' : 'W';
    gps[piexif.GPSIFD.GPSLongitude] = piexif.GPSHelper.degToDmsRational(Math.abs(o.lng));
  }
  const exif = piexif.dump({
    '0th': {},
    Exif: o.takenAt ? { [piexif.ExifIFD.DateTimeOriginal]: o.takenAt } : {},
    GPS: gps,
  });
  return Buffer.from(piexif.insert(exif, jpg.toString('binary')), 'binary');
}

/** A valid 1-bit greyscale PNG of the given size: all white, a few KB for any size (a bomb). */
export function bombPng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  // each row: filter byte 0, then width bits of 1 (white)
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(Math.ceil(width / 8), 0xff)]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
