import {
  App,
  Alert,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { OPEN311_CHANNELS, type TOpen311Client } from '../../../core/contracts/open311.js';
import { errorText } from '../../shared/forms.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';

const CHANNEL_LABELS: Record<(typeof OPEN311_CHANNELS)[number], { zh: string; en: string }> = {
  citizen: { zh: '市民反映', en: 'Citizens' },
  hotline: { zh: '12345 热线', en: '12345 hotline' },
  media: { zh: '媒体曝光', en: 'Media' },
};

/**
 * Open311 接入: the trusted clients (a 12345 gateway, a city app) that file requests through
 * /open311/v2, each with its own API key, shown once when issued.
 */
export function Open311ClientsPage() {
  const { t, lang } = useI18n();
  const { message, modal } = App.useApp();
  const list = useApi('GET /api/open311/clients', {});
  const clients = list.data ?? [];
  const loading = list.isFetching;
  useEffect(() => {
    if (list.error) void message.error(errorText(list.error, lang));
  }, [list.error, lang, message]);
  // Both read the clients again (every read under /api/open311).
  const issue = useApiMutation('POST /api/open311/clients');
  const revokeKey = useApiMutation('POST /api/open311/clients/:id/revoke');
  const putCallback = useApiMutation('PUT /api/open311/clients/:id/callback');
  const [creating, setCreating] = useState(false);
  const [issuedKey, setIssuedKey] = useState<string | null>(null);
  const [form] = Form.useForm<{ name: string; channel: TOpen311Client['channel'] }>();
  // 结果回传: the client whose callback URL is being edited, and a signing secret to show once.
  const [editing, setEditing] = useState<TOpen311Client | null>(null);
  const [issuedSecret, setIssuedSecret] = useState<string | null>(null);
  const [cbForm] = Form.useForm<{ callbackUrl?: string; newSecret?: boolean }>();

  const saveCallback = async () => {
    if (!editing) return;
    const v = await cbForm.validateFields();
    try {
      const out = await putCallback.mutateAsync({
        params: { id: editing.id },
        body: { callbackUrl: v.callbackUrl?.trim() || null, newSecret: v.newSecret ?? false },
      });
      setEditing(null);
      if (out.callbackSecret) setIssuedSecret(out.callbackSecret);
      else void message.success(t({ zh: '回调地址已保存', en: 'Callback URL saved' }));
    } catch (err) {
      void message.error(errorText(err, lang));
    }
  };

  const create = async () => {
    const values = await form.validateFields();
    try {
      const out = await issue.mutateAsync({ body: values });
      setCreating(false);
      form.resetFields();
      setIssuedKey(out.apiKey);
    } catch (err) {
      void message.error(errorText(err, lang));
    }
  };

  const revoke = (c: TOpen311Client) =>
    modal.confirm({
      title: t({ zh: `停用「${c.name}」的密钥？`, en: `Revoke the key of "${c.name}"?` }),
      content: t({
        zh: '停用后该客户端的新请求将被拒绝，已提交的请求保留。',
        en: 'New requests with this key are refused at once; the requests it filed stay.',
      }),
      okButtonProps: { danger: true },
      onOk: async () => {
        await revokeKey.mutateAsync({ params: { id: c.id } });
      },
    });

  return (
    <Card
      title={t({ zh: 'Open311 接入', en: 'Open311 clients' })}
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          {t({ zh: '新建客户端', en: 'New client' })}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        {t({
          zh: '12345 热线网关等可信客户端通过 Open311 GeoReport v2 接口（/open311/v2/）提交问题，提交即进入问题台账（待立案）。客户端凭密钥可查询自己提交的请求；无密钥只能查询已在曝光台公开的问题，不含市民原文、精确位置和个人信息。',
          en: 'Trusted clients such as the 12345 gateway file problems through Open311 GeoReport v2 (/open311/v2/); each lands in the ledger as reported. A client’s key reads back the requests it filed; without a key only problems published on the exposure board can be read, without the citizen’s text, exact position or personal data.',
        })}
      </Typography.Paragraph>
      <Table<TOpen311Client>
        rowKey="id"
        loading={loading}
        dataSource={clients}
        pagination={false}
        columns={[
          { title: t(L.common.name), dataIndex: 'name' },
          {
            title: t({ zh: '渠道', en: 'Channel' }),
            dataIndex: 'channel',
            width: 140,
            render: (c: TOpen311Client['channel']) => t(CHANNEL_LABELS[c]),
          },
          {
            title: t({ zh: '密钥', en: 'Key' }),
            dataIndex: 'keyHint',
            width: 140,
            render: (h: string) => <Typography.Text code>o311_…{h}</Typography.Text>,
          },
          { title: t({ zh: '已提交', en: 'Requests' }), dataIndex: 'requests', width: 100 },
          {
            title: t({ zh: '状态回传地址', en: 'Callback URL' }),
            dataIndex: 'callbackUrl',
            render: (u: string | null) =>
              u ? (
                <Typography.Text style={{ wordBreak: 'break-all' }}>{u}</Typography.Text>
              ) : (
                <Typography.Text type="secondary">
                  {t({ zh: '未设置', en: 'None' })}
                </Typography.Text>
              ),
          },
          {
            title: t({ zh: '创建时间', en: 'Created' }),
            dataIndex: 'createdAt',
            width: 160,
            render: (v: string) => formatTime(v),
          },
          {
            title: t(L.common.status),
            width: 200,
            render: (_: unknown, c) =>
              c.active ? (
                <Tag color="green">{t(L.common.active)}</Tag>
              ) : (
                <Tag>
                  {t(L.common.deactivated)} {formatTime(c.revokedAt)}
                </Tag>
              ),
          },
          {
            title: '',
            width: 190,
            render: (_: unknown, c) =>
              c.active && (
                <Space size={4}>
                  <Button
                    size="small"
                    data-testid={`callback-${c.id}`}
                    onClick={() => {
                      cbForm.setFieldsValue({ callbackUrl: c.callbackUrl ?? '', newSecret: false });
                      setEditing(c);
                    }}
                  >
                    {t({ zh: '状态回传', en: 'Callback' })}
                  </Button>
                  <Button size="small" danger onClick={() => revoke(c)}>
                    {t(L.common.deactivate)}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t({ zh: '新建 Open311 客户端', en: 'New Open311 client' })}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        okText={t({ zh: '签发密钥', en: 'Issue key' })}
      >
        <Form form={form} layout="vertical" initialValues={{ channel: 'hotline' }}>
          <Form.Item
            name="name"
            label={t(L.common.name)}
            rules={[{ required: true, min: 2, max: 50 }]}
          >
            <Input placeholder={t({ zh: '如：12345 热线网关', en: 'e.g. 12345 gateway' })} />
          </Form.Item>
          <Form.Item
            name="channel"
            label={t({ zh: '问题来源渠道', en: 'Channel of its requests' })}
          >
            <Select
              options={OPEN311_CHANNELS.map((c) => ({ value: c, label: t(CHANNEL_LABELS[c]) }))}
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={editing !== null}
        title={t({
          zh: `状态回传：${editing?.name ?? ''}`,
          en: `Status callback: ${editing?.name ?? ''}`,
        })}
        onOk={() => void saveCallback()}
        onCancel={() => setEditing(null)}
        confirmLoading={putCallback.isPending}
        destroyOnHidden
        forceRender
      >
        <Typography.Paragraph type="secondary">
          {t({
            zh: '设置后，该客户端提交的请求每次状态变化（立案、派遣、办结、不予立案、合并等）都会以签名的 JSON 推送到此地址，直到对方确认；留空则不推送。签名密钥在首次设置时生成，只显示一次。',
            en: 'Once set, every status change of the requests this client filed (registered, dispatched, closed, rejected, merged …) is posted to this address as signed JSON until the client acknowledges it; empty: nothing is pushed. The signing secret is generated the first time and shown once.',
          })}
        </Typography.Paragraph>
        <Form form={cbForm} layout="vertical">
          <Form.Item
            name="callbackUrl"
            label={t({ zh: '回传地址', en: 'Callback URL' })}
            rules={[
              {
                pattern: /^https?:\/\/\S+$/i,
                message: t({ zh: '请输入 http(s) 地址', en: 'an http(s) URL' }),
              },
              { max: 500 },
            ]}
          >
            <Input placeholder="https://…" data-testid="callback-url" />
          </Form.Item>
          {editing?.callbackUrl && (
            <Form.Item name="newSecret" valuePropName="checked">
              <Checkbox>
                {t({
                  zh: '生成新的签名密钥（旧密钥立即失效）',
                  en: 'Generate a new signing secret (the old one stops at once)',
                })}
              </Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
      <Modal
        open={issuedSecret !== null}
        title={t({ zh: '签名密钥已生成', en: 'Signing secret generated' })}
        onOk={() => setIssuedSecret(null)}
        onCancel={() => setIssuedSecret(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Alert
          type="warning"
          showIcon
          title={t({
            zh: '密钥只显示这一次，请复制后交给对方，用于校验推送的 x-signature。',
            en: 'The secret is shown only this once: copy it and hand it over; it verifies the pushes’ x-signature.',
          })}
        />
        <Typography.Paragraph copyable code style={{ marginTop: 12 }} data-testid="callback-secret">
          {issuedSecret}
        </Typography.Paragraph>
      </Modal>
      <Modal
        open={issuedKey !== null}
        title={t({ zh: '密钥已签发', en: 'Key issued' })}
        onOk={() => setIssuedKey(null)}
        onCancel={() => setIssuedKey(null)}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Alert
          type="warning"
          showIcon
          message={t({
            zh: '密钥只显示这一次，请复制后交给对方保管。',
            en: 'The key is shown only this once: copy it and hand it over.',
          })}
        />
        <Typography.Paragraph copyable code style={{ marginTop: 12 }} data-testid="open311-key">
          {issuedKey}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
