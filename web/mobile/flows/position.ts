/** A position on the phone, in WGS-84 as the browser gives it. */
export interface Fix {
  lat: number;
  lng: number;
  accuracyM: number | null;
}

/**
 * The phone's position, if it gives one within `ms` — never blocks a form: a permission prompt
 * left unanswered, a refusal or a browser without geolocation gives null.
 */
export function fixWithin(ms = 5000, maximumAge = 60_000): Promise<Fix | null> {
  const geo = typeof navigator === 'undefined' ? null : navigator.geolocation;
  if (!geo) return Promise.resolve(null);
  return new Promise((resolve) => {
    const giveUp = window.setTimeout(() => resolve(null), ms);
    const done = (fix: Fix | null) => {
      window.clearTimeout(giveUp);
      resolve(fix);
    };
    try {
      geo.getCurrentPosition(
        (p) =>
          done({
            lat: p.coords.latitude,
            lng: p.coords.longitude,
            accuracyM: Number.isFinite(p.coords.accuracy) ? p.coords.accuracy : null,
          }),
        () => done(null),
        { enableHighAccuracy: true, timeout: Math.max(1000, ms - 500), maximumAge },
      );
    } catch {
      done(null);
    }
  });
}

/** "30.26550, 120.15890" */
export const formatFix = (f: { lat: number; lng: number }) =>
  `${f.lat.toFixed(5)}, ${f.lng.toFixed(5)}`;
