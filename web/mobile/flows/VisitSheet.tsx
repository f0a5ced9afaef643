import { Button, Input, Selector, Switch, TextArea } from 'antd-mobile';
import { useState } from 'react';
import type { TOutreachPairing } from '../../../core/contracts/outreach.js';
import { PUBLICITY_ITEMS } from '../../../core/outreach/publicity.js';
import type { ApiBody } from '../../shared/api.js';
import { useI18n, L } from '../../shared/i18n.js';
import { offlineQueue, submitOrQueue } from '../../shared/offline-queue.js';
import { positionNow } from '../../shared/patrol-walk.js';
import { useCategories } from '../../shared/use-categories.js';
import { CategoryPicker } from './CategoryPicker.js';
import { FieldError, FormError, Sheet } from './flow-bits.js';

/** What a visit sends (core/contracts/outreach.ts, ZVisitInputSchema). */
type VisitBody = ApiBody<'POST /api/outreach/visits'>;

type Errors = Partial<
  Record<'pairing' | 'building' | 'household' | 'concern' | 'category', string>
>;

/**
 * Logging one household visit: which pairing (its community, and its building when it is one),
 * the flat, what was publicised, and what the resident raised — which may be filed as a problem of
 * a chosen kind. Sent through the offline queue with a client id and where the phone is.
 */
export function VisitSheet(props: {
  open: boolean;
  pairings: TOutreachPairing[];
  pairingId: number | null;
  onClose: () => void;
  onDone: (outcome: 'sent' | 'queued') => void;
}) {
  const { t } = useI18n();
  const categories = useCategories();
  // A fresh form each time the sheet opens (the flow mounts it anew: its key), on the pairing tapped.
  const [pairingId, setPairingId] = useState<number | null>(
    () => props.pairings.find((x) => x.id === props.pairingId)?.id ?? null,
  );
  const [building, setBuilding] = useState(
    () => props.pairings.find((x) => x.id === props.pairingId)?.building ?? '',
  );
  const [household, setHousehold] = useState('');
  const [publicity, setPublicity] = useState<string[]>(['核心价值观', '创城知识']);
  const [concern, setConcern] = useState('');
  const [file, setFile] = useState(false);
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [errors, setErrors] = useState<Errors>({});
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const pairing = props.pairings.find((x) => x.id === pairingId);

  const check = (): Errors => {
    const e: Errors = {};
    if (!pairing) e.pairing = t({ zh: '请选择走访的包联社区', en: 'Choose the pairing' });
    if (!building.trim()) e.building = t({ zh: '请填写楼栋', en: 'Give the building' });
    if (!household.trim())
      e.household = t({ zh: '请填写门牌，如 2单元301', en: 'Give the flat, e.g. 2单元301' });
    if (file && !concern.trim())
      e.concern = t({
        zh: '转为问题时请填写群众反映的内容',
        en: "Give the resident's concern to file it as a problem",
      });
    if (file && categoryId === undefined)
      e.category = t({ zh: '请选择问题类别', en: 'Choose the kind of problem' });
    return e;
  };

  const send = async () => {
    const e = check();
    setErrors(e);
    setRefusal(null);
    if (Object.keys(e).length || !pairing) return;
    setBusy(true);
    try {
      const here = await positionNow();
      const clientId = crypto.randomUUID();
      const body: VisitBody = {
        clientId,
        regionId: pairing.regionId,
        building: building.trim(),
        household: household.trim(),
        visitedAt: new Date().toISOString(),
        publicity,
        concern: concern.trim() || null,
        ...(file && categoryId !== undefined ? { concernCategoryId: categoryId } : {}),
        ...(here ? { lat: here.lat, lng: here.lng } : {}),
      };
      props.onDone(
        await submitOrQueue(offlineQueue(), {
          clientId,
          label: t({
            zh: `入户走访：${pairing.regionName}${body.building}${body.household}`,
            en: `Visit: ${pairing.regionName} ${body.building} ${body.household}`,
          }),
          endpoint: 'POST /api/outreach/visits',
          body,
        }),
      );
    } catch (err) {
      setRefusal(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Sheet
      open={props.open}
      title={t(L.surveys.logVisit)}
      onClose={props.onClose}
      testId="m-visit-sheet"
      foot={
        <>
          <FormError error={refusal} />
          <Button
            block
            color="primary"
            size="large"
            loading={busy}
            onClick={() => void send()}
            data-testid="m-visit-send"
          >
            {t({ zh: '保存走访记录', en: 'Save the visit' })}
          </Button>
        </>
      }
    >
      <div className="m-field-label">{t({ zh: '包联社区', en: 'Pairing' })}</div>
      <Selector
        columns={1}
        value={pairingId === null ? [] : [pairingId]}
        onChange={(v) => {
          const p = props.pairings.find((x) => x.id === v[0]);
          setPairingId(p?.id ?? null);
          if (p?.building) setBuilding(p.building);
        }}
        options={props.pairings.map((p) => ({
          value: p.id,
          label: `${p.regionName}${p.building ? ` ${p.building}` : ''}`,
          description: t({
            zh: `已走访 ${p.visitedHouseholds}/${p.targetHouseholds} 户`,
            en: `${p.visitedHouseholds}/${p.targetHouseholds} visited`,
          }),
        }))}
        data-testid="m-visit-pairing"
      />
      <FieldError error={errors.pairing} testId="m-error-pairing" />
      <div className="m-field-row">
        <div>
          <div className="m-field-label">{t(L.grids.building)}</div>
          <Input
            className="m-input"
            placeholder="3幢"
            value={building}
            onChange={setBuilding}
            maxLength={40}
            data-testid="m-visit-building"
          />
          <FieldError error={errors.building} testId="m-error-building" />
        </div>
        <div>
          <div className="m-field-label">{t(L.grids.flat)}</div>
          <Input
            className="m-input"
            placeholder="2单元301"
            value={household}
            onChange={setHousehold}
            maxLength={40}
            data-testid="m-visit-household"
          />
          <FieldError error={errors.household} testId="m-error-household" />
        </div>
      </div>
      <div className="m-field-label">{t(L.surveys.publicity)}</div>
      <Selector
        columns={3}
        multiple
        value={publicity}
        onChange={setPublicity}
        options={PUBLICITY_ITEMS.map((p) => ({ value: p, label: p }))}
        data-testid="m-visit-publicity"
      />
      <div className="m-field-label">
        {t({ zh: '群众反映（选填）', en: "Resident's concern (optional)" })}
      </div>
      <TextArea
        className="m-note"
        placeholder={t({ zh: '如：楼道灯不亮', en: 'e.g. the stairwell light is out' })}
        value={concern}
        onChange={setConcern}
        rows={2}
        maxLength={500}
        data-testid="m-visit-concern"
      />
      <FieldError error={errors.concern} testId="m-error-concern" />
      <div className="m-switch-row">
        <span>{t({ zh: '转为问题上报', en: 'File it as a problem' })}</span>
        <Switch checked={file} onChange={setFile} data-testid="m-visit-file" />
      </div>
      {file && (
        <>
          <CategoryPicker categories={categories} value={categoryId} onChange={setCategoryId} />
          <FieldError error={errors.category} testId="m-error-category" />
        </>
      )}
    </Sheet>
  );
}
