import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  betaCdf,
  betaMean,
  betaQuantile,
  betaShiftedMean,
  lnGamma,
  sampleBeta,
  sampleGamma,
} from './beta.js';
import { mulberry32 } from './mock-evaluation.js';

/** Simpson's rule over [lo, hi] with n (even) panels. */
function simpson(f: (x: number) => number, lo: number, hi: number, n = 2000): number {
  const h = (hi - lo) / n;
  let s = f(lo) + f(hi);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(lo + i * h);
  return (s * h) / 3;
}

const density = (a: number, b: number) => (x: number) =>
  Math.exp(
    lnGamma(a + b) - lnGamma(a) - lnGamma(b) + (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x),
  );

describe('Beta distribution', () => {
  it('log-gamma at known values', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 12);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(lnGamma(0.1)).toBeCloseTo(2.252712651734206, 10);
  });

  it('the CDF in closed-form cases: uniform, x², 1 − (1 − x)³, symmetric at ½', () => {
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
      expect(betaCdf(x, 1, 1)).toBeCloseTo(x, 12);
      expect(betaCdf(x, 2, 1)).toBeCloseTo(x * x, 12);
      expect(betaCdf(x, 1, 3)).toBeCloseTo(1 - (1 - x) ** 3, 12);
    }
    expect(betaCdf(0.5, 7.3, 7.3)).toBeCloseTo(0.5, 12);
    expect(betaCdf(0, 2, 3)).toBe(0);
    expect(betaCdf(1, 2, 3)).toBe(1);
    // A small shape puts a quantile far under 1e-12: still found (CDF ≈ x^a·Γ(a+b)/(Γ(a)Γ(b)a)).
    const q = betaQuantile(0.01, 0.05, 2);
    expect(q).toBeLessThan(1e-30);
    expect(betaCdf(q, 0.05, 2)).toBeCloseTo(0.01, 9);
  });

  it('property: I_x(a, b) = 1 − I_(1−x)(b, a), the quantile inverts the CDF', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.3, max: 60, noNaN: true }),
        fc.double({ min: 0.3, max: 60, noNaN: true }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (a, b, x) => {
          expect(betaCdf(x, a, b)).toBeCloseTo(1 - betaCdf(1 - x, b, a), 9);
          // (6 digits: a quantile within 1e-11 of 1 has few representable neighbours.)
          const q = betaQuantile(x, a, b);
          expect(betaCdf(q, a, b)).toBeCloseTo(x, 6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the shifted mean E[max(0, θ − c)] matches integrating the density', () => {
    for (const [a, b, c] of [
      [2, 3, 0.1],
      [1.4, 2.6, 0.25],
      [9, 1.5, 0.05],
      [3, 3, 0.6],
    ] as const) {
      const numeric = simpson((x) => Math.max(0, x - c) * density(a, b)(x), 1e-9, 1 - 1e-9, 20_000);
      expect(betaShiftedMean({ alpha: a, beta: b }, c)).toBeCloseTo(numeric, 5);
    }
    expect(betaShiftedMean({ alpha: 2, beta: 6 }, 0)).toBe(0.25);
    expect(betaShiftedMean({ alpha: 2, beta: 6 }, 1)).toBe(0);
  });

  it('seeded draws follow the distribution (mean, variance, CDF), shapes under 1 included', () => {
    const rand = mulberry32(11);
    for (const r of [
      { alpha: 2, beta: 5 },
      { alpha: 0.4, beta: 1.6 },
      { alpha: 30, beta: 3 },
    ]) {
      const n = 100_000;
      const xs = Float64Array.from({ length: n }, () => sampleBeta(r, rand));
      const mean = xs.reduce((a, v) => a + v, 0) / n;
      const variance = xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
      const mu = betaMean(r);
      const s = r.alpha + r.beta;
      expect(mean).toBeCloseTo(mu, 2);
      expect(variance / ((mu * (1 - mu)) / (s + 1))).toBeGreaterThan(0.97);
      expect(variance / ((mu * (1 - mu)) / (s + 1))).toBeLessThan(1.03);
      for (const q of [0.1, 0.5, 0.9]) {
        const x = betaQuantile(q, r.alpha, r.beta);
        const below = xs.filter((v) => v <= x).length / n;
        expect(Math.abs(below - q)).toBeLessThan(0.006);
      }
    }
    // Gamma draws with shape k have mean k.
    const g = Array.from({ length: 50_000 }, () => sampleGamma(3.5, rand));
    expect(g.reduce((a, v) => a + v, 0) / g.length).toBeCloseTo(3.5, 1);
  });
});
