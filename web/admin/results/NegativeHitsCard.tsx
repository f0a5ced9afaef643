import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Table } from 'antd';
import { useEffect, useState } from 'react';
import type { TNegativeHit } from '../../../core/contracts/scoring.js';
import { NEGATIVE_EFFECT_LABELS } from '../../../core/frameworks/methods.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';

/**
 * 负面清单发生记录: events of the framework's negative-list items, by cycle year. The office records
 * them; the projected score applies each item's effect (deduct, suspend, disqualify).
 */
export function NegativeHitsCard(props: { frameworkId: number; canWrite: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const fw = { query: { frameworkId: props.frameworkId } };
  const hitsQ = useApi('GET /api/negative-hits', fw);
  const optionsQ = useApi('GET /api/negative-hits/options', fw);
  const hits = hitsQ.data ?? [];
  const options = optionsQ.data ?? null;
  const failed = hitsQ.error ?? optionsQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);
  // Both read the hits again (every read under /api/negative-hits).
  const record = useApiMutation('POST /api/negative-hits');
  const removeHit = useApiMutation('DELETE /api/negative-hits/:id');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{
    itemKey: string;
    year: number;
    occurredOn: string;
    note?: string;
  }>();

  const save = async () => {
    const v = await form.validateFields();
    try {
      await record.mutateAsync({
        body: { ...v, frameworkId: props.frameworkId, note: v.note ?? '' },
      });
      setOpen(false);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  };
  const remove = async (h: TNegativeHit) => {
    try {
      await removeHit.mutateAsync({ params: { id: h.id }, query: { version: h.version } });
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={t({ zh: '负面清单发生记录', en: 'Negative-list hits' })}
      data-testid="negative-hits"
      extra={
        props.canWrite && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            disabled={!options?.items.length}
            onClick={() => {
              form.resetFields();
              const thisYear = new Date().getFullYear();
              form.setFieldsValue({
                year: options?.years.includes(thisYear) ? thisYear : options?.years[0],
                occurredOn: new Date().toISOString().slice(0, 10),
              });
              setOpen(true);
            }}
          >
            {t({ zh: '登记', en: 'Record' })}
          </Button>
        )
      }
    >
      <Table<TNegativeHit>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={hits}
        locale={{ emptyText: t({ zh: '尚未发生', en: 'None recorded' }) }}
        columns={[
          { title: t(L.common.year), dataIndex: 'year', width: 70 },
          { title: t(L.common.date), dataIndex: 'occurredOn', width: 110 },
          {
            title: t({ zh: '条目', en: 'Item' }),
            render: (_: unknown, h) => (h.code ? `${h.code} ${h.text}` : h.itemKey),
          },
          {
            title: t(L.framework.effect),
            width: 120,
            render: (_: unknown, h) =>
              h.effect === 'deduct'
                ? t({ zh: `扣 ${h.points} 分`, en: `−${h.points} points` })
                : h.effect
                  ? t(NEGATIVE_EFFECT_LABELS[h.effect])
                  : '—',
          },
          { title: t(L.common.note), dataIndex: 'note' },
          { title: t({ zh: '登记人', en: 'By' }), dataIndex: 'recordedBy', width: 90 },
          ...(props.canWrite
            ? [
                {
                  title: t(L.common.actions),
                  key: 'a',
                  width: 80,
                  render: (_: unknown, h: TNegativeHit) => (
                    <Popconfirm title={t(L.common.confirmDelete)} onConfirm={() => void remove(h)}>
                      <a>{t(L.common.delete)}</a>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={open}
        title={t({ zh: '登记负面清单事件', en: 'Record a negative-list hit' })}
        onOk={() => void save()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="itemKey"
            label={t({ zh: '条目', en: 'Item' })}
            rules={[{ required: true }]}
          >
            <Select
              options={(options?.items ?? []).map((i) => ({
                value: i.key,
                label: `${i.code} ${i.text}`,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="year"
            label={t({ zh: '计入年度', en: 'Year' })}
            rules={[{ required: true }]}
          >
            <Select options={(options?.years ?? []).map((y) => ({ value: y, label: String(y) }))} />
          </Form.Item>
          <Form.Item
            name="occurredOn"
            label={t({ zh: '发生日期', en: 'Date' })}
            rules={[{ required: true }]}
          >
            <Input type="date" />
          </Form.Item>
          <Form.Item name="note" label={t(L.common.note)}>
            <Input.TextArea autoSize maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
