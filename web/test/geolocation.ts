/** A phone's GPS that is always at `here`: fixes on request and on watch (the phone flows' tests). */
export function stubGeolocation(here: { latitude: number; longitude: number; accuracy?: number }) {
  const fix = (ok: PositionCallback) =>
    ok({
      coords: {
        accuracy: 10,
        ...here,
        altitude: null,
        altitudeAccuracy: null,
        heading: null,
        speed: null,
      },
      timestamp: Date.now(),
    } as GeolocationPosition);
  Object.defineProperty(navigator, 'geolocation', {
    configurable: true,
    value: {
      getCurrentPosition: (ok: PositionCallback) => fix(ok),
      watchPosition: (ok: PositionCallback) => {
        fix(ok);
        return 1;
      },
      clearWatch: () => undefined,
    },
  });
}
