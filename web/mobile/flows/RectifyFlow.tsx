import {
  Button,
  Card,
  DotLoading,
  ErrorBlock,
  List,
  NavBar,
  NoticeBar,
  Tag,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { TProblem } from '../../../core/contracts/problems.js';
import { Permission } from '../../../core/permissions.js';
import { availableActions, PROBLEM_STATE_LABELS } from '../../../core/problems/lifecycle.js';
import { useAuth } from '../../admin/auth.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { offlineQueue } from '../../shared/offline-queue.js';
import { useOnline, useQueuedItems } from '../../shared/use-offline-queue.js';
import { readKept, useKept } from '../phone-store.js';
import { Due, EscalationTag, isQueuedStep, queuedFor, type QueuedStep } from '../problem-bits.js';
import { QueueBar } from '../QueueBar.js';
import { rectifyList } from '../tasks.js';
import { KeptNote } from './flow-bits.js';
import { ProblemFacts, Timeline } from './RectifyFacts.js';
import { StepSheet } from './RectifySheet.js';
import { retryStep, STEP_LABELS, stepOf, UNIT_STEPS, type TUnitStep } from './rectify-step.js';

/**
 * 整改, the unit's flow (issue #21): the problems dispatched to its unit, soonest deadline first,
 * with their 三色 colour; on a problem its facts and photos and the unit's steps — report the
 * rectification with after-photos, a note and where the phone is; ask for more time; send it back
 * as not the unit's. Every step goes through the offline queue, and the lists are kept on the
 * phone, so the flow works with the network cut and syncs once it is back.
 */
export function RectifyFlow() {
  const { id } = useParams();
  return id && /^\d+$/.test(id) ? <ProblemScreen id={Number(id)} /> : <ListScreen />;
}

function ListScreen() {
  const { user } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const queued = useQueuedItems().filter(isQueuedStep);
  const waiting = queued.filter((i) => i.state === 'queued').length;
  // Asked again when a queued step goes through (the count of those waiting drops).
  const list = useKept('GET /api/problems', user?.unitId ? rectifyList(user.unitId) : null, {
    reload: waiting,
  });
  const items = list.data?.items ?? [];
  const toDo = items.filter((p) => p.state === 'dispatched');
  const waitingCheck = items.filter((p) => p.state === 'submitted');
  const row = (p: TProblem) => (
    <ProblemRow key={p.id} problem={p} queued={queuedFor(queued, p.id)} />
  );
  return (
    <div className="m-flow" data-testid="m-rectify">
      <NavBar className="m-navbar" onBack={() => void navigate('/')}>
        {t({ zh: '整改任务', en: 'Rectification' })}
      </NavBar>
      <QueueBar />
      <KeptNote answer={list} />
      {list.loading && !list.data ? (
        <div className="m-loading-inline">
          <DotLoading color="primary" />
        </div>
      ) : (
        list.data && (
          <>
            <Card
              className="m-card"
              title={t({ zh: `待整改（${toDo.length}）`, en: `To rectify (${toDo.length})` })}
            >
              {toDo.length ? (
                <List className="m-list" data-testid="m-rectify-todo">
                  {toDo.map(row)}
                </List>
              ) : (
                <div className="m-empty">
                  {t({ zh: '没有待整改的问题', en: 'Nothing to rectify' })}
                </div>
              )}
            </Card>
            {waitingCheck.length > 0 && (
              <Card
                className="m-card"
                title={t({
                  zh: `已提交，待核查（${waitingCheck.length}）`,
                  en: `Submitted, awaiting verification (${waitingCheck.length})`,
                })}
              >
                <List className="m-list" data-testid="m-rectify-submitted">
                  {waitingCheck.map(row)}
                </List>
              </Card>
            )}
          </>
        )
      )}
    </div>
  );
}

function ProblemRow({ problem: p, queued }: { problem: TProblem; queued: QueuedStep[] }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const refused = queued.some((i) => i.state === 'failed');
  return (
    <List.Item
      onClick={() => void navigate(`/rectify/${p.id}`)}
      data-testid={`m-rectify-item-${p.id}`}
      description={
        <div className="m-row-desc">
          <div>
            {p.code}
            {p.regionName || p.address
              ? ` · ${[p.regionName, p.address].filter(Boolean).join(' ')}`
              : ''}
          </div>
          {p.state === 'dispatched' && p.deadline && (
            <div>
              {t(L.common.deadline)} {formatTime(p.deadline)} · <Due deadline={p.deadline} />
            </div>
          )}
        </div>
      }
      extra={
        <div className="m-row-tags">
          <EscalationTag level={p.escalation} />
          {queued.length > 0 && (
            <Tag color={refused ? 'danger' : 'warning'} fill="outline">
              {refused ? t(L.common.refused) : t(L.common.toSync)}
            </Tag>
          )}
          {p.extensionPending && (
            <Tag color="primary" fill="outline">
              {t({ zh: '延期审批中', en: 'Extension asked' })}
            </Tag>
          )}
        </div>
      }
    >
      {p.title}
    </List.Item>
  );
}

function ProblemScreen({ id }: { id: number }) {
  const { user, can } = useAuth();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const online = useOnline();
  const queue = offlineQueue();
  const queued = queuedFor(useQueuedItems(queue), id);
  const waiting = queued.filter((i) => i.state === 'queued');
  const refused = queued.filter((i) => i.state === 'failed');
  const [bump, setBump] = useState(0);
  const [step, setStep] = useState<TUnitStep | null>(null);
  const answer = useKept(
    'GET /api/problems/:id',
    { params: { id } },
    { reload: `${waiting.length}:${bump}` },
  );
  // Never opened online: the problem as the kept list has it (no photos, no timeline).
  const fromList =
    !answer.data && user?.unitId
      ? (readKept(user.id, 'GET /api/problems', rectifyList(user.unitId))?.data.items.find(
          (p) => p.id === id,
        ) ?? null)
      : null;
  const problem = answer.data?.problem ?? fromList;
  const back = () => void navigate('/rectify');
  if (!problem) {
    return (
      <div className="m-flow" data-testid="m-rectify-problem">
        <NavBar className="m-navbar" onBack={back}>
          {t({ zh: '问题详情', en: 'Problem' })}
        </NavBar>
        <KeptNote answer={answer} />
        {answer.loading && (
          <div className="m-loading-inline">
            <DotLoading color="primary" />
          </div>
        )}
      </div>
    );
  }
  const own = can(Permission.ProblemRectify) && user?.unitId === problem.unitId;
  const actions = (
    answer.data?.actions ??
    availableActions(
      {
        state: problem.state,
        unitId: problem.unitId,
        reworkCount: problem.reworkCount,
        extensionPending: problem.extensionPending,
      },
      own ? ['unit'] : [],
    )
  ).filter((a): a is TUnitStep => (UNIT_STEPS as readonly string[]).includes(a));
  const retry = (item: QueuedStep) =>
    retryStep(item, problem.version).then(
      (outcome) => {
        setBump((b) => b + 1);
        Toast.show({
          icon: 'success',
          content:
            outcome === 'sent'
              ? t({ zh: '已重新提交', en: 'Sent again' })
              : t({ zh: '已保存，联网后自动提交', en: 'Saved; sent when back online' }),
        });
      },
      (err: unknown) => {
        setBump((b) => b + 1);
        Toast.show({ icon: 'fail', content: errorText(err, lang) });
      },
    );
  return (
    <div className="m-flow" data-testid="m-rectify-problem">
      <NavBar className="m-navbar" onBack={back}>
        {t({ zh: '问题详情', en: 'Problem' })}
      </NavBar>
      <QueueBar />
      <KeptNote answer={answer} />
      <div className="m-pad">
        {refused.map((item) => {
          const again = stepOf(item);
          return (
            <div key={item.clientId} className="m-refused" data-testid="m-step-refused">
              <NoticeBar
                color="error"
                wrap
                content={
                  <span>
                    <b>
                      {t({ zh: '服务器未接受：', en: 'Not accepted: ' })}
                      {item.label}
                    </b>
                    <br />
                    <span data-testid="m-step-refused-reason">{item.error && t(item.error)}</span>
                  </span>
                }
              />
              <div className="m-refused-actions">
                {again && actions.includes(again) && online && (
                  <Button
                    size="small"
                    color="primary"
                    data-testid="m-step-retry"
                    onClick={() => void retry(item)}
                  >
                    {t({ zh: '按最新情况重新提交', en: 'Send again, as it is now' })}
                  </Button>
                )}
                <Button
                  size="small"
                  fill="outline"
                  data-testid="m-step-discard"
                  onClick={() => void queue.discard(item.clientId)}
                >
                  {t({ zh: '放弃这次提交', en: 'Discard it' })}
                </Button>
              </div>
            </div>
          );
        })}
        {waiting.length > 0 && (
          <NoticeBar
            color="alert"
            wrap
            className="m-pending"
            content={
              <span data-testid="m-step-waiting">
                {waiting
                  .map((i) => {
                    const s = stepOf(i);
                    return s ? t(STEP_LABELS[s]) : i.label;
                  })
                  .join(t({ zh: '、', en: ', ' }))}
                {t({
                  zh: '已保存在手机上，联网后自动提交',
                  en: ': kept on the phone, sent once online',
                })}
              </span>
            }
          />
        )}
        <ProblemFacts problem={problem} photos={answer.data?.photos ?? null} />
        {waiting.length === 0 && actions.length > 0 && (
          <div className="m-steps" data-testid="m-rectify-actions">
            {actions.includes('submit') && (
              <Button
                block
                color="primary"
                size="large"
                className="m-big"
                onClick={() => setStep('submit')}
                data-testid="m-step-submit"
              >
                {t({ zh: '上报整改', en: 'Report the rectification' })}
              </Button>
            )}
            <div className="m-steps-minor">
              {actions.includes('request_extension') && (
                <Button
                  block
                  onClick={() => setStep('request_extension')}
                  data-testid="m-step-request_extension"
                >
                  {t(L.problems.requestExtension)}
                </Button>
              )}
              {actions.includes('return') && (
                <Button
                  block
                  color="danger"
                  fill="outline"
                  onClick={() => setStep('return')}
                  data-testid="m-step-return"
                >
                  {t({ zh: '退回（非本单位）', en: 'Return (not ours)' })}
                </Button>
              )}
            </div>
          </div>
        )}
        {problem.state !== 'dispatched' && waiting.length === 0 && (
          <ErrorBlock
            status="empty"
            className="m-state-note"
            title={t(PROBLEM_STATE_LABELS[problem.state])}
            description={
              problem.state === 'submitted'
                ? t({
                    zh: '整改已提交，等待核查（回头看）',
                    en: 'The rectification is in; waiting for verification',
                  })
                : t({ zh: '当前无需本单位处理', en: 'Nothing for your unit to do now' })
            }
          />
        )}
        {answer.data && <Timeline events={answer.data.timeline} />}
      </div>
      <StepSheet
        step={step}
        problem={problem}
        onClose={() => setStep(null)}
        onDone={(outcome) => {
          setStep(null);
          setBump((b) => b + 1);
          // Back to the top: the problem's state, or the note that the step waits on the phone.
          window.scrollTo(0, 0);
          Toast.show({
            icon: 'success',
            content:
              outcome === 'sent'
                ? t({ zh: '已提交', en: 'Sent' })
                : t({ zh: '已保存，联网后自动提交', en: 'Saved; sent when back online' }),
          });
        }}
        onRefused={() => setBump((b) => b + 1)}
      />
    </div>
  );
}
