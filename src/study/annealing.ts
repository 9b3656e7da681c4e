import { GlassmechError } from "../core/errors.js";
import { fitBoltzmann, fitPowerLaw, meanWithError, tcoFromCollapse, tcoFromGK, type BoltzmannFit, type TcoFromGK } from "../statistics/index.js";
import type { EnsembleResult } from "../registry/ensemble.js";
import type { ValueWithError } from "../registry/reduce.js";
import { annealingLengths, type AnnealingLengths, type LengthPoint } from "./annealingLengths.js";
import type { StudySummary } from "./summary.js";

/**
 * Thermal-annealing analysis (SPEC §5, §7; seed 000, seed 003): ensembles of one model quenched
 * from several parent temperatures T_p.
 *
 * Per model (same descriptor, density and d): T_co by the G/K scheme (seed 000 App. C: the
 * low-T_p line of G/K meets its high-T_p plateau; seed 003's T_onset is the same crossover), and
 * across models by the energy collapse of (u(T_p) − u(T_co))/T_co vs T_p/T_co (seed 000 §III; its
 * scale is fixed by the G/K value of the first model that has one). Then, against T_p and
 * T_p/T_co: G/G∞, K/K∞, G_na/G, ν/ν∞, and where the glasses carry modes, dipoles or c(r) the
 * microscopic series A_g ω0⁵, ω_g/ω_g∞ (both definitions), 𝒩 = A_g ω_g⁵ (both), Ne0, κ_g/κ_g∞,
 * the softest quartic-mode frequency ω_π/ω0 when measured, the lengths ξ_g, ξ_co and ξ_QLM over
 * a0 with the check that they agree within O(1) factors (seed 003 Fig. 6; annealingLengths.ts),
 * with X∞ the mean of X over the high-T_p plateau found by the G/K fit. The Boltzmann law
 * 𝒩 ∝ exp(−E_QLM/T_p) (seed 003 Eq. 3, Fig. 5; E_QLM ≈ 3.3 T_onset) is fitted below T_co, and
 * the relations Ne0 ~ (ω_g/ω0)^−3, A_g ω0⁵ ~ (ω_g/ω0)^−5 and ξ_g/a0 ~ χ_G^(2/d) (SPEC §7) are
 * fitted over all ensembles.
 *
 * Whatever cannot be computed (too few T_p, a G/K fit without a crossover in the T_p range, no
 * microscopic data) is reported as a problem naming the model and the reason; the rest is kept.
 */
export interface MicroPoint {
  AgOmega0_5?: ValueWithError;
  /** ω_g/ω_g∞ with ω_g = ⟨√κ⟩ (dipole) and = 2π c_s/ξ_g (length). */
  omegaGRatio: { dipole?: ValueWithError; length?: ValueWithError };
  qlmDensity: { dipole?: ValueWithError; length?: ValueWithError };
  Ne0?: ValueWithError;
  kappaGRatio?: ValueWithError;
  /** ω_π/ω0 of the softest quartic mode per glass (when the glasses were measured with `qlm`). */
  qlmSoftest?: ValueWithError;
  /** ξ_g/a0, ξ_co/a0 (with A₁), ξ_QLM/a0 (seed 003 Fig. 6, Fig. S2c–d). */
  lengths: LengthPoint;
}

export interface AnnealingPoint {
  label: string;
  tp: number;
  /** NaN when the model has no T_co. */
  tpOverTco: number;
  glasses: number;
  energyPerParticle: number;
  G: number;
  K: number;
  GOverGInf: number;
  KOverKInf: number;
  GnaOverG: number;
  nuOverNuInf: number;
  GOverK: number;
  micro: MicroPoint;
}

export interface BoltzmannResult extends BoltzmannFit {
  /** T_p range of the fitted points; E is in units of T_co (= seed 003's T_onset) when `inTco`. */
  window: [number, number];
  inTco: boolean;
}

export interface AnnealingModel {
  model: string;
  density: number;
  d: number;
  labels: string[];
  /** null when there is no crossover (see problems). */
  tcoGK: TcoFromGK | null;
  /** T_co from the energy collapse (NaN with fewer than two models that have a T_co). */
  tcoCollapse: number;
  GInf: number;
  KInf: number;
  nuInf: number;
  points: AnnealingPoint[];
  boltzmann: { dipole?: BoltzmannResult; length?: BoltzmannResult };
  /** The collapse behind ξ_co and the O(1) check of the three lengths (per-point values in micro.lengths). */
  lengths: Omit<AnnealingLengths, "points" | "problems">;
  problems: string[];
}

export interface Relation {
  name: string;
  /** The exponent the papers predict and ours, fitted on log–log over the ensembles. */
  predicted: number;
  exponent: number;
  stdError: number;
  points: number;
  /**
   * "inconclusive" when 2σ exceeds |predicted| (the fit cannot tell the law from no law at all);
   * otherwise "consistent" when |ours − predicted| ≤ 2σ, else "inconsistent".
   */
  verdict: "consistent" | "inconsistent" | "inconclusive";
}

export interface AnnealingAnalysis {
  models: AnnealingModel[];
  collapse: { objective: number; referenceModel: string } | null;
  relations: Relation[];
  /** Study-wide reasons for what is missing (per-model ones are in each model's problems). */
  problems: string[];
}

/** E_QLM/T_onset of seed 003 (Fig. 5), for the text beside ours. */
export const PAPER_E_QLM = 3.3;

interface Row {
  label: string;
  tp: number;
  glasses: number;
  s: EnsembleResult;
}

const ratio = (x: ValueWithError | undefined, inf: ValueWithError | undefined): ValueWithError | undefined => {
  if (x === undefined || inf === undefined || !(inf.value > 0)) return undefined;
  const v = x.value / inf.value;
  const rel = Math.hypot(x.stdError / x.value, inf.stdError / inf.value);
  return { value: v, stdError: Math.abs(v) * (Number.isFinite(rel) ? rel : 0) };
};

/** Mean ± SE over the plateau rows of a per-ensemble value (undefined if any is missing). */
function plateauOf(rows: Row[], high: number[], get: (s: EnsembleResult) => number | undefined): ValueWithError | undefined {
  const v = high.map((i) => get(rows[i].s));
  if (v.length === 0 || v.some((x) => x === undefined || !Number.isFinite(x))) return undefined;
  const m = meanWithError(v as number[]);
  return { value: m.mean, stdError: Number.isFinite(m.stdError) ? m.stdError : 0 };
}

function boltzmannOf(rows: Row[], values: (ValueWithError | undefined)[], tco: number | null): BoltzmannResult | undefined | string {
  const all = rows.map((r, i) => ({ tp: r.tp, v: values[i] })).filter((p) => p.v !== undefined && p.v.value > 0);
  const below = tco === null ? all : all.filter((p) => p.tp < tco);
  const use = below.length >= 2 ? below : all;
  if (use.length < 2) return `needs 𝒩 > 0 at ≥ 2 T_p (has ${all.length})`;
  const withErrors = use.every((p) => p.v!.stdError > 0);
  const f = fitBoltzmann(use.map((p) => p.tp), use.map((p) => p.v!.value), withErrors ? use.map((p) => p.v!.stdError) : undefined, tco !== null ? { temperatureUnit: tco } : {});
  return { ...f, window: [Math.min(...use.map((p) => p.tp)), Math.max(...use.map((p) => p.tp))], inTco: tco !== null };
}

function analyzeModel(model: string, density: number, d: number, rows: Row[]): AnnealingModel & { u: number[]; rows: Row[] } {
  rows.sort((a, b) => a.tp - b.tp);
  const problems: string[] = [];
  const mean = (k: string): number[] =>
    rows.map((r) => {
      const v = r.s.means[k]?.mean;
      if (v === undefined || !Number.isFinite(v)) throw new GlassmechError(`annealing analysis: ensemble ${r.label} has no '${k}'`);
      return v;
    });
  const Tp = rows.map((r) => r.tp);
  const G = mean("shearModulus"), K = mean("bulkModulus"), Gna = mean("shearModulusNonaffine"), nu = mean("poissonRatio"), u = mean("energyPerParticle");
  const GK = G.map((x, i) => x / K[i]);
  let tco: TcoFromGK | null = null;
  if (rows.length < 5) problems.push(`${model}: T_co needs ensembles at ≥ 5 parent temperatures (3 below and 2 on the plateau), has ${rows.length}`);
  else {
    try {
      const t = tcoFromGK(Tp, GK);
      if (Number.isFinite(t.Tco) && t.Tco > 0) tco = t;
      else problems.push(`${model}: the G/K scheme finds no crossover in T_p ∈ [${Tp[0]}, ${Tp[Tp.length - 1]}] (its line meets the plateau at T_co = ${t.Tco.toPrecision(3)}); more T_p below the plateau are needed`);
    } catch (e) {
      if (!(e instanceof GlassmechError)) throw e;
      problems.push(`${model}: the G/K scheme failed: ${e.message}`);
    }
  }
  // The plateau: the G/K fit's high regime, or without one the hottest ensemble.
  const high = tco !== null ? Tp.map((_, i) => i).filter((i) => Tp[i] >= tco!.highRange[0] && Tp[i] <= tco!.highRange[1]) : [rows.length - 1];
  const plateau = (x: number[]): number => meanWithError(high.map((i) => x[i])).mean;
  const GInf = plateau(G), KInf = plateau(K), nuInf = plateau(nu);
  const omegaInf = {
    dipole: plateauOf(rows, high, (s) => s.omegaG?.value),
    length: plateauOf(rows, high, (s) => s.xiG?.omegaG),
  };
  const kappaInf = plateauOf(rows, high, (s) => s.kappaG?.value);
  const lengths = annealingLengths(model, rows);
  problems.push(...lengths.problems);
  const points = rows.map((r, i): AnnealingPoint => {
    const s = r.s;
    return {
      label: r.label,
      tp: r.tp,
      tpOverTco: tco !== null ? r.tp / tco.Tco : NaN,
      glasses: r.glasses,
      energyPerParticle: u[i],
      G: G[i],
      K: K[i],
      GOverGInf: G[i] / GInf,
      KOverKInf: K[i] / KInf,
      GnaOverG: Gna[i] / G[i],
      nuOverNuInf: nu[i] / nuInf,
      GOverK: GK[i],
      micro: {
        AgOmega0_5: s.AgOmega0_5,
        omegaGRatio: {
          dipole: ratio(s.omegaG, omegaInf.dipole),
          length: ratio(s.xiG === undefined ? undefined : { value: s.xiG.omegaG, stdError: s.xiG.omegaGStdError }, omegaInf.length),
        },
        qlmDensity: { dipole: s.qlmDensity?.dipole, length: s.qlmDensity?.length },
        Ne0: s.Ne0,
        kappaGRatio: ratio(s.kappaG, kappaInf),
        qlmSoftest: s.quarticModes?.softestOverOmega0,
        lengths: lengths.points[i],
      },
    };
  });
  const boltzmann: AnnealingModel["boltzmann"] = {};
  for (const def of ["dipole", "length"] as const) {
    const r = boltzmannOf(rows, points.map((p) => p.micro.qlmDensity[def]), tco?.Tco ?? null);
    if (typeof r === "string") {
      if (points.some((p) => p.micro.qlmDensity[def] !== undefined)) problems.push(`${model}: Boltzmann fit of 𝒩 (${def}) ${r}`);
    } else if (r !== undefined) boltzmann[def] = r;
  }
  if (points.every((p) => p.micro.AgOmega0_5 === undefined && p.micro.qlmDensity.dipole === undefined && p.micro.Ne0 === undefined))
    problems.push(`${model}: no microscopic series (the glasses were measured without modes and dipoles, or too few modes fell below ω_c; see each ensemble's microWarnings)`);
  return { model, density, d, labels: rows.map((r) => r.label), tcoGK: tco, tcoCollapse: NaN, GInf, KInf, nuInf, points, boltzmann, lengths: { collapse: lengths.collapse, check: lengths.check }, problems, u, rows };
}

/** log–log fit of y against x over the points that have both; a reason below 3 points. */
function relation(name: string, predicted: number, pairs: { x: number; y: number }[]): Relation | string {
  const ok = pairs.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y));
  if (ok.length < 3) return `${name}: needs ≥ 3 ensembles with both values, has ${ok.length}`;
  const f = fitPowerLaw(ok.map((p) => p.x), ok.map((p) => p.y));
  const verdict = !(2 * f.stdError <= Math.abs(predicted)) ? "inconclusive" : Math.abs(f.exponent - predicted) <= 2 * f.stdError ? "consistent" : "inconsistent";
  return { name, predicted, exponent: f.exponent, stdError: f.stdError, points: f.points, verdict };
}

export function annealingAnalysis(summary: StudySummary): AnnealingAnalysis {
  const groups = new Map<string, { model: string; density: number; d: number; rows: Row[] }>();
  for (const e of summary.ensembles) {
    const s = e.statistics;
    const density = s.means.density?.mean ?? NaN;
    const key = `${s.model} rho=${density.toPrecision(6)} d=${s.d}`;
    const g = groups.get(key) ?? { model: s.model, density, d: s.d, rows: [] };
    g.rows.push({ label: e.label, tp: e.tp, glasses: s.samples, s });
    groups.set(key, g);
  }
  if (groups.size === 0) throw new GlassmechError("annealing analysis: the study has no ensemble with statistics yet");
  const analyzed = [...groups.values()].map((g) => analyzeModel(g.model, g.density, g.d, g.rows));
  const problems: string[] = [];
  // Energy collapse over the models that have a T_co; the first of them fixes the scale.
  const withTco = analyzed.filter((m) => m.tcoGK !== null);
  let collapse: AnnealingAnalysis["collapse"] = null;
  if (withTco.length >= 2) {
    const c = tcoFromCollapse(withTco.map((m) => ({ Tp: m.points.map((p) => p.tp), u: m.u })), { reference: { index: 0, Tco: withTco[0].tcoGK!.Tco } });
    withTco.forEach((m, k) => (m.tcoCollapse = c.Tco[k]));
    collapse = { objective: c.objective, referenceModel: withTco[0].model };
  } else problems.push(`energy collapse: needs ≥ 2 models with a T_co, has ${withTco.length}`);
  // The relations of SPEC §7, pooled over all ensembles (the paper's plots pool T_p and models).
  const stats = analyzed.flatMap((m) => m.rows.map((r) => r.s));
  const relations: Relation[] = [];
  const omegaRatio = (s: EnsembleResult): number => (s.omegaG?.value ?? NaN) / (s.means.omega0?.mean ?? NaN);
  const candidates: (Relation | string)[] = [
    relation("Ne0 ~ (ω_g/ω0)^−3", -3, stats.map((s) => ({ x: omegaRatio(s), y: s.Ne0?.value ?? NaN }))),
    relation("A_g ω0⁵ ~ (ω_g/ω0)^−5", -5, stats.map((s) => ({ x: omegaRatio(s), y: s.AgOmega0_5?.value ?? NaN }))),
  ];
  for (const d of new Set(analyzed.map((m) => m.d)))
    candidates.push(relation(`ξ_g/a0 ~ χ_G^(2/${d})`, 2 / d, stats.filter((s) => s.d === d).map((s) => ({ x: s.chiG?.value ?? NaN, y: (s.xiG?.value ?? NaN) / (s.means.a0?.mean ?? NaN) }))));
  for (const c of candidates) typeof c === "string" ? problems.push(c) : relations.push(c);
  const models = analyzed.map(({ u: _u, rows: _rows, ...m }) => m);
  return { models, collapse, relations, problems };
}
