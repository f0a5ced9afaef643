import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type {
  TSimulationCheck,
  TSimulationCheckList,
  TSimulationTarget,
} from '../../../core/contracts/simulations.js';
import {
  ANSWER_QUALITY_LABELS,
  CHECK_REASON_LABELS,
  CHECK_VERDICT_LABELS,
  type TCheckVerdict,
} from '../../../core/inspection/simulation.js';
import { Permission } from '../../../core/permissions.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { SimulationCallModal } from './SimulationCallModal.js';
import { SimulationTargetModal } from './SimulationTargetModal.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';

const VERDICT_COLORS: Record<TCheckVerdict, string> = {
  pass: 'success',
  partial: 'warning',
  fail: 'error',
  pending: 'processing',
};
const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);
const thisYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

const EMPTY: TSimulationCheckList = { items: [], standards: [] };

type Dialog =
  | { kind: 'call'; target: TSimulationTarget; check?: TSimulationCheck }
  | { kind: 'target'; target?: TSimulationTarget };

/**
 * 模拟验证 (实景模拟验证): what to call for each simulation standard, a quick form to record a
 * call, the calls of a year or of a round with pass or fail, and each standard's share — the
 * share the projection gives it. The office defines targets; the office and inspectors record; a
 * unit sees its own targets' results.
 */
export function SimulationsPage() {
  const { t, lang } = useI18n();
  const { user, can } = useAuth();
  const { message } = App.useApp();
  const [pickedFramework, setFrameworkId] = useState<number | undefined>();
  const [year, setYear] = useState(thisYear());
  const [roundId, setRoundId] = useState<number | undefined>();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const mayRecord = can(Permission.SimulationRecord);
  const mayDefine = can(Permission.SimulationWrite);

  const campaigns = useApi('GET /api/campaigns', CITY_CAMPAIGNS);
  const frameworks = useMemo(
    () =>
      (campaigns.data?.items ?? []).flatMap((c) =>
        c.frameworks.map((f) => ({
          id: f.id,
          name: `${c.name} · ${f.name}`,
          versionId: f.currentVersionId ?? f.draftVersionId,
        })),
      ),
    [campaigns.data],
  );
  const frameworkId = pickedFramework ?? frameworks[0]?.id;
  // The rounds to list the checks of (none offered when they cannot be read).
  const rounds = useApi('GET /api/rounds', {}).data?.items ?? [];

  // The framework's simulation standards (for a new target; none when the tree cannot be read).
  const versionId = frameworks.find((f) => f.id === frameworkId)?.versionId;
  const tree = useApi(
    'GET /api/framework-versions/:id/tree',
    versionId && mayDefine ? { params: { id: versionId } } : null,
  );
  const standards = useMemo(
    () =>
      (tree.data?.items ?? []).flatMap((i) =>
        i.children.flatMap((c) =>
          c.children
            .filter((s) => s.method === 'simulation')
            .map((s) => ({ key: s.key, label: `${s.code} ${s.text}` })),
        ),
      ),
    [tree.data],
  );

  const targetsQ = useApi(
    'GET /api/simulation-targets',
    frameworkId ? { query: { frameworkId } } : null,
  );
  const checksQ = useApi(
    'GET /api/simulation-checks',
    frameworkId ? { query: { frameworkId, ...(roundId ? { roundId } : { year }) } } : null,
  );
  const targets = targetsQ.data?.items ?? [];
  const list: TSimulationCheckList = checksQ.data ?? EMPTY;
  const loading = targetsQ.isPending || checksQ.isPending;
  const failed = campaigns.error ?? targetsQ.error ?? checksQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);
  /** Reads the targets and checks again (after a dialog saved). */
  const load = () => Promise.all([targetsQ.refetch(), checksQ.refetch()]);

  const shareOf = useMemo(
    () => new Map(list.standards.map((s) => [s.standardKey, s])),
    [list.standards],
  );
  const close = (changed: boolean) => {
    setDialog(null);
    if (changed) void load();
  };
  const mayCorrect = (c: TSimulationCheck) =>
    mayRecord && (mayDefine || (user !== null && c.recordedById === user.id));

  return (
    <Card
      title={t({ zh: '实景模拟验证', en: 'Simulation checks' })}
      extra={
        <Space wrap>
          <Select
            style={{ width: 260 }}
            value={frameworkId}
            onChange={setFrameworkId}
            options={frameworks.map((f) => ({ value: f.id, label: f.name }))}
            data-testid="sim-framework"
          />
          <Select
            style={{ width: 110 }}
            value={roundId ? undefined : year}
            disabled={!!roundId}
            onChange={setYear}
            options={[0, 1, 2, 3].map((d) => ({
              value: thisYear() - d,
              label: `${thisYear() - d}`,
            }))}
            data-testid="sim-year"
          />
          <Select
            allowClear
            style={{ width: 200 }}
            placeholder={t({ zh: '全年（不限轮次）', en: 'Whole year (any round)' })}
            value={roundId}
            onChange={(v?: number) => setRoundId(v)}
            options={rounds.map((r) => ({ value: r.id, label: r.name }))}
            data-testid="sim-round"
          />
          {mayDefine && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              disabled={!frameworkId}
              onClick={() => setDialog({ kind: 'target' })}
              data-testid="sim-new-target"
            >
              {t({ zh: '新增验证对象', en: 'New target' })}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {t({
          zh: '每次拨打：在时限内接通且答复准确为合格（计 1），答复部分准确计 0.5，其余为 0；标准得分率为所选轮次（或全年）各次拨打的平均值，等待回复中的不计。',
          en: 'Each call: answered in time with a correct answer passes (1), a partly correct answer earns 0.5, anything else 0; a standard’s rate is the mean over the round’s (or the year’s) calls, those awaiting a call-back left out.',
        })}
      </Typography.Paragraph>
      <Table<TSimulationTarget>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={targets}
        pagination={false}
        data-testid="sim-targets"
        locale={{
          emptyText: (
            <Empty description={t({ zh: '尚无模拟验证对象', en: 'No simulation targets yet' })} />
          ),
        }}
        columns={[
          {
            title: t(L.framework.standard),
            width: 220,
            render: (_: unknown, x) => (
              <>
                <b>{x.standardCode}</b> <span style={{ color: '#888' }}>{x.standardText}</span>
              </>
            ),
          },
          {
            title: t({ zh: '验证对象', en: 'Target' }),
            render: (_: unknown, x) => (
              <>
                <div style={{ fontWeight: 500 }}>
                  {x.name} {!x.active && <Tag>{t(L.common.deactivated)}</Tag>}
                </div>
                <div style={{ color: '#888', fontSize: 12 }}>
                  {x.contact} · {x.unitName}
                </div>
              </>
            ),
          },
          {
            title: t(L.points.passCriteria),
            width: 220,
            render: (_: unknown, x) => t(x.criteria),
          },
          {
            title: t(L.framework.scoreRate),
            width: 170,
            render: (_: unknown, x) => {
              const s = shareOf.get(x.standardKey);
              if (!s)
                return (
                  <span style={{ color: '#888' }}>{t({ zh: '尚无记录', en: 'No calls' })}</span>
                );
              return (
                <span data-testid={`sim-share-${x.standardCode}`}>
                  <b>{pct(s.share)}</b>
                  <span style={{ color: '#888', fontSize: 12 }}>
                    {' '}
                    {t({
                      zh: `${s.checks} 次 · 合格 ${s.passed}${s.partial ? ` · 部分 ${s.partial}` : ''}${s.pending ? ` · 待回复 ${s.pending}` : ''}`,
                      en: `${s.checks} calls · ${s.passed} passed${s.partial ? ` · ${s.partial} partly` : ''}${s.pending ? ` · ${s.pending} awaited` : ''}`,
                    })}
                  </span>
                </span>
              );
            },
          },
          {
            title: '',
            width: 170,
            render: (_: unknown, x) => (
              <Space size={4}>
                {mayRecord && x.active && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setDialog({ kind: 'call', target: x })}
                    data-testid={`sim-record-${x.id}`}
                  >
                    {t({ zh: '记录拨打', en: 'Record a call' })}
                  </Button>
                )}
                {mayDefine && (
                  <Button size="small" onClick={() => setDialog({ kind: 'target', target: x })}>
                    {t(L.common.modify)}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t({ zh: '拨打记录', en: 'Calls' })}
      </Typography.Title>
      <Table<TSimulationCheck>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={list.items}
        pagination={{ pageSize: 20 }}
        data-testid="sim-checks"
        columns={[
          {
            title: t({ zh: '拨打时间', en: 'Called at' }),
            width: 140,
            render: (_: unknown, c) => formatTime(c.calledAt),
          },
          {
            title: t({ zh: '对象', en: 'Target' }),
            render: (_: unknown, c) => (
              <>
                {c.targetName}
                {c.roundName && <Tag style={{ marginLeft: 4 }}>{c.roundName}</Tag>}
              </>
            ),
          },
          { title: t({ zh: '拨打人', en: 'Caller' }), dataIndex: 'callerName', width: 90 },
          {
            title: t(L.framework.answered),
            width: 120,
            render: (_: unknown, c) =>
              !c.answered
                ? t(L.framework.notAnswered)
                : c.rings !== null
                  ? t({ zh: `${c.rings} 声`, en: `${c.rings} rings` })
                  : c.waitSeconds !== null
                    ? t({ zh: `${c.waitSeconds} 秒`, en: `${c.waitSeconds} s` })
                    : t(L.framework.answered),
          },
          {
            title: t({ zh: '答复', en: 'Answer' }),
            width: 90,
            render: (_: unknown, c) => (c.answer ? t(ANSWER_QUALITY_LABELS[c.answer]) : '—'),
          },
          {
            title: t(L.common.result),
            width: 200,
            render: (_: unknown, c) => (
              <Tooltip title={c.notes}>
                <Tag color={VERDICT_COLORS[c.verdict]} data-testid={`sim-verdict-${c.id}`}>
                  {t(CHECK_VERDICT_LABELS[c.verdict])}
                </Tag>
                <span style={{ fontSize: 12, color: '#888' }}>
                  {c.reasons
                    .filter((r) => r !== 'callback_awaited')
                    .map((r) => t(CHECK_REASON_LABELS[r]))
                    .join('、')}
                  {c.verdict === 'pending' && c.callbackDue
                    ? t({
                        zh: `回复时限 ${formatTime(c.callbackDue).slice(0, 10)}`,
                        en: `due ${formatTime(c.callbackDue).slice(0, 10)}`,
                      })
                    : ''}
                </span>
              </Tooltip>
            ),
          },
          {
            title: t(L.problems.problem),
            width: 120,
            render: (_: unknown, c) =>
              c.problemId ? <Link to={`/problems/${c.problemId}`}>{c.problemCode}</Link> : '—',
          },
          {
            title: '',
            width: 70,
            render: (_: unknown, c) => {
              const target = targets.find((x) => x.id === c.targetId);
              return (
                mayCorrect(c) &&
                target && (
                  <Button
                    size="small"
                    onClick={() => setDialog({ kind: 'call', target, check: c })}
                    data-testid={`sim-correct-${c.id}`}
                  >
                    {t(L.common.correct)}
                  </Button>
                )
              );
            },
          },
        ]}
      />
      {dialog?.kind === 'call' && (
        <SimulationCallModal
          target={dialog.target}
          check={dialog.check}
          rounds={rounds}
          onClose={close}
        />
      )}
      {dialog?.kind === 'target' && frameworkId && (
        <SimulationTargetModal
          frameworkId={frameworkId}
          standards={standards}
          target={dialog.target}
          onClose={close}
        />
      )}
    </Card>
  );
}
