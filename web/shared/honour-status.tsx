import { Tag } from 'antd';
import { HONOUR_STATUS_LABELS, type THonourStatus } from '../../core/contracts/honours.js';
import { useI18n } from './i18n.js';

/** 文明细胞: a title's status as a colour — 在册 green, 整改 orange, 暂停 gold, 撤销 red, 放弃 grey. */
export const HONOUR_STATUS_COLOURS: Record<THonourStatus, string> = {
  listed: '#52c41a',
  rectifying: '#fa8c16',
  suspended: '#d4b106',
  revoked: '#cf1322',
  relinquished: '#8c8c8c',
};

const TAG_COLOURS: Record<THonourStatus, string> = {
  listed: 'green',
  rectifying: 'orange',
  suspended: 'gold',
  revoked: 'red',
  relinquished: 'default',
};

/** A title's status as a tag. */
export function HonourStatusTag({ status }: { status: THonourStatus }) {
  const { t } = useI18n();
  return <Tag color={TAG_COLOURS[status]}>{t(HONOUR_STATUS_LABELS[status])}</Tag>;
}
