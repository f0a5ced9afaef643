import { Card, Image, ImageViewer, List, NoticeBar, Steps, Tag } from 'antd-mobile';
import { EnvironmentOutline, PictureOutline } from 'antd-mobile-icons';
import type { TProblem, TProblemEvent, TProblemPhoto } from '../../../core/contracts/problems.js';
import {
  PROBLEM_ACTION_LABELS,
  PROBLEM_STATE_LABELS,
  type TProblemAction,
} from '../../../core/problems/lifecycle.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { Due, EscalationTag } from '../problem-bits.js';

/** What a unit needs to know about a problem on site: what, where, by when, and its photos. */
export function ProblemFacts({
  problem: p,
  photos,
}: {
  problem: TProblem;
  /** null: not loaded (opened offline from the kept list). */
  photos: TProblemPhoto[] | null;
}) {
  const { t } = useI18n();
  const before = photos?.filter((x) => x.stage === 'before') ?? [];
  const after = photos?.filter((x) => x.stage === 'after') ?? [];
  return (
    <>
      <Card
        className="m-card"
        title={<span data-testid="m-problem-title">{p.title}</span>}
        extra={
          <Tag color="primary" fill="outline" data-testid="m-problem-state">
            {t(PROBLEM_STATE_LABELS[p.state])}
          </Tag>
        }
      >
        <div className="m-line">
          <EscalationTag level={p.escalation} />
          {p.extensionPending && (
            <Tag color="primary" fill="outline">
              {t({ zh: '延期审批中', en: 'Extension asked' })}
            </Tag>
          )}
          {p.reworkCount > 0 && (
            <Tag color="danger" fill="outline">
              {t({ zh: `返工 ${p.reworkCount} 次`, en: `Reworked ${p.reworkCount}×` })}
            </Tag>
          )}
        </div>
        <List className="m-facts">
          <List.Item extra={p.code}>{t(L.common.code)}</List.Item>
          <List.Item extra={p.categoryName}>{t(L.common.category)}</List.Item>
          {p.deadline && (
            <List.Item
              extra={
                <div className="m-right-col" data-testid="m-problem-deadline">
                  <div>{formatTime(p.deadline)}</div>
                  {p.state === 'dispatched' && <Due deadline={p.deadline} />}
                </div>
              }
            >
              {t(L.problems.rectifyDeadline)}
            </List.Item>
          )}
          {p.extensionPending && p.extensionRequestedDeadline && (
            <List.Item extra={formatTime(p.extensionRequestedDeadline)}>
              {t(L.problems.extendTo)}
            </List.Item>
          )}
        </List>
        {(p.regionName || p.address || p.lat !== null) && (
          <div className="m-where" data-testid="m-problem-where">
            <EnvironmentOutline /> {[p.regionName, p.address].filter(Boolean).join(' ')}
            {p.lat !== null && p.lng !== null && (
              <span className="m-muted">
                {' '}
                ({p.lat.toFixed(5)}, {p.lng.toFixed(5)})
              </span>
            )}
          </div>
        )}
        {p.description && <p className="m-desc">{p.description}</p>}
      </Card>
      {p.extensionPending && (
        <NoticeBar
          color="info"
          wrap
          className="m-pending"
          content={t({
            zh: `已申请延期至 ${formatTime(p.extensionRequestedDeadline)}，等待创建办审批`,
            en: `More time asked, until ${formatTime(p.extensionRequestedDeadline)}; the office decides`,
          })}
        />
      )}
      <Card className="m-card" title={t(L.common.photos)}>
        {photos === null ? (
          <div className="m-muted">
            <PictureOutline /> {t({ zh: '联网后显示照片', en: 'Photos are shown once online' })}
          </div>
        ) : (
          <>
            <Photos label={L.problems.before} photos={before} testId="m-photos-before" />
            {after.length > 0 && (
              <Photos
                label={{ zh: '整改照片', en: 'After' }}
                photos={after}
                testId="m-photos-after"
              />
            )}
          </>
        )}
      </Card>
    </>
  );
}

function Photos({ label, photos, testId }: { label: L; photos: TProblemPhoto[]; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="m-block" data-testid={testId}>
      <div className="m-cat-title">{t(label)}</div>
      {photos.length === 0 ? (
        <div className="m-muted">{t(L.common.none)}</div>
      ) : (
        <div className="m-photos">
          {photos.map((x, i) => (
            <Image
              key={x.id}
              className="m-thumb"
              src={x.thumbUrl}
              width={80}
              height={80}
              fit="cover"
              onClick={() =>
                ImageViewer.Multi.show({ images: photos.map((y) => y.url), defaultIndex: i })
              }
            />
          ))}
        </div>
      )}
    </div>
  );
}

const EVENT_LABELS: Record<string, L> = {
  create: { zh: '登记', en: 'Reported' },
  absorb: { zh: '并入重复问题', en: 'Absorbed a duplicate' },
  hand_down: L.problems.handedDown,
  place: L.problems.placed,
  rate: L.problems.reporterRating,
  reporter_reopen: L.problems.reporterReopen,
};

/** The problem's history, newest first. */
export function Timeline({ events }: { events: TProblemEvent[] }) {
  const { t } = useI18n();
  const label = (a: string): L =>
    EVENT_LABELS[a] ?? PROBLEM_ACTION_LABELS[a as TProblemAction] ?? { zh: a, en: a };
  return (
    <Card className="m-card" title={t({ zh: '办理过程', en: 'Timeline' })}>
      <Steps direction="vertical" current={0} data-testid="m-timeline">
        {[...events].reverse().map((e) => (
          <Steps.Step
            key={e.id}
            status={e.action === 'rework' || e.action === 'reject' ? 'error' : 'finish'}
            title={t(label(e.action))}
            description={
              <>
                {e.actorName} · {formatTime(e.at)}
                {e.note && <div className="m-step-note">{e.note}</div>}
              </>
            }
          />
        ))}
      </Steps>
    </Card>
  );
}
