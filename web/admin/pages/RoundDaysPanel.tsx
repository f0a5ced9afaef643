import { Alert, App, Button, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { TRound, TRoundDay } from '../../../core/contracts/inspections.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { plannedCounts } from '../../../core/draw/draw.js';
import { IrreversibleDrawAlert, verifyInBrowser } from './draw-ui.js';
import { parseStratum } from '../../../core/draw/strata.js';
import { post } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n } from '../../shared/i18n.js';
import { DrawnPointsTable } from './DrawnPointsTable.js';
import { RoundDayEditModal } from './RoundDayEditModal.js';
import type { District } from './round-schedule.js';

const NEXT: Partial<
  Record<TRoundDay['state'], { step: string; label: { zh: string; en: string } }>
> = {
  planned: { step: 'commit', label: { zh: '公布承诺值', en: 'Commit' } },
  committed: { step: 'draw', label: { zh: '抽签', en: 'Draw' } },
  drawn: { step: 'reveal', label: { zh: '公开种子', en: 'Reveal seed' } },
};
const STATE_COLORS: Record<TRoundDay['state'], string> = {
  planned: 'default',
  committed: 'blue',
  drawn: 'orange',
  revealed: 'green',
};

/**
 * 测评日程 of a round drawn by district and day: each day with its own state and steps — commit,
 * draw (after a confirmation listing what each district will draw), reveal, and "verify here",
 * which re-runs the day's draw in this browser with core/draw from what the day published — and
 * its drawn points by name, type and district. A planned day can be edited (date, districts,
 * a district's own counts).
 */
export function RoundDaysPanel(props: {
  round: TRound;
  office: boolean;
  typeNames: ReadonlyMap<string, string>;
  districts: District[];
  onChanged: () => Promise<void>;
}) {
  const { round, office } = props;
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const [verdicts, setVerdicts] = useState<Record<number, { ok: boolean; reasons: string[] }>>({});
  const [editing, setEditing] = useState<TRoundDay | null>(null);
  const today = shanghaiDate(new Date());
  const where = (d: TRoundDay) => `${d.date}（${d.districts.map((x) => x.name).join('、')}）`;

  async function step(d: TRoundDay, s: string) {
    try {
      await post(`/api/rounds/${round.id}/days/${d.id}/${s}`);
      await props.onChanged();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  /** A day's draw cannot be undone: the office confirms it, seeing what each district draws. */
  function confirmDraw(d: TRoundDay) {
    const names = new Map(d.districts.map((x) => [x.id, x.name]));
    const counts = plannedCounts(d.frozenList ?? [], d.plan ?? []);
    const total = counts.reduce((n, c) => n + c.count, 0);
    modal.confirm({
      title: t({ zh: `确认抽取 ${where(d)}的点位？`, en: `Draw the points of ${where(d)}?` }),
      okText: t({ zh: '确认抽签', en: 'Draw now' }),
      cancelText: t({ zh: '取消', en: 'Cancel' }),
      okButtonProps: { id: 'day-draw-confirm-ok' },
      width: 560,
      content: (
        <div data-testid="day-draw-confirm">
          <Typography.Paragraph>
            {t({
              zh: `将从当日城区已冻结的点位清单中分城区抽取以下点位，共 ${total} 个：`,
              en: `The following ${total} points will be drawn, district by district, from the day's frozen list:`,
            })}
          </Typography.Paragraph>
          <ul data-testid="day-draw-confirm-counts">
            {counts.map((c) => {
              const s = parseStratum(c.type);
              const district = s ? (names.get(s.district) ?? `#${s.district}`) : '';
              const code = s?.type ?? c.type;
              const type = `${district} · ${props.typeNames.get(code) ?? code}（${code}）`;
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
          {d.date !== today && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              data-testid="day-draw-not-today"
              title={t({
                zh: `该日程的测评日是 ${d.date}，今天是 ${today}。抽签通常在当天实地考察开始前1小时进行。`,
                en: `This day is tested on ${d.date}; today is ${today}. The draw is usually made the hour before that day's inspection starts.`,
              })}
            />
          )}
          <IrreversibleDrawAlert />
        </div>
      ),
      onOk: () => step(d, 'draw'),
    });
  }

  async function verifyHere(d: TRoundDay) {
    const res = await verifyInBrowser(d);
    setVerdicts((v) => ({ ...v, [d.id]: { ok: res.ok, reasons: res.reasons } }));
  }

  return (
    <>
      <Table<TRoundDay>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={round.days}
        data-testid={`round-days-${round.id}`}
        expandable={{
          expandedRowRender: (d) => (
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
                <Typography.Text code>
                  {d.seed ?? t({ zh: '未公开', en: 'not revealed' })}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '抽中点位', en: 'Drawn points' })}>
                {d.drawnPoints ? (
                  <DrawnPointsTable points={d.drawnPoints} testId={`day-drawn-points-${d.id}`} />
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
          ),
        }}
        columns={[
          {
            title: t({ zh: '测评日', en: 'Day' }),
            dataIndex: 'date',
            width: 160,
            render: (date: string) => (
              <Space size={4}>
                {date}
                {date === today && <Tag color="red">{t({ zh: '今天', en: 'Today' })}</Tag>}
              </Space>
            ),
          },
          {
            title: t({ zh: '城区', en: 'Districts' }),
            render: (_, d) => d.districts.map((x) => x.name).join('、'),
          },
          {
            title: t({ zh: '状态', en: 'State' }),
            width: 130,
            render: (_, d) => (
              <Tag color={STATE_COLORS[d.state]} data-testid={`day-state-${d.id}`}>
                {t(d.stateLabel)}
              </Tag>
            ),
          },
          {
            title: t({ zh: '抽签时间', en: 'Drawn' }),
            dataIndex: 'drawnAt',
            width: 150,
            render: (v: string | null) => (v ? formatTime(v) : '—'),
          },
          {
            title: '',
            width: 300,
            render: (_, d) => (
              <Space wrap>
                {office && NEXT[d.state] && (
                  <Button
                    size="small"
                    data-testid={`day-step-${d.id}`}
                    onClick={() =>
                      d.state === 'committed' ? confirmDraw(d) : void step(d, NEXT[d.state]!.step)
                    }
                  >
                    {t(NEXT[d.state]!.label)}
                  </Button>
                )}
                {office && d.state === 'planned' && (
                  <Button
                    size="small"
                    type="link"
                    onClick={() => setEditing(d)}
                    data-testid={`day-edit-${d.id}`}
                  >
                    {t({ zh: '修改', en: 'Edit' })}
                  </Button>
                )}
                {d.state === 'revealed' && (
                  <Button
                    size="small"
                    onClick={() => void verifyHere(d)}
                    data-testid={`day-verify-${d.id}`}
                  >
                    {t({ zh: '在本机核验', en: 'Verify here' })}
                  </Button>
                )}
                {verdicts[d.id] && (
                  <Tag
                    color={verdicts[d.id]!.ok ? 'green' : 'red'}
                    data-testid={`day-verdict-${d.id}`}
                  >
                    {verdicts[d.id]!.ok
                      ? t({ zh: '核验通过', en: 'Verified' })
                      : verdicts[d.id]!.reasons.join('；')}
                  </Tag>
                )}
              </Space>
            ),
          },
        ]}
      />
      <RoundDayEditModal
        round={round}
        day={editing}
        districts={props.districts}
        typeNames={props.typeNames}
        onClose={() => setEditing(null)}
        onSaved={async () => {
          setEditing(null);
          await props.onChanged();
        }}
      />
    </>
  );
}
