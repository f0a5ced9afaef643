/** happy-dom's default window: wide enough for antd's `lg` (desktop) layout. */
export const DESKTOP_WIDTH = 1024;

/** Sets the window's width (happy-dom's own API; matchMedia follows it). */
export function setViewportWidth(width: number): void {
  const w = window as unknown as { happyDOM?: { setViewport(v: { width: number }): void } };
  w.happyDOM?.setViewport({ width });
}
