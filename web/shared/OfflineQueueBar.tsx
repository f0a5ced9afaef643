import { Alert, Button, List, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { formatTime, useI18n } from './i18n.js';
import { offlineQueue, type OfflineQueue } from './offline-queue.js';
import { useOnline, useQueuedItems } from './use-offline-queue.js';

export { useOnline, useQueuedItems };

/**
 * The visible sync queue of a phone screen (DESIGN.md §5): how many submissions wait, which the
 * server refused and why, a "sync now" button and a discard for refused items.
 */
export function OfflineQueueBar({ queue = offlineQueue() }: { queue?: OfflineQueue }) {
  const { t } = useI18n();
  const online = useOnline();
  const items = useQueuedItems(queue);
  const [syncing, setSyncing] = useState(false);
  const waiting = items.filter((i) => i.state === 'queued');
  const failed = items.filter((i) => i.state === 'failed');
  if (online && items.length === 0) return null;
  return (
    <div data-testid="offline-queue" style={{ marginBottom: 12 }}>
      <Alert
        type={failed.length > 0 ? 'error' : online ? 'info' : 'warning'}
        showIcon
        message={
          <Space wrap>
            {!online && <Tag color="orange">{t({ zh: '离线', en: 'Offline' })}</Tag>}
            <span data-testid="offline-queue-count">
              {t({
                zh: `待同步 ${waiting.length} 条`,
                en: `${waiting.length} waiting to sync`,
              })}
            </span>
            {failed.length > 0 && (
              <span>{t({ zh: `被拒绝 ${failed.length} 条`, en: `${failed.length} refused` })}</span>
            )}
            {waiting.length > 0 && (
              <Button
                size="small"
                loading={syncing}
                disabled={!online}
                onClick={() => {
                  setSyncing(true);
                  void queue.flush({ force: true }).finally(() => setSyncing(false));
                }}
              >
                {t({ zh: '立即同步', en: 'Sync now' })}
              </Button>
            )}
          </Space>
        }
        description={
          items.length > 0 && (
            <List
              size="small"
              dataSource={items}
              renderItem={(item) => (
                <List.Item
                  actions={
                    item.state === 'failed'
                      ? [
                          <Button
                            key="discard"
                            size="small"
                            danger
                            onClick={() => void queue.discard(item.clientId)}
                          >
                            {t({ zh: '放弃', en: 'Discard' })}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <Space direction="vertical" size={0}>
                    <Typography.Text>{item.label}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatTime(item.createdAt)}
                      {item.files.length > 0 &&
                        t({
                          zh: ` · ${item.files.length} 张照片`,
                          en: ` · ${item.files.length} photos`,
                        })}
                    </Typography.Text>
                    {item.error && <Typography.Text type="danger">{t(item.error)}</Typography.Text>}
                  </Space>
                </List.Item>
              )}
            />
          )
        }
      />
    </div>
  );
}
