import { describe, expect, it } from 'vitest';
import { injectOptionsOf, sampleRequest, sampleValue, type OpenApiDoc } from './sample-request.js';

const UUID =
  '^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12})$';

const doc: OpenApiDoc = {
  paths: {
    '/api/things/{id}/parts/{clientId}': {
      post: {
        parameters: [
          { in: 'path', name: 'id', required: true, schema: { type: 'integer', minimum: 0 } },
          {
            in: 'path',
            name: 'clientId',
            required: true,
            schema: { type: 'string', pattern: UUID },
          },
          { in: 'query', name: 'version', required: true, schema: { type: 'integer' } },
          { in: 'query', name: 'q', schema: { type: 'string' } },
        ],
        requestBody: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  title: { type: 'string', minLength: 2, maxLength: 100 },
                  reason: { type: 'string', minLength: 12 },
                  period: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2]|Q[1-4])$' },
                  on: { type: 'string', format: 'date' },
                  at: { type: 'string', format: 'date-time' },
                  kind: { type: 'string', enum: ['b', 'a'] },
                  count: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 9 },
                  share: { type: 'number', minimum: 0, maximum: 0.5 },
                  tags: { type: 'array', minItems: 2, items: { type: 'string' } },
                  where: {
                    oneOf: [
                      { type: 'null' },
                      {
                        type: 'object',
                        properties: { lat: { type: 'number', minimum: 3, maximum: 54 } },
                        required: ['lat'],
                      },
                    ],
                  },
                  optional: { type: 'string' },
                },
                required: [
                  'title',
                  'reason',
                  'period',
                  'on',
                  'at',
                  'kind',
                  'count',
                  'share',
                  'tags',
                  'where',
                ],
              },
            },
          },
        },
      },
    },
    '/api/things/import': { post: { summary: 'Import things from XLSX' } },
  },
};

describe('sampleRequest', () => {
  it('fills path and required query parameters, ids first, and builds a valid body', () => {
    const s = sampleRequest({ method: 'POST', path: '/api/things/{id}/parts/{clientId}' }, doc, {
      id: 42,
    });
    expect(s.url).toMatch(/^\/api\/things\/42\/parts\/[0-9a-f-]{36}$/);
    expect(s.query).toEqual({ version: '1' });
    expect(s.body).toEqual({
      title: 'sample',
      reason: expect.stringMatching(/^.{12,}$/),
      period: '2026-01',
      on: '2026-01-05',
      at: '2026-01-05T08:00:00.000Z',
      kind: 'b',
      count: 1,
      share: 0.5,
      tags: ['sample', 'sample'],
      where: { lat: 3 },
    });
    expect(s.multipart).toBeUndefined();
  });

  it('sends a multipart file to an upload route and encodes it for inject', () => {
    const s = sampleRequest({ method: 'POST', path: '/api/things/import' }, doc, {});
    expect(s.multipart).toMatchObject({ field: 'file' });
    const o = injectOptionsOf(s, { cookie: 'c' });
    expect(o.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(o.headers.cookie).toBe('c');
    expect(String(o.payload)).toContain('name="file"; filename="sample.xlsx"');
  });

  it('refuses a schema it cannot satisfy instead of sending an invalid value', () => {
    expect(() => sampleValue(doc, { type: 'string', pattern: '^Z{40}$' })).toThrow(/no sample/);
  });
});
