import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOfUrl, isOpen311Url, sendOpen311FrameworkError } from './open311-http.js';
import { elementsNamed, parseXml, textOf } from './open311-xml.test-kit.js';

// Fastify answers a malformed escape in the path before any route or plugin hook runs, so only its
// server-wide `frameworkErrors` option can shape that answer: sendOpen311FrameworkError takes the
// /open311/v2 ones and leaves the rest to the app's own handler (server/app.ts wires it).

const app = Fastify({
  frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (!sendOpen311FrameworkError(err, req, reply))
      void reply.status(400).send({ error: { code: 'fallback' } });
  },
});
app.get('/open311/v2/services/:file', () => 'route');
app.get('/api/things/:id', () => 'route');
afterAll(() => app.close());

describe('errors before routing under /open311/v2', () => {
  it('a malformed escape is a 400 in the spec’s body, JSON or XML by the extension', async () => {
    const json = await app.inject('/open311/v2/services/%ZZ.json');
    expect(json.statusCode).toBe(400);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.json()).toEqual([{ code: 400, description: expect.stringContaining('%') }]);
    const xml = await app.inject({
      url: '/open311/v2/requests/%E4.xml?x=1',
      headers: { 'accept-language': 'en' },
    });
    expect(xml.statusCode).toBe(400);
    const doc = parseXml(xml.body);
    expect(doc.name).toBe('errors');
    expect(textOf(elementsNamed(doc, 'code')[0]!)).toBe('400');
    expect(textOf(elementsNamed(doc, 'description')[0]!)).toMatch(/invalid percent-escape/);
  });

  it('leaves every other path to the app', async () => {
    const res = await app.inject('/api/things/%ZZ');
    expect(res.json()).toEqual({ error: { code: 'fallback' } });
    expect(isOpen311Url('/open311/v2x/a')).toBe(false);
    expect(isOpen311Url('/open311/v2')).toBe(true);
    expect(isOpen311Url('/open311/v2?q=%ZZ')).toBe(true);
  });

  it('the format: .xml asks for XML, anything else gets JSON', () => {
    expect(formatOfUrl('/open311/v2/requests.XML?page=2')).toBe('xml');
    expect(formatOfUrl('/open311/v2/requests.xml#x')).toBe('xml');
    expect(formatOfUrl('/open311/v2/requests?f=.xml')).toBe('json');
    expect(formatOfUrl('/open311/v2/requests.csv')).toBe('json');
  });
});
