/**
 * The report's physics plots beyond "quantity vs control parameter" (issue 14), each with units,
 * log axes where the law is a power law, ensemble error bars, our fit and the paper's value or
 * slope beside it:
 * - D(ω)/ω⁴ (SPEC §6.1; seed 001 Eq. 5, Fig. 6) with the ensemble's ω⁴ fit (registry/entries/modes.ts vdos), ω_c and ω_ph;
 * - p(κ) (SPEC §6.2; seed 004 Figs. 3–5) with the η fit over its range and the paper's slope;
 * - r^(2d) c(r) (SPEC §6.3; seed 001 Fig. 7) with ξ_g and its window marked;
 * - 𝒩(T_p) (SPEC §7; seed 003 Eq. 3) with the Boltzmann fit (statistics fitBoltzmann);
 * - G/K and ν against stickiness (seed 001 Figs. 1, 4).
 * A plot that cannot be drawn returns the reason instead, which the report prints.
 */
import { GlassmechError } from "../core/errors.js";
import { fitBoltzmann } from "../statistics/index.js";
import { CONTROL, PAPER_VALUES, type Family } from "./paperValues.js";
import type { FamilyPoint } from "./checks.js";
import type { Plot } from "./render.js";
import type { EnsembleRow, StudyData } from "./studyData.js";
import { PALETTE, plotSvg, type PlotSeries } from "./svg.js";

export interface Plots {
  plots: Plot[];
  /** One line per plot not drawn: what it needs. */
  missing: string[];
}

/** Seed 004's η of p(κ) ~ κ^η at κ → 0 (§III, Figs. 3–5): 2D, 3D, 4D. */
const PAPER_ETA: Record<number, number> = { 2: 0.9, 3: 0.8, 4: 0.76 };

const p3 = (v: number): string => String(+v.toPrecision(3));
const color = (k: number): string => PALETTE[k % PALETTE.length];

/** Poisson error bars of a binned density: density/√count. */
const poisson = (density: readonly number[], counts: readonly number[]): number[] => density.map((v, k) => (counts[k] > 0 ? v / Math.sqrt(counts[k]) : NaN));

/**
 * D(ω)/ω⁴ against ω/ω0, in units of ω0⁻⁵ so the plateau is A_g ω0⁵ (seed 001 Fig. 6). Bins above
 * the lowest "largest computed frequency" of the glasses are cut (modes there are not all listed).
 */
export function vdosPlot(family: Family, pts: readonly FamilyPoint[]): Plots {
  const withModes = pts.filter((p) => p.row.frequencies.length > 0 && (p.row.statistics.means.omega0?.mean ?? 0) > 0);
  if (withModes.length === 0) return { plots: [], missing: [`D(ω)/ω⁴ (${family}): no mode frequencies in the results (study measure.modes = 0)`] };
  const series: PlotSeries[] = [], vLines: { x: number; label: string; color?: string }[] = [], missing: string[] = [];
  const c = CONTROL[family];
  withModes.forEach((p, k) => {
    const row = p.row, w0 = row.statistics.means.omega0.mean;
    // The ensemble's D(ω) (registry/entries/modes.ts: bins up to the lowest largest-computed frequency) and its ω⁴ fit.
    const h = row.statistics.vdos;
    if (h === undefined) {
      missing.push(`D(ω) (${row.label}): ${(row.statistics.microWarnings ?? []).find((w) => w.startsWith("A_g")) ?? "no A_g (ω_ph unknown)"}`);
      return;
    }
    const keep = h.counts.map((n) => n > 0);
    const y = h.density.map((v, i) => (keep[i] ? (v * w0) / (h.centers[i] / w0) ** 4 : NaN));
    const err = poisson(h.density, h.counts).map((e, i) => (keep[i] ? (e * w0) / (h.centers[i] / w0) ** 4 : NaN));
    series.push({ label: `${c.symbol} = ${p.control} (${row.frequencies.length} glasses)`, x: h.centers.map((x) => x / w0), y, yErr: err, color: color(k) });
    vLines.push({ x: h.omegaPh / w0, label: `ω_ph = 2πc_s/L, ${c.symbol} = ${p.control}`, color: color(k) });
    const f = h.fit;
    if (f === null) missing.push(`D(ω) fit (${row.label}): ${(row.statistics.microWarnings ?? []).find((w) => w.startsWith("vdos")) ?? "no fit"}`);
    else {
      const A = f.A * w0 ** 5;
      series.push({ label: `fit A_g ω0⁵ = ${p3(A)} (ω < ω_c = ${p3(h.omegaCut / w0)} ω0)`, x: [f.range[0] / w0, f.range[1] / w0], y: [A, A], line: true, markers: false, dashed: true, color: color(k) });
    }
  });
  const paper = PAPER_VALUES.filter((v) => v.family === family && v.quantity === "AgOmega0_5");
  const hLines = paper.map((v) => ({ y: v.value, label: `paper A_g ω0⁵ ≈ ${v.value} at ${c.symbol} = ${v.control} (${v.source.split(",")[0]})` }));
  const title = `D(ω)/ω⁴ (${family})`;
  const svg = plotSvg({ title, xLabel: "ω/ω0 (ω0 = c_s/a0)", yLabel: "D(ω)/ω⁴ · ω0⁵ (dimensionless)", xLog: true, yLog: true, series, vLines, hLines });
  return { plots: [{ name: `${family.toLowerCase()}-vdos`, title, svg }], missing };
}

/** p(κ/ω0²) with the η fit over its range (statistics lowTailExponent) and seed 004's slope. */
export function pKappaPlot(family: Family, pts: readonly FamilyPoint[]): Plots {
  const withK = pts.filter((p) => p.row.statistics.pKappa && p.row.statistics.pKappa.total > 0 && (p.row.statistics.means.omega0?.mean ?? 0) > 0);
  if (withK.length === 0) return { plots: [], missing: [`p(κ) (${family}): no dipole stiffnesses in the results (study measure.dipoles = 0)`] };
  const c = CONTROL[family];
  const series: PlotSeries[] = [];
  const missing: string[] = [];
  withK.forEach((p, k) => {
    const h = p.row.statistics.pKappa!, w2 = p.row.statistics.means.omega0.mean ** 2;
    // p(κ/ω0²) = ω0² p(κ).
    series.push({ label: `${c.symbol} = ${p.control}`, x: h.centers.map((x) => x / w2), y: h.density.map((v) => (v > 0 ? v * w2 : NaN)), yErr: poisson(h.density, h.counts).map((e) => e * w2), line: true, color: color(k) });
    const eta = p.row.statistics.eta;
    if (!eta) { missing.push(`η fit (${p.row.label}): ${(p.row.statistics.microWarnings ?? []).find((w) => w.startsWith("eta")) ?? "too few small κ for the low-tail fit"}`); return; }
    const [a, b] = eta.range;
    const fx = [a, Math.sqrt(a * b), b];
    series.push({ label: `fit κ^η, η = ${p3(eta.value)} ± ${p3(eta.stdError)} on [${p3(a / w2)}, ${p3(b / w2)}]`, x: fx.map((x) => x / w2), y: fx.map((x) => eta.prefactor * x ** eta.value * w2), line: true, markers: false, dashed: true, color: color(k) });
    const pe = PAPER_ETA[p.row.d];
    if (k === 0 && pe !== undefined) {
      // The paper's slope through the middle of our fit range.
      const xm = Math.sqrt(a * b), ym = eta.prefactor * xm ** eta.value;
      series.push({ label: `paper slope η = ${pe} (seed 004, ${p.row.d}D)`, x: fx.map((x) => x / w2), y: fx.map((x) => ym * (x / xm) ** pe * w2), line: true, markers: false, color: "#333333" });
    }
  });
  const title = `p(κ/ω0²) (${family})`;
  const svg = plotSvg({ title, xLabel: "κ/ω0² (dipole stiffness, dimensionless)", yLabel: "p(κ/ω0²)", xLog: true, yLog: true, series });
  return { plots: [{ name: `${family.toLowerCase()}-pkappa`, title, svg }], missing };
}

/** r^(2d) c(r) against r/a0 with error bars, ξ_g (its maximum, SPEC §6.3) and the fit window marked. */
export function decayPlot(family: Family, pts: readonly FamilyPoint[]): Plots {
  const withC = pts.filter((p) => p.row.statistics.decay && (p.row.statistics.means.a0?.mean ?? 0) > 0);
  if (withC.length === 0) return { plots: [], missing: [`r^(2d) c(r) (${family}): no c(r) in the results (study measure.decay off)`] };
  const c = CONTROL[family];
  const d = withC[0].row.d;
  const series: PlotSeries[] = [], vLines: { x: number; label: string; color?: string }[] = [], missing: string[] = [];
  withC.forEach((p, k) => {
    const dc = p.row.statistics.decay!, a0 = p.row.statistics.means.a0.mean;
    const scale = (i: number): number => (dc.r[i] ** (2 * d)) / (a0 ** (2 * d));
    series.push({
      label: `${c.symbol} = ${p.control}`, x: dc.r.map((r) => r / a0), y: dc.r2dC.map((v) => (v !== null && v > 0 ? v / a0 ** (2 * d) : NaN)),
      yErr: dc.cStdError.map((e, i) => (e !== null ? e * scale(i) : NaN)), line: true, color: color(k),
    });
    const xi = p.row.statistics.xiG;
    if (xi && xi.N === p.row.N) vLines.push({ x: xi.value / a0, label: `ξ_g = ${p3(xi.value / a0)} a0 (${c.symbol} = ${p.control})`, color: color(k) });
    else if (xi) missing.push(`ξ_g mark (${p.row.label}): ξ_g comes from the c(r) of N = ${xi.N} glasses (decayFrom), not the curve shown`);
    else missing.push(`ξ_g (${p.row.label}): r^(2d) c(r) has no maximum inside L/2 (${(p.row.statistics.microWarnings ?? []).find((w) => w.startsWith("xiG")) ?? "see warnings"})`);
  });
  const title = `r^${2 * d} c(r) (${family})`;
  const svg = plotSvg({ title, xLabel: "r/a0", yLabel: `(r/a0)^${2 * d} c(r)`, yLog: true, series, vLines });
  return { plots: [{ name: `${family.toLowerCase()}-decay`, title, svg }], missing };
}

/**
 * 𝒩(T_p) = P exp(−E/T_p) (SPEC §7, seed 003 Eq. 3) for each model with 𝒩 at ≥ 2 parent
 * temperatures: ln 𝒩 against 1/T_p with the weighted Boltzmann fit.
 */
export function boltzmannPlot(data: StudyData): Plots {
  const groups = new Map<string, EnsembleRow[]>();
  for (const r of data.ensembles) {
    if (!r.values.qlmDensity || !(r.values.qlmDensity.value > 0) || !Number.isFinite(r.tp)) continue;
    const key = `${r.model} ρ=${r.density} N=${r.N} d=${r.d}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const series: PlotSeries[] = [];
  const missing: string[] = [];
  let k = 0;
  for (const [key, rows] of groups) {
    const tps = [...new Set(rows.map((r) => r.tp))];
    if (tps.length < 2) continue;
    const Tp = rows.map((r) => r.tp), Nc = rows.map((r) => r.values.qlmDensity!.value), err = rows.map((r) => r.values.qlmDensity!.stdError);
    series.push({ label: `${key}`, x: Tp.map((t) => 1 / t), y: Nc, yErr: err, color: color(k) });
    try {
      const f = fitBoltzmann(Tp, Nc, err.every((e) => e > 0) ? err : undefined);
      const xs = [Math.min(...Tp), Math.max(...Tp)].map((t) => 1 / t);
      series.push({ label: `fit E_QLM = ${p3(f.E)} ± ${p3(f.stdError)} ε, P = ${p3(f.prefactor)}`, x: xs, y: xs.map((x) => f.prefactor * Math.exp(-f.E * x)), line: true, markers: false, dashed: true, color: color(k) });
    } catch (e) {
      if (!(e instanceof GlassmechError)) throw e;
      missing.push(`Boltzmann fit (${key}): ${e.message}`);
    }
    k++;
  }
  if (series.length === 0)
    return { plots: [], missing: ["𝒩(T_p) with the Boltzmann fit: needs 𝒩 (modes and dipoles or c(r)) in ≥ 2 ensembles of one model at different T_p (an annealing study)"] };
  const title = "𝒩 = A_g ω_g⁵ against 1/T_p";
  const svg = plotSvg({ title, xLabel: "1/T_p (k_B/ε)", yLabel: "𝒩 (dimensionless)", yLog: true, series });
  return { plots: [{ name: "boltzmann", title, svg }], missing: [...missing, "𝒩(T_p) here is fitted in the units of T_p; E_QLM in units of T_co, beside seed 003's 3.3 T_onset, is in the annealing section when a model has a T_co"] };
}

/** G/K and ν against stickiness s over all ensembles (seed 001: both fall as s rises). */
export function stickinessPlots(data: StudyData): Plots {
  const rows = data.ensembles.filter((r) => r.values.stickiness && r.values.GOverK);
  if (rows.length < 2) return { plots: [], missing: ["G/K and ν against stickiness: needs ≥ 2 ensembles"] };
  const pt = (q: "GOverK" | "poissonRatio"): PlotSeries => ({
    label: "this study (one point per ensemble)", x: rows.map((r) => r.values.stickiness!.value), y: rows.map((r) => r.values[q]?.value ?? NaN), yErr: rows.map((r) => r.values[q]?.stdError ?? NaN),
  });
  const d = rows[0].d;
  // The DSS high-density plateau G/K ≈ 0.15 (seed 001 §IV A) and the ν it implies in 3D,
  // ν = (3 − 2 G/K)/(6 + 2 G/K) (isotropic elasticity).
  const plateau = 0.15;
  const gk = plotSvg({ title: "G/K against stickiness", xLabel: "stickiness s (dimensionless)", yLabel: "G/K", series: [pt("GOverK")], hLines: [{ y: plateau, label: "paper: DSS plateau G/K ≈ 0.15 (seed 001 §IV A)" }] });
  const nu = plotSvg({
    title: "ν against stickiness", xLabel: "stickiness s (dimensionless)", yLabel: "Poisson ratio ν", series: [pt("poissonRatio")],
    hLines: d === 3 ? [{ y: (3 - 2 * plateau) / (6 + 2 * plateau), label: "ν of the paper's G/K ≈ 0.15 plateau (3D)" }] : [],
  });
  return { plots: [{ name: "gk-stickiness", title: "G/K against stickiness", svg: gk }, { name: "nu-stickiness", title: "ν against stickiness", svg: nu }], missing: [] };
}
