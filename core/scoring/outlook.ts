/**
 * The campaign's standing in one paragraph (issue #19 item 4: the combination, the gates and the
 * verdicts shown in the bulletin and the mock evaluation as in the projection). Pure: it only
 * reads a projection. The figures are the projection's; the words follow docs/scoring.md.
 */
import type { TOutlook, TProjection } from '../contracts/scoring.js';
import { DIMENSION_LABELS, type TDimension } from '../survey/questions.js';
import { YEAR_STATUS_LABELS, worstStatus } from './campaign-score.js';

const num = (x: number) => String(Math.round(x * 100) / 100);

function dimension(d: string): { zh: string; en: string } {
  return DIMENSION_LABELS[d as TDimension] ?? { zh: d, en: d };
}

/** The outlook of a projection: its figures and the paragraph that says them. */
export function outlookOf(p: TProjection): TOutlook {
  const c = p.combined;
  const status = c ? worstStatus(p.yearScore.status, c.status) : p.yearScore.status;
  const zh: string[] = [];
  const en: string[] = [];
  if (c && c.total !== null) {
    const parts = c.parts.filter((x) => x.share !== null);
    zh.push(
      `按当前数据预计 ${p.year} 年综合得分 ${num(c.total)} 分（${parts
        .map((x) => `${x.name} ${num(x.score)} 分 × ${x.share}%`)
        .join(' + ')}）。`,
    );
    en.push(
      `On the data so far, ${p.year}'s combined score is projected at ${num(c.total)} (${parts
        .map((x) => `${x.name} ${num(x.score)} × ${x.share}%`)
        .join(' + ')}).`,
    );
    for (const g of c.parts.filter((x) => x.gate !== null)) {
      zh.push(
        g.gatePassed
          ? `${g.name} ${num(g.score)} 分，达到 ${g.gate} 分的申报门槛。`
          : `${g.name} ${num(g.score)} 分，低于 ${g.gate} 分的申报门槛，不得申报。`,
      );
      en.push(
        g.gatePassed
          ? `${g.name} scores ${num(g.score)}, over the gate of ${g.gate}.`
          : `${g.name} scores ${num(g.score)}, under the gate of ${g.gate}: the city may not apply.`,
      );
    }
  } else {
    zh.push(`按当前数据预计 ${p.year} 年${p.framework.name}得分 ${num(p.yearScore.score)} 分。`);
    en.push(
      `On the data so far, ${p.year}'s score under ${p.framework.name} is projected at ${num(p.yearScore.score)}.`,
    );
  }
  const below = p.yearScore.floor.below;
  if (below.length > 0) {
    const floor = p.campaign.surveyFloor.minRate;
    zh.push(
      `问卷${below.map((d) => dimension(d).zh).join('、')}低于 ${floor}% 的底线${
        p.yearScore.floor.vetoed
          ? '，按规则一票否决，不论总分多少'
          : p.yearScore.floor.deducted > 0
            ? `，扣 ${num(p.yearScore.floor.deducted)} 分`
            : ''
      }。`,
    );
    en.push(
      `The survey's ${below.map((d) => dimension(d).en.toLowerCase()).join(', ')} ${
        below.length > 1 ? 'are' : 'is'
      } under the floor of ${floor}%${
        p.yearScore.floor.vetoed
          ? ': the year is vetoed whatever the total'
          : p.yearScore.floor.deducted > 0
            ? `: ${num(p.yearScore.floor.deducted)} points off`
            : ''
      }.`,
    );
  }
  const others = p.yearScore.verdicts.filter((v) => v !== 'vetoed');
  if (others.length > 0) {
    zh.push(`负面清单：${others.map((v) => YEAR_STATUS_LABELS[v].zh).join('、')}。`);
    en.push(`Negative list: ${others.map((v) => YEAR_STATUS_LABELS[v].en).join(', ')}.`);
  }
  if (status === 'ok' && below.length === 0) {
    zh.push('暂无否决、暂停或不得申报的情形。');
    en.push('No veto, suspension or bar applies so far.');
  }
  return {
    campaign: { id: p.campaign.id, name: p.campaign.name },
    year: p.year,
    framework: { id: p.framework.id, name: p.framework.name },
    yearScore: p.yearScore.score,
    status,
    verdicts: p.yearScore.verdicts,
    floorBelow: below,
    combined: c,
    fieldRound: p.sources.fieldRound?.name ?? null,
    surveyRound: p.sources.surveyRound?.name ?? null,
    text: { zh: zh.join(''), en: en.join(' ') },
  };
}
