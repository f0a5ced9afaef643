import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  FINAL_OUTCOME_LABELS,
  REVIEW_SCOPE_LABELS,
  REVIEW_SCOPES,
  type TReview,
  type TReviewDetail,
  type TReviewHolder,
} from '../../../core/contracts/cell-checks.js';
import {
  CELL_TYPE_LABELS,
  CELL_TYPES,
  HONOUR_STATUS_LABELS,
  type TCellType,
} from '../../../core/contracts/honours.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { STATUS_COLORS, todayShanghai } from './HolderRecord.js';

const OUTCOME_OPTIONS = [
  { value: 'keep', label: { zh: '保留', en: 'Keep' } },
  { value: 'rectify', label: { zh: '限期整改', en: 'Rectify by deadline' } },
  { value: 'revoke', label: { zh: '撤销', en: 'Revoke' } },
] as const;

type OpenForm = {
  cellType: TCellType;
  year: number;
  scope: TReview['scope'];
  filingDeadline: string;
  renewalCapPct?: number | null;
};

function OpenReviewModal({ onClose }: { onClose: (id?: number) => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<OpenForm>();
  const open = useApiMutation('POST /api/cell-reviews');
  async function submit() {
    const v = await form.validateFields();
    try {
      const r = await open.mutateAsync({
        body: { ...v, renewalCapPct: v.renewalCapPct ?? null },
      });
      onClose(r.id);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  return (
    <Modal
      open
      destroyOnHidden
      title={t({ zh: '开启复审', en: 'Open a review' })}
      onCancel={() => onClose()}
      onOk={() => void submit()}
      okButtonProps={{ id: 'review-open-submit', loading: open.isPending }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          cellType: 'unit',
          year: Number(todayShanghai().slice(0, 4)),
          scope: 'current',
          renewalCapPct: 90,
        }}
      >
        <Form.Item name="cellType" label={t(L.common.type)}>
          <Select options={CELL_TYPES.map((c) => ({ value: c, label: t(CELL_TYPE_LABELS[c]) }))} />
        </Form.Item>
        <Form.Item name="year" label={t(L.common.year)} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="scope" label={t({ zh: '复审对象', en: 'Who is reviewed' })}>
          <Select
            options={REVIEW_SCOPES.map((s) => ({ value: s, label: t(REVIEW_SCOPE_LABELS[s]) }))}
          />
        </Form.Item>
        <Form.Item
          name="filingDeadline"
          label={t({ zh: '报告报送截止日期', en: 'Filing deadline' })}
          rules={[{ required: true }]}
        >
          <Input id="review-deadline" type="date" />
        </Form.Item>
        <Form.Item
          name="renewalCapPct"
          label={t({ zh: '保留比例上限（%，空为不设）', en: 'Renewal cap (%, empty: none)' })}
        >
          <InputNumber min={1} max={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One review: its holders, filings and outcomes; closing; the 通报 once closed. */
function ReviewDetail({ id }: { id: number }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { can } = useAuth();
  const writable = can(Permission.UnitWrite);
  const q = useApi('GET /api/cell-reviews/:id', { params: { id } });
  const file = useApiMutation('PUT /api/cell-reviews/:id/holders/:honourId/report');
  const outcome = useApiMutation('PUT /api/cell-reviews/:id/holders/:honourId/outcome');
  // Closing changes the holders' statuses (放弃, 撤销…): the registry's lists are stale too.
  const close = useApiMutation('POST /api/cell-reviews/:id/close', {
    invalidates: ['GET /api/cell-reviews', 'GET /api/honours'],
  });
  const patch = useApiMutation('PATCH /api/cell-reviews/:id');
  const [filing, setFiling] = useState<TReviewHolder | null>(null);
  const [report, setReport] = useState('');
  const [deadlines, setDeadlines] = useState<Record<number, string>>({});
  const r: TReviewDetail | undefined = q.data;
  if (!r) return null;
  const open = r.status === 'open';
  const past = todayShanghai() > r.filingDeadline;

  const run = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  return (
    <Card
      size="small"
      title={`${r.name} · ${t(CELL_TYPE_LABELS[r.cellType])}`}
      data-testid="review-detail"
      extra={
        <Space>
          {open && writable && (
            <Input
              type="date"
              aria-label="deadline"
              prefix={t({ zh: '报送截止', en: 'Filing deadline' })}
              defaultValue={r.filingDeadline}
              style={{ width: 230 }}
              onBlur={(e) =>
                e.target.value !== r.filingDeadline &&
                void run(
                  patch.mutateAsync({
                    params: { id },
                    body: { version: r.version, filingDeadline: e.target.value },
                  }),
                )
              }
            />
          )}
          {open && writable && (
            <Popconfirm
              title={t({
                zh: '结束复审并发布通报？',
                en: 'Close the review and issue the notice?',
              })}
              description={t({
                zh: '未报送者视为放弃；超出保留比例的按年度得分由低到高淘汰。',
                en: 'Non-filers give the title up; over the cap, the lowest year scores fall out.',
              })}
              onConfirm={() =>
                void run(close.mutateAsync({ params: { id }, body: { version: r.version } }))
              }
            >
              <Button id="review-close" type="primary" danger disabled={!past}>
                {t({ zh: '结束复审', en: 'Close the review' })}
              </Button>
            </Popconfirm>
          )}
          {!open && (
            <>
              <Button id="review-bulletin" onClick={() => navigate(`/cell-reviews/${id}/bulletin`)}>
                {t(L.results.bulletin)}
              </Button>
              <Button href={`/api/cell-reviews/${id}/bulletin.xlsx`}>XLSX</Button>
            </>
          )}
        </Space>
      }
    >
      <Typography.Paragraph>
        {t({
          zh: `报送截止 ${r.filingDeadline} · 已报送 ${r.filedCount}/${r.holderCount} · 保留比例上限 ${r.renewalCapPct === null ? '不设' : `${r.renewalCapPct}%`}`,
          en: `Filing deadline ${r.filingDeadline} · filed ${r.filedCount}/${r.holderCount} · cap ${r.renewalCapPct === null ? 'none' : `${r.renewalCapPct} %`}`,
        })}
      </Typography.Paragraph>
      {open && !past && (
        <Alert
          type="info"
          title={t({
            zh: '截止日期过后方可结束复审（可调整截止日期）。',
            en: 'The review closes after the filing deadline (the deadline can be changed).',
          })}
          style={{ marginBottom: 8 }}
        />
      )}
      <Table<TReviewHolder>
        size="small"
        rowKey="honourId"
        pagination={false}
        dataSource={r.holders}
        columns={[
          { title: t(L.common.name), dataIndex: 'holderName' },
          {
            title: t(L.common.status),
            dataIndex: 'status',
            width: 80,
            render: (v: TReviewHolder['status']) => (
              <Tag color={STATUS_COLORS[v]}>{t(HONOUR_STATUS_LABELS[v])}</Tag>
            ),
          },
          {
            title: t({ zh: '年度得分', en: 'Year score' }),
            dataIndex: 'score',
            width: 90,
          },
          {
            title: t({ zh: '复审报告', en: 'Report' }),
            width: 130,
            render: (_: unknown, h) =>
              h.filedAt ? (
                <Tag color="green">{t(L.framework.reported)}</Tag>
              ) : open && writable && !past ? (
                <Button
                  size="small"
                  onClick={() => {
                    setReport('');
                    setFiling(h);
                  }}
                >
                  {t({ zh: '登记报告', en: 'File report' })}
                </Button>
              ) : (
                <Tag>{t({ zh: '未报送', en: 'Not filed' })}</Tag>
              ),
          },
          {
            title: t({ zh: '复审结果', en: 'Outcome' }),
            width: 400,
            render: (_: unknown, h) =>
              !open ? (
                h.finalOutcome && t(FINAL_OUTCOME_LABELS[h.finalOutcome])
              ) : h.filedAt && writable ? (
                <Space>
                  <Select
                    aria-label={`outcome-${h.honourId}`}
                    style={{ width: 130 }}
                    value={h.outcome ?? undefined}
                    placeholder={t({ zh: '选择', en: 'Choose' })}
                    options={OUTCOME_OPTIONS.map((o) => ({ value: o.value, label: t(o.label) }))}
                    onChange={(v: (typeof OUTCOME_OPTIONS)[number]['value']) =>
                      void run(
                        outcome.mutateAsync({
                          params: { id, honourId: h.honourId },
                          body: {
                            outcome: v,
                            rectifyDeadline:
                              v === 'rectify'
                                ? (deadlines[h.honourId] ?? h.rectifyDeadline ?? null)
                                : null,
                          },
                        }),
                      )
                    }
                  />
                  <Input
                    type="date"
                    aria-label={`deadline-${h.honourId}`}
                    prefix={t(L.problems.rectifyDeadline)}
                    style={{ width: 230 }}
                    value={deadlines[h.honourId] ?? h.rectifyDeadline ?? ''}
                    onChange={(e) => setDeadlines({ ...deadlines, [h.honourId]: e.target.value })}
                    // A new deadline of a holder already to rectify is saved as it is left.
                    onBlur={(e) =>
                      h.outcome === 'rectify' &&
                      e.target.value &&
                      e.target.value !== h.rectifyDeadline &&
                      void run(
                        outcome.mutateAsync({
                          params: { id, honourId: h.honourId },
                          body: { outcome: 'rectify', rectifyDeadline: e.target.value },
                        }),
                      )
                    }
                  />
                </Space>
              ) : (
                '—'
              ),
          },
        ]}
      />
      <Modal
        open={filing !== null}
        destroyOnHidden
        title={`${t({ zh: '登记复审报告', en: 'File the report' })}：${filing?.holderName ?? ''}`}
        onCancel={() => setFiling(null)}
        onOk={() =>
          filing &&
          void run(
            file
              .mutateAsync({ params: { id, honourId: filing.honourId }, body: { report } })
              .then(() => setFiling(null)),
          )
        }
        okButtonProps={{ id: 'report-submit', disabled: !report.trim() }}
      >
        <Input.TextArea
          id="report-text"
          rows={8}
          value={report}
          onChange={(e) => setReport(e.target.value)}
        />
      </Modal>
    </Card>
  );
}

/** 复审: the reviews of the years, one open at a time on screen. */
export function CellReviewPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { id } = useParams();
  const navigate = useNavigate();
  const list = useApi('GET /api/cell-reviews', {});
  const [opening, setOpening] = useState(false);
  const selected = id ? Number(id) : null;

  return (
    <Card
      title={t({ zh: '文明细胞复审', en: 'Civilized cells: yearly review' })}
      extra={
        can(Permission.UnitWrite) && (
          <Button id="review-open" type="primary" onClick={() => setOpening(true)}>
            {t({ zh: '开启复审', en: 'Open a review' })}
          </Button>
        )
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Table<TReview>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={list.data ?? []}
          onRow={(r) => ({
            onClick: () => void navigate(`/cell-reviews/${r.id}`),
            style: { cursor: 'pointer' },
          })}
          columns={[
            { title: t(L.common.year), dataIndex: 'year', width: 70 },
            { title: t(L.common.name), dataIndex: 'name' },
            {
              title: t({ zh: '组织', en: 'Office' }),
              dataIndex: 'officeRegionName',
              width: 120,
              render: (v: string | null) => v ?? t(L.org.cityLevel),
            },
            {
              title: t(L.framework.report),
              width: 90,
              render: (_: unknown, r) => `${r.filedCount}/${r.holderCount}`,
            },
            {
              title: t(L.common.status),
              dataIndex: 'status',
              width: 90,
              render: (v: TReview['status']) =>
                v === 'open' ? (
                  <Tag color="blue">{t({ zh: '进行中', en: 'Open' })}</Tag>
                ) : (
                  <Tag>{t(L.common.ended)}</Tag>
                ),
            },
          ]}
        />
        {selected !== null && <ReviewDetail key={selected} id={selected} />}
      </Space>
      {opening && (
        <OpenReviewModal
          onClose={(newId) => {
            setOpening(false);
            if (newId) void navigate(`/cell-reviews/${newId}`);
          }}
        />
      )}
    </Card>
  );
}
