import { Alert, Card, Col, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { keepPreviousData } from '@tanstack/react-query';
import type { TResults } from '../../../core/contracts/surveys.js';
import { SURVEY_FLOOR_EFFECT_LABELS } from '../../../core/scoring/rules.js';
import { COLLECTION_MODE_LABELS, COLLECTION_MODES } from '../../../core/survey/modes.js';
import { DIMENSION_LABELS, DIMENSIONS, type TDimension } from '../../../core/survey/questions.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { ExportButton } from '../ImportButton.js';
import { CHART_COLORS, Chart, type ChartOption } from '../chart.js';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const ci = (lo: number | null, hi: number | null) =>
  lo === null || hi === null ? '—' : `${(lo * 100).toFixed(1)}–${(hi * 100).toFixed(1)}%`;
type Dim = TResults['dimensions'][number];

/** The rates chart in words: each rate with its interval, and the floor. */
function ratesSummary(res: TResults, t: (l: L) => string): string {
  const rate = (d: Dim, l: 'zh' | 'en') =>
    `${DIMENSION_LABELS[d.dimension][l]} ${pct(d.rate)}` +
    (l === 'zh' ? `（95% CI ${ci(d.lo, d.hi)}）` : ` (95% CI ${ci(d.lo, d.hi)})`);
  return t({
    zh: `${res.dimensions.map((d) => rate(d, 'zh')).join('，')}；底线 ${res.floor * 100}%`,
    en: `${res.dimensions.map((d) => rate(d, 'en')).join(', ')}; floor ${res.floor * 100}%`,
  });
}

function flagTag(d: Dim, t: (l: { zh: string; en: string }) => string) {
  if (d.belowFloor) return <Tag color="red">{t({ zh: '低于底线', en: 'Below floor' })}</Tag>;
  if (d.atRisk) return <Tag color="orange">{t({ zh: '区间跨越底线', en: 'At risk' })}</Tag>;
  return null;
}

/** 调查结果: the four rates with their 95% intervals against the floor, by community and group. */
export function SurveyResultsPage() {
  const { t, lang } = useI18n();
  const [by, setBy] = useState<'region' | 'group' | 'mode'>('region');

  const surveysQ = useApi('GET /api/surveys', {});
  const surveys = surveysQ.data ?? [];
  const [pickedSurvey, setSurveyId] = useState<number | null>(null);
  const surveyId = pickedSurvey ?? surveys[0]?.id ?? null;
  const survey = surveyId ? { params: { id: surveyId } } : null;
  const rounds = useApi('GET /api/surveys/:id/rounds', survey).data ?? [];
  // The round picked in this survey, or its first.
  const [picked, setPicked] = useState<{ surveyId: number; roundId: number } | null>(null);
  const roundId = (picked?.surveyId === surveyId ? picked.roundId : null) ?? rounds[0]?.id ?? null;
  const setRoundId = (id: number) => surveyId && setPicked({ surveyId, roundId: id });
  const trendQ = useApi('GET /api/surveys/:id/trend', survey);
  const round = roundId ? { params: { id: roundId } } : null;
  // The last results stay on screen while another grouping or round is asked.
  const results = useApi(
    'GET /api/survey-rounds/:id/results',
    round && { ...round, query: { by } },
    { placeholderData: keepPreviousData },
  );
  const res = results.data ?? null;
  const suspicious = useApi('GET /api/survey-rounds/:id/suspicious', round).data ?? [];
  const failed = surveysQ.error ?? results.error;
  const error = failed ? errorText(failed, lang) : null;

  const ratesOption = useMemo((): ChartOption | null => {
    if (!res) return null;
    const dims = res.dimensions;
    const floor = res.floor * 100;
    return {
      tooltip: {
        trigger: 'axis',
        formatter: (items) => {
          const first = Array.isArray(items) ? items[0] : items;
          const d = dims[first?.dataIndex ?? 0];
          return d
            ? `${t(DIMENSION_LABELS[d.dimension])}: ${pct(d.rate)}<br/>95% CI ${ci(d.lo, d.hi)}<br/>n = ${d.valid}`
            : '';
        },
      },
      grid: { left: 48, right: 24, bottom: 32, top: 24 },
      xAxis: { type: 'category', data: dims.map((d) => t(DIMENSION_LABELS[d.dimension])) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          barWidth: '40%',
          data: dims.map((d) => ({
            value: d.rate === null ? null : +(d.rate * 100).toFixed(1),
            itemStyle: {
              color: d.belowFloor
                ? CHART_COLORS.bad
                : d.atRisk
                  ? CHART_COLORS.warn
                  : CHART_COLORS.primary,
            },
          })),
          label: { show: true, position: 'insideTop', color: '#fff', formatter: '{c}%' },
          markLine: {
            symbol: 'none',
            lineStyle: { color: CHART_COLORS.bad, type: 'dashed', width: 2 },
            label: {
              position: 'insideEndTop',
              formatter: t({ zh: `底线 ${floor}%`, en: `Floor ${floor}%` }),
            },
            data: [{ yAxis: floor }],
          },
        },
        {
          type: 'custom',
          name: '95% CI',
          data: dims.map((d, i) => [
            i,
            (d.lo ?? 0) * 100,
            (d.hi ?? 0) * 100,
            d.rate === null ? 0 : 1,
          ]),
          renderItem: (_params, api) => {
            if (!api.value(3)) return { type: 'group', children: [] };
            const x = Number(api.value(0));
            const lo = api.coord([x, Number(api.value(1))]) as [number, number];
            const hi = api.coord([x, Number(api.value(2))]) as [number, number];
            const band = api.size?.([1, 0]);
            const w = (Array.isArray(band) ? (band[0] ?? 0) : (band ?? 0)) * 0.12;
            const style = { stroke: '#262626', lineWidth: 2 };
            return {
              type: 'group',
              children: [
                { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
                {
                  type: 'line',
                  shape: { x1: lo[0] - w, y1: lo[1], x2: lo[0] + w, y2: lo[1] },
                  style,
                },
                {
                  type: 'line',
                  shape: { x1: hi[0] - w, y1: hi[1], x2: hi[0] + w, y2: hi[1] },
                  style,
                },
              ],
            };
          },
          z: 10,
        },
      ],
    };
  }, [res, t]);

  const trend = trendQ.data;
  const trendOption = useMemo((): ChartOption | null => {
    if (!trend) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: DIMENSIONS.map((d) => t(DIMENSION_LABELS[d])) },
      grid: { left: 48, right: 24, bottom: 32, top: 40 },
      xAxis: { type: 'category', data: trend.map((r) => r.roundName) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: DIMENSIONS.map((dim: TDimension) => ({
        type: 'line',
        name: t(DIMENSION_LABELS[dim]),
        connectNulls: true,
        data: trend.map((r) => {
          const d = r.dimensions.find((x) => x.dimension === dim);
          return d?.rate === null || d === undefined ? null : +(d.rate * 100).toFixed(1);
        }),
      })),
    };
  }, [trend, t]);

  const below = res?.dimensions.filter((d) => d.belowFloor) ?? [];
  const raw = res?.floorEffect as keyof typeof SURVEY_FLOOR_EFFECT_LABELS | null | undefined;
  const effect = raw && raw in SURVEY_FLOOR_EFFECT_LABELS ? raw : null;

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="survey-results">
      <Card
        title={t({ zh: '问卷调查结果', en: 'Survey results' })}
        extra={
          <Space wrap>
            <Select
              style={{ width: 240 }}
              value={surveyId ?? undefined}
              onChange={setSurveyId}
              options={surveys.map((s) => ({ value: s.id, label: s.name }))}
            />
            <Select
              style={{ width: 180 }}
              value={roundId ?? undefined}
              onChange={setRoundId}
              data-testid="round-select"
              options={rounds.map((r) => ({ value: r.id, label: r.name }))}
            />
            {roundId && <ExportButton href={`/api/survey-rounds/${roundId}/results.xlsx`} />}
          </Space>
        }
      >
        {error && <Alert type="error" message={error} style={{ marginBottom: 12 }} />}
        {res && (
          <>
            <Space wrap style={{ marginBottom: 8 }}>
              <Typography.Text>
                {t({ zh: '有效答卷', en: 'Eligible responses' })}{' '}
                <b data-testid="results-responses">{res.responses}</b>
              </Typography.Text>
              <Typography.Text type="secondary">
                {t({
                  zh: `不符合条件未计入 ${res.excludedIneligible} 份`,
                  en: `${res.excludedIneligible} ineligible excluded`,
                })}
              </Typography.Text>
              <Tag>
                {res.weighted
                  ? t({ zh: '按配额设计加权', en: 'Weighted by the quota design' })
                  : t({ zh: '未加权', en: 'Unweighted' })}
              </Tag>
              <Tag>
                {res.dontKnowValid
                  ? t({ zh: '“说不清”计为有效', en: '"Don\'t know" counts as valid' })
                  : t({ zh: '“说不清”不计入有效', en: '"Don\'t know" excluded' })}
              </Tag>
            </Space>
            {below.length > 0 && (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                message={t({
                  zh: `${below.map((d) => DIMENSION_LABELS[d.dimension].zh).join('、')}低于底线 ${res.floor * 100}%${effect ? `（${SURVEY_FLOOR_EFFECT_LABELS[effect].zh}）` : ''}`,
                  en: `${below.map((d) => DIMENSION_LABELS[d.dimension].en).join(', ')} below the ${res.floor * 100}% floor${effect ? ` (${SURVEY_FLOOR_EFFECT_LABELS[effect].en})` : ''}`,
                })}
              />
            )}
            <Row gutter={16}>
              <Col xs={24} lg={13}>
                <Chart
                  option={ratesOption}
                  summary={ratesSummary(res, t)}
                  data-testid="rates-chart"
                />
              </Col>
              <Col xs={24} lg={11}>
                <Table
                  size="small"
                  rowKey="dimension"
                  pagination={false}
                  dataSource={res.dimensions}
                  data-testid="dimension-table"
                  columns={[
                    {
                      title: t(L.common.dimension),
                      dataIndex: 'dimension',
                      render: (d: TDimension) => t(DIMENSION_LABELS[d]),
                    },
                    { title: t({ zh: '比率', en: 'Rate' }), render: (_, d) => pct(d.rate) },
                    { title: '95% CI', render: (_, d) => ci(d.lo, d.hi) },
                    { title: t({ zh: '有效', en: 'Valid' }), dataIndex: 'valid' },
                    { title: '', render: (_, d) => flagTag(d, t) },
                  ]}
                />
              </Col>
            </Row>
          </>
        )}
      </Card>
      {res && (
        <Card
          size="small"
          title={t({ zh: '分组结果', en: 'By community or group' })}
          extra={
            <Segmented
              value={by}
              onChange={(v) => setBy(v as 'region' | 'group' | 'mode')}
              options={[
                { value: 'region', label: t({ zh: '按社区', en: 'By community' }) },
                { value: 'group', label: t({ zh: '按人群', en: 'By group' }) },
                { value: 'mode', label: t({ zh: '按方式', en: 'By mode' }) },
              ]}
            />
          }
        >
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={res.slices}
            scroll={{ x: true }}
            columns={[
              {
                title: t({ zh: '范围', en: 'Slice' }),
                render: (_: unknown, s: TResults['slices'][number]) => {
                  const mode = COLLECTION_MODES.find((m) => s.key === `mode:${m}`);
                  return mode ? t(COLLECTION_MODE_LABELS[mode]) : s.label;
                },
              },
              { title: t(L.surveys.response), dataIndex: 'responses' },
              ...DIMENSIONS.map((dim) => ({
                title: t(DIMENSION_LABELS[dim]),
                key: dim,
                render: (_: unknown, s: TResults['slices'][number]) => {
                  const d = s.dimensions.find((x) => x.dimension === dim);
                  if (!d || d.rate === null) return '—';
                  return (
                    <Typography.Text type={d.belowFloor ? 'danger' : undefined}>
                      {pct(d.rate)}{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        [{ci(d.lo, d.hi)}]
                      </Typography.Text>
                    </Typography.Text>
                  );
                },
              })),
            ]}
          />
        </Card>
      )}
      {res && (
        <Card size="small" title={t({ zh: '各题结果', en: 'Questions' })}>
          <Table
            size="small"
            rowKey="questionKey"
            pagination={false}
            dataSource={res.questions}
            scroll={{ x: true }}
            columns={[
              {
                title: t({ zh: '题号', en: 'No.' }),
                render: (_, q) => `${q.group}·${q.questionId}`,
              },
              { title: t(L.surveys.question), dataIndex: 'text' },
              {
                title: t(L.common.dimension),
                render: (_, q) => (q.dimension ? t(DIMENSION_LABELS[q.dimension]) : ''),
              },
              { title: t({ zh: '比率', en: 'Rate' }), render: (_, q) => pct(q.rate) },
              { title: '95% CI', render: (_, q) => ci(q.lo, q.hi) },
              {
                title: t({ zh: '有利/有效', en: 'Fav./valid' }),
                render: (_, q) => `${q.favourable}/${q.valid}`,
              },
              { title: t({ zh: '说不清', en: "Don't know" }), dataIndex: 'dontKnow' },
            ]}
          />
        </Card>
      )}
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t({ zh: '历轮趋势', en: 'Trend across rounds' })}>
            <Chart
              option={trendOption}
              empty={trend?.length === 0}
              height={260}
              summary={t({
                zh: `四率的历轮趋势，${trend?.length ?? 0} 轮`,
                en: `The four rates across ${trend?.length ?? 0} rounds`,
              })}
              data-testid="trend-chart"
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t({ zh: '可疑答卷', en: 'Suspicious responses' })}
            extra={<Tag color={suspicious.length ? 'orange' : 'green'}>{suspicious.length}</Tag>}
          >
            <Table
              size="small"
              rowKey="responseId"
              pagination={{ pageSize: 6 }}
              dataSource={suspicious}
              data-testid="suspicious-table"
              columns={[
                {
                  title: t({ zh: '调查员', en: 'Guide' }),
                  render: (_, r) => r.guideName ?? t({ zh: '自填', en: 'Self' }),
                },
                { title: t(L.org.regionArea), dataIndex: 'regionName' },
                {
                  title: t({ zh: '户码 / 街访地点', en: 'Household / spot' }),
                  render: (_, r) =>
                    r.mode === 'street'
                      ? `${t(COLLECTION_MODE_LABELS.street)} · ${r.spot ?? t({ zh: '定位', en: 'GPS' })}`
                      : r.householdCode,
                },
                {
                  title: t(L.common.time),
                  render: (_, r) => formatTime(r.submittedAt),
                },
                {
                  title: t({ zh: '疑点', en: 'Pattern' }),
                  render: (_, r) =>
                    r.flags.map((f) => (
                      <Tag key={f} color="orange">
                        {f === 'identical'
                          ? t({ zh: '短时雷同', en: 'Identical burst' })
                          : t({ zh: '偏离社区', en: 'Far from area' })}
                      </Tag>
                    )),
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
