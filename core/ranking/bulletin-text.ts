/**
 * Sentences of the 通报 (the printed notice and its workbook say the same). A notice names only
 * what happened: with no 流动红旗 or no 黑牌 it says so in words, never with a placeholder. Pure.
 */

interface FlagClass {
  label: { zh: string };
  rows: readonly { unitName: string; rank: number | null; flag: 'red' | 'black' | null }[];
}

/** 本月 / 本周: how the notice names its own period ("2026-11" or "2026-W47"). */
export function periodWord(period: string): string {
  return period.includes('W') ? '本周' : '本月';
}

/** The flagged units of one colour as "单位（类别）、…", in class order. */
export function flaggedUnits(classes: readonly FlagClass[], flag: 'red' | 'black'): string[] {
  return classes.flatMap((c) =>
    c.rows.filter((r) => r.flag === flag).map((r) => `${r.unitName}（${c.label.zh}）`),
  );
}

/**
 * The 流动红旗与黑牌 sentence: who gets the red flag and who the black card, or, for a colour nobody
 * got, that nobody did (e.g. "本月无单位获流动红旗；对…予以黑牌警示。").
 */
export function flagSentence(period: string, classes: readonly FlagClass[]): string {
  const when = periodWord(period);
  const red = flaggedUnits(classes, 'red');
  const black = flaggedUnits(classes, 'black');
  if (!classes.some((c) => c.rows.some((r) => r.rank !== null))) {
    return `${when}无单位达到排名样本数，未评定流动红旗和黑牌。`;
  }
  if (!red.length && !black.length) return `${when}无单位获流动红旗，无黑牌单位。`;
  const redPart = red.length ? `授予${red.join('、')}流动红旗` : `${when}无单位获流动红旗`;
  const blackPart = black.length ? `对${black.join('、')}予以黑牌警示` : `${when}无黑牌单位`;
  return `${redPart}；${blackPart}。`;
}

/** The field-inspection sentence: the visits of the period (个次) and their 合格率, or none. */
export function visitSentence(period: string, visits: number, passRate: number | null): string {
  if (visits === 0) return `${periodWord(period)}无实地检查记录。`;
  if (passRate === null) return `实地检查点位 ${visits} 个次（检查项均不适用）。`;
  return `实地检查点位 ${visits} 个次，合格率 ${(passRate * 100).toFixed(1)}%。`;
}
