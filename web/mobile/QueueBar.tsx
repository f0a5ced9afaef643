import { Button, List, NoticeBar, Space } from 'antd-mobile';
import { useState } from 'react';
import { formatTime, L, useI18n } from '../shared/i18n.js';
import { offlineQueue, type OfflineQueue } from '../shared/offline-queue.js';
import { useOnline, useQueueView } from '../shared/use-offline-queue.js';

/**
 * The visible sync queue on the phone (DESIGN.md §5): offline or not, how many submissions wait,
 * which the server refused and why (swipe to discard), and "sync now", on the queue's hooks
 * (web/shared/use-offline-queue.ts). What another account queued on this phone is only counted:
 * it is sent when that account signs in again, or discarded by whoever is signed in, on a confirm.
 */
export function QueueBar({ queue = offlineQueue() }: { queue?: OfflineQueue }) {
  const { t } = useI18n();
  const online = useOnline();
  const { mine: items, others } = useQueueView(queue);
  const [syncing, setSyncing] = useState(false);
  // Discarding another account's items asks first, in the row (antd-mobile's Dialog would add
  // ~20 KB to the app's first load).
  const [confirming, setConfirming] = useState(false);
  const waiting = items.filter((i) => i.state === 'queued');
  const failed = items.filter((i) => i.state === 'failed');
  if (online && items.length === 0 && others.length === 0) return null;
  return (
    <div className="m-queue" data-testid="offline-queue">
      <NoticeBar
        color={failed.length > 0 ? 'error' : online ? 'info' : 'alert'}
        wrap
        content={
          <span>
            {!online && <b data-testid="m-offline">{t({ zh: '离线 · ', en: 'Offline · ' })}</b>}
            {items.length === 0 ? (
              online ? (
                t({ zh: '您没有待同步的记录', en: 'Nothing of yours waits to sync' })
              ) : (
                t({
                  zh: '提交的内容先保存在手机上，联网后自动同步',
                  en: 'What you submit is kept on the phone and synced once online',
                })
              )
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
      {others.length > 0 && (
        <List className="m-queue-list">
          <List.Item
            data-testid="m-queue-others"
            description={
              confirming ? (
                <span className="m-danger" data-testid="m-queue-others-confirm">
                  {t({
                    zh: `放弃这 ${others.length} 条记录？放弃后无法恢复；保留的话，该账号重新登录后会自动发送。`,
                    en: `Discard these ${others.length} items? They are gone for good; kept, they are sent when that account signs in again.`,
                  })}
                </span>
              ) : (
                t({ zh: '该账号重新登录后自动发送', en: 'Sent when that account signs in again' })
              )
            }
            extra={
              confirming ? (
                <Space>
                  <Button
                    size="mini"
                    fill="outline"
                    data-testid="m-queue-others-keep"
                    onClick={() => setConfirming(false)}
                  >
                    {t({ zh: '保留', en: 'Keep' })}
                  </Button>
                  <Button
                    size="mini"
                    color="danger"
                    data-testid="m-queue-others-discard-sure"
                    onClick={() => {
                      setConfirming(false);
                      void queue.discardOthers();
                    }}
                  >
                    {t({ zh: '确认放弃', en: 'Discard' })}
                  </Button>
                </Space>
              ) : (
                <Button
                  size="mini"
                  color="danger"
                  fill="outline"
                  data-testid="m-queue-others-discard"
                  onClick={() => setConfirming(true)}
                >
                  {t({ zh: '放弃', en: 'Discard' })}
                </Button>
              )
            }
          >
            {t({
              zh: `其他账号的待发送记录 ${others.length} 条`,
              en: `${others.length} items queued by another account`,
            })}
          </List.Item>
        </List>
      )}
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
