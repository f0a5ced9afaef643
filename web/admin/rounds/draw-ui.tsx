import { Alert, Button, Descriptions, Space, Tag, Typography } from 'antd';
import type { TableColumnType } from 'antd';
import type { ReactNode } from 'react';
import type { TDrawnPoint, TRoundDay } from '../../../core/contracts/inspections.js';
import type { DrawRule, plannedCounts } from '../../../core/draw/draw.js';
import { verifyDraw } from '../../../core/draw/draw.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { DrawnPointsTable } from './DrawnPointsTable.js';

/** A revealed draw — a round's or one day's — as the browser re-runs it. */
export interface RevealedDraw {
  seed: string | null;
  commitment: string | null;
  fingerprint: string | null;
  frozenList: { id: number; type: string }[] | null;
  plan: DrawRule[] | null;
  drawnIds: number[] | null;
}

/** Where a draw — a round's or one day's — stands: planned → committed → drawn → revealed. */
type DrawState = TRoundDay['state'];

/** 在本机核验: re-runs a revealed draw here with the shared core/draw code. */
export async function verifyInBrowser(
  d: RevealedDraw,
): Promise<{ ok: boolean; reasons: string[] }> {
  const res = await verifyDraw(
    {
      seed: d.seed!,
      commitment: d.commitment!,
      fingerprint: d.fingerprint!,
      points: d.frozenList ?? [],
      plan: d.plan ?? [],
    },
    d.drawnIds ?? [],
  );
  return { ok: res.ok, reasons: res.reasons };
}

/** A draw confirmation's list: what each type (named by `name`) will draw, all or at random. */
export function PlannedCountList(props: {
  counts: ReturnType<typeof plannedCounts>;
  name: (type: string) => string;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <ul data-testid={props.testId}>
      {props.counts.map((c) => {
        const type = props.name(c.type);
        return (
          <li key={c.type}>
            {c.mode === 'all'
              ? t({
                  zh: `${type}：必查，全部 ${c.count} 个`,
                  en: `${type}: mandatory, all ${c.count}`,
                })
              : t({
                  zh: `${type}：随机抽取 ${c.count} 个（可抽 ${c.eligible} 个）`,
                  en: `${type}: ${c.count} at random (of ${c.eligible})`,
                })}
          </li>
        );
      })}
    </ul>
  );
}

/** The warning every draw confirmation ends with: a draw cannot be undone. */
export function IrreversibleDrawAlert() {
  const { t } = useI18n();
  return (
    <Alert
      type="warning"
      showIcon
      title={t({
        zh: '抽签结果一经产生即记录在案，不能撤销，也不能重新抽取。',
        en: 'The result is recorded as soon as it is drawn: it cannot be undone or drawn again.',
      })}
    />
  );
}

/**
 * What a draw has published — commitment, list fingerprint, seed — and its drawn points (secret
 * to those who may not see them; none before the draw).
 */
export function DrawRecord(props: {
  draw: Pick<RevealedDraw, 'commitment' | 'fingerprint' | 'seed'> & {
    state: DrawState;
    drawnPoints: TDrawnPoint[] | null;
  };
  /** The drawn points table's test id. */
  testId: string;
}) {
  const { t } = useI18n();
  const d = props.draw;
  return (
    <Descriptions size="small" column={1} bordered>
      <Descriptions.Item label={t({ zh: '承诺值 SHA-256(种子)', en: 'Commitment' })}>
        <Typography.Text code copyable={!!d.commitment}>
          {d.commitment ?? '—'}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t({ zh: '清单指纹', en: 'List fingerprint' })}>
        <Typography.Text code>{d.fingerprint ?? '—'}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t({ zh: '种子', en: 'Seed' })}>
        <Typography.Text code>{d.seed ?? t({ zh: '未公开', en: 'not revealed' })}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t({ zh: '抽中点位', en: 'Drawn points' })}>
        {d.drawnPoints ? (
          <DrawnPointsTable points={d.drawnPoints} testId={props.testId} />
        ) : d.state === 'drawn' || d.state === 'revealed' ? (
          t({
            zh: '暗访点位仅对本轮测评员和创建办可见',
            en: 'Secret: shown to its inspectors and the office',
          })
        ) : (
          t({ zh: '尚未抽签', en: 'Not drawn yet' })
        )}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** The 抽签时间 column of a list of draws (rounds, days). */
export function drawnAtColumn<R extends { drawnAt: string | null }>(
  t: (l: L) => string,
): TableColumnType<R> {
  return {
    title: t({ zh: '抽签时间', en: 'Drawn' }),
    dataIndex: 'drawnAt',
    width: 150,
    render: (v: string | null) => (v ? formatTime(v) : '—'),
  };
}

/** The next step of a draw in each state, with its button's label (none once revealed). */
const NEXT_STEP: Partial<Record<DrawState, { step: 'commit' | 'draw' | 'reveal'; label: L }>> = {
  planned: { step: 'commit', label: { zh: '公布承诺值', en: 'Commit' } },
  committed: { step: 'draw', label: L.points.draw },
  drawn: { step: 'reveal', label: { zh: '公开种子', en: 'Reveal seed' } },
};

/**
 * A draw's buttons: its next step (commit, draw — which asks first — or reveal), what the page
 * adds (`children`), "verify here" once revealed, and that verification's verdict.
 */
export function DrawStepButtons(props: {
  state: DrawState;
  /** Who may take the steps gets these; without them there is no step button. */
  steps?: { take: (step: 'commit' | 'reveal') => void; confirmDraw: () => void };
  /** Without it there is no "verify here" button. */
  onVerify?: () => void;
  verdict?: { ok: boolean; reasons: string[] } | null;
  testIds: { step: string; verify: string; verdict: string };
  wrap?: boolean;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const { steps, verdict, testIds } = props;
  const next = NEXT_STEP[props.state];
  return (
    <Space wrap={props.wrap}>
      {steps && next && (
        <Button
          size="small"
          data-testid={testIds.step}
          onClick={() => (next.step === 'draw' ? steps.confirmDraw() : steps.take(next.step))}
        >
          {t(next.label)}
        </Button>
      )}
      {props.children}
      {props.onVerify && props.state === 'revealed' && (
        <Button size="small" onClick={props.onVerify} data-testid={testIds.verify}>
          {t({ zh: '在本机核验', en: 'Verify here' })}
        </Button>
      )}
      {verdict && (
        <Tag color={verdict.ok ? 'green' : 'red'} data-testid={testIds.verdict}>
          {verdict.ok ? t({ zh: '核验通过', en: 'Verified' }) : verdict.reasons.join('；')}
        </Tag>
      )}
    </Space>
  );
}
