import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from './harness.js';

// Which of the three web apps a browser address gets (server/app.ts): the citizens' pages, the
// phone app under /m/, the admin for the rest; the desktop's former phone pages redirect into the
// phone app.

const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-web-'));
// The admin's and the phone app's pages carry the early script inline, as the build writes them.
const EARLY = "globalThis.__ccEarly = { '/api/auth/me': fetch('/api/auth/me') };";
const html = (page: string) =>
  page === 'citizen' ? `<html>${page}</html>` : `<html><script>${EARLY}</script>${page}</html>`;
for (const page of ['index', 'citizen', 'mobile'])
  fs.writeFileSync(path.join(webDir, `${page}.html`), html(page));
// A built asset (content-hashed name) with the copies scripts/precompress.mjs writes.
const ASSET = 'mobile-Ab_cD-12.js';
const SCRIPT = `export const x = ${JSON.stringify('创城'.repeat(2000))};\n`;
fs.mkdirSync(path.join(webDir, 'assets'));
fs.writeFileSync(path.join(webDir, 'assets', ASSET), SCRIPT);
fs.writeFileSync(path.join(webDir, 'assets', `${ASSET}.br`), zlib.brotliCompressSync(SCRIPT));
fs.writeFileSync(path.join(webDir, 'assets', `${ASSET}.gz`), zlib.gzipSync(SCRIPT));
const t = await createTestApp({ WEB_DIR: webDir });
afterAll(async () => {
  await t.close();
  fs.rmSync(webDir, { recursive: true, force: true });
});

const open = (url: string) => t.app.inject({ method: 'GET', url });

describe('web pages by address', () => {
  it.each([
    ['/', 'index'],
    ['/problems/12', 'index'],
    ['/patrols', 'index'],
    ['/patrols/3', 'index'],
    ['/inspections', 'index'],
    ['/report', 'citizen'],
    ['/track?code=X', 'citizen'],
    ['/stars', 'citizen'],
    ['/star-households', 'index'],
    ['/services', 'citizen'],
    ['/services/track/FW23456789AB', 'citizen'],
    ['/service-orders', 'index'],
    ['/service-records', 'index'],
    ['/m/', 'mobile'],
    ['/m/inspect/4/points/9', 'mobile'],
    ['/m/survey', 'mobile'],
    ['/m/checkin/7?t=abc', 'mobile'],
    ['/survey-results', 'index'],
    ['/volunteer-activities/7', 'index'],
  ])('%s is the %s app', async (url, page) => {
    const res = await open(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(html(page));
  });

  it('the policy allows the pages’ inline early script by its hash, and no other inline script', async () => {
    const csp = String((await open('/m/')).headers['content-security-policy']);
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
    const hash = createHash('sha256').update(EARLY).digest('base64');
    expect(scriptSrc.trim()).toBe(`script-src 'self' 'sha256-${hash}'`);
  });

  it.each([
    ['/m', 302, '/m/'],
    ['/m?from=x', 302, '/m/?from=x'],
    ['/inspect', 301, '/m/inspect'],
    ['/inspect?round=2', 301, '/m/inspect?round=2'],
    ['/patrol', 301, '/m/patrol'],
    ['/survey-app', 301, '/m/survey'],
    ['/survey-app?quota=3', 301, '/m/survey?quota=3'],
    ['/volunteer-checkin/7', 301, '/m/checkin/7'],
    ['/volunteer-checkin/7?t=a.b%2Bc', 301, '/m/checkin/7?t=a.b%2Bc'],
  ])('%s redirects (%i) to %s', async (url, status, to) => {
    const res = await open(url);
    expect(res.statusCode).toBe(status);
    expect(res.headers.location).toBe(to);
  });

  it('an API path is never answered with a page', async () => {
    const res = await open('/api/nothing-here');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('sends a built asset compressed to a browser that takes it, cached for good', async () => {
    const br = await t.app.inject({
      method: 'GET',
      url: `/assets/${ASSET}`,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.rawPayload.length).toBeLessThan(SCRIPT.length / 10);
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);

    const gz = await t.app.inject({
      method: 'GET',
      url: `/assets/${ASSET}`,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);

    const plain = await open(`/assets/${ASSET}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it('has the browser check the pages with the server every time', async () => {
    for (const url of ['/', '/m/', '/report', '/index.html']) {
      const res = await open(url);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('has no browser or proxy keep an API answer unless the route says so', async () => {
    const me = await open('/api/auth/me');
    expect(me.headers['cache-control']).toBe('no-store');
    const health = await open('/api/health');
    expect(health.headers['cache-control']).toBe('no-store');
    const base = await open('/api/map/base');
    expect(base.headers['cache-control']).toBe('public, no-cache');
  });
});
