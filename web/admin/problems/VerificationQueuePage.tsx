import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Grid,
  Image,
  Input,
  Modal,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { TProblemPhoto, TVerificationItem } from '../../../core/contracts/problems.js';
import { ApiError, apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { RegionPicker, UnitPicker } from '../../shared/pickers.js';
import { EscalationTag } from '../../shared/problem-tags.js';
import { QUEUE_CHANGED } from '../use-verification-count.js';

const THUMB = 72;

/** A row of tappable thumbnails (tap to enlarge); the caption says what they show. */
function Photos(props: { title: string; photos: TProblemPhoto[]; testId: string }) {
  const { t } = useI18n();
  return (
    <div style={{ minWidth: 0 }} data-testid={props.testId}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {props.title}
      </Typography.Text>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4, marginTop: 4 }}>
        {props.photos.length ? (
          props.photos.map((p) => (
            <Image
              key={p.id}
              src={p.thumbUrl}
              preview={{ src: p.url }}
              width={THUMB}
              height={THUMB}
              style={{ objectFit: 'cover', borderRadius: 4 }}
            />
          ))
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t({ zh: '无照片', en: 'No photo' })}
          </Typography.Text>
        )}
      </div>
    </div>
  );
}

/** One rectification waiting for the on-site check: before and after side by side, the unit's note. */
function QueueCard(props: {
  item: TVerificationItem;
  wide: boolean;
  busy: boolean;
  onApprove: () => void;
  onRework: () => void;
}) {
  const { t } = useI18n();
  const { problem: p, submission } = props.item;
  return (
    <Card
      size="small"
      data-testid="queue-card"
      data-code={p.code}
      title={
        <Space size={4} wrap style={{ whiteSpace: 'normal' }}>
          <Link to={`/problems/${p.id}`} style={{ fontWeight: 600 }}>
            {p.title}
          </Link>
          <EscalationTag level={props.item.submittedEscalation} />
          {props.item.submittedLate && (
            <Tag color="red">{t({ zh: '逾期提交', en: 'Submitted late' })}</Tag>
          )}
          {p.reworkCount > 0 && (
            <Tag color="orange">
              {t({ zh: `返工 ${p.reworkCount} 次`, en: `Reworked ×${p.reworkCount}` })}
            </Tag>
          )}
        </Space>
      }
      styles={{ header: { paddingBlock: 8 } }}
    >
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <div style={{ fontSize: 13, lineHeight: 1.7 }}>
          <div>
            <Typography.Text type="secondary">{p.code}</Typography.Text> · {p.categoryName}
            {p.regionName ? ` · ${p.regionName}` : ''}
          </div>
          <div>
            {t(L.org.responsibleUnit)}：{p.unitName ?? '—'}
          </div>
          <div>
            {t({ zh: '提交时间', en: 'Submitted' })}：{formatTime(p.submittedAt)}
            {submission ? ` · ${submission.actorName}` : ''}
          </div>
          <div>
            {t(L.problems.rectifyDeadline)}：{p.deadline ? formatTime(p.deadline) : '—'}
          </div>
        </div>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
          <Image.PreviewGroup>
            <Photos
              title={t({ zh: '整改前', en: 'Before' })}
              photos={props.item.before}
              testId="queue-before"
            />
            <Photos title={t(L.problems.after)} photos={props.item.after} testId="queue-after" />
          </Image.PreviewGroup>
        </div>
        <div
          style={{ background: '#fafafa', borderRadius: 4, padding: '6px 8px' }}
          data-testid="queue-note"
        >
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(L.problems.whatWasDone)}
          </Typography.Text>
          <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {submission?.note ?? '—'}
          </div>
        </div>
        <div
          style={{
            display: 'flex',
            flexDirection: props.wide ? 'row' : 'column',
            gap: 8,
          }}
        >
          <Button
            color="green"
            variant="solid"
            icon={<CheckOutlined />}
            block={!props.wide}
            loading={props.busy}
            onClick={props.onApprove}
            data-testid="queue-approve"
            size={props.wide ? 'middle' : 'large'}
          >
            {t({ zh: '核查通过销号', en: 'Verify and close' })}
          </Button>
          <Button
            danger
            icon={<RollbackOutlined />}
            block={!props.wide}
            disabled={props.busy}
            onClick={props.onRework}
            data-testid="queue-rework"
            size={props.wide ? 'middle' : 'large'}
          >
            {t(L.problems.rework)}
          </Button>
        </div>
      </Space>
    </Card>
  );
}

/** 核查队列: the verifier's list of rectifications to check on site, oldest submission first. */
export function VerificationQueuePage() {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const wide = Grid.useBreakpoint().md ?? true;
  const [unitId, setUnitId] = useState<number | null>(null);
  const [regionId, setRegionId] = useState<number | null>(null);
  const [items, setItems] = useState<TVerificationItem[]>([]);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [reworking, setReworking] = useState<TVerificationItem | null>(null);
  const [reason, setReason] = useState('');

  // The last request asked: an answer to an earlier one (other filters) is dropped.
  const asked = useRef(0);
  const fetchPage = useCallback(
    async (after: string | null) => {
      const n = ++asked.current;
      setLoading(true);
      try {
        const page = await apiCall('GET /api/problems/verification-queue', {
          query: {
            unitId: unitId ?? undefined,
            regionId: regionId ?? undefined,
            cursor: after ?? undefined,
            limit: 10,
          },
        });
        if (n !== asked.current) return;
        setItems((old) => (after ? [...old, ...page.items] : page.items));
        setTotal(page.total);
        setCursor(page.nextCursor);
        setError(null);
      } catch (err) {
        if (n === asked.current) setError(err);
      } finally {
        if (n === asked.current) setLoading(false);
      }
    },
    [unitId, regionId],
  );
  useEffect(() => {
    void fetchPage(null);
  }, [fetchPage]);

  // The action (a write) has marked the ledger, the problem and the menu's count stale.
  const done = (item: TVerificationItem) => {
    setItems((old) => old.filter((i) => i.problem.id !== item.problem.id));
    setTotal((n) => Math.max(0, n - 1));
    window.dispatchEvent(new Event(QUEUE_CHANGED));
  };

  const act = async (item: TVerificationItem, action: 'approve' | 'rework', note?: string) => {
    setBusyId(item.problem.id);
    try {
      await apiCall('POST /api/problems/:id/actions', {
        params: { id: item.problem.id },
        body: { action, version: item.problem.version, note },
      });
      message.success(
        action === 'approve'
          ? t({ zh: `${item.problem.code} 已销号`, en: `${item.problem.code} closed` })
          : t({ zh: `${item.problem.code} 已退回返工`, en: `${item.problem.code} sent back` }),
      );
      done(item);
      return true;
    } catch (err) {
      message.error(errorText(err, lang));
      // someone else acted on it first: show the queue as it is now
      if (err instanceof ApiError && err.status === 409) void fetchPage(null);
      return false;
    } finally {
      setBusyId(null);
    }
  };

  const approve = (item: TVerificationItem) =>
    modal.confirm({
      title: t({ zh: '核查通过并销号？', en: 'Verify and close?' }),
      content: `${item.problem.code} ${item.problem.title}`,
      okText: t({ zh: '通过销号', en: 'Close it' }),
      cancelText: t(L.common.cancel),
      okButtonProps: { id: 'queue-approve-confirm' },
      onOk: () => act(item, 'approve'),
    });

  const submitRework = async () => {
    if (!reworking || !reason.trim()) return;
    if (await act(reworking, 'rework', reason.trim())) setReworking(null);
  };

  return (
    <Card
      title={
        <span data-testid="queue-title">
          {t({ zh: '核查队列', en: 'Verification queue' })}
          <Typography.Text type="secondary" style={{ marginLeft: 8, fontWeight: 400 }}>
            {t({ zh: `${total} 件待核查`, en: `${total} waiting` })}
          </Typography.Text>
        </span>
      }
      styles={{ body: { padding: wide ? 24 : 8 } }}
    >
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: wide ? '220px 220px' : '1fr',
          gap: 8,
          marginBottom: 12,
        }}
      >
        <UnitPicker
          id="queue-unit"
          placeholder={t(L.org.responsibleUnit)}
          value={unitId}
          onChange={setUnitId}
        />
        <RegionPicker
          id="queue-region"
          placeholder={t(L.org.regionArea)}
          value={regionId}
          onChange={setRegionId}
        />
      </div>
      {error !== null && (
        <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 12 }} />
      )}
      {items.length === 0 && !loading ? (
        <Empty description={t({ zh: '没有待核查的整改', en: 'Nothing waiting to be verified' })} />
      ) : (
        <div
          style={{
            display: 'grid',
            gridTemplateColumns: wide ? 'repeat(auto-fill, minmax(420px, 1fr))' : '1fr',
            gap: 12,
          }}
          data-testid="queue-list"
        >
          {items.map((item) => (
            <QueueCard
              key={item.problem.id}
              item={item}
              wide={wide}
              busy={busyId === item.problem.id}
              onApprove={() => approve(item)}
              onRework={() => {
                setReason('');
                setReworking(item);
              }}
            />
          ))}
        </div>
      )}
      {loading && <Spin style={{ display: 'block', margin: 16 }} />}
      {cursor && !loading && (
        <Button block style={{ marginTop: 12 }} onClick={() => void fetchPage(cursor)}>
          {t(L.common.loadMore)}
        </Button>
      )}
      <Modal
        open={reworking !== null}
        title={t({
          zh: `返工：${reworking?.problem.code ?? ''}`,
          en: `Rework: ${reworking?.problem.code ?? ''}`,
        })}
        onOk={() => void submitRework()}
        okText={t({ zh: '退回返工', en: 'Send back' })}
        okButtonProps={{ danger: true, disabled: !reason.trim(), id: 'queue-rework-ok' }}
        confirmLoading={busyId !== null}
        onCancel={() => setReworking(null)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t({
            zh: '请写明哪里没有整改到位，单位将按此返工。',
            en: 'Say what is not fixed yet: the unit works from this.',
          })}
        </Typography.Paragraph>
        <Input.TextArea
          id="queue-rework-reason"
          rows={3}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t({ zh: '返工理由（必填）', en: 'Reason (required)' })}
          status={reworking && !reason.trim() ? 'warning' : undefined}
        />
      </Modal>
    </Card>
  );
}
