import { Alert, Button, Space, Spin } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import type { TCellType } from '../../../core/contracts/honours.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

// The certificate (荣誉证书) of a conferred application: an A4 landscape sheet with its own print
// CSS, printed from the browser (or saved as PDF) like the 通报.
const CSS = `
@page { size: A4 landscape; margin: 0; }
.cert-doc { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; color: #000; }
.cert-sheet { width: 297mm; height: 210mm; margin: 16px auto; padding: 12mm; background: #fffdf6;
  box-shadow: 0 2px 12px rgba(0,0,0,.15); box-sizing: border-box; }
.cert-frame { border: 3mm double #c8102e; height: 100%; box-sizing: border-box; padding: 14mm 24mm;
  display: flex; flex-direction: column; }
.cert-doc h1 { color: #c8102e; text-align: center; font-size: 40pt; letter-spacing: 16px; margin: 4mm 0 12mm; }
.cert-doc .holder { font-size: 20pt; margin: 0 0 8mm; }
.cert-doc .body { font-size: 18pt; line-height: 2; text-indent: 2em; margin: 0; }
.cert-doc .term { font-size: 13pt; text-indent: 2em; margin-top: 4mm; }
.cert-doc .foot { margin-top: auto; display: flex; justify-content: space-between; align-items: flex-end; font-size: 13pt; }
.cert-doc .issuer { text-align: center; }
.cert-doc .no { font-size: 11pt; color: #555; }
@media print {
  body, html { background: #fff !important; }
  .no-print, .ant-message, .ant-notification { display: none !important; }
  .cert-doc { background: #fff !important; padding: 0 !important; min-height: 0 !important; }
  .cert-sheet { margin: 0; box-shadow: none; }
}
`;

/** How the certificate addresses the holder, by cell type. */
const ADDRESS: Record<TCellType, string> = {
  unit: '你单位',
  campus: '你校',
  village: '你村（镇）',
  community: '你社区',
  family: '你家庭',
};

/** 荣誉证书 of a conferred application, printable (/cell-applications/:id/certificate). */
export function CellCertificatePage() {
  const id = Number(useParams().id);
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const appQ = useApi('GET /api/cell-award-applications/:id', { params: { id } });
  const app = appQ.data;
  const callQ = useApi(
    'GET /api/cell-award-calls/:id',
    app ? { params: { id: app.callId } } : null,
  );
  const call = callQ.data;
  const failed = appQ.error ?? callQ.error;
  if (failed) return <Alert type="error" title={errorText(failed, lang)} style={{ margin: 24 }} />;
  if (!app || !call) return <Spin style={{ margin: 48 }} />;
  if (!app.honour) {
    return (
      <Alert
        type="warning"
        style={{ margin: 24 }}
        title={t({
          zh: '该申报尚未授予称号，没有证书',
          en: 'This application has not been conferred: there is no certificate',
        })}
      />
    );
  }
  const h = app.honour;
  // The issuing body: the call's office (a district's own), else the city's.
  const place = call.officeRegionName ?? (user?.regionLevel === 'city' ? user.regionName : null);
  const issuer = `${place ?? ''}精神文明建设委员会`;
  // The day of the decision in China (stored in UTC).
  const date = shanghaiDate(app.decidedAt ? new Date(app.decidedAt) : new Date());
  const [y, m, d] = date.split('-').map(Number);

  return (
    <div className="cert-doc" style={{ background: '#e9e9e9', minHeight: '100vh', padding: 1 }}>
      <style>{CSS}</style>
      <Space
        className="no-print"
        style={{ margin: '12px auto', display: 'flex', justifyContent: 'center' }}
      >
        <Button onClick={() => navigate(`/cell-applications/${app.id}`)}>
          {t({ zh: '返回', en: 'Back' })}
        </Button>
        <Button type="primary" onClick={() => window.print()} data-testid="certificate-print">
          {t({ zh: '打印 / 另存为 PDF', en: 'Print / save as PDF' })}
        </Button>
      </Space>
      <div className="cert-sheet" data-testid="certificate-sheet">
        <div className="cert-frame">
          <h1>荣誉证书</h1>
          <p className="holder">{app.applicantName}：</p>
          <p className="body">
            经申报、测评和公示，授予{ADDRESS[call.cellType]} {h.yearConferred} 年度“{h.title}”称号。
          </p>
          <p className="term">
            有效期：{h.yearConferred} 年至 {h.yearConferred + h.termYears - 1} 年
          </p>
          <div className="foot">
            <span className="no">证书编号：{h.certificateNo}</span>
            <div className="issuer">
              <div>{issuer}</div>
              <div>
                {y} 年 {m} 月 {d} 日
              </div>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
