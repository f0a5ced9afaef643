import { Button, DotLoading, ErrorBlock, NavBar } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate, useParams } from 'react-router';
import { L, useI18n } from '../../shared/i18n.js';
import {
  useMyRounds,
  usePosition,
  type Fix,
  type MyRounds,
  type VisitTarget,
} from './inspect-data.js';
import { InspectAddPlace } from './InspectAddPlace.js';
import { InspectHistory } from './InspectHistory.js';
import { InspectRounds } from './InspectRounds.js';
import { InspectVisit, type VisitOutcome } from './InspectVisit.js';
import './inspect.css';

/**
 * 实地检查, the inspector's flow (/m/inspect): the rounds and their drawn points — by day when
 * drawn by district, nearest first — then a point's checklist with photos, the GPS fix taken as
 * the form opens, the 整体评价; 随机查看 (a place added on the spot); and a submitted visit's
 * history with 更正. The rounds are kept on the phone (phone-store.ts), so the flow opens
 * offline; every write goes through the offline queue under a client id, so it syncs once the
 * phone is online and a retry never makes a second visit.
 *
 * Routes: `/inspect`, `/inspect/:roundId/points/:pointId`, `/inspect/:roundId/add`,
 * `/inspect/visits/:visitId` (the task list links to a point directly).
 */
export function InspectFlow() {
  const data = useMyRounds();
  const gps = usePosition();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { from, back } = useBack();
  // Each screen opens at its top (the document keeps the last one's scroll otherwise).
  useEffect(() => {
    // A block, not an arrow's value: newer Chromium's scrollTo returns a promise, not a cleanup.
    window.scrollTo?.(0, 0);
  }, [pathname]);
  // The visit just submitted, for the list to say what became of it (while the flow is open).
  const [done, setDone] = useState<VisitOutcome | null>(null);
  const toList = (outcome: VisitOutcome) => {
    // Sent: the server knows the point's result now (queued: once the queue has sent it).
    if (outcome.outcome === 'sent') data.reload();
    setDone(outcome);
    if (from === 'list') void navigate(-1);
    else void navigate('/inspect', { replace: true, state: from ? { from } : null });
  };
  return (
    <Routes>
      <Route
        index
        element={<InspectRounds data={data} fix={gps.fix} done={done} onHome={() => back('/')} />}
      />
      <Route
        path=":roundId/points/:pointId"
        element={<PointVisit data={data} gps={gps} onDone={toList} />}
      />
      <Route path=":roundId/add" element={<AddPlace data={data} gps={gps} onDone={toList} />} />
      <Route path="visits/:visitId" element={<History />} />
      <Route path="*" element={<Navigate to="/inspect" replace />} />
    </Routes>
  );
}

/** Where a screen was opened from: the task list (home), or the flow's list of points. */
export type From = 'home' | 'list';

/**
 * Back to where the screen was opened from, one step down the history (so that the phone's own
 * back button does not return to it); a screen opened by its URL replaces itself with `parent`.
 */
export function useBack() {
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: From } | null)?.from;
  return {
    from,
    back: (parent: string) => void (from ? navigate(-1) : navigate(parent, { replace: true })),
  };
}

function Loading() {
  return (
    <div className="m-loading">
      <DotLoading color="primary" />
    </div>
  );
}

interface Gps {
  fix: Fix | null;
  error: string | null;
}

/** A round and point named in the URL, or a page saying why there is none. */
function useRoundOf(data: MyRounds) {
  const params = useParams();
  const roundId = Number(params.roundId);
  const round = data.rounds?.find((r) => r.id === roundId) ?? null;
  const point = round?.points.find((p) => p.id === Number(params.pointId)) ?? null;
  return { round, point };
}

function NotFound({ text }: { text: { zh: string; en: string } }) {
  const { t } = useI18n();
  const { back } = useBack();
  return (
    <div className="m-flow">
      <NavBar className="m-navbar" onBack={() => back('/inspect')}>
        {t(L.points.fieldInspection)}
      </NavBar>
      <ErrorBlock status="empty" title={t(text)} description="">
        <Button color="primary" onClick={() => back('/inspect')}>
          {t({ zh: '返回点位列表', en: 'Back to the points' })}
        </Button>
      </ErrorBlock>
    </div>
  );
}

function PointVisit(props: { data: MyRounds; gps: Gps; onDone: (o: VisitOutcome) => void }) {
  const { back } = useBack();
  const location = useLocation();
  const { round, point } = useRoundOf(props.data);
  // The visit's client id, known here so that its own item in the queue (while it is being sent)
  // is not taken for an earlier visit of the point waiting to sync.
  const [clientId] = useState(() => crypto.randomUUID());
  if (props.data.rounds === null) return <Loading />;
  if (!round || !point)
    return (
      <NotFound text={{ zh: '该点位不在您的检查任务中', en: 'This point is not yours to visit' }} />
    );
  // Visited: its record (and 更正). Waiting in the queue: nothing to do until it has synced.
  if (point.visitId !== null)
    return (
      <Navigate to={`/inspect/visits/${point.visitId}`} replace state={location.state as unknown} />
    );
  const waiting = props.data.pending.some(
    (p) => p.roundId === round.id && p.pointId === point.id && p.clientId !== clientId,
  );
  if (waiting) {
    return <NotFound text={{ zh: '该点位的检查待同步', en: 'This visit is waiting to sync' }} />;
  }
  return (
    <InspectVisit
      key={`${round.id}:${point.id}`}
      clientId={clientId}
      round={round}
      target={{ kind: 'drawn', point }}
      fix={props.gps.fix}
      gpsError={props.gps.error}
      onBack={() => back('/inspect')}
      onDone={props.onDone}
    />
  );
}

/** 随机查看: the place first, then its type's checklist. */
function AddPlace(props: { data: MyRounds; gps: Gps; onDone: (o: VisitOutcome) => void }) {
  const { back } = useBack();
  const { round } = useRoundOf(props.data);
  const [target, setTarget] = useState<VisitTarget | null>(null);
  useEffect(() => {
    window.scrollTo?.(0, 0);
  }, [target]);
  if (props.data.rounds === null) return <Loading />;
  if (!round || (round.addableTypes ?? []).length === 0)
    return (
      <NotFound text={{ zh: '本轮不能随机增加点位', en: 'Places cannot be added to this round' }} />
    );
  if (target)
    return (
      <InspectVisit
        round={round}
        target={target}
        fix={props.gps.fix}
        gpsError={props.gps.error}
        onBack={() => setTarget(null)}
        onDone={props.onDone}
      />
    );
  return (
    <InspectAddPlace
      round={round}
      fix={props.gps.fix}
      gpsError={props.gps.error}
      onBack={() => back('/inspect')}
      onNext={setTarget}
    />
  );
}

function History() {
  const { back } = useBack();
  const id = Number(useParams().visitId);
  if (!Number.isInteger(id) || id <= 0) return <Navigate to="/inspect" replace />;
  return <InspectHistory visitId={id} onBack={() => back('/inspect')} />;
}
