import { Card, Checkbox, Input, Tag, TextArea } from 'antd-mobile';
import { CameraOutline, CloseOutline } from 'antd-mobile-icons';
import {
  describeQuantity,
  proposedResult,
  quantityMet,
} from '../../../core/inspection/quantity.js';
import { isSevereFailure, type TItemResult } from '../../../core/inspection/score.js';
import { L, useI18n } from '../../shared/i18n.js';
import { RESULT_LABELS, type CachedItem } from './inspect-data.js';

/** A photo taken for an item, kept as a Blob until the queue uploads it. */
export interface Photo {
  key: string;
  blob: Blob;
  name: string;
  url: string;
}

/** One item's answer while the form is open. */
export interface ItemDraft {
  result: TItemResult | null;
  note: string;
  count: number | null;
  total: number | null;
  severe: boolean;
  /** Photos of the version corrected, kept (a correction only). */
  kept: string[];
  /** Photos taken now. */
  photos: Photo[];
}

export const MAX_PHOTOS = 6;

export const emptyDraft = (): ItemDraft => ({
  result: null,
  note: '',
  count: null,
  total: null,
  severe: false,
  kept: [],
  photos: [],
});

/**
 * An item asks for a count when it has a count rule or a counting text, or its wording sets a
 * minimum (a round kept offline before counting rules existed has neither).
 */
const counts = (item: CachedItem) =>
  Boolean(item.quantity) || Boolean(item.countRule) || /不少于|至少|≥/.test(item.text);

/** A non-negative whole number typed in, or null. */
const whole = (v: string) => {
  const n = Number.parseInt(v.replace(/\D/g, ''), 10);
  return Number.isFinite(n) ? Math.min(n, 100_000) : null;
};

/**
 * One checklist item on the phone: 合格 / 不合格 / 不适用 as three big buttons, the numbers of a
 * count rule (which propose the result, and leave only 不合格 when short), the severe mark where
 * the item allows it, the note of a failure and photos — a severe failure asks for its photo.
 * Test ids as the desktop's form had them (`check-<i>-…`; `correct-<i>-…` for a correction).
 */
export function InspectItem(props: {
  index: number;
  item: CachedItem;
  answer: ItemDraft;
  set: (patch: Partial<ItemDraft>) => void;
  /** The item the form last found wanting: outlined. */
  flagged?: boolean;
  prefix?: 'check' | 'correct';
}) {
  const { t } = useI18n();
  const { index: i, item, answer: a, set } = props;
  const id = (s: string) => `${props.prefix ?? 'check'}-${i}-${s}`;
  const rule = item.quantity ?? null;
  const met = rule ? quantityMet(rule, a.count, a.total) : null;
  const photoCount = a.kept.length + a.photos.length;
  const severe = isSevereFailure(item, { index: i, result: a.result ?? 'na', severe: a.severe });
  // The numbers propose the result; a count short of the rule leaves only 不合格 (or 不适用).
  const setNumbers = (patch: { count?: number | null; total?: number | null }) => {
    const next = { count: a.count, total: a.total, ...patch };
    const proposed = rule ? proposedResult(rule, next.count, next.total) : null;
    set({ ...patch, ...(proposed && a.result !== 'na' ? { result: proposed } : {}) });
  };
  const classes = ['m-card', 'm-item'];
  if (a.result === 'fail') classes.push('m-item-fail');
  if (props.flagged) classes.push('m-item-flagged');
  return (
    <Card className={classes.join(' ')} data-testid={`${props.prefix ?? 'check'}-item-${i}`}>
      <div className="m-item-text">
        {i + 1}. {item.text}
        {item.serious && (
          <Tag color="danger" fill="outline" className="m-item-tag">
            {t(L.points.seriousItem)}
          </Tag>
        )}
      </div>
      {item.guidance && (
        <div className="m-item-hint" data-testid={id('guidance')}>
          {t({ zh: '口径：', en: 'How to judge: ' })}
          {item.guidance}
        </div>
      )}
      {item.countRule && (
        <div className="m-item-hint m-item-rule" data-testid={id('count-rule')}>
          {t({ zh: '计数规则：', en: 'Counting rule: ' })}
          {item.countRule}
        </div>
      )}
      {(counts(item) || (props.prefix === 'correct' && a.count !== null)) && (
        <div className="m-item-numbers" data-testid={id('numbers')}>
          <label className="m-number">
            <span>
              {rule?.kind === 'ratio' ? rule.counted : t({ zh: '实际计数', en: 'Counted' })}
            </span>
            <Input
              type="text"
              inputMode="numeric"
              value={a.count === null ? '' : String(a.count)}
              onChange={(v) => setNumbers({ count: whole(v) })}
              aria-label={t({ zh: '实际计数', en: 'Counted' })}
              data-testid={id('count')}
            />
            {rule?.kind === 'count' && <span>{rule.unit}</span>}
          </label>
          {rule?.kind === 'ratio' && (
            <label className="m-number">
              <span>{rule.of}</span>
              <Input
                type="text"
                inputMode="numeric"
                value={a.total === null ? '' : String(a.total)}
                onChange={(v) => setNumbers({ total: whole(v) })}
                aria-label={rule.of}
                data-testid={id('total')}
              />
            </label>
          )}
          {rule && (
            <Tag
              color={met === null ? 'default' : met ? 'success' : 'danger'}
              fill="outline"
              data-testid={id('quantity')}
            >
              {t({ zh: '要求', en: 'Needs ' })}
              {t(describeQuantity(rule))}
              {met === false && t({ zh: '，未达到', en: ': not met' })}
            </Tag>
          )}
        </div>
      )}
      <div className="m-verdict" role="group" aria-label={t({ zh: '检查结果', en: 'Result' })}>
        {(['pass', 'fail', 'na'] as const).map((r) => (
          <button
            key={r}
            type="button"
            className={`m-verdict-btn m-verdict-${r}${a.result === r ? ' m-verdict-on' : ''}`}
            aria-pressed={a.result === r}
            disabled={r === 'pass' && met === false}
            onClick={() => set({ result: r })}
            data-testid={id(r)}
          >
            {t(RESULT_LABELS[r])}
          </button>
        ))}
      </div>
      {a.result === 'fail' && item.severeCapable && (
        <Checkbox
          className="m-item-severe"
          checked={a.severe}
          onChange={(v) => set({ severe: v })}
          data-testid={id('severe')}
        >
          {t(L.points.serious)}
        </Checkbox>
      )}
      {severe && photoCount === 0 && (
        <div className="m-item-alert" role="alert" data-testid={id('photo-needed')}>
          {t({
            zh: '严重不合格须拍照留证，请先拍照',
            en: 'A severe failure needs a photo: take one first',
          })}
        </div>
      )}
      {a.result === 'fail' && (
        <TextArea
          className="m-note"
          rows={2}
          maxLength={500}
          value={a.note}
          onChange={(v) => set({ note: v })}
          placeholder={t({ zh: '问题描述（位置、情况）', en: 'What and where' })}
          data-testid={id('note')}
        />
      )}
      <div className="m-thumbs">
        {a.kept.length > 0 && (
          <span className="m-muted" data-testid={id('kept')}>
            {t({ zh: `保留原照片 ${a.kept.length} 张`, en: `${a.kept.length} photo(s) kept` })}
          </span>
        )}
        {a.photos.map((p) => (
          <div key={p.key} className="m-thumb">
            <img src={p.url} alt="" />
            <button
              type="button"
              className="m-thumb-del"
              aria-label={t(L.common.deletePhoto)}
              onClick={() => {
                URL.revokeObjectURL(p.url);
                set({ photos: a.photos.filter((x) => x.key !== p.key) });
              }}
            >
              <CloseOutline />
            </button>
          </div>
        ))}
        {photoCount < MAX_PHOTOS && (
          <label className={`m-thumb-add${severe && photoCount === 0 ? ' m-thumb-need' : ''}`}>
            <CameraOutline fontSize={22} />
            <span>{t(L.common.takePhoto)}</span>
            <input
              type="file"
              accept="image/*"
              capture="environment"
              hidden
              data-testid={id('photo')}
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (!f) return;
                set({
                  photos: [
                    ...a.photos,
                    {
                      key: crypto.randomUUID(),
                      blob: f,
                      name: f.name || 'photo.jpg',
                      url: URL.createObjectURL(f),
                    },
                  ],
                });
              }}
            />
          </label>
        )}
      </div>
    </Card>
  );
}
