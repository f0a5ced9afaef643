import { Button, Card, DotLoading, ErrorBlock, NavBar, Tag, TextArea, Toast } from 'antd-mobile';
import { useEffect, useMemo, useState } from 'react';
import type { TVisit } from '../../../core/contracts/inspections.js';
import { describeCounted } from '../../../core/inspection/quantity.js';
import { answerChanges } from '../../../core/inspection/visit-diff.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { offlineQueue, sendOrQueue } from '../../shared/offline-queue.js';
import { useOnline } from '../../shared/use-offline-queue.js';
import { QueueBar } from '../QueueBar.js';
import { answersOf, draftsProblem, photosOf } from './inspect-answers.js';
import { RESULT_LABELS, VISIT_LABELS, type CachedItem } from './inspect-data.js';
import { InspectItem, MAX_PHOTOS, type ItemDraft } from './InspectItem.js';

interface Loaded {
  visit: TVisit;
  versions: TVisit[];
  checklist: CachedItem[];
}

/** The answers of the latest version as drafts of the correction (photos kept). */
function draftsFrom(checklist: CachedItem[], latest: TVisit): ItemDraft[] {
  return checklist.map((_, index) => {
    const a = latest.items.find((x) => x.index === index);
    return {
      result: a?.result ?? null,
      note: a?.note ?? '',
      count: a?.count ?? null,
      total: a?.total ?? null,
      severe: a?.severe ?? false,
      kept: (a?.photoIds ?? []).slice(0, MAX_PHOTOS),
      photos: [],
    };
  });
}

/**
 * A submitted visit: its result, the problem its failed items raised, every version with its
 * reason and what it changed — and 更正, which appends a new version with a reason (the earlier
 * ones stay). Answers start from the latest version; items appended to the checklist since must
 * be answered too. Reading needs the network; the correction goes through the offline queue.
 */
export function InspectHistory(props: { visitId: number; onBack: () => void }) {
  const { t, lang } = useI18n();
  const online = useOnline();
  const [editing, setEditing] = useState(false);
  const [drafts, setDrafts] = useState<ItemDraft[]>([]);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<{ index: number | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  // Read online only (the record is not kept on the phone); what was read stays on screen offline.
  const history = useApi(
    'GET /api/visits/:id',
    { params: { id: props.visitId } },
    { enabled: online },
  );
  const types = useApi('GET /api/point-types', {}, { enabled: online });
  const data = useMemo<Loaded | null>(() => {
    if (!history.data || !types.data) return null;
    const d = history.data;
    const latest = d.versions[d.versions.length - 1] ?? d.visit;
    const type = types.data.items.find((x) => x.code === latest.pointType);
    const checklist: CachedItem[] = type ? type.checklist : latest.items;
    return { visit: latest, versions: d.versions, checklist };
  }, [history.data, types.data]);
  const failure = history.error ?? types.error;
  const loadError = failure ? errorText(failure, lang) : null;
  // The correction starts from the latest version, again whenever a new one is read.
  useEffect(() => {
    if (data) setDrafts(draftsFrom(data.checklist, data.visit));
  }, [data]);

  const submit = async () => {
    if (!data) return;
    const wrong = draftsProblem(data.checklist, drafts);
    if (wrong) {
      setProblem({ index: wrong.index, text: t(wrong.message) });
      return;
    }
    if (reason.trim().length < 2) {
      setProblem({ index: null, text: t(L.common.giveCorrectionReason) });
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const clientId = crypto.randomUUID();
      const res = await sendOrQueue(offlineQueue(), {
        clientId,
        label: `${t(L.common.correction)}：${data.visit.pointName}`,
        endpoint: 'POST /api/visits/:id/corrections',
        params: { id: data.visit.id },
        body: { clientId, reason: reason.trim(), items: answersOf(drafts) },
        files: photosOf(drafts),
      });
      if (res.outcome === 'sent') {
        Toast.show({
          icon: 'success',
          content: t({
            zh: `已更正为第 ${res.answer.version} 版`,
            en: `Saved as version ${res.answer.version}`,
          }),
        });
        setEditing(false);
        setReason('');
        // The new version (the write already marked the visit stale: this joins that refetch).
        void history.refetch({ cancelRefetch: false });
      } else {
        Toast.show({
          icon: 'success',
          content: t({ zh: '更正已保存，联网后自动同步', en: 'Saved; syncs when online' }),
        });
        props.onBack();
      }
    } catch (err) {
      setProblem({ index: null, text: errorText(err, lang) });
    } finally {
      setBusy(false);
    }
  };

  const v = data?.visit;
  return (
    <div className="m-flow" data-testid="visit-correction">
      <NavBar className="m-navbar" onBack={props.onBack}>
        {t(L.points.visitRecord)}
      </NavBar>
      <QueueBar />
      {!data && !online && (
        <ErrorBlock
          status="disconnected"
          title={t({ zh: '离线', en: 'Offline' })}
          description={t({
            zh: '联网后可查看检查记录和提交更正',
            en: 'The record and its correction need the network',
          })}
        />
      )}
      {!data && online && loadError && (
        <ErrorBlock status="default" title={loadError} description="" />
      )}
      {!data && online && !loadError && (
        <div className="m-loading">
          <DotLoading color="primary" />
        </div>
      )}
      {data && v && (
        <div className="m-pad m-form">
          <Card className="m-card" title={v.pointName}>
            <div className="m-tags">
              <Tag color={VISIT_LABELS[v.result].color} data-testid="visit-result">
                {t(VISIT_LABELS[v.result].label)}
                {v.score !== null && ` ${Math.round(v.score * 100)}%`}
              </Tag>
              {v.added && <Tag color="#722ed1">{t(L.points.added)}</Tag>}
              <Tag fill="outline">{v.pointTypeName}</Tag>
            </div>
            <div className="m-sub">
              {v.roundName} · {formatTime(v.visitedAt)}
            </div>
            {v.problemCode && (
              <div className="m-line m-top8" data-testid="visit-problem">
                {t({ zh: '不合格项已生成问题', en: 'Failed items raised problem' })}{' '}
                <b>{v.problemCode}</b>
              </div>
            )}
          </Card>
          <Card className="m-card" title={t({ zh: '版本历史', en: 'History' })}>
            <div data-testid="visit-history">
              {data.versions.map((x, k) => {
                const prev = k > 0 ? data.versions[k - 1] : undefined;
                const changes = prev ? answerChanges(prev.items, x.items) : [];
                return (
                  <div key={x.id} className="m-version" data-testid={`visit-version-${x.version}`}>
                    <div className="m-tags">
                      <Tag fill="outline">v{x.version}</Tag>
                      <Tag color={VISIT_LABELS[x.result].color}>
                        {t(VISIT_LABELS[x.result].label)}
                        {x.score !== null && ` ${Math.round(x.score * 100)}%`}
                      </Tag>
                    </div>
                    <div className="m-sub">
                      {formatTime(x.createdAt)} · {x.inspectorName}
                    </div>
                    {x.reason && (
                      <div className="m-line">
                        {t({ zh: '更正原因：', en: 'Reason: ' })}
                        {x.reason}
                      </div>
                    )}
                    {x.items
                      .filter((i) => i.quantity && i.count != null)
                      .map((i) => (
                        <div key={`n${i.index}`} className="m-small">
                          {t({ zh: `第 ${i.index + 1} 项计数：`, en: `Item ${i.index + 1}: ` })}
                          {describeCounted(i.quantity!, i.count, i.total)}
                        </div>
                      ))}
                    {changes.map((c) => (
                      <div key={c.index} className="m-small">
                        {t({ zh: `第 ${c.index + 1} 项`, en: `Item ${c.index + 1}` })}：
                        {c.from ? t(RESULT_LABELS[c.from]) : t({ zh: '（新增）', en: '(new)' })}
                        {' → '}
                        {t(RESULT_LABELS[c.to])}
                        {c.noteChanged && t({ zh: '（说明已改）', en: ' (note changed)' })}
                        {c.countChanged && t({ zh: '（计数已改）', en: ' (count changed)' })}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          </Card>
          {!editing ? (
            <Button
              block
              size="large"
              color="primary"
              fill="outline"
              className="m-end"
              onClick={() => setEditing(true)}
              data-testid="correct-open"
            >
              {t({ zh: '更正（追加新版本）', en: 'Correct (appends a version)' })}
            </Button>
          ) : (
            <>
              {data.checklist.map((item, i) => (
                <InspectItem
                  key={i}
                  prefix="correct"
                  index={i}
                  item={item}
                  answer={drafts[i]!}
                  flagged={problem?.index === i}
                  set={(patch) =>
                    setDrafts((a) => a.map((x, j) => (j === i ? { ...x, ...patch } : x)))
                  }
                />
              ))}
              <Card className="m-card" title={t(L.common.correctionReason)}>
                <TextArea
                  className="m-note"
                  rows={2}
                  maxLength={500}
                  value={reason}
                  onChange={setReason}
                  placeholder={t(L.common.correctionReasonRequired)}
                  data-testid="correct-reason"
                />
              </Card>
              {problem && (
                <div className="m-item-alert" role="alert" data-testid="correct-error">
                  {problem.text}
                </div>
              )}
              <Button
                block
                size="large"
                color="primary"
                className="m-end"
                loading={busy}
                onClick={() => void submit()}
                data-testid="correct-submit"
              >
                {t(L.common.submitCorrection)}
              </Button>
            </>
          )}
        </div>
      )}
    </div>
  );
}
