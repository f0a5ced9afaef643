import { describe, expect, it } from 'vitest';
import { readMapBox, ZMapProviderSchema } from '../contracts/maps.js';
import { attributionHtml, tileTemplateProblem, tilesOf } from './tiles.js';

describe('tile URL templates', () => {
  it('accepts http(s) and same-server templates with {z}, {x} and {y} or {-y}', () => {
    for (const url of [
      'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      'http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png',
      '/tiles/{z}/{x}/{-y}.png',
      'https://t.example.gov.cn/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}{r}',
    ]) {
      expect(tileTemplateProblem(url), url).toBeNull();
    }
    expect(tileTemplateProblem('https://{s}.t.example.com/{z}/{x}/{y}.png', 'abc')).toBeNull();
  });

  it('says what is wrong, in both languages', () => {
    const cases: [string, string, RegExp][] = [
      ['https://t.example.com/{z}/{x}.png', '', /missing \{y\}/],
      ['https://t.example.com/tiles.png', '', /missing \{z\}, \{x\}, \{y\}/],
      ['ftp://t.example.com/{z}/{x}/{y}', '', /http/],
      ['//t.example.com/{z}/{x}/{y}', '', /http/],
      ['javascript:alert(1)//{z}/{x}/{y}', '', /http/],
      ['tiles/{z}/{x}/{y}.png', '', /http/],
      ['https://t.example.com/{z}/{x}/{y}.png?k={key}', '', /unsupported placeholder \{key\}/],
      ['https://t.example.com/{z}/{x}/{y}.png" onload="x', '', /quotes/],
      ['https://t.example.com/{z}/{x} /{y}.png', '', /spaces/],
      ['https://{s}.t.example.com/{z}/{x}/{y}.png', '', /subdomains/],
      [`https://t.example.com/${'a'.repeat(1000)}/{z}/{x}/{y}`, '', /too long/],
    ];
    for (const [url, sub, en] of cases) {
      const p = tileTemplateProblem(url, sub);
      expect(p, url).not.toBeNull();
      expect(p!.en, url).toMatch(en);
      expect(p!.zh, url).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('providers', () => {
  it('天地图 is the vector map with its annotation on top, keyed, in WGS-84', () => {
    const key = 'abcdef0123456789abcdef0123456789';
    const t = tilesOf({ kind: 'tianditu', key });
    expect(t.coords).toBe('wgs84');
    expect(t.layers.map((l) => /LAYER=(\w+)/.exec(l.url)![1])).toEqual(['vec', 'cva']);
    for (const l of t.layers) {
      expect(l.url).toContain(`tk=${key}`);
      expect(l.subdomains).toBe('01234567');
      expect(tileTemplateProblem(l.url, l.subdomains)).toBeNull();
    }
  });

  it('高德 is GCJ-02; OpenStreetMap and none are WGS-84; an XYZ server says its own', () => {
    expect(tilesOf({ kind: 'amap' })).toMatchObject({ coords: 'gcj02', layers: [{}] });
    expect(tilesOf({ kind: 'osm' }).layers[0]!.attribution).toContain('OpenStreetMap');
    expect(tilesOf({ kind: 'none' })).toEqual({ kind: 'none', coords: 'wgs84', layers: [] });
    const xyz = ZMapProviderSchema.parse({
      kind: 'xyz',
      url: '/tiles/{z}/{x}/{y}.png',
      coords: 'gcj02',
    });
    expect(tilesOf(xyz)).toEqual({
      kind: 'xyz',
      coords: 'gcj02',
      layers: [{ url: '/tiles/{z}/{x}/{y}.png', subdomains: '', attribution: '', maxZoom: 18 }],
    });
    for (const kind of ['amap', 'osm'] as const) {
      const l = tilesOf({ kind }).layers[0]!;
      expect(tileTemplateProblem(l.url, l.subdomains)).toBeNull();
    }
  });

  it('checks the 天地图 key and the XYZ fields at the schema', () => {
    expect(ZMapProviderSchema.safeParse({ kind: 'tianditu', key: 'x'.repeat(32) }).success).toBe(
      false,
    );
    expect(
      ZMapProviderSchema.safeParse({ kind: 'tianditu', key: 'ABCDEF0123456789abcdef0123456789' })
        .success,
    ).toBe(true);
    const bad = ZMapProviderSchema.safeParse({
      kind: 'xyz',
      url: 'https://t.example.com/{z}/{x}.png',
      coords: 'wgs84',
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['url']);
    expect(bad.error!.issues[0]!.message).toMatch(/瓦片地址.* \/ tile URL template: missing \{y\}/);
  });

  it('escapes attribution text before Leaflet writes it as HTML', () => {
    expect(attributionHtml('© 测绘院 <b onclick="x">&')).toBe(
      '© 测绘院 &lt;b onclick=&quot;x&quot;&gt;&amp;',
    );
  });
});

describe('the view a map asks grids for', () => {
  it('reads west,south,east,north, and refuses what is not a view', () => {
    expect(readMapBox('120.1,30.2,120.15,30.25')).toEqual({
      minLng: 120.1,
      minLat: 30.2,
      maxLng: 120.15,
      maxLat: 30.25,
    });
    for (const bad of [
      '',
      '1,2,3',
      '1,2,3,4,5',
      'a,b,c,d',
      '120.2,30.2,120.1,30.3',
      '120,30,121,31',
      '120,,121,30.1',
      '200,30,200.1,30.1',
    ]) {
      expect(readMapBox(bad), bad).toBeNull();
    }
  });
});
