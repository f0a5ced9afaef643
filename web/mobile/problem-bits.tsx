import { Tag } from 'antd-mobile';
import type { TProblem } from '../../core/contracts/problems.js';
import { ESCALATION_LABELS } from '../../core/problems/escalation.js';
import type { QueuedItem } from '../shared/offline-queue.js';
import { useI18n } from '../shared/i18n.js';

// A problem's deadline and 三色督办 colour as the phone shows them (the task list's card and the
// rectification flow), and which queued writes are a problem's.

/** A problem's step queued on the phone (the actions endpoint's item). */
export type QueuedStep = Extract<QueuedItem, { endpoint: 'POST /api/problems/:id/actions' }>;

/** Whether a queued item is a step on a problem. */
export const isQueuedStep = (i: QueuedItem): i is QueuedStep =>
  i.endpoint === 'POST /api/problems/:id/actions';

/** The queued steps of one problem (waiting or refused). */
export const queuedFor = (items: readonly QueuedItem[], id: number): QueuedStep[] =>
  items.filter((i): i is QueuedStep => isQueuedStep(i) && i.params?.id === id);

const COLORS = { blue: '#1677ff', yellow: '#d48806', red: '#cf1322' } as const;

/** 蓝色提醒 / 黄色预警 / 红色督办; nothing while on track. */
export function EscalationTag({ level }: { level: TProblem['escalation'] }) {
  const { t } = useI18n();
  if (level === 'none') return null;
  return (
    <Tag color={COLORS[level]} data-testid={`m-escalation-${level}`}>
      {t(ESCALATION_LABELS[level])}
    </Tag>
  );
}

/** "还剩 2 天 5 小时" / "已超期 3 天 2 小时" to the deadline (none: nothing). */
export function Due({ deadline, now = Date.now() }: { deadline: string | null; now?: number }) {
  const { t } = useI18n();
  if (!deadline) return null;
  const ms = Date.parse(deadline) - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const span = {
    zh: days ? `${days} 天 ${hours} 小时` : `${hours} 小时`,
    en: days ? `${days}d ${hours}h` : `${hours}h`,
  };
  return ms >= 0 ? (
    <span className="m-due">{t({ zh: `还剩 ${span.zh}`, en: `${span.en} left` })}</span>
  ) : (
    <span className="m-due m-danger" data-testid="m-overdue">
      {t({ zh: `已超期 ${span.zh}`, en: `${span.en} overdue` })}
    </span>
  );
}
