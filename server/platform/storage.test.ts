import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDiskStorage, MemoryStorage, type FileStorage } from './storage.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-storage-'));

async function read(stream: Readable | null): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream!) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('LocalDiskStorage', () => {
  const storage: FileStorage = new LocalDiskStorage(root);

  it('writes buffers and streams, reads them back, deletes them', async () => {
    await storage.put('a/b/one.jpg', Buffer.from('one'), 'image/jpeg');
    await storage.put(
      'a/b/two.bin',
      Readable.from([Buffer.from('tw'), Buffer.from('o')]),
      'application/octet-stream',
    );
    expect((await storage.get('a/b/one.jpg'))?.toString()).toBe('one');
    expect((await storage.get('a/b/two.bin'))?.toString()).toBe('two');
    expect(fs.readdirSync(path.join(root, 'a/b')).sort()).toEqual(['one.jpg', 'two.bin']);
    await storage.delete('a/b/one.jpg');
    expect(await storage.get('a/b/one.jpg')).toBeNull();
    expect(await storage.signedUrl('a/b/two.bin', 60)).toBeNull();
  });

  it('reads a file as a stream, in chunks; a missing key is null', async () => {
    const big = Buffer.alloc(600 * 1024, 7);
    await storage.put('s/big.mp4', big, 'video/mp4');
    const stream = (await storage.stream('s/big.mp4'))!;
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
    expect(await storage.stream('s/none.mp4')).toBeNull();
    await expect(storage.stream('../etc/passwd')).rejects.toThrow(/key/);
  });

  it('streams a byte range (inclusive offsets), for a player seeking in a video', async () => {
    const data = Buffer.from(Array.from({ length: 700 * 1024 }, (_, i) => i % 251));
    await storage.put('s/range.mp4', data, 'video/mp4');
    const r = { start: 300 * 1024 + 5, end: 650 * 1024 };
    expect(
      (await read(await storage.stream('s/range.mp4', r))).equals(
        data.subarray(r.start, r.end + 1),
      ),
    ).toBe(true);
    expect((await read(await storage.stream('s/range.mp4', { start: 0, end: 0 }))).length).toBe(1);
  });

  it('leaves no temporary file when a stream fails', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });
    await expect(storage.put('c/broken.jpg', failing, 'image/jpeg')).rejects.toThrow(/went away/);
    expect(fs.readdirSync(path.join(root, 'c'))).toEqual([]);
  });

  it('refuses keys that leave the directory', async () => {
    await expect(storage.get('../etc/passwd')).rejects.toThrow(/key/);
    await expect(storage.put('/abs', Buffer.from(''), 'x')).rejects.toThrow(/key/);
  });
});

describe('MemoryStorage', () => {
  it('keeps streamed bodies', async () => {
    const m: FileStorage = new MemoryStorage();
    await m.put('k', Readable.from([Buffer.from('x'), Buffer.from('y')]), 'text/plain');
    expect((await m.get('k'))?.toString()).toBe('xy');
    const chunks: Buffer[] = [];
    for await (const c of (await m.stream('k'))!) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('xy');
    expect(await m.stream('none')).toBeNull();
    expect((await read(await m.stream('k', { start: 1, end: 1 }))).toString()).toBe('y');
    expect(await m.signedUrl('k', 60)).toBeNull();
  });
});
