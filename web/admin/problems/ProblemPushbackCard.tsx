import { Card, Space, Typography } from 'antd';
import { Permission } from '../../../core/permissions.js';
import { useApi } from '../../shared/api-query.js';
import { formatTime, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { kindLabel, LastAnswer, RetryButton, StateTag, TargetText } from './pushback-view.js';

/**
 * 12345 回传 on a problem's page: what its result owes the hotline (or the Open311 client that
 * filed it) and what became of it. Shown to the offices that manage the problem, when there is any.
 */
export function ProblemPushbackCard({ problemId }: { problemId: number }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const list = useApi(
    'GET /api/problems/:id/pushback',
    can(Permission.ProblemManage) ? { params: { id: problemId } } : null,
  ).data;
  if (!list?.length) return null;
  const retry = can(Permission.IntegrationManage);
  return (
    <Card
      size="small"
      title={t({ zh: '12345 回传', en: 'Result push-back' })}
      data-testid="pushback-card"
    >
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        {list.map((d) => (
          <Space key={d.id} wrap size={8} data-testid={`pushback-${d.id}`}>
            <StateTag d={d} />
            <Typography.Text strong>{t(kindLabel(d))}</Typography.Text>
            <TargetText d={d} />
            <Typography.Text type="secondary">
              {d.externalRef} · {formatTime(d.createdAt)} ·{' '}
              {t({ zh: `尝试 ${d.attempts} 次`, en: `${d.attempts} attempt(s)` })}
            </Typography.Text>
            <LastAnswer d={d} />
            {retry && <RetryButton d={d} />}
          </Space>
        ))}
      </Space>
    </Card>
  );
}
