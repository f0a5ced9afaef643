import { vi } from 'vitest';
import type { TMeResponse } from '../../core/contracts/auth.js';
import type { TErrorResponse, TRowError } from '../../core/contracts/common.js';
import type { TCampaign } from '../../core/contracts/frameworks.js';
import type { TRegion, TUnit } from '../../core/contracts/org.js';
import type {
  TCategory,
  TProblem,
  TProblemDetail,
  TVerificationItem,
} from '../../core/contracts/problems.js';
import type { TProjection } from '../../core/contracts/scoring.js';
import type { TResults, TRound, TSurvey, TTrend } from '../../core/contracts/surveys.js';

/**
 * A stand-in for the server in component tests: a route table of handlers, keyed by
 * `METHOD /path` (`:name` matches one path segment), installed as the global fetch that
 * web/shared/api.ts calls. Every request is recorded so a test can check what a page sent; a
 * request no route answers fails the test (web/test/setup.ts), naming the request.
 */

/** One request as the page sent it. */
export interface MockRequest {
  method: string;
  /** The path without the query: `/api/problems`. */
  path: string;
  /** The query string's values (the last one of a repeated name). */
  query: Record<string, string>;
  /** `:name` segments of the route key. */
  params: Record<string, string>;
  /** The JSON body parsed, a FormData as sent, or undefined. */
  body: unknown;
  headers: Record<string, string>;
  /** Path and query, as passed to fetch. */
  url: string;
}

/** An answer other than 200 with JSON: a status and an optional body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}

/** Answers with this status (and body, JSON). */
export const reply = (status: number, body?: unknown) => new Reply(status, body);

/** Answers with the server's error body (platform/http.ts), in both languages. */
export function apiError(
  status: number,
  code: string,
  message: { zh: string; en: string },
  extra: { fields?: { path: string; message: string }[]; rows?: TRowError[] } = {},
): Reply {
  const body: TErrorResponse = {
    error: { code, message: message.zh, messageZh: message.zh, messageEn: message.en, ...extra },
  };
  return new Reply(status, body);
}

/** A keyset page (`zPage` in core/contracts/common.ts). */
export interface TPage<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

/** Answers of the routes tests mock most, typed from core/contracts: a handler must return one. */
export interface ApiResponses {
  'GET /api/auth/me': TMeResponse;
  'POST /api/auth/login': TMeResponse;
  'GET /api/regions': { items: TRegion[] };
  'GET /api/units': { items: TUnit[] };
  'GET /api/problem-categories': { items: TCategory[] };
  'GET /api/problems': TPage<TProblem>;
  'POST /api/problems': TProblemDetail;
  'GET /api/problems/verification-queue': TPage<TVerificationItem>;
  'GET /api/campaigns': { items: TCampaign[] };
  'GET /api/scoring/projection': TProjection;
  'GET /api/surveys': TSurvey[];
  'GET /api/surveys/:id/rounds': TRound[];
  'GET /api/surveys/:id/trend': TTrend;
  'GET /api/survey-rounds/:id/results': TResults;
}

type Answer<T> = T | Reply | Promise<T | Reply>;
/** A fixed answer (a body, or a Reply), or a function of the request that returns one. */
export type Handler<T = unknown> = T | Reply | ((req: MockRequest) => Answer<T>);

export type Routes = { [K in keyof ApiResponses]?: Handler<ApiResponses[K]> } & {
  [key: string]: Handler;
};

export interface ApiMock {
  /** Every request in the order sent, answered or not. */
  readonly calls: MockRequest[];
  /** Adds routes or replaces the handler of a key. */
  on(routes: Routes): void;
  /** The requests that matched this route key (`POST /api/problems`, `GET /api/problems/:id`). */
  callsTo(key: string): MockRequest[];
  /** The body of the last request to this route key; fails when there was none. */
  lastBody(key: string): unknown;
  /** The requests no route answered (the test fails on any; see setup.ts). */
  readonly unmocked: string[];
}

interface Compiled {
  key: string;
  method: string;
  pattern: RegExp;
  names: string[];
  literal: boolean;
}

function compile(key: string): Compiled {
  const m = /^([A-Z]+) (\/\S*)$/.exec(key);
  if (!m) throw new Error(`mockApi: a route key is "METHOD /path", got "${key}"`);
  const names: string[] = [];
  const source = m[2]!
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    key,
    method: m[1]!,
    pattern: new RegExp(`^${source}$`),
    names,
    literal: names.length === 0,
  };
}

function parseBody(body: BodyInit | null | undefined): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return body;
    }
  }
  return body;
}

function toResponse(answer: unknown): Response {
  const r = answer instanceof Reply ? answer : new Reply(200, answer);
  if (r.status === 204 || r.body === undefined) return new Response(null, { status: r.status });
  return new Response(JSON.stringify(r.body), {
    status: r.status,
    headers: { 'content-type': 'application/json' },
  });
}

let current: ApiMock | null = null;

/** The mock installed in this test, if any (setup.ts checks it after each test). */
export function currentApiMock(): ApiMock | null {
  return current;
}

export function resetApiMock(): void {
  current = null;
}

/** Installs the route table as the global fetch for this test. */
export function mockApi(routes: Routes = {}): ApiMock {
  const table = new Map<string, { compiled: Compiled; handler: Handler }>();
  const calls: MockRequest[] = [];
  const matched = new Map<string, MockRequest[]>();
  const unmocked: string[] = [];

  const on = (more: Routes) => {
    for (const [key, handler] of Object.entries(more)) {
      table.set(key, { compiled: compile(key), handler });
    }
  };
  on(routes);

  const find = (method: string, path: string) => {
    const candidates = [...table.values()].filter(
      (r) => r.compiled.method === method && r.compiled.pattern.test(path),
    );
    // A literal path wins over a pattern: `/api/problems/verification-queue` over `/api/problems/:id`.
    return candidates.find((c) => c.compiled.literal) ?? candidates[0];
  };

  const fetchMock = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw, 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    const req: MockRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      params: {},
      body: parseBody(init.body),
      headers,
      url: `${url.pathname}${url.search}`,
    };
    calls.push(req);
    const route = find(method, url.pathname);
    if (!route) {
      const what = `${method} ${req.url}`;
      unmocked.push(what);
      throw new Error(`mockApi: no route for ${what}`);
    }
    const m = route.compiled.pattern.exec(url.pathname)!;
    route.compiled.names.forEach((n, i) => (req.params[n] = decodeURIComponent(m[i + 1]!)));
    const list = matched.get(route.compiled.key) ?? [];
    list.push(req);
    matched.set(route.compiled.key, list);
    const h = route.handler;
    const answer: unknown =
      typeof h === 'function' ? await (h as (r: MockRequest) => unknown)(req) : h;
    return toResponse(answer);
  };

  vi.stubGlobal('fetch', vi.fn(fetchMock));
  const mock: ApiMock = {
    calls,
    unmocked,
    on,
    callsTo: (key) => matched.get(key) ?? [],
    lastBody: (key) => {
      const list = matched.get(key);
      if (!list?.length) throw new Error(`mockApi: no request was sent to ${key}`);
      return list[list.length - 1]!.body;
    },
  };
  current = mock;
  return mock;
}
