/**
 * Crossover temperature T_co of thermal annealing (SPEC §5; seed 000 §III, Fig. 3, and App. C,
 * Fig. 16). Two independent definitions:
 *   (a) collapse of the inherent-state energy per particle u(T_p) of several models;
 *   (b) for one model, the intersection of the low-T_p linear regime of G/K with its high-T_p
 *       plateau G∞/K∞.
 * Temperatures and energies are in the models' own reduced units.
 */
import { GlassmechError } from "../core/errors.js";
import { linearFit, type LinearFit } from "./leastSquares.js";
import { minimizeScalar } from "./optimize1d.js";
import { requireFinite, requirePositive, requireSameLength, type Numbers } from "./validate.js";

// ───────────────────────────── (b) from G/K of one model ─────────────────────────────

export interface TcoFromGKOptions {
  /** Explicit low-T_p range [min, max] (inclusive) for the linear regime. */
  readonly lowRange?: [number, number];
  /** Explicit high-T_p range [min, max] (inclusive) for the plateau. */
  readonly highRange?: [number, number];
  /** Automatic split: at least this many points in each regime (defaults 3 low, 2 high). */
  readonly minLowPoints?: number;
  readonly minHighPoints?: number;
}

export interface TcoFromGK {
  /** T_co where the extrapolated line meets the plateau: T_co = (plateau − intercept)/slope. */
  readonly Tco: number;
  /** Delta-method error from the line's covariance and the plateau's standard error (NaN if either is undetermined). */
  readonly stdError: number;
  /** G∞/K∞: mean of G/K over the high regime, and its standard error. */
  readonly plateau: number;
  readonly plateauStdError: number;
  /** Line G/K = intercept + slope·T_p fitted over the low regime. */
  readonly line: LinearFit;
  /** [min, max] T_p and point counts of the two regimes actually used. */
  readonly lowRange: [number, number];
  readonly highRange: [number, number];
  readonly lowPoints: number;
  readonly highPoints: number;
  /** true if the regimes were chosen automatically. */
  readonly automatic: boolean;
}

/**
 * T_co from one model's G/K(T_p) (SPEC §5 (b), seed 000 App. C): fit a straight line to the
 * low-T_p quasilinear regime, take the high-T_p plateau as the mean of G/K there, and intersect.
 * Regimes: given by `lowRange`/`highRange` (both, or either with the other = the remaining
 * points); otherwise chosen automatically as the split of the T_p-sorted data into
 * {lowest k points} + {the rest} minimizing the total squared residual of
 * [line on the low part] + [constant on the high part], with ≥ minLowPoints and ≥ minHighPoints.
 * Example: `tcoFromGK([0.77, 0.8, …, 4.0], [0.30, 0.31, …])` → `{ Tco: 1.1, … }`.
 */
export function tcoFromGK(Tp: Numbers, GoverK: Numbers, options: TcoFromGKOptions = {}): TcoFromGK {
  requireFinite(Tp, "tcoFromGK(Tp)", 3);
  requireFinite(GoverK, "tcoFromGK(GoverK)", 3);
  requireSameLength(Tp, GoverK, "tcoFromGK(Tp, GoverK)");
  const order = Array.from({ length: Tp.length }, (_, i) => i).sort((a, b) => Tp[a] - Tp[b]);
  const T = order.map((i) => Tp[i]), y = order.map((i) => GoverK[i]);
  const n = T.length;
  const inRange = (t: number, r: [number, number]) => t >= r[0] && t <= r[1];

  let low: number[], high: number[], automatic = false;
  if (options.lowRange !== undefined || options.highRange !== undefined) {
    const lr = options.lowRange, hr = options.highRange;
    low = [];
    high = [];
    for (let i = 0; i < n; i++) {
      const isLow = lr !== undefined ? inRange(T[i], lr) : false;
      const isHigh = hr !== undefined ? inRange(T[i], hr) : false;
      if (isLow && isHigh) throw new GlassmechError(`tcoFromGK: T_p = ${T[i]} is in both lowRange and highRange`);
      if (isLow || (lr === undefined && !isHigh)) low.push(i);
      else if (isHigh || hr === undefined) high.push(i);
    }
  } else {
    automatic = true;
    const minLow = options.minLowPoints ?? 3, minHigh = options.minHighPoints ?? 2;
    if (n < minLow + minHigh) throw new GlassmechError(`tcoFromGK: ${n} points; the automatic split needs ≥ ${minLow + minHigh}`);
    let bestK = -1, bestRss = Infinity;
    for (let k = minLow; k <= n - minHigh; k++) {
      if (T[k - 1] === T[k]) continue; // never split equal temperatures
      const rss = lineRss(T, y, 0, k) + constRss(y, k, n);
      if (rss < bestRss) { bestRss = rss; bestK = k; }
    }
    if (bestK < 0) throw new GlassmechError("tcoFromGK: no admissible split of the data into a low and a high regime");
    low = Array.from({ length: bestK }, (_, i) => i);
    high = Array.from({ length: n - bestK }, (_, i) => bestK + i);
  }
  if (low.length < 2) throw new GlassmechError(`tcoFromGK: the low regime holds ${low.length} point(s); need ≥ 2`);
  if (high.length < 1) throw new GlassmechError("tcoFromGK: the high regime holds no points");
  const line = linearFit(low.map((i) => T[i]), low.map((i) => y[i]));
  let p = 0;
  for (const i of high) p += y[i];
  p /= high.length;
  let sp2 = NaN;
  if (high.length > 1) {
    let v = 0;
    for (const i of high) v += (y[i] - p) * (y[i] - p);
    sp2 = v / (high.length - 1) / high.length;
  }
  if (line.slope === 0) throw new GlassmechError("tcoFromGK: the low-T_p line is flat; it never meets the plateau");
  const Tco = (p - line.intercept) / line.slope;
  // T = (p − a)/b: Var T = [σ_p² + σ_a² + T² σ_b² + 2T Cov(a, b)]/b².
  const varT = (sp2 + line.interceptStdError ** 2 + Tco * Tco * line.slopeStdError ** 2 + 2 * Tco * line.covariance) / (line.slope * line.slope);
  return {
    Tco, stdError: Math.sqrt(Math.max(0, varT)), plateau: p, plateauStdError: Math.sqrt(sp2), line,
    lowRange: [T[low[0]], T[low[low.length - 1]]], highRange: [T[high[0]], T[high[high.length - 1]]],
    lowPoints: low.length, highPoints: high.length, automatic,
  };
}

/** Residual sum of squares of the least-squares line through points [from, to). */
function lineRss(x: number[], y: number[], from: number, to: number): number {
  const m = to - from;
  let sx = 0, sy = 0;
  for (let i = from; i < to; i++) { sx += x[i]; sy += y[i]; }
  const mx = sx / m, my = sy / m;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = from; i < to; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx; sxy += dx * dy; syy += dy * dy;
  }
  return sxx > 0 ? Math.max(0, syy - (sxy * sxy) / sxx) : syy;
}

/** Residual sum of squares of the mean of y over [from, to). */
function constRss(y: number[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i];
  const m = s / (to - from);
  let v = 0;
  for (let i = from; i < to; i++) v += (y[i] - m) * (y[i] - m);
  return v;
}

// ───────────────────────────── (a) from the collapse of u(T_p) ─────────────────────────────

/** One model's ensemble-mean inherent-state energy per particle u at parent temperatures T_p. */
export interface EnergyCurve {
  readonly Tp: Numbers;
  readonly u: Numbers;
}

export interface TcoFromCollapseOptions {
  /**
   * The fixed scale: model `index` has T_co = `Tco`. Required, because an exact collapse is
   * invariant under T_co,m → λ T_co,m for all m at once (if u_m(T) = u_m(T_co,m) + T_co,m F(T/T_co,m)
   * then the rescaled curves are [F(λx) − F(λ)]/λ for every model). Seed 000 does not say how it
   * fixed this scale; its App. C definition (tcoFromGK) gives T_co of any single model, and the
   * paper checks that both definitions agree. So: take T_co of one model from tcoFromGK.
   */
  readonly reference: { readonly index: number; readonly Tco: number };
  /** Per-model search interval for T_co (default: from the 3rd-lowest to the highest T_p of the model). */
  readonly bounds?: readonly ([number, number] | undefined)[];
}

export interface TcoFromCollapse {
  /** T_co per model (the reference one as given). */
  readonly Tco: number[];
  /** u(T_co) per model, linearly interpolated in the data (the stars of seed 000 Fig. 15). */
  readonly uAtTco: number[];
  /** Final objective: mean squared mismatch between the collapsed curves (units of (u/T)²). */
  readonly objective: number;
  /** Number of (point, other-curve) comparisons behind the objective. */
  readonly comparisons: number;
  /** Collapsed points per model: x = T_p/T_co, y = (u(T_p) − u(T_co))/T_co, for T_p < T_co. */
  readonly collapsed: { x: number[]; y: number[] }[];
  readonly sweeps: number;
}

/**
 * T_co of several models from the collapse of (u(T_p) − u(T_co))/T_co vs T_p/T_co for T_p < T_co
 * (SPEC §5 (a), seed 000 §III, Fig. 3). u(T_co) is the linear interpolation of the model's data at
 * T_co ("linearly interpolated energy", seed 000 §III).
 * Objective (minimized): for every model m and every other model m', each collapsed point
 * (x_i, y_i) of m with x_i inside the x-range of m' is compared with the curve of m' linearly
 * interpolated at x_i (the curve of m' includes its anchor (1, 0)); the objective is the mean of
 * the squared differences over all such comparisons (every pair is compared both ways).
 * Optimization: the reference model's T_co is fixed; the others are found by coordinate
 * descent, each a 1-D minimization over ln T_co (41-point scan + golden section) within its
 * bounds, sweeping until no T_co moves by more than 1e-7 relative (≤ 50 sweeps).
 * Example: `tcoFromCollapse([{ Tp, u }, { Tp: Tp2, u: u2 }], { reference: { index: 0, Tco: 0.9 } })`.
 */
export function tcoFromCollapse(models: readonly EnergyCurve[], options: TcoFromCollapseOptions): TcoFromCollapse {
  const M = models.length;
  if (M < 2) throw new GlassmechError(`tcoFromCollapse: needs ≥ 2 models, got ${M}`);
  const ref = options.reference;
  if (ref === undefined || !Number.isInteger(ref.index) || ref.index < 0 || ref.index >= M)
    throw new GlassmechError(`tcoFromCollapse: reference.index must be a model index in [0, ${M - 1}]`);
  requirePositive(ref.Tco, "tcoFromCollapse: reference.Tco");
  const curves = models.map((c, m) => {
    requireFinite(c.Tp, `tcoFromCollapse: model ${m} Tp`, 3);
    requireFinite(c.u, `tcoFromCollapse: model ${m} u`, 3);
    requireSameLength(c.Tp, c.u, `tcoFromCollapse: model ${m} (Tp, u)`);
    const order = Array.from({ length: c.Tp.length }, (_, i) => i).sort((a, b) => c.Tp[a] - c.Tp[b]);
    const T = Float64Array.from(order, (i) => c.Tp[i]), u = Float64Array.from(order, (i) => c.u[i]);
    for (let i = 0; i < T.length; i++) {
      if (!(T[i] > 0)) throw new GlassmechError(`tcoFromCollapse: model ${m} has T_p = ${T[i]}; temperatures must be > 0`);
      if (i > 0 && T[i] === T[i - 1]) throw new GlassmechError(`tcoFromCollapse: model ${m} repeats T_p = ${T[i]}; average the energies first`);
    }
    return { T, u };
  });
  const bounds = curves.map((c, m): [number, number] => {
    const b = options.bounds?.[m];
    const lo = b?.[0] ?? c.T[2], hi = b?.[1] ?? c.T[c.T.length - 1];
    if (!(lo > c.T[0] && hi <= c.T[c.T.length - 1] && hi > lo))
      throw new GlassmechError(`tcoFromCollapse: bounds of model ${m} must lie inside (${c.T[0]}, ${c.T[c.T.length - 1]}] with lo < hi, got [${lo}, ${hi}]`);
    return [lo, hi];
  });
  const rc = curves[ref.index];
  if (!(ref.Tco > rc.T[0] && ref.Tco <= rc.T[rc.T.length - 1]))
    throw new GlassmechError(`tcoFromCollapse: reference T_co = ${ref.Tco} must lie inside model ${ref.index}'s T_p range (${rc.T[0]}, ${rc.T[rc.T.length - 1]}]`);

  const Tco = curves.map((_, m) => (m === ref.index ? ref.Tco : Math.sqrt(bounds[m][0] * bounds[m][1])));
  const col = curves.map((c, m) => collapse(c.T, c.u, Tco[m]));

  const objective = (): { value: number; count: number } => {
    let s = 0, count = 0;
    for (let m = 0; m < M; m++)
      for (let q = 0; q < M; q++) {
        if (q === m) continue;
        const A = col[m], B = col[q];
        const xlo = B.x[0];
        for (let i = 0; i < A.n; i++) {
          const x = A.x[i];
          if (x < xlo || x > 1) continue;
          const d = A.y[i] - interp(B.xa, B.ya, x);
          s += d * d;
          count++;
        }
      }
    return { value: count > 0 ? s / count : Infinity, count };
  };

  let sweeps = 0;
  for (; sweeps < 50; sweeps++) {
    let moved = 0;
    for (let m = 0; m < M; m++) {
      if (m === ref.index) continue;
      const c = curves[m];
      const f = (lt: number) => {
        col[m] = collapse(c.T, c.u, Math.exp(lt));
        return objective().value;
      };
      const best = minimizeScalar(f, Math.log(bounds[m][0]), Math.log(bounds[m][1]), 41, 1e-9);
      const t = Math.exp(best.x);
      moved = Math.max(moved, Math.abs(t - Tco[m]) / Tco[m]);
      Tco[m] = t;
      col[m] = collapse(c.T, c.u, t);
    }
    if (moved < 1e-7) { sweeps++; break; }
  }
  const final = objective();
  return {
    Tco: Tco.slice(),
    uAtTco: curves.map((c, m) => interp(c.T, c.u, Tco[m])),
    objective: final.value,
    comparisons: final.count,
    collapsed: col.map((k) => ({ x: Array.from(k.x.subarray(0, k.n)), y: Array.from(k.y.subarray(0, k.n)) })),
    sweeps,
  };
}

/**
 * Collapsed curve of one model at candidate T_co: points (T_p/T_co, (u − u(T_co))/T_co) for
 * T_p < T_co, and the same arrays with the anchor (1, 0) appended (xa, ya) for interpolation.
 */
function collapse(T: Float64Array, u: Float64Array, tco: number) {
  const uc = interp(T, u, tco);
  let n = 0;
  while (n < T.length && T[n] < tco) n++;
  const xa = new Float64Array(n + 1), ya = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) { xa[i] = T[i] / tco; ya[i] = (u[i] - uc) / tco; }
  xa[n] = 1;
  ya[n] = 0;
  return { n, x: xa, y: ya, xa, ya };
}

/** Linear interpolation of (x, y) (x increasing) at t, clamped to the end values outside. */
function interp(x: ArrayLike<number>, y: ArrayLike<number>, t: number): number {
  const n = x.length;
  if (t <= x[0]) return y[0];
  if (t >= x[n - 1]) return y[n - 1];
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= t) lo = mid; else hi = mid;
  }
  const w = (t - x[lo]) / (x[hi] - x[lo]);
  return y[lo] + w * (y[hi] - y[lo]);
}
