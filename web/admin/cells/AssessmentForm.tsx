import { App, Alert, Button, Card, Input, InputNumber, Radio, Space, Table, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import {
  VETO_KEYS,
  VETO_LABELS,
  type TApplicationDetail,
  type TCallDetail,
  type TCallStandard,
  type TVetoKey,
} from '../../../core/contracts/cell-awards.js';
import { METHOD_LABELS, type TMethod } from '../../../core/frameworks/methods.js';
import { useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';

type ScoreDraft = { score: number | null; note: string };
type VetoDraft = { hit: boolean | null; note: string };

/** A write here changes the application and its call's list (totals, eligibility). */
export const BOTH = ['GET /api/cell-award-applications', 'GET /api/cell-award-calls'];

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The assessor's form for one application: the 一票否决 answers (yes / no with a note) and the
 * scores item by item against the call's standards (实地查看 / 材料审核 / 问卷, the standard's
 * method), at most each standard's points, with the total as it is typed. Scores are editable
 * while the call is being assessed; the vetoes also during 公示 (an objection may bring a fact up).
 */
export function AssessmentForm(props: {
  call: TCallDetail;
  application: TApplicationDetail;
  onSaved?: (a: TApplicationDetail) => void;
}) {
  const { call, application: a } = props;
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const decided = a.decision !== null;
  const canScore = call.status === 'assessing' && !decided;
  const canVeto = (call.status === 'assessing' || call.status === 'publicity') && !decided;

  const initialScores = useMemo(() => {
    const out: Record<string, ScoreDraft> = {};
    for (const s of call.standards) {
      const saved = a.scores.find((x) => x.standardKey === s.key);
      out[s.key] = { score: saved?.score ?? null, note: saved?.note ?? '' };
    }
    return out;
  }, [call.standards, a.scores]);
  const initialVetoes = useMemo(() => {
    const out = {} as Record<TVetoKey, VetoDraft>;
    for (const k of VETO_KEYS) {
      const saved = a.vetoes.find((v) => v.key === k);
      out[k] = { hit: saved ? saved.hit : null, note: saved?.note ?? '' };
    }
    return out;
  }, [a.vetoes]);
  const [scores, setScores] = useState(initialScores);
  const [vetoes, setVetoes] = useState(initialVetoes);
  const [notes, setNotes] = useState(a.assessorNotes ?? '');
  useEffect(() => setScores(initialScores), [initialScores]);
  useEffect(() => setVetoes(initialVetoes), [initialVetoes]);
  useEffect(() => setNotes(a.assessorNotes ?? ''), [a.assessorNotes]);

  const save = useApiMutation('PUT /api/cell-award-applications/:id/assessment', {
    invalidates: BOTH,
  });
  const over = call.standards.filter((s) => (scores[s.key]?.score ?? 0) > s.maxScore);
  const total = round2(call.standards.reduce((sum, s) => sum + (scores[s.key]?.score ?? 0), 0));
  const scoredCount = call.standards.filter((s) => scores[s.key]?.score != null).length;
  const vetoHit = VETO_KEYS.some((k) => vetoes[k].hit === true);

  async function submit() {
    const answered = VETO_KEYS.filter((k) => vetoes[k].hit !== null);
    const body = {
      version: a.version,
      ...(canVeto && answered.length
        ? {
            vetoes: answered.map((k) => ({
              key: k,
              hit: vetoes[k].hit!,
              note: vetoes[k].note.trim() || null,
            })),
          }
        : {}),
      ...(canScore
        ? {
            scores: call.standards
              .filter((s) => scores[s.key]?.score != null)
              .map((s) => ({
                standardKey: s.key,
                score: scores[s.key]!.score!,
                note: scores[s.key]!.note.trim() || null,
              })),
            assessorNotes: notes.trim() || null,
          }
        : {}),
    };
    try {
      const saved = await save.mutateAsync({ params: { id: a.id }, body });
      message.success(t({ zh: '测评结果已保存', en: 'Assessment saved' }));
      props.onSaved?.(saved);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        size="small"
        title={t({ zh: '一票否决事项（近两年内）', en: 'Eligibility vetoes (within 2 years)' })}
      >
        {vetoHit && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={t({
              zh: '触及一票否决事项：不具备授予资格',
              en: 'A veto is hit: the applicant is not eligible',
            })}
          />
        )}
        <Table
          size="small"
          pagination={false}
          rowKey="key"
          dataSource={VETO_KEYS.map((key) => ({ key }))}
          columns={[
            { title: t({ zh: '否决事项', en: 'Veto' }), render: (_, r) => t(VETO_LABELS[r.key]) },
            {
              title: t({ zh: '核查结果', en: 'Finding' }),
              width: 200,
              render: (_, r) => (
                <Radio.Group
                  disabled={!canVeto}
                  value={vetoes[r.key].hit === null ? undefined : vetoes[r.key].hit ? 'yes' : 'no'}
                  onChange={(e) =>
                    setVetoes({
                      ...vetoes,
                      [r.key]: { ...vetoes[r.key], hit: e.target.value === 'yes' },
                    })
                  }
                  data-testid={`veto-${r.key}`}
                  options={[
                    { value: 'no', label: t(L.common.none) },
                    { value: 'yes', label: t({ zh: '有', en: 'Yes' }) },
                  ]}
                />
              ),
            },
            {
              title: t({ zh: '核查说明', en: 'Note' }),
              render: (_, r) => (
                <Input
                  disabled={!canVeto}
                  maxLength={500}
                  value={vetoes[r.key].note}
                  onChange={(e) =>
                    setVetoes({ ...vetoes, [r.key]: { ...vetoes[r.key], note: e.target.value } })
                  }
                  data-testid={`veto-note-${r.key}`}
                />
              ),
            },
          ]}
        />
      </Card>

      <Card
        size="small"
        title={t({ zh: '逐项评分', en: 'Scores item by item' })}
        extra={
          <span data-testid="assessment-total">
            {t(L.common.total)} <b>{total}</b> / {call.maxTotal}（{t({ zh: '已评', en: 'scored' })}{' '}
            {scoredCount}/{call.standards.length}）
          </span>
        }
      >
        <Table<TCallStandard>
          size="small"
          pagination={false}
          rowKey="key"
          dataSource={call.standards}
          columns={[
            { title: t(L.common.code), dataIndex: 'code', width: 80 },
            {
              title: t(L.framework.standard),
              render: (_, s) => (
                <>
                  <div>{s.text}</div>
                  <small style={{ color: '#888' }}>
                    {s.itemText} · {s.contentText}
                  </small>
                </>
              ),
            },
            {
              title: t(L.framework.method),
              width: 100,
              render: (_, s) => (
                <Tag>{t(METHOD_LABELS[s.method as TMethod] ?? { zh: s.method, en: s.method })}</Tag>
              ),
            },
            { title: t(L.framework.maxScore), dataIndex: 'maxScore', width: 70 },
            {
              title: t(L.framework.score),
              width: 130,
              render: (_, s) => {
                const v = scores[s.key]?.score ?? null;
                const bad = v !== null && v > s.maxScore;
                return (
                  <Space orientation="vertical" size={0}>
                    <InputNumber
                      min={0}
                      disabled={!canScore}
                      status={bad ? 'error' : undefined}
                      value={v}
                      onChange={(n) =>
                        setScores({ ...scores, [s.key]: { ...scores[s.key]!, score: n ?? null } })
                      }
                      data-testid={`score-${s.code}`}
                    />
                    {bad && (
                      <small style={{ color: '#cf1322' }}>
                        {t({ zh: `不超过 ${s.maxScore} 分`, en: `at most ${s.maxScore}` })}
                      </small>
                    )}
                  </Space>
                );
              },
            },
            {
              title: t({ zh: '扣分说明', en: 'Note' }),
              render: (_, s) => (
                <Input
                  disabled={!canScore}
                  maxLength={500}
                  value={scores[s.key]?.note ?? ''}
                  onChange={(e) =>
                    setScores({ ...scores, [s.key]: { ...scores[s.key]!, note: e.target.value } })
                  }
                />
              ),
            },
          ]}
        />
        <Input.TextArea
          style={{ marginTop: 12 }}
          rows={3}
          maxLength={2000}
          disabled={!canScore}
          placeholder={t({ zh: '测评意见', en: 'Assessor notes' })}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          data-testid="assessment-notes"
        />
      </Card>
      {(canScore || canVeto) && (
        <Button
          type="primary"
          loading={save.isPending}
          disabled={over.length > 0}
          onClick={() => void submit()}
          data-testid="assessment-save"
        >
          {t({ zh: '保存测评结果', en: 'Save the assessment' })}
        </Button>
      )}
    </Space>
  );
}
