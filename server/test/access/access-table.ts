import { monthOf } from '../../../core/good-people/months.js';
import { Permission as P, type TRole } from '../../../core/permissions.js';
import { DEFAULT_NATIONAL_LAYOUT } from '../../../core/volunteers/national-layout.js';

/**
 * Who may call each route: declared ONCE per route (method and OpenAPI path) and checked for every
 * role and for an anonymous caller by access-matrix.int.test.ts. A route in the OpenAPI document
 * that is missing here fails that test: declare it.
 *
 * - `public`: no session needed; no caller gets 401/403 from the session layer.
 * - `own-key`: a credential of its own — an Open311 api_key (outside /api), a signed link's signature:
 *   the session plays no part; every caller gets the same answer.
 * - `signed-in`: anonymous → 401; every role → not 401/403.
 * - `permission`: anonymous → 401; a role lacking the permission (any one of a list) → 403, always
 *   (never 400/404/409: the permission is checked before the body, the record or its version);
 *   a role holding it → not 401/403, except as `scope` says.
 * - `roles`: like `permission` for routes gated by more than a permission (one's own unit, one's
 *   own volunteer entry); `note` says what.
 *
 * Callers: anonymous, one user per role (office and leader at the city), and `office@R1` and
 * `leader@R1` — an office and a leader held at district R1 (区创建办): they hold only the
 * permissions core/permissions.ts keeps below the city, and their scope is R1's subtree.
 *
 * `scope` (for holders whose scope is not the whole campaign — unit, inspector, grid worker,
 * surveyor, office@R1, leader@R1; admin, office and leader at the city see everything):
 * - `problem`, `grid`, `unit`, `user`, `assignment`, `indicator`: the `{id}` is a record of the
 *   OTHER side of the matrix's world (a problem in district R2 dispatched to unit B, grid Y, unit B,
 *   a user of unit B, unit B's assignment and indicator); a restricted holder gets 403 or 404 (404
 *   where the module hides that the record exists).
 * - `assigned`: the record must name the caller (an inspection round's inspectors): 403 or 404.
 * - `campaign`: a whole-campaign view: restricted holders get 403.
 *
 * `request` supplies what the OpenAPI schema cannot say (cross-field rules, values that must exist
 * in the world): a body (`bodyOf` when it needs the world) or multipart form fields; everything
 * else comes from sample-request.ts.
 */
export type ScopeKind =
  | 'problem'
  | 'grid'
  | 'unit'
  | 'user'
  | 'assignment'
  | 'indicator'
  | 'assigned'
  | 'campaign';

/** What the matrix's world offers to request bodies (see access-world.ts). */
export interface WorldRefs {
  usernames: Record<TRole | 'office@R1' | 'leader@R1', string>;
  password: string;
  regions: { city: number; r1: number; r2: number };
  gridCode: string;
  /** Grid X in R1 (the grid worker is its member) and grid Y in R2. */
  grids: { x: number; y: number };
}

export interface RequestOverrides {
  /** Merged over the generated body (or replacing it when either is not an object). */
  body?: unknown;
  /** Form fields of an upload sent before the file. */
  fields?: Record<string, string>;
}

interface Common {
  note?: string;
  /**
   * `refused`: a city-level view that an office or leader held at a district or street (the
   * matrix's `office@R1`, `leader@R1`) is refused with 403 although its role is listed.
   */
  below?: 'refused';
  request?: RequestOverrides & { bodyOf?: (w: WorldRefs) => unknown };
}

export type Access = Common &
  (
    | { access: 'public' }
    | { access: 'own-key' }
    | { access: 'signed-in' }
    | { access: 'permission'; permission: P | P[]; scope?: ScopeKind }
    | { access: 'roles'; roles: TRole[]; note: string; scope?: ScopeKind }
  );

const QUESTIONNAIRE = {
  group: 'A',
  groupLabel: '矩阵',
  title: '矩阵问卷',
  questions: [{ id: 'q1', kind: 'text', text: '您的意见' }],
};
const QUESTIONNAIRE_FILE = { format: 'chuangcheng.questionnaire/1', ...QUESTIONNAIRE };

/** 文明细胞申报: the assessing offices' working record (scores, vetoes, objections). */
const ASSESSORS =
  'unit.read, held by an office, a leader or an admin (a unit user reads the directory, not the assessment); a district office its own calls';

export const ACCESS: Record<string, Access> = {
  'GET /api/settings/public': { access: 'public' },
  'GET /api/map/base': { access: 'public', note: 'names and thinned outlines only' },
  'GET /api/map/grids': { access: 'permission', permission: P.GridRead },
  'GET /api/settings/map': { access: 'permission', permission: P.RegionRead },
  'PUT /api/settings/map': {
    access: 'permission',
    permission: P.RegionWrite,
    request: { body: { provider: { kind: 'osm' }, version: 0 } },
  },
  'GET /api/health': { access: 'public' },
  'POST /api/auth/logout': {
    access: 'signed-in',
    note: 'the matrix signs out a session of its own',
  },
  'POST /api/auth/login': {
    access: 'public',
    request: { bodyOf: (w) => ({ username: w.usernames.volunteer, password: w.password }) },
  },
  'GET /api/auth/me': { access: 'signed-in' },
  'POST /api/auth/password': {
    access: 'signed-in',
    note: 'a wrong current password is a 400, never a 403',
  },
  'GET /api/regions': { access: 'permission', permission: P.RegionRead },
  'POST /api/regions': { access: 'permission', permission: P.RegionWrite },
  'GET /api/regions/{id}': { access: 'permission', permission: P.RegionRead },
  'PATCH /api/regions/{id}': { access: 'permission', permission: P.RegionWrite },
  'DELETE /api/regions/{id}': { access: 'permission', permission: P.RegionWrite },
  'GET /api/regions/boundaries.geojson': { access: 'permission', permission: P.RegionRead },
  'POST /api/regions/boundaries/import': { access: 'permission', permission: P.RegionWrite },
  'PUT /api/regions/{id}/boundary': {
    access: 'permission',
    permission: P.RegionWrite,
    request: {
      body: {
        version: 1,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [122, 30],
              [122.01, 30],
              [122.01, 30.01],
              [122, 30],
            ],
          ],
        },
      },
    },
  },
  'DELETE /api/regions/{id}/boundary': { access: 'permission', permission: P.RegionWrite },
  'GET /api/units': { access: 'permission', permission: P.UnitRead },
  // A district office creates units in its subtree (R1): the matrix's body is placed there.
  'POST /api/units': {
    access: 'permission',
    permission: P.UnitWrite,
    request: { bodyOf: (w) => ({ regionId: w.regions.r1 }) },
  },
  'GET /api/units/export.xlsx': { access: 'permission', permission: P.UnitRead },
  'POST /api/units/import': { access: 'permission', permission: P.UnitImport },
  'GET /api/units/{id}': { access: 'permission', permission: P.UnitRead },
  'PATCH /api/units/{id}': { access: 'permission', permission: P.UnitWrite, scope: 'unit' },
  'DELETE /api/units/{id}': { access: 'permission', permission: P.UnitWrite, scope: 'unit' },
  'GET /api/users': { access: 'permission', permission: P.UserRead },
  'POST /api/users': {
    access: 'permission',
    permission: P.UserWrite,
    // An inspector of R1: a user a district office of R1 may create too (org-levels.int.test.ts
    // covers the refusals: another district, admin, a city-level office).
    request: {
      bodyOf: (w) => ({
        username: 'matrixuser',
        name: '矩阵用户',
        roles: ['inspector'],
        regionId: w.regions.r1,
        unitId: null,
        password: 'Matrix@2026pw',
      }),
    },
  },
  'GET /api/users/export.xlsx': { access: 'permission', permission: P.UserRead },
  'POST /api/users/import': { access: 'permission', permission: P.UserImport },
  'GET /api/users/{id}': { access: 'permission', permission: P.UserRead, scope: 'user' },
  'PATCH /api/users/{id}': { access: 'permission', permission: P.UserWrite, scope: 'user' },
  'POST /api/users/{id}/reset-password': {
    access: 'permission',
    permission: P.UserWrite,
    scope: 'user',
    request: { body: { password: 'Matrix@2026pw', version: 1 } },
  },
  'GET /api/audit': { access: 'permission', permission: P.AuditRead },
  'GET /api/audit/verify': { access: 'permission', permission: P.AuditRead },
  'GET /api/problems/export.xlsx': { access: 'permission', permission: P.ProblemRead },
  'GET /api/problems/kpis': { access: 'permission', permission: P.ProblemRead },
  'POST /api/problems/bulk-dispatch': { access: 'permission', permission: P.ProblemManage },
  'GET /api/problem-categories': { access: 'permission', permission: P.ProblemRead },
  'GET /api/problems': { access: 'permission', permission: P.ProblemRead },
  'POST /api/problems': { access: 'permission', permission: P.ProblemReport },
  'GET /api/problems/{id}': { access: 'permission', permission: P.ProblemRead, scope: 'problem' },
  'POST /api/problems/{id}/actions': {
    access: 'permission',
    permission: P.ProblemManage,
    scope: 'problem',
    note: 'the sample action is register (the office’s step)',
  },
  'POST /api/problems/{id}/place': {
    access: 'permission',
    permission: P.ProblemManage,
    scope: 'problem',
    note: 'the sample problem has its region: 409 already_placed for those who may see it',
    request: { bodyOf: (w) => ({ version: 1, regionId: w.regions.r1 }) },
  },
  'POST /api/problems/{id}/hand-down': {
    access: 'permission',
    permission: P.ProblemManage,
    scope: 'problem',
  },
  'POST /api/problems/{id}/merge': {
    access: 'permission',
    permission: P.ProblemManage,
    scope: 'problem',
  },
  'GET /api/problems/{id}/merges': {
    access: 'permission',
    permission: P.ProblemRead,
    scope: 'problem',
  },
  'GET /api/problems/{id}/similar': {
    access: 'permission',
    permission: P.ProblemRead,
    scope: 'problem',
  },
  'GET /api/problems/verification-queue': { access: 'permission', permission: P.ProblemVerify },
  'GET /api/calendar/{year}': { access: 'permission', permission: P.ProblemRead },
  'PUT /api/calendar/{year}': { access: 'permission', permission: P.CalendarWrite },
  'POST /api/problems/import-hotline': { access: 'permission', permission: P.IntegrationManage },
  'POST /api/intake/hotline': {
    access: 'public',
    note: 'the 12345 hotline push: its own shared token; 404 until configured',
  },
  'POST /api/files': {
    access: 'permission',
    permission: [P.ProblemReport, P.ServiceOrderTake],
    note: 'reporters and units; volunteers for a service order’s photos',
  },
  'GET /api/files/{id}': {
    access: 'signed-in',
    note: 'then the rules of the record the file belongs to (files module); an unknown id is a 404',
  },
  'GET /api/files/{id}/thumb': { access: 'signed-in', note: 'as GET /api/files/{id}' },
  'GET /api/public/files/{id}': {
    access: 'own-key',
    note: 'a signed, expiring link (files/file-links.ts) is the credential: 403 without a good one',
  },
  'GET /api/public/files/{id}/thumb': {
    access: 'own-key',
    note: 'as GET /api/public/files/{id}',
  },
  'GET /api/pushback': { access: 'permission', permission: P.IntegrationManage },
  'GET /api/pushback/export.xlsx': { access: 'permission', permission: P.IntegrationManage },
  'POST /api/pushback/{id}/retry': { access: 'permission', permission: P.IntegrationManage },
  'GET /api/problems/{id}/pushback': {
    access: 'permission',
    permission: P.ProblemManage,
    scope: 'problem',
  },
  'GET /api/public/setup': { access: 'public' },
  'POST /api/public/reports': { access: 'public' },
  'GET /api/public/track/{code}': {
    access: 'public',
    note: 'the 50-bit tracking code is the credential',
  },
  'POST /api/public/track/{code}/rating': {
    access: 'public',
    note: 'the tracking code is the credential; rate-limited per address',
  },
  'POST /api/public/track/{code}/reopen': {
    access: 'public',
    note: 'the tracking code is the credential; rate-limited per address',
  },
  'GET /api/public/track/{code}/photos/{fileId}': {
    access: 'public',
    note: 'the tracking code is the credential',
  },
  'GET /api/public/track/{code}/photos/{fileId}/thumb': {
    access: 'public',
    note: 'the tracking code is the credential',
  },
  'GET /api/public/exposure/{id}/photos/{fileId}': {
    access: 'public',
    note: 'published exposure entries only',
  },
  'GET /api/public/exposure/{id}/photos/{fileId}/thumb': {
    access: 'public',
    note: 'published exposure entries only',
  },
  'GET /api/public/exposure': { access: 'public' },
  'GET /api/sms-log': { access: 'permission', permission: P.IntegrationManage },
  'PUT /api/problems/{id}/exposure': { access: 'permission', permission: P.ExposureManage },
  'GET /api/problems/{id}/exposure': { access: 'permission', permission: P.ExposureManage },
  'DELETE /api/problems/{id}/exposure': { access: 'permission', permission: P.ExposureManage },
  'GET /api/settings/jurisdiction': { access: 'signed-in' },
  'PUT /api/settings/jurisdiction': {
    access: 'permission',
    permission: P.RegionWrite,
    request: {
      body: {
        name: '辖区',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [120, 30],
              [120.1, 30],
              [120.1, 30.1],
              [120, 30],
            ],
          ],
        },
      },
    },
  },
  'GET /open311/v2/discovery.{format}': {
    access: 'own-key',
    note: 'Open311 GeoReport v2: outside /api, no session; reads and writes by api_key',
  },
  'GET /open311/v2/services.{format}': { access: 'own-key', note: 'Open311' },
  'GET /open311/v2/services/{file}': { access: 'own-key', note: 'Open311' },
  'GET /open311/v2/requests.{format}': {
    access: 'own-key',
    note: 'Open311: the citizen-report policy is decided in the citizen module',
  },
  'POST /open311/v2/requests.{format}': {
    access: 'own-key',
    note: 'Open311: filing needs an api_key',
  },
  'GET /open311/v2/requests/{file}': { access: 'own-key', note: 'Open311' },
  'GET /api/open311/clients': { access: 'permission', permission: P.IntegrationManage },
  'POST /api/open311/clients': { access: 'permission', permission: P.IntegrationManage },
  'PUT /api/open311/clients/{id}/callback': {
    access: 'permission',
    permission: P.IntegrationManage,
    request: { body: { callbackUrl: 'https://gateway.example.org/cb', newSecret: false } },
  },
  'POST /api/open311/clients/{id}/revoke': {
    access: 'permission',
    permission: P.IntegrationManage,
  },
  'GET /api/frontage-duties': { access: 'permission', permission: P.UnitRead },
  'POST /api/frontage-duties': {
    access: 'permission',
    permission: P.UnitWrite,
    request: {
      bodyOf: (w) => ({
        code: 'MX-1',
        holderName: '矩阵商户',
        holderType: 'shop',
        regionId: w.regions.r1,
        zone: '120.001,30.001;120.002,30.002',
      }),
    },
  },
  'GET /api/frontage-duties/export.xlsx': { access: 'permission', permission: P.UnitRead },
  'POST /api/frontage-duties/import': { access: 'permission', permission: P.UnitWrite },
  'GET /api/frontage-duties/{id}': { access: 'permission', permission: P.UnitRead },
  'PATCH /api/frontage-duties/{id}': { access: 'permission', permission: P.UnitWrite },
  'GET /api/frontage-duties/{id}/problems': {
    access: 'permission',
    permission: P.ProblemRead,
    note: 'problems in the zone, within the reader’s problem scope',
  },
  'GET /api/problems/{id}/frontage-duties': {
    access: 'permission',
    permission: P.ProblemRead,
    scope: 'problem',
  },
  'GET /api/ad-carriers': { access: 'permission', permission: P.AdCarrierRead },
  'POST /api/ad-carriers': {
    access: 'permission',
    permission: P.AdCarrierWrite,
    request: {
      // A position outside the world's grids and boundaries: a district office's carrier is then
      // placed in its own region.
      bodyOf: () => ({
        kind: 'board',
        widthCm: 120,
        heightCm: 80,
        lat: 45,
        lng: 125,
        theme: 'integrity',
      }),
    },
  },
  'GET /api/ad-carriers/export.xlsx': { access: 'permission', permission: P.AdCarrierRead },
  'POST /api/ad-carriers/import': { access: 'permission', permission: P.AdCarrierWrite },
  'GET /api/ad-carriers/map': { access: 'permission', permission: P.AdCarrierRead },
  'GET /api/ad-carriers/coverage': { access: 'permission', permission: P.AdCarrierRead },
  'GET /api/ad-carriers/dashboard': { access: 'permission', permission: P.AdCarrierRead },
  'GET /api/ad-carriers/{id}': { access: 'permission', permission: P.AdCarrierRead },
  'PATCH /api/ad-carriers/{id}': { access: 'permission', permission: P.AdCarrierWrite },
  'POST /api/ad-carriers/{id}/problem': {
    access: 'permission',
    permission: P.ProblemManage,
    note: 'also needs adcarrier.read, which every problem.manage holder has',
  },
  'PUT /api/ad-carriers/point-measures/{pointId}': {
    access: 'permission',
    permission: P.AdCarrierWrite,
  },
  'GET /api/ad-carrier-rules': { access: 'permission', permission: P.AdCarrierRead },
  'PUT /api/ad-carrier-rules': {
    access: 'permission',
    permission: P.InspectionManage,
    below: 'refused',
  },
  'DELETE /api/ad-carrier-rules/{id}': {
    access: 'permission',
    permission: P.InspectionManage,
    below: 'refused',
  },
  'GET /api/ad-campaigns': { access: 'permission', permission: P.AdCarrierRead },
  'POST /api/ad-campaigns': { access: 'permission', permission: P.InspectionManage },
  'GET /api/ad-campaigns/{id}': { access: 'permission', permission: P.AdCarrierRead },
  'POST /api/ad-campaigns/{id}/carriers/{carrierId}/done': {
    access: 'permission',
    permission: P.AdCarrierWrite,
  },
  'GET /api/honours': { access: 'permission', permission: P.UnitRead },
  'POST /api/honours': {
    access: 'permission',
    permission: P.UnitWrite,
    request: {
      bodyOf: (w) => ({
        cellType: 'community',
        holderName: '矩阵社区',
        level: 'city',
        yearConferred: 2025,
        regionId: w.regions.r1,
        officeRegionId: w.regions.r1,
      }),
    },
  },
  'GET /api/honours/export.xlsx': { access: 'permission', permission: P.UnitRead },
  'POST /api/honours/import': { access: 'permission', permission: P.UnitWrite },
  'GET /api/honours/{id}': { access: 'permission', permission: P.UnitRead },
  'GET /api/honours/map': { access: 'permission', permission: P.UnitRead },
  'GET /api/honours/{id}/history': {
    access: 'permission',
    permission: P.UnitRead,
    note: 'read like the holder: another district’s is 404 (honours tests)',
  },
  'PATCH /api/honours/{id}': { access: 'permission', permission: P.UnitWrite },
  'GET /api/honours/{id}/management': {
    access: 'permission',
    permission: P.UnitRead,
    note: 'problems at the premises only with problem.read, within its scope',
  },
  'GET /api/cell-check-lists': { access: 'permission', permission: P.UnitRead },
  'POST /api/cell-check-lists': {
    access: 'permission',
    permission: P.UnitWrite,
    below: 'refused',
    request: {
      body: {
        cellType: 'unit',
        name: '矩阵检查',
        frequency: 'quarterly',
        standards: [{ code: '1', text: '矩阵标准', points: 5 }],
      },
    },
  },
  'PATCH /api/cell-check-lists/{id}': {
    access: 'permission',
    permission: P.UnitWrite,
    below: 'refused',
  },
  'GET /api/cell-negative-lists': { access: 'permission', permission: P.UnitRead },
  'POST /api/cell-negative-lists': {
    access: 'permission',
    permission: P.UnitWrite,
    below: 'refused',
    request: {
      body: {
        cellType: 'unit',
        name: '矩阵负面清单',
        items: [{ code: '1', text: '矩阵情形', points: 2 }],
      },
    },
  },
  'PATCH /api/cell-negative-lists/{id}': {
    access: 'permission',
    permission: P.UnitWrite,
    below: 'refused',
  },
  'GET /api/cell-checks': { access: 'permission', permission: P.UnitRead },
  'POST /api/cell-checks': { access: 'permission', permission: P.UnitWrite },
  'POST /api/cell-hits': { access: 'permission', permission: P.UnitWrite },
  'GET /api/cell-reviews': { access: 'permission', permission: P.UnitRead },
  'POST /api/cell-reviews': { access: 'permission', permission: P.UnitWrite },
  'GET /api/cell-reviews/{id}': { access: 'permission', permission: P.UnitRead },
  'PATCH /api/cell-reviews/{id}': { access: 'permission', permission: P.UnitWrite },
  'PUT /api/cell-reviews/{id}/holders/{honourId}/report': {
    access: 'roles',
    roles: ['admin', 'office', 'unit'],
    note: 'the office running the review, or a unit user for its own title; others 403 before the lookup',
  },
  'PUT /api/cell-reviews/{id}/holders/{honourId}/outcome': {
    access: 'permission',
    permission: P.UnitWrite,
  },
  'POST /api/cell-reviews/{id}/close': { access: 'permission', permission: P.UnitWrite },
  'GET /api/cell-reviews/{id}/bulletin': { access: 'permission', permission: P.UnitRead },
  'GET /api/cell-reviews/{id}/bulletin.xlsx': { access: 'permission', permission: P.UnitRead },
  'GET /api/cell-award-calls': {
    access: 'roles',
    roles: ['admin', 'office', 'leader'],
    note: ASSESSORS,
  },
  'POST /api/cell-award-calls': {
    access: 'permission',
    permission: P.UnitWrite,
    request: { body: { applicationDeadline: '2026-12-31' } },
  },
  'GET /api/cell-award-calls/{id}': {
    access: 'roles',
    roles: ['admin', 'office', 'leader'],
    note: ASSESSORS,
  },
  'PATCH /api/cell-award-calls/{id}': { access: 'permission', permission: P.UnitWrite },
  'POST /api/cell-award-calls/{id}/status': { access: 'permission', permission: P.UnitWrite },
  'POST /api/cell-award-calls/{id}/publicity': {
    access: 'permission',
    permission: P.UnitWrite,
    request: { body: { startDate: '2026-01-05' } },
  },
  'GET /api/cell-award-calls/{id}/applications': {
    access: 'roles',
    roles: ['admin', 'office', 'leader'],
    note: ASSESSORS,
  },
  'POST /api/cell-award-calls/{id}/applications': {
    access: 'permission',
    permission: P.UnitWrite,
  },
  'GET /api/cell-award-applications/{id}': {
    access: 'roles',
    roles: ['admin', 'office', 'leader'],
    note: ASSESSORS,
  },
  'PUT /api/cell-award-applications/{id}/materials/{standardKey}': {
    access: 'permission',
    permission: P.UnitWrite,
  },
  'POST /api/cell-award-applications/{id}/materials/{standardKey}/files': {
    access: 'permission',
    permission: P.UnitWrite,
  },
  'PUT /api/cell-award-applications/{id}/assessment': {
    access: 'permission',
    permission: P.UnitWrite,
  },
  'POST /api/cell-award-applications/{id}/objections': {
    access: 'permission',
    permission: P.UnitWrite,
    request: { body: { receivedOn: '2026-01-05' } },
  },
  'PATCH /api/cell-award-applications/{id}/objections/{objectionId}': {
    access: 'permission',
    permission: P.UnitWrite,
  },
  'POST /api/cell-award-applications/{id}/decision': {
    access: 'permission',
    permission: P.UnitWrite,
  },
  // 十星级文明户: the stars are the city's; households and ratings by grid membership or subtree.
  'GET /api/star-households/criteria': { access: 'permission', permission: P.StarRead },
  'POST /api/star-households/criteria': {
    access: 'permission',
    permission: P.StarReview,
    below: 'refused',
    request: { body: { code: 'matrix_star', name: '矩阵星', nameEn: 'Matrix star' } },
  },
  'PATCH /api/star-households/criteria/{id}': {
    access: 'permission',
    permission: P.StarReview,
    below: 'refused',
  },
  'GET /api/star-households': { access: 'permission', permission: P.StarRead },
  // Grid X: the grid worker's own grid, in R1 (the district office's subtree).
  'POST /api/star-households': {
    access: 'permission',
    permission: P.StarPropose,
    request: {
      bodyOf: (w) => ({ gridId: w.grids.x, headName: '矩阵', address: '矩阵路 1 号' }),
    },
  },
  'GET /api/star-households/coverage': { access: 'permission', permission: P.StarRead },
  'GET /api/star-households/{id}': { access: 'permission', permission: P.StarRead },
  'PATCH /api/star-households/{id}': { access: 'permission', permission: P.StarPropose },
  'POST /api/star-households/{id}/ratings': { access: 'permission', permission: P.StarPropose },
  'POST /api/star-ratings/{id}/review': { access: 'permission', permission: P.StarReview },
  'POST /api/star-ratings/{id}/honour': {
    access: 'permission',
    permission: P.StarReview,
    note: 'also needs unit.write (the honours registry): every holder of star.review has it',
  },
  'GET /api/public/star-board': {
    access: 'public',
    note: 'approved ratings only: 张**户, the building, the stars',
  },
  'GET /api/public/star-board/communities': { access: 'public' },
  'GET /api/good-people': {
    access: 'permission',
    permission: [P.GoodPersonNominate, P.GoodPersonReview],
    note: 'a reviewer its subtree (the city: all), a nominator its own',
  },
  'POST /api/good-people': {
    access: 'permission',
    permission: P.GoodPersonNominate,
    request: {
      bodyOf: (w) => ({
        month: monthOf(new Date()),
        category: 'helping',
        nomineeName: '矩阵好人',
        deeds: '多年来坚持照顾社区里的孤寡老人，风雨无阻，邻里称赞。',
        regionId: w.regions.r1,
      }),
    },
  },
  'GET /api/good-people/{id}': {
    access: 'permission',
    permission: [P.GoodPersonNominate, P.GoodPersonReview],
  },
  'POST /api/good-people/{id}/status': { access: 'permission', permission: P.GoodPersonReview },
  'POST /api/good-people/{id}/steps': {
    access: 'permission',
    permission: P.GoodPersonReview,
    below: 'refused',
    note: 'the path upward is the city office’s',
  },
  'GET /api/good-people/months/{month}': {
    access: 'permission',
    permission: [P.GoodPersonNominate, P.GoodPersonReview],
  },
  'POST /api/good-people/months/{month}/state': {
    access: 'permission',
    permission: P.GoodPersonReview,
    below: 'refused',
    note: 'the vote and the 好人榜 are the city office’s',
  },
  'GET /api/public/good-people/setup': { access: 'public' },
  'GET /api/public/good-people/board': { access: 'public', note: 'no nominator, no voter' },
  'GET /api/public/good-people/voting': { access: 'public', note: 'counts only' },
  'POST /api/public/good-people/nominations': {
    access: 'public',
    note: 'rate-limited per address and device; honeypot',
  },
  'POST /api/public/good-people/{id}/votes': {
    access: 'public',
    note: 'one a device a nominee a day; rate-limited per address and device',
  },
  'GET /api/public/good-people/{id}/photo': {
    access: 'public',
    note: 'only a shortlisted (voting) or honoured (published) nominee’s',
  },
  'GET /api/public/good-people/{id}/photo/thumb': {
    access: 'public',
    note: 'only a shortlisted (voting) or honoured (published) nominee’s',
  },
  // 点单派单: menus and dispatch by the office over its level's stations; volunteers take.
  'GET /api/service-items': {
    access: 'permission',
    permission: [P.ServiceOrderRead, P.ServiceMenuWrite, P.ServiceOrderRequest],
    note: 'a level’s stations’ menus (the office); what is offered now (a grid worker)',
  },
  'POST /api/service-items': { access: 'permission', permission: P.ServiceMenuWrite },
  'PATCH /api/service-items/{id}': { access: 'permission', permission: P.ServiceMenuWrite },
  'GET /api/service-orders': {
    access: 'permission',
    permission: [P.ServiceOrderRead, P.ServiceOrderRequest],
    note: 'a level’s stations’ orders (the city: all); a grid worker’s own',
  },
  'POST /api/service-orders': {
    access: 'permission',
    permission: P.ServiceOrderRequest,
    request: { body: { contactPhone: '13900000000' } },
  },
  'GET /api/service-orders/tasks': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'serviceorder.take and one’s own registry entry: the office and admins hold the permission but have no entry (403 not_a_volunteer)',
  },
  'GET /api/service-orders/{id}': {
    access: 'permission',
    permission: [P.ServiceOrderRead, P.ServiceOrderRequest, P.ServiceOrderTake],
    note: 'a level’s stations’, one’s own, one’s team’s open or taken orders; else 404',
  },
  'POST /api/service-orders/{id}/contact': {
    access: 'permission',
    permission: [P.ServiceOrderDispatch, P.ServiceOrderTake],
    note: 'the station, or a taker while serving; audited',
  },
  'POST /api/service-orders/{id}/dispatch': {
    access: 'permission',
    permission: P.ServiceOrderDispatch,
  },
  'POST /api/service-orders/{id}/decline': {
    access: 'permission',
    permission: P.ServiceOrderDispatch,
  },
  'POST /api/service-orders/{id}/confirm': {
    access: 'permission',
    permission: P.ServiceOrderDispatch,
  },
  'POST /api/service-orders/{id}/take': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'as GET /api/service-orders/tasks',
  },
  'POST /api/service-orders/{id}/release': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'as GET /api/service-orders/tasks',
  },
  'POST /api/service-orders/{id}/check-in': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'as GET /api/service-orders/tasks',
  },
  'POST /api/service-orders/{id}/done': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'as GET /api/service-orders/tasks',
  },
  'GET /api/service-records': { access: 'permission', permission: P.ServiceOrderRead },
  'GET /api/public/service-menu': { access: 'public', note: 'stations and active items only' },
  'POST /api/public/service-orders': {
    access: 'public',
    note: 'rate-limited per address and device; honeypot',
  },
  'GET /api/public/service-orders/{code}': {
    access: 'public',
    note: 'the tracking code is the credential; masked contact; lookups rate-limited',
  },
  'POST /api/public/service-orders/{code}/confirm': {
    access: 'public',
    note: 'the tracking code is the credential; only a done order',
  },
  'POST /api/public/service-orders/{code}/cancel': {
    access: 'public',
    note: 'the tracking code is the credential; only before anyone is on site',
  },
  // ----- 文明积分 (the city's: held at the city only) -----
  'GET /api/credits/rules': { access: 'permission', permission: P.CreditRead },
  'PUT /api/credits/rules': {
    access: 'permission',
    permission: P.CreditManage,
    note: 'a stale version: 409 for every holder, the rules never change here',
    request: { body: { version: 999 } },
  },
  'GET /api/credits/accounts': { access: 'permission', permission: P.CreditRead },
  'GET /api/credits/accounts/{id}': { access: 'permission', permission: P.CreditRead },
  'GET /api/credits/accounts/{id}/ledger': { access: 'permission', permission: P.CreditRead },
  'GET /api/credits/shops': { access: 'permission', permission: P.CreditRead },
  'POST /api/credits/shops': { access: 'permission', permission: P.CreditManage },
  'PATCH /api/credits/shops/{id}': { access: 'permission', permission: P.CreditManage },
  'POST /api/credits/shops/{id}/staff': { access: 'permission', permission: P.CreditManage },
  'DELETE /api/credits/shops/{id}/staff/{userId}': {
    access: 'permission',
    permission: P.CreditManage,
  },
  'POST /api/credits/shops/{id}/items': { access: 'permission', permission: P.CreditManage },
  'PATCH /api/credits/items/{id}': { access: 'permission', permission: P.CreditManage },
  'GET /api/credits/redemptions': { access: 'permission', permission: P.CreditRead },
  'GET /api/credits/ranking': { access: 'permission', permission: P.CreditRead },
  'GET /api/credits/ranking/xlsx': { access: 'permission', permission: P.CreditRead },
  'GET /api/credits/shop': {
    access: 'roles',
    roles: ['shop'],
    note: 'credit.redeem and named staff of a shop (an admin holds the permission, serves no shop: 403)',
  },
  'POST /api/credits/redeem/preview': {
    access: 'roles',
    roles: ['shop'],
    note: 'credit.redeem and named staff of a shop; another shop’s code is refused (409)',
  },
  'POST /api/credits/redeem/confirm': {
    access: 'roles',
    roles: ['shop'],
    note: 'credit.redeem and named staff of a shop; another shop’s code is refused (409)',
  },
  'POST /api/public/credits/otp': {
    access: 'public',
    note: 'rate-limited per number (one a minute) and address',
    request: { body: { phone: '13900000999' } },
  },
  'POST /api/public/credits/session': {
    access: 'public',
    note: 'the SMS code; 5 tries a code',
    request: { body: { phone: '13900000999', code: '000000' } },
  },
  'DELETE /api/public/credits/session': { access: 'public' },
  'GET /api/public/credits/me': {
    access: 'public',
    note: 'account null without a resident session',
  },
  'PATCH /api/public/credits/me': {
    access: 'own-key',
    note: 'the resident session cookie (SMS sign-in); a staff session plays no part',
  },
  'GET /api/public/credits/ledger': {
    access: 'own-key',
    note: 'the resident session cookie (SMS sign-in); a staff session plays no part',
  },
  'GET /api/public/credits/shops': { access: 'public' },
  'POST /api/public/credits/redemptions': {
    access: 'own-key',
    note: 'the resident session cookie (SMS sign-in); a staff session plays no part',
  },
  'GET /api/public/credits/redemptions': {
    access: 'own-key',
    note: 'the resident session cookie (SMS sign-in); a staff session plays no part',
  },
  'GET /api/public/credits/ranking': {
    access: 'public',
    note: 'names only of those who opted in (张** for the others)',
  },
  'GET /api/outreach/pairings': { access: 'permission', permission: P.UnitRead },
  'POST /api/outreach/pairings': {
    access: 'permission',
    permission: P.UnitWrite,
    request: { bodyOf: (w) => ({ regionId: w.regions.r1 }) },
  },
  'PATCH /api/outreach/pairings/{id}': {
    access: 'permission',
    permission: P.UnitWrite,
    note: 'a pairing outside the office’s subtree is 404 (outreach-levels tests)',
  },
  'POST /api/outreach/visits': { access: 'permission', permission: P.ProblemReport },
  'GET /api/outreach/visits': { access: 'permission', permission: P.ProblemReport },
  'GET /api/outreach/coverage': { access: 'permission', permission: P.UnitRead },
  'GET /api/grids': { access: 'permission', permission: P.GridRead },
  'POST /api/grids': {
    access: 'permission',
    permission: P.GridWrite,
    request: {
      bodyOf: (w) => ({
        code: w.gridCode,
        name: '矩阵网格',
        regionId: w.regions.r1,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [122, 30],
              [122.01, 30],
              [122.01, 30.01],
              [122, 30],
            ],
          ],
        },
      }),
    },
  },
  'GET /api/grids/stats': { access: 'permission', permission: P.GridRead },
  'GET /api/grids/export.geojson': { access: 'permission', permission: P.GridRead },
  'POST /api/grids/import': { access: 'permission', permission: P.GridWrite },
  'POST /api/grids/reassign': {
    access: 'permission',
    permission: P.GridWrite,
    below: 'refused',
    note: 'the whole city: a district office reassigns its own grids through their edits',
  },
  'GET /api/grids/{id}': { access: 'permission', permission: P.GridRead, scope: 'grid' },
  'PATCH /api/grids/{id}': { access: 'permission', permission: P.GridWrite, scope: 'grid' },
  'PUT /api/grids/{id}/members': { access: 'permission', permission: P.GridWrite, scope: 'grid' },
  'GET /api/grids/{id}/problems': { access: 'permission', permission: P.GridRead, scope: 'grid' },
  'GET /api/grids/{id}/points': { access: 'permission', permission: P.GridRead, scope: 'grid' },
  'GET /api/patrols/summary': { access: 'permission', permission: P.GridRead },
  'GET /api/patrols': { access: 'permission', permission: P.GridRead },
  'POST /api/patrols': { access: 'permission', permission: P.PatrolWalk },
  'GET /api/patrols/active': { access: 'permission', permission: P.PatrolWalk },
  'GET /api/patrols/{id}': { access: 'permission', permission: P.GridRead },
  'POST /api/patrols/{clientId}/points': { access: 'permission', permission: P.PatrolWalk },
  'POST /api/patrols/{clientId}/problems': { access: 'permission', permission: P.PatrolWalk },
  'POST /api/patrols/{clientId}/end': { access: 'permission', permission: P.PatrolWalk },
  'GET /api/point-types': { access: 'permission', permission: P.ProblemRead },
  'POST /api/point-types': {
    access: 'permission',
    permission: P.InspectionManage,
    below: 'refused',
  },
  'GET /api/point-types/{id}': { access: 'permission', permission: P.ProblemRead },
  'PATCH /api/point-types/{id}': {
    access: 'permission',
    permission: P.InspectionManage,
    below: 'refused',
  },
  'GET /api/points': { access: 'permission', permission: P.ProblemRead },
  'POST /api/points': { access: 'permission', permission: P.InspectionManage },
  'GET /api/points/{id}': {
    access: 'permission',
    permission: P.ProblemRead,
    note: 'the change history only for whole-campaign readers',
  },
  'PATCH /api/points/{id}': { access: 'permission', permission: P.InspectionManage },
  'POST /api/points/{id}/adopt': { access: 'permission', permission: P.InspectionManage },
  'POST /api/rounds': { access: 'permission', permission: P.InspectionManage },
  'GET /api/rounds': { access: 'permission', permission: P.ProblemRead },
  'GET /api/rounds/{id}': { access: 'permission', permission: P.ProblemRead },
  'POST /api/rounds/{id}/commit': { access: 'permission', permission: P.InspectionManage },
  'POST /api/rounds/{id}/draw': { access: 'permission', permission: P.InspectionManage },
  'POST /api/rounds/{id}/reveal': { access: 'permission', permission: P.InspectionManage },
  'POST /api/rounds/{id}/verify-draw': { access: 'permission', permission: P.ProblemRead },
  'PATCH /api/rounds/{id}/days/{dayId}': { access: 'permission', permission: P.InspectionManage },
  'POST /api/rounds/{id}/days/{dayId}/commit': {
    access: 'permission',
    permission: P.InspectionManage,
  },
  'POST /api/rounds/{id}/days/{dayId}/draw': {
    access: 'permission',
    permission: P.InspectionManage,
  },
  'POST /api/rounds/{id}/days/{dayId}/reveal': {
    access: 'permission',
    permission: P.InspectionManage,
  },
  'POST /api/rounds/{id}/days/{dayId}/verify-draw': {
    access: 'permission',
    permission: P.ProblemRead,
  },
  'GET /api/inspections/mine': { access: 'permission', permission: P.ProblemReport },
  'POST /api/visits': {
    access: 'permission',
    permission: P.ProblemReport,
    scope: 'assigned',
    note: 'an inspector records visits only in rounds naming them (403 otherwise); the office any',
    // A drawn point or an added place (随机查看), exactly one of them.
    request: { body: { pointId: 1 } },
  },
  'GET /api/visits': { access: 'permission', permission: P.ProblemRead },
  'POST /api/visits/{id}/corrections': { access: 'permission', permission: P.ProblemReport },
  'GET /api/visits/{id}': { access: 'permission', permission: P.ProblemRead },
  'GET /api/rounds/{id}/report': {
    access: 'permission',
    permission: [P.ScoreRead, P.InspectionManage],
    note: 'a district office: the rounds its level runs',
  },
  'GET /api/rounds/{id}/report.xlsx': {
    access: 'permission',
    permission: [P.ScoreRead, P.InspectionManage],
  },
  'GET /api/points/overview': { access: 'permission', permission: P.ScoreRead },
  'GET /api/points/declaration.xlsx': {
    access: 'permission',
    permission: P.InspectionManage,
    below: 'refused',
  },
  'POST /api/points/declaration/import': {
    access: 'permission',
    permission: P.InspectionManage,
    below: 'refused',
  },
  'POST /api/assignments/{id}/reports': {
    access: 'roles',
    roles: ['unit'],
    scope: 'assignment',
    note: 'the units an assignment names report its progress; others 403 before the lookup',
  },
  'GET /api/assignments/{id}/reports': {
    access: 'permission',
    permission: P.AssignmentRead,
    scope: 'assignment',
  },
  'GET /api/assignment-reporting': { access: 'permission', permission: P.AssignmentRead },
  'GET /api/settings/assignment-report-rhythm': {
    access: 'permission',
    permission: P.AssignmentRead,
  },
  'PUT /api/settings/assignment-report-rhythm': {
    access: 'permission',
    permission: P.AssignmentWrite,
  },
  'GET /api/notifications': { access: 'signed-in' },
  'GET /api/notifications/unread-count': { access: 'signed-in' },
  'POST /api/notifications/{id}/read': {
    access: 'signed-in',
    note: 'only one’s own; an unknown id is a 404',
  },
  'POST /api/notifications/read-all': { access: 'signed-in' },
  'GET /api/escalation-orders': { access: 'permission', permission: P.ProblemRead },
  'GET /api/campaigns': { access: 'permission', permission: P.FrameworkRead },
  'POST /api/campaigns': {
    access: 'permission',
    permission: P.FrameworkWrite,
    request: {
      body: {
        name: '矩阵周期',
        cycleStartYear: 2026,
        cycleYears: 1,
        cycleWeights: [100],
        methodWeights: { material: 40, field: 40, survey: 20 },
      },
    },
  },
  'GET /api/campaigns/{id}': { access: 'permission', permission: P.FrameworkRead },
  'PATCH /api/campaigns/{id}': { access: 'permission', permission: P.FrameworkWrite },
  'DELETE /api/campaigns/{id}': { access: 'permission', permission: P.FrameworkWrite },
  'POST /api/campaigns/{id}/frameworks/import': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'GET /api/frameworks': { access: 'permission', permission: P.FrameworkRead },
  'POST /api/frameworks': { access: 'permission', permission: P.FrameworkWrite },
  'GET /api/frameworks/{id}': { access: 'permission', permission: P.FrameworkRead },
  'PATCH /api/frameworks/{id}': { access: 'permission', permission: P.FrameworkWrite },
  'POST /api/frameworks/{id}/import': { access: 'permission', permission: P.FrameworkWrite },
  'GET /api/parties': { access: 'permission', permission: P.UnitRead },
  // A group needs member types or units (refined past the JSON schema the sample is built from).
  'POST /api/parties': {
    access: 'permission',
    permission: P.AssignmentWrite,
    request: { body: { kind: 'group', memberTypes: ['district_government'] } },
  },
  'PATCH /api/parties/{id}': {
    access: 'permission',
    permission: P.AssignmentWrite,
    request: { body: { kind: 'group', memberTypes: ['district_government'] } },
  },
  'DELETE /api/parties/{id}': { access: 'permission', permission: P.AssignmentWrite },
  'POST /api/framework-imports/preview': { access: 'permission', permission: P.FrameworkWrite },
  'POST /api/framework-imports/error-sheet': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'GET /api/framework-versions/{id}/tree': { access: 'permission', permission: P.FrameworkRead },
  'POST /api/framework-versions/{id}/publish': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'GET /api/framework-versions/{id}/publish-preview': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'DELETE /api/framework-versions/{id}': { access: 'permission', permission: P.FrameworkWrite },
  'GET /api/framework-versions/{id}/export.json': {
    access: 'permission',
    permission: P.FrameworkRead,
  },
  'GET /api/framework-versions/{id}/export.xlsx': {
    access: 'permission',
    permission: P.FrameworkRead,
  },
  'POST /api/framework-versions/{id}/nodes': {
    access: 'permission',
    permission: P.FrameworkWrite,
    request: { body: { kind: 'item', parentId: null, code: 'MX1', text: '矩阵' } },
  },
  'PATCH /api/framework-versions/{id}/nodes/{nodeId}': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'DELETE /api/framework-versions/{id}/nodes/{nodeId}': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'POST /api/framework-versions/{id}/nodes/{nodeId}/move': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'POST /api/framework-versions/{id}/negative-items': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'PATCH /api/framework-versions/{id}/negative-items/{nodeId}': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'DELETE /api/framework-versions/{id}/negative-items/{nodeId}': {
    access: 'permission',
    permission: P.FrameworkWrite,
  },
  'GET /api/my-assignments': { access: 'permission', permission: P.AssignmentRead },
  'GET /api/framework-versions/{id}/assignments': {
    access: 'permission',
    permission: P.AssignmentRead,
  },
  'POST /api/framework-versions/{id}/assignments': {
    access: 'permission',
    permission: P.AssignmentWrite,
  },
  'PATCH /api/assignments/{id}': { access: 'permission', permission: P.AssignmentWrite },
  'DELETE /api/assignments/{id}': { access: 'permission', permission: P.AssignmentWrite },
  'POST /api/framework-versions/{id}/assignments/import': {
    access: 'permission',
    permission: P.AssignmentWrite,
  },
  'POST /api/framework-versions/{id}/assignments/import/preview': {
    access: 'permission',
    permission: P.AssignmentWrite,
  },
  'POST /api/framework-versions/{id}/assignments/import/error-sheet': {
    access: 'permission',
    permission: P.AssignmentWrite,
  },
  'GET /api/evidence': { access: 'permission', permission: P.AssignmentRead },
  'GET /api/evidence/summary': { access: 'permission', permission: P.AssignmentRead },
  'GET /api/evidence/settings/{campaignId}': { access: 'permission', permission: P.FrameworkRead },
  'PUT /api/evidence/settings/{campaignId}': { access: 'permission', permission: P.FrameworkWrite },
  'GET /api/evidence/{frameworkId}/{year}/{standardKey}': {
    access: 'permission',
    permission: P.AssignmentRead,
  },
  'POST /api/evidence/{frameworkId}/{year}/{standardKey}/files': {
    access: 'permission',
    permission: P.AssignmentRead,
    request: { fields: { docDate: '2026-01-05' } },
  },
  'DELETE /api/evidence/{frameworkId}/{year}/{standardKey}/files/{fileId}': {
    access: 'permission',
    permission: P.AssignmentRead,
  },
  'PUT /api/evidence/{frameworkId}/{year}/{standardKey}/files/{fileId}/poster': {
    access: 'permission',
    permission: P.AssignmentRead,
    note: 'then as removing the file: the office any time, the lead or file’s unit while editable',
  },
  'PUT /api/evidence/{frameworkId}/{year}/{standardKey}/statement': {
    access: 'permission',
    permission: P.AssignmentRead,
  },
  'POST /api/evidence/{frameworkId}/{year}/{standardKey}/submit': {
    access: 'permission',
    permission: P.AssignmentRead,
  },
  'POST /api/evidence/{frameworkId}/{year}/{standardKey}/review': {
    access: 'permission',
    permission: P.FrameworkWrite,
    request: { body: { action: 'approve', grade: 'A', version: 1 } },
  },
  'GET /api/filing/{year}/completeness': {
    access: 'permission',
    permission: P.AssignmentRead,
    scope: 'campaign',
    note: '网上申报 is the city’s: a unit or a district office gets 403',
  },
  'GET /api/filing/{year}/package.zip': {
    access: 'permission',
    permission: P.AssignmentRead,
    scope: 'campaign',
    note: '网上申报 is the city’s: a unit or a district office gets 403',
  },
  'GET /api/surveys': { access: 'permission', permission: P.SurveyRead },
  'POST /api/surveys': { access: 'permission', permission: P.SurveyWrite },
  'GET /api/surveys/standards': {
    access: 'permission',
    permission: [P.SurveyRead, P.SurveyCollect],
  },
  'POST /api/surveys/{id}/questionnaires': {
    access: 'permission',
    permission: P.SurveyWrite,
    request: { body: QUESTIONNAIRE },
  },
  'POST /api/surveys/{id}/questionnaires/import': {
    access: 'permission',
    permission: P.SurveyWrite,
    request: { body: QUESTIONNAIRE_FILE },
  },
  'GET /api/questionnaires/{id}': {
    access: 'permission',
    permission: [P.SurveyRead, P.SurveyCollect],
  },
  'PUT /api/questionnaires/{id}': {
    access: 'permission',
    permission: P.SurveyWrite,
    request: { body: { ...QUESTIONNAIRE, version: 1 } },
  },
  'POST /api/questionnaires/{id}/publish': { access: 'permission', permission: P.SurveyWrite },
  'POST /api/questionnaires/{id}/revise': { access: 'permission', permission: P.SurveyWrite },
  'GET /api/questionnaires/{id}/export.json': { access: 'permission', permission: P.SurveyRead },
  'GET /api/questionnaires/{id}/export.xlsx': { access: 'permission', permission: P.SurveyRead },
  'POST /api/surveys/{id}/questionnaires/import.xlsx': {
    access: 'permission',
    permission: P.SurveyWrite,
  },
  'GET /api/surveys/{id}/rounds': { access: 'permission', permission: P.SurveyRead },
  'POST /api/surveys/{id}/rounds': { access: 'permission', permission: P.SurveyWrite },
  'PATCH /api/survey-rounds/{id}': { access: 'permission', permission: P.SurveyWrite },
  'POST /api/survey-rounds/{id}/quotas': { access: 'permission', permission: P.SurveyWrite },
  'PATCH /api/survey-quotas/{id}': { access: 'permission', permission: P.SurveyWrite },
  'PUT /api/survey-quotas/{id}/guides': { access: 'permission', permission: P.SurveyAssign },
  'GET /api/survey-rounds/{id}/board': { access: 'permission', permission: P.SurveyRead },
  'GET /api/survey-guides': { access: 'permission', permission: P.SurveyAssign },
  'GET /api/survey-app/assignments': { access: 'permission', permission: P.SurveyCollect },
  'POST /api/survey-responses': { access: 'permission', permission: P.SurveyCollect },
  'GET /api/survey-responses': {
    access: 'permission',
    permission: [P.SurveyRead, P.SurveyCollect],
  },
  'GET /api/survey-responses/{id}': {
    access: 'permission',
    permission: [P.SurveyRead, P.SurveyCollect],
  },
  'GET /api/public/surveys/{token}': {
    access: 'public',
    note: 'the survey link token is the credential',
  },
  'POST /api/public/surveys/{token}/responses': {
    access: 'public',
    note: 'the survey link token is the credential',
  },
  'GET /api/survey-rounds/{id}/results': { access: 'permission', permission: P.SurveyRead },
  'GET /api/survey-rounds/{id}/results.xlsx': { access: 'permission', permission: P.SurveyRead },
  'GET /api/survey-rounds/{id}/suspicious': { access: 'permission', permission: P.SurveyRead },
  'GET /api/surveys/{id}/trend': { access: 'permission', permission: P.SurveyRead },
  'GET /api/volunteers': { access: 'permission', permission: P.VolunteerRead },
  'POST /api/volunteers': {
    access: 'permission',
    permission: P.VolunteerWrite,
    request: { body: { name: '矩阵志愿者', phone: '13900000999' } },
  },
  'GET /api/volunteers/export.xlsx': { access: 'permission', permission: P.VolunteerRead },
  'POST /api/volunteers/import': { access: 'permission', permission: P.VolunteerWrite },
  'POST /api/volunteers/{id}/id-number/reveal': {
    access: 'permission',
    permission: P.VolunteerRealname,
  },
  'GET /api/volunteers/national/layout': { access: 'permission', permission: P.VolunteerRealname },
  'PUT /api/volunteers/national/layout': {
    access: 'permission',
    permission: P.VolunteerRealname,
    request: { body: DEFAULT_NATIONAL_LAYOUT },
  },
  'GET /api/volunteers/national/export.xlsx': {
    access: 'permission',
    permission: P.VolunteerRealname,
  },
  'POST /api/volunteers/national/hours/preview': {
    access: 'permission',
    permission: P.VolunteerRealname,
  },
  'POST /api/volunteers/national/hours/import': {
    access: 'permission',
    permission: P.VolunteerRealname,
  },
  'GET /api/volunteers/me': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'VolunteerServe and one’s own registry entry: the office and admins hold the permission but have no entry (403 not_volunteer)',
  },
  'GET /api/volunteers/me/ledger': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'as GET /api/volunteers/me',
  },
  'GET /api/volunteers/{id}': { access: 'permission', permission: P.VolunteerRead },
  'PATCH /api/volunteers/{id}': { access: 'permission', permission: P.VolunteerWrite },
  'GET /api/volunteers/{id}/ledger': { access: 'permission', permission: P.VolunteerRead },
  'POST /api/volunteers/{id}/adjustments': { access: 'permission', permission: P.VolunteerWrite },
  'GET /api/volunteer-teams': { access: 'permission', permission: P.VolunteerRead },
  'POST /api/volunteer-teams': { access: 'permission', permission: P.VolunteerWrite },
  'GET /api/practice-places': { access: 'permission', permission: P.VolunteerRead },
  'POST /api/practice-places': { access: 'permission', permission: P.VolunteerWrite },
  'PATCH /api/practice-places/{id}': { access: 'permission', permission: P.VolunteerWrite },
  'GET /api/practice-places/{id}/monthly': { access: 'permission', permission: P.VolunteerRead },
  'GET /api/practice-places/{id}/monthly.xlsx': {
    access: 'permission',
    permission: P.VolunteerRead,
  },
  'GET /api/volunteer-activities': {
    access: 'permission',
    permission: [P.VolunteerRead, P.VolunteerServe],
  },
  'POST /api/volunteer-activities': {
    access: 'permission',
    permission: P.VolunteerWrite,
    request: {
      body: {
        title: '矩阵活动',
        startsAt: '2026-01-05T08:00:00.000Z',
        endsAt: '2026-01-05T10:00:00.000Z',
      },
    },
  },
  'GET /api/volunteer-activities/{id}': {
    access: 'permission',
    permission: [P.VolunteerRead, P.VolunteerServe],
  },
  'POST /api/volunteer-activities/{id}/cancel': {
    access: 'permission',
    permission: P.VolunteerWrite,
  },
  'GET /api/volunteer-activities/{id}/attendees': {
    access: 'permission',
    permission: P.VolunteerRead,
  },
  'POST /api/volunteer-activities/{id}/sign-up': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'as GET /api/volunteers/me',
  },
  'POST /api/volunteer-activities/{id}/cancel-sign-up': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'as GET /api/volunteers/me',
  },
  'GET /api/volunteer-activities/{id}/checkin-token': {
    access: 'permission',
    permission: P.VolunteerWrite,
  },
  'POST /api/volunteer-activities/{id}/check-in': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'as GET /api/volunteers/me',
  },
  'POST /api/volunteer-activities/{id}/check-out': {
    access: 'roles',
    roles: ['volunteer'],
    note: 'as GET /api/volunteers/me',
  },
  'POST /api/volunteer-activities/{id}/attendance': {
    access: 'permission',
    permission: P.VolunteerWrite,
  },
  'POST /api/volunteer-activities/{id}/photos': {
    access: 'permission',
    permission: P.VolunteerWrite,
  },
  'GET /api/volunteer-stats': {
    access: 'roles',
    roles: ['admin', 'office', 'leader'],
    note: 'VolunteerRead, over the whole campaign or an office’s or leader’s level (a unit: 403)',
  },
  'PUT /api/volunteer-stats/population': {
    access: 'permission',
    permission: P.VolunteerWrite,
    below: 'refused',
    note: 'the denominator of every level’s registration rate: the city’s',
  },
  'GET /api/volunteer-settings': { access: 'permission', permission: P.VolunteerRead },
  'PUT /api/volunteer-settings': {
    access: 'permission',
    permission: P.VolunteerWrite,
    below: 'refused',
  },
  'GET /api/indicators': { access: 'permission', permission: P.AssignmentRead },
  'POST /api/indicators': { access: 'permission', permission: P.AssignmentWrite },
  'GET /api/indicators/{id}': {
    access: 'permission',
    permission: P.AssignmentRead,
    scope: 'indicator',
  },
  'PATCH /api/indicators/{id}': { access: 'permission', permission: P.AssignmentWrite },
  'DELETE /api/indicators/{id}': { access: 'permission', permission: P.AssignmentWrite },
  'GET /api/indicators/{id}/values': {
    access: 'permission',
    permission: P.AssignmentRead,
    scope: 'indicator',
  },
  'POST /api/indicators/{id}/values': {
    access: 'roles',
    roles: ['unit'],
    scope: 'indicator',
    note: 'the responsible unit reports (AssignmentRead and a unit); others 403 before the indicator is looked up, another unit 404',
  },
  'PATCH /api/indicator-values/{id}': {
    access: 'roles',
    roles: ['unit'],
    note: 'the responsible unit corrects its values; others 403 before the value is looked up',
  },
  'GET /api/working-groups': { access: 'permission', permission: P.AssignmentRead },
  'POST /api/working-groups': { access: 'permission', permission: P.AssignmentWrite },
  'PATCH /api/working-groups/{id}': { access: 'permission', permission: P.AssignmentWrite },
  'DELETE /api/working-groups/{id}': { access: 'permission', permission: P.AssignmentWrite },
  'GET /api/units/{id}/pledge': {
    access: 'permission',
    permission: P.AssignmentRead,
    scope: 'unit',
  },
  'POST /api/units/{id}/pledge/sign': { access: 'permission', permission: P.AssignmentRead },
  'POST /api/units/{id}/pledge/scan': { access: 'permission', permission: P.AssignmentRead },
  'GET /api/scoring/projection': { access: 'permission', permission: P.ScoreRead },
  'POST /api/scoring/mock-evaluation': {
    access: 'permission',
    permission: P.ScoreRead,
    request: { body: { plan: [{ type: 'A', mode: 'all' }] } },
  },
  'GET /api/negative-hits': { access: 'permission', permission: P.ScoreRead },
  'POST /api/negative-hits': { access: 'permission', permission: P.FrameworkWrite },
  'GET /api/negative-hits/options': { access: 'permission', permission: P.ScoreRead },
  'DELETE /api/negative-hits/{id}': { access: 'permission', permission: P.FrameworkWrite },
  'GET /api/simulation-targets': {
    access: 'permission',
    permission: P.SimulationRead,
    note: "by the target's unit (unit-scope.repo.ts): a unit its own, below the city its subtree's",
  },
  'POST /api/simulation-targets': { access: 'permission', permission: P.SimulationWrite },
  'PATCH /api/simulation-targets/{id}': { access: 'permission', permission: P.SimulationWrite },
  'GET /api/simulation-checks': {
    access: 'permission',
    permission: P.SimulationRead,
    note: 'the checks of the targets the caller reaches (as GET /api/simulation-targets)',
  },
  'POST /api/simulation-checks': {
    access: 'permission',
    permission: P.SimulationRecord,
    note: 'an inspector records in a round only when named in it (403), on a target it reaches; the office any',
  },
  'PATCH /api/simulation-checks/{id}': {
    access: 'permission',
    permission: P.SimulationRecord,
    note: 'the recorder corrects their own checks, the office any (403 otherwise); out of reach 404',
  },
  'GET /api/rankings/rules': { access: 'permission', permission: P.RankingRead },
  'PUT /api/rankings/rules': {
    access: 'permission',
    permission: P.RankingWrite,
    below: 'refused',
    note: 'one set of rules for every level: the city office keeps them',
  },
  'GET /api/rankings/snapshots': { access: 'permission', permission: P.RankingRead },
  'POST /api/rankings/snapshots': { access: 'permission', permission: P.RankingWrite },
  'GET /api/rankings/snapshots/{id}': { access: 'permission', permission: P.RankingRead },
  'POST /api/rankings/snapshots/{id}/publish': { access: 'permission', permission: P.RankingWrite },
  'GET /api/rankings/units/{id}/history': {
    access: 'permission',
    permission: P.RankingRead,
    scope: 'unit',
  },
  'GET /api/rankings/consequences': { access: 'permission', permission: P.RankingRead },
  'GET /api/bulletins': { access: 'permission', permission: P.RankingRead },
  'POST /api/bulletins': { access: 'permission', permission: P.RankingWrite },
  'GET /api/bulletins/{id}': { access: 'permission', permission: P.RankingRead },
  'POST /api/bulletins/{id}/publish': { access: 'permission', permission: P.RankingWrite },
  'GET /api/bulletins/{id}/xlsx': { access: 'permission', permission: P.RankingRead },
  'GET /api/dashboards/kpis': { access: 'permission', permission: P.ProblemRead },
  'GET /api/dashboards/trend': { access: 'permission', permission: P.ProblemRead },
  'GET /api/dashboards/heat': { access: 'permission', permission: P.ProblemRead },
  'GET /api/dashboards/points': { access: 'permission', permission: P.ProblemRead },
  'GET /api/dashboards/breakdown': { access: 'permission', permission: P.ProblemRead },
  'GET /api/dashboards/ranking': {
    access: 'permission',
    permission: P.ProblemRead,
    scope: 'campaign',
  },
  'GET /api/dashboards/due-soon': { access: 'permission', permission: P.ProblemRead },
  'GET /api/dashboards/cells': { access: 'permission', permission: P.UnitRead },
  'GET /api/dashboards/unit': {
    access: 'roles',
    roles: ['admin', 'office', 'leader', 'unit'],
    note: 'ProblemRead, and a unit (one’s own) or the whole campaign',
    below: 'refused',
  },
  'GET /api/dashboards/unit/due-materials': { access: 'permission', permission: P.AssignmentRead },
};

/**
 * Mismatches the matrix found outside the modules its author could change: each entry is a route,
 * a role, what the route answered and what the table expects. The test passes only for these, and
 * fails when one is fixed (remove the entry then), so the list can only shrink.
 */
export interface KnownDefect {
  route: string;
  role: TRole | 'anonymous';
  got: number;
  expected: string;
  why: string;
}

// Empty: every mismatch the matrix found has been fixed (#16). A new one is fixed, not listed here,
// unless it cannot be fixed in the change that found it — then with the reason.
export const knownDefects: KnownDefect[] = [];
