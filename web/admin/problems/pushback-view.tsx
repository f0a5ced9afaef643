import { App, Button, Tag, Typography } from 'antd';
import type { TPushbackDelivery } from '../../../core/contracts/pushback.js';
import {
  PUSHBACK_STATE_LABELS,
  PUSHBACK_TARGET_LABELS,
  pushbackKindLabel,
} from '../../../core/pushback/labels.js';
import { useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n } from '../../shared/i18n.js';

// 结果回传: how a delivery is shown on the log page and on a problem's page.

/** What was told: a 12345 result type, or the step that changed an Open311 request's status. */
export const kindLabel = (d: Pick<TPushbackDelivery, 'target' | 'kind'>) =>
  pushbackKindLabel(d.target, d.kind);

/** Where it goes: the hotline, or the Open311 client by name. */
export function TargetText({ d }: { d: Pick<TPushbackDelivery, 'target' | 'clientName'> }) {
  const { t } = useI18n();
  return (
    <span>
      {t(PUSHBACK_TARGET_LABELS[d.target])}
      {d.clientName && <Typography.Text type="secondary"> · {d.clientName}</Typography.Text>}
    </span>
  );
}

export function StateTag({ d }: { d: Pick<TPushbackDelivery, 'state' | 'attempts'> }) {
  const { t } = useI18n();
  const label = PUSHBACK_STATE_LABELS[d.state];
  // Pending after a failed attempt: retrying.
  const retrying = d.state === 'pending' && d.attempts > 0;
  return (
    <Tag color={retrying ? 'orange' : label.color} data-testid="pushback-state">
      {retrying ? t({ zh: '重试中', en: 'Retrying' }) : t(label)}
    </Tag>
  );
}

/** The last attempt's answer: its HTTP status and error, or the time it was acknowledged. */
export function LastAnswer({ d }: { d: TPushbackDelivery }) {
  const { t } = useI18n();
  if (d.state === 'delivered')
    return (
      <Typography.Text type="secondary">
        {t({ zh: '确认于 ', en: 'Acknowledged ' })}
        {formatTime(d.ackedAt)}
      </Typography.Text>
    );
  if (!d.lastError)
    return d.nextAttemptAt ? (
      <Typography.Text type="secondary">
        {t({ zh: '计划发送 ', en: 'Due ' })}
        {formatTime(d.nextAttemptAt)}
      </Typography.Text>
    ) : null;
  return (
    <Typography.Text type="danger" style={{ wordBreak: 'break-all' }} data-testid="pushback-error">
      {d.lastError}
      {d.state === 'pending' && d.nextAttemptAt && (
        <Typography.Text type="secondary">
          {t({ zh: '；下次重试 ', en: '; next try ' })}
          {formatTime(d.nextAttemptAt)}
        </Typography.Text>
      )}
    </Typography.Text>
  );
}

/** 重新发送: a failed delivery goes out again (the city office's integration.manage). */
export function RetryButton({ d }: { d: TPushbackDelivery }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const retry = useApiMutation('POST /api/pushback/:id/retry', {
    invalidates: ['GET /api/pushback', 'GET /api/problems'],
  });
  if (d.state !== 'failed') return null;
  return (
    <Button
      size="small"
      loading={retry.isPending}
      data-testid={`retry-${d.id}`}
      onClick={() =>
        void retry
          .mutateAsync({ params: { id: d.id } })
          .then(() => message.success(t({ zh: '已重新加入发送队列', en: 'Queued to send again' })))
          .catch((err: unknown) => message.error(errorText(err, lang)))
      }
    >
      {t({ zh: '重新发送', en: 'Send again' })}
    </Button>
  );
}
