import { App, Button, Card, Empty, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { TMyAssignment } from '../../../core/contracts/frameworks.js';
import { METHOD_LABELS } from '../../../core/frameworks/methods.js';
import { get, post } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

interface Reporting {
  assignmentId: number;
  unitId: number;
  lastStatus: string | null;
  lastReportAt: string | null;
  overdue: boolean;
  everyDays: number;
}

const STATUS_LABELS = {
  not_started: { zh: '未启动', en: 'Not started' },
  in_progress: { zh: '推进中', en: 'In progress' },
  done: { zh: '已完成', en: 'Done' },
  blocked: { zh: '有困难', en: 'Blocked' },
};

/** 我的任务: the standards my unit leads or shares on the frameworks in force, and 进度报送. */
export function MyAssignmentsPage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [items, setItems] = useState<TMyAssignment[]>([]);
  const [loading, setLoading] = useState(true);
  const [reporting, setReporting] = useState<Map<number, Reporting>>(new Map());
  const [reportOn, setReportOn] = useState<TMyAssignment | null>(null);
  const [form] = Form.useForm<{ status: string; text: string }>();
  const load = useCallback(async () => {
    const [mine, state] = await Promise.all([
      get<{ items: TMyAssignment[] }>('/api/my-assignments'),
      get<{ items: Reporting[] }>('/api/assignment-reporting'),
    ]);
    setItems(mine.items);
    setReporting(
      new Map(state.items.filter((s) => s.unitId === user?.unitId).map((s) => [s.assignmentId, s])),
    );
  }, [user?.unitId]);
  useEffect(() => {
    load()
      .catch((err: unknown) => message.error(errorText(err, lang)))
      .finally(() => setLoading(false));
  }, [load, lang, message]);

  async function sendReport() {
    const v = await form.validateFields();
    try {
      await post(`/api/assignments/${reportOn!.id}/reports`, v);
      message.success(t({ zh: '已报送', en: 'Reported' }));
      setReportOn(null);
      await load();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  const lead = items.filter((i) => i.role === 'lead').length;

  return (
    <Card
      title={t({ zh: '我的任务', en: 'My assignments' })}
      extra={
        user?.unitName && (
          <span data-testid="my-assignments-summary">
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
              ? t({ zh: '本单位暂无测评任务', en: 'Your unit has no assignments yet' })
              : t({ zh: '您的账号未关联单位', en: 'Your account belongs to no unit' })
          }
        />
      ) : (
        <Table<TMyAssignment>
          rowKey="id"
          size="middle"
          loading={loading}
          dataSource={items}
          pagination={{ pageSize: 50 }}
          data-testid="my-assignments"
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
            {
              title: t({ zh: '进度报送', en: 'Progress' }),
              width: 190,
              render: (_: unknown, a) => {
                const r = reporting.get(a.id);
                return (
                  <span>
                    {r?.lastStatus && (
                      <Tag>{t(STATUS_LABELS[r.lastStatus as keyof typeof STATUS_LABELS])}</Tag>
                    )}
                    {r?.overdue && (
                      <Tag color="red" data-testid="report-overdue">
                        {t({ zh: `超${r.everyDays}天未报`, en: `none in ${r.everyDays} d` })}
                      </Tag>
                    )}
                    <Button
                      size="small"
                      onClick={() => {
                        form.resetFields();
                        setReportOn(a);
                      }}
                      data-testid="report-progress"
                    >
                      {t({ zh: '报送', en: 'Report' })}
                    </Button>
                  </span>
                );
              },
            },
          ]}
        />
      )}
      <Modal
        open={reportOn !== null}
        title={`${t({ zh: '报送进度', en: 'Report progress' })} · ${reportOn?.standardCode ?? ''}`}
        onOk={() => void sendReport()}
        onCancel={() => setReportOn(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ status: 'in_progress' }}>
          <Form.Item name="status" label={t({ zh: '状态', en: 'Status' })}>
            <Select
              options={Object.entries(STATUS_LABELS).map(([v, l]) => ({ value: v, label: t(l) }))}
            />
          </Form.Item>
          <Form.Item
            name="text"
            label={t({ zh: '进展情况', en: 'What was done' })}
            rules={[{ required: true, min: 2, max: 1000 }]}
          >
            <Input.TextArea rows={4} id="report-text" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
