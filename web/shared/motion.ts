/**
 * The user's "reduce motion" setting (prefers-reduced-motion: reduce, in the system's or the
 * browser's accessibility settings). Honoured by antd (no zoom, slide or fade: AdminProviders),
 * the maps (no zoom or tile fade) and the charts (drawn at once: web/admin/chart.tsx). The browser tests run with it
 * on, so a click never lands on something still moving, and the 2-core test machine does not
 * spend its time drawing animation frames.
 */
export function reducedMotion(): boolean {
  return (
    typeof window !== 'undefined' &&
    typeof window.matchMedia === 'function' &&
    window.matchMedia('(prefers-reduced-motion: reduce)').matches
  );
}

/** Leaflet options for a MapContainer: its animations, off when the user asks for less motion. */
export function mapMotion(): {
  zoomAnimation: boolean;
  fadeAnimation: boolean;
  markerZoomAnimation: boolean;
} {
  const on = !reducedMotion();
  return { zoomAnimation: on, fadeAnimation: on, markerZoomAnimation: on };
}
