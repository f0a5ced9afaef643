import { AppError, type Message } from '../../platform/errors.js';

const ENTITY = {
  household: { zh: '文明户', en: 'household' },
  rating: { zh: '星级评定', en: 'star rating' },
  criterion: { zh: '星级标准', en: 'star criterion' },
  grid: { zh: '网格', en: 'grid' },
  region: { zh: '社区', en: 'community' },
} satisfies Record<string, Message>;
type Entity = keyof typeof ENTITY;

const field = (path: string, m: Message) => [{ path, message: `${m.zh} / ${m.en}` }];

/** Errors of 十星级文明户, in both languages. */
export const starErrors = {
  notFound: (e: Entity, id?: number | string) =>
    new AppError('not_found', 404, {
      zh: `${ENTITY[e].zh}不存在${id !== undefined ? `（${id}）` : ''}`,
      en: `${ENTITY[e].en} not found${id !== undefined ? ` (${id})` : ''}`,
    }),
  stale: (e: Entity) =>
    new AppError('stale_version', 409, {
      zh: `${ENTITY[e].zh}已被他人修改，请刷新后重试`,
      en: `this ${ENTITY[e].en} was changed by someone else; reload and try again`,
    }),
  notOwnGrid: () =>
    new AppError('not_own_grid', 403, {
      zh: '只能登记自己所在网格的住户',
      en: 'you can register households only in your own grids',
    }),
  gridInactive: () =>
    new AppError('grid_inactive', 409, {
      zh: '该网格已停用',
      en: 'this grid is no longer in use',
    }),
  householdInactive: () =>
    new AppError('household_inactive', 409, {
      zh: '该户已停用，不能评星',
      en: 'this household is no longer in use and cannot be rated',
    }),
  duplicateAddress: (address: string) =>
    new AppError('duplicate', 409, {
      zh: `该网格已登记住址“${address}”的住户`,
      en: `a household at "${address}" is already registered in this grid`,
    }),
  duplicateCode: (code: string) =>
    new AppError('duplicate', 409, {
      zh: `星级标准代码“${code}”已存在`,
      en: `a star criterion with code "${code}" already exists`,
    }),
  unknownStars: (codes: string[]) => {
    const m = {
      zh: `未知或已停用的星级：${codes.join('、')}`,
      en: `unknown or retired stars: ${codes.join(', ')}`,
    };
    return new AppError('invalid', 400, m, { fields: field('stars', m) });
  },
  futureYear: () => {
    const m = { zh: '不能评定未来年度', en: 'a future year cannot be rated' };
    return new AppError('invalid', 400, m, { fields: field('year', m) });
  },
  approved: () =>
    new AppError('rating_approved', 409, {
      zh: '该户本年度的星级评定已审核通过，不能再次申报',
      en: "this household's rating of the year is already approved",
    }),
  duplicateRating: () =>
    new AppError('duplicate', 409, {
      zh: '该户本年度已有星级评定，请刷新后重试',
      en: 'this household already has a rating of the year; reload and try again',
    }),
  notProposed: () =>
    new AppError('not_proposed', 409, {
      zh: '只有待审核的评定可以审核',
      en: 'only a proposed rating can be reviewed',
    }),
  ownProposal: () =>
    new AppError('own_proposal', 403, {
      zh: '不能审核自己申报的评定',
      en: 'you cannot review a rating you proposed',
    }),
  reasonRequired: () => {
    const m = { zh: '退回须说明原因', en: 'a returned rating needs a reason' };
    return new AppError('invalid', 400, m, { fields: field('reason', m) });
  },
  coordinatesPaired: () => {
    const m = { zh: '经纬度须同时填写', en: 'give latitude and longitude together' };
    return new AppError('invalid', 400, m, { fields: field('lat', m) });
  },
  notTenStar: () =>
    new AppError('not_ten_star', 409, {
      zh: '只有审核通过的十星级文明户可以登记为文明家庭',
      en: 'only an approved ten-star household can be registered as a civilized family',
    }),
  alreadyRegistered: () =>
    new AppError('already_registered', 409, {
      zh: '该户已登记为文明家庭',
      en: 'this household is already registered as a civilized family',
    }),
};
