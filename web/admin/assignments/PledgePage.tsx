import { PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Select, Space, Tag, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { fileForm } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';

// Printed on A4: only the document itself, the app's frame and buttons hidden.
const PRINT_CSS = `
@page { size: A4; margin: 18mm 16mm; }
@media print {
  .ant-layout-sider, .ant-layout-header, .ant-card-head, .no-print { display: none !important; }
  .ant-layout, .ant-layout-content, .ant-card, .ant-card-body {
    margin: 0 !important; padding: 0 !important; background: #fff !important;
    box-shadow: none !important; border: none !important;
  }
  .pledge-doc { max-width: none !important; padding: 0 !important; }
  .pledge-doc tr { page-break-inside: avoid; }
}
.pledge-doc { max-width: 794px; margin: 0 auto; padding: 32px 40px; background: #fff;
  font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; color: #000; font-size: 14px; line-height: 1.8; }
.pledge-doc h1 { text-align: center; font-size: 24px; letter-spacing: 4px; margin: 0 0 4px; }
.pledge-doc .sub { text-align: center; margin-bottom: 20px; }
.pledge-doc table { width: 100%; border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
.pledge-doc th, .pledge-doc td { border: 1px solid #000; padding: 4px 6px; vertical-align: top; }
.pledge-doc th { background: #f2f2f2; }
.pledge-doc .sign { display: flex; justify-content: space-between; margin-top: 48px; }
`;

/**
 * 目标责任书: generated from a unit's assignments and indicators on a campaign, printable on A4; the signed
 * scan is uploaded here and the signing status shown.
 */
export function PledgePage() {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const unitId = Number(params.get('unitId') ?? user?.unitId ?? 0);
  const campaigns = useApi('GET /api/campaigns', CITY_CAMPAIGNS).data?.items ?? [];
  const [picked, setCampaignId] = useState<number | null>(null);
  const campaignId = picked ?? campaigns[0]?.id ?? null;
  const pledge = useApi(
    'GET /api/units/:id/pledge',
    campaignId && unitId ? { params: { id: unitId }, query: { campaignId } } : null,
  );
  const doc = pledge.data ?? null;
  useEffect(() => {
    if (pledge.error) message.error(errorText(pledge.error, lang));
  }, [pledge.error, lang, message]);
  // Reads the pledge again (every read under /api/units).
  const scan = useApiMutation('POST /api/units/:id/pledge/scan');

  const sign = async (file: File) => {
    try {
      // PDF or image, checked by content on the server; a stale version is a 409 message.
      if (!campaignId || !doc) return;
      await scan.mutateAsync({
        params: { id: unitId },
        query: { campaignId, version: doc.version },
        body: fileForm(file, file.name),
      });
      message.success(t({ zh: '已上传签字扫描件', en: 'Signed scan uploaded' }));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  if (!unitId) {
    return (
      <Empty description={t({ zh: '您的账号未关联单位', en: 'Your account belongs to no unit' })} />
    );
  }
  return (
    <Card
      title={t(L.org.pledge)}
      extra={
        <Space className="no-print">
          <Select
            style={{ width: 320 }}
            value={campaignId}
            onChange={setCampaignId}
            options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
          />
          {doc &&
            (doc.status === 'signed' ? (
              <Tag color="success" data-testid="pledge-status">
                {t(L.org.signed)} · {doc.signedByName} · {doc.signedAt?.slice(0, 10)} ·{' '}
                <a href={`/api/files/${doc.signedFileId}`} target="_blank" rel="noreferrer">
                  {t({ zh: '查看扫描件', en: 'View scan' })}
                </a>
              </Tag>
            ) : (
              <Tag color="warning" data-testid="pledge-status">
                {t(L.org.notSigned)}
              </Tag>
            ))}
          <Upload
            accept="image/*,.pdf,application/pdf"
            showUploadList={false}
            customRequest={({ file }) => void sign(file as File)}
          >
            <Button icon={<UploadOutlined />}>
              {t({ zh: '上传签字扫描件', en: 'Upload signed scan' })}
            </Button>
          </Upload>
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            onClick={() => window.print()}
            data-testid="pledge-print"
          >
            {t({ zh: '打印', en: 'Print' })}
          </Button>
        </Space>
      }
    >
      <style>{PRINT_CSS}</style>
      {doc && (
        <div className="pledge-doc" data-testid="pledge-doc">
          <h1>创建全国文明城市目标责任书</h1>
          <div className="sub">{doc.campaignName}</div>
          <p>
            为全面落实创建工作责任，根据《{doc.assignments[0]?.frameworkName ?? '测评体系'}
            》和任务分解， 市创建办（甲方）与<b>{doc.unitName}</b>
            （乙方）签订本责任书。乙方对下列测评标准承担牵头或配合责任，按时限完成并按要求报送进度、
            数据和档案资料。
          </p>
          <div>
            <b>一、责任任务</b>（共 {doc.assignments.length} 项，牵头{' '}
            {doc.assignments.filter((x) => x.role === 'lead').length} 项）
          </div>
          <table>
            <thead>
              <tr>
                <th style={{ width: 36 }}>序号</th>
                <th style={{ width: 64 }}>编号</th>
                <th>测评标准</th>
                <th style={{ width: 44 }}>分值</th>
                <th style={{ width: 44 }}>责任</th>
                <th style={{ width: 72 }}>包抓领导</th>
                <th style={{ width: 80 }}>时限</th>
              </tr>
            </thead>
            <tbody>
              {doc.assignments.map((x, k) => (
                <tr key={`${x.standardCode}-${k}`}>
                  <td>{k + 1}</td>
                  <td>{x.standardCode}</td>
                  <td>{x.standardText}</td>
                  <td>{x.maxScore}</td>
                  <td>{x.role === 'lead' ? '牵头' : '配合'}</td>
                  <td>{x.leaderName ?? ''}</td>
                  <td>{x.due ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {doc.indicators.length > 0 && (
            <>
              <div>
                <b>二、硬性指标</b>
              </div>
              <table>
                <thead>
                  <tr>
                    <th style={{ width: 64 }}>编号</th>
                    <th>指标</th>
                    <th style={{ width: 120 }}>目标</th>
                  </tr>
                </thead>
                <tbody>
                  {doc.indicators.map((i) => (
                    <tr key={i.name}>
                      <td>{i.standardCode ?? ''}</td>
                      <td>{i.name}</td>
                      <td>{i.target}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <div>
            <b>{doc.indicators.length > 0 ? '三' : '二'}、考核</b>
          </div>
          <p>
            甲方按测评体系对乙方责任任务完成情况进行督查考核，结果纳入年度目标管理考核。
            本责任书一式两份，甲乙双方各执一份，自签订之日起生效。
          </p>
          <div className="sign">
            <div>
              甲方（盖章）：市创建办
              <br />
              负责人签字：
              <br />
              日期：
            </div>
            <div>
              乙方（盖章）：{doc.unitName}
              <br />
              负责人签字：
              <br />
              日期：
            </div>
          </div>
        </div>
      )}
    </Card>
  );
}
