import { Button, Card, Input, NavBar, Selector } from 'antd-mobile';
import { EnvironmentOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import type { TMyRound } from '../../../core/contracts/inspections.js';
import { L, useI18n } from '../../shared/i18n.js';
import type { Fix, VisitTarget } from './inspect-data.js';

/**
 * 随机查看 on the phone: the inspector picks a kind the test allows (the round's addable types,
 * kept offline), names the place and gives its address; the GPS fix locates it. Then the type's
 * checklist opens, as for a drawn point, and the place travels with that visit.
 */
export function InspectAddPlace(props: {
  round: TMyRound;
  fix: Fix | null;
  gpsError: string | null;
  onBack: () => void;
  onNext: (target: VisitTarget) => void;
}) {
  const { t } = useI18n();
  const { fix, round } = props;
  const types = round.addableTypes ?? [];
  const [code, setCode] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string | null>(null);

  const next = () => {
    const type = types.find((x) => x.code === code);
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
      setError(t({ zh: '暂无定位，请填写详细地址', en: 'No GPS fix yet: give the address' }));
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
    <div className="m-flow" data-testid="add-place-form">
      <NavBar className="m-navbar" onBack={props.onBack}>
        {t({ zh: '随机增加点位', en: 'Add a place' })}
      </NavBar>
      <div className="m-pad">
        <Card className="m-card" title={round.name}>
          <p className="m-sub m-top0">
            {t({
              zh: '测评中随机查看的点位：按所选类型的检查表检查，计入本轮得分，并标为“随机增加”。',
              en: 'A place looked at on the spot: checked with its type’s checklist, scored in this round and marked as added.',
            })}
          </p>
          <div className="m-field-label">{t(L.points.pointType)}</div>
          <Selector
            columns={2}
            value={code === null ? [] : [code]}
            onChange={(v) => {
              setCode(v[0] ?? null);
              setError(null);
            }}
            options={types.map((x) => ({
              value: x.code,
              label: <span data-testid={`add-place-type-${x.code}`}>{x.name}</span>,
            }))}
          />
          <div className="m-field-label">{t(L.points.pointName)}</div>
          <Input
            className="m-input"
            maxLength={80}
            value={name}
            onChange={setName}
            placeholder={t({ zh: '如：老王面馆', en: 'e.g. 老王面馆' })}
            data-testid="add-place-name"
          />
          <div className="m-field-label">{t(L.common.detailedAddress)}</div>
          <Input
            className="m-input"
            maxLength={200}
            value={address}
            onChange={setAddress}
            placeholder={t({
              zh: '门牌号，无定位时必填',
              en: 'Street and number (needed without GPS)',
            })}
            data-testid="add-place-address"
          />
          <div className="m-gps" data-testid="add-place-gps">
            <EnvironmentOutline />{' '}
            {fix ? (
              `${fix.lat.toFixed(5)}, ${fix.lng.toFixed(5)} ±${Math.round(fix.accuracy)} m`
            ) : (
              <span className="m-warn">
                {props.gpsError
                  ? t({ zh: '无法获取定位，请填写地址', en: 'No GPS: give the address' })
                  : t({ zh: '正在定位…', en: 'Locating…' })}
              </span>
            )}
          </div>
          {error && (
            <div className="m-item-alert" role="alert" data-testid="add-place-error">
              {error}
            </div>
          )}
        </Card>
        <Button
          block
          color="primary"
          size="large"
          className="m-end"
          onClick={next}
          data-testid="add-place-next"
        >
          {t({ zh: '下一步：逐项检查', en: 'Next: the checklist' })}
        </Button>
      </div>
    </div>
  );
}
