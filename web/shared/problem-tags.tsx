import { Tag } from 'antd';
import { ESCALATION_LABELS, type TEscalationLevel } from '../../core/problems/escalation.js';
import { PROBLEM_STATE_LABELS, type TProblemState } from '../../core/problems/lifecycle.js';
import { useI18n } from './i18n.js';

const STATE_COLORS: Record<TProblemState, string> = {
  reported: 'default',
  registered: 'processing',
  rejected: 'default',
  dispatched: 'orange',
  returned: 'magenta',
  submitted: 'cyan',
  closed: 'green',
  deferred: 'purple',
  merged: 'geekblue',
};

export function StateTag({ state }: { state: TProblemState }) {
  const { t } = useI18n();
  return <Tag color={STATE_COLORS[state]}>{t(PROBLEM_STATE_LABELS[state])}</Tag>;
}

/** The 三色督办 colour, shown everywhere a problem is. */
export function EscalationTag({ level }: { level: TEscalationLevel }) {
  const { t } = useI18n();
  if (level === 'none') return null;
  const l = ESCALATION_LABELS[level];
  return (
    <Tag color={l.color} data-testid={`escalation-${level}`}>
      {t(l)}
    </Tag>
  );
}

/** "还剩 2 天 5 小时" / "已超期 3 天" for a deadline. */
export function Countdown({
  deadline,
  now = Date.now(),
}: {
  deadline: string | null;
  now?: number;
}) {
  const { t } = useI18n();
  if (!deadline) return null;
  const ms = new Date(deadline).getTime() - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const span = {
    zh: days ? `${days} 天 ${hours} 小时` : `${hours} 小时`,
    en: days ? `${days}d ${hours}h` : `${hours}h`,
  };
  return ms >= 0 ? (
    <span>{t({ zh: `还剩 ${span.zh}`, en: `${span.en} left` })}</span>
  ) : (
    <span style={{ color: '#cf1322' }}>
      {t({ zh: `已超期 ${span.zh}`, en: `${span.en} overdue` })}
    </span>
  );
}
