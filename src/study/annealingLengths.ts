/**
 * The three lengths of seed 003 Fig. 6 across parent temperatures: ξ_g (maximum of r^(2d) c(r),
 * SPEC §6.3), the crossover length ξ_co (seed 003 SI S-3, Fig. S2: the collapse of
 * r^(2d) c(r)/A₁ against r/ξ_co over the T_p of one model, statistics/crossoverLength.ts) and the
 * quartic-mode core size ξ_QLM (SPEC §6.6, SI S-4), all over a0, and seed 003's conclusion that
 * they agree within O(1) factors as a verdict on their ratios.
 */
import { GlassmechError } from "../core/errors.js";
import { crossoverLength, type DecayCurve } from "../statistics/index.js";
import type { EnsembleResult } from "../registry/ensemble.js";
import type { ValueWithError } from "../registry/reduce.js";

/** Per ensemble (T_p), lengths over a0 = (V/N)^(1/d); A₁ in units of c·r^(2d) (r in λ_ss). */
export interface LengthPoint {
  xiG?: ValueWithError;
  xiCo?: ValueWithError;
  xiQlm?: ValueWithError;
  A1?: ValueWithError;
}

export interface LengthRatio {
  name: "ξ_co/ξ_g" | "ξ_QLM/ξ_g" | "ξ_QLM/ξ_co";
  /** One entry per point of the model (undefined where either length is missing). */
  values: (ValueWithError | undefined)[];
}

/** The O(1)-agreement check of seed 003 Fig. 6 (rule: LENGTH_RULE). */
export interface LengthCheck {
  ratios: LengthRatio[];
  verdict: "consistent" | "inconsistent" | "inconclusive";
}

export interface AnnealingLengths {
  points: LengthPoint[];
  /** The collapse behind ξ_co (null with the reason in problems). */
  collapse: { labels: string[]; degree: number; chi2: number; dof: number; errorScale: number; rMin: number; collapsed: { x: number[]; y: number[] }[] } | null;
  check: LengthCheck | null;
  problems: string[];
}

/** Seed 003 says "very similar" (Fig. 6); we read "within O(1) factors" as this band. */
export const LENGTH_BAND: [number, number] = [1 / 3, 3];
export const LENGTH_RULE =
  "consistent when every ratio lies in [1/3, 3]; inconsistent when one lies outside by more than 2σ; otherwise inconclusive";

export interface LengthInput {
  label: string;
  s: EnsembleResult;
}

const over = (v: ValueWithError | undefined, a0: number): ValueWithError | undefined =>
  v === undefined || !(a0 > 0) ? undefined : { value: v.value / a0, stdError: v.stdError / a0 };

/** x/y with independent errors (ξ_g and ξ_co share their c(r), so the ratio's error is an upper bound for that pair). */
function quotient(x: ValueWithError | undefined, y: ValueWithError | undefined): ValueWithError | undefined {
  if (x === undefined || y === undefined || !(y.value > 0)) return undefined;
  const v = x.value / y.value;
  const rel = Math.hypot(x.stdError / x.value, y.stdError / y.value);
  return { value: v, stdError: Number.isFinite(rel) ? v * rel : NaN };
}

/**
 * Lengths of one model's ensembles (sorted by T_p, as the caller's points). ξ_co collapses the
 * pooled c(r) (`decay`) of every ensemble that has one, over r ≥ a0 (below one interparticle
 * distance c(r) follows the local structure, not ξ), dropping bins without c or without an error.
 * Every length that cannot be had is named in `problems` with its reason.
 */
export function annealingLengths(model: string, rows: readonly LengthInput[]): AnnealingLengths {
  const problems: string[] = [];
  const a0 = rows.map((r) => r.s.means.a0?.mean ?? NaN);
  const points: LengthPoint[] = rows.map((r, i) => ({
    xiG: r.s.xiG === undefined ? undefined : over({ value: r.s.xiG.value, stdError: r.s.xiG.stdError }, a0[i]),
    xiQlm: over(r.s.quarticModes?.xiQlm, a0[i]),
  }));
  if (rows.every((r) => r.s.decay === undefined && r.s.xiG === undefined && r.s.quarticModes === undefined))
    return { points, collapse: null, check: null, problems: [`${model}: no lengths ξ_g, ξ_co, ξ_QLM (the glasses were measured without decay and qlm)`] };
  const withDecay = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.s.decay !== undefined);
  let collapse: AnnealingLengths["collapse"] = null;
  if (withDecay.length < 2) problems.push(`${model}: ξ_co needs the pooled c(r) (measure.decay) at ≥ 2 T_p, has ${withDecay.length}`);
  else {
    const rMin = Math.max(...withDecay.map(({ i }) => a0[i]));
    const curves: DecayCurve[] = withDecay.map(({ r }) => {
      const dec = r.s.decay!;
      const keep = dec.r.map((_, t) => t).filter((t) => dec.c[t] !== null && dec.cStdError[t] !== null && dec.cStdError[t]! > 0);
      return { r: keep.map((t) => dec.r[t]), c: keep.map((t) => dec.c[t]!), cStdError: keep.map((t) => dec.cStdError[t]!) };
    });
    try {
      if (!(rMin > 0)) throw new GlassmechError("the ensembles have no a0");
      const f = crossoverLength(curves, rows[0].s.d, { window: [rMin, Infinity] });
      withDecay.forEach(({ i }, k) => {
        points[i].xiCo = over({ value: f.xi[k], stdError: f.xiStdError[k] }, a0[i]);
        points[i].A1 = { value: f.A1[k], stdError: f.A1StdError[k] };
      });
      collapse = { labels: withDecay.map(({ r }) => r.label), degree: f.degree, chi2: f.chi2, dof: f.dof, errorScale: f.errorScale, rMin, collapsed: f.collapsed };
    } catch (e) {
      if (!(e instanceof GlassmechError)) throw e;
      problems.push(`${model}: ξ_co: ${e.message.replace(/^crossoverLength: /, "")}`);
    }
  }
  if (points.every((p) => p.xiG === undefined)) problems.push(`${model}: ξ_g at no T_p (needs measure.decay with a maximum of r^(2d) c(r); see each ensemble's microWarnings)`);
  if (rows.every((r) => r.s.quarticModes === undefined)) problems.push(`${model}: ξ_QLM at no T_p (the glasses were measured without qlm)`);
  else if (points.every((p) => p.xiQlm === undefined)) problems.push(`${model}: ξ_QLM at no T_p (no quartic-mode c(r) had a maximum of r^(2d) c(r))`);
  const check = lengthCheck(points);
  if (check === null) problems.push(`${model}: the O(1) agreement of ξ_g, ξ_co, ξ_QLM (seed 003 Fig. 6) needs two of them at one T_p at least`);
  return { points, collapse, check, problems };
}

function lengthCheck(points: LengthPoint[]): LengthCheck | null {
  const ratios: LengthRatio[] = [
    { name: "ξ_co/ξ_g", values: points.map((p) => quotient(p.xiCo, p.xiG)) },
    { name: "ξ_QLM/ξ_g", values: points.map((p) => quotient(p.xiQlm, p.xiG)) },
    { name: "ξ_QLM/ξ_co", values: points.map((p) => quotient(p.xiQlm, p.xiCo)) },
  ].filter((r) => r.values.some((v) => v !== undefined)) as LengthRatio[];
  if (ratios.length === 0) return null;
  const all = ratios.flatMap((r) => r.values.filter((v): v is ValueWithError => v !== undefined));
  const [lo, hi] = LENGTH_BAND;
  const inside = all.every((v) => v.value >= lo && v.value <= hi);
  const sigma = (v: ValueWithError) => (Number.isFinite(v.stdError) ? v.stdError : 0);
  const clearlyOut = all.some((v) => v.value - 2 * sigma(v) > hi || v.value + 2 * sigma(v) < lo);
  return { ratios, verdict: inside ? "consistent" : clearlyOut ? "inconsistent" : "inconclusive" };
}
