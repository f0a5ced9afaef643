import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUser } from '../factories.js';
import { createTestApp, type Agent } from '../harness.js';
import { buildAccessWorld } from '../access/access-world.js';
import {
  injectOptionsOf,
  operationOf,
  routeKey,
  routesOf,
  sampleRequest,
  type OpenApiDoc,
  type RouteRef,
  type SampleRequest,
} from '../access/sample-request.js';
import {
  BAD_JSON_BODIES,
  BAD_PATH_SEGMENTS,
  BAD_VALUES,
  pick,
  seededRandom,
} from './bad-values.js';

/**
 * The bounded fuzz of issue #16, generated from the OpenAPI document so that a new route is covered
 * without anyone remembering to: for every route, every path parameter, query parameter and body
 * field gets hostile values (NUL and control characters, 1 MB strings, deep nesting, wrong types,
 * NaN/negative/huge numbers, invalid dates, malformed escapes), one field at a time on an otherwise
 * valid request; upload routes get malformed multipart bodies. Every answer must be < 500, come
 * back whole, and be a JSON error with a message (or the Open311 error format) when it is an error.
 *
 * Bounded and deterministic: every value in BAD_VALUES.always is tried on every field; of the rest
 * FUZZ_PER_FIELD (default 3) are drawn per field by a generator seeded with FUZZ_SEED (default
 * 20261206). `FUZZ_SEED=$RANDOM FUZZ_PER_FIELD=100 npx vitest run --project int-pglite
 * server/test/fuzz` explores further.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const PER_FIELD = Number(process.env.FUZZ_PER_FIELD ?? 3);

// Fuzzing the sign-in route fails many sign-ins from one address: keep the throttle out of the way.
const t = await createTestApp({ LOGIN_IP_MAX_FAILURES: '1000000' });
const world = await buildAccessWorld(t);
// The fuzzing user: an administrator (every permission, whole city), so requests reach the deepest
// code; not one of the world's users, whose ids the requests use.
const fuzzer = await buildUser(t.database.db, { roles: ['admin'] });
let admin: Agent = await t.login(fuzzer.username);
const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<OpenApiDoc>();

afterAll(() => t.close());

/** Ids that exist, so that requests get past "not found" where they can. */
function idFor(name: string, route: RouteRef): string | number | undefined {
  const p = route.path;
  if (name === 'format') return 'json';
  if (name === 'year') return 2026;
  if (name === 'code') return 'SJ23456789AB';
  if (name === 'id' && p.startsWith('/api/problems/')) return world.otherProblem;
  if (name === 'id' && p.startsWith('/api/units/')) return world.units.b;
  if (name === 'id' && p.startsWith('/api/regions/')) return world.regions.r2;
  if (name === 'id' && p.startsWith('/api/grids/')) return world.grids.y;
  // Users: the world's volunteer, never the fuzzing administrator.
  if (name === 'id' && p.startsWith('/api/users/')) return world.users.volunteer.id;
  if (name === 'unitId') return world.units.b;
  if (name === 'regionId') return world.regions.r2;
  if (name === 'gridId') return world.grids.y;
  return undefined;
}

interface Attempt {
  what: string;
  options: ReturnType<typeof injectOptionsOf>;
}

/** The hostile variants of one route's valid sample request. */
function attempts(route: RouteRef, sample: SampleRequest): Attempt[] {
  const rnd = seededRandom(`${SEED}:${routeKey(route)}`);
  const out: Attempt[] = [];
  const op = operationOf(doc, route);
  const valuesFor = () => [...BAD_VALUES.always, ...pick(rnd, BAD_VALUES.sometimes, PER_FIELD)];

  // Path parameters: each segment replaced by hostile text and by malformed escapes.
  for (const p of (op.parameters ?? []).filter((x) => x.in === 'path')) {
    const good = sample.url;
    const template = route.path;
    const segments = [
      ...valuesFor()
        .filter((v): v is string => typeof v === 'string' && v.length < 10_000)
        .map(encodeSegment),
      ...BAD_PATH_SEGMENTS,
    ];
    for (const seg of segments) {
      // Rebuild the URL from the template, this parameter spoiled, the others as in the sample.
      const url = rebuild(template, good, p.name, seg);
      out.push({
        what: `path ${p.name}=${show(seg)}`,
        options: { ...injectOptionsOf(sample), url },
      });
    }
  }
  // Query parameters, required or not: one at a time.
  for (const p of (op.parameters ?? []).filter((x) => x.in === 'query')) {
    // A real request line is at most 16 KB (Node answers 431 beyond): no longer query values.
    for (const v of valuesFor().filter((x) => typeof x !== 'string' || x.length < 8000)) {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      const query = { ...sample.query, [p.name]: text };
      out.push({
        what: `query ${p.name}=${show(text)}`,
        options: injectOptionsOf({ ...sample, query }),
      });
    }
  }
  // JSON body fields: every declared property, one at a time; then whole-body replacements.
  if (sample.body !== undefined && !sample.multipart) {
    const schema = Object.values(op.requestBody?.content ?? {})[0]?.schema;
    const propSchemas = resolveProps(schema);
    for (const name of Object.keys(propSchemas)) {
      // The 1 MB string only where the 20,000-character one proves nothing: a field that takes
      // text of unbounded or greater length. Below that, the same length check refuses both (and
      // each 1 MB request costs ~70 ms: 600 of them were half the file's time).
      const longest = longestText(propSchemas[name]);
      for (const v of valuesFor().filter(
        (x) => !(x === HUGE_STRING && longest !== undefined && longest <= 20_000),
      )) {
        const body = { ...(sample.body as object), [name]: v };
        out.push({
          what: `body.${name}=${show(v)}`,
          options: injectOptionsOf({ ...sample, body }),
        });
      }
    }
    for (const raw of BAD_JSON_BODIES) {
      const base = injectOptionsOf(sample);
      out.push({ what: `body ${show(raw)}`, options: { ...base, payload: raw } });
    }
  }
  // Uploads: broken multipart bodies, and hostile file names and form fields.
  if (sample.multipart) {
    const base = injectOptionsOf(sample);
    const ct = (b: string) => ({ ...base.headers, 'content-type': b });
    out.push(
      {
        what: 'multipart without boundary',
        options: { ...base, headers: ct('multipart/form-data'), payload: 'xx' },
      },
      {
        what: 'multipart part cut short',
        options: {
          ...base,
          headers: ct('multipart/form-data; boundary=XX'),
          payload:
            '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc',
        },
      },
      {
        what: 'multipart headers never end',
        options: {
          ...base,
          headers: ct('multipart/form-data; boundary=XX'),
          payload: '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nabc',
        },
      },
      {
        what: 'multipart empty',
        options: {
          ...base,
          headers: ct('multipart/form-data; boundary=XX'),
          payload: '--XX--\r\n',
        },
      },
    );
    const m = sample.multipart;
    out.push(
      {
        what: 'file name with NUL',
        options: injectOptionsOf({ ...sample, multipart: { ...m, filename: 'a\u0000.xlsx' } }),
      },
      {
        what: 'empty file',
        options: injectOptionsOf({ ...sample, multipart: { ...m, content: Buffer.alloc(0) } }),
      },
      {
        what: 'random bytes',
        options: injectOptionsOf({ ...sample, multipart: { ...m, content: randomBytes(4096) } }),
      },
      {
        what: 'form field with NUL',
        options: injectOptionsOf({
          ...sample,
          multipart: { ...m, fields: { ...m.fields, note: 'a\u0000b' } },
        }),
      },
    );
  }
  return out;
}

/** A path segment for any text; a lone surrogate (which encodeURIComponent refuses) as raw bytes. */
function encodeSegment(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80';
  }
}

/** The 1 MB value of BAD_VALUES.always. */
const HUGE_STRING = BAD_VALUES.always.find((v) => typeof v === 'string' && v.length >= 1_000_000);

/**
 * The longest text a property's schema accepts: its maxLength, the largest of its branches'
 * (anyOf/oneOf, e.g. nullable), 0 when it takes no text at all, undefined when unbounded.
 */
function longestText(schema: unknown): number | undefined {
  let s = schema as
    | {
        $ref?: string;
        type?: unknown;
        maxLength?: number;
        anyOf?: unknown[];
        oneOf?: unknown[];
        enum?: unknown[];
        format?: string;
      }
    | undefined;
  for (let i = 0; s?.$ref && i < 10; i++) {
    s = doc.components?.schemas?.[s.$ref.replace(/^#\/components\/schemas\//, '')] as typeof s;
  }
  if (!s) return undefined;
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    let most = 0;
    for (const b of branches) {
      const n = longestText(b);
      if (n === undefined) return undefined;
      most = Math.max(most, n);
    }
    return most;
  }
  if (Array.isArray(s.enum)) return Math.max(0, ...s.enum.map((e) => String(e).length));
  const types = Array.isArray(s.type) ? (s.type as unknown[]) : [s.type];
  if (s.type !== undefined && !types.includes('string')) return 0;
  return typeof s.maxLength === 'number' ? s.maxLength : undefined;
}

function resolveProps(schema: unknown): Record<string, unknown> {
  let s = schema as { $ref?: string; properties?: Record<string, unknown> } | undefined;
  for (let i = 0; s?.$ref && i < 10; i++) {
    s = doc.components?.schemas?.[s.$ref.replace(/^#\/components\/schemas\//, '')];
  }
  return s?.properties ?? {};
}

/** The sample URL with one `{name}` segment of the template replaced by `segment`. */
function rebuild(template: string, good: string, name: string, segment: string): string {
  const t = template.split('/');
  const g = good.split('/');
  return t
    .map((part, i) => (part.includes(`{${name}}`) ? part.replace(`{${name}}`, segment) : g[i]))
    .join('/');
}

function show(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  const esc = JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…(${s.length})` : s);
  return esc;
}

/** What an error answer must look like: ours, or the Open311 format on /open311. */
function errorBodyProblem(
  url: string,
  res: { headers: Record<string, unknown>; body: string },
): string | null {
  const header = res.headers['content-type'];
  const type = typeof header === 'string' ? header : '';
  if (url.startsWith('/open311/')) {
    if (type.includes('xml'))
      return /<errors>[\s\S]*<description>/.test(res.body) ? null : 'no Open311 XML error';
    try {
      const list = JSON.parse(res.body) as { code?: unknown; description?: unknown }[];
      return Array.isArray(list) && typeof list[0]?.description === 'string'
        ? null
        : 'no Open311 JSON error';
    } catch {
      return 'Open311 error is not JSON';
    }
  }
  if (!type.includes('application/json')) return `error answered as ${type || 'nothing'}`;
  try {
    const e = (
      JSON.parse(res.body) as {
        error?: { message?: unknown; messageZh?: unknown; messageEn?: unknown };
      }
    ).error;
    if (typeof e?.message !== 'string' || !e.message) return 'error body without a message';
    if (typeof e.messageZh !== 'string' || typeof e.messageEn !== 'string')
      return 'error body not bilingual';
    return null;
  } catch {
    return 'error body is not JSON';
  }
}

const routes = routesOf(doc).filter((r) => routeKey(r) !== 'POST /api/auth/logout');

describe(`fuzz: ${routes.length} routes (seed ${SEED}, ${PER_FIELD} drawn values per field)`, () => {
  for (const route of routes) {
    it(routeKey(route), async () => {
      const sample = sampleRequest(route, doc, idFor);
      const failures: string[] = [];
      const started = Date.now();
      let count = 0;
      for (const a of attempts(route, sample)) {
        count++;
        const headers = { ...a.options.headers, cookie: admin.cookie, 'x-csrf-token': admin.csrf };
        let res;
        try {
          res = await t.app.inject({ ...a.options, headers } as InjectOptions);
        } catch (err) {
          failures.push(`${a.what}: no answer (${(err as Error).message})`);
          continue;
        }
        if (res.statusCode === 401 && res.body.includes('"unauthenticated"')) {
          // A fuzzed request may end the session (e.g. a password change): sign in again.
          admin = await t.login(fuzzer.username);
        }
        if (res.statusCode >= 500) {
          failures.push(`${a.what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        } else if (res.statusCode >= 400) {
          const problem = errorBodyProblem(a.options.url, res);
          if (problem)
            failures.push(`${a.what}: ${res.statusCode} ${problem}: ${res.body.slice(0, 120)}`);
        }
      }
      if (process.env.FUZZ_TIMES) {
        const fs = await import('node:fs');
        fs.appendFileSync(
          process.env.FUZZ_TIMES,
          `${Date.now() - started}\t${count}\t${routeKey(route)}\n`,
        );
      }
      expect(failures, failures.join('\n')).toEqual([]);
    });
  }
});
