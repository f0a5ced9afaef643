import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Mp4DurationScanner, mp4DurationMs, parseMvhd } from './mp4-duration.js';

// Boxes built by hand: [size][type][body], or [1][type][64-bit size][body].
const box = (type: string, ...body: Buffer[]) => {
  const b = Buffer.concat(body);
  const h = Buffer.alloc(8);
  h.writeUInt32BE(8 + b.length, 0);
  h.write(type, 4, 'latin1');
  return Buffer.concat([h, b]);
};
const largeBox = (type: string, body: Buffer) => {
  const h = Buffer.alloc(16);
  h.writeUInt32BE(1, 0);
  h.write(type, 4, 'latin1');
  h.writeBigUInt64BE(BigInt(16 + body.length), 8);
  return Buffer.concat([h, body]);
};
/** An mvhd body: version 0 (32-bit times) or 1 (64-bit), then the rest of a real header. */
const mvhd = (timescale: number, duration: number | bigint, version: 0 | 1 = 0) => {
  const rest = Buffer.alloc(80); // rate, volume, matrix, pre-defined, next track id
  if (version === 1) {
    const b = Buffer.alloc(32);
    b[0] = 1;
    b.writeUInt32BE(timescale, 20);
    b.writeBigUInt64BE(BigInt(duration), 24);
    return box('mvhd', b, rest);
  }
  const b = Buffer.alloc(20);
  b.writeUInt32BE(timescale, 12);
  b.writeUInt32BE(Number(duration), 16);
  return box('mvhd', b, rest);
};
const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2avc1mp41', 'latin1'));
const mdat = (n: number) => box('mdat', Buffer.alloc(n, 0xab));
const trak = box('trak', box('tkhd', Buffer.alloc(84)), box('mdia', Buffer.alloc(40)));

/** Feeds the bytes in chunks of the given sizes, repeating. */
function scan(data: Buffer, sizes: number[]): number | null {
  const s = new Mp4DurationScanner();
  let i = 0;
  for (let at = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    s.push(data.subarray(at, at + n));
    at += n;
  }
  return s.durationMs();
}

describe('parseMvhd', () => {
  it('reads version 0 and version 1 headers', () => {
    expect(parseMvhd(mvhd(1000, 61_500).subarray(8))).toEqual({
      timescale: 1000,
      duration: 61_500,
    });
    expect(parseMvhd(mvhd(90_000, 5_400_000_000n, 1).subarray(8))).toEqual({
      timescale: 90_000,
      duration: 5_400_000_000,
    });
    expect(parseMvhd(Buffer.alloc(10))).toBeNull();
  });
});

describe('Mp4DurationScanner', () => {
  it('finds mvhd in a moov before the media data (fast start)', () => {
    const file = Buffer.concat([ftyp, box('moov', mvhd(600, 900), trak), mdat(5000)]);
    expect(mp4DurationMs(file)).toBe(1500);
  });

  it('finds mvhd in a moov after the media data, whatever the chunk sizes', () => {
    const file = Buffer.concat([ftyp, mdat(100_000), box('moov', trak, mvhd(44_100, 441_000))]);
    for (const sizes of [[1], [3, 7, 11], [8], [4096], [file.length]]) {
      expect(scan(file, sizes)).toBe(10_000);
    }
  });

  it('skips a 64-bit media box and reads a version 1 header', () => {
    const file = Buffer.concat([
      ftyp,
      largeBox('mdat', Buffer.alloc(3000)),
      box('moov', mvhd(90_000, 270_000n, 1)),
    ]);
    expect(scan(file, [5, 13])).toBe(3000);
  });

  it('takes a fragmented file’s length from mehd when mvhd says 0', () => {
    const mehd = Buffer.alloc(8);
    mehd.writeUInt32BE(123_456, 4);
    const file = Buffer.concat([
      ftyp,
      box(
        'moov',
        mvhd(1000, 0),
        trak,
        box('mvex', box('mehd', mehd), box('trex', Buffer.alloc(24))),
      ),
      box('moof', Buffer.alloc(50)),
      mdat(200),
    ]);
    expect(scan(file, [9])).toBe(123_456);
  });

  it('answers null for no moov, an unknown length, and broken sizes', () => {
    expect(mp4DurationMs(Buffer.concat([ftyp, mdat(100)]))).toBeNull();
    // 0xffffffff: not known
    expect(mp4DurationMs(Buffer.concat([ftyp, box('moov', mvhd(1000, 0xffffffff))]))).toBeNull();
    expect(mp4DurationMs(Buffer.concat([ftyp, box('moov', mvhd(0, 1000))]))).toBeNull();
    // A child claiming more than its moov holds.
    const bad = box('moov', mvhd(1000, 2000));
    bad.writeUInt32BE(9999, 8);
    expect(mp4DurationMs(Buffer.concat([ftyp, bad]))).toBeNull();
    // A box smaller than its own header stops the walk.
    const tiny = Buffer.from([0, 0, 0, 4, 0x6d, 0x64, 0x61, 0x74]);
    expect(mp4DurationMs(Buffer.concat([ftyp, tiny, box('moov', mvhd(1000, 2000))]))).toBeNull();
    // An mdat running to the end of the file (size 0) ends the walk too.
    const open = Buffer.from([0, 0, 0, 0, 0x6d, 0x64, 0x61, 0x74, 1, 2, 3]);
    expect(mp4DurationMs(Buffer.concat([ftyp, open]))).toBeNull();
    expect(mp4DurationMs(Buffer.alloc(0))).toBeNull();
  });

  it('reads the committed fixture that ffmpeg wrote (1 s, H.264)', () => {
    const fixture = fs.readFileSync(
      new URL('../../test/fixtures/evidence-1s.mp4', import.meta.url),
    );
    expect(mp4DurationMs(fixture)).toBe(1000);
  });
});
