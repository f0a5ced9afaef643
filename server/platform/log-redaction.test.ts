import { describe, expect, it } from 'vitest';
import { logRequest } from '../app.js';

describe('the access log', () => {
  it('masks an Open311 api_key (and other keys) in the query string', () => {
    const out = logRequest({
      method: 'GET',
      url: '/open311/v2/requests.json?page=2&api_key=o311_secret&x=1&token=abc',
      ip: '10.0.0.1',
    });
    expect(out.url).toBe('/open311/v2/requests.json?page=2&api_key=***&x=1&token=***');
    expect(JSON.stringify(out)).not.toContain('o311_secret');
  });

  it('leaves ordinary URLs alone', () => {
    expect(logRequest({ method: 'GET', url: '/api/problems?q=key' }).url).toBe(
      '/api/problems?q=key',
    );
  });

  it('masks the token of a check-in QR code, at the phone app’s address and the old one', () => {
    expect(logRequest({ method: 'GET', url: '/m/checkin/41?t=abc.def%2Bg' }).url).toBe(
      '/m/checkin/41?t=***',
    );
    expect(logRequest({ method: 'GET', url: '/volunteer-checkin/41?x=1&t=abc&y=2' }).url).toBe(
      '/volunteer-checkin/41?x=1&t=***&y=2',
    );
    // A `t` elsewhere is no secret.
    expect(logRequest({ method: 'GET', url: '/api/problems?t=1' }).url).toBe('/api/problems?t=1');
  });

  it('masks an ID number searched for, in the query only', () => {
    expect(
      logRequest({ method: 'GET', url: '/api/volunteers?q=11010519491231002x&limit=50' }).url,
    ).toBe('/api/volunteers?q=110105********002x&limit=50');
    expect(logRequest({ method: 'GET', url: '/api/volunteers?q=%20110105194912310021' }).url).toBe(
      '/api/volunteers?q=%20110105********0021',
    );
    // Not an ID: a longer number, or digits inside a word.
    expect(logRequest({ method: 'GET', url: '/api/x?n=1101051949123100211' }).url).toBe(
      '/api/x?n=1101051949123100211',
    );
  });
});
