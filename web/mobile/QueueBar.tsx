import { Button, List, NoticeBar } from 'antd-mobile';
import { useState } from 'react';
import { formatTime, L, useI18n } from '../shared/i18n.js';
import { offlineQueue, type OfflineQueue } from '../shared/offline-queue.js';
import { useOnline, useQueuedItems } from '../shared/use-offline-queue.js';

/**
 * The visible sync queue on the phone (DESIGN.md §5): offline or not, how many submissions wait,
 * which the server refused and why (swipe to discard), and "sync now", on the queue's hooks
 * (web/shared/use-offline-queue.ts).
 */
export function QueueBar({ queue = offlineQueue() }: { queue?: OfflineQueue }) {
  const { t } = useI18n();
  const online = useOnline();
  const items = useQueuedItems(queue);
  const [syncing, setSyncing] = useState(false);
  const waiting = items.filter((i) => i.state === 'queued');
  const failed = items.filter((i) => i.state === 'failed');
  if (online && items.length === 0) return null;
  return (
    <div className="m-queue" data-testid="offline-queue">
      <NoticeBar
        color={failed.length > 0 ? 'error' : online ? 'info' : 'alert'}
        wrap
        content={
          <span>
            {!online && <b data-testid="m-offline">{t({ zh: '离线 · ', en: 'Offline · ' })}</b>}
            {items.length === 0 ? (
              t({
                zh: '提交的内容先保存在手机上，联网后自动同步',
                en: 'What you submit is kept on the phone and synced once online',
              })
            ) : (
              <span data-testid="offline-queue-count">
                {t({ zh: `待同步 ${waiting.length} 条`, en: `${waiting.length} waiting to sync` })}
              </span>
            )}
            {failed.length > 0 &&
              t({ zh: ` · 被拒绝 ${failed.length} 条`, en: ` · ${failed.length} refused` })}
          </span>
        }
        extra={
          waiting.length > 0 && online ? (
            <Button
              size="mini"
              color="primary"
              fill="outline"
              loading={syncing}
              data-testid="m-sync-now"
              onClick={() => {
                setSyncing(true);
                void queue.flush({ force: true }).finally(() => setSyncing(false));
              }}
            >
              {t({ zh: '立即同步', en: 'Sync now' })}
            </Button>
          ) : undefined
        }
      />
      {items.length > 0 && (
        <List className="m-queue-list">
          {items.map((item) => (
            <List.Item
              key={item.clientId}
              description={
                <>
                  {formatTime(item.createdAt)}
                  {item.files.length > 0 &&
                    t({
                      zh: ` · ${item.files.length} 张照片`,
                      en: ` · ${item.files.length} photos`,
                    })}
                  {item.error && <div className="m-danger">{t(item.error)}</div>}
                </>
              }
              extra={
                item.state === 'failed' ? (
                  <Button
                    size="mini"
                    color="danger"
                    fill="outline"
                    onClick={() => void queue.discard(item.clientId)}
                  >
                    {t({ zh: '放弃', en: 'Discard' })}
                  </Button>
                ) : (
                  <span className="m-muted">{t(L.common.toSync)}</span>
                )
              }
            >
              {item.label}
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
