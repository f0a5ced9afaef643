import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Input,
  InputNumber,
  Radio,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { TChecklistItemView } from '../../../core/contracts/inspections.js';
import {
  describeQuantity,
  proposedResult,
  quantityMet,
} from '../../../core/inspection/quantity.js';
import { isSevereFailure, type TItemResult } from '../../../core/inspection/score.js';
import { useI18n, type L } from '../../shared/i18n.js';

const RESULT_LABELS: Record<TItemResult, L> = {
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
  na: { zh: '不适用', en: 'N/A' },
};
/** Pass green, fail red, n/a grey: not the theme's red for every choice. */
const RESULT_COLOURS: Record<TItemResult, string> = {
  pass: '#389e0d',
  fail: '#cf1322',
  na: '#8c8c8c',
};

export interface Photo {
  key: string;
  blob: Blob;
  name: string;
  url: string;
}

export interface Answer {
  result: TItemResult | null;
  note: string;
  count: number | null;
  total: number | null;
  severe: boolean;
  photos: Photo[];
}

/** A checklist item as cached on the phone: a round kept offline before a field existed lacks it. */
export type CachedItem = Partial<TChecklistItemView> & { text: string };

/**
 * An item asks for a count when it has a count rule or a counting text, or its wording sets a
 * minimum (a round cached offline before counting rules existed has neither).
 */
const counts = (item: CachedItem) =>
  Boolean(item.quantity) || Boolean(item.countRule) || /不少于|至少|≥/.test(item.text);

/**
 * One checklist item on the phone: 合格 / 不合格 / 不适用, the numbers of a count rule (which propose
 * the result, and leave only 不合格 when short), the severe mark where the item allows it, a note
 * and photos — a severe failure asks for its photo.
 */
export function ItemCard(props: {
  index: number;
  item: CachedItem;
  answer: Answer;
  set: (patch: Partial<Answer>) => void;
}) {
  const { t } = useI18n();
  const { index: i, item, answer: a, set } = props;
  const rule = item.quantity ?? null;
  const met = rule ? quantityMet(rule, a.count, a.total) : null;
  const severe = isSevereFailure(item, { index: i, result: a.result ?? 'na', severe: a.severe });
  // The numbers propose the result; a count short of the rule leaves only 不合格 (or 不适用).
  const setNumbers = (patch: { count?: number | null; total?: number | null }) => {
    const next = { count: a.count, total: a.total, ...patch };
    const proposed = rule ? proposedResult(rule, next.count, next.total) : null;
    set({ ...patch, ...(proposed && a.result !== 'na' ? { result: proposed } : {}) });
  };
  return (
    <Card
      size="small"
      style={{ marginBottom: 8, borderColor: a.result === 'fail' ? '#ff7875' : undefined }}
      data-testid={`check-item-${i}`}
    >
      <Typography.Text strong>
        {i + 1}. {item.text}
      </Typography.Text>
      {item.serious && (
        <Tag color="red" style={{ marginLeft: 6 }}>
          {t({ zh: '严重项', en: 'Serious' })}
        </Tag>
      )}
      {item.guidance && (
        <Typography.Paragraph
          type="secondary"
          style={{ margin: '2px 0 0', fontSize: 12 }}
          data-testid={`check-${i}-guidance`}
        >
          {t({ zh: '口径：', en: 'How to judge: ' })}
          {item.guidance}
        </Typography.Paragraph>
      )}
      {item.countRule && (
        <Typography.Paragraph
          style={{ margin: '2px 0 0', fontSize: 12, color: '#722ed1' }}
          data-testid={`check-${i}-count-rule`}
        >
          {t({ zh: '计数规则：', en: 'Counting rule: ' })}
          {item.countRule}
        </Typography.Paragraph>
      )}
      {counts(item) && (
        <Space wrap style={{ marginTop: 8 }} data-testid={`check-${i}-numbers`}>
          <InputNumber
            min={0}
            max={100000}
            precision={0}
            inputMode="numeric"
            value={a.count}
            onChange={(v) => setNumbers({ count: v })}
            prefix={rule?.kind === 'ratio' ? rule.counted : t({ zh: '实际计数', en: 'Counted' })}
            suffix={rule?.kind === 'count' ? rule.unit : undefined}
            style={{ width: 170 }}
            data-testid={`check-${i}-count`}
          />
          {rule?.kind === 'ratio' && (
            <InputNumber
              min={0}
              max={100000}
              precision={0}
              inputMode="numeric"
              value={a.total}
              onChange={(v) => setNumbers({ total: v })}
              prefix={rule.of}
              style={{ width: 150 }}
              data-testid={`check-${i}-total`}
            />
          )}
          {rule && (
            <Tag
              color={met === null ? 'default' : met ? 'green' : 'red'}
              data-testid={`check-${i}-quantity`}
            >
              {t({ zh: '要求', en: 'Needs ' })}
              {t(describeQuantity(rule))}
              {met === false && t({ zh: '，未达到', en: ': not met' })}
            </Tag>
          )}
        </Space>
      )}
      <Radio.Group
        optionType="button"
        buttonStyle="solid"
        value={a.result}
        onChange={(e) => set({ result: e.target.value as TItemResult })}
        style={{ display: 'flex', marginTop: 8 }}
        options={(['pass', 'fail', 'na'] as const).map((r) => ({
          value: r,
          disabled: r === 'pass' && met === false,
          label: (
            <span data-testid={`check-${i}-${r}`} style={{ display: 'block' }}>
              {t(RESULT_LABELS[r])}
            </span>
          ),
          style: {
            flex: 1,
            textAlign: 'center',
            height: 40,
            lineHeight: '38px',
            ...(a.result === r
              ? { background: RESULT_COLOURS[r], borderColor: RESULT_COLOURS[r], color: '#fff' }
              : {}),
          },
        }))}
      />
      {a.result === 'fail' && item.severeCapable && (
        <Checkbox
          checked={a.severe}
          onChange={(e) => set({ severe: e.target.checked })}
          style={{ marginTop: 8 }}
          data-testid={`check-${i}-severe`}
        >
          {t({ zh: '严重不合格', en: 'Severe failure (严重不合格)' })}
        </Checkbox>
      )}
      {severe && a.photos.length === 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          title={t({
            zh: '严重不合格须拍照留证，请先拍照',
            en: 'A severe failure needs a photo: take one first',
          })}
          data-testid={`check-${i}-photo-needed`}
        />
      )}
      {a.result === 'fail' && (
        <Input.TextArea
          rows={2}
          maxLength={500}
          value={a.note}
          onChange={(e) => set({ note: e.target.value })}
          placeholder={t({ zh: '问题描述（位置、情况）', en: 'What and where' })}
          style={{ marginTop: 8 }}
          data-testid={`check-${i}-note`}
        />
      )}
      <Space wrap style={{ marginTop: 8 }}>
        {a.photos.map((p) => (
          <div key={p.key} style={{ position: 'relative' }}>
            <img
              src={p.url}
              alt=""
              style={{ width: 64, height: 64, objectFit: 'cover', borderRadius: 4 }}
            />
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t({ zh: '删除照片', en: 'Remove photo' })}
              style={{ position: 'absolute', top: 0, right: 0, background: '#fffc' }}
              onClick={() => set({ photos: a.photos.filter((x) => x.key !== p.key) })}
            />
          </div>
        ))}
        {a.photos.length < 6 && (
          <label
            style={{
              display: 'inline-flex',
              alignItems: 'center',
              gap: 4,
              padding: '8px 12px',
              border: `1px dashed ${severe && a.photos.length === 0 ? '#cf1322' : '#bbb'}`,
              borderRadius: 6,
              cursor: 'pointer',
            }}
          >
            <CameraOutlined />
            {t({ zh: '拍照', en: 'Photo' })}
            <input
              type="file"
              accept="image/*"
              capture="environment"
              style={{ display: 'none' }}
              data-testid={`check-${i}-photo`}
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (!f) return;
                const key = crypto.randomUUID();
                set({
                  photos: [
                    ...a.photos,
                    { key, blob: f, name: f.name, url: URL.createObjectURL(f) },
                  ],
                });
              }}
            />
          </label>
        )}
      </Space>
    </Card>
  );
}
