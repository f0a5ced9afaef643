import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
} from 'antd';
import { useState } from 'react';
import type { TFrameworkWriteResult, TNegativeItem } from '../../../core/contracts/frameworks.js';
import {
  NEGATIVE_EFFECT_LABELS,
  NEGATIVE_EFFECTS,
  type TNegativeEffect,
} from '../../../core/frameworks/methods.js';
import { apiCall } from '../../shared/api.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';

/** 负面清单 of a framework version: events that deduct points, suspend or disqualify. */
export function NegativeListCard(props: {
  versionId: number;
  items: TNegativeItem[];
  canWrite: boolean;
  onWrite: (r: TFrameworkWriteResult) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<TNegativeItem | 'new' | null>(null);
  const [form] = Form.useForm<{
    code?: string;
    text: string;
    effect: TNegativeEffect;
    points: number;
  }>();

  const open = (n: TNegativeItem | 'new') => {
    setEditing(n);
    form.resetFields();
    form.setFieldsValue(n === 'new' ? { effect: 'deduct', points: 1 } : n);
  };
  const save = async () => {
    const v = await form.validateFields();
    const body = {
      ...(v.code ? { code: v.code } : {}),
      text: v.text,
      effect: v.effect,
      points: v.points,
    };
    try {
      const r =
        editing === 'new'
          ? await apiCall('POST /api/framework-versions/:id/negative-items', {
              params: { id: props.versionId },
              body,
            })
          : await apiCall('PATCH /api/framework-versions/:id/negative-items/:nodeId', {
              params: { id: props.versionId, nodeId: editing!.id },
              body: { ...body, version: editing!.version },
            });
      setEditing(null);
      props.onWrite(r);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  };
  const remove = async (n: TNegativeItem) => {
    try {
      props.onWrite(
        await apiCall('DELETE /api/framework-versions/:id/negative-items/:nodeId', {
          params: { id: props.versionId, nodeId: n.id },
          query: { version: n.version },
        }),
      );
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      title={t(L.framework.negativeItem)}
      extra={
        props.canWrite && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t(L.common.add)}
          </Button>
        )
      }
    >
      <Table<TNegativeItem>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={props.items}
        columns={[
          { title: t(L.common.code), dataIndex: 'code', width: 80 },
          { title: t({ zh: '情形', en: 'Event' }), dataIndex: 'text' },
          {
            title: t(L.framework.effect),
            width: 160,
            render: (_: unknown, n) =>
              n.effect === 'deduct'
                ? t({ zh: `扣 ${n.points} 分`, en: `−${n.points} points` })
                : t(NEGATIVE_EFFECT_LABELS[n.effect]),
          },
          ...(props.canWrite
            ? [
                {
                  title: t(L.common.actions),
                  key: 'a',
                  width: 120,
                  render: (_: unknown, n: TNegativeItem) => (
                    <Space>
                      <a onClick={() => open(n)}>{t(L.common.edit)}</a>
                      <Popconfirm
                        title={t(L.common.confirmDelete)}
                        onConfirm={() => void remove(n)}
                      >
                        <a>{t(L.common.delete)}</a>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={t({ zh: '负面清单条目', en: 'Negative-list item' })}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="code"
            label={t({ zh: '编号（留空自动编号）', en: 'Code (empty: numbered for you)' })}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="text"
            label={t({ zh: '情形', en: 'Event' })}
            rules={[{ required: true }]}
          >
            <Input.TextArea autoSize />
          </Form.Item>
          <Space>
            <Form.Item name="effect" label={t(L.framework.effect)} rules={[{ required: true }]}>
              <Select
                style={{ width: 160 }}
                options={NEGATIVE_EFFECTS.map((e) => ({
                  value: e,
                  label: t(NEGATIVE_EFFECT_LABELS[e]),
                }))}
              />
            </Form.Item>
            <Form.Item name="points" label={t(L.framework.deduction)} rules={[{ required: true }]}>
              <InputNumber min={0} max={100} step={0.5} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}
