import { describe, expect, it } from 'vitest';
import { outlookOf } from './outlook.js';
import { combinedFixture as combined, projectionFixture } from './projection.fixture.js';

describe('outlookOf', () => {
  it('says the framework score alone when the campaign combines nothing', () => {
    const o = outlookOf(projectionFixture());
    expect(o).toMatchObject({ year: 2026, yearScore: 77.5, status: 'ok', combined: null });
    expect(o.text.zh).toBe(
      '按当前数据预计 2026 年全国文明城市测评体系（地级市）得分 77.5 分。暂无否决、暂停或不得申报的情形。',
    );
    expect(o.fieldRound).toBe('第一次模拟测评');
  });

  // BRIEF §1.1: the minors' test counts 20 % of the total and under 85 the city may not apply.
  it('spells out the combination and a passed gate of the minors’ test (BRIEF §1.1)', () => {
    const o = outlookOf(projectionFixture({ combined: combined(96) }));
    expect(o.text.zh).toContain(
      '综合得分 81.2 分（全国文明城市测评体系 77.5 分 × 80% + 未成年人思想道德建设工作测评体系 96 分 × 20%）',
    );
    expect(o.text.zh).toContain('96 分，达到 85 分的申报门槛');
    expect(o.status).toBe('ok');
  });

  it('makes a failed gate the year’s verdict: 不得申报, the score still printed', () => {
    const o = outlookOf(projectionFixture({ combined: combined(80) }));
    expect(o.status).toBe('barred');
    expect(o.text.zh).toContain('80 分，低于 85 分的申报门槛，不得申报');
    expect(o.text.en).toContain('under the gate of 85');
    expect(o.text.zh).not.toContain('暂无否决');
  });

  // Seed "调查结果有最低分值要求、不达标直接否决": a veto, whatever the total.
  it('names the survey dimensions under the floor and the veto', () => {
    const base = projectionFixture();
    const o = outlookOf(
      projectionFixture({
        campaign: {
          ...base.campaign,
          surveyFloor: { enabled: true, minRate: 80, effect: 'veto', points: 0 },
        },
        yearScore: {
          ...base.yearScore,
          status: 'vetoed',
          verdicts: ['vetoed'],
          floor: { below: ['participation'], effect: 'veto', vetoed: true, deducted: 0 },
        },
      }),
    );
    expect(o.status).toBe('vetoed');
    expect(o.floorBelow).toEqual(['participation']);
    expect(o.yearScore).toBe(77.5);
    expect(o.text.zh).toContain('问卷参与率低于 80% 的底线，按规则一票否决，不论总分多少。');
    expect(o.text.en).toContain('participation is under the floor of 80%: the year is vetoed');
  });

  it('reports negative-list verdicts besides the veto, worst first as the projection lists them', () => {
    const base = projectionFixture();
    const o = outlookOf(
      projectionFixture({
        yearScore: { ...base.yearScore, status: 'suspended', verdicts: ['suspended'] },
      }),
    );
    expect(o.status).toBe('suspended');
    expect(o.text.zh).toContain('负面清单：暂停资格。');
  });
});
