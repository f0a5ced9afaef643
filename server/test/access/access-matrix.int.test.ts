import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, permissionsOf, scopeOf, type TRole } from '../../../core/permissions.js';
import { createTestApp, type TestApp } from '../harness.js';
import { ACCESS, knownDefects, type Access } from './access-table.js';
import {
  buildAccessWorld,
  PLACED_CALLERS,
  type AccessWorld,
  type PlacedCaller,
} from './access-world.js';
import {
  injectOptionsOf,
  routeKey,
  routesOf,
  sampleRequest,
  type JsonSchema,
  type OpenApiDoc,
  type RouteRef,
} from './sample-request.js';

// The authorization matrix (issue #16): every route of the OpenAPI document × every role ×
// anonymous, against the table in access-table.ts. One app, one session per role, requests
// through app.inject; ids of records that do not exist unless the route's scope names one of the
// world's (so a write by a role holding the permission changes nothing the other requests use).

type Caller = TRole | PlacedCaller | 'anonymous';
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const CALLERS: readonly Caller[] = ['anonymous', ...ROLES, ...PLACED_CALLERS];
const NO_SUCH_ID = 999_999;

let t: TestApp;
let w: AccessWorld;
let doc: OpenApiDoc;

beforeAll(async () => {
  t = await createTestApp();
  w = await buildAccessWorld(t);
  doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<OpenApiDoc>();
});
afterAll(() => t.close());

/** Path and query values: the world's other-side record for a scoped `{id}`, else none at all. */
function idsFor(entry: Access) {
  return (name: string, _route: RouteRef, schema: JsonSchema | undefined) => {
    if (
      name === 'id' &&
      (entry.access === 'permission' || entry.access === 'roles') &&
      entry.scope
    ) {
      switch (entry.scope) {
        case 'problem':
          return w.otherProblem;
        case 'grid':
          return w.grids.y;
        case 'unit':
          return w.units.b;
        case 'user':
          return w.otherUser;
        case 'assignment':
          return w.otherAssignment;
        case 'indicator':
          return w.otherIndicator;
        case 'assigned':
        case 'campaign':
          break;
      }
    }
    switch (name) {
      case 'format':
        return 'json';
      case 'file':
        return 'none.json';
      case 'year':
        return 2026;
      case 'version':
        return 1;
      case 'standardKey':
        return 'X1';
      case 'code':
        return 'SJ23456789AB';
      case 'token':
        return 'no-such-token';
      default:
        return schema?.type === 'integer' || name === 'id' ? NO_SUCH_ID : undefined;
    }
  };
}

/**
 * A caller's scope in the world: admin, and office and leader at the city, see the whole
 * campaign; the office and leader held at district R1 see R1's subtree only.
 */
const wholeCampaign = (caller: TRole | PlacedCaller) =>
  isPlaced(caller)
    ? false
    : scopeOf({ ...w.users[caller], id: w.users[caller].id, roles: [caller] }).kind === 'all';
const isPlaced = (c: Caller): c is PlacedCaller =>
  (PLACED_CALLERS as readonly string[]).includes(c);
const roleOf = (c: TRole | PlacedCaller): TRole => (isPlaced(c) ? (c.split('@')[0] as TRole) : c);
/** The permissions of a caller: a placed caller's office or leader role held below the city. */
const heldBy = (c: TRole | PlacedCaller) => permissionsOf([roleOf(c)], isPlaced(c));

type Expected = 'allowed' | '401' | '403' | '403/404' | 'same';

function expected(entry: Access, caller: Caller): Expected {
  if (entry.access === 'public') return 'allowed';
  if (entry.access === 'own-key') return 'same';
  if (caller === 'anonymous') return '401';
  if (entry.below === 'refused' && isPlaced(caller)) return '403';
  switch (entry.access) {
    case 'signed-in':
      return 'allowed';
    case 'roles':
      if (!entry.roles.includes(roleOf(caller))) return '403';
      return entry.scope && !wholeCampaign(caller) ? '403/404' : 'allowed';
    case 'permission': {
      const needed = Array.isArray(entry.permission) ? entry.permission : [entry.permission];
      const held = heldBy(caller);
      if (!needed.some((p) => held.has(p))) return '403';
      if (entry.scope && !wholeCampaign(caller)) {
        return entry.scope === 'campaign' ? '403' : '403/404';
      }
      return 'allowed';
    }
  }
}

function meets(status: number, want: Expected, sameAs: number | undefined): boolean {
  if (status >= 500) return false;
  switch (want) {
    case 'allowed':
      return status !== 401 && status !== 403;
    case '401':
      return status === 401;
    case '403':
      return status === 403;
    case '403/404':
      return status === 403 || status === 404;
    case 'same':
      return status === sameAs;
  }
}

describe('authorization matrix', () => {
  it('declares every route of the OpenAPI document, and only those', () => {
    const inDoc = routesOf(doc).map(routeKey);
    const missing = inDoc.filter((k) => !(k in ACCESS));
    const stale = Object.keys(ACCESS).filter((k) => !inDoc.includes(k));
    expect(
      missing,
      `routes without a declared access rule: add them to server/test/access/access-table.ts ` +
        `(public, own-key, signed-in, permission [+ scope] or roles):\n${missing.join('\n')}`,
    ).toEqual([]);
    expect(
      stale,
      `access-table.ts declares routes the app no longer has; remove them:\n${stale.join('\n')}`,
    ).toEqual([]);
  });

  it('answers every route × role × anonymous as declared', async () => {
    const started = Date.now();
    const mismatches: string[] = [];
    const defectsSeen = new Set<string>();
    const known = new Map(knownDefects.map((d) => [`${d.route} ${d.role}`, d]));
    let requests = 0;
    const routes = routesOf(doc).filter((r) => routeKey(r) in ACCESS);
    for (const route of routes) {
      const key = routeKey(route);
      const entry = ACCESS[key]!;
      const sample = sampleRequest(route, doc, idsFor(entry));
      const given: unknown = entry.request?.bodyOf?.(w) ?? entry.request?.body;
      if (given !== undefined) {
        // The table's values over the generated ones (which still supply the other required fields).
        sample.body =
          isObject(given) && isObject(sample.body) ? { ...sample.body, ...given } : given;
      }
      if (entry.request?.fields && sample.multipart) sample.multipart.fields = entry.request.fields;
      const statuses = new Map<Caller, number>();
      const bodies = new Map<Caller, string>();
      for (const caller of CALLERS) {
        let headers: Record<string, string> = {};
        if (caller !== 'anonymous') {
          // Signing out must not end the session the other routes use.
          const agent =
            key === 'POST /api/auth/logout' ? await t.login(w.usernames[caller]) : w.agents[caller];
          headers = { cookie: agent.cookie, 'x-csrf-token': agent.csrf };
        }
        const res = await t.app.inject(injectOptionsOf(sample, headers) as never);
        requests++;
        statuses.set(caller, res.statusCode);
        bodies.set(caller, res.body.slice(0, 160));
      }
      for (const caller of CALLERS) {
        const status = statuses.get(caller)!;
        const want = expected(entry, caller);
        const ok = meets(status, want, statuses.get('anonymous'));
        const defect = known.get(`${key} ${caller}`);
        if (defect) {
          defectsSeen.add(`${key} ${caller}`);
          if (ok || status !== defect.got) {
            mismatches.push(
              `${key} — ${caller}: known defect no longer answers ${defect.got} (got ${status}, ` +
                `expected ${want}); remove it from knownDefects`,
            );
          }
          continue;
        }
        if (!ok) {
          mismatches.push(
            `${key} — ${caller}: got ${status}, expected ${want} (${bodies.get(caller)})`,
          );
        }
      }
    }
    for (const d of knownDefects) {
      if (!defectsSeen.has(`${d.route} ${d.role}`)) {
        mismatches.push(`${d.route} — ${d.role}: known defect for a route or role not in the run`);
      }
    }
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `access matrix: ${routes.length} routes × ${CALLERS.length} callers = ${requests} requests ` +
        `in ${seconds.toFixed(1)} s (${process.env.TEST_DB}); ${knownDefects.length} known defects`,
    );
    expect(mismatches, mismatches.join('\n')).toEqual([]);
    expect(requests).toBeGreaterThan(2000);
    // ~28 s alone on PGlite; beside the other tiers on a busy 2-core machine it passed 60 s once.
  }, 240_000);
});
