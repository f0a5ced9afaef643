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
