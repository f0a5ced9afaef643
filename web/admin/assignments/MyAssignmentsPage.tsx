import { App, Button, Card, Empty, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { TAssignmentReportStatus, TMyAssignment } from '../../../core/contracts/frameworks.js';
import { METHOD_LABELS } from '../../../core/frameworks/methods.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

const STATUS_LABELS: Record<TAssignmentReportStatus, { zh: string; en: string }> = {
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
  const [reportOn, setReportOn] = useState<TMyAssignment | null>(null);
  const [form] = Form.useForm<{ status: TAssignmentReportStatus; text: string }>();
  const mine = useApi('GET /api/my-assignments', {});
  const state = useApi('GET /api/assignment-reporting', {});
  const items = mine.data?.items ?? [];
  const loading = mine.isPending || state.isPending;
  // Each task's reporting state, for my unit.
  const reporting = useMemo(
    () =>
      new Map(
        (state.data?.items ?? [])
          .filter((s) => s.unitId === user?.unitId)
          .map((s) => [s.assignmentId, s]),
      ),
    [state.data, user?.unitId],
  );
  const failed = mine.error ?? state.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);
  // A report changes the reporting state (and the task lists): both are read again.
  const report = useApiMutation('POST /api/assignments/:id/reports', {
    invalidates: ['GET /api/assignment-reporting', 'GET /api/my-assignments'],
  });

  async function sendReport() {
    const v = await form.validateFields();
    try {
      await report.mutateAsync({ params: { id: reportOn!.id }, body: v });
      message.success(t(L.framework.reported));
      setReportOn(null);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  const lead = items.filter((i) => i.role === 'lead').length;

  return (
    <Card
      title={t(L.org.myAssignments)}
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
            { title: t(L.common.code), dataIndex: 'standardCode', width: 90 },
            {
              title: t(L.framework.standard),
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
              title: t(L.org.leadUnit),
              width: 160,
              render: (_: unknown, a) => a.leadUnit.name,
            },
            { title: t(L.org.leader), dataIndex: 'leaderName', width: 100 },
            {
              title: t(L.common.timeLimit),
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
                    {r?.lastStatus && <Tag>{t(STATUS_LABELS[r.lastStatus])}</Tag>}
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
                      {t(L.framework.report)}
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
          <Form.Item name="status" label={t(L.common.status)}>
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
