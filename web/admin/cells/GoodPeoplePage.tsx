import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Image,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import {
  GOOD_PERSON_CATEGORIES,
  GOOD_PERSON_CATEGORY_LABELS,
  GOOD_PERSON_MONTH_STATE_LABELS,
  NOMINATION_SOURCE_LABELS,
  NOMINATION_STATUSES,
  NOMINATION_STATUS_LABELS,
  UPWARD_LEVEL_LABELS,
  UPWARD_STAGE_LABELS,
  type TGoodPersonCategory,
  type TNominationStatus,
} from '../../../core/good-people/labels.js';
import type { TNomination } from '../../../core/contracts/good-people.js';
import { monthOf, previousMonth } from '../../../core/good-people/months.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { Pager } from '../Pager.js';
import { useApiPages } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { GoodPersonDialogs, type Dialog } from './GoodPersonDialogs.js';

const STATUS_COLORS: Record<TNominationStatus, string> = {
  submitted: 'blue',
  shortlisted: 'gold',
  rejected: 'default',
  honoured: 'red',
};

/** The month (YYYY-MM, Beijing time) `back` months before now. */
export function monthBack(back: number, now = new Date()): string {
  let month = monthOf(now);
  for (let i = 0; i < back; i++) month = previousMonth(month);
  return month;
}

/**
 * 身边好人: a month's nominations by status and category, the review (入围 / 未入围), the vote's
 * window and counts, the 好人榜 (上榜 with rank, published) and the path upward. A district or
 * street office reviews its subtree's; the vote, the list and the path upward are the city's.
 */
export function GoodPeoplePage() {
  const { t, lang } = useI18n();
  const { can, cityLevel } = useAuth();
  const { message } = App.useApp();
  const [month, setMonth] = useState(() => monthBack(0));
  const [status, setStatus] = useState<TNominationStatus | undefined>();
  const [category, setCategory] = useState<TGoodPersonCategory | undefined>();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const reviewer = can(Permission.GoodPersonReview);
  const cityReviewer = reviewer && cityLevel;
  const nominator = can(Permission.GoodPersonNominate);

  const list = useApiPages('GET /api/good-people', { month, status, category });
  const monthQ = useApi('GET /api/good-people/months/:month', { params: { month } });
  const m = monthQ.data;
  const detail = useApi(
    'GET /api/good-people/:id',
    openId === null ? null : { params: { id: openId } },
  );
  const shortlist = useApiMutation('POST /api/good-people/:id/status');
  const move = useApiMutation('POST /api/good-people/months/:month/state');
  const months = useMemo(() => Array.from({ length: 12 }, (_, i) => monthBack(i)), []);
  const error = list.error ?? monthQ.error;

  async function moveMonth(state: 'voting' | 'closed' | 'published') {
    if (!m) return;
    try {
      await move.mutateAsync({ params: { month }, body: { state, version: m.version } });
      message.success(t(GOOD_PERSON_MONTH_STATE_LABELS[state]));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  async function setShortlisted(n: TNomination) {
    try {
      await shortlist.mutateAsync({
        params: { id: n.id },
        body: { status: 'shortlisted', version: n.version },
      });
      message.success(t(NOMINATION_STATUS_LABELS.shortlisted));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  const state = m?.state ?? 'collecting';
  const actions = (n: TNomination) => {
    if (!reviewer) return null;
    const buttons = [];
    if (state === 'collecting' && (n.status === 'submitted' || n.status === 'rejected'))
      buttons.push(
        <Button
          key="s"
          size="small"
          data-testid={`gp-shortlist-${n.id}`}
          onClick={() => void setShortlisted(n)}
        >
          {t({ zh: '入围', en: 'Shortlist' })}
        </Button>,
      );
    if (n.status === 'submitted' || (state === 'collecting' && n.status === 'shortlisted'))
      buttons.push(
        <Button
          key="r"
          size="small"
          danger
          data-testid={`gp-reject-${n.id}`}
          onClick={() => setDialog({ kind: 'reject', n })}
        >
          {t({ zh: '不予入围', en: 'Reject' })}
        </Button>,
      );
    if (cityReviewer && state === 'closed' && n.status === 'shortlisted')
      buttons.push(
        <Button
          key="h"
          size="small"
          type="primary"
          data-testid={`gp-honour-${n.id}`}
          onClick={() => setDialog({ kind: 'honour', n })}
        >
          {t({ zh: '上榜', en: 'Honour' })}
        </Button>,
      );
    if (cityReviewer && state === 'closed' && n.status === 'honoured')
      buttons.push(
        <Button key="u" size="small" onClick={() => void setShortlisted(n)}>
          {t({ zh: '撤下', en: 'Take off' })}
        </Button>,
      );
    if (cityReviewer && state === 'published' && n.status === 'honoured')
      buttons.push(
        <Button
          key="p"
          size="small"
          data-testid={`gp-step-${n.id}`}
          onClick={() => setDialog({ kind: 'step', n })}
        >
          {t({ zh: '向上推荐', en: 'Put forward' })}
        </Button>,
      );
    return <Space wrap>{buttons}</Space>;
  };

  const open = detail.data;
  return (
    <Card
      title={t(L.cells.goodPeople)}
      extra={
        nominator && state === 'collecting' && month >= monthBack(1) ? (
          <Button
            type="primary"
            data-testid="gp-nominate"
            onClick={() => setDialog({ kind: 'nominate', month })}
          >
            {t({ zh: '推荐好人', en: 'Nominate' })}
          </Button>
        ) : null
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        {error && <Alert type="error" showIcon title={errorText(error, lang)} />}
        <Space wrap>
          <Select
            style={{ width: 120 }}
            value={month}
            data-testid="gp-month"
            options={months.map((v) => ({ value: v, label: v }))}
            onChange={setMonth}
          />
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t(L.common.status)}
            data-testid="gp-status"
            value={status}
            options={NOMINATION_STATUSES.map((s) => ({
              value: s,
              label: t(NOMINATION_STATUS_LABELS[s]),
            }))}
            onChange={setStatus}
          />
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={t(L.common.category)}
            value={category}
            options={GOOD_PERSON_CATEGORIES.map((c) => ({
              value: c,
              label: t(GOOD_PERSON_CATEGORY_LABELS[c]),
            }))}
            onChange={setCategory}
          />
          <Tag
            color={state === 'voting' ? 'green' : state === 'published' ? 'red' : 'blue'}
            data-testid="gp-month-state"
          >
            {t(GOOD_PERSON_MONTH_STATE_LABELS[state])}
          </Tag>
          {cityReviewer && m && (
            <>
              {state === 'collecting' && (
                <Button data-testid="gp-open-vote" onClick={() => void moveMonth('voting')}>
                  {t({ zh: '开启投票', en: 'Open the vote' })}
                </Button>
              )}
              {state === 'voting' && (
                <Button data-testid="gp-close-vote" onClick={() => void moveMonth('closed')}>
                  {t({ zh: '截止投票', en: 'Close the vote' })}
                </Button>
              )}
              {state === 'closed' && (
                <>
                  <Button onClick={() => void moveMonth('voting')}>
                    {t({ zh: '重新开启投票', en: 'Reopen the vote' })}
                  </Button>
                  <Button
                    type="primary"
                    data-testid="gp-publish"
                    onClick={() => void moveMonth('published')}
                  >
                    {t({ zh: '发布好人榜', en: 'Publish the list' })}
                  </Button>
                </>
              )}
            </>
          )}
        </Space>
        <Table<TNomination>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          data-testid="gp-list"
          scroll={{ x: 1000 }}
          columns={[
            {
              title: t({ zh: '被推荐人', en: 'Nominee' }),
              render: (_: unknown, n) => (
                <a onClick={() => setOpenId(n.id)} data-testid={`gp-open-${n.id}`}>
                  {n.nomineeName}
                </a>
              ),
            },
            {
              title: t(L.common.category),
              width: 100,
              render: (_: unknown, n) => t(GOOD_PERSON_CATEGORY_LABELS[n.category]),
            },
            { title: t({ zh: '所在地', en: 'Place' }), dataIndex: 'regionName', width: 120 },
            {
              title: t({ zh: '推荐方', en: 'Nominated by' }),
              width: 150,
              render: (_: unknown, n) => n.nominatorLabel,
            },
            {
              title: t(L.common.status),
              width: 160,
              render: (_: unknown, n) => (
                <Space orientation="vertical" size={0}>
                  <Tag color={STATUS_COLORS[n.status]}>
                    {t(NOMINATION_STATUS_LABELS[n.status])}
                    {n.rank !== null
                      ? ` · ${t({ zh: `第 ${n.rank} 名`, en: `No. ${n.rank}` })}`
                      : ''}
                  </Tag>
                  {n.reason && <Typography.Text type="secondary">{n.reason}</Typography.Text>}
                </Space>
              ),
            },
            {
              title: t({ zh: '得票', en: 'Votes' }),
              dataIndex: 'voteCount',
              width: 80,
              align: 'right',
            },
            { title: t(L.common.actions), width: 220, render: (_: unknown, n) => actions(n) },
          ]}
        />
        <Pager
          total={list.total}
          pageNumber={list.pageNumber}
          hasPrev={list.hasPrev}
          hasNext={list.hasNext}
          prev={list.prev}
          next={list.next}
        />
      </Space>
      <Drawer
        open={openId !== null}
        onClose={() => setOpenId(null)}
        title={open?.nomineeName}
        size={Math.min(560, window.innerWidth)}
      >
        {open && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="gp-detail">
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t(L.common.category)}>
                {t(GOOD_PERSON_CATEGORY_LABELS[open.category])}
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '推荐方', en: 'Nominated by' })}>
                {t(NOMINATION_SOURCE_LABELS[open.source])} · {open.nominatorLabel}
              </Descriptions.Item>
              {open.citizenName && (
                <Descriptions.Item label={t({ zh: '推荐人（不公开）', en: 'Nominator (private)' })}>
                  {open.citizenName} {open.citizenPhone}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t({ zh: '事迹', en: 'Deeds' })}>
                {open.deeds}
              </Descriptions.Item>
            </Descriptions>
            {open.photoId && (
              <Image
                width={200}
                src={`/api/files/${open.photoId}/thumb`}
                preview={{ src: `/api/files/${open.photoId}` }}
              />
            )}
            {open.steps.length > 0 && (
              <>
                <Typography.Title level={5}>
                  {t({ zh: '向上推荐', en: 'Path upward' })}
                </Typography.Title>
                <Timeline
                  items={open.steps.map((s) => ({
                    key: s.id,
                    content: `${s.on} ${t(UPWARD_LEVEL_LABELS[s.level])} · ${t(UPWARD_STAGE_LABELS[s.stage])}${s.note ? ` — ${s.note}` : ''}`,
                  }))}
                />
              </>
            )}
          </Space>
        )}
      </Drawer>
      <GoodPersonDialogs dialog={dialog} onClose={() => setDialog(null)} />
    </Card>
  );
}
