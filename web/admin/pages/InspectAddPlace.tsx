import { EnvironmentOutlined, LeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import type { TAddableType, TMyRound } from '../../../core/contracts/inspections.js';
import { useI18n } from '../../shared/i18n.js';
import type { Fix, VisitTarget } from './InspectVisitForm.js';

/**
 * 随机查看 on the phone: the inspector picks a kind the test allows (街巷, 公厕, 小餐馆, 娱乐场所,
 * 网吧, 营业厅 — the round's addable types, kept offline), names the place and gives its address;
 * the GPS fix locates it. Then the type's checklist opens, as for a drawn point.
 */
export function AddPlaceForm(props: {
  round: TMyRound;
  types: TAddableType[];
  fix: Fix | null;
  gpsError: string | null;
  onCancel: () => void;
  onNext: (target: VisitTarget) => void;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { fix } = props;

  const next = () => {
    const type = props.types.find((x) => x.code === code);
    if (!type) {
      setError(t({ zh: '请选择点位类型', en: 'Choose the kind of place' }));
      return;
    }
    if (name.trim().length < 2) {
      setError(
        t({ zh: '请填写点位名称（至少 2 个字）', en: 'Name the place (2 characters or more)' }),
      );
      return;
    }
    if (!fix && !address.trim()) {
      setError(
        t({
          zh: '暂无定位，请填写详细地址',
          en: 'No GPS fix yet: give the address',
        }),
      );
      return;
    }
    props.onNext({
      kind: 'added',
      place: { type: type.code, name: name.trim(), address: address.trim() || null },
      typeName: type.name,
      route: type.route,
      checklist: type.checklist,
    });
  };

  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }} data-testid="add-place-form">
      <Button type="link" icon={<LeftOutlined />} onClick={props.onCancel} style={{ padding: 0 }}>
        {t({ zh: '返回点位列表', en: 'Back to points' })}
      </Button>
      <Card
        size="small"
        title={t({
          zh: `随机增加点位 · ${props.round.name}`,
          en: `Add a place · ${props.round.name}`,
        })}
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t({
            zh: '测评中随机查看的点位：按所选类型的检查表检查，计入本轮得分，并标为“随机增加”。',
            en: 'A place looked at on the spot: checked with its type’s checklist, scored in this round and marked as added.',
          })}
        </Typography.Paragraph>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 8 }}
            data-testid="add-place-error"
          />
        )}
        <Typography.Text strong>{t({ zh: '点位类型', en: 'Kind of place' })}</Typography.Text>
        <Radio.Group
          value={code}
          onChange={(e) => setCode(e.target.value as string)}
          style={{ display: 'flex', flexWrap: 'wrap', gap: 8, margin: '8px 0 12px' }}
        >
          {props.types.map((x) => (
            <Radio.Button
              key={x.code}
              value={x.code}
              style={{ minWidth: 96, height: 44, lineHeight: '42px', textAlign: 'center' }}
              data-testid={`add-place-type-${x.code}`}
            >
              {x.name}
            </Radio.Button>
          ))}
        </Radio.Group>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input
            size="large"
            maxLength={80}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={t({ zh: '点位名称，如：老王面馆', en: 'Name, e.g. 老王面馆' })}
            data-testid="add-place-name"
          />
          <Input
            size="large"
            maxLength={200}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder={t({ zh: '详细地址（门牌号）', en: 'Address' })}
            data-testid="add-place-address"
          />
          <Typography.Text type={fix ? 'secondary' : 'warning'} data-testid="add-place-gps">
            <EnvironmentOutlined />{' '}
            {fix
              ? `${fix.lat.toFixed(5)}, ${fix.lng.toFixed(5)} ±${Math.round(fix.accuracy)} m`
              : props.gpsError
                ? t({ zh: '无法获取定位，请填写地址', en: 'No GPS: give the address' })
                : t({ zh: '正在定位…', en: 'Locating…' })}
          </Typography.Text>
        </Space>
        <Button
          type="primary"
          size="large"
          block
          onClick={next}
          style={{ marginTop: 12, height: 48 }}
          data-testid="add-place-next"
        >
          {t({ zh: '下一步：逐项检查', en: 'Next: the checklist' })}
        </Button>
      </Card>
    </div>
  );
}
