import { Button, Card, DotLoading, ErrorBlock, List, ProgressBar, Tag } from 'antd-mobile';
import { RightOutline } from 'antd-mobile-icons';
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { TProblem } from '../../core/contracts/problems.js';
import { PROBLEM_STATE_LABELS } from '../../core/problems/lifecycle.js';
import { SERVICE_ORDER_STATE_LABELS } from '../../core/service-orders/labels.js';
import { Permission } from '../../core/permissions.js';
import { useAuth } from '../admin/auth.js';
import { ApiError } from '../shared/api.js';
import { errorText } from '../shared/forms.js';
import { formatTime, L, useI18n } from '../shared/i18n.js';
import { loadWalk } from '../shared/patrol-walk.js';
import { useKept } from './phone-store.js';
import { Due, EscalationTag } from './problem-bits.js';
import { QueueBar } from './QueueBar.js';
import {
  rectifyList,
  sectionsFor,
  shanghaiToday,
  todaysRounds,
  type TaskSection,
} from './tasks.js';
import { gridProblems, recentPatrols, volunteerRange } from './home-reads.js';
import { useAnswer, type Answer } from './use-answer.js';

/**
 * 我的任务: the signed-in field user's work, one card per kind their permissions allow. Flows
 * ported to the phone app (巡查, 实地检查) open inside it; the others open the current phone pages
 * of the desktop app until they are ported (issue #21).
 */
export function HomePage() {
  const { user } = useAuth();
  const { t } = useI18n();
  if (!user) return null;
  const sections = sectionsFor(user);
  return (
    <div data-testid="m-home">
      <header className="m-header m-header-home">
        <div className="m-header-title">{t(L.common.myTasks)}</div>
        <div className="m-header-sub">
          {user.name}
          {user.unitName ? ` · ${user.unitName}` : user.regionName ? ` · ${user.regionName}` : ''}
        </div>
      </header>
      <QueueBar />
      <div className="m-sections">
        {sections.map((s) => (
          <Section key={s.key} section={s.key} core={s.core} />
        ))}
      </div>
      {/* Shown by CSS when every section came out empty (m-sections:empty): an office user's /m. */}
      <div className="m-sections-empty">
        <ErrorBlock
          status="empty"
          title={t({ zh: '没有外勤任务', en: 'No field work' })}
          description={t({
            zh: '您的角色在手机端没有任务，可在“我的”中打开电脑版。',
            en: 'Your roles have no phone tasks; open the desktop app under “Me”.',
          })}
        />
      </div>
    </div>
  );
}

function Section({ section, core }: { section: TaskSection; core: boolean }) {
  switch (section) {
    case 'patrol':
      return <PatrolSection core={core} />;
    case 'inspect':
      return <InspectSection core={core} />;
    case 'rectify':
      return <RectifySection core={core} />;
    case 'visits':
      return <VisitsSection />;
    case 'survey':
      return <SurveySection core={core} />;
    case 'volunteer':
      return <VolunteerSection core={core} />;
    case 'carriers':
      return <CarriersSection core={core} />;
    case 'serviceOrders':
      return <ServiceOrdersSection core={core} />;
    case 'serviceRequest':
      return <ServiceRequestSection core={core} />;
    case 'credits':
      return <CreditsSection />;
  }
}

/**
 * 点单服务 for a volunteer: the orders dispatched to their team with a seat free (to take), and
 * those they took and still serve; the flow (flows/ServiceOrdersFlow.tsx) keeps the same answer.
 */
function ServiceOrdersSection({ core }: { core: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const answer = useKept('GET /api/service-orders/tasks', {});
  const open = answer.data?.open ?? [];
  const serving = (answer.data?.mine ?? []).filter(
    (o) => o.state === 'taken' || o.state === 'on_site',
  );
  if (!core && !answer.loading && open.length + serving.length === 0) return null;
  const row = (o: (typeof open)[number]) => (
    <List.Item
      key={o.id}
      onClick={() => void navigate(`/service-orders/${o.id}`)}
      description={`${o.placeName} · ${o.address}`}
      extra={
        <Tag color={o.state === 'dispatched' ? 'warning' : 'primary'} fill="outline">
          {t(SERVICE_ORDER_STATE_LABELS[o.state])}
        </Tag>
      }
      data-testid={`m-service-order-${o.id}`}
    >
      {o.itemName}
    </List.Item>
  );
  return (
    <TaskCard
      testId="m-task-service-orders"
      title={{ zh: '点单服务', en: 'Service orders' }}
      extra={
        open.length > 0 ? (
          <Tag color="danger" data-testid="m-service-open-count">
            {t({ zh: `${open.length} 单待接`, en: `${open.length} to take` })}
          </Tag>
        ) : undefined
      }
    >
      <Loaded answer={answer}>
        {() =>
          open.length + serving.length ? (
            <List className="m-list">
              {serving.map(row)}
              {open.slice(0, 5).map(row)}
            </List>
          ) : (
            <Empty text={{ zh: '本队暂无待接的点单', en: 'No orders for your team' }} />
          )
        }
      </Loaded>
      <Button
        block
        fill="outline"
        color="primary"
        onClick={() => void navigate('/service-orders')}
        data-testid="m-open-service-orders"
      >
        {t({ zh: '全部点单', en: 'All orders' })} <RightOutline />
      </Button>
    </TaskCard>
  );
}

/** 代居民点单: a grid worker orders a station's service for a resident (flows/ServiceOrdersFlow). */
function ServiceRequestSection({ core }: { core: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  if (!core) return null;
  return (
    <TaskCard
      testId="m-task-service-request"
      title={{ zh: '代居民点单', en: 'Order for a resident' }}
    >
      <Button
        block
        color="primary"
        fill="outline"
        className="m-cta"
        onClick={() => void navigate('/service-request')}
        data-testid="m-open-service-request"
      >
        {t({ zh: '为居民预约志愿服务', en: 'Book a volunteer service' })} <RightOutline />
      </Button>
    </TaskCard>
  );
}

/** 积分核销: a shop's staff scan or type a resident's redemption code. */
function CreditsSection() {
  const { t } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  if (!user?.roles.includes('shop')) return null;
  return (
    <TaskCard testId="m-task-credits" title={{ zh: '积分兑换核销', en: 'Redeem points' }}>
      <div className="m-muted">
        {t({
          zh: '扫描居民出示的兑换二维码，或输入 8 位兑换码。',
          en: "Scan the resident's QR code, or type the 8-character code.",
        })}
      </div>
      <Button
        block
        color="primary"
        className="m-cta"
        onClick={() => void navigate('/credits/redeem')}
        data-testid="m-open-redeem"
      >
        {t({ zh: '核销兑换码', en: 'Redeem a code' })} <RightOutline />
      </Button>
    </TaskCard>
  );
}

/** 公益广告阵地: register or update a carrier in the field (grid workers and inspectors). */
function CarriersSection({ core }: { core: boolean }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  if (!core && !user?.roles.includes('inspector')) return null;
  return (
    <TaskCard testId="m-task-carriers" title={L.carriers.carriers}>
      <Button
        block
        color="primary"
        fill="outline"
        className="m-cta"
        onClick={() => void navigate('/carriers')}
        data-testid="m-open-carriers"
      >
        {t({ zh: '登记或更新阵地', en: 'Register or update carriers' })} <RightOutline />
      </Button>
    </TaskCard>
  );
}

/** Leaves the phone app for a page of the desktop app (a flow not ported yet). */
const open = (url: string) => () => window.location.assign(url);

function TaskCard(props: { testId: string; title: L; extra?: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Card className="m-card" title={t(props.title)} extra={props.extra} data-testid={props.testId}>
      {props.children}
    </Card>
  );
}

/** Loading, failed (offline with nothing cached) or the answer's content. */
function Loaded<T>({ answer, children }: { answer: Answer<T>; children: (d: T) => ReactNode }) {
  const { t, lang } = useI18n();
  if (answer.loading) return <DotLoading color="primary" />;
  if (answer.error || !answer.data)
    return (
      <div className="m-muted">
        {answer.error instanceof ApiError
          ? `${t({ zh: '暂时无法加载：', en: 'Could not load: ' })}${errorText(answer.error, lang)}`
          : t({
              zh: '离线，暂无保存的数据；联网后自动显示',
              en: 'Offline and nothing saved yet; shown once back online',
            })}
      </div>
    );
  return <>{children(answer.data)}</>;
}

function Empty({ text }: { text: L }) {
  const { t } = useI18n();
  return <div className="m-empty">{t(text)}</div>;
}

function PatrolSection({ core }: { core: boolean }) {
  const { user } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const walk = user ? loadWalk(user.id) : null;
  const grids = useAnswer('GET /api/grids', {});
  const problems = useAnswer('GET /api/problems', gridProblems);
  const patrols = useAnswer('GET /api/patrols', recentPatrols);
  // Someone who may walk a patrol but is no grid worker (the office) sees it once they have a grid.
  if (!core && !walk && !grids.loading && !grids.data?.items.length) return null;
  return (
    <>
      <TaskCard
        testId="m-task-patrol"
        title={L.grids.gridPatrol}
        extra={
          walk ? (
            <Tag color="success" data-testid="m-patrol-walking">
              {t(L.grids.walking)}
            </Tag>
          ) : undefined
        }
      >
        {walk ? (
          <p className="m-line">
            {walk.gridName} · {t(L.common.startedAt)} {formatTime(walk.startedAt)}
          </p>
        ) : (
          <Loaded answer={grids}>
            {(g) =>
              g.items.length ? (
                <p className="m-line">
                  {t({ zh: '我的网格：', en: 'My grids: ' })}
                  {g.items.map((x) => x.name).join('、')}
                </p>
              ) : (
                <Empty text={{ zh: '您尚未被分配网格', en: 'You have no grid assigned' }} />
              )
            }
          </Loaded>
        )}
        <Button
          block
          color="primary"
          size="large"
          className="m-cta"
          onClick={() => void navigate('/patrol')}
          data-testid="m-open-patrol"
        >
          {walk
            ? t({ zh: '继续巡查 · 上报问题', en: 'Continue · report' })
            : t({ zh: '开始巡查 · 上报问题', en: 'Start a patrol · report' })}
        </Button>
        <Loaded answer={patrols}>
          {(p) =>
            p.items.length > 0 && (
              <div className="m-sub">
                {t(L.grids.recentPatrols)}：
                {p.items
                  .map(
                    (x) =>
                      `${formatTime(x.startedAt).slice(5)} ${x.gridName}${x.problemCount ? ` · ${x.problemCount}${t({ zh: ' 个问题', en: ' problems' })}` : ''}`,
                  )
                  .join('；')}
              </div>
            )
          }
        </Loaded>
      </TaskCard>
      {/* The ledger as the worker's scope has it: their area's problems and those they reported. */}
      <TaskCard
        testId="m-task-grid-problems"
        title={{ zh: '辖区待办问题', en: 'Open problems in my area' }}
      >
        <Loaded answer={problems}>
          {(p) =>
            p.items.length ? (
              <List className="m-list">
                {p.items.map((x) => (
                  <ProblemItem key={x.id} problem={x} />
                ))}
              </List>
            ) : (
              <Empty text={{ zh: '辖区内没有待办问题', en: 'Nothing open in your area' }} />
            )
          }
        </Loaded>
      </TaskCard>
      {core && <StarsEntry />}
    </>
  );
}

/** 十星级文明户: a grid worker proposes the stars of their grids' households (flows/StarsFlow). */
function StarsEntry() {
  const { can } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  if (!can(Permission.StarPropose)) return null;
  return (
    <TaskCard testId="m-task-stars" title={{ zh: '十星级文明户', en: 'Star households' }}>
      <Button
        block
        color="primary"
        fill="outline"
        className="m-cta"
        onClick={() => void navigate('/stars')}
        data-testid="m-open-stars"
      >
        {t({ zh: '住户评星', en: 'Rate households' })} <RightOutline />
      </Button>
    </TaskCard>
  );
}

function ProblemItem({ problem }: { problem: TProblem }) {
  const { t } = useI18n();
  return (
    <List.Item
      onClick={open(`/problems/${problem.id}`)}
      description={
        <>
          {problem.code}
          {problem.deadline ? ` · ${t(L.common.timeLimit)} ${formatTime(problem.deadline)}` : ''}
        </>
      }
      extra={
        <Tag color={problem.escalation === 'none' ? 'default' : 'danger'} fill="outline">
          {t(PROBLEM_STATE_LABELS[problem.state])}
        </Tag>
      }
    >
      {problem.title}
    </List.Item>
  );
}

/** 实地检查 knows it was opened from here: its back button returns here (flows/InspectFlow.tsx). */
const FROM_HOME = { from: 'home' } as const;

function InspectSection({ core }: { core: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  // The rounds are kept on the phone (phone-store.ts): 实地检查 then opens offline even if only
  // this list was seen online, and offline this list shows the kept copy.
  const answer = useKept('GET /api/inspections/mine', {});
  const rounds = answer.data ? todaysRounds(answer.data.items, shanghaiToday()) : [];
  if (!core && !answer.loading && rounds.length === 0) return null;
  return (
    <TaskCard testId="m-task-inspect" title={{ zh: '今日检查点位', en: "Today's points" }}>
      <Loaded answer={answer}>
        {() =>
          rounds.length ? (
            rounds.map((r) => (
              <div key={r.id} className="m-block">
                <div className="m-line">
                  <b>{r.name}</b>
                  <span className="m-right">
                    {r.visited}/{r.total}
                  </span>
                </div>
                <ProgressBar percent={r.total ? (100 * r.visited) / r.total : 0} />
                <List className="m-list">
                  {r.next.map((p) => (
                    <List.Item
                      key={p.id}
                      onClick={() =>
                        void navigate(`/inspect/${r.id}/points/${p.id}`, { state: FROM_HOME })
                      }
                      description={p.address ?? p.typeName}
                      data-testid={`m-inspect-point-${p.id}`}
                    >
                      {p.name}
                    </List.Item>
                  ))}
                </List>
              </div>
            ))
          ) : (
            <Empty text={{ zh: '今天没有分配的检查点位', en: 'No points assigned today' }} />
          )
        }
      </Loaded>
      <Button
        block
        fill="outline"
        color="primary"
        onClick={() => void navigate('/inspect', { state: FROM_HOME })}
        data-testid="m-open-inspect"
      >
        {t(L.points.fieldInspection)} <RightOutline />
      </Button>
    </TaskCard>
  );
}

function RectifySection({ core }: { core: boolean }) {
  const { user } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  // The flow's own list, kept on the phone: the card shows it offline too.
  const answer = useKept('GET /api/problems', user?.unitId ? rectifyList(user.unitId) : null);
  const toDo = answer.data?.items.filter((p) => p.state === 'dispatched') ?? [];
  if (!user?.unitId || (!core && !answer.loading && toDo.length === 0)) return null;
  return (
    <TaskCard
      testId="m-task-rectify"
      title={{ zh: '待整改问题', en: 'To rectify' }}
      extra={toDo.length > 0 ? <Tag color="danger">{toDo.length}</Tag> : undefined}
    >
      <Loaded answer={answer}>
        {() =>
          toDo.length ? (
            <List className="m-list">
              {toDo.slice(0, 5).map((x) => (
                <List.Item
                  key={x.id}
                  onClick={() => void navigate(`/rectify/${x.id}`)}
                  description={
                    <>
                      {x.code}
                      {x.deadline && (
                        <>
                          {' · '}
                          <Due deadline={x.deadline} />
                        </>
                      )}
                    </>
                  }
                  extra={<EscalationTag level={x.escalation} />}
                >
                  {x.title}
                </List.Item>
              ))}
            </List>
          ) : (
            <Empty text={{ zh: '没有待整改的问题', en: 'Nothing to rectify' }} />
          )
        }
      </Loaded>
      <Button
        block
        color="primary"
        fill="outline"
        onClick={() => void navigate('/rectify')}
        data-testid="m-open-rectify"
      >
        {t({ zh: '整改任务', en: 'Rectification' })} <RightOutline />
      </Button>
    </TaskCard>
  );
}

/** 入户走访: shown to a unit's people whose unit has 包联 pairings. */
function VisitsSection() {
  const { user } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const answer = useKept('GET /api/outreach/pairings', user?.unitId ? {} : null);
  const active = answer.data?.filter((p) => p.active) ?? [];
  if (active.length === 0) return null;
  const target = active.reduce((s, p) => s + p.targetHouseholds, 0);
  const visited = active.reduce((s, p) => s + Math.min(p.visitedHouseholds, p.targetHouseholds), 0);
  return (
    <TaskCard testId="m-task-visits" title={{ zh: '入户走访', en: 'Household visits' }}>
      <div className="m-line">
        {active.map((p) => `${p.regionName}${p.building}`).join('、')}
        <span className="m-right">
          {visited}/{target}
        </span>
      </div>
      <ProgressBar percent={target ? (100 * visited) / target : 0} />
      <Button
        block
        color="primary"
        fill="outline"
        className="m-cta"
        onClick={() => void navigate('/visits')}
        data-testid="m-open-visits"
      >
        {t(L.surveys.logVisit)} <RightOutline />
      </Button>
    </TaskCard>
  );
}

function SurveySection({ core }: { core: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  // The flow's own list, kept on the phone: the card shows it offline too.
  const answer = useKept('GET /api/survey-app/assignments', {});
  if (!core && !answer.loading && !answer.data?.length) return null;
  return (
    <TaskCard testId="m-task-survey" title={{ zh: '我的调查配额', en: 'My quotas' }}>
      <Loaded answer={answer}>
        {(quotas) =>
          quotas.length ? (
            quotas.map((q) => (
              <div key={q.quotaId} className="m-block">
                <div className="m-line">
                  <b>{q.surveyName}</b> · {q.regionName} {q.group}
                  <span className="m-right">
                    {q.done}/{q.target}
                  </span>
                </div>
                <ProgressBar percent={q.target ? Math.min(100, (100 * q.done) / q.target) : 0} />
                <div className="m-sub">
                  {t({ zh: `我已完成 ${q.mine} 份`, en: `${q.mine} by me` })}
                </div>
              </div>
            ))
          ) : (
            <Empty text={{ zh: '没有分配的配额', en: 'No quotas assigned' }} />
          )
        }
      </Loaded>
      <Button
        block
        fill="outline"
        color="primary"
        onClick={() => void navigate('/survey')}
        data-testid="m-open-survey"
      >
        {t(L.surveys.householdSurvey)} <RightOutline />
      </Button>
    </TaskCard>
  );
}

function VolunteerSection({ core }: { core: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  // From yesterday to a month ahead, fixed when the page opens.
  const [range] = useState(() => volunteerRange());
  // Kept as the flow keeps it (flows/CheckinFlow.tsx): the card shows it offline too.
  const answer = useKept('GET /api/volunteer-activities', range, { keepAs: {} });
  const mine = answer.data?.filter((a) => a.mine?.signedUp && a.status === 'published') ?? [];
  if (!core && !answer.loading && mine.length === 0) return null;
  return (
    <TaskCard testId="m-task-volunteer" title={{ zh: '我的志愿活动', en: 'My activities' }}>
      <Loaded answer={answer}>
        {() =>
          mine.length ? (
            <List className="m-list">
              {mine.map((a) => (
                <List.Item
                  key={a.id}
                  onClick={() => void navigate(`/checkin/${a.id}`)}
                  description={`${formatTime(a.startsAt)} · ${a.placeName ?? a.address ?? ''}`}
                  extra={
                    a.mine?.checkInAt ? (
                      <Tag color="success">{t(L.volunteers.checkedIn)}</Tag>
                    ) : undefined
                  }
                >
                  {a.title}
                </List.Item>
              ))}
            </List>
          ) : (
            <Empty text={{ zh: '近期没有报名的活动', en: 'No activities signed up for' }} />
          )
        }
      </Loaded>
      <Button
        block
        fill="outline"
        color="primary"
        onClick={() => void navigate('/activities')}
        data-testid="m-open-activities"
      >
        {t({ zh: '浏览志愿活动', en: 'Browse activities' })} <RightOutline />
      </Button>
    </TaskCard>
  );
}
