import type { TRowError } from '../../core/contracts/common.js';

export interface Message {
  zh: string;
  en: string;
}

/** The one error type: a stable code, an HTTP status and a message in Chinese and English. */
export class AppError extends Error {
  constructor(
    public readonly code: string,
    public readonly status: number,
    public readonly msg: Message,
    public readonly extra: {
      fields?: { path: string; message: string }[];
      rows?: TRowError[];
      /** 429: seconds until the limit resets (sent as Retry-After). */
      retryAfterS?: number;
    } = {},
  ) {
    super(msg.en);
    this.name = 'AppError';
  }
}

const ENTITY: Record<string, Message> = {
  region: { zh: '行政区划', en: 'region' },
  unit: { zh: '单位', en: 'unit' },
  user: { zh: '用户', en: 'user' },
  parentRegion: { zh: '上级区划', en: 'parent region' },
  parentUnit: { zh: '上级单位', en: 'parent unit' },
  route: { zh: '接口', en: 'route' },
  problem: { zh: '问题', en: 'problem' },
  file: { zh: '文件', en: 'file' },
  category: { zh: '问题类别', en: 'problem category' },
  frontageDuty: { zh: '门前三包责任户', en: 'frontage duty holder' },
  round: { zh: '测评轮次', en: 'inspection round' },
  round_day: { zh: '测评日程', en: 'day of the schedule' },
  point: { zh: '点位', en: 'point' },
  point_type: { zh: '点位类型', en: 'point type' },
  inspection_visit: { zh: '实地检查记录', en: 'inspection visit' },
  assignment: { zh: '任务', en: 'task' },
  grid: { zh: '网格', en: 'grid' },
  patrol: { zh: '巡查', en: 'patrol' },
  volunteer: { zh: '志愿者', en: 'volunteer' },
  volunteerTeam: { zh: '志愿服务队', en: 'volunteer team' },
  practicePlace: { zh: '文明实践阵地', en: 'practice station' },
  activity: { zh: '志愿活动', en: 'volunteer activity' },
  outreach_pairing: { zh: '包联安排', en: 'outreach pairing' },
  honour: { zh: '文明称号', en: 'civilized title' },
  good_person_nomination: { zh: '身边好人推荐', en: 'nomination' },
  good_person_month: { zh: '本月身边好人评选', en: "month's selection" },
  adCarrier: { zh: '公益广告阵地', en: 'ad carrier' },
  adCampaign: { zh: '换版任务', en: 'content campaign' },
  serviceItem: { zh: '服务项目', en: 'service' },
  serviceOrder: { zh: '服务单', en: 'service order' },
  pushback_delivery: { zh: '结果回传记录', en: 'result delivery' },
  open311_client: { zh: 'Open311 客户端', en: 'Open311 client' },
};

function entity(name: string): Message {
  return ENTITY[name] ?? { zh: name, en: name };
}

export const errors = {
  notFound: (name: string, id?: string | number) =>
    new AppError('not_found', 404, {
      zh: `${entity(name).zh}不存在${id !== undefined ? `（${id}）` : ''}`,
      en: `${entity(name).en} not found${id !== undefined ? ` (${id})` : ''}`,
    }),
  duplicate: (name: string, field: string, value: string) =>
    new AppError('duplicate', 409, {
      zh: `${entity(name).zh}的${field}“${value}”已存在`,
      en: `a ${entity(name).en} with ${field} "${value}" already exists`,
    }),
  staleVersion: (name: string) =>
    new AppError('stale_version', 409, {
      zh: `${entity(name).zh}已被他人修改，请刷新后重试`,
      en: `this ${entity(name).en} was changed by someone else; reload and try again`,
    }),
  unauthenticated: () =>
    new AppError('unauthenticated', 401, { zh: '请先登录', en: 'please sign in first' }),
  forbidden: () =>
    new AppError('forbidden', 403, {
      zh: '您没有执行此操作的权限',
      en: 'you do not have permission to do this',
    }),
  csrf: () =>
    new AppError('csrf', 403, {
      zh: '请求缺少有效的 CSRF 令牌，请刷新页面后重试',
      en: 'missing or invalid CSRF token; reload the page and try again',
    }),
  invalid: (msg: Message, fields?: { path: string; message: string }[]) =>
    new AppError('invalid', 400, msg, fields ? { fields } : {}),
  badImport: (rows: TRowError[]) =>
    new AppError(
      'import_rejected',
      422,
      {
        zh: `导入文件有 ${rows.length} 处错误，未导入任何数据`,
        en: `the file has ${rows.length} error(s); nothing was imported`,
      },
      { rows },
    ),
  inUse: (name: string, by: Message) =>
    new AppError('in_use', 409, {
      zh: `${entity(name).zh}仍被${by.zh}引用，不能删除`,
      en: `this ${entity(name).en} is still used by ${by.en} and cannot be deleted`,
    }),
};

/** Pick the message for an Accept-Language header (Chinese unless English is preferred). */
export function pickLanguage(acceptLanguage: string | undefined): 'zh' | 'en' {
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

/**
 * True when a database error (or one it caused) is a unique violation (23505) — of `constraint`
 * when given: how an idempotent retry or a lost race shows itself.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e = err, depth = 0; e && depth < 4; depth++) {
    const x = e as { code?: unknown; constraint?: unknown; message?: unknown };
    if (x.code === '23505') {
      return (
        !constraint ||
        x.constraint === constraint ||
        (typeof x.message === 'string' && x.message.includes(constraint))
      );
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
