import { Alert, Button, Space, Spin } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { FINAL_OUTCOME_LABELS, FINAL_OUTCOMES } from '../../../core/contracts/cell-checks.js';
import { CELL_TYPE_LABELS, HONOUR_LEVEL_LABELS } from '../../../core/contracts/honours.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';

// The printed 复审 通报: an A4 document, rows never split, headers repeat on each page.
const CSS = `
@page { size: A4; margin: 14mm 12mm 16mm; }
.review-doc { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; color: #000; }
.review-sheet { width: 210mm; min-height: 297mm; margin: 16px auto; padding: 14mm 12mm; background: #fff;
  box-shadow: 0 2px 12px rgba(0,0,0,.15); box-sizing: border-box; }
.review-doc h1 { color: #c8102e; text-align: center; font-size: 24pt; letter-spacing: 4px; margin: 0 0 4mm; }
.review-doc .issue { display: flex; justify-content: space-between; font-size: 11pt; border-bottom: 2px solid #c8102e;
  padding-bottom: 2mm; margin-bottom: 6mm; }
.review-doc h2 { font-size: 15pt; text-align: center; margin: 4mm 0 6mm; }
.review-doc p { font-size: 11pt; line-height: 1.8; text-indent: 2em; margin: 0 0 2mm; }
.review-doc table { width: calc(100% - 1px); border-collapse: collapse; font-size: 9.5pt; margin-bottom: 4mm; }
.review-doc th, .review-doc td { border: 1px solid #555; padding: 1.2mm 1.5mm; text-align: center; }
.review-doc th { background: #f2f2f2; }
.review-doc td.left { text-align: left; }
.review-doc tr { break-inside: avoid; page-break-inside: avoid; }
.review-doc thead { display: table-header-group; }
.review-doc .foot { margin-top: 8mm; font-size: 10pt; text-align: right; }
@media print {
  body, html { background: #fff !important; }
  .no-print, .ant-message, .ant-notification { display: none !important; }
  .review-sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
`;

/** 复审结果通报 as a printable A4 document (/cell-reviews/:id/bulletin). */
export function CellReviewBulletinPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const q = useApi('GET /api/cell-reviews/:id/bulletin', { params: { id: Number(id) } });
  if (q.error)
    return <Alert type="error" title={errorText(q.error, lang)} style={{ margin: 24 }} />;
  const b = q.data;
  if (!b) return <Spin style={{ margin: 48 }} />;
  const type = CELL_TYPE_LABELS[b.cellType].zh;
  const counted = FINAL_OUTCOMES.filter((o) => b.counts[o] > 0)
    .map((o) => `${FINAL_OUTCOME_LABELS[o].zh} ${b.counts[o]} 个`)
    .join('，');

  return (
    <div className="review-doc" style={{ background: '#e9e9e9', minHeight: '100vh', padding: 1 }}>
      <style>{CSS}</style>
      <Space
        className="no-print"
        style={{ margin: '12px auto', display: 'flex', justifyContent: 'center' }}
      >
        <Button onClick={() => navigate(`/cell-reviews/${id}`)}>
          {t({ zh: '返回', en: 'Back' })}
        </Button>
        <Button type="primary" onClick={() => window.print()}>
          {t({ zh: '打印 / 另存为 PDF', en: 'Print / save as PDF' })}
        </Button>
        <Button href={`/api/cell-reviews/${id}/bulletin.xlsx`}>
          {t({ zh: '下载 XLSX', en: 'Download XLSX' })}
        </Button>
      </Space>
      <div className="review-sheet" data-testid="review-bulletin">
        <h1>通　报</h1>
        <div className="issue">
          <span>{b.issuer}</span>
          <span>{b.closedOn}</span>
        </div>
        <h2>{b.title}</h2>
        <p>
          {b.year} 年度{type}复审已结束。本次复审对象 {b.underReview} 个，其中{counted}。
          {b.renewalCapPct !== null &&
            `本次复审保留比例上限为 ${b.renewalCapPct}%（至多保留 ${b.capCount} 个）。${b.capRule.zh}`}
          未按期报送复审报告的，视为自动放弃称号。现将复审结果通报如下：
        </p>
        <table>
          <thead>
            <tr>
              <th style={{ width: '6%' }}>序号</th>
              <th>名称</th>
              <th style={{ width: '14%' }}>称号</th>
              <th style={{ width: '8%' }}>级别</th>
              <th style={{ width: '12%' }}>所在地</th>
              <th style={{ width: '9%' }}>年度得分</th>
              <th style={{ width: '20%' }}>复审结果</th>
            </tr>
          </thead>
          <tbody>
            {b.rows.map((r, i) => (
              <tr key={`${r.holderName}-${r.title}`}>
                <td>{i + 1}</td>
                <td className="left">{r.holderName}</td>
                <td>{r.title}</td>
                <td>{HONOUR_LEVEL_LABELS[r.level].zh}</td>
                <td>{r.regionName ?? ''}</td>
                <td>{r.score}</td>
                <td>
                  {FINAL_OUTCOME_LABELS[r.finalOutcome].zh}
                  {r.rectifyDeadline ? `（${r.rectifyDeadline} 前）` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          被限期整改的{type}
          应在期限内完成整改并报送整改情况；被撤销、放弃称号的，按规定摘牌，并取消下一年度申报资格。
        </p>
        <div className="foot">
          {b.issuer}
          <br />
          {b.closedOn}
        </div>
      </div>
    </div>
  );
}
