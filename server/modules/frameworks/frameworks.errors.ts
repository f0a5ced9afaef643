import { AppError, type Message } from '../../platform/errors.js';

const ENTITY = {
  campaign: { zh: '创建周期', en: 'campaign' },
  framework: { zh: '测评体系', en: 'framework' },
  version: { zh: '测评体系版本', en: 'framework version' },
  node: { zh: '测评项目/内容/标准', en: 'framework node' },
  parent: { zh: '上级节点', en: 'parent node' },
  negative: { zh: '负面清单条目', en: 'negative-list item' },
  assignment: { zh: '任务', en: 'assignment' },
} satisfies Record<string, Message>;
type Entity = keyof typeof ENTITY;

/** Errors of the frameworks module, in both languages. */
export const fwErrors = {
  notFound: (e: Entity, id?: number) =>
    new AppError('not_found', 404, {
      zh: `${ENTITY[e].zh}不存在${id !== undefined ? `（${id}）` : ''}`,
      en: `${ENTITY[e].en} not found${id !== undefined ? ` (${id})` : ''}`,
    }),
  stale: (e: Entity) =>
    new AppError('stale_version', 409, {
      zh: `${ENTITY[e].zh}已被他人修改，请刷新后重试`,
      en: `this ${ENTITY[e].en} was changed by someone else; reload and try again`,
    }),
  duplicateCode: (code: string) =>
    new AppError('duplicate', 409, {
      zh: `编号“${code}”在该版本中已存在`,
      en: `code "${code}" already exists in this version`,
    }),
  draftExists: (number: number) =>
    new AppError('draft_exists', 409, {
      zh: `该测评体系已有草稿版本 v${number}，请在草稿上修改（或删除草稿后再改）`,
      en: `this framework already has a draft (v${number}); edit the draft, or delete it first`,
    }),
  notDraft: (number: number) =>
    new AppError('not_draft', 409, {
      zh: `v${number} 不是草稿，无需发布`,
      en: `v${number} is not a draft; there is nothing to publish`,
    }),
  linksLost: (n: number) =>
    new AppError('links_lost', 409, {
      zh: `发布后有 ${n} 处关联（档案、问卷题目、检查项等）找不到对应的标准；请先查看发布预览，确认后再发布`,
      en: `${n} link(s) (dossiers, survey questions, check items…) would find no standard in the new version; review the publish preview and confirm`,
    }),
  invalid: (zh: string, en: string, path?: string) =>
    new AppError(
      'invalid',
      400,
      { zh, en },
      path ? { fields: [{ path, message: `${zh} / ${en}` }] } : {},
    ),
  conflict: (code: string, zh: string, en: string) => new AppError(code, 409, { zh, en }),
  badFile: () =>
    new AppError('bad_file', 400, {
      zh: '无法读取文件：请上传 JSON 或 Excel（.xlsx）文件',
      en: 'cannot read the file: upload a JSON file or an Excel (.xlsx) workbook',
    }),
};
