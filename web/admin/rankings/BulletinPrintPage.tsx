import { Alert, Button, Space, Spin } from 'antd';
import { useMemo } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { TBulletinData, TProblemBrief } from '../../../core/contracts/rankings.js';
import { SEVERE_ACTION_LABELS } from '../../../core/contracts/cell-checks.js';
import { CELL_TYPE_LABELS, HONOUR_STATUS_LABELS } from '../../../core/contracts/honours.js';
import { YEAR_STATUS_LABELS } from '../../../core/scoring/campaign-score.js';
import { flagSentence, visitSentence } from '../../../core/ranking/bulletin-text.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';
import { FLAG_LABELS, localDate, pct } from './labels.js';
import { chartSvg } from '../chart-engine.js';

// The printed notice: an A4 document with its own print CSS. Sections start on a new page where
// a reader expects it; table rows never split; table headers repeat on each page.
const CSS = `
@page { size: A4; margin: 14mm 12mm 16mm; }
.bulletin-doc { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; color: #000; }
.bulletin-sheet { width: 210mm; min-height: 297mm; margin: 16px auto; padding: 14mm 12mm; background: #fff;
  box-shadow: 0 2px 12px rgba(0,0,0,.15); box-sizing: border-box; }
.bulletin-doc h1 { color: #c8102e; text-align: center; font-size: 26pt; letter-spacing: 4px; margin: 0 0 4mm; }
.bulletin-doc .issue { display: flex; justify-content: space-between; font-size: 11pt; border-bottom: 2px solid #c8102e;
  padding-bottom: 2mm; margin-bottom: 6mm; }
.bulletin-doc h2 { font-size: 15pt; text-align: center; margin: 4mm 0 6mm; }
.bulletin-doc h3 { font-size: 13pt; margin: 6mm 0 3mm; border-left: 4px solid #c8102e; padding-left: 2mm; }
.bulletin-doc p { font-size: 11pt; line-height: 1.8; text-indent: 2em; margin: 0 0 2mm; }
.bulletin-doc table { width: calc(100% - 1px); border-collapse: collapse; font-size: 9.5pt; margin-bottom: 4mm; }
.bulletin-doc th, .bulletin-doc td { border: 1px solid #555; padding: 1.2mm 1.5mm; text-align: center; }
.bulletin-doc th { background: #f2f2f2; }
.bulletin-doc td.left { text-align: left; }
.bulletin-doc tr { break-inside: avoid; page-break-inside: avoid; }
.bulletin-doc thead { display: table-header-group; }
.bulletin-doc .figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2mm; margin-bottom: 4mm; }
.bulletin-doc .figure { border: 1px solid #bbb; padding: 2mm; text-align: center; }
.bulletin-doc .figure b { display: block; font-size: 15pt; color: #c8102e; }
.bulletin-doc .figure span { font-size: 9pt; }
.bulletin-doc .chart { break-inside: avoid; page-break-inside: avoid; text-align: center; }
.bulletin-doc .flag-red { color: #fff; background: #c8102e; padding: 0 2mm; border-radius: 2px; white-space: nowrap; }
.bulletin-doc .flag-black { color: #fff; background: #222; padding: 0 2mm; border-radius: 2px; white-space: nowrap; }
.bulletin-doc img.thumb { width: 22mm; height: 16mm; object-fit: cover; display: block; margin: 0 auto; }
.bulletin-doc .page-break { break-before: page; page-break-before: always; }
.bulletin-doc .draft-mark { color: #c8102e; border: 2px solid #c8102e; padding: 0 2mm; font-size: 11pt; }
.bulletin-doc .foot { margin-top: 8mm; font-size: 10pt; text-align: right; }
@media print {
  body, html { background: #fff !important; }
  .no-print, .ant-message, .ant-notification { display: none !important; }
  .bulletin-doc { background: #fff !important; padding: 0 !important; min-height: 0 !important; }
  .bulletin-sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
`;

const chineseNumber = ['一', '二', '三', '四', '五', '六', '七', '八'];

function ProblemTable({ items, overdue }: { items: TProblemBrief[]; overdue: boolean }) {
  if (items.length === 0) return <p>无。</p>;
  return (
    <table>
      <thead>
        <tr>
          <th style={{ width: '6%' }}>序号</th>
          <th style={{ width: '15%' }}>照片</th>
          <th>问题</th>
          <th style={{ width: '18%' }}>责任单位</th>
          <th style={{ width: '12%' }}>{overdue ? '整改期限' : '原问题'}</th>
          {overdue && <th style={{ width: '9%' }}>超期天数</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((p, i) => (
          <tr key={p.id}>
            <td>{i + 1}</td>
            <td>
              {p.photoId ? (
                <img className="thumb" src={`/api/files/${p.photoId}/thumb`} alt={p.code} />
              ) : (
                '—'
              )}
            </td>
            <td className="left">
              {p.code} {p.title}
              <br />
              <small>
                {p.categoryName}
                {p.address ? ` · ${p.address}` : ''}
              </small>
            </td>
            <td>{p.unitName ?? '未派遣'}</td>
            <td>{overdue ? localDate(p.deadline) : (p.recurrenceOfCode ?? '—')}</td>
            {overdue && <td>{p.overdueDays}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 通报 as a printable A4 document (/bulletins/:id/print). */
export function BulletinPrintPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const bulletin = useApi('GET /api/bulletins/:id', { params: { id: Number(id) } });
  const b = bulletin.data ?? null;
  const error = bulletin.error ? errorText(bulletin.error, lang) : null;

  const charts = useMemo(() => {
    if (!b) return null;
    const d = b.data;
    const trend = chartSvg(
      {
        title: { text: '近六期按期结案率与新增问题', left: 'center', textStyle: { fontSize: 13 } },
        legend: { bottom: 0, data: ['新增问题', '按期结案率'] },
        grid: { left: 50, right: 50, top: 40, bottom: 50 },
        xAxis: { type: 'category', data: d.charts.trend.map((x) => x.period) },
        yAxis: [
          { type: 'value', name: '件' },
          { type: 'value', name: '%', max: 100, min: 0 },
        ],
        series: [
          {
            name: '新增问题',
            type: 'bar',
            data: d.charts.trend.map((x) => x.reported),
            itemStyle: { color: '#8c8c8c' },
            label: { show: true, position: 'top' },
          },
          {
            name: '按期结案率',
            type: 'line',
            yAxisIndex: 1,
            data: d.charts.trend.map((x) =>
              x.onTimeCloseRate === null ? null : Math.round(x.onTimeCloseRate * 1000) / 10,
            ),
            itemStyle: { color: '#c8102e' },
            label: { show: true, formatter: '{c}%' },
          },
        ],
      },
      680,
      260,
    );
    const cats = [...d.charts.byCategory].reverse();
    const byCategory = chartSvg(
      {
        title: { text: '本期新增问题类别分布', left: 'center', textStyle: { fontSize: 13 } },
        grid: { left: 110, right: 40, top: 36, bottom: 20 },
        xAxis: { type: 'value' },
        yAxis: { type: 'category', data: cats.map((c) => c.name) },
        series: [
          {
            type: 'bar',
            data: cats.map((c) => c.count),
            itemStyle: { color: '#c8102e' },
            label: { show: true, position: 'right' },
          },
        ],
      },
      680,
      Math.max(140, 60 + cats.length * 24),
    );
    const classCharts = d.classes
      .filter((c) => c.rows.some((r) => r.score !== null))
      .map((c) => {
        const rows = c.rows.filter((r) => r.score !== null);
        return {
          key: c.key,
          svg: chartSvg(
            {
              title: { text: `${c.label.zh}得分`, left: 'center', textStyle: { fontSize: 13 } },
              grid: { left: 40, right: 16, top: 36, bottom: 70 },
              xAxis: {
                type: 'category',
                data: rows.map((r) => r.unitName),
                axisLabel: { rotate: 30, interval: 0, fontSize: 10 },
              },
              yAxis: { type: 'value', max: 100, min: 0 },
              series: [
                {
                  type: 'bar',
                  data: rows.map((r) => ({
                    value: r.score,
                    itemStyle: {
                      color: r.flag === 'red' ? '#c8102e' : r.flag === 'black' ? '#222' : '#8c8c8c',
                    },
                  })),
                  label: { show: true, position: 'top', fontSize: 10 },
                },
              ],
            },
            680,
            240,
          ),
        };
      });
    return { trend, byCategory, classCharts };
  }, [b]);

  if (error) return <Alert type="error" title={error} style={{ margin: 24 }} />;
  if (!b || !charts) return <Spin style={{ margin: 48 }} />;
  const d = b.data;
  const s = d.summary;
  // The issuing level's office (a district's or street's bulletin is its own).
  const issuer = `${b.ownerName ?? '示范市'}创建全国文明城市工作指挥部办公室`;
  let n = 0;
  const section = (title: string) => `${chineseNumber[n++]}、${title}`;

  return (
    <div className="bulletin-doc" style={{ background: '#e9e9e9', minHeight: '100vh', padding: 1 }}>
      <style>{CSS}</style>
      <Space
        className="no-print"
        style={{ margin: '12px auto', display: 'flex', justifyContent: 'center' }}
      >
        <Button onClick={() => navigate('/bulletins')}>{t({ zh: '返回', en: 'Back' })}</Button>
        <Button type="primary" onClick={() => window.print()} data-testid="bulletin-print">
          {t({ zh: '打印 / 另存为 PDF', en: 'Print / save as PDF' })}
        </Button>
        <Button href={`/api/bulletins/${b.id}/xlsx`}>
          {t({ zh: '下载 XLSX', en: 'Download XLSX' })}
        </Button>
      </Space>
      <div className="bulletin-sheet" data-testid="bulletin-sheet">
        <h1>创城工作通报</h1>
        <div className="issue">
          <span>{b.issueNo ? `第 ${b.issueNo} 期` : <span className="draft-mark">草稿</span>}</span>
          <span>{issuer}</span>
          <span>{localDate(b.publishedAt ?? b.createdAt)}</span>
        </div>
        <h2>{b.title}</h2>

        <h3>{section('总体情况')}</h3>
        <p>
          {d.period} 期间，{b.ownerName ?? '全市'}新增创城问题 {s.reported} 件；本期派遣{' '}
          {s.dispatched} 件，其中已结案 {s.closed} 件。应结案 {s.due} 件，结案率 {pct(s.closeRate)}
          ，按期结案率 {pct(s.onTimeCloseRate)}
          ，返工率 {pct(s.reworkRate)}。目前超期未整改问题 {s.overdueOpen} 件，本期出现反弹问题{' '}
          {s.recurrences} 件。{visitSentence(d.period, s.visits, s.visitPassRate)}共 {s.unitsRanked}{' '}
          个单位参与排名。
        </p>
        <div className="figures">
          {[
            ['新增问题', s.reported],
            ['结案', s.closed],
            ['按期结案率', pct(s.onTimeCloseRate)],
            ['返工率', pct(s.reworkRate)],
            ['超期未整改', s.overdueOpen],
            ['反弹问题', s.recurrences],
            ['点位合格率', pct(s.visitPassRate)],
            ['参与排名单位', s.unitsRanked],
          ].map(([label, value]) => (
            <div className="figure" key={String(label)}>
              <b>{value}</b>
              <span>{label}</span>
            </div>
          ))}
        </div>
        <div className="chart" dangerouslySetInnerHTML={{ __html: charts.trend }} />
        <div className="chart" dangerouslySetInnerHTML={{ __html: charts.byCategory }} />
        {d.outlook && <OutlookSection outlook={d.outlook} at={d.generatedAt} section={section} />}

        <h3 className="page-break">{section('单位排名')}</h3>
        <p>
          排名按{d.metrics.map((m) => `${m.label.zh}（权重 ${m.weight}）`).join('、')}
          加权计算，各类别分别排名；样本不足的单位不参与排名。
        </p>
        {/* A district's or street's ranking has no 区县 class (and often no other but one). */}
        {d.classes
          .filter((c) => b.ownerRegionId === null || c.rows.length > 0)
          .map((c) => (
            <div key={c.key}>
              <h4 style={{ fontSize: '12pt', margin: '4mm 0 2mm' }}>{c.label.zh}</h4>
              <table data-testid={`bulletin-class-${c.key}`}>
                <thead>
                  <tr>
                    <th style={{ width: '7%' }}>名次</th>
                    <th>单位</th>
                    <th style={{ width: '9%' }}>得分</th>
                    {d.metrics.map((m) => (
                      <th key={m.key} style={{ width: '11%' }}>
                        {m.label.zh}
                      </th>
                    ))}
                    <th style={{ width: '11%' }}>评定</th>
                  </tr>
                </thead>
                <tbody>
                  {c.rows.every((r) => r.rank === null) && (
                    <tr>
                      <td colSpan={4 + d.metrics.length}>本类别无单位达到排名样本数</td>
                    </tr>
                  )}
                  {c.rows
                    .filter((r) => r.rank !== null)
                    .map((r) => (
                      <tr key={r.unitId}>
                        <td>{r.rank ?? '—'}</td>
                        <td className="left">{r.unitName}</td>
                        <td>{r.score ?? '—'}</td>
                        {d.metrics.map((m) => (
                          <td key={m.key}>{pct(r.values[m.key])}</td>
                        ))}
                        <td>
                          {r.flag ? (
                            <span className={`flag-${r.flag}`}>{FLAG_LABELS[r.flag].zh}</span>
                          ) : (
                            ''
                          )}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
              {c.rows.some((r) => r.rank === null) && (
                <p
                  style={{ fontSize: '9.5pt', textIndent: 0 }}
                  data-testid={`bulletin-unranked-${c.key}`}
                >
                  样本不足、未参与排名（{c.rows.filter((r) => r.rank === null).length} 个）：
                  {c.rows
                    .filter((r) => r.rank === null)
                    .map((r) => r.unitName)
                    .join('、')}
                </p>
              )}
            </div>
          ))}
        {charts.classCharts.map((c) => (
          <div key={c.key} className="chart" dangerouslySetInnerHTML={{ __html: c.svg }} />
        ))}

        <h3>{section('流动红旗与黑牌')}</h3>
        <p data-testid="bulletin-flags">{flagSentence(d.period, d.classes)}</p>
        {d.consequences.length > 0 && (
          <table data-testid="bulletin-consequences">
            <thead>
              <tr>
                <th>单位</th>
                <th>旗帜</th>
                <th>连续次数</th>
                <th>处理</th>
              </tr>
            </thead>
            <tbody>
              {d.consequences.map((c) => (
                <tr key={c.unitName}>
                  <td className="left">{c.unitName}</td>
                  <td>
                    <span className={`flag-${c.flag}`}>{FLAG_LABELS[c.flag].zh}</span>
                  </td>
                  <td>连续第 {c.streak} 次</td>
                  <td>{c.action.zh}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h3>{section('超期未整改问题（前十）')}</h3>
        <ProblemTable items={d.topOverdue} overdue />
        <h3>{section('反弹问题')}</h3>
        <ProblemTable items={d.topRecurring} overdue={false} />
        {d.cells && <CellsSection cells={d.cells} section={section} />}
        <div className="foot">
          {issuer}
          <br />
          {localDate(b.publishedAt ?? b.createdAt)}
        </div>
      </div>
    </div>
  );
}

/**
 * 创建测评预估: the campaign's projected standing when the bulletin was made — the combination
 * of frameworks with their shares and gates, and any veto or bar (issue #19).
 */
function OutlookSection({
  outlook: o,
  at,
  section,
}: {
  outlook: NonNullable<TBulletinData['outlook']>;
  at: string;
  section: (title: string) => string;
}) {
  const basis = [o.fieldRound, o.surveyRound].filter(Boolean).join('、');
  return (
    <>
      <h3>{section('创建测评预估')}</h3>
      <p data-testid="bulletin-outlook">
        {o.text.zh}（截至 {localDate(at)}
        {basis ? `，依据${basis}` : ''}。）
      </p>
      {o.combined && (
        <table data-testid="bulletin-outlook-table">
          <thead>
            <tr>
              <th>测评体系</th>
              <th>权重</th>
              <th>预计得分</th>
              <th>申报门槛</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {o.combined.parts.map((x) => (
              <tr key={x.id}>
                <td className="left">{x.name}</td>
                <td>{x.share === null ? '—' : `${x.share}%`}</td>
                <td>{x.score}</td>
                <td>{x.gate === null ? '—' : `${x.gate} 分`}</td>
                <td>{YEAR_STATUS_LABELS[x.status].zh}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/**
 * 文明细胞: the level's titles held by type, 复审 due, titles at risk, and the period's
 * negative-list hits with what they did (issue #22; BRIEF §4 — dynamic management is reported).
 */
function CellsSection({
  cells: c,
  section,
}: {
  cells: NonNullable<TBulletinData['cells']>;
  section: (title: string) => string;
}) {
  const byType = c.byType
    .filter((x) => x.total > 0)
    .map((x) => `${CELL_TYPE_LABELS[x.cellType].zh} ${x.total} 个`)
    .join('，');
  return (
    <>
      <h3>{section('文明细胞动态管理')}</h3>
      <p data-testid="bulletin-cells">
        现有各级文明称号 {c.held} 个{byType ? `（${byType}）` : ''}；{c.year} 年到期待复审{' '}
        {c.reviewsDue.thisYear} 个，{c.year + 1} 年到期 {c.reviewsDue.nextYear} 个
        {c.atRisk.length
          ? `；处于整改或暂停的称号：${c.atRisk
              .map((h) => `${h.holderName}（${h.title}，${HONOUR_STATUS_LABELS[h.status].zh}）`)
              .join('、')}`
          : ''}
        。
      </p>
      {c.hits.length > 0 ? (
        <table data-testid="bulletin-cell-hits">
          <thead>
            <tr>
              <th>日期</th>
              <th>称号持有者</th>
              <th>负面清单事项</th>
              <th>扣分</th>
              <th>处理</th>
            </tr>
          </thead>
          <tbody>
            {c.hits.map((h, i) => (
              <tr key={i}>
                <td>{h.hitOn}</td>
                <td className="left">
                  {h.holderName}（{h.title}）
                </td>
                <td className="left">
                  {h.itemText}
                  {h.severe ? '（严重）' : ''}
                </td>
                <td>{h.points}</td>
                <td>{h.action ? SEVERE_ACTION_LABELS[h.action].zh : '扣分'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>本期无文明细胞触及负面清单。</p>
      )}
    </>
  );
}
