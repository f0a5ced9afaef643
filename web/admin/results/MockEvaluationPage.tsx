import { ExperimentOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { TMockEvaluation } from '../../../core/contracts/scoring.js';
import type { DrawRule } from '../../../core/draw/draw.js';
import { apiCall } from '../../shared/api.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { MockPlanEditor, defaultPlan, type TPlanRow } from './MockPlanEditor.js';
import { YEAR_STATUS_LABELS } from '../../../core/scoring/campaign-score.js';
import { CHART_COLORS, Chart, type ChartOption } from '../chart.js';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
/** Rounded as toFixed rounds: antd's Statistic `precision` cuts digits off (0.05 → "0.0"). */
const round = (v: number, digits: number) => Number(v.toFixed(digits));

const VERDICT_ALERT = { observed: 'success', partly: 'info', assumed: 'warning' } as const;

/**
 * Coverage: how many of the points that can be drawn were inspected, and per type the pass rate
 * assumed for the ones that were not (mean and 90 % interval of its Beta posterior).
 */
function CoverageCard({ res }: { res: TMockEvaluation }) {
  const { t } = useI18n();
  const c = res.coverage;
  type Row = TMockEvaluation['coverage']['types'][number];
  return (
    <Card
      size="small"
      title={t({ zh: '检查覆盖与推定依据', en: 'Coverage and what is assumed' })}
      data-testid="mock-coverage"
    >
      <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="coverage-summary">
        {t({
          zh: `已检查 ${c.visited} / ${c.points} 个点位 · 每次抽取的点位预计 ${pct(c.assumedShare)} 为未检查点位 · 全部已检查点位推定的合格率 ${c.cityRate.visited ? pct(c.cityRate.mean) : '—'}`,
          en: `${c.visited} of ${c.points} points inspected · about ${pct(c.assumedShare)} of each draw never inspected · pass rate inferred from all inspected points ${c.cityRate.visited ? pct(c.cityRate.mean) : '—'}`,
        })}
      </Typography.Paragraph>
      <Table<Row>
        size="small"
        rowKey="type"
        pagination={false}
        dataSource={c.types}
        data-testid="coverage-types"
        columns={[
          {
            title: t(L.points.pointType),
            render: (_: unknown, r) => r.typeName ?? r.type,
          },
          {
            title: t({ zh: '已检查 / 点位', en: 'Inspected / points' }),
            render: (_: unknown, r) => `${r.visited} / ${r.points}`,
          },
          { title: t({ zh: '检查次数', en: 'Visits' }), dataIndex: 'visits' },
          { title: t({ zh: '检查项次', en: 'Items checked' }), dataIndex: 'items' },
          {
            title: t({ zh: '未检查点位的推定合格率', en: 'Assumed pass rate, uninspected' }),
            render: (_: unknown, r) =>
              r.visited === r.points ? '—' : `${pct(r.mean)}（90%：${pct(r.low)}–${pct(r.high)}）`,
          },
          {
            title: t({ zh: '推定依据', en: 'Inferred from' }),
            render: (_: unknown, r) =>
              r.visited === r.points ? (
                t({ zh: '全部已检查', en: 'all inspected' })
              ) : r.basis === 'type' ? (
                t({
                  zh: `本类 ${r.visited} 个已检查点位`,
                  en: `${r.visited} inspected of this type`,
                })
              ) : (
                <Tag color="orange">
                  {t({
                    zh: '本类无检查，按全部已检查点位推定',
                    en: 'none of this type: all inspected points',
                  })}
                </Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}

interface FormValues {
  source: 'round' | 'plan';
  roundId: number;
  plan?: TPlanRow[];
  runs: number;
  target: number;
  seed?: number;
}

/**
 * 模拟测评推演: simulate the official draw on today's point states; where to act first. The plan is a
 * round's, or one entered here by hand (per point type: all points, or how many drawn at random).
 */
export function MockEvaluationPage() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<FormValues>();
  const source = Form.useWatch('source', form) ?? 'round';
  const [res, setRes] = useState<TMockEvaluation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The rounds with a plan to evaluate; the official one (else the first) chosen at first.
  const roundsQ = useApi('GET /api/rounds', {});
  const rounds = useMemo(
    () => (roundsQ.data?.items ?? []).filter((x) => Array.isArray(x.plan) && x.plan.length > 0),
    [roundsQ.data],
  );
  const typesQ = useApi('GET /api/point-types', {});
  const types = useMemo(() => typesQ.data?.items ?? [], [typesQ.data]);
  const loadError = roundsQ.error ?? typesQ.error;
  const shownError = error ?? (loadError ? errorText(loadError, lang) : null);
  useEffect(() => {
    const official = rounds.find((x) => x.kind === 'official') ?? rounds[0];
    if (official && !form.getFieldValue('roundId')) form.setFieldValue('roundId', official.id);
  }, [rounds, form]);
  // The hand-entered plan starts from the point type list's defaults.
  useEffect(() => {
    if (source === 'plan' && types.length && !form.getFieldValue('plan'))
      form.setFieldValue('plan', defaultPlan(types));
  }, [source, types, form]);

  const run = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      setRes(
        await apiCall('POST /api/scoring/mock-evaluation', {
          body: {
            ...(v.source === 'plan'
              ? {
                  // The form requires each row's type and count; an incomplete row is not sent.
                  plan: (v.plan ?? []).flatMap((r): DrawRule[] =>
                    !r.type
                      ? []
                      : r.mode === 'all'
                        ? [{ type: r.type, mode: 'all' }]
                        : r.count === null || r.count === undefined
                          ? []
                          : [{ type: r.type, mode: 'random', count: r.count }],
                  ),
                }
              : { roundId: v.roundId }),
            runs: v.runs,
            target: v.target / 100,
            ...(v.seed !== undefined && v.seed !== null ? { seed: v.seed } : {}),
          },
        }),
      );
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const histogram = useMemo((): ChartOption | null => {
    if (!res) return null;
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => pct(Number(v)) },
      grid: { left: 50, right: 20, top: 30, bottom: 40 },
      xAxis: {
        type: 'category',
        data: res.histogram.map((_, i) => `${i * 5}–${i * 5 + 5}%`),
        name: t({ zh: '实地得分率', en: 'field score' }),
        nameLocation: 'middle',
        nameGap: 28,
        axisLabel: { fontSize: 10 },
      },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      series: [
        {
          type: 'bar',
          data: res.histogram.map((h, i) => ({
            value: h,
            itemStyle: {
              color: (i + 1) * 0.05 > res.target ? CHART_COLORS.good : CHART_COLORS.primary,
            },
          })),
          markLine: {
            symbol: 'none',
            lineStyle: { color: CHART_COLORS.bad, type: 'dashed' },
            label: {
              formatter: t({ zh: `目标 ${pct(res.target)}`, en: `target ${pct(res.target)}` }),
            },
            data: [{ xAxis: Math.min(19, Math.floor(res.target * 20)) }],
          },
        },
      ],
    };
  }, [res, t]);

  // Beside the figures themselves: they mostly rest on assumptions, not findings.
  const assumedTag =
    res?.verdict.level === 'assumed' ? (
      <Tag color="orange" data-testid="assumed-tag">
        {t({ zh: '主要依据推定', en: 'mostly assumed' })}
      </Tag>
    ) : null;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t({ zh: '模拟测评推演', en: 'Mock evaluation' })}>
        <Form
          form={form}
          layout="inline"
          initialValues={{ source: 'round', runs: 10000, target: 85 }}
          onFinish={() => void run()}
        >
          <div style={{ width: '100%', marginBottom: 12 }}>
            <Form.Item name="source" noStyle>
              <Radio.Group
                optionType="button"
                data-testid="mock-source"
                options={[
                  { value: 'round', label: t({ zh: '测评轮次的方案', en: "A round's plan" }) },
                  { value: 'plan', label: t({ zh: '手工输入方案', en: 'Enter a plan' }) },
                ]}
              />
            </Form.Item>
          </div>
          {source === 'plan' && <MockPlanEditor form={form} types={types} />}
          <Form.Item
            name="roundId"
            label={t({ zh: '抽样方案（测评轮次）', en: 'Draw plan (round)' })}
            hidden={source !== 'round'}
            rules={[
              {
                required: source === 'round',
                message: t({ zh: '请选择测评轮次', en: 'Choose a round' }),
              },
            ]}
          >
            <Select
              style={{ width: 260 }}
              className="mock-round-select"
              options={rounds.map((r) => ({
                value: r.id,
                label: `${r.name}（${r.plan
                  .map((p) => (p.mode === 'all' ? `${p.type} 全部` : `${p.type}×${p.count}`))
                  .join(' ')}）`,
              }))}
            />
          </Form.Item>
          <Form.Item name="runs" label={t({ zh: '模拟次数', en: 'Runs' })}>
            <InputNumber min={100} max={20000} step={1000} />
          </Form.Item>
          <Form.Item name="target" label={t({ zh: '目标得分率 %', en: 'Target %' })}>
            <InputNumber min={0} max={100} step={1} />
          </Form.Item>
          <Form.Item name="seed" label={t({ zh: '随机种子', en: 'Seed' })}>
            <InputNumber min={0} placeholder={t({ zh: '默认', en: 'default' })} />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            icon={<ExperimentOutlined />}
            loading={busy}
            data-testid="mock-run"
          >
            {t({ zh: '开始推演', en: 'Run' })}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t({
            zh: '每个点位的当前状态 = 历次检查合格率按时间衰减加权（半衰期 90 天），每个未办结问题扣 5 个百分点。从未检查的点位没有状态可依：按同类点位的检查结果推定其合格率（连同推定的不确定性，每次模拟重新抽取；同类点位都未检查的按全部已检查点位从宽推定），结果同时说明有多少依据推定。按方案的各类点位数反复随机抽取，统计实地得分率的分布。',
            en: "Each point's state is its visits' pass rates weighted by age (90-day half-life), less 5 points per open problem. A point never inspected has no state: its pass rate is inferred from inspected points of its type, with that uncertainty drawn anew in each run (a type with none inspected takes the rate of all inspected points, loosely), and the result says how much rests on such assumptions. The draw is repeated with the plan's counts.",
          })}
        </Typography.Paragraph>
      </Card>
      {shownError && <Alert type="error" showIcon message={shownError} />}
      {res && (
        <>
          <Card size="small" data-testid="mock-plan-used">
            <Space wrap size={[8, 4]}>
              <Typography.Text strong>
                {res.round
                  ? t({ zh: `轮次方案：${res.round.name}`, en: `Plan of ${res.round.name}` })
                  : t({ zh: '手工输入的方案', en: 'Plan entered by hand' })}
              </Typography.Text>
              {res.plan.map((p) => {
                const name = p.typeName ?? p.type;
                const short = p.mode === 'random' && (p.count ?? 0) > p.eligible;
                return (
                  <Tag key={p.type} color={p.eligible === 0 || short ? 'orange' : undefined}>
                    {p.mode === 'all'
                      ? t({
                          zh: `${name} 全部 ${p.eligible} 个`,
                          en: `${name}: all ${p.eligible}`,
                        })
                      : t({
                          zh: `${name} 抽 ${Math.min(p.count ?? 0, p.eligible)} / ${p.eligible} 个`,
                          en: `${name}: ${Math.min(p.count ?? 0, p.eligible)} of ${p.eligible}`,
                        })}
                  </Tag>
                );
              })}
            </Space>
          </Card>
          <Alert
            type={VERDICT_ALERT[res.verdict.level]}
            showIcon
            data-testid="mock-verdict"
            title={t(res.verdict.text)}
          />
          {res.outlook && (
            // What this simulates is the field part; the year's standing sits beside it.
            <Alert
              type={res.outlook.status === 'ok' ? 'info' : 'error'}
              showIcon
              data-testid="mock-outlook"
              title={t({
                zh: `本页推演的是实地测评部分。${res.outlook.campaign.name}：${YEAR_STATUS_LABELS[res.outlook.status].zh}`,
                en: `This page simulates the field part. ${res.outlook.campaign.name}: ${YEAR_STATUS_LABELS[res.outlook.status].en}`,
              })}
              description={t(res.outlook.text)}
            />
          )}
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t({ zh: `达到目标的概率（≥ ${pct(res.target)}）`, en: 'P(reach target)' })}
                  value={round(res.pTarget * 100, 1)}
                  precision={1}
                  suffix="%"
                  styles={{ content: { color: res.pTarget >= 0.8 ? '#52c41a' : '#f5222d' } }}
                  data-testid="p-target"
                />
                {assumedTag}
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t({ zh: '期望得分率', en: 'Expected score' })}
                  value={round(res.expected * 100, 2)}
                  precision={2}
                  suffix="%"
                  data-testid="expected"
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t({ zh: '90% 区间（P5–P95）', en: '90% range (P5–P95)' })}
                  value={`${pct(res.p5)} – ${pct(res.p95)}`}
                  data-testid="interval"
                />
                {assumedTag}
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t({ zh: '每次抽取点位 / 候选点位', en: 'Drawn / eligible' })}
                  value={`${res.drawnPerRun} / ${res.points}`}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {res.runs.toLocaleString()} {t({ zh: '次模拟', en: 'runs' })} ·{' '}
                  {Math.round(res.ms.load + res.ms.simulate)} ms
                </Typography.Text>
              </Card>
            </Col>
          </Row>
          <Card
            size="small"
            title={t({ zh: '实地得分率分布', en: 'Distribution of the field score' })}
          >
            <Chart
              option={histogram}
              summary={t({
                zh: `实地得分率分布，${res.runs} 次模拟：期望 ${pct(res.expected)}，90% 区间 ${pct(res.p5)}–${pct(res.p95)}，达到目标 ${pct(res.target)} 的概率 ${pct(res.pTarget)}`,
                en: `Field score over ${res.runs} runs: expected ${pct(res.expected)}, 90% range ${pct(res.p5)}–${pct(res.p95)}, P(reach ${pct(res.target)}) ${pct(res.pTarget)}`,
              })}
              data-testid="histogram"
            />
          </Card>
          <CoverageCard res={res} />
          <Card
            size="small"
            title={t({ zh: '优先整改点位（整改后期望得分提升最多）', en: 'Where to act first' })}
          >
            <Table
              size="small"
              rowKey="pointId"
              pagination={{ pageSize: 10 }}
              dataSource={res.whereToAct}
              data-testid="where-to-act"
              columns={[
                { title: t(L.points.point), dataIndex: 'name' },
                {
                  title: t(L.common.type),
                  dataIndex: 'type',
                  width: 140,
                  render: (v: string) => res.plan.find((p) => p.type === v)?.typeName ?? v,
                },
                {
                  title: t(L.common.currentStatus),
                  dataIndex: 'score',
                  width: 120,
                  render: (v: number, r) =>
                    r.assumed ? (
                      <span
                        title={t({
                          zh: '从未检查，按同类点位推定',
                          en: 'never inspected: inferred from its type',
                        })}
                      >
                        <Tag color="orange">{t({ zh: '推定', en: 'assumed' })}</Tag>
                        {pct(v)}
                      </span>
                    ) : (
                      pct(v)
                    ),
                },
                {
                  title: t({ zh: '期望得分提升', en: 'Gain' }),
                  dataIndex: 'gain',
                  width: 120,
                  render: (v: number) => `+${(v * 100).toFixed(3)}%`,
                },
                {
                  title: t({ zh: '未办结问题', en: 'Open problems' }),
                  dataIndex: 'openProblems',
                  width: 110,
                  render: (v: number) => (v ? <Tag color="red">{v}</Tag> : 0),
                },
                { title: t({ zh: '检查次数', en: 'Visits' }), dataIndex: 'visits', width: 90 },
                {
                  title: t(L.org.responsibleUnit),
                  render: (_: unknown, r) => r.unit?.name ?? '—',
                },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
