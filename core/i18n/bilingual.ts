const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const count = (s: string, c: string) => s.split(c).length - 1;

/**
 * A message worded in both languages, "中文 / English" (import rows' reasons, zod's validation
 * messages: core/contracts/zod-setup.ts, field errors), in one language. The separator is the
 * first " / " with Chinese before it, no Chinese right after it and no quote or bracket left open
 * before it, so a " / " inside a quoted cell value ("甲 / 乙", "a / b") does not split the message.
 * A message in one language only comes back as it is. Used by the server (an error's messageZh
 * and messageEn) and the web (a field's error in the form's language).
 */
export function inLanguage(message: string, lang: 'zh' | 'en'): string {
  for (let at = message.indexOf(' / '); at >= 0; at = message.indexOf(' / ', at + 1)) {
    const zh = message.slice(0, at);
    const en = message.slice(at + 3);
    const closed =
      count(zh, '“') === count(zh, '”') &&
      count(zh, '（') === count(zh, '）') &&
      count(zh, '(') === count(zh, ')') &&
      count(zh, '"') % 2 === 0;
    if (closed && CJK.test(zh) && en !== '' && !CJK.test(en[0]!)) return lang === 'en' ? en : zh;
  }
  return message;
}
