import { AppError, type Message } from '../../platform/errors.js';

const ENTITY = {
  survey: { zh: '问卷调查', en: 'survey' },
  questionnaire: { zh: '问卷', en: 'questionnaire' },
  round: { zh: '调查轮次', en: 'survey round' },
  quota: { zh: '配额', en: 'quota' },
  response: { zh: '答卷', en: 'response' },
  region: { zh: '社区', en: 'community' },
  campaign: { zh: '创建周期', en: 'campaign' },
} satisfies Record<string, Message>;
type Entity = keyof typeof ENTITY;

/** Errors of the surveys module, in both languages. */
export const surveyErrors = {
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
  published: () =>
    new AppError('immutable', 409, {
      zh: '已发布的问卷不能修改，请新建版本',
      en: 'a published questionnaire cannot change; make a new version',
    }),
  draftExists: () =>
    new AppError('draft_exists', 409, {
      zh: '该人群已有未发布的草稿版本',
      en: 'this group already has an unpublished draft',
    }),
  householdTaken: (code: string) =>
    new AppError('duplicate_household', 409, {
      zh: `户码“${code}”本轮已有答卷`,
      en: `household "${code}" has already answered in this round`,
    }),
  clientIdTaken: () =>
    new AppError('duplicate', 409, {
      zh: '该记录编号已被他人使用',
      en: 'this record id was used by someone else',
    }),
  notYourQuota: () =>
    new AppError('forbidden', 403, {
      zh: '该配额未分配给您',
      en: 'this quota is not assigned to you',
    }),
  roundClosed: () =>
    new AppError('round_closed', 409, {
      zh: '本轮调查已结束',
      en: 'this survey round is closed',
    }),
  noQuestionnaire: (group: string) =>
    new AppError('no_questionnaire', 409, {
      zh: `人群 ${group} 尚无已发布的问卷`,
      en: `group ${group} has no published questionnaire`,
    }),
  badRespondent: (fields: { path: string; message: string }[]) =>
    new AppError(
      'invalid',
      400,
      {
        zh: '调查方式或受访者信息不完整',
        en: 'the interview mode or the respondent details are incomplete',
      },
      { fields },
    ),
  badAnswers: (fields: { path: string; message: string }[]) =>
    new AppError(
      'invalid',
      400,
      { zh: '答卷内容不完整或有误', en: 'the answers are incomplete or wrong' },
      { fields },
    ),
};
