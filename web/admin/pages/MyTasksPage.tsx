import { App, Card, Empty, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { TMyTask } from '../../../core/contracts/frameworks.js';
import { METHOD_LABELS } from '../../../core/frameworks/methods.js';
import { get } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

/** 我的任务: the standards my unit leads or shares on the frameworks in force. */
export function MyTasksPage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [items, setItems] = useState<TMyTask[]>([]);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    get<{ items: TMyTask[] }>('/api/my-tasks')
      .then((r) => setItems(r.items))
      .catch((err: unknown) => message.error(errorText(err, lang)))
      .finally(() => setLoading(false));
  }, [lang, message]);
  const lead = items.filter((i) => i.role === 'lead').length;

  return (
    <Card
      title={t({ zh: '我的任务', en: 'My tasks' })}
      extra={
        user?.unitName && (
          <span data-testid="my-tasks-summary">
            {user.unitName} ·{' '}
            {t({
              zh: `牵头 ${lead} 条，配合 ${items.length - lead} 条`,
              en: `leads ${lead}, shares ${items.length - lead}`,
            })}
          </span>
        )
      }
    >
      {!loading && items.length === 0 ? (
        <Empty
          description={
            user?.unitId
              ? t({ zh: '本单位暂无测评任务', en: 'Your unit has no tasks yet' })
              : t({ zh: '您的账号未关联单位', en: 'Your account belongs to no unit' })
          }
        />
      ) : (
        <Table<TMyTask>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={items}
          pagination={{ pageSize: 50 }}
          data-testid="my-tasks"
          columns={[
            { title: t({ zh: '编号', en: 'Code' }), dataIndex: 'standardCode', width: 90 },
            {
              title: t({ zh: '测评标准', en: 'Standard' }),
              render: (_: unknown, a) => (
                <>
                  <div>{a.standardText}</div>
                  <div style={{ color: '#888', fontSize: 12 }}>
                    {a.frameworkName} · {a.itemCode} {a.itemText} / {a.contentCode} {a.contentText}
                  </div>
                </>
              ),
            },
            {
              title: t({ zh: '方法 / 分值', en: 'Method / score' }),
              width: 130,
              render: (_: unknown, a) => `${t(METHOD_LABELS[a.method])} · ${a.maxScore}`,
            },
            {
              title: t({ zh: '本单位', en: 'My unit' }),
              width: 90,
              render: (_: unknown, a) =>
                a.role === 'lead' ? (
                  <Tag color="volcano">{t({ zh: '牵头', en: 'Leads' })}</Tag>
                ) : (
                  <Tag color="blue">{t({ zh: '配合', en: 'Shares' })}</Tag>
                ),
            },
            {
              title: t({ zh: '牵头单位', en: 'Lead unit' }),
              width: 160,
              render: (_: unknown, a) => a.leadUnit.name,
            },
            { title: t({ zh: '包抓领导', en: 'Leader' }), dataIndex: 'leaderName', width: 100 },
            {
              title: t({ zh: '时限', en: 'Deadline' }),
              width: 110,
              render: (_: unknown, a) => a.dueDate ?? a.dueText ?? '',
            },
          ]}
        />
      )}
    </Card>
  );
}
