import { App, Button, Empty, Input, List, Modal, Radio, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { OPEN_STATES } from '../../../core/problems/lifecycle.js';
import { ApiError, apiCall } from '../../shared/api.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { StateTag } from '../../shared/problem-tags.js';

/** A problem to merge into: a similar one nearby (with its distance), or one found by code. */
type Candidate = Pick<TProblem, 'id' | 'code' | 'title' | 'state'> & { distanceM?: number };

/**
 * 合并到…: picks the problem this one duplicates — the open problems of the same category nearby,
 * or any problem by its code — and merges after a confirmation (a merge cannot be undone).
 */
export function MergeProblemModal(props: {
  problem: TProblem;
  open: boolean;
  onClose: () => void;
  onMerged: (d: TProblemDetail) => void;
  onStale: () => void;
}) {
  const { problem: p } = props;
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  // The open problems of its category nearby (none when the read fails), while open.
  const similarQ = useApi(
    'GET /api/problems/:id/similar',
    props.open ? { params: { id: p.id } } : null,
  );
  const similar: Candidate[] | null = similarQ.isError ? [] : (similarQ.data?.items ?? null);
  const [found, setFound] = useState<Candidate[]>([]);
  const [code, setCode] = useState('');
  const [searching, setSearching] = useState(false);
  const [target, setTarget] = useState<Candidate | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    setFound([]);
    setTarget(null);
    setCode('');
    setNote('');
  }, [props.open, p.id]);

  const search = async () => {
    const q = code.trim();
    if (!q) return;
    setSearching(true);
    try {
      const page = await apiCall('GET /api/problems', { query: { q, limit: 10 } });
      const hits = page.items
        .filter((x) => x.id !== p.id)
        .map((x) => ({ id: x.id, code: x.code, title: x.title, state: x.state }));
      // an exact code first
      hits.sort((a, b) => Number(b.code === q) - Number(a.code === q));
      setFound(hits);
      const exact = hits.find((h) => h.code.toUpperCase() === q.toUpperCase());
      if (exact) setTarget(exact);
      if (!hits.length)
        message.info(t({ zh: '没有找到该编号的问题', en: 'No problem with that code' }));
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setSearching(false);
    }
  };

  const doMerge = async (into: Candidate) => {
    setBusy(true);
    try {
      const d = await apiCall('POST /api/problems/:id/merge', {
        params: { id: p.id },
        body: { intoId: into.id, version: p.version, note: note.trim() || undefined },
      });
      message.success(t({ zh: `已合并至 ${into.code}`, en: `Merged into ${into.code}` }));
      props.onMerged(d);
    } catch (err) {
      message.error(errorText(err, lang));
      if (err instanceof ApiError && err.code === 'stale_version') props.onStale();
    } finally {
      setBusy(false);
    }
  };

  const confirm = () => {
    if (!target) return;
    modal.confirm({
      title: t({ zh: '确认合并', en: 'Merge these problems?' }),
      content: t({
        zh: `将 ${p.code}「${p.title}」合并到 ${target.code}「${target.title}」。合并后 ${p.code} 不再单独办理（整改期限和督办随之结束），照片和记录并入 ${target.code}。此操作不能撤销。`,
        en: `${p.code} "${p.title}" will be merged into ${target.code} "${target.title}". ${p.code} will no longer be handled on its own (its deadline and escalation end); its photos and record join ${target.code}. This cannot be undone.`,
      }),
      okText: t({ zh: '合并', en: 'Merge' }),
      cancelText: t(L.common.cancel),
      okButtonProps: { danger: true, id: 'merge-confirm' },
      onOk: () => doMerge(target),
    });
  };

  const option = (c: Candidate) => {
    const open = OPEN_STATES.includes(c.state);
    return (
      <List.Item
        key={c.id}
        onClick={() => open && setTarget(c)}
        style={{ cursor: open ? 'pointer' : 'not-allowed', paddingInline: 8 }}
        data-testid={`merge-candidate-${c.code}`}
      >
        <Radio checked={target?.id === c.id} disabled={!open} style={{ alignItems: 'flex-start' }}>
          <Space orientation="vertical" size={0}>
            <Space size={4} wrap>
              <Typography.Text strong>{c.code}</Typography.Text>
              <StateTag state={c.state} />
              {c.distanceM !== undefined && (
                <Typography.Text type="secondary">
                  {t({
                    zh: `相距 ${Math.round(c.distanceM)} 米`,
                    en: `${Math.round(c.distanceM)} m away`,
                  })}
                </Typography.Text>
              )}
            </Space>
            <span>{c.title}</span>
          </Space>
        </Radio>
      </List.Item>
    );
  };

  return (
    <Modal
      open={props.open}
      title={t({ zh: `合并 ${p.code} 到…`, en: `Merge ${p.code} into…` })}
      onCancel={props.onClose}
      onOk={confirm}
      okText={t({ zh: '合并…', en: 'Merge…' })}
      okButtonProps={{ disabled: !target, danger: true, id: 'merge-ok' }}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t({
          zh: '选择本问题重复的那个问题：本问题将并入它，由它继续办理。',
          en: 'Pick the problem this one duplicates: this one folds into it, and it carries on.',
        })}
      </Typography.Paragraph>
      <Typography.Text strong>
        {t({ zh: '附近的同类未结问题', en: 'Open problems of this category nearby' })}
      </Typography.Text>
      {similar === null ? (
        <Spin style={{ display: 'block', margin: 12 }} />
      ) : similar.length ? (
        <List size="small" dataSource={similar} renderItem={option} data-testid="merge-similar" />
      ) : (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            p.lat === null
              ? t({ zh: '本问题没有位置，无法推荐', en: 'No location: no suggestions' })
              : t({ zh: '附近没有同类未结问题', en: 'None nearby' })
          }
        />
      )}
      <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>
        {t({ zh: '或输入问题编号', en: 'Or enter a problem code' })}
      </Typography.Text>
      <Space.Compact style={{ width: '100%', marginTop: 4 }}>
        <Input
          id="merge-code"
          placeholder="WT2026-000123"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          onPressEnter={() => void search()}
        />
        <Button onClick={() => void search()} loading={searching} data-testid="merge-search">
          {t({ zh: '查找', en: 'Find' })}
        </Button>
      </Space.Compact>
      {found.length > 0 && <List size="small" dataSource={found} renderItem={option} />}
      <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>
        {t({ zh: '说明（可选）', en: 'Note (optional)' })}
      </Typography.Text>
      <Input.TextArea
        id="merge-note"
        rows={2}
        maxLength={2000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        style={{ marginTop: 4 }}
      />
    </Modal>
  );
}
