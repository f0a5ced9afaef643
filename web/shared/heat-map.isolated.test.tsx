import { screen, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { TCarriersMap } from '../../core/contracts/ad-carriers.js';
import type { THonoursMap } from '../../core/contracts/honours.js';
import { renderPage } from '../test/render.js';
import { HeatMap } from './heat-map.js';

// The dashboard map's 文明细胞 layer. Leaflet draws the map's boundaries on a canvas, which
// happy-dom has not: the map is a stand-in that lays out what the page puts on it — each circle
// with its fill colour, its tooltip and popup.

vi.mock('./base-map.js', () => ({
  BaseMap: (props: {
    children: (p: { show: (lat: number, lng: number) => [number, number] }) => ReactNode;
  }) => <div data-testid="stand-in-map">{props.children({ show: (lat, lng) => [lat, lng] })}</div>,
}));
vi.mock('react-leaflet', () => ({
  CircleMarker: (props: {
    center: [number, number];
    pathOptions: { fillColor?: string; color?: string };
    children?: ReactNode;
  }) => (
    <div data-testid="circle" data-fill={props.pathOptions.fillColor ?? props.pathOptions.color}>
      {props.children}
    </div>
  ),
  Tooltip: (props: { children?: ReactNode }) => <span>{props.children}</span>,
  Popup: (props: { children?: ReactNode }) => <div>{props.children}</div>,
}));

const HOLDERS: THonoursMap = {
  truncated: false,
  items: [
    {
      id: 1,
      holderName: '湖滨社区',
      title: '全国文明社区',
      cellType: 'community',
      level: 'national',
      status: 'listed',
      lat: 30.27,
      lng: 120.15,
    },
    {
      id: 2,
      holderName: '示范市人民医院',
      title: '市级文明单位',
      cellType: 'unit',
      level: 'city',
      status: 'revoked',
      lat: 30.28,
      lng: 120.16,
    },
  ],
};

const fills = () => screen.queryAllByTestId('circle').map((c) => c.dataset.fill);

describe('HeatMap: the 文明细胞 layer', () => {
  it('draws the holders coloured by status with their title, and the layer can be turned off', async () => {
    const page = await renderPage(<HeatMap heat={null} points={null} honours={HOLDERS} />, {
      user: null,
    });
    // 在册 green, 撤销 red.
    expect(fills()).toEqual(['#52c41a', '#cf1322']);
    const popup = screen.getByTestId('honour-popup-2');
    expect(popup).toHaveTextContent('示范市人民医院');
    expect(popup).toHaveTextContent('市级文明单位 · 文明单位');
    expect(popup).toHaveTextContent('市级 · 撤销');
    await page.user.click(within(screen.getByTestId('map-layer-honours')).getByText('文明细胞'));
    expect(fills()).toEqual([]);
  });

  it('has no such layer for a caller who does not read the registry', async () => {
    await renderPage(<HeatMap heat={null} points={null} />, { user: null });
    expect(screen.getByTestId('stand-in-map')).toBeInTheDocument();
    expect(screen.queryByTestId('map-layer-honours')).toBeNull();
    expect(fills()).toEqual([]);
  });

  it('draws the 公益广告 carriers by state once their layer is turned on', async () => {
    const carriers: TCarriersMap = {
      truncated: false,
      items: [
        {
          id: 7,
          code: 'GG00007',
          kind: 'led',
          theme: 'integrity',
          state: 'damaged',
          lat: 30.2,
          lng: 120.1,
        },
        {
          id: 8,
          code: 'GG00008',
          kind: 'board',
          theme: 'core_values',
          state: 'intact',
          lat: 30.21,
          lng: 120.11,
        },
      ],
    };
    const page = await renderPage(<HeatMap heat={null} points={null} carriers={carriers} />, {
      user: null,
    });
    // Off at first: the dashboard map stays readable.
    expect(fills()).toEqual([]);
    await page.user.click(
      within(screen.getByTestId('map-layer-carriers')).getByText('公益广告阵地'),
    );
    expect(fills()).toEqual(['#cf1322', '#52c41a']);
    const popup = screen.getByTestId('carrier-popup-7');
    expect(popup).toHaveTextContent('GG00007 · LED屏');
    expect(popup).toHaveTextContent('诚信建设 · 破损');
  });
});
