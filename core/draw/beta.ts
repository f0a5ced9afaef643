/**
 * The Beta distribution, as much of it as the mock evaluation needs: the regularized incomplete
 * beta function (its CDF), quantiles, the mean of a shifted and floored draw, and a seeded sampler.
 * Pure; numerics after Numerical Recipes (continued fraction by Lentz's method, Lanczos log-gamma,
 * Marsaglia–Tsang gamma draws).
 */

export interface TBeta {
  alpha: number;
  beta: number;
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: ~15 significant digits). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const TINY = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** I_x(a, b): P(θ ≤ x) for θ ~ Beta(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * The p-quantile of Beta(a, b): bisection on the CDF to 1e-12 relative to the nearer end (a small
 * shape puts a quantile far below 1e-12 or within it of 1, where an absolute tolerance would stop
 * short), or to the last representable number.
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 2000 && hi - lo > 1e-12 * Math.min(hi, 1 - lo); i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export const betaMean = (r: TBeta) => r.alpha / (r.alpha + r.beta);

/**
 * E[max(0, θ − c)] for θ ~ Beta(a, b) and c ≥ 0 — the mean of a point whose pass rate is θ less a
 * penalty c, floored at 0: μ·P_{Beta(a+1, b)}(θ > c) − c·P_{Beta(a, b)}(θ > c).
 */
export function betaShiftedMean(r: TBeta, c: number): number {
  const mu = betaMean(r);
  if (c <= 0) return mu;
  if (c >= 1) return 0;
  return Math.max(
    0,
    mu * (1 - betaCdf(c, r.alpha + 1, r.beta)) - c * (1 - betaCdf(c, r.alpha, r.beta)),
  );
}

/** A standard normal draw (Box–Muller; 1 − u keeps the logarithm finite). */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang; a shape under 1 boosted by U^(1/shape)). */
export function sampleGamma(shape: number, rand: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, rand) * (1 - rand()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rand);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - rand();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) draw, as X / (X + Y) of two gamma draws. */
export function sampleBeta(r: TBeta, rand: () => number): number {
  const x = sampleGamma(r.alpha, rand);
  const y = sampleGamma(r.beta, rand);
  return x + y > 0 ? x / (x + y) : betaMean(r);
}
