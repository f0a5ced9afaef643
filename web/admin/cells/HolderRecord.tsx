import {
  App,
  Button,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import {
  FINAL_OUTCOME_LABELS,
  type TCheck,
  type TCheckList,
  type THit,
  type THolderProblem,
  type TNegativeList,
} from '../../../core/contracts/cell-checks.js';
import { HONOUR_STATUS_LABELS, type THonourStatus } from '../../../core/contracts/honours.js';
import { PROBLEM_STATE_LABELS, PROBLEM_STATES } from '../../../core/problems/lifecycle.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText, oneOf } from '../../shared/forms.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';

export const STATUS_COLORS: Record<THonourStatus, string> = {
  listed: 'green',
  rectifying: 'orange',
  suspended: 'gold',
  revoked: 'red',
  relinquished: 'default',
};

/**
 * What a check or a hit makes stale: the holder's record, status and history, the registry's
 * lists and the reviews' scores. (A bare 'GET /api/' matches no endpoint: prefixes end at a path
 * segment.)
 */
const RECORD_READS = ['GET /api/honours', 'GET /api/cell-reviews'];

/** Today in Shanghai (YYYY-MM-DD). */
export const todayShanghai = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** The period a list's check of today belongs to: 2026-Q3 or 2026-09. */
export function currentPeriod(frequency: TCheckList['frequency'], day = todayShanghai()): string {
  const [y, m] = [day.slice(0, 4), Number(day.slice(5, 7))];
  return frequency === 'quarterly' ? `${y}-Q${Math.ceil(m / 3)}` : `${y}-${day.slice(5, 7)}`;
}

/** Records a holder's check for a period against one of its type's lists. */
function CheckModal({
  honourId,
  lists,
  onClose,
}: {
  honourId: number;
  lists: TCheckList[];
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [listId, setListId] = useState<number | undefined>(lists[0]?.id);
  const list = lists.find((l) => l.id === listId);
  const [period, setPeriod] = useState(list ? currentPeriod(list.frequency) : '');
  const [checkedOn, setCheckedOn] = useState(todayShanghai());
  const [answers, setAnswers] = useState<Record<string, { pass: boolean; note: string }>>({});
  const save = useApiMutation('POST /api/cell-checks', { invalidates: RECORD_READS });

  async function submit() {
    if (!list) return;
    try {
      const check = await save.mutateAsync({
        body: {
          honourId,
          listId: list.id,
          period,
          checkedOn,
          results: list.standards.map((s) => ({
            code: s.code,
            pass: answers[s.code]?.pass ?? true,
            note: answers[s.code]?.note || null,
          })),
        },
      });
      message.success(t({ zh: `已记录，得分 ${check.score}`, en: `Recorded: ${check.score}` }));
      onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  return (
    <Modal
      open
      destroyOnHidden
      width={720}
      title={t({ zh: '记录检查', en: 'Record a check' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: save.isPending, disabled: !list, id: 'check-submit' }}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          id="check-list"
          style={{ width: 220 }}
          value={listId}
          options={lists.map((l) => ({ value: l.id, label: l.name }))}
          onChange={(v: number) => {
            setListId(v);
            const next = lists.find((l) => l.id === v);
            if (next) setPeriod(currentPeriod(next.frequency));
          }}
        />
        <Input
          id="check-period"
          prefix={t(L.common.period)}
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
          style={{ width: 180 }}
        />
        <Input
          type="date"
          value={checkedOn}
          onChange={(e) => setCheckedOn(e.target.value)}
          style={{ width: 160 }}
        />
      </Space>
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={list?.standards ?? []}
        scroll={{ y: 360 }}
        columns={[
          { title: t(L.common.code), dataIndex: 'code', width: 60 },
          { title: t({ zh: '标准', en: 'Standard' }), dataIndex: 'text' },
          { title: t(L.framework.maxScore), dataIndex: 'points', width: 60 },
          {
            title: t(L.framework.met),
            width: 70,
            render: (_: unknown, s: { code: string }) => (
              <Switch
                aria-label={`pass-${s.code}`}
                checked={answers[s.code]?.pass ?? true}
                onChange={(pass) =>
                  setAnswers({ ...answers, [s.code]: { note: '', ...answers[s.code], pass } })
                }
              />
            ),
          },
          {
            title: t(L.common.note),
            width: 180,
            render: (_: unknown, s: { code: string }) => (
              <Input
                size="small"
                value={answers[s.code]?.note ?? ''}
                onChange={(e) =>
                  setAnswers({
                    ...answers,
                    [s.code]: { pass: true, ...answers[s.code], note: e.target.value },
                  })
                }
              />
            ),
          },
        ]}
      />
    </Modal>
  );
}

/** Records a negative-list hit, from a problem at the premises or not. */
function HitModal({
  honourId,
  list,
  problem,
  onClose,
}: {
  honourId: number;
  list: TNegativeList;
  problem: THolderProblem | null;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ itemCode: string; hitOn: string; note?: string }>();
  const save = useApiMutation('POST /api/cell-hits', { invalidates: RECORD_READS });

  async function submit() {
    const v = await form.validateFields();
    try {
      const r = await save.mutateAsync({
        body: { honourId, ...v, note: v.note || null, problemId: problem?.id ?? null },
      });
      if (r.statusChange)
        modal.warning({
          title: t({
            zh: `称号状态已改为“${HONOUR_STATUS_LABELS[r.statusChange.to].zh}”`,
            en: `The title is now ${HONOUR_STATUS_LABELS[r.statusChange.to].en}`,
          }),
          content: r.statusChange.reason,
        });
      else
        message.success(
          t({ zh: `已记录，扣 ${r.hit.points} 分`, en: `Recorded: −${r.hit.points}` }),
        );
      onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  return (
    <Modal
      open
      destroyOnHidden
      title={t({ zh: '记录负面清单', en: 'Record a negative-list hit' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ loading: save.isPending, id: 'hit-submit' }}
    >
      {problem && (
        <Typography.Paragraph>
          {t({ zh: '来自问题', en: 'From problem' })}: {problem.code} {problem.title}
        </Typography.Paragraph>
      )}
      <Typography.Paragraph type="secondary">{t(list.rule)}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ hitOn: todayShanghai() }}>
        <Form.Item
          name="itemCode"
          label={t({ zh: '负面清单项', en: 'Item' })}
          rules={[{ required: true }]}
        >
          <Select
            id="hit-item"
            options={list.items.map((i) => ({
              value: i.code,
              label: `${i.code} ${i.text}（−${i.points}${i.severe ? t({ zh: '，严重', en: ', severe' }) : ''}）`,
            }))}
          />
        </Form.Item>
        <Form.Item name="hitOn" label={t(L.common.date)} rules={[{ required: true }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="note" label={t(L.common.note)}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * A holder's dynamic-management record (GET /api/honours/:id/management): the year's figures,
 * checks, negative-list hits, problems at its premises and reviews — with the office's actions
 * when it manages the holder. The registry's detail can show it as it is.
 */
export function HolderRecord({ honourId }: { honourId: number }) {
  const { t } = useI18n();
  const rec = useApi('GET /api/honours/:id/management', { params: { id: honourId } });
  const r = rec.data;
  const lists = useApi(
    'GET /api/cell-check-lists',
    r ? { query: { cellType: r.honour.cellType } } : null,
  );
  const negs = useApi(
    'GET /api/cell-negative-lists',
    r ? { query: { cellType: r.honour.cellType } } : null,
  );
  const [checking, setChecking] = useState(false);
  const [hitting, setHitting] = useState<{ problem: THolderProblem | null } | null>(null);
  if (!r) return <Typography.Text type="secondary">…</Typography.Text>;
  const negList = negs.data?.[0] ?? null;
  const activeLists = (lists.data ?? []).filter((l) => l.active);
  const writable =
    r.honour.managed && ['listed', 'rectifying', 'suspended'].includes(r.honour.status);
  const stateLabel = (s: string) => {
    const state = oneOf(PROBLEM_STATES, s);
    return state ? t(PROBLEM_STATE_LABELS[state]) : s;
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="holder-record">
      <Space wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {r.honour.holderName}
        </Typography.Title>
        <Tag>{r.honour.title}</Tag>
        <Tag color={STATUS_COLORS[r.honour.status]}>{t(HONOUR_STATUS_LABELS[r.honour.status])}</Tag>
      </Space>
      <Space size="large" wrap>
        <Statistic
          title={t({ zh: `${r.year} 年检查平均分`, en: `Average check score ${r.year}` })}
          value={r.averageScore ?? '—'}
        />
        <Statistic
          title={t({ zh: '本年扣分', en: 'Deductions this year' })}
          value={r.deductionsThisYear}
          styles={{ content: { color: r.deductionsThisYear > 0 ? '#cf1322' : undefined } }}
        />
        <Statistic title={t({ zh: '年度得分', en: 'Year score' })} value={r.yearScore} />
      </Space>
      {writable && (
        <Space>
          <Button
            id="record-check"
            disabled={!activeLists.length}
            onClick={() => setChecking(true)}
          >
            {t({ zh: '记录检查', en: 'Record a check' })}
          </Button>
          <Button
            id="record-hit"
            danger
            disabled={!negList}
            onClick={() => setHitting({ problem: null })}
          >
            {t({ zh: '记录负面清单', en: 'Record a hit' })}
          </Button>
        </Space>
      )}
      <Typography.Title level={5}>{t({ zh: '定期检查', en: 'Checks' })}</Typography.Title>
      <Table<TCheck>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={r.checks}
        locale={{ emptyText: t({ zh: '暂无', en: 'None' }) }}
        columns={[
          { title: t(L.common.period), dataIndex: 'period', width: 90 },
          { title: t({ zh: '检查标准', en: 'List' }), dataIndex: 'listName' },
          {
            title: t(L.framework.notMet),
            render: (_: unknown, c) =>
              c.results
                .filter((x) => !x.pass)
                .map((x) => `${x.code} ${x.text}${x.note ? `（${x.note}）` : ''}`)
                .join('；') || '—',
          },
          { title: t(L.framework.score), dataIndex: 'score', width: 70 },
        ]}
      />
      <Typography.Title level={5}>
        {t({ zh: '负面清单记录', en: 'Negative-list hits' })}
      </Typography.Title>
      <Table<THit>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={r.hits}
        locale={{ emptyText: t({ zh: '暂无', en: 'None' }) }}
        columns={[
          { title: t(L.common.date), dataIndex: 'hitOn', width: 100 },
          {
            title: t({ zh: '事项', en: 'Item' }),
            render: (_: unknown, h) => (
              <Space size={4}>
                {h.itemCode} {h.itemText}
                {h.severe && <Tag color="red">{t({ zh: '严重', en: 'Severe' })}</Tag>}
                {h.action === 'rectify' && (
                  <Tag color="orange">
                    {t({ zh: `整改至 ${h.rectifyUntil}`, en: `Rectify until ${h.rectifyUntil}` })}
                  </Tag>
                )}
                {h.action === 'disqualify' && (
                  <Tag color="red">{t({ zh: '取消资格', en: 'Disqualified' })}</Tag>
                )}
              </Space>
            ),
          },
          { title: t(L.framework.deduction), dataIndex: 'points', width: 60 },
          { title: t(L.common.note), dataIndex: 'note' },
        ]}
      />
      <Typography.Title level={5}>
        {t({
          zh: `场所问题（所属单位或 ${r.problemRadiusM} 米内，近 12 个月）`,
          en: `Problems at the premises (its unit or within ${r.problemRadiusM} m, last 12 months)`,
        })}
      </Typography.Title>
      <Table<THolderProblem>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={r.problems}
        locale={{ emptyText: t({ zh: '暂无', en: 'None' }) }}
        columns={[
          {
            title: t(L.problems.problem),
            render: (_: unknown, p) => (
              <a href={`/problems/${p.id}`}>
                {p.code} {p.title}
              </a>
            ),
          },
          {
            title: t({ zh: '关联', en: 'Link' }),
            width: 120,
            render: (_: unknown, p) =>
              [
                p.byUnit ? t({ zh: '本单位', en: 'Its unit' }) : null,
                p.distanceM !== null ? `${p.distanceM} m` : null,
              ]
                .filter(Boolean)
                .join(' · '),
          },
          { title: t(L.common.status), dataIndex: 'state', width: 90, render: stateLabel },
          {
            title: t(L.common.time),
            dataIndex: 'createdAt',
            width: 150,
            render: (v: string) => formatTime(v),
          },
          {
            title: '',
            width: 120,
            render: (_: unknown, p) =>
              p.hitId !== null ? (
                <Tag>{t({ zh: '已计入负面清单', en: 'Counted' })}</Tag>
              ) : writable && negList ? (
                <Button size="small" onClick={() => setHitting({ problem: p })}>
                  {t({ zh: '计入负面清单', en: 'Count as a hit' })}
                </Button>
              ) : null,
          },
        ]}
      />
      {r.reviews.length > 0 && (
        <>
          <Typography.Title level={5}>{t({ zh: '复审', en: 'Reviews' })}</Typography.Title>
          {r.reviews.map((v) => (
            <Typography.Text key={v.reviewId}>
              {v.name} ·{' '}
              {v.filedAt ? t(L.framework.reported) : t({ zh: '未报送', en: 'not filed' })}
              {v.finalOutcome ? ` · ${t(FINAL_OUTCOME_LABELS[v.finalOutcome])}` : ''}
            </Typography.Text>
          ))}
        </>
      )}
      {checking && (
        <CheckModal honourId={honourId} lists={activeLists} onClose={() => setChecking(false)} />
      )}
      {hitting && negList && (
        <HitModal
          honourId={honourId}
          list={negList}
          problem={hitting.problem}
          onClose={() => setHitting(null)}
        />
      )}
    </Space>
  );
}
