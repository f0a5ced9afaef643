import {
  Button,
  Card,
  ErrorBlock,
  Grid,
  NavBar,
  Popup,
  Result,
  Selector,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { CameraOutline, EnvironmentOutline } from 'antd-mobile-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { trackLengthM } from '../../../core/geo/coverage.js';
import { useAuth } from '../../admin/auth.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { usePatrolWalk, type PatrolProblemInput } from '../../shared/patrol-walk.js';
import { useCategories } from '../../shared/use-categories.js';
import { CategoryPicker } from './CategoryPicker.js';
import { QueueBar } from '../QueueBar.js';
import { PatrolSketch } from './PatrolSketch.js';

/**
 * 巡查上报, the grid worker's flow: pick a grid and start, walk (the GPS track is queued in
 * batches), report what is found — a photo, a kind, a note; the position is taken at once — and
 * end. Writes go through the offline queue (web/shared/patrol-walk.ts), so all of it works with
 * the network cut and arrives, in order, once the phone is back online.
 */
export function PatrolFlow() {
  // The app shows its flows to a signed-in user only (MobileApp.tsx).
  const userId = useAuth().user!.id;
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const onError = useCallback(
    (err: unknown) => void Toast.show({ icon: 'fail', content: errorText(err, lang) }),
    [lang],
  );
  const { grids, walk, start, end, report } = usePatrolWalk({ userId, t, onError });
  const [gridId, setGridId] = useState<number | undefined>();
  const [ended, setEnded] = useState<{ gridName: string; distanceM: number } | null>(null);
  const [sheet, setSheet] = useState(false);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (gridId === undefined && grids.length) setGridId(grids[0]!.id);
  }, [grids, gridId]);
  useEffect(() => {
    if (!walk) return;
    const timer = window.setInterval(() => setNow(Date.now()), 15_000);
    return () => window.clearInterval(timer);
  }, [walk]);

  const grid = grids.find((g) => g.id === (walk?.gridId ?? gridId));
  const minutes = walk ? Math.max(0, Math.floor((now - Date.parse(walk.startedAt)) / 60000)) : 0;
  return (
    <div className="m-flow" data-testid="m-patrol">
      <NavBar className="m-navbar" onBack={() => void navigate('/')}>
        {t(L.grids.gridPatrol)}
      </NavBar>
      <QueueBar />
      {!walk ? (
        <div className="m-pad">
          {ended && (
            <Result
              status="success"
              title={t({ zh: '巡查已结束', en: 'Patrol ended' })}
              description={`${ended.gridName} · ${Math.round(ended.distanceM)} m`}
              data-testid="patrol-ended"
            />
          )}
          {grids.length === 0 ? (
            <ErrorBlock
              status="empty"
              title={t({ zh: '您尚未被分配网格', en: 'You have no grid assigned' })}
              description=""
            />
          ) : (
            <Card className="m-card" title={t({ zh: '选择网格', en: 'Choose a grid' })}>
              <Selector
                columns={1}
                value={gridId === undefined ? [] : [gridId]}
                onChange={(v) => v[0] !== undefined && setGridId(v[0])}
                options={grids.map((g) => ({
                  value: g.id,
                  label: g.name,
                  description: `${g.code} · ${g.regionName}`,
                }))}
                data-testid="m-patrol-grids"
              />
            </Card>
          )}
          <Button
            block
            color="primary"
            size="large"
            className="m-big"
            disabled={!grid}
            data-testid="patrol-start"
            onClick={() => {
              if (!grid) return;
              setEnded(null);
              void start(grid);
            }}
          >
            <EnvironmentOutline /> {t({ zh: '开始巡查', en: 'Start patrol' })}
          </Button>
        </div>
      ) : (
        <div className="m-pad">
          <Card
            className="m-card"
            title={walk.gridName}
            extra={<Tag color="success">{t(L.grids.walking)}</Tag>}
          >
            <Grid columns={4} className="m-stats">
              <Stat label={t({ zh: '用时', en: 'Time' })} value={`${minutes}′`} />
              <Stat
                label={t(L.grids.distance)}
                value={`${Math.round(trackLengthM(walk.path))} m`}
              />
              <Stat label={t(L.grids.gpsSamples)} value={walk.nextSeq} testId="patrol-samples" />
              <Stat label={t(L.problems.reported)} value={walk.reported} testId="patrol-reported" />
            </Grid>
            <PatrolSketch geometry={grid?.geometry ?? null} path={walk.path} />
            <div className="m-sub">
              {t(L.common.startedAt)} {formatTime(walk.startedAt)}
            </div>
          </Card>
          <Button
            block
            color="danger"
            size="large"
            className="m-big"
            onClick={() => setSheet(true)}
            data-testid="patrol-report"
          >
            <CameraOutline /> {t({ zh: '发现问题', en: 'Report a problem' })}
          </Button>
          <Button
            block
            size="large"
            className="m-end"
            data-testid="patrol-end"
            onClick={() =>
              void end().then(
                (r) => r && setEnded({ gridName: r.gridName, distanceM: trackLengthM(r.path) }),
              )
            }
          >
            {t({ zh: '结束巡查', en: 'End patrol' })}
          </Button>
        </div>
      )}
      <ReportSheet
        open={sheet}
        onClose={() => setSheet(false)}
        here={walk?.path[walk.path.length - 1] ?? null}
        onSubmit={async (input) => {
          const outcome = await report(input);
          setSheet(false);
          Toast.show({
            icon: 'success',
            content:
              outcome === 'sent'
                ? t({ zh: '问题已上报', en: 'Problem reported' })
                : t({ zh: '已保存，联网后自动上报', en: 'Saved; sent when back online' }),
          });
        }}
      />
    </div>
  );
}

function Stat(props: { label: string; value: string | number; testId?: string }) {
  return (
    <Grid.Item className="m-stat">
      <div className="m-stat-value" data-testid={props.testId}>
        {props.value}
      </div>
      <div className="m-stat-label">{props.label}</div>
    </Grid.Item>
  );
}

/** A photo, a kind (the title defaults to it), an optional note: the position is added on submit. */
function ReportSheet(props: {
  open: boolean;
  here: { lat: number; lng: number } | null;
  onClose: () => void;
  onSubmit: (v: PatrolProblemInput) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const categories = useCategories();
  const [photo, setPhoto] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (props.open) {
      setPhoto(null);
      setCategoryId(undefined);
      setDescription('');
    }
  }, [props.open]);
  useEffect(() => {
    if (!photo) {
      setPreview(null);
      return;
    }
    const url = URL.createObjectURL(photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);
  const cat = categories.find((c) => c.id === categoryId && c.parentId !== null);
  return (
    <Popup
      visible={props.open}
      onMaskClick={props.onClose}
      onClose={props.onClose}
      position="bottom"
      bodyClassName="m-sheet"
      destroyOnClose
    >
      <div className="m-sheet-inner" data-testid="patrol-sheet">
        <div className="m-sheet-head">
          <span>{t({ zh: '发现问题', en: 'Report a problem' })}</span>
          <Button fill="none" size="small" onClick={props.onClose}>
            {t(L.common.cancel)}
          </Button>
        </div>
        <div className="m-sheet-body">
          <input
            ref={fileRef}
            type="file"
            accept="image/*"
            capture="environment"
            hidden
            data-testid="patrol-photo-input"
            onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
          />
          <button
            type="button"
            className={`m-photo${preview ? ' m-photo-set' : ''}`}
            onClick={() => fileRef.current?.click()}
            data-testid="patrol-photo"
          >
            {preview ? (
              <img src={preview} alt="" />
            ) : (
              <>
                <CameraOutline fontSize={32} />
                <span>{t(L.common.takePhoto)}</span>
              </>
            )}
          </button>
          <div className="m-gps" data-testid="patrol-gps">
            <EnvironmentOutline />{' '}
            {props.here
              ? `${props.here.lat.toFixed(5)}, ${props.here.lng.toFixed(5)}`
              : t({ zh: '上报时定位', en: 'Located on submit' })}
          </div>
          <div className="m-field-label">{t(L.problems.problemCategory)}</div>
          <CategoryPicker categories={categories} value={categoryId} onChange={setCategoryId} />
          <TextArea
            className="m-note"
            placeholder={t({ zh: '补充说明（可选）', en: 'Note (optional)' })}
            value={description}
            onChange={setDescription}
            rows={2}
            maxLength={2000}
            data-testid="patrol-note"
          />
        </div>
        <div className="m-sheet-foot">
          <Button
            block
            color="primary"
            size="large"
            disabled={!cat}
            loading={busy}
            data-testid="patrol-submit"
            onClick={() => {
              if (!cat) return;
              setBusy(true);
              props
                .onSubmit({
                  title: cat.name.length >= 2 ? cat.name : `${cat.name}问题`,
                  categoryId: cat.id,
                  description,
                  photo,
                  photoName: photo?.name,
                })
                .catch((err: unknown) =>
                  Toast.show({ icon: 'fail', content: errorText(err, lang) }),
                )
                .finally(() => setBusy(false));
            }}
          >
            {cat
              ? t({ zh: `上报：${cat.name}`, en: `Report: ${cat.name}` })
              : t({ zh: '请选择问题类别', en: 'Choose the kind' })}
          </Button>
        </div>
      </div>
    </Popup>
  );
}
