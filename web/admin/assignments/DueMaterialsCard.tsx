import { Button, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import type { TDueMaterial } from '../../../core/contracts/dashboards.js';
import { DOSSIER_STATE_LABELS } from '../../../core/frameworks/evidence.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';

const STATE_COLORS: Record<TDueMaterial['state'], string | undefined> = {
  none: undefined,
  draft: 'processing',
  returned: 'red',
  submitted: 'gold',
};

/** The evidence page, opened on one standard's dossier of the 时限's year. */
export const dossierLink = (i: TDueMaterial) =>
  `/evidence?frameworkId=${i.frameworkId}&year=${i.year}&standard=${encodeURIComponent(i.standardKey)}`;

/** 待办档案资料: what the unit leads whose materials are overdue or due soon, with links to them. */
export function DueMaterialsCard() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const due = useApi('GET /api/dashboards/unit/due-materials', {});
  const d = due.data ?? null;
  const error = due.error ? errorText(due.error, lang) : null;
  const c = d?.counts;
  return (
    <Card
      size="small"
      title={t({
        zh: '待办档案资料（已逾期或 14 天内到期）',
        en: 'Materials due (overdue or within 14 days)',
      })}
      extra={
        <Button size="small" onClick={() => void navigate('/evidence')}>
          {t(L.framework.archive)}
        </Button>
      }
      data-testid="unit-due-materials"
    >
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {c && (
        <Space wrap style={{ marginBottom: 8 }} data-testid="due-materials-counts">
          <Tag color={c.overdue ? 'red' : undefined}>
            {t({ zh: `已逾期 ${c.overdue}`, en: `Overdue ${c.overdue}` })}
          </Tag>
          <Tag color={c.dueSoon ? 'orange' : undefined}>
            {t({ zh: `即将到期 ${c.dueSoon}`, en: `Due soon ${c.dueSoon}` })}
          </Tag>
          <Typography.Text type="secondary">
            {t({
              zh: `未上传 ${c.missing} · 已退回 ${c.returned} · 待审核 ${c.submitted}`,
              en: `missing ${c.missing} · returned ${c.returned} · awaiting review ${c.submitted}`,
            })}
          </Typography.Text>
        </Space>
      )}
      <Table<TDueMaterial>
        size="small"
        rowKey={(i) => `${i.frameworkId}:${i.year}:${i.standardKey}`}
        pagination={false}
        loading={d === null && error === null}
        dataSource={d?.items ?? []}
        scroll={{ y: 320 }}
        locale={{ emptyText: t({ zh: '没有待办的档案资料', en: 'No materials due' }) }}
        columns={[
          {
            title: t(L.framework.standard),
            ellipsis: true,
            render: (_: unknown, i) => (
              <Tooltip title={`${i.frameworkName} · ${i.year}`}>
                {i.code} {i.text}
              </Tooltip>
            ),
          },
          {
            title: t(L.common.timeLimit),
            width: 190,
            render: (_: unknown, i) => (
              <Space size={4}>
                {i.dueDate}
                {i.daysLeft < 0 ? (
                  <Tag color="red">
                    {t({ zh: `逾期 ${-i.daysLeft} 天`, en: `${-i.daysLeft} d overdue` })}
                  </Tag>
                ) : (
                  <Tag color="orange">
                    {i.daysLeft === 0
                      ? t({ zh: '今天到期', en: 'due today' })
                      : t({ zh: `${i.daysLeft} 天后`, en: `in ${i.daysLeft} d` })}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t({ zh: '资料状态', en: 'Materials' }),
            width: 110,
            render: (_: unknown, i) => (
              <Tooltip title={i.state === 'returned' ? i.reviewComment : undefined}>
                <Tag color={STATE_COLORS[i.state]}>{t(DOSSIER_STATE_LABELS[i.state])}</Tag>
              </Tooltip>
            ),
          },
          {
            title: '',
            width: 80,
            render: (_: unknown, i) => (
              <Link to={dossierLink(i)} data-testid="due-material-open">
                {i.state === 'submitted' ? t(L.common.view) : t({ zh: '去上传', en: 'Upload' })}
              </Link>
            ),
          },
        ]}
      />
    </Card>
  );
}
