import { z } from './zod-setup.js';
import { ROLES } from '../permissions.js';
import { PARTY_KINDS, type TPartyKind } from '../org/parties.js';
import { readAreaGeometry } from '../geo/area-geojson.js';
import type { TAreaGeometry } from '../geo/polygon.js';
import { BOUNDARY_RULES, boundaryGeometryReason } from '../org/region-boundaries.js';
import { ZPageQuerySchema, ZPhoneSchema, ZVersionSchema, zPage, zPatchOf } from './common.js';
import {
  MAX_UNIT_ALIAS_LENGTH,
  MAX_UNIT_ALIASES,
  UNIT_NAME_SEPARATORS,
  mergeUnitNames,
} from '../org/unit-names.js';

export const REGION_LEVELS = ['city', 'district', 'street', 'community'] as const;
export type TRegionLevel = (typeof REGION_LEVELS)[number];
export const REGION_LEVEL_LABELS: Record<TRegionLevel, { zh: string; en: string }> = {
  city: { zh: '市', en: 'City' },
  district: { zh: '区县', en: 'District / county' },
  street: { zh: '街道/乡镇', en: 'Street / township' },
  community: { zh: '社区/村', en: 'Community / village' },
};

export const UNIT_TYPES = [
  'party_committee',
  'government_department',
  'district_government',
  'street_office',
  'community_committee',
  'public_institution',
  'school',
  'hospital',
  'state_enterprise',
  'enterprise',
  'social_organization',
  'other',
] as const;
export type TUnitType = (typeof UNIT_TYPES)[number];
export const UNIT_TYPE_LABELS: Record<TUnitType, { zh: string; en: string }> = {
  party_committee: { zh: '党委部门', en: 'Party committee department' },
  government_department: { zh: '政府部门', en: 'Government department' },
  district_government: { zh: '区县政府', en: 'District government' },
  street_office: { zh: '街道办事处/乡镇', en: 'Street office / township' },
  community_committee: { zh: '社区居委会/村委会', en: 'Community committee' },
  public_institution: { zh: '事业单位', en: 'Public institution' },
  school: { zh: '学校', en: 'School' },
  hospital: { zh: '医院', en: 'Hospital' },
  state_enterprise: { zh: '国有企业', en: 'State-owned enterprise' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  social_organization: { zh: '社会组织', en: 'Social organization' },
  other: { zh: '其他', en: 'Other' },
};

// ---------- regions ----------
export const ZRegionSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  level: z.enum(REGION_LEVELS),
  parentId: z.number().int().nullable(),
  /** 区划边界 drawn (GET /api/regions/boundaries.geojson has it). */
  hasBoundary: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TRegion = z.infer<typeof ZRegionSchema>;

export const ZRegionCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6,15}$/, '区划代码应为 6–15 位数字 / region code must be 6–15 digits');

export const ZCreateRegionRequestSchema = z.object({
  code: ZRegionCodeSchema,
  name: z.string().trim().min(1).max(100),
  level: z.enum(REGION_LEVELS),
  parentId: z.number().int().positive().nullable(),
});
export type TCreateRegionRequest = z.infer<typeof ZCreateRegionRequestSchema>;

export const ZUpdateRegionRequestSchema = zPatchOf(ZCreateRegionRequestSchema).extend({
  version: ZVersionSchema,
});
export type TUpdateRegionRequest = z.infer<typeof ZUpdateRegionRequestSchema>;

export const ZListRegionsQuerySchema = z.object({
  parentId: z.coerce.number().int().positive().optional(),
  level: z.enum(REGION_LEVELS).optional(),
  q: z.string().trim().max(100).optional(),
});
export const ZRegionListSchema = z.object({ items: z.array(ZRegionSchema) });

/** A region's boundary: a (Multi)Polygon in WGS-84, [lng, lat], closed rings, within China. */
export const ZBoundaryGeometrySchema = z.unknown().transform((v, ctx): TAreaGeometry => {
  const g = readAreaGeometry(v, BOUNDARY_RULES);
  if (typeof g === 'string') {
    ctx.addIssue({ code: 'custom', message: boundaryGeometryReason(g) });
    return z.NEVER;
  }
  return g;
});

export const ZRegionBoundaryInputSchema = z.object({
  geometry: ZBoundaryGeometrySchema,
  version: ZVersionSchema,
});
export type TRegionBoundaryInput = z.infer<typeof ZRegionBoundaryInputSchema>;

/** What a boundary change did to the located problems (or points) the boundaries place. */
export const ZReplacedSchema = z.object({
  /** Problems without a region that now have one. */
  placed: z.number().int(),
  /** Problems placed by a boundary that moved to another region. */
  moved: z.number().int(),
  /** Problems placed by a boundary that are now outside every boundary (未定位). */
  unplaced: z.number().int(),
});

export const ZRegionBoundaryResultSchema = ZReplacedSchema.extend({
  /** The same for points (点位) placed by their position. */
  points: ZReplacedSchema,
  region: ZRegionSchema,
  boundaryRev: z.number().int(),
});

export const ZBoundaryImportResultSchema = ZReplacedSchema.extend({
  points: ZReplacedSchema,
  imported: z.number().int(),
  dryRun: z.boolean().optional(),
});

/** The boundaries of a region's subtree (the whole city without one). */
export const ZBoundaryExportQuerySchema = z.object({
  regionId: z.coerce.number().int().positive().optional(),
});

// ---------- units ----------
export const ZUnitSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  /** The other names offices write for the unit; matched like the short name. */
  aliases: z.array(z.string()),
  type: z.enum(UNIT_TYPES),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  parentId: z.number().int().nullable(),
  parentName: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TUnit = z.infer<typeof ZUnitSchema>;

export const ZUnitCodeSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9-]{2,32}$/,
    '单位代码应为 2–32 位字母、数字或短横线 / unit code must be 2–32 letters, digits or dashes',
  );

/** One short name or alias: one name, so it holds none of the separators a cell lists names with. */
const ZUnitOtherNameSchema = z
  .string()
  .trim()
  .max(
    MAX_UNIT_ALIAS_LENGTH,
    `每个简称或别名最多 ${MAX_UNIT_ALIAS_LENGTH} 个字 / a short name or alias has at most ${MAX_UNIT_ALIAS_LENGTH} characters`,
  )
  .refine(
    (s) => !UNIT_NAME_SEPARATORS.test(s),
    '简称或别名只能是一个名称，不能含 、，,；;/（多个别名请分别填写） / a short name or alias is one name, without 、，,；;/ (add several aliases one by one)',
  );

/** A unit's aliases: trimmed, blanks dropped, each name once. */
export const ZUnitAliasesSchema = z
  .array(ZUnitOtherNameSchema)
  .max(MAX_UNIT_ALIASES, `别名最多 ${MAX_UNIT_ALIASES} 个 / at most ${MAX_UNIT_ALIASES} aliases`)
  .transform((list) => mergeUnitNames(list));

export const ZCreateUnitRequestSchema = z.object({
  code: ZUnitCodeSchema,
  name: z.string().trim().min(2).max(100),
  shortName: ZUnitOtherNameSchema.nullable()
    .optional()
    .transform((s) => (s === '' ? null : s)),
  aliases: ZUnitAliasesSchema.optional(),
  type: z.enum(UNIT_TYPES),
  regionId: z.number().int().positive().nullable().optional(),
  parentId: z.number().int().positive().nullable().optional(),
  contactName: z.string().trim().max(50).nullable().optional(),
  contactPhone: ZPhoneSchema.nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  active: z.boolean().optional(),
});
export type TCreateUnitRequest = z.infer<typeof ZCreateUnitRequestSchema>;

export const ZUpdateUnitRequestSchema = zPatchOf(ZCreateUnitRequestSchema).extend({
  version: ZVersionSchema,
});
export type TUpdateUnitRequest = z.infer<typeof ZUpdateUnitRequestSchema>;

export const UNIT_SORTS = ['id', 'name', 'code', 'updatedAt'] as const;
export const ZListUnitsQuerySchema = ZPageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  type: z.enum(UNIT_TYPES).optional(),
  regionId: z.coerce.number().int().positive().optional(),
  active: z.enum(['true', 'false']).optional(),
  sort: z.enum(UNIT_SORTS).default('id'),
});
export type TListUnitsQuery = z.infer<typeof ZListUnitsQuerySchema>;
/** The export's filters: the list's, without paging and order. */
export const ZUnitExportQuerySchema = ZListUnitsQuerySchema.omit({
  limit: true,
  cursor: true,
  order: true,
  sort: true,
});
export const ZUnitPageSchema = zPage(ZUnitSchema);

// ---------- users ----------
export const ZUsernameSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]{2,31}$/,
    '用户名应为 3–32 位字母、数字或 _ . -，以字母开头 / username must be 3–32 letters, digits, _ . - starting with a letter',
  );

/** At least 8 characters with three of: lower, upper, digit, symbol. */
export const ZPasswordSchema = z
  .string()
  .min(8, '密码至少 8 位 / password must have at least 8 characters')
  .max(128)
  .refine(
    (p) => [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length >= 3,
    '密码需包含小写、大写、数字、符号中的三类 / password needs three of: lower-case, upper-case, digit, symbol',
  );

export const ZUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  roles: z.array(z.enum(ROLES)),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TUser = z.infer<typeof ZUserSchema>;

export const ZCreateUserRequestSchema = z.object({
  username: ZUsernameSchema,
  name: z.string().trim().min(1).max(50),
  phone: ZPhoneSchema.nullable().optional(),
  unitId: z.number().int().positive().nullable().optional(),
  regionId: z.number().int().positive().nullable().optional(),
  roles: z.array(z.enum(ROLES)).min(1, '至少选择一个角色 / a user needs at least one role'),
  password: ZPasswordSchema,
  active: z.boolean().optional(),
});
export type TCreateUserRequest = z.infer<typeof ZCreateUserRequestSchema>;

export const ZUpdateUserRequestSchema = ZCreateUserRequestSchema.omit({
  password: true,
  username: true,
})
  .partial()
  .extend({ version: ZVersionSchema });
export type TUpdateUserRequest = z.infer<typeof ZUpdateUserRequestSchema>;

export const ZResetPasswordRequestSchema = z.object({
  password: ZPasswordSchema,
  version: ZVersionSchema,
});

export const USER_SORTS = ['id', 'name', 'username', 'updatedAt'] as const;
export const ZListUsersQuerySchema = ZPageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  role: z.enum(ROLES).optional(),
  unitId: z.coerce.number().int().positive().optional(),
  regionId: z.coerce.number().int().positive().optional(),
  active: z.enum(['true', 'false']).optional(),
  sort: z.enum(USER_SORTS).default('id'),
});
export type TListUsersQuery = z.infer<typeof ZListUsersQuerySchema>;
/** The export's filters: the list's, without paging and order. */
export const ZUserExportQuerySchema = ZListUsersQuerySchema.omit({
  limit: true,
  cursor: true,
  order: true,
  sort: true,
});
export const ZUserPageSchema = zPage(ZUserSchema);

// ---------- 集体责任方 (parties) ----------

const ZPartyNameSchema = z.string().trim().min(2).max(40);

export const ZPartySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  aliases: z.array(z.string()),
  kind: z.enum(PARTY_KINDS),
  memberTypes: z.array(z.enum(UNIT_TYPES)),
  /** Units listed by name (a group's members besides its types). */
  members: z.array(z.object({ id: z.number().int(), name: z.string() })),
  /** Every member the party resolves to now (listed and by type, active units only). */
  memberCount: z.number().int(),
  contactUnit: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  notes: z.string().nullable(),
  version: z.number().int(),
});
export type TParty = z.infer<typeof ZPartySchema>;
export const ZPartyListSchema = z.object({ items: z.array(ZPartySchema) });

const partyFields = {
  name: ZPartyNameSchema,
  aliases: z.array(ZPartyNameSchema).max(20).default([]),
  kind: z.enum(PARTY_KINDS),
  memberTypes: z.array(z.enum(UNIT_TYPES)).max(UNIT_TYPES.length).default([]),
  memberIds: z.array(z.number().int().positive()).max(2000).default([]),
  contactUnitId: z.number().int().positive().nullable().default(null),
  notes: z.string().trim().max(500).nullable().default(null),
};

/** An outside party needs the unit that answers for it; a group needs members (listed or typed). */
function checkParty(
  v: {
    kind?: TPartyKind;
    contactUnitId?: number | null;
    memberTypes?: string[];
    memberIds?: number[];
  },
  ctx: z.RefinementCtx,
) {
  if (v.kind === 'outside' && !v.contactUnitId) {
    ctx.addIssue({
      code: 'custom',
      path: ['contactUnitId'],
      message:
        '外部责任方须指定负责联系的单位 / an outside party needs the unit that answers for it',
    });
  }
  if (v.kind === 'group' && !v.memberTypes?.length && !v.memberIds?.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['memberIds'],
      message: '单位集合须指定成员单位或单位类型 / a group needs member units or unit types',
    });
  }
}

export const ZPartyInputSchema = z.object(partyFields).superRefine(checkParty);
export type TPartyInput = z.infer<typeof ZPartyInputSchema>;
export const ZPartyUpdateSchema = z
  .object({ ...partyFields, version: ZVersionSchema })
  .superRefine(checkParty);
export type TPartyUpdate = z.infer<typeof ZPartyUpdateSchema>;
