/**
 * 随机查看: besides the computer draw from the declared points, the test's inspectors look at
 * places of six kinds they pick on the spot — "街巷、公厕、小型餐馆、娱乐场所、网吧、营业厅(包括银行、
 * 邮政、移动、电信、联通)" (seed 001, a district's 2016 测评 briefing). A point type of one of these
 * kinds allows it by default; the office can switch it on or off per type.
 */
const KINDS = /街巷|小巷|巷道|公厕|厕所|餐馆|饭馆|餐饮|小吃|娱乐|歌舞|KTV|网吧|营业厅|银行|邮政/i;

/** Whether a point type of this name allows 随机查看 unless the office says otherwise. */
export function randomCheckByDefault(typeName: string): boolean {
  return KINDS.test(typeName);
}
