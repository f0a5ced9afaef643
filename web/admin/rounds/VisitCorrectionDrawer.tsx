import {
  Alert,
  App,
  Button,
  Checkbox,
  Drawer,
  Input,
  InputNumber,
  Radio,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import type { TChecklistItemView, TVisit } from '../../../core/contracts/inspections.js';
import { visitAnswersProblem } from '../../../core/inspection/answer-check.js';
import { describeCounted, describeQuantity } from '../../../core/inspection/quantity.js';
import { isSevereFailure, type TItemResult } from '../../../core/inspection/score.js';
import { answerChanges } from '../../../core/inspection/visit-diff.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { PhotoInput } from '../../shared/photos.js';

const RESULT_LABELS = {
  pass: L.points.pass,
  fail: L.points.fail,
  na: L.points.na,
} as const;
const VISIT_RESULT = {
  pass: { label: L.points.pass, color: 'green' },
  fail: { label: L.points.fail, color: 'orange' },
  serious: { label: L.points.serious, color: 'red' },
} as const;

interface Draft {
  result: TItemResult | null;
  note: string;
  count: number | null;
  total: number | null;
  severe: boolean;
  /** Photos of the version corrected, kept. */
  photoIds: string[];
  /** Photos uploaded with the correction. */
  added: string[];
}

type Item = Pick<TChecklistItemView, 'text' | 'serious' | 'severeCapable' | 'quantity'>;

/**
 * 更正: a submitted visit with its history (every version, its reason and what it changed) and a
 * form that appends a new version — answers start from the latest version, a reason is required.
 * Items appended to the checklist since the visit must be answered too.
 */
export function VisitCorrectionDrawer(props: {
  visitId: number | null;
  onClose: () => void;
  onSaved?: (v: TVisit) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [data, setData] = useState<{ visit: TVisit; versions: TVisit[] } | null>(null);
  const [checklist, setChecklist] = useState<Item[]>([]);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    setData(null);
    setError(null);
    setReason('');
    if (props.visitId === null) return;
    // An answer for a visit no longer open (another was opened meanwhile) is dropped.
    let live = true;
    const id = props.visitId;
    void (async () => {
      const d = await apiCall('GET /api/visits/:id', { params: { id } });
      const latest = d.versions[d.versions.length - 1] ?? d.visit;
      const types = (await apiCall('GET /api/point-types')).items;
      if (!live) return;
      const type = types.find((x) => x.code === latest.pointType);
      const items: Item[] = type ? type.checklist : latest.items;
      setChecklist(items);
      setDrafts(
        items.map((_, index) => {
          const a = latest.items.find((x) => x.index === index);
          return {
            result: a?.result ?? null,
            note: a?.note ?? '',
            count: a?.count ?? null,
            total: a?.total ?? null,
            severe: a?.severe ?? false,
            photoIds: a?.photoIds ?? [],
            added: [],
          };
        }),
      );
      setData({ visit: latest, versions: d.versions });
    })().catch((err: unknown) => live && setError(errorText(err, lang)));
    return () => {
      live = false;
    };
  }, [props.visitId, lang, reload]);

  const set = (i: number, patch: Partial<Draft>) =>
    setDrafts((a) => a.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const submit = async () => {
    if (!data) return;
    const missing = drafts.findIndex((d) => d.result === null);
    if (missing >= 0) {
      setError(t({ zh: `第 ${missing + 1} 项尚未填写`, en: `Item ${missing + 1} has no answer` }));
      return;
    }
    if (reason.trim().length < 2) {
      setError(t(L.common.giveCorrectionReason));
      return;
    }
    const items = drafts.map((d, index) => ({
      index,
      result: d.result!,
      note: d.note.trim() || null,
      count: d.count,
      ...(d.total !== null ? { total: d.total } : {}),
      ...(d.severe && d.result === 'fail' ? { severe: true } : {}),
      photoIds: [...d.photoIds, ...d.added].slice(0, 6),
    }));
    const wrong = visitAnswersProblem(checklist, items);
    if (wrong) {
      setError(t(wrong));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const v = await apiCall('POST /api/visits/:id/corrections', {
        params: { id: data.visit.id },
        body: { clientId: crypto.randomUUID(), reason: reason.trim(), items },
      });
      message.success(t({ zh: `已更正为第 ${v.version} 版`, en: `Saved as version ${v.version}` }));
      props.onSaved?.(v);
      setReload((n) => n + 1);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const v = data?.visit;
  return (
    <Drawer
      open={props.visitId !== null}
      onClose={props.onClose}
      width={640}
      title={v ? `${v.pointName} · ${v.roundName}` : t(L.points.visitRecord)}
      data-testid="visit-correction"
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {data && v && (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t({ zh: '版本历史', en: 'History' })}
          </Typography.Title>
          <Timeline
            data-testid="visit-history"
            items={data.versions.map((x, k) => {
              const prev = k > 0 ? data.versions[k - 1] : undefined;
              const changes = prev ? answerChanges(prev.items, x.items) : [];
              return {
                color: VISIT_RESULT[x.result].color,
                children: (
                  <div data-testid={`visit-version-${x.version}`}>
                    <Space size={4} wrap>
                      <Tag>v{x.version}</Tag>
                      <Tag color={VISIT_RESULT[x.result].color}>
                        {t(VISIT_RESULT[x.result].label)}{' '}
                        {x.score === null ? '' : `${Math.round(x.score * 100)}%`}
                      </Tag>
                      <Typography.Text type="secondary">
                        {formatTime(x.createdAt)} · {t(L.points.inspector)} {x.inspectorName}
                      </Typography.Text>
                    </Space>
                    {x.reason && (
                      <div>
                        {t({ zh: '更正原因：', en: 'Reason: ' })}
                        {x.reason}
                      </div>
                    )}
                    {x.items
                      .filter((i) => i.quantity && i.count != null)
                      .map((i) => (
                        <div key={`n${i.index}`} style={{ fontSize: 12 }}>
                          {t({
                            zh: `第 ${i.index + 1} 项计数：`,
                            en: `Item ${i.index + 1} counted: `,
                          })}
                          {describeCounted(i.quantity!, i.count, i.total)}
                        </div>
                      ))}
                    {changes.map((c) => (
                      <div key={c.index} style={{ fontSize: 12 }}>
                        {t({ zh: `第 ${c.index + 1} 项`, en: `Item ${c.index + 1}` })}：
                        {c.from ? t(RESULT_LABELS[c.from]) : t({ zh: '（新增）', en: '(new)' })}
                        {' → '}
                        {t(RESULT_LABELS[c.to])}
                        {c.noteChanged && t({ zh: '（说明已改）', en: ' (note changed)' })}
                        {c.countChanged && t({ zh: '（计数已改）', en: ' (count changed)' })}
                      </div>
                    ))}
                  </div>
                ),
              };
            })}
          />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t({ zh: '提交更正（追加新版本）', en: 'Correct (appends a new version)' })}
          </Typography.Title>
          {checklist.map((item, i) => {
            const d = drafts[i]!;
            const rule = item.quantity;
            const severe = isSevereFailure(item, {
              index: i,
              result: d.result ?? 'na',
              severe: d.severe,
            });
            return (
              <div key={i} data-testid={`correct-item-${i}`}>
                <Typography.Text>
                  {i + 1}. {item.text}
                </Typography.Text>
                {item.serious && (
                  <Tag color="red" style={{ marginLeft: 6 }}>
                    {t(L.points.seriousItem)}
                  </Tag>
                )}
                {rule && <Tag color="purple">{t(describeQuantity(rule))}</Tag>}
                <div style={{ marginTop: 4 }}>
                  <Radio.Group
                    size="small"
                    optionType="button"
                    buttonStyle="solid"
                    value={d.result}
                    onChange={(e) => set(i, { result: e.target.value as TItemResult })}
                    options={(['pass', 'fail', 'na'] as const).map((r) => ({
                      value: r,
                      label: <span data-testid={`correct-${i}-${r}`}>{t(RESULT_LABELS[r])}</span>,
                    }))}
                  />
                  {(d.count !== null || rule) && (
                    <InputNumber
                      size="small"
                      min={0}
                      precision={0}
                      value={d.count}
                      onChange={(c) => set(i, { count: c })}
                      prefix={rule?.kind === 'ratio' ? rule.counted : undefined}
                      suffix={rule?.kind === 'count' ? rule.unit : undefined}
                      style={{ marginLeft: 8, width: 110 }}
                      data-testid={`correct-${i}-count`}
                    />
                  )}
                  {rule?.kind === 'ratio' && (
                    <InputNumber
                      size="small"
                      min={0}
                      precision={0}
                      value={d.total}
                      onChange={(c) => set(i, { total: c })}
                      prefix={rule.of}
                      style={{ marginLeft: 8, width: 110 }}
                      data-testid={`correct-${i}-total`}
                    />
                  )}
                  {d.result === 'fail' && item.severeCapable && (
                    <Checkbox
                      checked={d.severe}
                      onChange={(e) => set(i, { severe: e.target.checked })}
                      style={{ marginLeft: 8 }}
                      data-testid={`correct-${i}-severe`}
                    >
                      {t(L.points.serious)}
                    </Checkbox>
                  )}
                </div>
                {d.result === 'fail' && (
                  <Input
                    size="small"
                    maxLength={500}
                    value={d.note}
                    onChange={(e) => set(i, { note: e.target.value })}
                    placeholder={t(L.problems.description)}
                    style={{ marginTop: 4 }}
                  />
                )}
                {d.result === 'fail' && (
                  <div style={{ marginTop: 4 }}>
                    {d.photoIds.length > 0 && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t({
                          zh: `保留原照片 ${d.photoIds.length} 张`,
                          en: `${d.photoIds.length} photo(s) kept`,
                        })}
                      </Typography.Text>
                    )}
                    {severe && d.photoIds.length + d.added.length === 0 && (
                      <Typography.Text type="danger" style={{ fontSize: 12, display: 'block' }}>
                        {t({
                          zh: '严重不合格须附现场照片',
                          en: 'A severe failure needs a photo',
                        })}
                      </Typography.Text>
                    )}
                    <PhotoInput
                      max={Math.max(0, 6 - d.photoIds.length)}
                      onChange={(ids) => set(i, { added: ids })}
                      testId={`correct-${i}-photo`}
                    />
                  </div>
                )}
              </div>
            );
          })}
          <Input.TextArea
            rows={2}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t(L.common.correctionReasonRequired)}
            data-testid="correct-reason"
          />
          <Button
            type="primary"
            loading={busy}
            onClick={() => void submit()}
            data-testid="correct-submit"
          >
            {t(L.common.submitCorrection)}
          </Button>
        </Space>
      )}
    </Drawer>
  );
}
