import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Input,
  InputNumber,
  List,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { TDossier, TEvidenceRow } from '../../../core/contracts/evidence.js';
import {
  DOSSIER_STATE_LABELS,
  EVIDENCE_GRADES,
  type TDossierState,
} from '../../../core/frameworks/evidence.js';
import { Permission } from '../../../core/permissions.js';
import { apiCall, type ApiArgs } from '../../shared/api.js';
import { apiKey, useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { CHART_COLORS, Chart, type ChartOption } from '../chart.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';
import { isVideoFile, makePoster } from '../../shared/video-poster.js';
import { formatDuration } from '../../../core/frameworks/filing.js';
import {
  isAudio,
  isVideo,
  MediaPreview,
  MediaThumb,
  PosterButton,
  type TEvidenceFile,
} from './EvidenceMedia.js';

const STATE_COLORS: Record<TDossierState, string> = {
  none: 'default',
  draft: 'processing',
  submitted: 'gold',
  returned: 'red',
  approved: 'green',
};

const ACTION_LABELS: Record<string, { zh: string; en: string }> = {
  upload: { zh: '上传文件', en: 'Uploaded' },
  remove: { zh: '删除文件', en: 'Removed a file' },
  statement: { zh: '填写申报说明', en: 'Wrote the statement' },
  submit: L.framework.submitted,
  return: L.problems.returned,
  approve: { zh: '审核通过', en: 'Approved' },
  poster: { zh: '更换视频封面', en: 'Changed a video poster' },
};

/** A dossier's endpoints (one standard's materials for a year). */
const BASE = '/api/evidence/:frameworkId/:year/:standardKey';
const FILES = `${BASE}/files` as const;

type TEvidenceGrade = (typeof EVIDENCE_GRADES)[number];

function StateTag({ state }: { state: TDossierState }) {
  const { t } = useI18n();
  return <Tag color={STATE_COLORS[state]}>{t(DOSSIER_STATE_LABELS[state])}</Tag>;
}

/** The dossier of one standard: files, statement, submission and the office's review. */
function DossierDrawer(props: {
  frameworkId: number;
  year: number;
  standardKey: string | null;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [statement, setStatement] = useState('');
  const [docDate, setDocDate] = useState<Dayjs | null>(null);
  const [grade, setGrade] = useState<TEvidenceGrade>('A');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [playing, setPlaying] = useState<TEvidenceFile | null>(null);
  const KEY = 'GET /api/evidence/:frameworkId/:year/:standardKey';
  const dossier: ApiArgs<typeof KEY> | null = props.standardKey
    ? {
        params: {
          frameworkId: props.frameworkId,
          year: props.year,
          standardKey: props.standardKey,
        },
      }
    : null;
  const q = useApi(KEY, dossier);
  const d = q.data ?? null;
  /** Shows the dossier as a write answered it. */
  const show = (x: TDossier) => client.setQueryData(apiKey(KEY, dossier ?? undefined), x);
  // The statement being edited starts from the dossier's, and again after each change.
  useEffect(() => {
    if (d) setStatement(d.statement);
  }, [d]);
  useEffect(() => setComment(''), [props.standardKey]);
  useEffect(() => {
    if (q.error) message.error(errorText(q.error, lang));
  }, [q.error, message, lang]);

  /** A write: its answer shown; it has marked the list and the summary stale (api-query.ts). */
  const run = async (fn: () => Promise<TDossier>, done?: { zh: string; en: string }) => {
    setBusy(true);
    try {
      show(await fn());
      if (done) message.success(t(done));
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const uploadFile = (file: File) => {
    if (!docDate) {
      message.warning(t({ zh: '请先选择文件日期', en: 'choose the document’s date first' }));
      return;
    }
    if (!dossier) return;
    const date = docDate.format('YYYY-MM-DD');
    void run(
      async () => {
        const form = new FormData();
        form.append('docDate', date);
        // A video's poster frame, drawn here (the server decodes no video); before the file, so
        // the server checks it before the video streams in. None: a placeholder until one is set.
        const poster = isVideoFile(file) ? await makePoster(file) : null;
        if (poster) form.append('poster', poster, 'poster.jpg');
        form.append('file', file, file.name);
        return apiCall(`POST ${FILES}`, { ...dossier, body: form });
      },
      { zh: '已上传', en: 'Uploaded' },
    );
  };

  const setPoster = (f: TEvidenceFile, image: File) => {
    if (!dossier) return;
    const form = new FormData();
    form.append('file', image, image.name);
    void run(
      () =>
        apiCall(`PUT ${FILES}/:fileId/poster`, {
          params: { ...dossier.params, fileId: f.id },
          body: form,
        }),
      { zh: '封面已更新', en: 'Poster saved' },
    );
  };

  return (
    <Drawer
      open={props.standardKey !== null}
      onClose={props.onClose}
      width={Math.min(720, window.innerWidth)}
      title={d ? `${d.standard.code} ${t(L.framework.archive)}` : ''}
      destroyOnClose
    >
      {d && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t(L.framework.standard)}>{d.standard.text}</Descriptions.Item>
            <Descriptions.Item label={t({ zh: '材料要求', en: 'Evidence asked for' })}>
              {d.standard.evidence.join('；') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t(L.org.responsibleUnit)}>
              {d.standard.units.map((u) => u.name).join('、') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t(L.common.status)}>
              <Space>
                <span data-testid="dossier-state">
                  <StateTag state={d.state} />
                </span>
                {d.grade && <Tag color="blue">{d.grade}</Tag>}
                {d.returnCount > 0 && (
                  <Tag>
                    {t({ zh: `退回 ${d.returnCount} 次`, en: `returned ${d.returnCount}×` })}
                  </Tag>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t({ zh: '材料有效期', en: 'Evidence window' })}>
              {d.window.from} ~ {d.window.to}
              {d.window.assumed && (
                <Typography.Text type="secondary">
                  {t({
                    zh: `（测评日期未设置，按 ${d.window.testDate} 计）`,
                    en: ` (no test date set; ${d.window.testDate} assumed)`,
                  })}
                </Typography.Text>
              )}
            </Descriptions.Item>
          </Descriptions>
          {d.reviewComment && (
            <Alert
              type={d.state === 'returned' ? 'error' : 'info'}
              showIcon
              message={t({ zh: '审核意见', en: 'Review comment' })}
              description={d.reviewComment}
            />
          )}
          <List
            size="small"
            bordered
            header={t(L.framework.evidence)}
            locale={{ emptyText: t({ zh: '尚未上传', en: 'No files yet' }) }}
            dataSource={d.files}
            renderItem={(f) => (
              <List.Item
                actions={[
                  ...(d.can.poster && isVideo(f)
                    ? [
                        <PosterButton
                          key="poster"
                          file={f}
                          busy={busy}
                          onPick={(image) => setPoster(f, image)}
                        />,
                      ]
                    : []),
                  ...(d.can.upload
                    ? [
                        <Button
                          key="rm"
                          size="small"
                          danger
                          type="link"
                          onClick={() =>
                            void run(
                              () =>
                                apiCall(`DELETE ${FILES}/:fileId`, {
                                  params: { ...dossier!.params, fileId: f.id },
                                }),
                              L.common.deleted,
                            )
                          }
                        >
                          {t(L.common.delete)}
                        </Button>,
                      ]
                    : []),
                ]}
              >
                <Space align="start">
                  {(isVideo(f) || isAudio(f)) && (
                    <MediaThumb file={f} onOpen={() => setPlaying(f)} />
                  )}
                  <Space direction="vertical" size={0}>
                    <a href={f.url} target="_blank" rel="noreferrer">
                      {f.title}
                    </a>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(L.framework.documentDate)} {f.docDate} · {f.unitName ?? ''} ·{' '}
                      {(f.size / 1024).toFixed(0)} KB
                      {f.durationMs !== null && ` · ${formatDuration(f.durationMs)}`}
                    </Typography.Text>
                  </Space>
                </Space>
              </List.Item>
            )}
          />
          {d.can.upload && (
            <Space wrap>
              <DatePicker
                placeholder={t(L.framework.documentDate)}
                value={docDate}
                onChange={setDocDate}
                disabledDate={(x) =>
                  x.isBefore(dayjs(d.window.from)) || x.isAfter(dayjs(d.window.to))
                }
                data-testid="evidence-date"
              />
              <Upload
                accept=".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,image/*,.mp4,.m4v,.m4a,.mp3"
                showUploadList={false}
                beforeUpload={(f) => {
                  uploadFile(f);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={busy} data-testid="evidence-upload">
                  {t({ zh: '上传材料', en: 'Upload' })}
                </Button>
              </Upload>
            </Space>
          )}
          <div>
            <Typography.Text strong>{t({ zh: '申报说明', en: 'Statement' })}</Typography.Text>
            <Input.TextArea
              rows={4}
              maxLength={500}
              showCount
              value={statement}
              disabled={!d.can.upload}
              onChange={(e) => setStatement(e.target.value)}
              data-testid="evidence-statement"
            />
          </div>
          {(d.can.upload || d.can.submit) && (
            <Space>
              <Button
                disabled={!d.can.upload || statement === d.statement}
                loading={busy}
                onClick={() =>
                  void run(
                    () =>
                      apiCall(`PUT ${BASE}/statement`, {
                        ...dossier!,
                        body: { statement, version: d.version },
                      }),
                    L.common.saved,
                  )
                }
              >
                {t({ zh: '保存说明', en: 'Save statement' })}
              </Button>
              <Button
                type="primary"
                disabled={!d.can.submit || statement !== d.statement}
                loading={busy}
                data-testid="evidence-submit"
                onClick={() =>
                  void run(
                    () =>
                      apiCall(`POST ${BASE}/submit`, { ...dossier!, body: { version: d.version } }),
                    {
                      zh: '已提交审核',
                      en: 'Submitted',
                    },
                  )
                }
              >
                {t(L.framework.submitForReview)}
              </Button>
            </Space>
          )}
          {d.can.review && (
            <Card size="small" title={t({ zh: '审核', en: 'Review' })}>
              <Space direction="vertical" style={{ width: '100%' }}>
                <Input.TextArea
                  rows={2}
                  placeholder={t({
                    zh: '审核意见（退回时必填）',
                    en: 'Comment (required to return)',
                  })}
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  data-testid="evidence-comment"
                />
                <Space wrap>
                  {d.state === 'submitted' && (
                    <>
                      <Segmented<TEvidenceGrade>
                        options={EVIDENCE_GRADES.map((g) => ({ value: g, label: g }))}
                        value={grade}
                        onChange={setGrade}
                      />
                      <Button
                        type="primary"
                        loading={busy}
                        data-testid="evidence-approve"
                        onClick={() =>
                          void run(
                            () =>
                              apiCall(`POST ${BASE}/review`, {
                                ...dossier!,
                                body: {
                                  action: 'approve',
                                  grade,
                                  comment: comment || undefined,
                                  version: d.version,
                                },
                              }),
                            { zh: '已通过', en: 'Approved' },
                          )
                        }
                      >
                        {t({ zh: '通过并评定等级', en: 'Approve with grade' })}
                      </Button>
                    </>
                  )}
                  <Button
                    danger
                    loading={busy}
                    disabled={!comment.trim()}
                    data-testid="evidence-return"
                    onClick={() =>
                      void run(
                        () =>
                          apiCall(`POST ${BASE}/review`, {
                            ...dossier!,
                            body: { action: 'return', comment, version: d.version },
                          }),
                        { zh: '已退回', en: 'Returned' },
                      )
                    }
                  >
                    {t({ zh: '退回修改', en: 'Return' })}
                  </Button>
                </Space>
              </Space>
            </Card>
          )}
          <MediaPreview file={playing} onClose={() => setPlaying(null)} />
          <Timeline
            items={d.timeline.map((e) => ({
              children: (
                <span>
                  {formatTime(e.at)} {e.actorName}{' '}
                  {t(ACTION_LABELS[e.action] ?? { zh: e.action, en: e.action })}
                  {e.grade ? ` ${e.grade}` : ''}
                  {e.comment ? `：${e.comment}` : ''}
                </span>
              ),
            }))}
          />
        </Space>
      )}
    </Drawer>
  );
}

function Pct({ value }: { value: number }) {
  return <Progress percent={Math.round(value * 100)} size="small" />;
}

/** A positive whole number from the address (?frameworkId=…), or null. */
function numberParam(params: URLSearchParams, name: string): number | null {
  const v = Number(params.get(name));
  return Number.isInteger(v) && v > 0 ? v : null;
}

/**
 * 档案资料: the completeness dashboard, the standards' dossiers and the office's review queue.
 * `?frameworkId=&year=&standard=` (links from the unit dashboard) open one standard's dossier.
 */
export function EvidencePage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const office = can(Permission.FrameworkWrite);
  const [params] = useSearchParams();
  const [picked, setFrameworkId] = useState<number | null>(() =>
    numberParam(params, 'frameworkId'),
  );
  const [year, setYear] = useState<number>(
    () => numberParam(params, 'year') ?? new Date().getFullYear(),
  );
  const [state, setState] = useState<TDossierState | undefined>(undefined);
  const [open, setOpen] = useState<string | null>(() => params.get('standard'));
  const [groupId, setGroupId] = useState<number | undefined>(undefined);

  const campaigns = useApi('GET /api/campaigns', CITY_CAMPAIGNS).data?.items ?? [];
  // The framework in the URL, or the first one in force.
  const frameworkId =
    picked ??
    campaigns.flatMap((c) => c.frameworks).find((f) => f.currentVersionId !== null)?.id ??
    null;
  // Working groups filter the list when there are any (none on an error).
  const groups = useApi('GET /api/working-groups', {}).data?.items ?? [];
  const scope = frameworkId ? { frameworkId, year, groupId } : null;
  const rowsQ = useApi('GET /api/evidence', scope && { query: { ...scope, state } });
  // The chart is left out when the summary cannot be read.
  const summaryQ = useApi('GET /api/evidence/summary', scope && { query: scope });
  const rows = rowsQ.data ?? [];
  const summary = summaryQ.data ?? null;
  const error = rowsQ.error ? errorText(rowsQ.error, lang) : null;

  // Each item's projected material score beside its maximum.
  const option = useMemo((): ChartOption | null => {
    if (!summary) return null;
    return {
      tooltip: { trigger: 'axis' },
      legend: {
        data: [t(L.framework.projected), t(L.framework.fullMarks)],
      },
      grid: { left: 40, right: 16, bottom: 60, top: 36 },
      xAxis: {
        type: 'category',
        data: summary.items.map((i) => i.code),
        axisLabel: { interval: 0 },
      },
      yAxis: { type: 'value' },
      series: [
        {
          name: t(L.framework.projected),
          type: 'bar',
          data: summary.items.map((i) => i.projectedScore),
        },
        {
          name: t(L.framework.fullMarks),
          type: 'bar',
          data: summary.items.map((i) => i.maxScore),
          itemStyle: { color: CHART_COLORS.muted },
        },
      ],
    };
  }, [summary, t]);

  const frameworkOptions = campaigns.flatMap((c) =>
    c.frameworks
      .filter((f) => f.currentVersionId !== null)
      .map((f) => ({ value: f.id, label: `${c.name} · ${f.name}` })),
  );
  const total = summary?.total;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t(L.framework.archive)}
        extra={
          <Space wrap>
            <Select
              style={{ width: 320 }}
              value={frameworkId ?? undefined}
              options={frameworkOptions}
              onChange={setFrameworkId}
              placeholder={t(L.framework.framework)}
            />
            <InputNumber
              min={2000}
              max={2100}
              value={year}
              onChange={(v) => v && setYear(v)}
              addonAfter={t(L.common.year)}
              style={{ width: 130 }}
            />
            <Select
              allowClear
              style={{ width: 180 }}
              placeholder={t(L.org.allWorkingGroups)}
              value={groupId}
              onChange={(v?: number) => setGroupId(v)}
              options={groups
                .filter((g) => g.standards.some((x) => x.frameworkId === frameworkId))
                .map((g) => ({ value: g.id, label: g.name }))}
              data-testid="evidence-group"
            />
          </Space>
        }
      >
        {!frameworkId && (
          <Empty description={t({ zh: '没有已发布的测评体系', en: 'No published framework' })} />
        )}
        {error && <Alert type="error" message={error} />}
        {total && (
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Statistic
                title={t({ zh: '材料类标准', en: 'Material standards' })}
                value={total.standards}
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t({ zh: '完成度（已通过）', en: 'Complete (approved)' })}
                value={total.standards ? (total.approved / total.standards) * 100 : 0}
                precision={1}
                suffix="%"
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t({ zh: '已提交 / 未上传', en: 'Submitted / missing' })}
                value={`${total.submitted} / ${total.missing}`}
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t({ zh: '预计材料得分', en: 'Projected material score' })}
                value={total.projectedScore}
                precision={2}
                suffix={`/ ${total.maxScore.toFixed(2)}`}
              />
            </Col>
          </Row>
        )}
        {summary && summary.items.length > 0 && (
          <Chart
            option={option}
            height={260}
            style={{ marginTop: 16 }}
            summary={t({
              zh: `${summary.items.length} 个测评项目的预计材料得分与满分：合计 ${summary.total.projectedScore.toFixed(2)} / ${summary.total.maxScore.toFixed(2)}`,
              en: `Projected material score and maximum of ${summary.items.length} items: ${summary.total.projectedScore.toFixed(2)} of ${summary.total.maxScore.toFixed(2)}`,
            })}
            data-testid="evidence-chart"
          />
        )}
      </Card>
      {office && summary && (
        <Card size="small" title={t({ zh: '各牵头单位完成情况', en: 'By lead unit' })}>
          <Table
            size="small"
            rowKey={(r) => String(r.unitId)}
            dataSource={summary.units}
            pagination={{ pageSize: 8 }}
            columns={[
              { title: t(L.org.unit), dataIndex: 'name' },
              { title: t({ zh: '标准数', en: 'Standards' }), dataIndex: 'standards', width: 90 },
              { title: t({ zh: '未上传', en: 'Missing' }), dataIndex: 'missing', width: 90 },
              { title: t({ zh: '已退回', en: 'Returned' }), dataIndex: 'returned', width: 90 },
              {
                title: t({ zh: '完成度', en: 'Complete' }),
                width: 200,
                render: (_: unknown, r) => (
                  <Pct value={r.standards ? r.approved / r.standards : 0} />
                ),
              },
              {
                title: t(L.framework.projected),
                width: 140,
                render: (_: unknown, r) =>
                  `${r.projectedScore.toFixed(2)} / ${r.maxScore.toFixed(2)}`,
              },
            ]}
          />
        </Card>
      )}
      <Card
        size="small"
        title={
          <Segmented
            value={state ?? 'all'}
            onChange={(v) => setState(v === 'all' ? undefined : (v as TDossierState))}
            options={[
              { value: 'all', label: t(L.common.all) },
              {
                value: 'submitted',
                label: office
                  ? t({ zh: '审核队列', en: 'Review queue' })
                  : t(DOSSIER_STATE_LABELS.submitted),
              },
              { value: 'returned', label: t(DOSSIER_STATE_LABELS.returned) },
              { value: 'none', label: t(DOSSIER_STATE_LABELS.none) },
              { value: 'approved', label: t(DOSSIER_STATE_LABELS.approved) },
            ]}
          />
        }
      >
        <Table<TEvidenceRow>
          size="middle"
          rowKey="standardKey"
          dataSource={rows}
          pagination={{ pageSize: 20 }}
          onRow={(r) => ({ onClick: () => setOpen(r.standardKey), style: { cursor: 'pointer' } })}
          columns={[
            { title: t(L.common.code), dataIndex: 'code', width: 100 },
            { title: t(L.framework.standard), dataIndex: 'text', ellipsis: true },
            {
              title: t({ zh: '牵头/责任单位', en: 'Units' }),
              width: 200,
              render: (_: unknown, r) => r.units.map((u) => u.name).join('、') || '—',
            },
            { title: t(L.framework.maxScore), dataIndex: 'maxScore', width: 70 },
            {
              title: t(L.framework.projected),
              width: 130,
              render: (_: unknown, r) => (
                <Space size={4} data-testid={`earned-${r.code}`}>
                  {r.earned}
                  {r.compliance !== null && (
                    <Tooltip
                      title={t({
                        zh: '硬性指标达标比例，已计入预计得分',
                        en: 'indicator compliance, applied to the projected score',
                      })}
                    >
                      <Tag color={r.compliance >= 1 ? 'green' : 'orange'}>
                        {t(L.framework.indicator)} {Math.round(r.compliance * 100)}%
                      </Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { title: t({ zh: '文件', en: 'Files' }), dataIndex: 'files', width: 70 },
            {
              title: t(L.common.status),
              width: 160,
              render: (_: unknown, r) => (
                <Space size={4}>
                  <StateTag state={r.state} />
                  {r.grade && <Tag color="blue">{r.grade}</Tag>}
                </Space>
              ),
            },
            {
              title: t({ zh: '提交时间', en: 'Submitted' }),
              dataIndex: 'submittedAt',
              width: 150,
              render: (v: string | null) => formatTime(v),
            },
          ]}
        />
      </Card>
      {frameworkId && (
        <DossierDrawer
          frameworkId={frameworkId}
          year={year}
          standardKey={open}
          onClose={() => setOpen(null)}
        />
      )}
    </Space>
  );
}
