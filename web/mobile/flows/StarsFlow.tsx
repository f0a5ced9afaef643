import {
  Button,
  Card,
  DotLoading,
  ErrorBlock,
  List,
  NavBar,
  Selector,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { TStarCriterion, TStarHousehold } from '../../../core/contracts/star-households.js';
import { STAR_RATING_STATUS_LABELS, currentStarYear } from '../../../core/star-households/stars.js';
import { L, useI18n } from '../../shared/i18n.js';
import type { QueuedItem } from '../../shared/offline-queue.js';
import { offlineQueue, submitOrQueue } from '../../shared/offline-queue.js';
import { useQueuedItems } from '../../shared/use-offline-queue.js';
import { useKept } from '../phone-store.js';
import { QueueBar } from '../QueueBar.js';
import { FieldError, FormError, KeptNote, Sheet } from './flow-bits.js';

const YEAR = currentStarYear();
/** This year's households of the grid worker's grids (one page: a grid has a few hundred). */
const HOUSEHOLDS = { query: { year: YEAR, limit: 200 } };
const STATUS_COLORS = { proposed: 'warning', approved: 'success', returned: 'danger' } as const;

type QueuedRating = Extract<QueuedItem, { endpoint: 'POST /api/star-households/:id/ratings' }>;
const isRating = (i: QueuedItem): i is QueuedRating =>
  i.endpoint === 'POST /api/star-households/:id/ratings';

/**
 * 十星级文明户 on the phone (issue #22): the grid worker's households of the year with where each
 * rating stands, and proposing a household's stars (again, after a return with its reason) — sent
 * through the offline queue with a client id, so a retry is the same proposal.
 */
export function StarsFlow() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queued = useQueuedItems().filter(isRating);
  const waiting = queued.filter((i) => i.state === 'queued').length;
  const [sent, setSent] = useState(0);
  const households = useKept('GET /api/star-households', HOUSEHOLDS, {
    reload: `${waiting}:${sent}`,
  });
  const criteria = useKept('GET /api/star-households/criteria', {});
  const [sheet, setSheet] = useState<{ household: TStarHousehold; n: number } | null>(null);
  const opened = useRef(0);
  const pending = new Set(queued.filter((q) => q.state === 'queued').map((q) => q.params?.id));
  const items = households.data?.items ?? [];
  return (
    <div className="m-flow" data-testid="m-stars">
      <NavBar className="m-navbar" onBack={() => void navigate('/')}>
        {t({ zh: '十星级文明户评星', en: 'Star households' })}
      </NavBar>
      <QueueBar />
      <KeptNote answer={households} />
      <div className="m-pad">
        <Card
          className="m-card"
          title={t({ zh: `我的网格住户（${YEAR} 年度）`, en: `Households of my grids (${YEAR})` })}
        >
          {households.loading && !households.data ? (
            <DotLoading color="primary" />
          ) : items.length === 0 ? (
            households.data && (
              <ErrorBlock
                status="empty"
                title={t({ zh: '网格内暂无登记住户', en: 'No households registered yet' })}
                description={t({
                  zh: '住户由网格员或社区在后台登记',
                  en: 'Households are registered by the grid or the community',
                })}
              />
            )
          ) : (
            <List className="m-list" data-testid="m-households">
              {items.map((h) => {
                const r = h.rating;
                const open = !pending.has(h.id) && r?.status !== 'approved';
                return (
                  <List.Item
                    key={h.id}
                    onClick={
                      open ? () => setSheet({ household: h, n: ++opened.current }) : undefined
                    }
                    description={
                      <>
                        {h.building ?? h.address}
                        {r?.status === 'returned' && r.returnReason && (
                          <div className="m-danger">
                            {t({ zh: '退回：', en: 'Returned: ' })}
                            {r.returnReason}
                          </div>
                        )}
                      </>
                    }
                    extra={
                      pending.has(h.id) ? (
                        <Tag color="warning" fill="outline">
                          {t(L.common.toSync)}
                        </Tag>
                      ) : r ? (
                        <Tag color={STATUS_COLORS[r.status]} fill="outline">
                          ★{r.starCount} {t(STAR_RATING_STATUS_LABELS[r.status])}
                        </Tag>
                      ) : (
                        <Tag fill="outline">{t({ zh: '未评', en: 'Not rated' })}</Tag>
                      )
                    }
                    data-testid={`m-household-${h.id}`}
                  >
                    {h.headName}
                  </List.Item>
                );
              })}
            </List>
          )}
        </Card>
      </div>
      {sheet && (
        <RatingSheet
          key={sheet.n}
          household={sheet.household}
          criteria={(criteria.data?.items ?? []).filter((c) => c.active)}
          onClose={() => setSheet(null)}
          onDone={(outcome) => {
            setSheet(null);
            if (outcome === 'sent') setSent((n) => n + 1);
            Toast.show({
              icon: 'success',
              content:
                outcome === 'sent'
                  ? t({ zh: '已提交审核', en: 'Sent for review' })
                  : t({ zh: '已保存，联网后自动上传', en: 'Saved; sent when back online' }),
            });
          }}
        />
      )}
    </div>
  );
}

/** The stars of one household: one chip per star, a note, sent through the queue. */
function RatingSheet(props: {
  household: TStarHousehold;
  criteria: TStarCriterion[];
  onClose: () => void;
  onDone: (outcome: 'sent' | 'queued') => void;
}) {
  const { t, lang } = useI18n();
  const h = props.household;
  const [stars, setStars] = useState<string[]>(() => h.rating?.stars ?? []);
  const [note, setNote] = useState(() => h.rating?.note ?? '');
  const [error, setError] = useState<string | undefined>();
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setRefusal(null);
    if (stars.length === 0) {
      setError(t({ zh: '请至少选择一颗星', en: 'Choose at least one star' }));
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      const clientId = crypto.randomUUID();
      props.onDone(
        await submitOrQueue(offlineQueue(), {
          clientId,
          label: t({ zh: `评星：${h.headName}`, en: `Stars: ${h.headName}` }),
          endpoint: 'POST /api/star-households/:id/ratings',
          params: { id: h.id },
          body: {
            year: YEAR,
            stars,
            note: note.trim() || null,
            clientId,
            ...(h.rating ? { version: h.rating.version } : {}),
          },
        }),
      );
    } catch (err) {
      setRefusal(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Sheet
      open
      title={`${h.headName} · ${h.building ?? h.address}`}
      onClose={props.onClose}
      testId="m-rating-sheet"
      foot={
        <>
          <FormError error={refusal} />
          <Button
            block
            color="primary"
            size="large"
            loading={busy}
            onClick={() => void send()}
            data-testid="m-rating-send"
          >
            {t({ zh: `提交 ${stars.length} 颗星`, en: `Propose ${stars.length} stars` })}
          </Button>
        </>
      }
    >
      <div className="m-field-label">{t({ zh: '评定星级', en: 'Stars' })}</div>
      <Selector
        columns={2}
        multiple
        value={stars}
        onChange={setStars}
        options={props.criteria.map((c) => ({
          value: c.code,
          label: lang === 'en' ? c.nameEn : c.name,
        }))}
        data-testid="m-rating-stars"
      />
      <FieldError error={error} testId="m-error-stars" />
      <div className="m-field-label">{t({ zh: '事迹或说明', en: 'Deeds or remarks' })}</div>
      <TextArea
        className="m-input"
        value={note}
        onChange={setNote}
        maxLength={500}
        rows={3}
        data-testid="m-rating-note"
      />
    </Sheet>
  );
}
