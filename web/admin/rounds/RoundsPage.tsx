import { App, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { TRound } from '../../../core/contracts/inspections.js';
import { plannedCounts } from '../../../core/draw/draw.js';
import {
  DrawRecord,
  DrawStepButtons,
  drawnAtColumn,
  IrreversibleDrawAlert,
  PlannedCountList,
  verifyInBrowser,
} from './draw-ui.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useRegions } from '../../shared/pickers.js';
import { useAuth } from '../auth.js';
import { RoundDaysPanel } from './RoundDaysPanel.js';
import { KIND_LABELS, NewRoundModal } from './NewRoundModal.js';

type Round = TRound;

/**
 * 测评轮次 and the verifiable draw. "Verify here" re-runs the draw in this browser with the same code
 * the server used (core/draw), from the published seed, list and plan.
 */
export function RoundsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [verdict, setVerdict] = useState<{ id: number; ok: boolean; reasons: string[] } | null>(
    null,
  );
  const office = can(Permission.InspectionManage);
  // 级别: every level's rounds the reader sees, or one level's (the city's own, a district's …).
  const [owner, setOwner] = useState<string | undefined>(undefined);
  const levels = useRegions().filter((r) => r.level === 'district' || r.level === 'street');
  // The office's dialog offers the inspectors and, for a schedule, the districts (区县, one level
  // below the city); neither is needed to read the rounds, so a failure leaves them empty.
  const inspectors =
    useApi('GET /api/users', office ? { query: { role: 'inspector', limit: 500 } } : null).data
      ?.items ?? [];
  const districtsQ = useApi('GET /api/regions', office ? { query: { level: 'district' } } : null);
  const districts = useMemo(
    () => (districtsQ.data?.items ?? []).map((d) => ({ id: d.id, name: d.name })),
    [districtsQ.data],
  );
  const roundsQ = useApi('GET /api/rounds', {
    query: { ownerRegionId: owner === 'city' || owner === undefined ? owner : Number(owner) },
  });
  const typesQ = useApi('GET /api/point-types', {});
  const rounds = roundsQ.data?.items ?? [];
  const types = typesQ.data?.items ?? [];
  const failed = roundsQ.error ?? typesQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);
  /** Reads the rounds again (after a change in a round's days, or a new round). */
  const load = async () => {
    await roundsQ.refetch();
  };
  const steps = {
    commit: useApiMutation('POST /api/rounds/:id/commit'),
    draw: useApiMutation('POST /api/rounds/:id/draw'),
    reveal: useApiMutation('POST /api/rounds/:id/reveal'),
  };

  async function step(r: Round, s: keyof typeof steps) {
    try {
      // The round list is read again after each step (the mutation invalidates /api/rounds).
      await steps[s].mutateAsync({ params: { id: r.id } });
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  /** The draw cannot be undone: the office confirms it, seeing what it will draw per type. */
  function confirmDraw(r: Round) {
    const names = new Map(types.map((pt) => [pt.code, pt.name]));
    const counts = plannedCounts(r.frozenList ?? [], r.plan);
    const total = counts.reduce((n, c) => n + c.count, 0);
    modal.confirm({
      title: t({ zh: `确认对“${r.name}”抽签？`, en: `Draw the points of "${r.name}"?` }),
      okText: t({ zh: '确认抽签', en: 'Draw now' }),
      cancelText: t(L.common.cancel),
      okButtonProps: { id: 'draw-confirm-ok' },
      width: 520,
      content: (
        <div data-testid="draw-confirm">
          <Typography.Paragraph>
            {t({
              zh: `将从已冻结的点位清单中抽取以下点位，共 ${total} 个：`,
              en: `The following ${total} points will be drawn from the frozen list:`,
            })}
          </Typography.Paragraph>
          <PlannedCountList
            counts={counts}
            name={(code) => `${names.get(code) ?? code}（${code}）`}
            testId="draw-confirm-counts"
          />
          <IrreversibleDrawAlert />
        </div>
      ),
      onOk: () => step(r, 'draw'),
    });
  }

  async function verifyHere(r: Round) {
    const res = await verifyInBrowser(r);
    setVerdict({ id: r.id, ok: res.ok, reasons: res.reasons });
  }

  /** A new round's form, afresh (each count starts at its type's default: see the field). */
  function openNew() {
    setCreating(true);
  }

  return (
    <Card
      title={t({ zh: '测评轮次与抽签', en: 'Rounds and draws' })}
      extra={
        office && (
          <Button type="primary" onClick={openNew} data-testid="round-new">
            {t({ zh: '新建轮次', en: 'New round' })}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        {t({
          zh: '抽签前公布种子的 SHA-256 承诺值和点位清单指纹；抽签后公开种子，任何人都可用同一算法重新抽取并核对结果。',
          en: 'Before the draw the SHA-256 of the seed and the fingerprint of the point list are published; after it the seed is revealed and anyone can re-run the same algorithm.',
        })}
      </Typography.Paragraph>
      {/* 级别: below the title, so that a phone keeps the title whole. */}
      {levels.length > 0 && (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: 180, marginBottom: 12 }}
          placeholder={t({ zh: '全部级别', en: 'Every level' })}
          value={owner}
          onChange={(v?: string) => setOwner(v)}
          options={[
            { value: 'city', label: t(L.org.cityLevel) },
            ...levels.map((r) => ({ value: String(r.id), label: r.name })),
          ]}
          data-testid="round-owner-filter"
        />
      )}
      <Table<Round>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rounds}
        // A phone scrolls the table sideways rather than wrapping names a character a line.
        scroll={{ x: 760 }}
        data-testid="rounds"
        expandable={{
          expandedRowRender: (r) =>
            r.byDistrict ? (
              <RoundDaysPanel
                round={r}
                office={office}
                typeNames={new Map(types.map((pt) => [pt.code, pt.name]))}
                districts={districts}
                onChanged={load}
              />
            ) : (
              <DrawRecord draw={r} testId={`drawn-points-${r.id}`} />
            ),
        }}
        columns={[
          { title: t(L.common.name), dataIndex: 'name' },
          {
            title: t({ zh: '级别', en: 'Level' }),
            width: 110,
            render: (_, r) => (
              <span data-testid={`round-owner-${r.id}`}>{r.ownerName ?? t(L.org.cityLevel)}</span>
            ),
          },
          {
            title: t(L.common.type),
            dataIndex: 'kind',
            width: 120,
            render: (k: Round['kind']) => t(KIND_LABELS[k]),
          },
          {
            title: t(L.common.status),
            width: 130,
            render: (_, r) => (
              <Space size={4} wrap>
                <Tag data-testid={`round-state-${r.id}`}>{t(r.stateLabel)}</Tag>
                {r.byDistrict && (
                  <Tag color="blue" data-testid={`round-by-day-${r.id}`}>
                    {t({ zh: `分日抽签 ${r.days.length} 天`, en: `By day: ${r.days.length}` })}
                  </Tag>
                )}
              </Space>
            ),
          },
          drawnAtColumn<Round>(t),
          {
            title: '',
            width: 260,
            render: (_, r) => (
              <DrawStepButtons
                state={r.state}
                steps={
                  office && !r.byDistrict
                    ? { take: (s) => void step(r, s), confirmDraw: () => confirmDraw(r) }
                    : undefined
                }
                onVerify={r.byDistrict ? undefined : () => void verifyHere(r)}
                verdict={verdict?.id === r.id ? verdict : null}
                testIds={{ step: `round-step-${r.id}`, verify: 'verify-here', verdict: 'verdict' }}
              >
                {office && (r.state === 'drawn' || r.state === 'revealed') && (
                  <Link to={`/rounds/${r.id}/report`} data-testid={`round-report-${r.id}`}>
                    {t({ zh: '测评报告', en: 'Report' })}
                  </Link>
                )}
              </DrawStepButtons>
            ),
          },
        ]}
      />
      <NewRoundModal
        open={creating}
        types={types}
        inspectors={inspectors}
        districts={districts}
        onClose={() => setCreating(false)}
        onCreated={async () => {
          setCreating(false);
          await load();
        }}
      />
    </Card>
  );
}
