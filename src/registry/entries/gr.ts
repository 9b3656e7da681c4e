import { pairCorrelation } from "../../observables/structure.js";
import type { Observable } from "../types.js";

/** g(r) as reported (observables/structure.ts for the definitions). */
export interface GrReport {
  binWidth: number;
  rMax: number;
  r: number[];
  total: number[];
  partials: { label: string; pairs: number; g: number[] }[];
  reduced: {
    binWidth: number;
    x: number[];
    partials: { label: string; lambda: number | null; g: number[]; phi: number[]; stiffness: number[] }[];
  };
  /** φ''/ω0² where φ'' < 0, with g there (seed 001 Fig. 11). */
  negativeStiffness: { label: string; x: number[]; stiffnessOverOmega0Sq: number[]; g: number[] }[];
}

/** Partial pair correlations g_ab(r), g against r/λ_ab and against φ'' < 0 (SPEC §4.5; seed 001 Fig. 11). */
export const gr: Observable = {
  name: "gr",
  spec: "SPEC §4.5",
  summary: "partial g(r), g(r/λ) and g against φ'' < 0",
  options: [
    { key: "gr", kind: { type: "boolean" }, help: "also partial g(r), g(r/λ) and g against φ'' < 0 (SPEC §4.5)" },
    { key: "binWidth", kind: { type: "number", min: 0, exclusiveMin: true }, placeholder: "<w>", study: false, help: "g(r) bin width (default 0.02)" },
  ],
  needs: [],
  enabled: (o) => o.gr === true,
  keys: [{ key: "gr", unit: "", help: "r, total and partial g, reduced g(r/λ) with φ and φ''/ω0², negative-stiffness curves", text: false }],
  measure(ctx, o) {
    const w0 = ctx.value("omega0");
    const pc = pairCorrelation(ctx.glass.config, ctx.glass.model, { ...(o.binWidth !== undefined ? { binWidth: o.binWidth as number } : {}), stiffnessScale: w0 * w0 });
    const report: GrReport = {
      binWidth: pc.binWidth,
      rMax: pc.rMax,
      r: Array.from(pc.r),
      total: Array.from(pc.total),
      partials: pc.partials.map((p) => ({ label: p.label, pairs: p.pairs, g: Array.from(p.g) })),
      reduced: {
        binWidth: pc.reduced.binWidth,
        x: Array.from(pc.reduced.x),
        partials: pc.reduced.partials.map((p) => ({ label: p.label, lambda: Number.isNaN(p.lambda) ? null : p.lambda, g: Array.from(p.g), phi: Array.from(p.phi), stiffness: Array.from(p.stiffness) })),
      },
      negativeStiffness: pc.negativeStiffness.map((c) => ({ label: c.label, x: c.x, stiffnessOverOmega0Sq: c.stiffness, g: c.g })),
    };
    return { gr: report };
  },
  textBlock(r) {
    const g = r.gr as GrReport;
    let text = `\ng(r): ${g.r.length} bins of ${g.binWidth} up to r = ${g.rMax.toPrecision(6)}; first peaks:`;
    for (const p of g.partials) {
      let k = 0;
      for (let q = 1; q < p.g.length; q++) if (p.g[q] > p.g[k]) k = q;
      text += ` ${p.label} r=${g.r[k].toFixed(3)} (g=${p.g[k].toFixed(2)})`;
    }
    return text + " (arrays with --json)\n";
  },
};
