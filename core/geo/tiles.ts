/**
 * Base-map tiles: the providers an office may choose (天地图, 高德, OpenStreetMap, its own XYZ
 * server, or none) and the tile layers each stands for. A layer's URL is a Leaflet template:
 * `{z}`, `{x}`, `{y}` (or `{-y}` for TMS numbering), `{s}` for a subdomain, `{r}` for retina.
 */

/** The coordinate system tiles are drawn in: WGS-84 (also CGCS2000, 天地图) or GCJ-02 (高德). */
export type TMapCoords = 'wgs84' | 'gcj02';

export const MAP_PROVIDER_KINDS = ['none', 'tianditu', 'amap', 'osm', 'xyz'] as const;
export type TMapProviderKind = (typeof MAP_PROVIDER_KINDS)[number];

/** What the office chose. Only a self-hosted server names its URL and coordinate system. */
export type TMapProvider =
  | { kind: 'none' }
  | { kind: 'tianditu'; key: string }
  | { kind: 'amap' }
  | { kind: 'osm' }
  | {
      kind: 'xyz';
      url: string;
      coords: TMapCoords;
      attribution: string;
      /** Letters or digits `{s}` takes (empty: the URL has no `{s}`). */
      subdomains: string;
      maxZoom: number;
    };

/** One tile layer as Leaflet's TileLayer takes it. */
export interface TTileLayer {
  url: string;
  subdomains: string;
  attribution: string;
  maxZoom: number;
}

/** What a map draws for a provider: its tile layers (none: our own vector base) and their CRS. */
export interface TMapTiles {
  kind: TMapProviderKind;
  coords: TMapCoords;
  layers: TTileLayer[];
}

const TIANDITU_LAYER = (layer: 'vec' | 'cva', key: string) =>
  `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0` +
  `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}` +
  `&TILECOL={x}&tk=${encodeURIComponent(key)}`;

/** The tile layers of a provider (天地图: the vector map and its annotation layer on top). */
export function tilesOf(p: TMapProvider): TMapTiles {
  switch (p.kind) {
    case 'none':
      return { kind: 'none', coords: 'wgs84', layers: [] };
    case 'tianditu':
      return {
        kind: 'tianditu',
        coords: 'wgs84',
        layers: [
          {
            url: TIANDITU_LAYER('vec', p.key),
            subdomains: '01234567',
            attribution: '© 天地图',
            maxZoom: 18,
          },
          {
            url: TIANDITU_LAYER('cva', p.key),
            subdomains: '01234567',
            attribution: '',
            maxZoom: 18,
          },
        ],
      };
    case 'amap':
      return {
        kind: 'amap',
        coords: 'gcj02',
        layers: [
          {
            url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
            subdomains: '1234',
            attribution: '© 高德地图',
            maxZoom: 18,
          },
        ],
      };
    case 'osm':
      return {
        kind: 'osm',
        coords: 'wgs84',
        layers: [
          {
            url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
            subdomains: '',
            attribution: '© OpenStreetMap contributors',
            maxZoom: 19,
          },
        ],
      };
    case 'xyz':
      return {
        kind: 'xyz',
        coords: p.coords,
        layers: [
          {
            url: p.url,
            subdomains: p.subdomains,
            attribution: p.attribution,
            maxZoom: p.maxZoom,
          },
        ],
      };
  }
}

const PLACEHOLDERS = new Set(['s', 'z', 'x', 'y', '-y', 'r']);

/**
 * Why a tile URL template cannot be used (null when it can): it must be an http(s) address or a
 * path on this server, carry `{z}`, `{x}` and `{y}` (or `{-y}`), and no other placeholder than
 * `{s}` and `{r}` (Leaflet stops drawing on an unknown one); `{s}` needs subdomains.
 */
export function tileTemplateProblem(
  url: string,
  subdomains = '',
): { zh: string; en: string } | null {
  if (url.length > 1000)
    return { zh: '地址过长（最多 1000 字符）', en: 'too long (1,000 at most)' };
  if (!/^(https?:\/\/[^/\s]+|\/(?!\/))/i.test(url)) {
    return {
      zh: '应以 http://、https:// 或 / 开头',
      en: 'must start with http://, https:// or /',
    };
  }
  if (/[\s"'<>`\\]/.test(url)) {
    return {
      zh: '不能含空格、引号、尖括号或反斜杠',
      en: 'must not contain spaces, quotes, angle brackets or backslashes',
    };
  }
  const found = [...url.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!);
  const unknown = found.filter((f) => !PLACEHOLDERS.has(f));
  if (unknown.length) {
    return {
      zh: `不支持的占位符 {${unknown[0]}}（可用 {z} {x} {y} {-y} {s} {r}）`,
      en: `unsupported placeholder {${unknown[0]}} (use {z} {x} {y} {-y} {s} {r})`,
    };
  }
  const missing = ['z', 'x'].filter((k) => !found.includes(k));
  if (!found.includes('y') && !found.includes('-y')) missing.push('y');
  if (missing.length) {
    return {
      zh: `缺少占位符 ${missing.map((m) => `{${m}}`).join('、')}`,
      en: `missing ${missing.map((m) => `{${m}}`).join(', ')}`,
    };
  }
  if (found.includes('s') && !subdomains) {
    return { zh: '含 {s} 时须填写子域名', en: '{s} needs subdomains' };
  }
  return null;
}

/** 天地图's key (tk): 32 hexadecimal characters, as the console issues it. */
export const TIANDITU_KEY = /^[0-9a-f]{32}$/i;

/** Escapes text for Leaflet's attribution control, which writes it as HTML. */
export function attributionHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
