import { describe, expect, it } from 'vitest';
import { sniffMedia } from './media.js';

const ftyp = (brand: string) => {
  const b = Buffer.alloc(32);
  b.writeUInt32BE(24, 0);
  b.write(`ftyp${brand}`, 4, 'latin1');
  return b;
};

describe('sniffMedia', () => {
  it('tells MP4, M4A and MP3 from their first bytes', () => {
    expect(sniffMedia(ftyp('isom'))?.mime).toBe('video/mp4');
    expect(sniffMedia(ftyp('mp42'))?.mime).toBe('video/mp4');
    expect(sniffMedia(ftyp('M4A '))?.mime).toBe('audio/mp4');
    expect(sniffMedia(Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00xx', 'latin1'))?.mime).toBe(
      'audio/mpeg',
    );
    // MPEG-1 layer III frame header without a tag.
    expect(sniffMedia(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0]))?.mime).toBe('audio/mpeg');
  });

  it('takes no QuickTime, no other MPEG layer and nothing else', () => {
    expect(sniffMedia(ftyp('qt  '))).toBeNull();
    expect(sniffMedia(Buffer.from([0xff, 0xfd, 0x90, 0x64]))).toBeNull(); // layer II
    expect(sniffMedia(Buffer.from('%PDF-1.7\n%abc', 'latin1'))).toBeNull();
    expect(sniffMedia(Buffer.alloc(3))).toBeNull();
  });
});
