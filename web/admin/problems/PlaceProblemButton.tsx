import { App, Button, Form, Input, InputNumber, Modal, Space } from 'antd';
import { useState } from 'react';
import type { TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { RegionPicker } from '../../shared/pickers.js';

interface Values {
  regionId?: number | null;
  lat?: number | null;
  lng?: number | null;
  address?: string;
}

/**
 * 确定区域: a problem without a region (未定位) is placed by the office — by its position (the
 * grid and region are found as at intake) or by choosing the region. Shown only for such problems.
 */
export function PlaceProblemButton(props: {
  problem: TProblem;
  onDone: (d: TProblemDetail) => void;
}) {
  const { problem } = props;
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Values>();
  if (problem.regionId !== null) return null;

  async function save() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const d = await apiCall('POST /api/problems/:id/place', {
        params: { id: problem.id },
        body: {
          version: problem.version,
          regionId: v.regionId ?? null,
          lat: v.lat ?? null,
          lng: v.lng ?? null,
          address: v.address?.trim() || null,
        },
      });
      message.success(t({ zh: '已确定区域', en: 'Placed' }));
      setOpen(false);
      props.onDone(d);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button
        onClick={() => {
          form.resetFields();
          form.setFieldsValue({
            lat: problem.lat,
            lng: problem.lng,
            address: problem.address ?? '',
          });
          setOpen(true);
        }}
        data-testid="action-place"
      >
        {t(L.problems.place)}
      </Button>
      <Modal
        open={open}
        title={t({ zh: '确定问题所属区域', en: 'Place the problem' })}
        okText={t({ zh: '确定', en: 'Place' })}
        confirmLoading={busy}
        onOk={() => void save()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="regionId"
            label={t({ zh: '所属区域', en: 'Region' })}
            extra={t({
              zh: '填写了位置时可不选，按网格和区划边界确定',
              en: 'May be left empty with a position: the grids and boundaries decide',
            })}
          >
            <RegionPicker />
          </Form.Item>
          <Space>
            <Form.Item name="lat" label={t(L.common.latitude)}>
              <InputNumber min={-90} max={90} step={0.0001} />
            </Form.Item>
            <Form.Item name="lng" label={t(L.common.longitude)}>
              <InputNumber min={-180} max={180} step={0.0001} />
            </Form.Item>
          </Space>
          <Form.Item name="address" label={t(L.common.detailedAddress)}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
