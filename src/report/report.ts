/**
 * The study report: our ensemble values next to the papers' (./paperValues.ts), every stated
 * trend checked on our data (./checks.ts), and SVG plots (./svg.ts), written as `report.md`
 * (+ a folder of .svg files) and one self-contained `report.html`.
 *
 * Example: `writeReport("runs/papers")` → runs/papers/report.{md,html}, runs/papers/report-plots/.
 */
import { annealingSection } from "./annealingSection.js";
import { observablesSection } from "./observablesSection.js";
import { latticeSection } from "./latticeSection.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { writeFileAtomic } from "../io/text.js";
import { familyPoints, noteChecks, trendChecks, valueChecks, hasQuantity, type NoteCheck, type TrendCheck, type ValueCheck } from "./checks.js";
import { CONTROL, PAPER_ENSEMBLES, PAPER_VALUES, QUANTITY_LABEL, type Family, type Quantity } from "./paperValues.js";
import { renderHtml, renderMarkdown, type Block, type Plot } from "./render.js";
import { loadStudy, type StudyData, type ValueWithError } from "./studyData.js";
import { plotSvg, type PlotSeries, type ReferenceLine } from "./svg.js";
import type { Verdict } from "./trends.js";
import { boltzmannPlot, decayPlot, pKappaPlot, stickinessPlots, vdosPlot } from "./microPlots.js";
import { machineLines, timingRows } from "./machine.js";
import { writeEnsembleView, type EnsembleView } from "../view/ensembleViews.js";

const FAMILIES: Family[] = ["QSS", "DSS", "CSS"];
const MACRO: Quantity[] = ["pOverP0", "GOverK", "poissonRatio", "stickiness", "chiG", "chiK", "coordination"];
const MICRO: Quantity[] = ["AgOmega0_5", "omegaGOverOmega0", "xiGOverA0", "qlmDensity", "eta"];

/** "0.342 ± 0.004": the error to 2 significant digits and the value to the same decimal. */
export function formatWithError(v: ValueWithError | undefined): string {
  if (!v || !Number.isFinite(v.value)) return "–";
  const e = v.stdError;
  if (!(Number.isFinite(e) && e > 0)) return v.value.toPrecision(4);
  const dec = Math.min(10, Math.max(0, 1 - Math.floor(Math.log10(e))));
  if (Math.abs(v.value) >= 1e5 || (Math.abs(v.value) < 1e-3 && v.value !== 0)) return `${v.value.toExponential(2)} ± ${e.toExponential(1)}`;
  return `${v.value.toFixed(dec)} ± ${e.toFixed(dec)}`;
}

const num = (v: number, p = 4): string => (Number.isFinite(v) ? String(+v.toPrecision(p)) : "–");

export interface ReportContent {
  blocks: Block[];
  plots: Plot[];
  trends: TrendCheck[];
  values: ValueCheck[];
  notes: NoteCheck[];
}

/** The control parameter with its unit (reduced units, SPEC §0): q is a pure number, ρ = N/V, r_c in λ_ij. */
const xLabel = (family: Family): string => `${CONTROL[family].name} (${{ QSS: "dimensionless", DSS: "λ⁻ᵈ", CSS: "units of λ_ij" }[family]})`;

function familyPlots(data: StudyData, family: Family, missing: string[]): Plot[] {
  const pts = familyPoints(data, family);
  if (pts.length === 0) return [];
  const c = CONTROL[family];
  const xs = pts.map((p) => p.control);
  const plots: Plot[] = [];
  const series = (q: Quantity, label = "this study"): PlotSeries => ({
    label, x: xs, y: pts.map((p) => p.row.values[q]?.value ?? NaN), yErr: pts.map((p) => p.row.values[q]?.stdError ?? NaN), line: true,
  });
  const paper = (q: Quantity): { s: PlotSeries[]; h: ReferenceLine[] } => {
    const vals = PAPER_VALUES.filter((v) => v.family === family && v.quantity === q);
    const at = vals.filter((v) => v.control !== undefined);
    const s: PlotSeries[] = at.length ? [{ label: `paper (${at[0].source.split(",")[0]})`, x: at.map((v) => v.control!), y: at.map((v) => v.value), shape: "square", color: "#333333" }] : [];
    const h = vals.filter((v) => v.control === undefined).map((v) => ({ y: v.value, label: `paper ${v.value} (${v.source.split(",")[0]})` }));
    return { s, h };
  };
  const add = (name: string, q: Quantity, o: { yLog?: boolean; extra?: PlotSeries[] } = {}): void => {
    if (!pts.some((p) => p.row.values[q] !== undefined)) return;
    const pp = paper(q);
    const title = `${QUANTITY_LABEL[q]} vs ${c.symbol} (${family})`;
    plots.push({ name: `${family.toLowerCase()}-${name}`, title, svg: plotSvg({ title, xLabel: xLabel(family), yLabel: `${QUANTITY_LABEL[q]} (dimensionless)`, yLog: o.yLog, series: [series(q), ...(o.extra ?? []), ...pp.s], hLines: pp.h }) });
  };
  add("stickiness", "stickiness");
  add("gk", "GOverK");
  add("nu", "poissonRatio");
  add("pp0", "pOverP0");
  if (pts.some((p) => p.row.values.chiG)) {
    const title = `χ_G and χ_K vs ${c.symbol} (${family})`;
    plots.push({ name: `${family.toLowerCase()}-chi`, title, svg: plotSvg({ title, xLabel: xLabel(family), yLabel: "χ (dimensionless)", series: [series("chiG", "χ_G"), series("chiK", "χ_K")] }) });
  }
  add("ag", "AgOmega0_5", { yLog: true });
  add("wg", "omegaGOverOmega0");
  add("xi", "xiGOverA0");
  add("qlm", "qlmDensity", { yLog: true });
  add("eta", "eta");
  // D(ω)/ω⁴, p(κ), r^(2d) c(r) with their fits and marks (./microPlots.ts).
  for (const m of [vdosPlot(family, pts), pKappaPlot(family, pts), decayPlot(family, pts)]) {
    plots.push(...m.plots);
    missing.push(...m.missing);
  }
  return plots;
}

const verdictOrder: Verdict[] = ["yes", "no", "inconclusive", "no data"];

export interface BuildOptions {
  /** Printed in the header (default: now). */
  date?: string;
  /** The per-ensemble viewer pages (./views.ts), hrefs relative to the report. */
  views?: (EnsembleView & { href: string | null })[];
}

/** Builds the report content (no files). */
export function buildReport(data: StudyData, o: BuildOptions = {}): ReportContent {
  const missingPlots: string[] = [];
  const trends = trendChecks(data), values = valueChecks(data), notes = noteChecks(data);
  const micro = MICRO.filter((q) => hasQuantity(data, q));
  const blocks: Block[] = [];
  const plots: Plot[] = [];
  const { done, planned } = data.glasses;
  const Ns = [...new Set(data.ensembles.map((r) => r.N))], ds = [...new Set(data.ensembles.map((r) => r.d))];
  blocks.push({ kind: "h", level: 1, text: `Study "${data.name}": our glasses next to the papers` });
  blocks.push({
    kind: "p",
    text: `Made by glassmech report from ${data.dir} on ${o.date ?? new Date().toISOString().slice(0, 19).replace("T", " ")} UTC. ` +
      `${data.ensembles.length} ensembles, ${done} glasses${data.complete ? "" : ` (PARTIAL: ${done} of ${planned} planned glasses)`}, N = ${Ns.join(", ")}, d = ${ds.join(", ")}. ` +
      `Paper: seed 001 (González-López et al., Mechanical disorder of sticky-sphere glasses I); η from seed 004. ` +
      `Measured per glass: moduli, pressures, stickiness${data.measure.modes ? `, ${data.measure.modes} lowest modes` : ""}${data.measure.dipoles ? `, ${data.measure.dipoles} dipole responses` : ""}.`,
  });
  const shown = trends.filter((t) => !t.trend.microscopic || micro.includes(t.trend.quantity));
  const count = (v: Verdict): number => shown.filter((t) => t.result.verdict === v).length + values.filter((x) => x.verdict === v).length + notes.filter((x) => x.verdict === v).length;
  blocks.push({ kind: "p", text: `Verdicts over all checks below: ${verdictOrder.map((v) => `${v}: ${count(v)}`).join(", ")}. A trend is "yes" when our weighted slope has the paper's sign at ≥ 2σ (src/report/trends.ts); "inconclusive" means our error bars are too large to tell.` });
  blocks.push({ kind: "toc" });
  blocks.push({ kind: "h", level: 2, text: "At a glance: the paper's trends on our data" });
  blocks.push({
    kind: "table",
    header: ["verdict", "family", "paper says", "source"],
    rows: shown.filter((t) => t.result.verdict !== "no data").map((t) => [t.result.verdict, t.trend.family, t.trend.statement, t.trend.source]),
  });
  const missing = MICRO.filter((q) => !micro.includes(q));
  if (missing.length)
    blocks.push({ kind: "p", text: `Not in this study's results, so their statements are skipped: ${missing.map((q) => QUANTITY_LABEL[q]).join(", ")} (A_g needs modes, ω_g and η dipoles, ξ_g the dipole decay c(r)).` });

  for (const family of FAMILIES) {
    const pts = familyPoints(data, family);
    if (pts.length === 0) continue;
    const c = CONTROL[family];
    const paperPts = PAPER_ENSEMBLES.filter((e) => e.family === family);
    blocks.push({ kind: "h", level: 2, text: `${family}: varying ${c.name}` });
    blocks.push({ kind: "p", text: `Paper: ${c.symbol} ∈ {${paperPts.map((e) => e.control).join(", ")}}, N = ${[...new Set(paperPts.map((e) => e.N))].join("/")}, ${[...new Set(paperPts.map((e) => e.n))].join("/")} glasses per point (seed 001 Table I). Here: ${c.symbol} ∈ {${pts.map((p) => p.control).join(", ")}}, N = ${[...new Set(pts.map((p) => p.row.N))].join("/")}, ${[...new Set(pts.map((p) => p.row.samples))].join("/")} glasses per point.` });
    const cols = [...MACRO, ...micro];
    const rhoCol = family !== "DSS"; // the DSS control parameter is ρ already
    blocks.push({
      kind: "table",
      header: [c.symbol, "ensemble", "model", ...(rhoCol ? ["ρ"] : []), "glasses", "T_p", ...cols.map((q) => QUANTITY_LABEL[q])],
      rows: pts.map((p) => [num(p.control), p.row.label, p.row.model, ...(rhoCol ? [num(p.row.density)] : []), `${p.row.samples}/${p.row.planned}`, num(p.row.tp), ...cols.map((q) => formatWithError(p.row.values[q]))]),
    });
    const vc = values.filter((v) => v.paper.family === family);
    if (vc.length) {
      blocks.push({ kind: "h", level: 3, text: `${family}: published values` });
      blocks.push({
        kind: "table",
        header: ["verdict", c.symbol, "quantity", "paper", "ours", "agreement band", "source", "note"],
        rows: vc.map((v) => [v.verdict, num(v.control), QUANTITY_LABEL[v.paper.quantity], `≈ ${v.paper.value}`, formatWithError(v.ours), `± ${v.paper.tolerance}`, v.paper.source, v.paper.note ?? ""]),
      });
    }
    const tc = shown.filter((t) => t.trend.family === family);
    if (tc.length) {
      blocks.push({ kind: "h", level: 3, text: `${family}: stated trends` });
      blocks.push({
        kind: "table",
        header: ["verdict", "paper says", "our data", "stated factor", "source"],
        rows: tc.map((t) => [
          t.result.verdict, t.trend.statement, t.result.detail,
          t.trend.ratio ? (t.ratio ? `${t.ratio.verdict}: ours ${num(t.ratio.ours, 3)} vs ≈ ${num(t.ratio.paper, 3)} (${t.trend.ratio.statement}; first/last ${c.symbol})` : `${t.trend.ratio.statement} (not compared: our ${c.symbol} range differs)`) : "",
          t.trend.source,
        ]),
      });
    }
    const fp = familyPlots(data, family, missingPlots);
    plots.push(...fp);
    if (fp.length) blocks.push({ kind: "plots", plots: fp });
  }
  const other = data.ensembles.filter((r) => r.families.length === 0);
  if (other.length) {
    blocks.push({ kind: "h", level: 2, text: "Other ensembles (not in the papers' families)" });
    blocks.push({ kind: "table", header: ["ensemble", "model", "ρ", "glasses", ...MACRO.map((q) => QUANTITY_LABEL[q])], rows: other.map((r) => [r.label, r.model, num(r.density), `${r.samples}/${r.planned}`, ...MACRO.map((q) => formatWithError(r.values[q]))]) });
  }
  const across = [stickinessPlots(data), boltzmannPlot(data)];
  missingPlots.push(...across.flatMap((a) => a.missing));
  const acrossPlots = across.flatMap((a) => a.plots);
  if (acrossPlots.length) {
    blocks.push({ kind: "h", level: 2, text: "Across ensembles: stickiness and parent temperature" });
    blocks.push({ kind: "plots", plots: acrossPlots });
    plots.push(...acrossPlots);
  }
  const anneal = annealingSection(data);
  blocks.push(...anneal.blocks);
  plots.push(...anneal.plots);
  missingPlots.push(...anneal.missing);
  const observables = observablesSection(data);
  blocks.push(...observables.blocks);
  missingPlots.push(...observables.missing);
  const lattice = latticeSection(data.lattice);
  blocks.push(...lattice.blocks);
  missingPlots.push(...lattice.missing);
  blocks.push({ kind: "h", level: 2, text: "Views of the glasses" });
  if (o.views === undefined) blocks.push({ kind: "p", text: "No viewer pages: the report was made without them (report --no-views)." });
  else {
    blocks.push({ kind: "p", text: "One 3D viewer page per ensemble (its first glass): the softest mode, the softest of a few dipole responses, and a quartic mode when the study holds one. Each page is self-contained (open it directly, or serve the folder with glassmech report DIR --serve)." });
    const linked = o.views.filter((v) => v.href !== null);
    if (linked.length) blocks.push({ kind: "links", items: linked.map((v) => ({ href: v.href!, text: `${v.label}: view`, note: `— ${v.shows.join("; ")}${v.missing.length ? ` (missing: ${v.missing.join("; ")})` : ""}` })) });
    for (const v of o.views.filter((x) => x.href === null)) blocks.push({ kind: "p", text: `${v.label}: no view: ${v.missing.join("; ")}` });
  }
  blocks.push({ kind: "h", level: 2, text: "Other statements of the paper" });
  blocks.push({ kind: "table", header: ["verdict", "paper says", "ours", "source"], rows: notes.map((n) => [n.verdict, n.statement, n.ours, n.source]) });
  blocks.push({ kind: "h", level: 2, text: "How to read this" });
  const defs = [...new Set(data.ensembles.map((r) => r.omegaGDefinition).filter((d) => d !== undefined))];
  blocks.push({
    kind: "list",
    items: [
      "Values are ensemble means ± standard errors over glasses; G/K, ν, p/p0 and s are means of per-glass values (SPEC §4).",
      "χ_G, χ_K use the outlier-removal scheme of seed 001 App. A1c (SPEC §5) with a jackknife error; with a few dozen glasses the scheme is outside its design range (it needs hundreds), so χ carries ≈ 1/√(2n) relative noise.",
      "The papers used N = 3 000 – 50 200 and thousands of glasses per point; a small study checks trends and orders of magnitude, not the third digit. Finite-size effects are small for G, K, p, s (intensive) but large for A_g and η at N ≈ 1000 (seed 004 App. Fig. 8).",
      ...(defs.length ? [omegaGNote(data.ensembles)] : []),
      "Paper values are only those the text or captions state (the figures are not digitized); each row cites its place.",
    ],
  });
  blocks.push({ kind: "h", level: 2, text: "Plots not drawn" });
  // An ensemble in two families (DSS ρ = 0.6 = CSS r_c = 1.2) would say the same twice.
  blocks.push(missingPlots.length ? { kind: "list", items: [...new Set(missingPlots)] } : { kind: "p", text: "Every plot could be drawn." });
  blocks.push({ kind: "h", level: 2, text: "Warnings" });
  const warnings = [...data.warnings, ...lattice.warnings, ...data.ensembles.flatMap((r) => (r.statistics.microWarnings ?? []).map((w) => `${r.label}: ${w}`))];
  blocks.push(warnings.length ? { kind: "list", items: warnings } : { kind: "p", text: "No warnings." });
  blocks.push({ kind: "h", level: 2, text: "Study spec, machine and timings" });
  blocks.push({ kind: "pre", text: JSON.stringify(data.spec, null, 2) });
  blocks.push({ kind: "list", items: machineLines() });
  const timing = timingRows(data, o.views);
  blocks.push(timing.length ? { kind: "table", header: ["ensemble", "glasses timed", "make s/glass", "microscopic measurements s/glass", "view s"], rows: timing } : { kind: "p", text: "No timings: the results carry no make/measure seconds." });
  return { blocks, plots, trends: shown, values, notes };
}

export interface WrittenReport {
  html: string;
  markdown: string;
  plotDir: string;
  content: ReportContent;
  /** The per-ensemble viewer pages (undefined with views: false). */
  views?: EnsembleView[];
}

/**
 * Loads the study in `dir` and writes the report. `output` is the HTML path (default
 * `<dir>/report.html`); the Markdown goes next to it with `.md`, its plots into `<stem>-plots/`.
 */
export function writeReport(dir: string, o: { output?: string; date?: string; views?: boolean } = {}): WrittenReport {
  const data = loadStudy(dir);
  const html = o.output ?? join(dir, "report.html");
  const views = o.views === false ? undefined : data.ensembles.map((r) => {
    const v = writeEnsembleView(dir, r.label);
    return { ...v, href: v.path === null ? null : relative(dirname(html), v.path).split(sep).join("/") };
  });
  const content = buildReport(data, { date: o.date, views });
  const stem = html.replace(/\.html?$/i, "");
  const markdown = `${stem}.md`;
  const plotDir = `${stem}-plots`;
  mkdirSync(dirname(html), { recursive: true });
  mkdirSync(plotDir, { recursive: true });
  for (const p of content.plots) writeFileSync(join(plotDir, `${p.name}.svg`), `<?xml version="1.0" encoding="UTF-8"?>\n${p.svg}\n`);
  writeFileAtomic(markdown, renderMarkdown(content.blocks, basename(plotDir)));
  writeFileAtomic(html, renderHtml(content.blocks, `glassmech report: ${data.name}`));
  return { html, markdown, plotDir, content, views };
}

/** Which ω_g the tables use: 2π c_s/ξ_g where c(r) gave a ξ_g, else the dipole mean. */
function omegaGNote(rows: readonly { label: string; omegaGDefinition?: "length" | "dipole" }[]): string {
  const length = rows.filter((r) => r.omegaGDefinition === "length").map((r) => r.label);
  const dipole = rows.filter((r) => r.omegaGDefinition === "dipole").map((r) => r.label);
  const parts: string[] = [];
  if (length.length) parts.push(`2π c_s/ξ_g from c(r) (seed 001 Eq. 6) for ${length.join(", ")}`);
  if (dipole.length) parts.push(`the dipole-response mean ⟨√κ⟩ (seed 003; no ξ_g there) for ${dipole.join(", ")}`);
  return `ω_g here is ${parts.join("; ")}; 𝒩 = A_g ω_g⁵ uses the same ω_g.`;
}
