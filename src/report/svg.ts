/**
 * A tiny, dependency-free SVG plotter for the study report: scatter/line series with vertical
 * error bars, linear or log axes, "nice" ticks, axis labels, a title, a legend and optional
 * horizontal reference lines (e.g. a published value). Output is a standalone `<svg>` element
 * (valid XML), so it can be inlined in HTML or written as a .svg file.
 *
 * Example:
 * ```ts
 * plotSvg({ title: "G/K vs ρ", xLabel: "ρ", yLabel: "G/K",
 *           series: [{ label: "ours", x: [0.6, 0.8], y: [0.34, 0.2], yErr: [0.01, 0.01] }] });
 * ```
 * Points with a non-finite coordinate (or ≤ 0 on a log axis) are skipped; error bars are clipped
 * to the positive range on a log axis.
 */
import { escapeXml } from "../core/xml.js";
export interface PlotSeries {
  label: string;
  x: readonly number[];
  y: readonly number[];
  /** Symmetric 1σ error bars (same length as y; NaN = none). */
  yErr?: readonly number[];
  color?: string;
  /** Draw a polyline through the points (default false: markers only). */
  line?: boolean;
  /** Draw markers (default true). */
  markers?: boolean;
  dashed?: boolean;
  /** Marker shape: "circle" (default) or "square" (e.g. paper values). */
  shape?: "circle" | "square";
}

export interface ReferenceLine {
  y: number;
  label: string;
  color?: string;
}

export interface PlotOptions {
  title?: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  width?: number;
  height?: number;
  series: readonly PlotSeries[];
  hLines?: readonly ReferenceLine[];
  /** Vertical marks (e.g. ω_ph, ξ_g), dashed, in the legend. */
  vLines?: readonly { x: number; label: string; color?: string }[];
}

/** Color cycle (Tableau 10), chosen for contrast on white and for color-blind readers. */
export const PALETTE = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"];


const SUP: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };
const superscript = (e: number): string => String(e).replace(/[-0-9]/g, (c) => SUP[c]);

/** Short tick label: up to 4 significant digits, exponent form for very small/large values. */
export function formatTick(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) {
    const e = Math.floor(Math.log10(a) + 1e-9);
    const m = v / 10 ** e;
    return (Math.abs(m - 1) < 1e-9 ? "" : `${+m.toPrecision(3)}×`) + `10${superscript(e)}`;
  }
  return String(+v.toPrecision(4));
}

/** Linear ticks at 1, 2, 2.5 or 5 × 10^k covering [lo, hi] with about `target` ticks. */
export function linearTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) out.push(+(k * step).toPrecision(12));
  return out;
}

/** Log ticks: each decade in [lo, hi] (lo > 0), plus 2 and 5 × 10^k when fewer than 3 decades show. */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo) + 1e-9), b = Math.ceil(Math.log10(hi) - 1e-9);
  const fine = b - a < 3;
  const out: number[] = [];
  for (let e = a; e <= b; e++)
    for (const m of fine ? [1, 2, 5] : [1]) {
      const v = +(m * 10 ** e).toPrecision(12);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  return out.length >= 2 ? out : [lo, hi];
}

interface Axis {
  lo: number;
  hi: number;
  log: boolean;
  ticks: number[];
}

/** Data range of an axis, padded by 5% (linear) or a factor (log); ticks snap the range outward. */
function makeAxis(values: number[], log: boolean): Axis {
  const v = values.filter((x) => Number.isFinite(x) && (!log || x > 0));
  let lo = v.length ? Math.min(...v) : log ? 1 : 0;
  let hi = v.length ? Math.max(...v) : log ? 10 : 1;
  if (log) {
    if (hi / lo < 1.5) { lo /= 1.5; hi *= 1.5; }
    lo /= 1.15; hi *= 1.15;
    return { lo, hi, log, ticks: logTicks(lo, hi) };
  }
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) { const w = Math.abs(hi) * 0.1 || 1; lo -= w; hi += w; }
  const pad = 0.06 * (hi - lo);
  lo -= pad; hi += pad;
  return { lo, hi, log, ticks: linearTicks(lo, hi) };
}

const f2 = (v: number): string => v.toFixed(2);

/** Renders the plot as an SVG string. */
export function plotSvg(o: PlotOptions): string {
  const W = o.width ?? 520;
  const left = 70, right = 16, top = o.title ? 30 : 12;
  const legendRows = o.series.length + (o.hLines?.length ?? 0) + (o.vLines?.length ?? 0);
  // Two legend columns unless a label would run into the next column.
  const labels = [...o.series.map((s) => s.label), ...(o.hLines ?? []).map((h) => h.label), ...(o.vLines ?? []).map((v) => v.label)];
  const cols = labels.some((l) => 28 + 6 * l.length > (W - 86) / 2) ? 1 : 2;
  const bottom = 44 + 16 * Math.ceil(legendRows / cols);
  // Default height: 340, taller when the legend needs more than two rows (the plot area stays ≥ 250 px).
  const H = o.height ?? Math.max(340, top + 250 + bottom);
  const pw = W - left - right, ph = H - top - bottom;
  const xs: number[] = [], ys: number[] = [];
  for (const s of o.series)
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (!Number.isFinite(x) || !Number.isFinite(y) || (o.xLog && x <= 0) || (o.yLog && y <= 0)) return;
      xs.push(x); ys.push(y);
      const e = s.yErr?.[i];
      if (e !== undefined && Number.isFinite(e) && e > 0) { ys.push(y + e); if (!o.yLog || y - e > 0) ys.push(y - e); }
    });
  for (const h of o.hLines ?? []) if (Number.isFinite(h.y) && (!o.yLog || h.y > 0)) ys.push(h.y);
  const hasData = xs.length > 0;
  for (const v of o.vLines ?? []) if (Number.isFinite(v.x) && (!o.xLog || v.x > 0)) xs.push(v.x);
  const ax = makeAxis(xs, o.xLog === true), ay = makeAxis(ys, o.yLog === true);
  const t = (v: number, a: Axis): number => (a.log ? (Math.log10(v) - Math.log10(a.lo)) / (Math.log10(a.hi) - Math.log10(a.lo)) : (v - a.lo) / (a.hi - a.lo));
  const X = (v: number): number => left + t(v, ax) * pw;
  const Y = (v: number): number => top + (1 - t(v, ay)) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  if (o.title) out.push(`<text x="${f2(W / 2)}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(o.title)}</text>`);
  out.push(`<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333333"/>`);
  for (const v of ax.ticks) {
    if (v < ax.lo || v > ax.hi) continue;
    const x = X(v);
    out.push(`<line x1="${f2(x)}" y1="${top}" x2="${f2(x)}" y2="${top + ph}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${f2(x)}" y1="${top + ph}" x2="${f2(x)}" y2="${top + ph + 4}" stroke="#333333"/>`);
    out.push(`<text x="${f2(x)}" y="${top + ph + 16}" text-anchor="middle">${escapeXml(formatTick(v))}</text>`);
  }
  for (const v of ay.ticks) {
    if (v < ay.lo || v > ay.hi) continue;
    const y = Y(v);
    out.push(`<line x1="${left}" y1="${f2(y)}" x2="${left + pw}" y2="${f2(y)}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${left - 4}" y1="${f2(y)}" x2="${left}" y2="${f2(y)}" stroke="#333333"/>`);
    out.push(`<text x="${left - 6}" y="${f2(y + 4)}" text-anchor="end">${escapeXml(formatTick(v))}</text>`);
  }
  out.push(`<text x="${f2(left + pw / 2)}" y="${top + ph + 32}" text-anchor="middle" font-size="12">${escapeXml(o.xLabel)}</text>`);
  out.push(`<text x="14" y="${f2(top + ph / 2)}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${f2(top + ph / 2)})">${escapeXml(o.yLabel)}</text>`);
  const legend: { label: string; color: string; dashed: boolean; line: boolean; shape: string }[] = [];
  for (const h of o.hLines ?? []) {
    if (!Number.isFinite(h.y) || (o.yLog && h.y <= 0)) continue;
    const color = h.color ?? "#888888";
    out.push(`<line x1="${left}" y1="${f2(Y(h.y))}" x2="${left + pw}" y2="${f2(Y(h.y))}" stroke="${color}" stroke-dasharray="6 4"/>`);
    legend.push({ label: h.label, color, dashed: true, line: true, shape: "none" });
  }
  for (const v of o.vLines ?? []) {
    if (!Number.isFinite(v.x) || (o.xLog && v.x <= 0)) continue;
    const color = v.color ?? "#555555";
    out.push(`<line x1="${f2(X(v.x))}" y1="${top}" x2="${f2(X(v.x))}" y2="${top + ph}" stroke="${color}" stroke-dasharray="2 3" stroke-width="1.5"/>`);
    legend.push({ label: v.label, color, dashed: true, line: true, shape: "none" });
  }
  o.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    const pts: [number, number][] = [];
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (!Number.isFinite(x) || !Number.isFinite(y) || (o.xLog && x <= 0) || (o.yLog && y <= 0)) return;
      pts.push([X(x), Y(y)]);
      const e = s.yErr?.[i];
      if (e !== undefined && Number.isFinite(e) && e > 0) {
        const y1 = Y(y + e), y0 = o.yLog && y - e <= 0 ? top + ph : Y(y - e);
        out.push(`<line x1="${f2(X(x))}" y1="${f2(y0)}" x2="${f2(X(x))}" y2="${f2(y1)}" stroke="${color}"/>`);
        for (const yy of [y0, y1]) out.push(`<line x1="${f2(X(x) - 3)}" y1="${f2(yy)}" x2="${f2(X(x) + 3)}" y2="${f2(yy)}" stroke="${color}"/>`);
      }
    });
    if (s.line && pts.length > 1)
      out.push(`<polyline points="${pts.map(([a, b]) => `${f2(a)},${f2(b)}`).join(" ")}" fill="none" stroke="${color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="5 3"' : ""}/>`);
    const shape = s.shape ?? "circle";
    if (s.markers !== false)
      for (const [a, b] of pts)
        out.push(shape === "square"
          ? `<rect x="${f2(a - 3.5)}" y="${f2(b - 3.5)}" width="7" height="7" fill="none" stroke="${color}" stroke-width="1.5"/>`
          : `<circle cx="${f2(a)}" cy="${f2(b)}" r="3.5" fill="${color}"/>`);
    legend.push({ label: s.label, color, dashed: s.dashed === true, line: s.line === true, shape: s.markers === false ? "none" : shape });
  });
  if (!hasData) out.push(`<text x="${f2(left + pw / 2)}" y="${f2(top + ph / 2)}" text-anchor="middle" fill="#888888">no data</text>`);
  legend.forEach((l, k) => {
    const lx = left + (k % cols) * (pw / 2), ly = top + ph + 48 + 16 * Math.floor(k / cols);
    if (l.line) out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${l.color}" stroke-width="1.5"${l.dashed ? ' stroke-dasharray="5 3"' : ""}/>`);
    if (l.shape === "circle") out.push(`<circle cx="${lx + 11}" cy="${ly - 4}" r="3.5" fill="${l.color}"/>`);
    if (l.shape === "square") out.push(`<rect x="${lx + 7.5}" y="${ly - 7.5}" width="7" height="7" fill="#ffffff" stroke="${l.color}" stroke-width="1.5"/>`);
    out.push(`<text x="${lx + 28}" y="${ly}">${escapeXml(l.label)}</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n");
}
