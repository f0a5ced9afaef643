import { Button, Space, Typography } from 'antd';
import { L, useI18n } from '../shared/i18n.js';

/** Previous/next paging for keyset lists, with the total count. */
export function Pager(p: {
  total: number;
  /** The server stopped counting at a cap: show "10000+". */
  totalCapped?: boolean;
  pageNumber: number;
  hasPrev: boolean;
  hasNext: boolean;
  prev: () => void;
  next: () => void;
}) {
  const { t } = useI18n();
  const total = `${p.total.toLocaleString()}${p.totalCapped ? '+' : ''}`;
  return (
    <Space style={{ marginTop: 12, justifyContent: 'flex-end', width: '100%' }}>
      <Typography.Text type="secondary">
        {t({
          zh: `共 ${total} 条 · 第 ${p.pageNumber} 页`,
          en: `${total} in all · page ${p.pageNumber}`,
        })}
      </Typography.Text>
      <Button size="small" disabled={!p.hasPrev} onClick={p.prev}>
        {t(L.common.previousPage)}
      </Button>
      <Button size="small" disabled={!p.hasNext} onClick={p.next} data-testid="next-page">
        {t(L.common.nextPage)}
      </Button>
    </Space>
  );
}
