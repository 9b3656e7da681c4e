import { GlassmechError } from "../core/errors.js";
import { meanWithError, tcoFromCollapse, tcoFromGK, type TcoFromGK } from "../statistics/index.js";
import type { StudySummary } from "./runner.js";

/**
 * Thermal-annealing analysis of seed 000 (SPEC §5): ensembles of one model quenched from several
 * parent temperatures T_p. Per model (same descriptor and density): the crossover temperature
 * T_co by the G/K scheme (App. C: the low-T_p line of G/K meets its high-T_p plateau), and across
 * models by the energy collapse of (u(T_p) − u(T_co))/T_co vs T_p/T_co (§III; its overall scale is
 * fixed by the G/K value of the first model). Then G/G∞, K/K∞, G_na/G and ν/ν∞ against T_p/T_co,
 * with X∞ the mean of X over the high-T_p plateau regime found by the G/K fit.
 */
export interface AnnealingPoint {
  tp: number;
  tpOverTco: number;
  energyPerParticle: number;
  G: number;
  K: number;
  GOverGInf: number;
  KOverKInf: number;
  GnaOverG: number;
  nuOverNuInf: number;
  GOverK: number;
}

export interface AnnealingModel {
  model: string;
  density: number;
  labels: string[];
  tcoGK: TcoFromGK;
  /** T_co from the energy collapse (NaN with a single model). */
  tcoCollapse: number;
  GInf: number;
  KInf: number;
  nuInf: number;
  points: AnnealingPoint[];
}

export interface AnnealingAnalysis {
  models: AnnealingModel[];
  collapse: { objective: number; referenceModel: string } | null;
}

export function annealingAnalysis(summary: StudySummary): AnnealingAnalysis {
  const groups = new Map<string, { model: string; density: number; rows: { label: string; tp: number; m: Record<string, { mean: number }> }[] }>();
  for (const e of summary.ensembles) {
    const m = e.statistics.means;
    const density = m.density?.mean ?? NaN;
    const key = `${e.statistics.model} rho=${density.toPrecision(6)} d=${e.statistics.d}`;
    const g = groups.get(key) ?? { model: e.statistics.model, density, rows: [] };
    g.rows.push({ label: e.label, tp: e.tp, m });
    groups.set(key, g);
  }
  const models: AnnealingModel[] = [];
  const curves: { Tp: number[]; u: number[] }[] = [];
  for (const g of groups.values()) {
    if (g.rows.length < 5) continue; // the G/K scheme needs ≥ 3 low and ≥ 2 high points
    g.rows.sort((a, b) => a.tp - b.tp);
    const get = (k: string): number[] =>
      g.rows.map((r) => {
        const v = r.m[k]?.mean;
        if (v === undefined || !Number.isFinite(v)) throw new GlassmechError(`annealing analysis: ensemble ${r.label} has no '${k}'`);
        return v;
      });
    const Tp = g.rows.map((r) => r.tp);
    const G = get("shearModulus"), K = get("bulkModulus"), Gna = get("shearModulusNonaffine"), nu = get("poissonRatio"), u = get("energyPerParticle");
    const GK = G.map((x, i) => x / K[i]);
    const tco = tcoFromGK(Tp, GK);
    const high = Tp.map((_, i) => i).filter((i) => Tp[i] >= tco.highRange[0] && Tp[i] <= tco.highRange[1]);
    const plateau = (x: number[]): number => meanWithError(high.map((i) => x[i])).mean;
    const GInf = plateau(G), KInf = plateau(K), nuInf = plateau(nu);
    models.push({
      model: g.model,
      density: g.density,
      labels: g.rows.map((r) => r.label),
      tcoGK: tco,
      tcoCollapse: NaN,
      GInf,
      KInf,
      nuInf,
      points: Tp.map((tp, i) => ({
        tp,
        tpOverTco: tp / tco.Tco,
        energyPerParticle: u[i],
        G: G[i],
        K: K[i],
        GOverGInf: G[i] / GInf,
        KOverKInf: K[i] / KInf,
        GnaOverG: Gna[i] / G[i],
        nuOverNuInf: nu[i] / nuInf,
        GOverK: GK[i],
      })),
    });
    curves.push({ Tp, u });
  }
  if (models.length === 0) throw new GlassmechError("annealing analysis: no model has ensembles at ≥ 5 parent temperatures");
  let collapse: AnnealingAnalysis["collapse"] = null;
  if (models.length >= 2) {
    const c = tcoFromCollapse(curves, { reference: { index: 0, Tco: models[0].tcoGK.Tco } });
    models.forEach((m, k) => (m.tcoCollapse = c.Tco[k]));
    collapse = { objective: c.objective, referenceModel: models[0].model };
  }
  return { models, collapse };
}
