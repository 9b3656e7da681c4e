/**
 * The comparisons the report makes, as data: each stated paper trend, value and note checked on
 * a loaded study (./studyData.ts) with the rules of ./trends.ts. Pure functions; the report only
 * renders them, and the slow test asserts on them.
 */
import { linearFit } from "../statistics/index.js";
import { PAPER_ENSEMBLES, PAPER_NOTES, PAPER_TRENDS, PAPER_VALUES, type Family, type PaperTrend, type PaperValue, type Quantity } from "./paperValues.js";
import type { EnsembleRow, StudyData, ValueWithError } from "./studyData.js";
import { checkRatio, checkTrend, checkValue, type TrendResult, type Verdict } from "./trends.js";

/** One ensemble point of a family: its control value and row. */
export interface FamilyPoint {
  control: number;
  row: EnsembleRow;
}

/** The study's points of a family, sorted by control parameter. */
export function familyPoints(data: StudyData, family: Family): FamilyPoint[] {
  const out: FamilyPoint[] = [];
  for (const row of data.ensembles) for (const f of row.families) if (f.family === family) out.push({ control: f.control, row });
  return out.sort((a, b) => a.control - b.control);
}

export interface TrendCheck {
  trend: PaperTrend;
  result: TrendResult;
  /** The stated factor, when our points span the paper's control range. */
  ratio?: { ours: number; paper: number; verdict: Verdict };
}

/** The paper's control range of a family (SPEC §1). */
export function paperRange(family: Family): [number, number] {
  const c = PAPER_ENSEMBLES.filter((e) => e.family === family).map((e) => e.control);
  return [Math.min(...c), Math.max(...c)];
}

export function trendChecks(data: StudyData): TrendCheck[] {
  return PAPER_TRENDS.map((trend) => {
    const pts = familyPoints(data, trend.family);
    const tp = pts.map((p) => ({ x: p.control, y: p.row.values[trend.quantity]?.value ?? NaN, err: p.row.values[trend.quantity]?.stdError }));
    const result = checkTrend(tp, trend.direction, { flatTolerance: trend.flatTolerance });
    const check: TrendCheck = { trend, result };
    if (trend.ratio) {
      const [lo, hi] = paperRange(trend.family);
      const have = tp.filter((p) => Number.isFinite(p.y));
      if (have.length >= 2 && Math.abs(have[0].x - lo) < 1e-9 && Math.abs(have[have.length - 1].x - hi) < 1e-9) {
        const ours = have[0].y / have[have.length - 1].y;
        check.ratio = { ours, paper: trend.ratio.value, verdict: checkRatio(ours, trend.ratio.value, trend.ratio.within) };
      }
    }
    return check;
  });
}

export interface ValueCheck {
  paper: PaperValue;
  label: string;
  control: number;
  ours: ValueWithError;
  verdict: Verdict;
}

/** Each published value next to ours at the same point (points we did not make are skipped). */
export function valueChecks(data: StudyData): ValueCheck[] {
  const out: ValueCheck[] = [];
  for (const pv of PAPER_VALUES)
    for (const p of familyPoints(data, pv.family)) {
      if (pv.control !== undefined && Math.abs(p.control - pv.control) > 1e-9) continue;
      const ours = p.row.values[pv.quantity];
      if (!ours) continue;
      // seed 001's 𝒩 uses ω_g = 2π c_s/ξ_g; the dipole-mean ω_g (seed 003) is a different scale.
      if (pv.quantity === "qlmDensity" && p.row.omegaGDefinition !== "length") continue;
      out.push({ paper: pv, label: p.row.label, control: p.control, ours, verdict: checkValue(ours.value, ours.stdError, pv.value, pv.tolerance) });
    }
  return out;
}

export interface NoteCheck {
  statement: string;
  source: string;
  ours: string;
  verdict: Verdict;
}

const find = (data: StudyData, family: Family, control: number): EnsembleRow | undefined =>
  familyPoints(data, family).find((p) => Math.abs(p.control - control) < 1e-9)?.row;

/** The remaining statements: χ_K < χ_G everywhere, Fig. 1's two comparisons, ξ_g ~ χ_G^(2/3). */
export function noteChecks(data: StudyData): NoteCheck[] {
  const out: NoteCheck[] = [];
  const both = data.ensembles.filter((r) => r.values.chiG && r.values.chiK);
  const below = both.filter((r) => r.values.chiK!.value < r.values.chiG!.value);
  const note = (n: { statement: string; source: string }): { statement: string; source: string } => ({ statement: n.statement, source: n.source });
  out.push({
    ...note(PAPER_NOTES.chiKBelowChiG),
    ours: `χ_K < χ_G in ${below.length} of ${both.length} ensembles` + (both.length ? ` (largest χ_K/χ_G = ${Math.max(...both.map((r) => r.values.chiK!.value / r.values.chiG!.value)).toFixed(2)})` : ""),
    verdict: both.length === 0 ? "no data" : below.length === both.length ? "yes" : "no",
  });
  const g1 = find(data, "QSS", 20), g2 = find(data, "DSS", 0.55);
  const n1 = g1?.values.poissonRatio, n2 = g2?.values.poissonRatio;
  if (n1 && n2) {
    const drop = (n1.value - n2.value) / n1.value;
    const err = Math.hypot(n2.stdError / n1.value, (n2.value * n1.stdError) / n1.value ** 2);
    out.push({ ...note(PAPER_NOTES.nuFig1), ours: `${(100 * drop).toFixed(1)} ± ${(100 * err).toFixed(1)}%`, verdict: checkValue(drop, err, PAPER_NOTES.nuFig1.value, 0.06) });
  } else out.push({ ...note(PAPER_NOTES.nuFig1), ours: "needs QSS q = 20 and DSS ρ = 0.55", verdict: "no data" });
  const a1 = g1?.values.AgOmega0_5, a2 = g2?.values.AgOmega0_5;
  if (a1 && a2 && a2.value > 0) {
    const r = a1.value / a2.value;
    out.push({ ...note(PAPER_NOTES.agFig1), ours: `A_g ω0⁵ ratio ${r.toPrecision(3)}`, verdict: checkRatio(r, PAPER_NOTES.agFig1.value, 2) });
  } else out.push({ ...note(PAPER_NOTES.agFig1), ours: "needs A_g of QSS q = 20 and DSS ρ = 0.55", verdict: "no data" });
  const xc = data.ensembles.filter((r) => r.values.xiGOverA0 && r.values.chiG && r.values.xiGOverA0.value > 0 && r.values.chiG.value > 0);
  if (xc.length >= 3) {
    const f = linearFit(xc.map((r) => Math.log(r.values.chiG!.value)), xc.map((r) => Math.log(r.values.xiGOverA0!.value)));
    const d = xc[0].d;
    out.push({ ...note(PAPER_NOTES.xiChiG), ours: `exponent ${f.slope.toFixed(2)} ± ${f.slopeStdError.toFixed(2)} (${xc.length} ensembles; expected 2/d = ${(2 / d).toFixed(2)})`, verdict: checkValue(f.slope, f.slopeStdError, 2 / d, 0.25) });
  } else out.push({ ...note(PAPER_NOTES.xiChiG), ours: "needs ξ_g (c(r)) in ≥ 3 ensembles", verdict: "no data" });
  return out;
}

/** Whether any ensemble carries a quantity (used to skip empty plots and microscopic rows). */
export function hasQuantity(data: StudyData, q: Quantity): boolean {
  return data.ensembles.some((r) => r.values[q] !== undefined);
}

