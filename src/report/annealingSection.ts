/**
 * The report's annealing section (SPEC §5, §7; seed 000 Figs. 4, 8, 10–12; seed 003 Figs. 4–5;
 * seed 004 Fig. 6): for studies with several parent temperatures per model, the analysis of
 * src/study/annealing.ts — T_co per model, the macroscopic and microscopic series against
 * T_p/T_co and against G/G∞ (seed 004 Fig. 6) with error bars, the Boltzmann fit of 𝒩 in units of T_co beside seed 003's
 * E_QLM ≈ 3.3 T_onset, the SPEC §7 relations as fitted exponents with verdicts, and the lengths
 * ξ_g, ξ_co, ξ_QLM of seed 003 Fig. 6 with their O(1) check (annealingLengths.ts). Everything the
 * analysis cannot compute comes back as a reason for "Plots not drawn".
 */
import { annealingAnalysis, PAPER_E_QLM, type AnnealingAnalysis, type AnnealingModel, type AnnealingPoint } from "../study/annealing.js";
import type { ValueWithError } from "../registry/reduce.js";
import { p3, plusMinus } from "../registry/format.js";
import { lengthsBlocks } from "./annealingLengths.js";
import type { Block, Plot } from "./render.js";
import type { StudyData } from "./studyData.js";
import { PALETTE, plotSvg, type PlotSeries } from "./svg.js";


interface Series {
  name: string;
  title: string;
  yLabel: string;
  yLog: boolean;
  get: (p: AnnealingPoint) => ValueWithError | undefined;
  /** The value the papers' high-T_p normalization gives (drawn as a line), if any. */
  reference?: { y: number; label: string };
}

const SERIES: Series[] = [
  { name: "anneal-g", title: "G/G∞ against T_p/T_co", yLabel: "G/G∞", yLog: false, get: (p) => ({ value: p.GOverGInf, stdError: NaN }), reference: { y: 1, label: "high-T_p plateau" } },
  { name: "anneal-ag", title: "A_g ω0⁵ against T_p/T_co", yLabel: "A_g ω0⁵ (dimensionless)", yLog: true, get: (p) => p.micro.AgOmega0_5 },
  { name: "anneal-omegag", title: "ω_g/ω_g∞ (⟨√κ⟩) against T_p/T_co", yLabel: "ω_g/ω_g∞", yLog: false, get: (p) => p.micro.omegaGRatio.dipole, reference: { y: 1, label: "high-T_p plateau" } },
  { name: "anneal-omegag-xi", title: "ω_g/ω_g∞ (2π c_s/ξ_g) against T_p/T_co", yLabel: "ω_g/ω_g∞", yLog: false, get: (p) => p.micro.omegaGRatio.length, reference: { y: 1, label: "high-T_p plateau" } },
  { name: "anneal-qlm", title: "𝒩 = A_g ω_g⁵ (ω_g = ⟨√κ⟩) against T_p/T_co", yLabel: "𝒩 (dimensionless)", yLog: true, get: (p) => p.micro.qlmDensity.dipole },
  { name: "anneal-ne0", title: "Ne0 against T_p/T_co", yLabel: "Ne0 (dimensionless)", yLog: true, get: (p) => p.micro.Ne0 },
  { name: "anneal-kappa", title: "κ_g/κ_g∞ against T_p/T_co", yLabel: "κ_g/κ_g∞", yLog: false, get: (p) => p.micro.kappaGRatio, reference: { y: 1, label: "high-T_p plateau" } },
  { name: "anneal-qlm-softest", title: "softest quartic mode ω_π/ω0 against T_p/T_co", yLabel: "ω_π/ω0", yLog: false, get: (p) => p.micro.qlmSoftest },
];

/** The horizontal axes: T_p/T_co (seed 000), and G/G∞ (seed 004 Fig. 6: microscopic against macroscopic annealing). */
const AGAINST = {
  tp: { suffix: "", title: "against T_p/T_co", label: "T_p/T_co (dimensionless)", x: (p: AnnealingPoint) => p.tpOverTco, mark: { x: 1, label: "T_p = T_co" } },
  g: { suffix: "-vs-g", title: "against G/G∞", label: "G/G∞ (dimensionless)", x: (p: AnnealingPoint) => p.GOverGInf, mark: { x: 1, label: "G = G∞" } },
} as const;

function seriesPlot(models: AnnealingModel[], s: Series, against: (typeof AGAINST)[keyof typeof AGAINST]): Plot | null {
  const series: PlotSeries[] = [];
  models.forEach((m, k) => {
    const pts = m.points.filter((p) => Number.isFinite(p.tpOverTco) && Number.isFinite(against.x(p)) && s.get(p) !== undefined && (!s.yLog || s.get(p)!.value > 0));
    if (pts.length < 2) return;
    series.push({ label: `${m.model} ρ=${p3(m.density)}`, x: pts.map(against.x), y: pts.map((p) => s.get(p)!.value), yErr: pts.map((p) => s.get(p)!.stdError), line: true, color: PALETTE[k % PALETTE.length] });
  });
  if (series.length === 0) return null;
  const title = s.title.replace("against T_p/T_co", against.title);
  const svg = plotSvg({ title, xLabel: against.label, yLabel: s.yLabel, yLog: s.yLog, series, hLines: s.reference ? [s.reference] : [], vLines: [against.mark] });
  return { name: s.name + against.suffix, title, svg };
}

/** Whether the study has what the section needs: some model at ≥ 2 parent temperatures. */
function hasSeries(data: StudyData): boolean {
  const tps = new Map<string, Set<number>>();
  for (const r of data.ensembles) if (Number.isFinite(r.tp)) tps.set(`${r.model} ${r.density} ${r.d}`, (tps.get(`${r.model} ${r.density} ${r.d}`) ?? new Set()).add(r.tp));
  return [...tps.values()].some((s) => s.size >= 2);
}

export function annealingSection(data: StudyData): { blocks: Block[]; plots: Plot[]; missing: string[] } {
  if (!hasSeries(data)) return { blocks: [], plots: [], missing: ["annealing series: no model has ensembles at ≥ 2 parent temperatures"] };
  const a: AnnealingAnalysis = annealingAnalysis({
    name: data.name,
    ensembles: data.ensembles.filter((r) => Number.isFinite(r.tp)).map((r) => ({ label: r.label, tp: r.tp, glasses: r.samples, planned: r.planned, statistics: r.statistics })),
  });
  const blocks: Block[] = [{ kind: "h", level: 2, text: "Annealing: parent-temperature series" }];
  blocks.push({
    kind: "p",
    text: "T_co by the G/K scheme of seed 000 App. C (the low-T_p line of G/K meets its high-T_p plateau; seed 003's T_onset is this crossover) and by the energy collapse of seed 000 §III; X∞ is the mean of X over the plateau. ω_g/ω_g∞ and κ_g/κ_g∞ should rise as T_p falls below T_co (seed 000 Figs. 10–12, seed 003 Fig. 4), A_g ω0⁵ and 𝒩 fall (seed 003 Fig. 5, seed 004 Fig. 6).",
  });
  blocks.push({
    kind: "table",
    header: ["model", "ρ", "T_p", "T_co (G/K)", "T_co (collapse)", "G∞", "E_QLM/T_co (⟨√κ⟩)", "E_QLM/T_co (ξ_g)"],
    rows: a.models.map((m) => {
      const b = (def: "dipole" | "length"): string => {
        const f = m.boltzmann[def];
        return f === undefined ? "–" : `${p3(f.E)} ± ${p3(f.stdError)}${f.inTco ? "" : " (T_p units)"} over T_p ∈ [${p3(f.window[0])}, ${p3(f.window[1])}]`;
      };
      return [m.model, p3(m.density), m.points.map((p) => p3(p.tp)).join(", "), m.tcoGK === null ? "–" : `${p3(m.tcoGK.Tco)} ± ${p3(m.tcoGK.stdError)}`, p3(m.tcoCollapse), p3(m.GInf), b("dipole"), b("length")];
    }),
  });
  blocks.push({ kind: "p", text: `Paper: E_QLM ≈ ${PAPER_E_QLM} in units of k_B T_onset (seed 003 Fig. 5, 2D POLY glasses), from 𝒩 ∝ exp(−E_QLM/T_p); ours is fitted below T_co, weighted by the errors of 𝒩.` });
  for (const m of a.models)
    if (m.points.some((p) => p.micro.AgOmega0_5 !== undefined || p.micro.qlmDensity.dipole !== undefined || p.micro.Ne0 !== undefined))
      blocks.push({
        kind: "table",
        header: ["T_p", "T_p/T_co", "glasses", "A_g ω0⁵", "ω_g/ω_g∞ (⟨√κ⟩)", "ω_g/ω_g∞ (ξ_g)", "𝒩 (⟨√κ⟩)", "𝒩 (ξ_g)", "Ne0", "κ_g/κ_g∞", "softest ω_π/ω0"],
        rows: m.points.map((p) => [p3(p.tp), p3(p.tpOverTco), String(p.glasses), plusMinus(p.micro.AgOmega0_5), plusMinus(p.micro.omegaGRatio.dipole), plusMinus(p.micro.omegaGRatio.length), plusMinus(p.micro.qlmDensity.dipole), plusMinus(p.micro.qlmDensity.length), plusMinus(p.micro.Ne0), plusMinus(p.micro.kappaGRatio), plusMinus(p.micro.qlmSoftest)]),
      });
  const plots = [
    ...SERIES.map((s) => seriesPlot(a.models, s, AGAINST.tp)),
    ...SERIES.filter((s) => s.name !== "anneal-g").map((s) => seriesPlot(a.models, s, AGAINST.g)),
  ].filter((p): p is Plot => p !== null);
  if (plots.length) blocks.push({ kind: "plots", plots });
  if (a.relations.length)
    blocks.push({
      kind: "table",
      header: ["relation (SPEC §7)", "predicted exponent", "ours", "ensembles", "verdict"],
      rows: a.relations.map((r) => [r.name, p3(r.predicted), `${p3(r.exponent)} ± ${p3(r.stdError)}`, String(r.points), r.verdict]),
    });
  const lengths = a.models.map((m, k) => lengthsBlocks(m, k)).filter((l) => l.blocks.length > 0);
  const lengthPlots = lengths.flatMap((l) => l.plots);
  if (lengths.length) {
    blocks.push({ kind: "h", level: 3, text: "Lengths ξ_g, ξ_co, ξ_QLM (seed 003 Fig. 6, SI S-3 and S-4)" });
    for (const l of lengths) blocks.push(...l.blocks);
    if (lengthPlots.length) blocks.push({ kind: "plots", plots: lengthPlots });
  }
  const missing = [...a.models.flatMap((m) => m.problems), ...a.problems];
  for (const s of SERIES) if (!plots.some((p) => p.name === s.name)) missing.push(`${s.title}: needs the value at ≥ 2 T_p of a model with a T_co`);
  return { blocks, plots: [...plots, ...lengthPlots], missing };
}
