import { Alert, App, Button, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { TRound, TRoundDay } from '../../../core/contracts/inspections.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { plannedCounts } from '../../../core/draw/draw.js';
import {
  DrawRecord,
  DrawStepButtons,
  drawnAtColumn,
  IrreversibleDrawAlert,
  PlannedCountList,
  verifyInBrowser,
} from './draw-ui.js';
import { parseStratum } from '../../../core/draw/strata.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { RoundDayEditModal } from './RoundDayEditModal.js';
import type { District } from './round-schedule.js';

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

  async function step(d: TRoundDay, s: 'commit' | 'draw' | 'reveal') {
    try {
      await apiCall(`POST /api/rounds/:id/days/:dayId/${s}`, {
        params: { id: round.id, dayId: d.id },
      });
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
      cancelText: t(L.common.cancel),
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
          <PlannedCountList
            counts={counts}
            name={(stratum) => {
              const s = parseStratum(stratum);
              const district = s ? (names.get(s.district) ?? `#${s.district}`) : '';
              const code = s?.type ?? stratum;
              return `${district} · ${props.typeNames.get(code) ?? code}（${code}）`;
            }}
            testId="day-draw-confirm-counts"
          />
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
          expandedRowRender: (d) => <DrawRecord draw={d} testId={`day-drawn-points-${d.id}`} />,
        }}
        columns={[
          {
            title: t({ zh: '测评日', en: 'Day' }),
            dataIndex: 'date',
            width: 160,
            render: (date: string) => (
              <Space size={4}>
                {date}
                {date === today && <Tag color="red">{t(L.common.today)}</Tag>}
              </Space>
            ),
          },
          {
            title: t(L.org.urbanDistrict),
            render: (_, d) => d.districts.map((x) => x.name).join('、'),
          },
          {
            title: t(L.common.status),
            width: 130,
            render: (_, d) => (
              <Tag color={STATE_COLORS[d.state]} data-testid={`day-state-${d.id}`}>
                {t(d.stateLabel)}
              </Tag>
            ),
          },
          drawnAtColumn<TRoundDay>(t),
          {
            title: '',
            width: 300,
            render: (_, d) => (
              <DrawStepButtons
                state={d.state}
                steps={
                  office
                    ? { take: (s) => void step(d, s), confirmDraw: () => confirmDraw(d) }
                    : undefined
                }
                onVerify={() => void verifyHere(d)}
                verdict={verdicts[d.id]}
                testIds={{
                  step: `day-step-${d.id}`,
                  verify: `day-verify-${d.id}`,
                  verdict: `day-verdict-${d.id}`,
                }}
                wrap
              >
                {office && d.state === 'planned' && (
                  <Button
                    size="small"
                    type="link"
                    onClick={() => setEditing(d)}
                    data-testid={`day-edit-${d.id}`}
                  >
                    {t(L.common.modify)}
                  </Button>
                )}
              </DrawStepButtons>
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
