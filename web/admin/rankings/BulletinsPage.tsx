import { Alert, App, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import type { TBulletinSummary, TOwnerFilter } from '../../../core/contracts/rankings.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { STATE_LABELS, levelLabel, localDate } from './labels.js';
import { LevelFilter } from './LevelFilter.js';

/**
 * 通报: the list, generating one from a ranking, preview/print, XLSX, publishing. Each level
 * issues its own from its own ranking; the city office looks at its own or at a district's.
 */
export function BulletinsPage() {
  const { t, lang } = useI18n();
  const { can, user, cityLevel } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const isUnit = !can(Permission.RankingWrite) && user?.roles.includes('unit') && !!user.unitId;
  const picksLevel = cityLevel && !isUnit;
  const [level, setLevel] = useState<TOwnerFilter>('city');
  // Generating is the level's own: the city office issues the city's, not a district's.
  const canWrite = can(Permission.RankingWrite);
  const generates = canWrite && (!picksLevel || level === 'city');
  const owner = { query: picksLevel ? { ownerRegionId: level } : {} };
  const bulletins = useApi('GET /api/bulletins', owner);
  const items = bulletins.data?.items ?? [];
  // The rankings a bulletin can be made from (the level's own, when it generates).
  const snapshotsQ = useApi('GET /api/rankings/snapshots', generates ? owner : null);
  const snapshots = useMemo(
    () => (snapshotsQ.data?.items ?? []).filter((x) => x.state !== 'superseded'),
    [snapshotsQ.data],
  );
  const [picked, setSnapshotId] = useState<number | null>(null);
  const snapshotId = picked ?? snapshots[0]?.id ?? null;
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const failed = bulletins.error ?? snapshotsQ.error;
  const error = failed ? errorText(failed, lang) : null;
  // Both read the bulletins again (every read under /api/bulletins).
  const create = useApiMutation('POST /api/bulletins');
  const publishBulletin = useApiMutation('POST /api/bulletins/:id/publish');

  const generate = async () => {
    if (snapshotId === null) return;
    setBusy(true);
    try {
      const b = await create.mutateAsync({
        body: { snapshotId, ...(title.trim() ? { title: title.trim() } : {}) },
      });
      message.success(t({ zh: '通报已生成', en: 'Bulletin generated' }));
      void navigate(`/bulletins/${b.id}/print`);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const publish = async (id: number) => {
    try {
      await publishBulletin.mutateAsync({ params: { id } });
      message.success(t({ zh: '通报已发布', en: 'Bulletin published' }));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }} data-testid="bulletins-title">
        {t(L.results.bulletin)}
        {!cityLevel && !isUnit && user?.regionName ? ` · ${user.regionName}` : ''}
      </Typography.Title>
      {error && <Alert type="error" showIcon title={error} />}
      {picksLevel && (
        <Space>
          <LevelFilter value={level} onChange={setLevel} />
        </Space>
      )}
      {generates && (
        <Card title={t({ zh: '生成通报', en: 'Generate a bulletin' })}>
          <Space wrap>
            <Select
              style={{ width: 320 }}
              value={snapshotId ?? undefined}
              onChange={setSnapshotId}
              data-testid="bulletin-snapshot"
              placeholder={t({ zh: '选择排名', en: 'Pick a ranking' })}
              options={snapshots.map((s) => ({
                value: s.id,
                // The city's read as before; another level's are named.
                label: `${s.ownerName ? `${s.ownerName} · ` : ''}${s.period} · v${s.version} · ${t(STATE_LABELS[s.state])}`,
              }))}
            />
            <Input
              style={{ width: 320 }}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              placeholder={t({ zh: '标题（可选，默认按周期生成）', en: 'Title (optional)' })}
            />
            <Button
              type="primary"
              loading={busy}
              disabled={snapshotId === null}
              onClick={() => void generate()}
              data-testid="bulletin-generate"
            >
              {t({ zh: '生成并预览', en: 'Generate and preview' })}
            </Button>
          </Space>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t({
              zh: '通报内容在生成时固定；发布前需先发布对应周期的排名，本级每个周期只发布一份通报。',
              en: 'A bulletin is frozen when generated; publish its ranking first; one published bulletin per period at each level.',
            })}
          </Typography.Paragraph>
        </Card>
      )}
      <Card>
        <Table
          rowKey="id"
          size="small"
          dataSource={items}
          data-testid="bulletin-list"
          columns={[
            {
              title: t({ zh: '期号', en: 'Issue' }),
              width: 80,
              render: (_: unknown, b: TBulletinSummary) => (b.issueNo ? `第 ${b.issueNo} 期` : '—'),
            },
            {
              title: t(L.common.level),
              width: 100,
              render: (_: unknown, b: TBulletinSummary) => t(levelLabel(b.ownerName)),
            },
            { title: t(L.common.title), dataIndex: 'title' },
            { title: t(L.common.period), dataIndex: 'period', width: 100 },
            {
              title: t(L.common.status),
              width: 90,
              render: (_: unknown, b: TBulletinSummary) => (
                <Tag color={b.state === 'published' ? 'green' : 'gold'}>
                  {t(STATE_LABELS[b.state])}
                </Tag>
              ),
            },
            {
              title: t({ zh: '生成', en: 'Generated' }),
              width: 150,
              render: (_: unknown, b: TBulletinSummary) =>
                `${localDate(b.createdAt)} ${b.createdByName}`,
            },
            {
              title: t(L.common.actions),
              render: (_: unknown, b: TBulletinSummary) => (
                <Space wrap>
                  <Button size="small" onClick={() => navigate(`/bulletins/${b.id}/print`)}>
                    {t({ zh: '预览/打印', en: 'Preview / print' })}
                  </Button>
                  <Button size="small" href={`/api/bulletins/${b.id}/xlsx`}>
                    XLSX
                  </Button>
                  {canWrite && b.state === 'draft' && (
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => void publish(b.id)}
                      data-testid="bulletin-publish"
                    >
                      {t(L.common.publish)}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
