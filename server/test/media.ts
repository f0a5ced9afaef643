import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { expect } from 'vitest';
import { insertFile } from '../modules/files/files.repo.js';
import type { Agent, Res, TestApp } from './harness.js';

/** A real video: 1 s, 64 × 64, H.264 in MP4 (made once with ffmpeg; the product never runs it). */
export const VIDEO_FIXTURE = fs.readFileSync(
  new URL('./fixtures/evidence-1s.mp4', import.meta.url),
);

/**
 * A video stored as this user's upload that belongs to no record yet (so readable by them): for
 * serving tests that need no dossier around it. Answers the file's id.
 */
export async function storeVideo(
  t: TestApp,
  uploadedBy: number,
  data: Buffer = VIDEO_FIXTURE,
): Promise<string> {
  const id = randomUUID();
  const storageKey = `media/test/${id}.mp4`;
  await t.storage.put(storageKey, data, 'video/mp4');
  await insertFile(t.database.db, {
    id,
    mime: 'video/mp4',
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
    storageKey,
    originalName: 'clip.mp4',
    uploadedBy,
  });
  return id;
}

/** GET with extra headers, as the agent. */
export function getAs(
  t: TestApp,
  agent: Agent,
  url: string,
  headers: Record<string, string> = {},
): Promise<Res> {
  return t.app.inject({ method: 'GET', url, headers: { cookie: agent.cookie, ...headers } });
}

/**
 * What a player needs to seek: the whole file with `Accept-Ranges`, a range as 206 with its
 * Content-Range, an open-ended and a suffix range, 416 beyond the end, the whole file for a
 * stale If-Range, and the ETag revalidated with 304.
 */
export async function expectByteRanges(t: TestApp, agent: Agent, url: string, data: Buffer) {
  const size = data.length;
  const full = await getAs(t, agent, url);
  expect(full.statusCode, full.body).toBe(200);
  expect(full.headers['accept-ranges']).toBe('bytes');
  expect(full.headers['content-length']).toBe(String(size));
  expect(full.headers['cache-control']).toBe('private, max-age=86400, immutable');
  expect(full.rawPayload.equals(data)).toBe(true);
  const etag = String(full.headers.etag);
  expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

  const part = await getAs(t, agent, url, { range: 'bytes=100-299' });
  expect(part.statusCode).toBe(206);
  expect(part.headers['content-range']).toBe(`bytes 100-299/${size}`);
  expect(part.headers['content-length']).toBe('200');
  expect(part.headers['content-type']).toBe('video/mp4');
  expect(part.headers.etag).toBe(etag);
  expect(part.rawPayload.equals(data.subarray(100, 300))).toBe(true);

  const tail = await getAs(t, agent, url, { range: `bytes=${size - 10}-` });
  expect(tail.statusCode).toBe(206);
  expect(tail.headers['content-range']).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
  expect(tail.rawPayload.equals(data.subarray(size - 10))).toBe(true);

  const suffix = await getAs(t, agent, url, { range: 'bytes=-16' });
  expect(suffix.statusCode).toBe(206);
  expect(suffix.rawPayload.equals(data.subarray(size - 16))).toBe(true);

  // A range running past the end is cut at the end.
  const over = await getAs(t, agent, url, { range: `bytes=0-${size + 5000}` });
  expect(over.statusCode).toBe(206);
  expect(over.headers['content-range']).toBe(`bytes 0-${size - 1}/${size}`);
  expect(over.rawPayload.equals(data)).toBe(true);

  const beyond = await getAs(t, agent, url, { range: `bytes=${size}-` });
  expect(beyond.statusCode).toBe(416);
  expect(beyond.headers['content-range']).toBe(`bytes */${size}`);

  // Several ranges, or a validator of another file: the whole file.
  const several = await getAs(t, agent, url, { range: 'bytes=0-1,5-6' });
  expect(several.statusCode).toBe(200);
  expect(several.rawPayload.length).toBe(size);
  const stale = await getAs(t, agent, url, { range: 'bytes=0-9', 'if-range': '"other"' });
  expect(stale.statusCode).toBe(200);
  expect(stale.rawPayload.length).toBe(size);
  const fresh = await getAs(t, agent, url, { range: 'bytes=0-9', 'if-range': etag });
  expect(fresh.statusCode).toBe(206);

  const again = await getAs(t, agent, url, { 'if-none-match': etag });
  expect(again.statusCode).toBe(304);
  expect(again.rawPayload.length).toBe(0);
}
