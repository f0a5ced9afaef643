import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLoad } from './lib.js';

// The bench's own HTTP client (a worker thread speaking HTTP/1.1 on keep-alive sockets): it must
// count every answer, read both length-delimited and chunked bodies, keep connections alive, fill
// in {i} and report a wrong status with the server's words.
describe('httpLoad', () => {
  const bodies: string[] = [];
  const sockets = new Set<unknown>();
  let base = '';
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') bodies.push(Buffer.concat(chunks).toString());
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('x'.repeat(70_000));
        res.end('done');
      } else if (req.url === '/refuse') {
        res.writeHead(422, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: '标题必填 / title is required' } }));
      } else {
        const text = JSON.stringify({ ok: true, pad: 'y'.repeat(3000) });
        res.writeHead(req.method === 'POST' ? 201 : 200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      }
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends every request over one keep-alive connection per client, {i} filled in', async () => {
    bodies.length = 0;
    sockets.clear();
    const r = await httpLoad({
      total: 40,
      concurrency: 4,
      method: 'POST',
      urls: [`${base}/a`, `${base}/b`],
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: '登记{i}' }),
      expectStatus: 201,
    });
    expect(r.count).toBe(40);
    expect(r.perSecond).toBeGreaterThan(0);
    expect(r.p50).toBeGreaterThan(0);
    expect(r.p99).toBeGreaterThanOrEqual(r.p50);
    expect(r.clientMs).toBeGreaterThan(0);
    // 4 primers (one per connection, before the clock) and the 40 measured requests.
    expect(bodies).toHaveLength(44);
    const numbered = bodies
      .map((b) => (JSON.parse(b) as { title: string }).title)
      .filter((t) => /^登记\d+$/.test(t))
      .map((t) => Number(t.slice(2)))
      .sort((a, b) => a - b);
    expect(numbered).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(sockets.size).toBe(4);
  });

  it('reads chunked answers to their end', async () => {
    const r = await httpLoad({
      total: 12,
      concurrency: 3,
      urls: [`${base}/chunked`],
      expectStatus: 200,
    });
    expect(r.count).toBe(12);
  });

  it('fails with the status and the answer when a request is refused', async () => {
    await expect(
      httpLoad({ total: 5, concurrency: 2, urls: [`${base}/refuse`], expectStatus: 200 }),
    ).rejects.toThrow(/422 .*title is required/);
  });
});
