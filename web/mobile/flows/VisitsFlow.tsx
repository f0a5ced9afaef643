import {
  Button,
  Card,
  DotLoading,
  ErrorBlock,
  List,
  NavBar,
  ProgressBar,
  Tag,
  Toast,
} from 'antd-mobile';
import { UserAddOutline } from 'antd-mobile-icons';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAuth } from '../../admin/auth.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import type { QueuedItem } from '../../shared/offline-queue.js';
import { useQueuedItems } from '../../shared/use-offline-queue.js';
import { useKept } from '../phone-store.js';
import { QueueBar } from '../QueueBar.js';
import { KeptNote } from './flow-bits.js';
import { VisitSheet } from './VisitSheet.js';

/** The recent visits the flow reads: the unit's people's, of which the user's own are shown. */
const RECENT = { query: { limit: 50 } };

/** A household visit queued on the phone. */
type QueuedVisit = Extract<QueuedItem, { endpoint: 'POST /api/outreach/visits' }>;
const isVisit = (i: QueuedItem): i is QueuedVisit => i.endpoint === 'POST /api/outreach/visits';

/**
 * 入户走访, a unit's 包联 work on the phone (issue #21): its pairings with their households owed
 * and visited, logging a visit (what was publicised, a resident's concern that may become a
 * problem; a client id, so the queue's retries store it once), and one's own recent visits. The
 * lists are kept on the phone and every visit goes through the offline queue.
 */
export function VisitsFlow() {
  const { user } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const queued = useQueuedItems().filter(isVisit);
  const waiting = queued.filter((i) => i.state === 'queued').length;
  // Asked again when a visit was sent or a queued one went through.
  const [sent, setSent] = useState(0);
  const pairings = useKept('GET /api/outreach/pairings', {}, { reload: `${waiting}:${sent}` });
  const visits = useKept('GET /api/outreach/visits', RECENT, { reload: `${waiting}:${sent}` });
  // The visit form, open on a pairing; `n` mounts a fresh form each time it opens.
  const [sheet, setSheet] = useState<{ pairingId: number | null; n: number } | null>(null);
  const opened = useRef(0);
  const open = (pairingId: number | null) => setSheet({ pairingId, n: ++opened.current });
  const active = (pairings.data ?? []).filter((p) => p.active);
  const mine = (visits.data ?? []).filter((v) => v.visitorId === user?.id).slice(0, 10);
  return (
    <div className="m-flow" data-testid="m-visits">
      <NavBar className="m-navbar" onBack={() => void navigate('/')}>
        {t({ zh: '入户走访', en: 'Household visits' })}
      </NavBar>
      <QueueBar />
      <KeptNote answer={pairings} />
      <div className="m-pad">
        <Card className="m-card" title={t({ zh: '我的包联', en: 'My pairings' })}>
          {pairings.loading && !pairings.data ? (
            <DotLoading color="primary" />
          ) : active.length === 0 ? (
            pairings.data && (
              <ErrorBlock
                status="empty"
                title={t({ zh: '本单位暂无包联社区', en: 'Your unit has no pairings' })}
                description={t({
                  zh: '包联关系由创建办安排',
                  en: 'The campaign office pairs units with communities',
                })}
              />
            )
          ) : (
            <List className="m-list" data-testid="m-pairings">
              {active.map((p) => (
                <List.Item
                  key={p.id}
                  onClick={() => open(p.id)}
                  description={
                    <>
                      <ProgressBar
                        percent={Math.min(100, Math.round(p.coverage * 100))}
                        className="m-progress"
                      />
                      {t({
                        zh: `已走访 ${p.visitedHouseholds} / 应走访 ${p.targetHouseholds} 户`,
                        en: `${p.visitedHouseholds} of ${p.targetHouseholds} households visited`,
                      })}
                    </>
                  }
                  data-testid={`m-pairing-${p.id}`}
                >
                  {p.regionName}
                  {p.building
                    ? ` ${p.building}`
                    : t({ zh: '（全社区）', en: ' (whole community)' })}
                </List.Item>
              ))}
            </List>
          )}
        </Card>
        <Button
          block
          color="primary"
          size="large"
          className="m-big"
          disabled={active.length === 0}
          onClick={() => open(active.length === 1 ? active[0]!.id : null)}
          data-testid="m-visit-new"
        >
          <UserAddOutline /> {t(L.surveys.logVisit)}
        </Button>
        <Card className="m-card" title={t({ zh: '我最近的走访', en: 'My recent visits' })}>
          <List className="m-list" data-testid="m-my-visits">
            {queued.map((q) => (
              <QueuedVisitItem key={q.clientId} item={q} />
            ))}
            {mine.map((v) => (
              <List.Item
                key={v.id}
                description={
                  <>
                    {formatTime(v.visitedAt)}
                    {v.publicity.length > 0 && ` · ${v.publicity.join('、')}`}
                    {v.concern && (
                      <div>
                        {t({ zh: '群众反映：', en: 'Concern: ' })}
                        {v.concern}
                        {v.problemCode && ` → ${v.problemCode}`}
                      </div>
                    )}
                  </>
                }
              >
                {v.building}
                {v.household}
              </List.Item>
            ))}
          </List>
          {queued.length === 0 && mine.length === 0 && (
            <div className="m-empty">
              {visits.data
                ? t({ zh: '还没有走访记录', en: 'No visits yet' })
                : !visits.loading && t({ zh: '联网后显示', en: 'Shown once online' })}
            </div>
          )}
        </Card>
      </div>
      <VisitSheet
        key={sheet?.n ?? 0}
        open={sheet !== null}
        pairings={active}
        pairingId={sheet?.pairingId ?? null}
        onClose={() => setSheet(null)}
        onDone={(outcome) => {
          setSheet(null);
          if (outcome === 'sent') setSent((n) => n + 1);
          Toast.show({
            icon: 'success',
            content:
              outcome === 'sent'
                ? t({ zh: '走访已记录', en: 'Visit logged' })
                : t({ zh: '已保存，联网后自动上传', en: 'Saved; sent when back online' }),
          });
        }}
      />
    </div>
  );
}

/** A visit still on the phone: waiting to sync, or refused by the server (with its reason). */
function QueuedVisitItem({ item }: { item: QueuedVisit }) {
  const { t } = useI18n();
  const b = item.body;
  return (
    <List.Item
      description={
        <>
          {formatTime(item.createdAt)}
          {item.error && <div className="m-danger">{t(item.error)}</div>}
        </>
      }
      extra={
        <Tag color={item.state === 'failed' ? 'danger' : 'warning'} fill="outline">
          {item.state === 'failed' ? t(L.common.refused) : t(L.common.toSync)}
        </Tag>
      }
      data-testid="m-visit-queued"
    >
      {b?.building}
      {b?.household}
    </List.Item>
  );
}
