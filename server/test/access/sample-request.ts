import { randomBytes } from 'node:crypto';

/**
 * A minimal valid request for any route of the OpenAPI document (`GET /api/docs/json`): path
 * parameters from the ids given, required query parameters, and a body with the required fields
 * of the request schema (right types, first enum value, lengths and patterns met). Used by the
 * authorization matrix (a request must get past body validation to reach the permission check) and
 * by the fuzz tests (a valid request to spoil one field at a time).
 */

/** The parts of an OpenAPI 3 document read here. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface OpenApiOperation {
  summary?: string;
  description?: string;
  parameters?: {
    in: 'path' | 'query' | 'header' | 'cookie';
    name: string;
    required?: boolean;
    schema?: JsonSchema;
  }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
}

/** The JSON Schema subset zod's OpenAPI transform produces. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string | JsonSchema;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/** A route as the OpenAPI document names it: `GET` and `/api/problems/{id}`. */
export interface RouteRef {
  method: string;
  path: string;
}

/**
 * Values for path and required query parameters: a map by parameter name, or a function of the
 * name, route and parameter schema; undefined falls back to a value built from the schema.
 */
export type SampleIds =
  | Record<string, string | number>
  | ((
      name: string,
      route: RouteRef,
      schema: JsonSchema | undefined,
    ) => string | number | undefined);

export interface SampleMultipart {
  /** Form fields sent before the file. */
  fields: Record<string, string>;
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface SampleRequest {
  method: string;
  /** The path with its parameters filled in (no query string). */
  url: string;
  /** Required query parameters. */
  query: Record<string, string>;
  /** The JSON (or form) body, when the route takes one. */
  body?: unknown;
  /** Set for upload routes (no JSON body schema, multipart by their description or path). */
  multipart?: SampleMultipart;
}

/** Every route of the document, in document order. */
export function routesOf(doc: OpenApiDoc): RouteRef[] {
  const out: RouteRef[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of Object.keys(ops)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) {
        out.push({ method: method.toUpperCase(), path });
      }
    }
  }
  return out;
}

/** `GET /api/problems/{id}`: the key routes are declared under. */
export const routeKey = (r: RouteRef): string => `${r.method.toUpperCase()} ${r.path}`;

export function operationOf(doc: OpenApiDoc, route: RouteRef): OpenApiOperation {
  const op = doc.paths[route.path]?.[route.method.toLowerCase()];
  if (!op) throw new Error(`${routeKey(route)} is not in the OpenAPI document`);
  return op;
}

const MULTIPART_HINT = /multipart|xlsx|upload|geojson|import|scan|\bfile\b/i;

/**
 * True when a route takes an upload: a write without a JSON body schema whose summary or path says
 * so. (The OpenAPI document does not carry `consumes` for body-less routes.)
 */
export function isUploadRoute(doc: OpenApiDoc, route: RouteRef): boolean {
  const op = operationOf(doc, route);
  if (route.method.toUpperCase() === 'GET' || route.method.toUpperCase() === 'DELETE') return false;
  if (op.requestBody) return false;
  return (
    MULTIPART_HINT.test(op.summary ?? '') ||
    MULTIPART_HINT.test(op.description ?? '') ||
    /\/(import(\.xlsx)?|files|scan|photos|reports)$/.test(route.path)
  );
}

function resolve(doc: OpenApiDoc, s: JsonSchema): JsonSchema {
  let out = s;
  for (let depth = 0; out.$ref && depth < 20; depth++) {
    const name = out.$ref.replace(/^#\/components\/schemas\//, '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved $ref ${out.$ref}`);
    out = target;
  }
  return out;
}

/** Strings tried in turn against a pattern or format with no obvious value. */
const STRING_CANDIDATES = [
  'sample',
  '00000000-0000-4000-8000-000000000001',
  '2026-01-05T08:00:00.000Z',
  '2026-01-05',
  '2026-01',
  '2026-Q1',
  '2026-W02',
  '13900000009',
  '123456',
  '1',
  '12.5',
  'A',
  'ab1',
  'SJ23456789AB',
  'https://example.org/a',
  'a@example.org',
  // A signed link's signature (43 base64url characters).
  'sig0000000000000000000000000000000000000000',
];

function fits(value: string, s: JsonSchema): boolean {
  if (s.minLength !== undefined && value.length < s.minLength) return false;
  if (s.maxLength !== undefined && value.length > s.maxLength) return false;
  if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) return false;
  const format = typeof s.format === 'string' ? s.format : undefined;
  if (format === 'uuid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-4/.test(value)) return false;
  if (format === 'date-time' && Number.isNaN(Date.parse(value))) return false;
  if (format === 'date-time' && !value.includes('T')) return false;
  if (format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  if (format === 'uri' && !/^https?:\/\//.test(value)) return false;
  if (format === 'email' && !value.includes('@')) return false;
  return true;
}

function sampleString(s: JsonSchema): string {
  for (const c of STRING_CANDIDATES) {
    if (fits(c, s)) return c;
    // A candidate padded up to the minimum length (plain text fields: titles, reasons).
    if (s.minLength !== undefined && c.length < s.minLength && !s.pattern && !s.format) {
      const padded = c.padEnd(s.minLength, 'x');
      if (fits(padded, s)) return padded;
    }
  }
  throw new Error(`no sample string for ${JSON.stringify(s)}`);
}

function sampleNumber(s: JsonSchema, integer: boolean): number {
  let lo = typeof s.minimum === 'number' ? s.minimum : -Infinity;
  if (s.exclusiveMinimum === true) lo = integer ? lo + 1 : lo + 0.5;
  if (typeof s.exclusiveMinimum === 'number') lo = s.exclusiveMinimum + (integer ? 1 : 0.5);
  let hi = typeof s.maximum === 'number' ? s.maximum : Infinity;
  if (s.exclusiveMaximum === true) hi = integer ? hi - 1 : hi - 0.5;
  if (typeof s.exclusiveMaximum === 'number') hi = s.exclusiveMaximum - (integer ? 1 : 0.5);
  // 1 where allowed (a count, a version, an id), else the nearest bound.
  let v = Math.min(Math.max(1, lo), hi);
  if (integer) v = Math.ceil(v);
  if (s.multipleOf) v = Math.ceil(v / s.multipleOf) * s.multipleOf;
  return v;
}

/**
 * A minimal value valid against a schema: required properties only, the first enum value or
 * union member, the least array the schema accepts. Throws for a schema it cannot satisfy, so a
 * new kind of schema shows up as a failing test rather than a silently invalid request.
 */
export function sampleValue(doc: OpenApiDoc, schema: JsonSchema, depth = 0): unknown {
  if (depth > 30) throw new Error('schema nests too deeply');
  const s = resolve(doc, schema);
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined && s.enum === undefined) return s.default;
  if (s.enum && s.enum.length > 0) return s.enum[0];
  if (s.allOf && s.allOf.length > 0) {
    const parts = s.allOf.map((p) => sampleValue(doc, p, depth + 1));
    if (parts.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p))) {
      return Object.assign({}, ...(parts as object[]));
    }
    return parts[0];
  }
  const union = s.anyOf ?? s.oneOf;
  if (union && union.length > 0) {
    const first = union.find((u) => resolve(doc, u).type !== 'null') ?? union[0]!;
    return sampleValue(doc, first, depth + 1);
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return sampleString(s);
    case 'integer':
      return sampleNumber(s, true);
    case 'number':
      return sampleNumber(s, false);
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const n = s.minItems ?? 0;
      const items = s.items ?? {};
      return Array.from({ length: n }, () => sampleValue(doc, items, depth + 1));
    }
    case 'object':
    case undefined: {
      if (!s.properties && type === undefined) return 'sample';
      const out: Record<string, unknown> = {};
      for (const name of s.required ?? []) {
        out[name] = sampleValue(doc, s.properties?.[name] ?? {}, depth + 1);
      }
      return out;
    }
    default:
      throw new Error(`no sample for schema type ${String(type)}`);
  }
}

function paramValue(
  name: string,
  route: RouteRef,
  ids: SampleIds,
  doc: OpenApiDoc,
  schema: JsonSchema | undefined,
): string {
  const given = typeof ids === 'function' ? ids(name, route, schema) : ids[name];
  if (given !== undefined) return String(given);
  return String(sampleValue(doc, schema ?? { type: 'string' }));
}

/** A tiny multipart body part: the bytes matter less than getting past the permission check. */
const SAMPLE_FILE = Buffer.from('sample upload\n');

/**
 * The minimal valid request for a route. Path parameters come from `ids` (by name, e.g. `id`,
 * `campaignId`), else from their schema; required query parameters likewise; a JSON body is built
 * from the request schema; an upload route gets a small multipart body with one `file` part.
 */
export function sampleRequest(route: RouteRef, doc: OpenApiDoc, ids: SampleIds): SampleRequest {
  const op = operationOf(doc, route);
  const params = op.parameters ?? [];
  let url = route.path;
  for (const p of params.filter((x) => x.in === 'path')) {
    const v = paramValue(p.name, route, ids, doc, p.schema);
    url = url.replace(`{${p.name}}`, encodeURIComponent(v));
  }
  // A parameter the document lists nowhere else (e.g. `{format}` inside a segment).
  url = url.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(paramValue(name, route, ids, doc, undefined)),
  );
  const query: Record<string, string> = {};
  for (const p of params.filter((x) => x.in === 'query' && x.required)) {
    query[p.name] = paramValue(p.name, route, ids, doc, p.schema);
  }
  const out: SampleRequest = { method: route.method.toUpperCase(), url, query };
  const content = op.requestBody?.content;
  if (content) {
    const schema = content['application/json']?.schema ?? Object.values(content)[0]?.schema;
    out.body = schema ? sampleValue(doc, schema) : {};
  } else if (isUploadRoute(doc, route)) {
    out.multipart = {
      fields: {},
      field: 'file',
      filename: 'sample.xlsx',
      contentType: 'application/octet-stream',
      content: SAMPLE_FILE,
    };
  }
  return out;
}

/** The sample as `app.inject` options (JSON body or an encoded multipart body). */
export function injectOptionsOf(
  sample: SampleRequest,
  headers: Record<string, string> = {},
): {
  method: string;
  url: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  payload?: string | Buffer;
} {
  const base = { method: sample.method, url: sample.url, query: sample.query };
  if (sample.multipart) {
    const m = sample.multipart;
    const boundary = `----sample${randomBytes(8).toString('hex')}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(m.fields)) {
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
      );
    }
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${m.field}"; filename="${m.filename}"\r\n` +
          `Content-Type: ${m.contentType}\r\n\r\n`,
      ),
      m.content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    );
    return {
      ...base,
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat(parts),
    };
  }
  if (sample.body !== undefined) {
    return {
      ...base,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(sample.body),
    };
  }
  return { ...base, headers };
}
