import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Typography,
} from 'antd';
import { useEffect, useMemo } from 'react';
import { ZMapProviderSchema, type TMapProviderInput } from '../../../core/contracts/maps.js';
import { TIANDITU_KEY, tileTemplateProblem, tilesOf } from '../../../core/geo/tiles.js';
import { ApiError } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { BaseMap } from '../../shared/base-map.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { refreshMapTiles } from '../../shared/map-settings.js';

type Kind = TMapProviderInput['kind'];

/** The form's fields: every provider's, flat (only the chosen kind's are sent). */
interface Fields {
  kind: Kind;
  key?: string;
  url?: string;
  coords?: 'wgs84' | 'gcj02';
  attribution?: string;
  subdomains?: string;
  maxZoom?: number;
}

const KINDS: { value: Kind; label: L; hint: L }[] = [
  {
    value: 'none',
    label: { zh: '不使用底图', en: 'None' },
    hint: {
      zh: '地图只显示本系统的辖区边界、网格及其名称（离线、政务内网可用）。',
      en: 'Maps show only our own boundaries and grids with their names (works offline and on an intranet).',
    },
  },
  {
    value: 'tianditu',
    label: { zh: '天地图', en: 'Tianditu' },
    hint: {
      zh: '国家地理信息公共服务平台，WGS-84（CGCS2000）坐标；需在天地图开放平台申请“浏览器端”密钥（tk）。',
      en: 'The national map service, WGS-84 (CGCS2000); needs a browser key (tk) from the Tianditu console.',
    },
  },
  {
    value: 'amap',
    label: { zh: '高德地图', en: 'AMap' },
    hint: {
      zh: 'GCJ-02 坐标：点位显示时自动偏移，地图上点选的位置换算回 WGS-84 保存。',
      en: 'GCJ-02: positions are shifted for display, and taps are converted back to WGS-84.',
    },
  },
  {
    value: 'osm',
    label: { zh: 'OpenStreetMap', en: 'OpenStreetMap' },
    hint: {
      zh: '境外公共瓦片服务，WGS-84；政务内网通常无法访问，适合演示。',
      en: 'Public servers abroad, WGS-84; usually unreachable from a government network — for demos.',
    },
  },
  {
    value: 'xyz',
    label: { zh: '自建瓦片服务', en: 'Own tile server' },
    hint: {
      zh: '本单位或测绘部门的 XYZ 瓦片服务，地址含 {z}、{x}、{y}（或 {-y}），可用 {s} 轮换子域名。',
      en: 'Your own XYZ server: the address carries {z}, {x} and {y} (or {-y}); {s} rotates subdomains.',
    },
  },
];

/** The provider the fields describe, or null while they do not make one (no preview then). */
function providerOf(f: Fields) {
  const raw =
    f.kind === 'tianditu'
      ? { kind: f.kind, key: f.key ?? '' }
      : f.kind === 'xyz'
        ? {
            kind: f.kind,
            url: f.url ?? '',
            coords: f.coords ?? 'wgs84',
            attribution: f.attribution ?? '',
            subdomains: f.subdomains ?? '',
            maxZoom: f.maxZoom ?? 18,
          }
        : { kind: f.kind };
  const r = ZMapProviderSchema.safeParse(raw);
  return r.success ? r.data : null;
}

/**
 * 地图底图: the office picks the tiles every map draws on, with a preview of the choice before it
 * is saved (a city-level setting, like the jurisdiction below).
 */
export function MapProviderCard({ writable }: { writable: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const saved = useApi('GET /api/settings/map', {}).data ?? null;
  // Refetches the setting (every read under /api/settings) before it settles.
  const put = useApiMutation('PUT /api/settings/map');
  const fields = Form.useWatch([], form) as Fields | undefined;

  // The form starts from the saved provider, and again whenever it is read anew.
  useEffect(() => {
    if (saved) form.setFieldsValue({ coords: 'wgs84', maxZoom: 18, ...saved.provider });
  }, [saved, form]);

  const draft = useMemo(() => (fields?.kind ? providerOf(fields) : null), [fields]);
  const kind = fields?.kind ?? saved?.provider.kind ?? 'none';
  const hint = KINDS.find((k) => k.value === kind)!.hint;

  const save = async () => {
    if (!saved) return;
    const v = await form.validateFields();
    const provider = providerOf(v);
    if (!provider) return;
    try {
      await put.mutateAsync({ body: { provider, version: saved.version } });
      message.success(t({ zh: '地图底图已保存', en: 'Base map saved' }));
      await refreshMapTiles();
    } catch (err) {
      // The server names the fields as `body.provider.url`: put them on the form's.
      if (err instanceof ApiError && err.fields.length) {
        form.setFields(
          err.fields.map((f) => ({
            name: f.path.replace(/^body\.(provider\.)?/, '').split('.')[0] as keyof Fields,
            errors: [f.message],
          })),
        );
      }
      message.error(errorText(err, lang));
    }
  };

  return (
    <Card title={t({ zh: '地图底图', en: 'Base map' })} data-testid="map-provider-card">
      <Typography.Paragraph type="secondary">
        {t({
          zh: '所有地图（含市民随手拍页面）使用此底图。未配置或底图加载失败时，地图自动改为显示辖区边界和网格。',
          en: 'Every map, the citizen report page included, draws on these tiles. With none, or when they fail to load, maps show the boundaries and grids instead.',
        })}
        {saved?.source === 'environment' &&
          ` ${t({ zh: '（当前为部署配置的默认值）', en: '(now the deployment’s default)' })}`}
      </Typography.Paragraph>
      <Form<Fields> form={form} layout="vertical" disabled={!writable || !saved}>
        <Form.Item name="kind" label={t({ zh: '底图来源', en: 'Provider' })}>
          <Radio.Group
            data-testid="map-kind"
            optionType="button"
            options={KINDS.map((k) => ({ value: k.value, label: t(k.label) }))}
          />
        </Form.Item>
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t(hint)} />
        {kind === 'tianditu' && (
          <Form.Item
            name="key"
            label={t({ zh: '天地图密钥（tk）', en: 'Tianditu key (tk)' })}
            rules={[
              { required: true, message: t({ zh: '请填写密钥', en: 'enter the key' }) },
              {
                pattern: TIANDITU_KEY,
                message: t({
                  zh: '密钥应为 32 位十六进制字符',
                  en: 'the key is 32 hexadecimal characters',
                }),
              },
            ]}
          >
            <Input id="map-key" style={{ maxWidth: 420 }} autoComplete="off" />
          </Form.Item>
        )}
        {kind === 'xyz' && (
          <>
            <Form.Item
              name="url"
              dependencies={['subdomains']}
              label={t({ zh: '瓦片地址模板', en: 'Tile URL template' })}
              rules={[
                { required: true, message: t({ zh: '请填写地址', en: 'enter the address' }) },
                {
                  validator: async (_r, url: string | undefined) => {
                    const p = url
                      ? tileTemplateProblem(
                          url.trim(),
                          String(form.getFieldValue('subdomains') ?? ''),
                        )
                      : null;
                    if (p) throw new Error(t(p));
                  },
                },
              ]}
            >
              <Input id="map-url" placeholder="https://tiles.example.gov.cn/{z}/{x}/{y}.png" />
            </Form.Item>
            <Space wrap align="start">
              <Form.Item name="coords" label={t({ zh: '坐标系', en: 'Coordinates' })}>
                <Select
                  id="map-coords"
                  style={{ width: 220 }}
                  options={[
                    { value: 'wgs84', label: 'WGS-84 / CGCS2000' },
                    { value: 'gcj02', label: t({ zh: 'GCJ-02（火星坐标）', en: 'GCJ-02' }) },
                  ]}
                />
              </Form.Item>
              <Form.Item name="subdomains" label={t({ zh: '子域名 {s}', en: 'Subdomains {s}' })}>
                <Input id="map-subdomains" style={{ width: 120 }} placeholder="abc" />
              </Form.Item>
              <Form.Item name="maxZoom" label={t({ zh: '最大级别', en: 'Max zoom' })}>
                <InputNumber id="map-max-zoom" min={1} max={22} />
              </Form.Item>
              <Form.Item name="attribution" label={t({ zh: '版权说明', en: 'Attribution' })}>
                <Input id="map-attribution" style={{ width: 240 }} maxLength={200} />
              </Form.Item>
            </Space>
          </>
        )}
      </Form>
      <Typography.Text strong>{t({ zh: '预览', en: 'Preview' })}</Typography.Text>
      {draft ? (
        <BaseMap
          key={JSON.stringify(draft)}
          testId="map-provider-preview"
          tiles={tilesOf(draft)}
          height={260}
          scrollWheelZoom
          style={{ marginTop: 6 }}
        />
      ) : (
        <Typography.Paragraph type="secondary" data-testid="map-provider-preview-empty">
          {t({ zh: '填写完整后显示预览', en: 'The preview shows once the fields are complete' })}
        </Typography.Paragraph>
      )}
      {writable && (
        <Button
          type="primary"
          style={{ marginTop: 12 }}
          loading={put.isPending}
          disabled={!saved}
          onClick={() => void save()}
          data-testid="map-provider-save"
        >
          {t(L.common.save)}
        </Button>
      )}
    </Card>
  );
}
