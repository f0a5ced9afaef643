import { fireEvent } from '@testing-library/react';
import { vi } from 'vitest';

/**
 * Leaflet in happy-dom: there is no layout, so a map has no size and asks for no tiles. `sizeMaps`
 * gives every element a size (restore with the returned function), so a map lays out its tiles
 * and a tap at a point of its container lands on a position.
 */
export function sizeMaps(width = 400, height = 300): () => void {
  const w = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(width);
  const h = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(height);
  return () => {
    w.mockRestore();
    h.mockRestore();
  };
}

/** The Leaflet container inside an element (a map's wrapper). */
export function leafletIn(el: HTMLElement): HTMLElement {
  const c = el.querySelector<HTMLElement>('.leaflet-container');
  if (!c) throw new Error('no map here');
  return c;
}

/**
 * A tap on a map at container pixel (x, y) (the container's box is at the page's origin in
 * happy-dom): what a finger does, as Leaflet hears it.
 */
export function tapMap(container: HTMLElement, x: number, y: number): void {
  const at = { clientX: x, clientY: y, bubbles: true };
  fireEvent.mouseDown(container, at);
  fireEvent.mouseUp(container, at);
  fireEvent.click(container, at);
}

/** The tile images a map asked for, by layer (pane order). */
export function tileImages(container: HTMLElement): HTMLImageElement[] {
  return [...container.querySelectorAll<HTMLImageElement>('.leaflet-tile-pane img.leaflet-tile')];
}
