/**
 * What a household visit (入户宣传) delivers, as the forms offer it. Kept out of the zod contracts
 * so the phone app's visit flow does not load zod for a list of words.
 */
export const PUBLICITY_ITEMS = [
  '核心价值观',
  '创城知识',
  '文明公约',
  '垃圾分类',
  '志愿服务',
  '问卷引导',
] as const;
