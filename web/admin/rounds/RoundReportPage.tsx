import { DownloadOutlined, LeftOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type {
  TRollupRow,
  TRoundReport,
  TStandardRollupRow,
  TVisit,
} from '../../../core/contracts/inspections.js';
import { describeCounted } from '../../../core/inspection/quantity.js';
import { isSevereFailure } from '../../../core/inspection/score.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { VisitCorrectionDrawer } from './VisitCorrectionDrawer.js';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const RESULT = {
  pass: { label: L.points.pass, color: 'green' },
  fail: { label: L.points.fail, color: 'orange' },
  serious: { label: L.points.serious, color: 'red' },
} as const;

/** A percentage column (`pct`: one decimal, '—' for none). */
function pctColumn<R>(
  title: string,
  dataIndex: keyof R & string,
  width: number,
): TableColumnType<R> {
  return { title, dataIndex, width, render: pct };
}

/** The columns every roll-up has: visits, items passed/failed and the pass rate (in `rate`). */
function countColumns<R extends { visits: number; passed: number; failed: number }>(
  t: (l: L) => string,
  rate: keyof R & string,
): TableColumnType<R>[] {
  return [
    { title: t({ zh: '检查数', en: 'Visits' }), dataIndex: 'visits', width: 80 },
    {
      title: t({ zh: '合格/不合格项', en: 'Items passed/failed' }),
      width: 130,
      render: (_, r) => `${r.passed} / ${r.failed}`,
    },
    pctColumn(t(L.framework.scoreRate), rate, 90),
  ];
}

function RollupTable(props: { rows: TRollupRow[]; name: L; testId: string }) {
  const { t } = useI18n();
  return (
    <Table<TRollupRow>
      size="small"
      rowKey="key"
      data-testid={props.testId}
      dataSource={props.rows}
      pagination={props.rows.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: 640 }}
      columns={[
        {
          title: t(props.name),
          dataIndex: 'label',
          render: (label: string, r) =>
            r.added ? (
              <Space size={4}>
                {label}
                <Tag color="purple" data-testid={`rollup-added-${r.key}`}>
                  {t(L.points.added)}
                </Tag>
              </Space>
            ) : (
              label
            ),
        },
        ...countColumns<TRollupRow>(t, 'passRate'),
        pctColumn(t(L.points.meanPointScore), 'meanScore', 110),
        pctColumn(t({ zh: '合格率', en: 'Qualified' }), 'qualifiedRate', 90),
        {
          title: t(L.points.serious),
          dataIndex: 'seriousVisits',
          width: 100,
        },
      ]}
    />
  );
}

/** The roll-up tabs, by the report's rows: tab key (test id `rollup-<key>`), label, first column. */
const ROLLUP_TABS = {
  byType: ['type', { zh: '按点位类型', en: 'By point type' }, L.points.pointType],
  byDay: ['day', { zh: '按测评日', en: 'By day' }, { zh: '测评日（城区）', en: 'Day (districts)' }],
  byDistrict: ['district', { zh: '按区县', en: 'By district' }, L.org.district],
  byUnit: ['unit', { zh: '按包保单位', en: 'By unit' }, L.points.responsibleUnit],
  byRegion: ['region', { zh: '按区域', en: 'By region' }, L.org.regionArea],
  byPoint: ['point', { zh: '按点位', en: 'By point' }, L.points.point],
  byItem: ['item', { zh: '按检查项', en: 'By item' }, L.points.checkItem],
} as const satisfies Partial<Record<keyof TRoundReport, readonly [string, L, L]>>;

/** By framework standard: share (max × share = points) and the change from the previous round. */
function StandardTable(props: { rows: TStandardRollupRow[]; previous: string | null }) {
  const { t } = useI18n();
  const total = props.rows.reduce((a, r) => a + (r.points ?? 0), 0);
  const max = props.rows.reduce((a, r) => a + (r.maxScore ?? 0), 0);
  return (
    <Table<TStandardRollupRow>
      size="small"
      rowKey="code"
      data-testid="rollup-standard"
      dataSource={props.rows}
      pagination={false}
      scroll={{ x: 900 }}
      locale={{
        emptyText: t({
          zh: '本轮检查项未链接测评标准',
          en: "No checklist item of this round's types is linked to a standard",
        }),
      }}
      summary={() =>
        props.rows.length ? (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              {t(L.common.total)}
            </Table.Summary.Cell>
            <Table.Summary.Cell index={2}>{max}</Table.Summary.Cell>
            <Table.Summary.Cell index={3} colSpan={3} />
            <Table.Summary.Cell index={6}>
              <Typography.Text strong data-testid="standard-points-total">
                {total.toFixed(2)}
              </Typography.Text>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={7} />
          </Table.Summary.Row>
        ) : null
      }
      columns={[
        { title: t(L.common.code), dataIndex: 'code', width: 80 },
        {
          title: t(L.framework.standard),
          dataIndex: 'text',
          render: (x: string | null) =>
            x ?? (
              <Typography.Text type="warning">
                {t({ zh: '（体系中无此编号）', en: '(no such code in the framework)' })}
              </Typography.Text>
            ),
        },
        { title: t(L.framework.maxScore), dataIndex: 'maxScore', width: 70 },
        ...countColumns<TStandardRollupRow>(t, 'share'),
        {
          title: t(L.framework.score),
          dataIndex: 'points',
          width: 80,
          render: (x: number | null) => (x === null ? '—' : x.toFixed(2)),
        },
        {
          title: props.previous
            ? t({ zh: `较上轮（${props.previous}）`, en: `vs ${props.previous}` })
            : t({ zh: '较上轮', en: 'vs previous' }),
          width: 150,
          render: (_, r) => {
            if (r.share === null || r.previousShare === null) return '—';
            const d = (r.share - r.previousShare) * 100;
            return (
              <span style={{ color: d >= 0 ? '#389e0d' : '#cf1322' }}>
                {`${d >= 0 ? '+' : ''}${d.toFixed(1)}`} {t({ zh: '个百分点', en: 'pts' })}
              </span>
            );
          },
        },
      ]}
    />
  );
}

/** 测评报告 of a round: totals and the comparison with the previous round, roll-ups, the visits. */
export function RoundReportPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [correcting, setCorrecting] = useState<number | null>(null);
  const reportQ = useApi('GET /api/rounds/:id/report', { params: { id } });
  // The visits to correct (none listed when they cannot be read).
  const visitsQ = useApi('GET /api/visits', { query: { roundId: id } });
  const report = reportQ.data ?? null;
  const visits = visitsQ.data?.items ?? [];
  const error = reportQ.error ? errorText(reportQ.error, lang) : null;
  /** A correction changes the report and the visits: both are read again. */
  const reload = () => void Promise.all([reportQ.refetch(), visitsQ.refetch()]);
  if (error) return <Typography.Text type="danger">{error}</Typography.Text>;
  if (!report) return null;
  const prev = report.previous;
  const delta =
    prev && report.total.passRate !== null && prev.total.passRate !== null
      ? report.total.passRate - prev.total.passRate
      : null;
  const rollupTab = (field: keyof typeof ROLLUP_TABS) => {
    const [key, label, name] = ROLLUP_TABS[field];
    return {
      key,
      label: t(label),
      children: <RollupTable rows={report[field]} name={name} testId={`rollup-${key}`} />,
    };
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="round-report">
      <Card
        title={
          <Space>
            <Button type="text" icon={<LeftOutlined />} onClick={() => void navigate('/rounds')} />
            {report.roundName} · {t({ zh: '测评报告', en: 'Report' })}
          </Space>
        }
        extra={
          <Button icon={<DownloadOutlined />} href={`/api/rounds/${id}/report.xlsx`}>
            {t(L.common.exportExcel)}
          </Button>
        }
      >
        <Row gutter={[16, 16]}>
          <Col xs={12} md={4}>
            <Statistic
              title={t({ zh: '已检查/抽中', en: 'Visited/drawn' })}
              value={`${report.visited} / ${report.drawn}`}
              suffix={
                report.added > 0 ? (
                  <Typography.Text
                    type="secondary"
                    style={{ fontSize: 12 }}
                    data-testid="report-added"
                  >
                    {t({ zh: `含随机增加 ${report.added}`, en: `${report.added} added` })}
                  </Typography.Text>
                ) : undefined
              }
            />
          </Col>
          <Col xs={12} md={5} data-testid="report-pass-rate">
            <Statistic
              title={t(L.framework.scoreRate)}
              value={pct(report.total.passRate)}
              styles={{ content: { color: '#c8102e' } }}
            />
          </Col>
          <Col xs={12} md={5}>
            <Statistic title={t(L.points.meanPointScore)} value={pct(report.total.meanScore)} />
          </Col>
          <Col xs={12} md={5}>
            <Statistic
              title={t({ zh: '点位合格率', en: 'Points qualified' })}
              value={pct(report.total.qualifiedRate)}
            />
          </Col>
          <Col xs={24} md={5}>
            <Statistic
              title={
                prev
                  ? t({ zh: `较上轮（${prev.roundName}）`, en: `vs ${prev.roundName}` })
                  : t({ zh: '较上轮', en: 'vs previous round' })
              }
              value={delta === null ? '—' : `${delta >= 0 ? '+' : ''}${(delta * 100).toFixed(1)}`}
              suffix={delta === null ? undefined : t({ zh: '个百分点', en: 'pts' })}
              styles={{
                content: {
                  color: delta === null ? undefined : delta >= 0 ? '#389e0d' : '#cf1322',
                },
              }}
            />
          </Col>
        </Row>
      </Card>
      <Card>
        <Tabs
          items={[
            rollupTab('byType'),
            ...(report.byDay.length ? [rollupTab('byDay')] : []),
            rollupTab('byDistrict'),
            rollupTab('byUnit'),
            rollupTab('byRegion'),
            rollupTab('byPoint'),
            {
              key: 'standard',
              label: t({ zh: '按测评标准', en: 'By standard' }),
              children: (
                <StandardTable rows={report.byStandard} previous={prev?.roundName ?? null} />
              ),
            },
            rollupTab('byItem'),
            {
              key: 'visits',
              label: t({ zh: `检查记录（${visits.length}）`, en: `Visits (${visits.length})` }),
              children: (
                <Table<TVisit>
                  size="small"
                  rowKey="id"
                  data-testid="report-visits"
                  dataSource={visits}
                  pagination={{ pageSize: 20 }}
                  scroll={{ x: 760 }}
                  expandable={{
                    expandedRowRender: (v) => (
                      <Space direction="vertical" size={2}>
                        {v.items
                          .filter((i) => i.result === 'fail')
                          .map((i) => (
                            <Typography.Text key={i.index} type="danger">
                              ✗ {i.text}
                              {isSevereFailure(i, i) ? t({ zh: '（严重）', en: ' (severe)' }) : ''}
                              {i.quantity && i.count != null
                                ? ` · ${t({ zh: '计数', en: 'counted' })} ${describeCounted(i.quantity, i.count, i.total)}`
                                : ''}
                              {i.note ? `：${i.note}` : ''}
                              {i.photoIds.length ? ` · ${i.photoIds.length} 📷` : ''}
                            </Typography.Text>
                          ))}
                        {v.reason && (
                          <Typography.Text type="secondary">
                            {t({ zh: '更正原因：', en: 'Correction: ' })}
                            {v.reason}
                          </Typography.Text>
                        )}
                      </Space>
                    ),
                  }}
                  columns={[
                    {
                      title: t(L.points.point),
                      dataIndex: 'pointName',
                      render: (name: string, v) => (
                        <Space size={4}>
                          {name}
                          {v.added && (
                            <Tag color="purple" data-testid={`visit-added-${v.pointId}`}>
                              {t(L.points.added)}
                            </Tag>
                          )}
                        </Space>
                      ),
                    },
                    {
                      title: t(L.common.type),
                      dataIndex: 'pointTypeName',
                      width: 110,
                    },
                    {
                      title: t(L.common.result),
                      width: 150,
                      render: (_, v) => (
                        <Space size={2}>
                          <Tag
                            color={RESULT[v.result].color}
                            data-testid={`visit-result-${v.pointId}`}
                          >
                            {t(RESULT[v.result].label)} {pct(v.score)}
                          </Tag>
                          {v.version > 1 && <Tag>v{v.version}</Tag>}
                        </Space>
                      ),
                    },
                    {
                      title: t(L.points.inspector),
                      dataIndex: 'inspectorName',
                      width: 100,
                    },
                    {
                      title: t({ zh: '时间 / 定位', en: 'Time / GPS' }),
                      width: 170,
                      render: (_, v) => (
                        <Space direction="vertical" size={0}>
                          <span>{formatTime(v.visitedAt)}</span>
                          {v.distanceM !== null && (
                            <Tag color={v.far ? 'red' : 'default'}>
                              {v.far
                                ? t({ zh: `偏离 ${v.distanceM} 米`, en: `${v.distanceM} m away` })
                                : t({ zh: `距点位 ${v.distanceM} 米`, en: `${v.distanceM} m` })}
                            </Tag>
                          )}
                        </Space>
                      ),
                    },
                    {
                      title: t({ zh: '生成问题', en: 'Problem' }),
                      width: 150,
                      render: (_, v) =>
                        v.problemId ? (
                          <Link
                            to={`/problems/${v.problemId}`}
                            data-testid={`visit-problem-${v.pointId}`}
                          >
                            {v.problemCode}
                          </Link>
                        ) : (
                          '—'
                        ),
                    },
                    {
                      title: '',
                      width: 110,
                      render: (_, v) => (
                        <Button
                          size="small"
                          onClick={() => setCorrecting(v.id)}
                          data-testid={`visit-correct-${v.pointId}`}
                        >
                          {t({ zh: '历史/更正', en: 'History/correct' })}
                        </Button>
                      ),
                    },
                  ]}
                />
              ),
            },
          ]}
        />
      </Card>
      <VisitCorrectionDrawer
        visitId={correcting}
        onClose={() => setCorrecting(null)}
        onSaved={reload}
      />
    </Space>
  );
}
