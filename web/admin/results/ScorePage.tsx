import {
  Alert,
  Card,
  Col,
  Empty,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import type { TProjectedStandard } from '../../../core/contracts/scoring.js';
import { METHOD_BUCKET_LABELS, METHOD_LABELS } from '../../../core/frameworks/methods.js';
import { YEAR_STATUS_LABELS } from '../../../core/scoring/campaign-score.js';
import { SURVEY_CURVE_LABELS, SURVEY_FLOOR_EFFECT_LABELS } from '../../../core/scoring/rules.js';
import { DIMENSION_LABELS, type TDimension } from '../../../core/survey/questions.js';
import { useApi } from '../../shared/api-query.js';
import { useApiEach } from '../../shared/api-query-each.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { CHART_COLORS, Chart, type ChartOption } from '../chart.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const SOURCE_LABELS = {
  evidence: L.framework.archive,
  field: { zh: '实地测评', en: 'Field round' },
  survey: L.surveys.surveyMethod,
} as const;
const SOURCE_COLORS = { evidence: 'blue', field: 'green', survey: 'orange' } as const;

/** One year's score as a gauge out of 100 (grey when projected from the latest known year). */
function YearGauge(props: { year: number; score: number; known: boolean; weight: number }) {
  const { t } = useI18n();
  const option = useMemo(
    (): ChartOption => ({
      series: [
        {
          type: 'gauge',
          min: 0,
          max: 100,
          startAngle: 210,
          endAngle: -30,
          progress: { show: true, width: 14 },
          axisLine: { lineStyle: { width: 14 } },
          axisLabel: { show: false },
          splitLine: { show: false },
          axisTick: { show: false },
          pointer: { show: false },
          itemStyle: { color: props.known ? CHART_COLORS.primary : CHART_COLORS.muted },
          detail: {
            valueAnimation: false,
            fontSize: 24,
            offsetCenter: [0, 0],
            formatter: '{value}',
          },
          data: [{ value: props.score }],
        },
      ],
    }),
    [props.score, props.known],
  );
  return (
    <div style={{ textAlign: 'center' }} data-testid={`year-${props.year}`}>
      <Chart
        option={option}
        height={150}
        summary={
          props.known
            ? t({
                zh: `${props.year} 年得分 ${props.score}`,
                en: `${props.year}: score ${props.score}`,
              })
            : t({
                zh: `${props.year} 年得分 ${props.score}（按最近一年推算）`,
                en: `${props.year}: score ${props.score} (projected)`,
              })
        }
      />
      <Typography.Text strong>
        {props.year} · {t({ zh: '权重', en: 'weight' })} {props.weight}%
      </Typography.Text>{' '}
      {!props.known && <Tag>{t({ zh: '按最近一年推算', en: 'projected' })}</Tag>}
    </div>
  );
}

interface TreeRow {
  key: string;
  code: string;
  text: string;
  weightedMax: number;
  weightedEarned: number;
  standard?: TProjectedStandard;
  children?: TreeRow[];
}

/** 测评得分预估: the projected year and cycle score, its breakdown and where points are lost. */
export function ScorePage() {
  const { t, lang } = useI18n();
  const campaignsQ = useApi('GET /api/campaigns', CITY_CAMPAIGNS);
  const campaigns = campaignsQ.data?.items ?? [];
  const [pickedCampaign, setCampaignId] = useState<number | null>(null);
  const campaignId = pickedCampaign ?? campaigns[0]?.id ?? null;
  // The framework and year asked for: the server's choice until the user picks (then both stay).
  const [pickedFramework, setFrameworkId] = useState<number | null>(null);
  const [pickedYear, setYear] = useState<number | null>(null);
  const [roundId, setRoundId] = useState<number | null>(null);
  const [surveyRoundId, setSurveyRoundId] = useState<number | null>(null);
  // The rounds to take the field share from (none offered when they cannot be read).
  const rounds = useApi('GET /api/rounds', {}).data?.items ?? [];

  // The survey rounds of the campaign's surveys, for choosing which one gives the survey share.
  const surveys = useApi('GET /api/surveys', campaignId === null ? null : {}).data ?? [];
  const surveyRounds = useApiEach(
    'GET /api/surveys/:id/rounds',
    surveys.filter((x) => x.campaignId === campaignId).map((x) => ({ params: { id: x.id } })),
  ).flatMap((q) => q.data ?? []);

  const projection = useApi(
    'GET /api/scoring/projection',
    campaignId === null
      ? null
      : {
          query: {
            campaignId,
            frameworkId: pickedFramework ?? undefined,
            year: pickedYear ?? undefined,
            roundId: roundId ?? undefined,
            surveyRoundId: surveyRoundId ?? undefined,
          },
        },
    // The last projection stays on screen while another is computed.
    { placeholderData: keepPreviousData },
  );
  const p = projection.isError ? null : (projection.data ?? null);
  const failed = campaignsQ.error ?? projection.error;
  const error = failed ? errorText(failed, lang) : null;
  const frameworkId = pickedFramework ?? p?.framework.id ?? null;
  const year = pickedYear ?? p?.year ?? null;
  /** Keeps the framework and year shown while another choice is made. */
  const pin = () => {
    setFrameworkId(frameworkId);
    setYear(year);
  };

  const campaign = campaigns.find((c) => c.id === campaignId);
  const years = campaign
    ? Array.from({ length: campaign.cycleYears }, (_, i) => campaign.cycleStartYear + i)
    : [];
  const tree: TreeRow[] =
    p?.items.map((i) => ({
      key: `i:${i.key}`,
      code: i.code,
      text: i.text,
      weightedMax: i.weightedMax,
      weightedEarned: i.weightedEarned,
      children: i.contents.map((c) => ({
        key: `c:${c.key}`,
        code: c.code,
        text: c.text,
        weightedMax: c.weightedMax,
        weightedEarned: c.weightedEarned,
        children: c.standards.map((s) => ({
          key: `s:${s.key}`,
          code: s.code,
          text: s.text,
          weightedMax: s.weightedMax,
          weightedEarned: s.weightedEarned,
          standard: s,
        })),
      })),
    })) ?? [];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t({ zh: '测评得分预估', en: 'Projected score' })}
        extra={
          <Space wrap>
            <Select
              style={{ width: 200 }}
              value={campaignId}
              onChange={(v) => {
                setCampaignId(v);
                setFrameworkId(null);
                setYear(null);
                setSurveyRoundId(null);
              }}
              options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
              placeholder={t(L.framework.campaign)}
              data-testid="score-campaign"
            />
            <Select
              style={{ width: 200 }}
              value={frameworkId}
              onChange={(v: number) => {
                pin();
                setFrameworkId(v);
              }}
              options={(campaign?.frameworks ?? []).map((f) => ({ value: f.id, label: f.name }))}
              placeholder={t(L.framework.framework)}
            />
            <Select
              style={{ width: 100 }}
              value={year}
              onChange={(v: number) => {
                pin();
                setYear(v);
              }}
              options={years.map((y) => ({ value: y, label: String(y) }))}
              data-testid="score-year"
            />
            <Select
              style={{ width: 240 }}
              allowClear
              value={roundId}
              onChange={(v) => {
                pin();
                setRoundId(v ?? null);
              }}
              placeholder={t({
                zh: '实地：最近的正式/模拟轮次',
                en: 'Field: latest official/mock round',
              })}
              options={rounds.map((r) => ({ value: r.id, label: r.name }))}
            />
            <Select
              style={{ width: 200 }}
              allowClear
              value={surveyRoundId}
              onChange={(v) => {
                pin();
                setSurveyRoundId(v ?? null);
              }}
              placeholder={t({ zh: '问卷：最近一轮', en: 'Survey: latest round' })}
              options={surveyRounds.map((r) => ({ value: r.id, label: r.name }))}
            />
          </Space>
        }
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {!p && !error && <Empty />}
        {p && (
          <Row gutter={16} align="middle">
            <Col xs={24} md={6}>
              <Statistic
                title={t({ zh: '周期总分（预估）', en: 'Cycle total (projected)' })}
                value={p.cycle.total}
                precision={2}
                styles={{ content: { fontSize: 40, color: '#1677ff' } }}
                data-testid="cycle-total"
              />
              <Statistic
                title={t({ zh: `${p.year} 年得分`, en: `${p.year} score` })}
                value={p.yearScore.score}
                precision={2}
                data-testid="year-score"
              />
              <Typography.Text type="secondary">
                {t({ zh: '扣分前', en: 'before deductions' })} {p.yearScore.base} ·{' '}
                {t(L.framework.deduction)} {p.yearScore.deducted}
                {p.cycle.status !== 'ok' && (
                  <Tag color="red" style={{ marginLeft: 8 }} data-testid="cycle-status">
                    {t(YEAR_STATUS_LABELS[p.cycle.status])}
                  </Tag>
                )}
              </Typography.Text>
            </Col>
            {p.cycle.perYear.map((y) => (
              <Col xs={24} md={6} key={y.year}>
                <YearGauge {...y} />
              </Col>
            ))}
          </Row>
        )}
      </Card>
      {p && (
        <>
          {p.yearScore.verdicts.map((v) => (
            <Alert
              key={v}
              type="error"
              showIcon
              data-testid={`verdict-${v}`}
              title={t({
                zh: `${p.year} 年：${YEAR_STATUS_LABELS[v].zh}（得分 ${p.yearScore.score} 照常列出）`,
                en: `${p.year}: ${YEAR_STATUS_LABELS[v].en} (the score of ${p.yearScore.score} is shown as computed)`,
              })}
              description={
                v === 'vetoed'
                  ? t({
                      zh: `问卷 ${p.yearScore.floor.below
                        .map((d) => DIMENSION_LABELS[d as TDimension]?.zh ?? d)
                        .join(
                          '、',
                        )}低于底线 ${p.campaign.surveyFloor.minRate}%，按规则一票否决，不论总分多少。`,
                      en: `Survey ${p.yearScore.floor.below.join(', ')} under the ${p.campaign.surveyFloor.minRate}% floor: vetoed whatever the total.`,
                    })
                  : p.negativeEffects
                      .filter((e) =>
                        e.kinds.includes(
                          v === 'barred'
                            ? 'bar_application'
                            : v === 'suspended'
                              ? 'suspend_title'
                              : 'disqualify',
                        ),
                      )
                      .map((e) => `${e.code} ${e.text}：${t({ zh: e.zh, en: e.en })}`)
                      .join('；') ||
                    (v === 'barred' && p.combined?.gatesFailed.length
                      ? t({
                          zh: `${p.combined.gatesFailed.join('、')}未达到申报门槛`,
                          en: `${p.combined.gatesFailed.join(', ')} under the gate to apply`,
                        })
                      : undefined)
              }
            />
          ))}
          {p.yearScore.floor.below.length > 0 && p.yearScore.floor.effect !== 'veto' && (
            <Alert
              type="warning"
              showIcon
              data-testid="floor-warning"
              title={t({
                zh: `问卷底线预警：${p.yearScore.floor.below
                  .map((d) => DIMENSION_LABELS[d as TDimension]?.zh ?? d)
                  .join('、')}低于 ${p.campaign.surveyFloor.minRate}%`,
                en: `Survey floor: ${p.yearScore.floor.below.join(', ')} below ${p.campaign.surveyFloor.minRate}%`,
              })}
              description={`${t(
                SURVEY_FLOOR_EFFECT_LABELS[
                  p.yearScore.floor.effect as keyof typeof SURVEY_FLOOR_EFFECT_LABELS
                ] ?? { zh: '', en: '' },
              )}${
                p.yearScore.floor.deducted > 0
                  ? t({
                      zh: `（扣 ${p.yearScore.floor.deducted} 分）`,
                      en: ` (−${p.yearScore.floor.deducted} points)`,
                    })
                  : ''
              } · ${p.surveyRates
                .map(
                  (r) =>
                    `${t(DIMENSION_LABELS[r.dimension as TDimension] ?? { zh: r.dimension, en: r.dimension })} ${pct(r.rate)}`,
                )
                .join(' · ')}`}
            />
          )}
          {p.combined && (
            <Card
              size="small"
              data-testid="combined"
              title={t({
                zh: `合并计分（${p.combined.year}）：${p.combined.total ?? '—'} 分 · ${YEAR_STATUS_LABELS[p.combined.status].zh}`,
                en: `Combined (${p.combined.year}): ${p.combined.total ?? '—'} · ${YEAR_STATUS_LABELS[p.combined.status].en}`,
              })}
            >
              {p.combined.issues.map((i) => (
                <Alert
                  key={i.zh}
                  type="warning"
                  showIcon
                  title={t(i)}
                  style={{ marginBottom: 8 }}
                />
              ))}
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={p.combined.parts}
                columns={[
                  { title: t(L.framework.framework), dataIndex: 'name' },
                  {
                    title: t({ zh: '占比', en: 'Share' }),
                    width: 90,
                    render: (_: unknown, r) =>
                      r.share === null ? t({ zh: '单独计分', en: 'own' }) : `${r.share}%`,
                  },
                  {
                    title: t({ zh: '年度得分', en: 'Year score' }),
                    dataIndex: 'score',
                    width: 100,
                  },
                  {
                    title: t({ zh: '计入总分', en: 'Counts' }),
                    width: 100,
                    render: (_: unknown, r) => r.points ?? '—',
                  },
                  {
                    title: t({ zh: '申报门槛', en: 'Gate' }),
                    width: 150,
                    render: (_: unknown, r) =>
                      r.gate === null ? (
                        '—'
                      ) : (
                        <Tag color={r.gatePassed ? 'green' : 'red'}>
                          {`≥ ${r.gate} · ${
                            r.gatePassed
                              ? t({ zh: '达到', en: 'met' })
                              : t({ zh: '未达到，不得申报', en: 'not met: may not apply' })
                          }`}
                        </Tag>
                      ),
                  },
                  {
                    title: t({ zh: '结论', en: 'Verdict' }),
                    width: 140,
                    render: (_: unknown, r) => (
                      <Tag color={r.status === 'ok' ? 'green' : 'red'}>
                        {t(YEAR_STATUS_LABELS[r.status])}
                      </Tag>
                    ),
                  },
                ]}
              />
            </Card>
          )}
          <Typography.Text type="secondary" data-testid="score-rules">
            {t({
              zh: `计分规则：材料 ${p.rules.methodWeights.material}% / 实地 ${p.rules.methodWeights.field}% / 问卷 ${p.rules.methodWeights.survey}%（${p.rules.sources.methodWeights === 'framework' ? '本体系' : '沿用创建周期'}）；年度权重 ${p.rules.cycleWeights.join('/')}；问卷计分：${SURVEY_CURVE_LABELS[p.rules.surveyCurve.kind].zh}${p.rules.surveyCurve.kind === 'bands' ? `（${p.rules.surveyCurve.bands.map((b) => `${b.grade}${b.above === null ? '' : `>${b.above}%`}得${b.share}%`).join('，')}）` : ''}；问卷底线 ${p.rules.surveyFloor.enabled ? `${p.rules.surveyFloor.minRate}%·${SURVEY_FLOOR_EFFECT_LABELS[p.rules.surveyFloor.effect].zh}` : '未启用'}。`,
              en: `Rules: material ${p.rules.methodWeights.material}% / field ${p.rules.methodWeights.field}% / survey ${p.rules.methodWeights.survey}% (${p.rules.sources.methodWeights}); years ${p.rules.cycleWeights.join('/')}; survey scoring: ${SURVEY_CURVE_LABELS[p.rules.surveyCurve.kind].en}; floor ${p.rules.surveyFloor.enabled ? `${p.rules.surveyFloor.minRate}% · ${SURVEY_FLOOR_EFFECT_LABELS[p.rules.surveyFloor.effect].en}` : 'off'}.`,
            })}
          </Typography.Text>
          {p.yearScore.unknown > 0 && (
            <Alert
              type="info"
              showIcon
              message={t({
                zh: `${p.yearScore.unknown} 条测评标准尚无依据，按 0 分计入（不高估）`,
                en: `${p.yearScore.unknown} standards have no basis yet and count as 0`,
              })}
            />
          )}
          <Row gutter={16}>
            {p.parts.map((part) => (
              <Col xs={24} md={8} key={part.bucket}>
                <Card size="small" data-testid={`part-${part.bucket}`}>
                  <Statistic
                    title={`${t(METHOD_BUCKET_LABELS[part.bucket])} · ${part.weight}%`}
                    value={part.points}
                    precision={2}
                    suffix={`/ ${part.weight}`}
                  />
                  <Typography.Text type="secondary">
                    {t(L.framework.scoreRate)} {pct(part.share)} · {part.earned}/{part.maxScore}
                  </Typography.Text>
                </Card>
              </Col>
            ))}
          </Row>
          <Card size="small" title={t({ zh: '依据来源', en: 'Sources' })}>
            <Space wrap>
              <span>
                {t({ zh: '实地：', en: 'Field: ' })}
                {p.sources.fieldRound
                  ? `${p.sources.fieldRound.name}（${p.sources.fieldRound.visits} ${t({ zh: '个点位', en: 'points' })}）`
                  : t(L.common.none)}
              </span>
              <span>
                {t({ zh: '问卷：', en: 'Survey: ' })}
                {p.sources.surveyRound
                  ? `${p.sources.surveyRound.name}（${p.sources.surveyRound.responses} ${t({ zh: '份', en: 'responses' })}）`
                  : t(L.common.none)}
              </span>
              <span>
                {t({ zh: '档案等次：', en: 'Grades: ' })}
                {Object.entries(p.sources.gradeShares)
                  .map(([g, s]) => `${g} ${pct(s)}`)
                  .join(' · ')}
              </span>
            </Space>
          </Card>
          <Card size="small" title={t({ zh: '得分明细（项目 → 内容 → 标准）', en: 'Breakdown' })}>
            <Table<TreeRow>
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={tree}
              expandable={{ defaultExpandedRowKeys: tree.map((r) => r.key) }}
              data-testid="score-tree"
              columns={[
                { title: t(L.common.code), dataIndex: 'code', width: 140 },
                { title: t(L.common.text), dataIndex: 'text', ellipsis: true },
                {
                  title: t(L.common.source),
                  width: 170,
                  render: (_: unknown, r) =>
                    r.standard && (
                      <Space size={4}>
                        <Tag color={SOURCE_COLORS[r.standard.source]}>
                          {t(SOURCE_LABELS[r.standard.source])}
                        </Tag>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t(METHOD_LABELS[r.standard.method])}
                        </Typography.Text>
                      </Space>
                    ),
                },
                {
                  title: t(L.framework.scoreRate),
                  width: 90,
                  render: (_: unknown, r) =>
                    r.standard ? (
                      r.standard.unknown ? (
                        <Tag>{t(L.common.unknown)}</Tag>
                      ) : (
                        pct(r.standard.share)
                      )
                    ) : null,
                },
                {
                  title: t({ zh: '得分 / 满分（折合百分制）', en: 'Points / max (of 100)' }),
                  width: 170,
                  render: (_: unknown, r) => `${r.weightedEarned} / ${r.weightedMax}`,
                },
                {
                  title: t({ zh: '依据', en: 'Basis' }),
                  render: (_: unknown, r) => r.standard && t(r.standard.detail),
                },
              ]}
            />
          </Card>
          <Card size="small" title={t({ zh: '失分风险（按失分排序）', en: 'Points at risk' })}>
            <Table
              size="small"
              rowKey="key"
              pagination={{ pageSize: 10 }}
              dataSource={p.atRisk}
              data-testid="at-risk"
              columns={[
                { title: t({ zh: '标准', en: 'Standard' }), dataIndex: 'code', width: 120 },
                { title: t(L.common.text), dataIndex: 'text', ellipsis: true },
                {
                  title: t({ zh: '预计失分', en: 'Points lost' }),
                  dataIndex: 'lost',
                  width: 110,
                  render: (v: number, r) => (
                    <Space size={4}>
                      <Typography.Text type="danger">{v}</Typography.Text>
                      {r.unknown && <Tag>{t(L.common.unknown)}</Tag>}
                    </Space>
                  ),
                },
                {
                  title: t(L.common.source),
                  width: 100,
                  render: (_: unknown, r) => (
                    <Tag color={SOURCE_COLORS[r.source]}>{t(SOURCE_LABELS[r.source])}</Tag>
                  ),
                },
                {
                  title: t(L.org.responsibleUnit),
                  render: (_: unknown, r) =>
                    r.units.length ? r.units.map((u) => u.name).join('、') : '—',
                },
              ]}
            />
          </Card>
          <Card
            size="small"
            title={t({ zh: `负面清单（${p.year} 年测评）`, en: `Negative list (${p.year} test)` })}
          >
            <Table
              size="small"
              rowKey="hitId"
              pagination={false}
              dataSource={p.negativeEffects}
              data-testid="negative-effects"
              locale={{ emptyText: t({ zh: '未记录负面清单事项', en: 'No event recorded' }) }}
              columns={[
                { title: t(L.common.date), dataIndex: 'occurredOn', width: 120 },
                { title: t(L.common.code), dataIndex: 'code', width: 80 },
                { title: t({ zh: '情形', en: 'Event' }), dataIndex: 'text' },
                {
                  title: t({ zh: '本年度后果', en: 'Effect this year' }),
                  render: (_: unknown, e) => (
                    <Typography.Text
                      type={e.kinds.includes('outside_window') ? 'secondary' : 'danger'}
                    >
                      {t({ zh: e.zh, en: e.en })}
                    </Typography.Text>
                  ),
                },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
