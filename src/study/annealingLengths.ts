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
  /** The collapse amplitude of the quartic modes' c(r) (seed 003 Fig. S4d), when ξ_QLM comes from that collapse. */
  A2?: ValueWithError;
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

/**
 * The collapse of statistics/crossoverLength on the curves `pick` gives (one per ensemble that has
 * one), over r ≥ a0 (below one interparticle distance c(r) follows the local structure, not ξ),
 * dropping bins without c or without an error; or the reason it cannot be made (": …").
 */
function collapseOver(rows: readonly LengthInput[], a0: readonly number[], what: string, pick: (r: LengthInput) => PooledCurve | undefined): { at: number[]; fit: ReturnType<typeof crossoverLength>; rMin: number } | string {
  const at = rows.map((r, i) => (pick(r) === undefined ? -1 : i)).filter((i) => i >= 0);
  if (at.length < 2) return ` needs ${what} at ≥ 2 T_p, has ${at.length}`;
  const rMin = Math.max(...at.map((i) => a0[i]));
  if (!(rMin > 0)) return ": the ensembles have no a0";
  const curves: DecayCurve[] = at.map((i) => {
    const dec = pick(rows[i])!;
    const keep = dec.r.map((_, t) => t).filter((t) => dec.c[t] !== null && dec.cStdError[t] !== null && dec.cStdError[t]! > 0);
    return { r: keep.map((t) => dec.r[t]), c: keep.map((t) => dec.c[t]!), cStdError: keep.map((t) => dec.cStdError[t]!) };
  });
  try {
    return { at, fit: crossoverLength(curves, rows[0].s.d, { window: [rMin, Infinity] }), rMin };
  } catch (e) {
    if (!(e instanceof GlassmechError)) throw e;
    return `: ${e.message.replace(/^crossoverLength: /, "")}`;
  }
}

type PooledCurve = { r: number[]; c: (number | null)[]; cStdError: (number | null)[] };

/** x/y with independent errors (ξ_g and ξ_co share their c(r), so the ratio's error is an upper bound for that pair). */
function quotient(x: ValueWithError | undefined, y: ValueWithError | undefined): ValueWithError | undefined {
  if (x === undefined || y === undefined || !(y.value > 0)) return undefined;
  const v = x.value / y.value;
  const rel = Math.hypot(x.stdError / x.value, y.stdError / y.value);
  return { value: v, stdError: Number.isFinite(rel) ? v * rel : NaN };
}

/**
 * Lengths of one model's ensembles (sorted by T_p, as the caller's points). ξ_co collapses the
 * pooled c(r) (`decay`) of every ensemble that has one (collapseOver), ξ_QLM the quartic modes'
 * pooled c(r) the same way. Every length that cannot be had is named in `problems` with its reason.
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
  const co = collapseOver(rows, a0, "the pooled c(r) (measure.decay)", (r) => r.s.decay);
  let collapse: AnnealingLengths["collapse"] = null;
  if (typeof co === "string") problems.push(`${model}: ξ_co${co}`);
  else {
    co.at.forEach((i, k) => {
      points[i].xiCo = over({ value: co.fit.xi[k], stdError: co.fit.xiStdError[k] }, a0[i]);
      points[i].A1 = { value: co.fit.A1[k], stdError: co.fit.A1StdError[k] };
    });
    collapse = { labels: co.at.map((i) => rows[i].label), degree: co.fit.degree, chi2: co.fit.chi2, dof: co.fit.dof, errorScale: co.fit.errorScale, rMin: co.rMin, collapsed: co.fit.collapsed };
  }
  // ξ_QLM as seed 003 SI S-4 (Fig. S4): the same collapse on the quartic modes' pooled c(r); without
  // it, the r^(2d) maximum of the pooled c(r), else the mean of the per-glass maxima.
  const qc = collapseOver(rows, a0, "the quartic modes' pooled c(r) (measure.qlm)", (r) => r.s.quarticModes?.decay);
  if (typeof qc !== "string")
    qc.at.forEach((i, k) => {
      points[i].xiQlm = over({ value: qc.fit.xi[k], stdError: qc.fit.xiStdError[k] }, a0[i]);
      points[i].A2 = { value: qc.fit.A1[k], stdError: qc.fit.A1StdError[k] };
    });
  else {
    rows.forEach((r, i) => {
      const pooled = r.s.quarticModes?.decay?.xi;
      if (pooled !== undefined) points[i].xiQlm = over(pooled, a0[i]);
    });
    if (rows.some((r) => r.s.quarticModes?.decay !== undefined)) problems.push(`${model}: ξ_QLM from the collapse of the modes' c(r) (seed 003 SI S-4)${qc}; ξ_QLM is the r^(2d) maximum of the pooled or per-glass c(r) instead`);
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
