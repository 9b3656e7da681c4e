import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { annealingAnalysis, PAPER_E_QLM, type AnnealingAnalysis, type BoltzmannResult } from "../study/annealing.js";
import type { ValueWithError } from "../registry/reduce.js";
import type { StudySummary } from "../study/summary.js";
import { withError } from "../registry/format.js";
import { lengthsText } from "../report/annealingLengths.js";

/** `glassmech anneal STUDY_DIR [--json]`: crossover temperature and annealing trends (seed 000). */
export function registerAnneal(program: Command): void {
  program
    .command("anneal")
    .description("thermal-annealing analysis of a study with several T_p per model: T_co (G/K and energy-collapse schemes), G/G∞, K/K∞, G_na/G, ν/ν∞ and the microscopic series (A_g ω0⁵, ω_g/ω_g∞, 𝒩, Ne0, κ_g/κ_g∞) vs T_p/T_co, the Boltzmann fit of 𝒩, the relations of SPEC §7")
    .argument("<study>", "study folder (with summary.json)")
    .option("--json", "print JSON")
    .action((dir: string, o: { json?: boolean }) => {
      const path = join(dir, "summary.json");
      let summary: StudySummary;
      try {
        summary = JSON.parse(readFileSync(path, "utf8")) as StudySummary;
      } catch (e) {
        throw new GlassmechError(`cannot read the study summary (run glassmech study first): ${(e as Error).message}`, { file: path });
      }
      const a = annealingAnalysis(summary);
      if (o.json === true) {
        process.stdout.write(JSON.stringify(a, null, 2) + "\n");
        return;
      }
      process.stdout.write(formatAnnealing(a));
    });
}

const ve = (v: ValueWithError | undefined, digits = 4): string => (v === undefined ? "–" : withError(v.value, v.stdError, digits));

function boltzmannLine(def: string, b: BoltzmannResult): string {
  const unit = b.inTco ? "T_co" : "(T_p units; no T_co)";
  return `  Boltzmann 𝒩 (${def}) ∝ exp(−E/T_p) over T_p ∈ [${b.window[0]}, ${b.window[1]}] (${b.n} points): E = ${withError(b.E, b.stdError, 3)} ${unit}; seed 003: E_QLM ≈ ${PAPER_E_QLM} T_onset\n`;
}

/** The text report of `glassmech anneal`: every number it has, and why each missing one is missing. */
export function formatAnnealing(a: AnnealingAnalysis): string {
  let out = "";
  for (const m of a.models) {
    const tco = m.tcoGK === null ? "T_co: –" : `T_co = ${withError(m.tcoGK.Tco, m.tcoGK.stdError)} (G/K scheme)${Number.isFinite(m.tcoCollapse) ? `, ${m.tcoCollapse.toPrecision(4)} (energy collapse)` : ""}`;
    out += `${m.model}, density ${m.density.toPrecision(4)}, d = ${m.d}: ${tco}; G∞ = ${m.GInf.toPrecision(4)}, K∞ = ${m.KInf.toPrecision(4)}${m.tcoGK === null ? " (from the hottest ensemble)" : ""}\n`;
    out += "     T_p   T_p/T_co      u/N    G/G∞    K/K∞  G_na/G   ν/ν∞\n";
    for (const p of m.points)
      out += `${p.tp.toPrecision(4).padStart(8)} ${(Number.isFinite(p.tpOverTco) ? p.tpOverTco.toFixed(3) : "–").padStart(10)} ${p.energyPerParticle.toFixed(4).padStart(8)} ${p.GOverGInf.toFixed(4).padStart(7)} ${p.KOverKInf.toFixed(4).padStart(7)} ${p.GnaOverG.toFixed(4).padStart(7)} ${p.nuOverNuInf.toFixed(4).padStart(6)}\n`;
    if (m.points.some((p) => p.micro.AgOmega0_5 !== undefined || p.micro.qlmDensity.dipole !== undefined || p.micro.Ne0 !== undefined || p.micro.qlmSoftest !== undefined)) {
      out += "     T_p  A_g ω0⁵ | ω_g/ω_g∞ dipole | ω_g/ω_g∞ ξ_g | 𝒩 dipole | 𝒩 ξ_g | Ne0 | κ_g/κ_g∞ | softest ω_π/ω0\n";
      for (const p of m.points) {
        const u = p.micro;
        out += `${p.tp.toPrecision(4).padStart(8)}  ${[ve(u.AgOmega0_5, 3), ve(u.omegaGRatio.dipole), ve(u.omegaGRatio.length), ve(u.qlmDensity.dipole, 3), ve(u.qlmDensity.length, 3), ve(u.Ne0, 3), ve(u.kappaGRatio), ve(u.qlmSoftest)].join(" | ")}\n`;
      }
    }
    for (const def of ["dipole", "length"] as const) {
      const b = m.boltzmann[def];
      if (b !== undefined) out += boltzmannLine(def === "dipole" ? "ω_g = ⟨√κ⟩" : "ω_g = 2π c_s/ξ_g", b);
    }
    out += lengthsText(m);
    for (const p of m.problems) out += `  missing: ${p}\n`;
  }
  if (a.relations.length > 0) out += "relations (log–log over all ensembles):\n";
  for (const r of a.relations) out += `  ${r.name}: exponent ${withError(r.exponent, r.stdError, 3)} vs ${r.predicted.toPrecision(3)} predicted (${r.points} ensembles): ${r.verdict}\n`;
  for (const p of a.problems) out += `missing: ${p}\n`;
  return out;
}
