import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, Grid, Popover, Typography, theme } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TNotification } from '../../core/contracts/notifications.js';
import { useApi, useApiMutation } from '../shared/api-query.js';
import { formatTime, useI18n } from '../shared/i18n.js';

/** The inbox in the header: unread count, latest notices, click to open the problem. */
export function NotificationBell() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const wide = Grid.useBreakpoint().md ?? true;
  const { token } = theme.useToken();
  const [open, setOpen] = useState(false);
  // Polled every minute (signed out or offline: the count stays until the next poll answers).
  const unread = useApi('GET /api/notifications/unread-count', {}, { refetchInterval: 60_000 });
  const count = unread.data?.count ?? 0;
  // The latest notices, read when the list is opened (again once they are a few seconds old).
  const latest = useApi('GET /api/notifications', open ? { query: { limit: 10 } } : null);
  const items = latest.data?.items ?? [];
  // Both refetch the count and the list (every read under /api/notifications).
  const markRead = useApiMutation('POST /api/notifications/:id/read');
  const markAll = useApiMutation('POST /api/notifications/read-all');

  const show = (o: boolean) => setOpen(o);
  const openNotice = async (n: TNotification) => {
    if (!n.read) await markRead.mutateAsync({ params: { id: n.id } });
    setOpen(false);
    if (n.problemId) void navigate(`/problems/${n.problemId}`);
  };

  const title = (
    <div style={{ display: 'flex', justifyContent: 'space-between', gap: 16 }}>
      <span>{t({ zh: '消息', en: 'Notifications' })}</span>
      <Button size="small" type="link" onClick={() => void markAll.mutateAsync({})}>
        {t({ zh: '全部已读', en: 'Mark all read' })}
      </Button>
    </div>
  );
  const content =
    items.length === 0 ? (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={t({ zh: '暂无消息', en: 'Nothing yet' })}
      />
    ) : (
      // A plain list: antd's List brings its pagination (and Select) into the admin's first load.
      <ul data-testid="notification-list" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((n) => (
          <li
            key={n.id}
            role="button"
            tabIndex={0}
            onClick={() => void openNotice(n)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && void openNotice(n)}
            style={{
              cursor: 'pointer',
              opacity: n.read ? 0.6 : 1,
              padding: '8px 0',
              borderBottom: `1px solid ${token.colorSplit}`,
            }}
          >
            <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(n.createdAt)}
              </Typography.Text>
            </div>
          </li>
        ))}
      </ul>
    );
  const bell = (
    <Button
      type="text"
      data-testid="notification-bell"
      aria-label={t({ zh: '消息', en: 'Notifications' })}
      onClick={wide ? undefined : () => show(true)}
    >
      <Badge count={count} size="small">
        <BellOutlined style={{ fontSize: 18 }} />
      </Badge>
    </Button>
  );

  if (!wide) {
    // Phones: the inbox slides down over the page; a popover would not fit the screen.
    return (
      <>
        {bell}
        <Drawer open={open} onClose={() => setOpen(false)} placement="top" size="70%" title={title}>
          {content}
        </Drawer>
      </>
    );
  }
  return (
    <Popover
      open={open}
      onOpenChange={show}
      trigger="click"
      placement="bottomRight"
      title={title}
      content={<div style={{ width: 320, maxHeight: 420, overflow: 'auto' }}>{content}</div>}
    >
      {bell}
    </Popover>
  );
}
