/**
 * The lengths of seed 003 Fig. 6 in the annealing output: ξ_g/a0, ξ_co/a0 (SI S-3, Fig. S2c),
 * A₁ (Fig. S2d) and ξ_QLM/a0 (SI S-4) per T_p, the collapse of r^(2d) c(r)/A₁ against r/ξ_co
 * (Fig. S2b), and the O(1)-agreement verdict — as text lines for `glassmech anneal` and as
 * blocks and plots for the report (src/study/annealingLengths.ts computes them).
 */
import type { AnnealingModel } from "../study/annealing.js";
import { LENGTH_RULE, type LengthCheck } from "../study/annealingLengths.js";
import type { ValueWithError } from "../registry/reduce.js";
import { p3, plusMinus } from "../registry/format.js";
import type { Block, Plot } from "./render.js";
import { PALETTE, plotSvg, type PlotSeries } from "./svg.js";

const LENGTHS = [
  { key: "xiG", label: "ξ_g/a0" },
  { key: "xiCo", label: "ξ_co/a0" },
  { key: "xiQlm", label: "ξ_QLM/a0" },
] as const;

const hasLengths = (m: AnnealingModel): boolean => m.points.some((p) => LENGTHS.some((l) => p.micro.lengths[l.key] !== undefined));

/** "ξ_co/ξ_g ∈ [0.95 ± 0.02, 1.1 ± 0.03] over 7 T_p; …: consistent (rule)". */
export function lengthVerdict(check: LengthCheck): string {
  const parts = check.ratios.map((r) => {
    const v = r.values.filter((x): x is ValueWithError => x !== undefined);
    const lo = v.reduce((a, b) => (b.value < a.value ? b : a)), hi = v.reduce((a, b) => (b.value > a.value ? b : a));
    return `${r.name} ∈ [${plusMinus(lo)}, ${plusMinus(hi)}] over ${v.length} T_p`;
  });
  return `ξ_g, ξ_co and ξ_QLM agree within O(1) factors (seed 003 Fig. 6)? ${parts.join("; ")}: ${check.verdict} (${LENGTH_RULE})`;
}

function collapseLine(m: AnnealingModel): string {
  const c = m.lengths.collapse!;
  return `ξ_co: collapse of r^(2d) c(r)/A₁ against r/ξ_co over ${c.labels.length} T_p (seed 003 SI S-3), r ≥ ${p3(c.rMin)}, master polynomial of degree ${c.degree}, χ²/dof = ${p3(c.chi2 / c.dof)}${c.errorScale > 1 ? ` (errors × ${p3(c.errorScale)})` : ""}; ξ_co is where the collapsed curve peaks`;
}

/** Lines for the text output of `glassmech anneal` (empty when the model has no length). */
export function lengthsText(m: AnnealingModel): string {
  if (!hasLengths(m)) return "";
  let out = "     T_p  ξ_g/a0 | ξ_co/a0 | ξ_QLM/a0 | A₁\n";
  for (const p of m.points) {
    const L = p.micro.lengths;
    out += `${p.tp.toPrecision(4).padStart(8)}  ${[plusMinus(L.xiG), plusMinus(L.xiCo), plusMinus(L.xiQlm), plusMinus(L.A1)].join(" | ")}\n`;
  }
  if (m.lengths.collapse !== null) out += `  ${collapseLine(m)}\n`;
  if (m.lengths.check !== null) out += `  ${lengthVerdict(m.lengths.check)}\n`;
  return out;
}

/** The report's blocks and plots for one model (k: the model's index, for the plot names). */
export function lengthsBlocks(m: AnnealingModel, k: number): { blocks: Block[]; plots: Plot[] } {
  if (!hasLengths(m)) return { blocks: [], plots: [] };
  const ratios = m.lengths.check?.ratios ?? [];
  const blocks: Block[] = [
    {
      kind: "table",
      header: ["T_p", "T_p/T_co", ...LENGTHS.map((l) => l.label), "A₁", ...ratios.map((r) => r.name)],
      rows: m.points.map((p, i) => [p3(p.tp), p3(p.tpOverTco), ...LENGTHS.map((l) => plusMinus(p.micro.lengths[l.key])), plusMinus(p.micro.lengths.A1), ...ratios.map((r) => plusMinus(r.values[i]))]),
    },
  ];
  const text = [m.lengths.collapse !== null ? collapseLine(m) : "", m.lengths.check !== null ? lengthVerdict(m.lengths.check) : ""].filter((t) => t !== "");
  if (text.length) blocks.push({ kind: "p", text: `${m.model}: ${text.join(". ")}.` });
  const plots: Plot[] = [];
  const series: PlotSeries[] = LENGTHS.flatMap((l, j) => {
    const pts = m.points.filter((p) => Number.isFinite(p.tpOverTco) && p.micro.lengths[l.key] !== undefined);
    return pts.length < 2 ? [] : [{ label: l.label, x: pts.map((p) => p.tpOverTco), y: pts.map((p) => p.micro.lengths[l.key]!.value), yErr: pts.map((p) => p.micro.lengths[l.key]!.stdError), line: true, color: PALETTE[j] }];
  });
  const tag = `${m.model} ρ=${p3(m.density)}`;
  if (series.length > 0) {
    const title = `ξ_g, ξ_co, ξ_QLM over a0 against T_p/T_co, ${tag}`;
    plots.push({ name: `anneal-lengths-${k}`, title, svg: plotSvg({ title, xLabel: "T_p/T_co (dimensionless)", yLabel: "length/a0", series, vLines: [{ x: 1, label: "T_p = T_co" }] }) });
  }
  const c = m.lengths.collapse;
  if (c !== null) {
    const title = `collapse r^(2d) c(r)/A₁ against r/ξ_co (seed 003 Fig. S2b), ${tag}`;
    const curves: PlotSeries[] = c.collapsed.map((cv, j) => ({ label: c.labels[j], x: cv.x, y: cv.y, line: true, markers: false, color: PALETTE[j % PALETTE.length] }));
    plots.push({ name: `anneal-collapse-${k}`, title, svg: plotSvg({ title, xLabel: "r/ξ_co", yLabel: "r^(2d) c(r)/A₁", xLog: true, yLog: true, series: curves, vLines: [{ x: 1, label: "r = ξ_co" }] }) });
  }
  return { blocks, plots };
}
