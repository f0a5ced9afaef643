import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Empty,
  Input,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import {
  RANKING_MEASURE_INFO,
  type TOwnerFilter,
  type TConsequence,
  type TRankingRow,
} from '../../../core/contracts/rankings.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import {
  EXCLUDED_LABELS,
  FLAG_LABELS,
  STATE_LABELS,
  classTabLabel,
  localDate,
  pct,
} from './labels.js';
import { LevelFilter } from './LevelFilter.js';
import { RankingRulesModal } from './RankingRulesModal.js';
import { UnitHistoryView } from './UnitHistoryView.js';

/** Last month in Shanghai time, e.g. "2026-11": the period the office usually ranks. */
function lastMonth(): string {
  const [y, m] = shanghaiDate(new Date()).split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 2, 1)).toISOString().slice(0, 7);
}

/**
 * 单位排名: rankings per class with flags, trend, rules and snapshots (a unit: its own standing).
 * Each level ranks its own units: a district office computes and publishes its own (by the city's
 * rules, which only the city edits); the city office looks at its own or at a district's.
 */
export function RankingsPage() {
  const { t, lang } = useI18n();
  const { can, user, cityLevel } = useAuth();
  const { message } = App.useApp();
  const canWrite = can(Permission.RankingWrite);
  const isUnit = !can(Permission.RankingWrite) && user?.roles.includes('unit') && !!user.unitId;
  // The city's offices and leaders pick a level (全市 or a district); the others see their own.
  const picksLevel = cityLevel && !isUnit;
  const [level, setLevel] = useState<TOwnerFilter>('city');
  // Computing is the level's own: the city office computes the city's, not a district's.
  const computes = canWrite && (!picksLevel || level === 'city');
  const [period, setPeriod] = useState(lastMonth);
  const [editing, setEditing] = useState(false);
  const [historyOf, setHistoryOf] = useState<TRankingRow | null>(null);
  const [busy, setBusy] = useState(false);

  const snapshots = useApi('GET /api/rankings/snapshots', {
    query: picksLevel ? { ownerRegionId: level } : {},
  });
  const list = useMemo(
    () => (snapshots.data?.items ?? []).filter((s) => s.state !== 'superseded'),
    [snapshots.data],
  );
  // The snapshot picked (or just computed) while it is listed, else the latest.
  const [picked, setSelected] = useState<number | null>(null);
  const selected = list.some((s) => s.id === picked) ? picked : (list[0]?.id ?? null);
  const rulesQ = useApi('GET /api/rankings/rules', {});
  const rules = rulesQ.data ?? null;
  // A unit's own consequences are in its history card.
  const consequencesQ = useApi('GET /api/rankings/consequences', isUnit ? null : {});
  const consequences = consequencesQ.data?.items ?? [];
  const snapQ = useApi(
    'GET /api/rankings/snapshots/:id',
    selected === null ? null : { params: { id: selected } },
  );
  const snap = selected === null ? null : (snapQ.data ?? null);
  const failed = [snapshots, rulesQ, consequencesQ, snapQ].find((q) => q.error)?.error;
  const error = failed ? errorText(failed, lang) : null;
  // Both read the snapshots, the rules and the consequences again (all under /api/rankings).
  const computeSnapshot = useApiMutation('POST /api/rankings/snapshots');
  const publishSnapshot = useApiMutation('POST /api/rankings/snapshots/:id/publish');

  const compute = async () => {
    setBusy(true);
    try {
      const s = await computeSnapshot.mutateAsync({ body: { period: period.trim() } });
      message.success(
        t({
          zh: `已计算 ${s.period} 排名（第 ${s.version} 版）`,
          en: `Ranked ${s.period} (v${s.version})`,
        }),
      );
      setSelected(s.id);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const publish = async () => {
    if (!snap) return;
    try {
      await publishSnapshot.mutateAsync({ params: { id: snap.id } });
      message.success(t({ zh: '排名已发布', en: 'Ranking published' }));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  const metrics = snap?.rules.metrics ?? [];
  const columns = [
    {
      title: t(L.results.rank),
      width: 80,
      render: (_: unknown, r: TRankingRow) =>
        r.rank === null ? '—' : `${r.rank} / ${r.classSize}`,
    },
    {
      title: t(L.org.unit),
      // A unit's own history is already on the page, above the table.
      render: (_: unknown, r: TRankingRow) =>
        isUnit ? (
          <span data-testid={`ranking-unit-${r.unitId}`}>{r.unitName}</span>
        ) : (
          <a onClick={() => setHistoryOf(r)} data-testid={`ranking-unit-${r.unitId}`}>
            {r.unitName}
          </a>
        ),
    },
    {
      title: t(L.framework.score),
      width: 80,
      render: (_: unknown, r: TRankingRow) => (r.score === null ? '—' : r.score.toFixed(2)),
    },
    ...metrics.map((m) => ({
      title: `${t(RANKING_MEASURE_INFO[m.key].label)} (${m.weight})`,
      render: (_: unknown, r: TRankingRow) => pct(r.values[m.key]),
    })),
    { title: t({ zh: '样本', en: 'Sample' }), dataIndex: 'sample', width: 70 },
    {
      title: t(L.results.flag),
      render: (_: unknown, r: TRankingRow) => (
        <Space size={4} wrap>
          {r.flag && (
            <Tag color={r.flag === 'red' ? '#c8102e' : '#262626'} data-testid={`flag-${r.flag}`}>
              {t(FLAG_LABELS[r.flag])}
              {r.streak > 1 ? ` ×${r.streak}` : ''}
            </Tag>
          )}
          {r.action && <Tag color="orange">{t(r.action)}</Tag>}
          {r.excluded && (
            <Tooltip title={r.missing.join(', ')}>
              <Tag>{t(EXCLUDED_LABELS[r.excluded])}</Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }} data-testid="rankings-title">
        {t(L.results.unitRanking)}
        {!cityLevel && !isUnit && user?.regionName ? ` · ${user.regionName}` : ''}
      </Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      {isUnit && user?.unitId && (
        <Card title={t({ zh: '本单位排名情况', en: 'Our standing' })}>
          <UnitHistoryView unitId={user.unitId} />
        </Card>
      )}
      <Card>
        <Space wrap>
          {picksLevel && <LevelFilter value={level} onChange={setLevel} />}
          <Select
            style={{ width: 320 }}
            value={selected ?? undefined}
            placeholder={t({ zh: '选择排名周期', en: 'Pick a period' })}
            onChange={setSelected}
            data-testid="snapshot-select"
            options={list.map((s) => ({
              value: s.id,
              // The city's read as before; another level's are named.
              label: `${s.ownerName ? `${s.ownerName} · ` : ''}${s.period} · v${s.version} · ${t(STATE_LABELS[s.state])}`,
            }))}
          />
          {computes && (
            <>
              <Input
                style={{ width: 120 }}
                value={period}
                onChange={(e) => setPeriod(e.target.value)}
                placeholder="2026-11 / 2026-W47"
                data-testid="snapshot-period"
              />
              <Button
                type="primary"
                loading={busy}
                onClick={() => void compute()}
                data-testid="snapshot-compute"
              >
                {t({ zh: '计算排名', en: 'Compute ranking' })}
              </Button>
            </>
          )}
          {canWrite && snap?.state === 'draft' && (
            <Button onClick={() => void publish()} data-testid="snapshot-publish">
              {t({ zh: '发布排名', en: 'Publish ranking' })}
            </Button>
          )}
          {/* One set of rules for every level: the city office keeps them. */}
          {canWrite && cityLevel && (
            <Button onClick={() => setEditing(true)} disabled={!rules} data-testid="rules-edit">
              {t(L.results.rankingRules)}
            </Button>
          )}
          {snap && (
            <Tag color={snap.state === 'published' ? 'green' : 'gold'}>
              {t(STATE_LABELS[snap.state])}
            </Tag>
          )}
        </Space>
        {snap && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t({
              zh: `计算：${snap.createdByName}，${localDate(snap.createdAt)}${snap.publishedAt ? `；发布：${localDate(snap.publishedAt)}` : ''}；样本不足 ${snap.rules.minSample} 件的单位不参与排名；每类红旗 ${snap.rules.redPerClass}、黑牌 ${snap.rules.blackPerClass}。`,
              en: `Computed by ${snap.createdByName} on ${localDate(snap.createdAt)}${snap.publishedAt ? `; published on ${localDate(snap.publishedAt)}` : ''}; units with fewer than ${snap.rules.minSample} cases are not ranked; ${snap.rules.redPerClass} red / ${snap.rules.blackPerClass} black per class.`,
            })}
          </Typography.Paragraph>
        )}
      </Card>
      {isUnit && list.length === 0 && !error && (
        <Card>
          <Empty
            description={t({ zh: '尚无已发布的排名', en: 'No published ranking yet' })}
            data-testid="rankings-empty"
          />
        </Card>
      )}
      {snap && (
        <Card>
          <Tabs
            // A unit gets only its own row: show its class alone; a district's or street's ranking
            // has no 区县 (nor, often, other) classes: show those it has. Everyone opens on the
            // first class that has rows, afresh for each snapshot.
            key={snap.id}
            defaultActiveKey={snap.classes.find((c) => c.rows.length > 0)?.key}
            items={(isUnit || snap.ownerRegionId !== null
              ? snap.classes.filter((c) => c.rows.length > 0)
              : snap.classes
            ).map((c) => ({
              key: c.key,
              label: `${t(classTabLabel(snap.rules, c))} (${c.rows.length})`,
              children: (
                <Table
                  size="small"
                  rowKey="unitId"
                  pagination={false}
                  dataSource={c.rows}
                  columns={columns}
                  data-testid={`ranking-table-${c.key}`}
                  rowClassName={(r) => (r.excluded ? 'ant-table-row-disabled' : '')}
                />
              ),
            }))}
          />
        </Card>
      )}
      {!isUnit && consequences.length > 0 && (
        <Card title={t({ zh: '连续挂牌处理记录', en: 'Consequences recorded' })}>
          <Table
            size="small"
            rowKey="id"
            pagination={{ pageSize: 10 }}
            dataSource={consequences}
            columns={[
              { title: t(L.common.period), dataIndex: 'period' },
              { title: t(L.org.unit), dataIndex: 'unitName' },
              {
                title: t(L.results.flag),
                render: (_: unknown, c: TConsequence) => (
                  <Tag color={c.flag === 'red' ? '#c8102e' : '#262626'}>
                    {t(FLAG_LABELS[c.flag])} ×{c.streak}
                  </Tag>
                ),
              },
              {
                title: t({ zh: '处理', en: 'Action' }),
                render: (_: unknown, c: TConsequence) => t(c.action),
              },
            ]}
          />
        </Card>
      )}
      <Drawer
        open={!!historyOf}
        onClose={() => setHistoryOf(null)}
        size={560}
        title={historyOf?.unitName}
      >
        {historyOf && <UnitHistoryView unitId={historyOf.unitId} />}
      </Drawer>
      {editing && rules && (
        <RankingRulesModal
          rules={rules.rules}
          version={rules.version}
          // Saved or not: a save has read the rules and the rankings again (its mutation).
          onClose={() => setEditing(false)}
        />
      )}
    </Space>
  );
}
