/**
 * The report's Hessian energy decomposition (SPEC §4.6; seed 001 Eqs. 8–10, Fig. 9): per ensemble
 * measured with `energyDecomposition`, the mean k+, k−, f+, f− of its soft modes in units of ω0²,
 * beside seed 001's reading of them for sticky spheres: the softening comes from negative
 * stiffnesses (k−), and attractive forces (f+) stabilize about an order of magnitude less than
 * the positive stiffnesses (k+).
 */
import { p3, plusMinus } from "./numbers.js";
import type { Block } from "./render.js";
import type { StudyData } from "./studyData.js";


export function energySection(data: StudyData): { blocks: Block[]; missing: string[] } {
  const rows = data.ensembles.filter((r) => r.statistics.energyDecomposition !== undefined);
  if (rows.length === 0) return { blocks: [], missing: ["Hessian energy decomposition: not measured (study measure.energyDecomposition with modes)"] };
  return {
    blocks: [
      { kind: "h", level: 2, text: "Hessian energy decomposition of the soft modes" },
      {
        kind: "p",
        text: "ω² = k+ + k− + f+ + f− (seed 001 Eq. 10): k± from positive/negative pair stiffnesses φ'', f± from attractive/repulsive pair forces; means over the modes below ω_c (all computed modes where none is), in units of ω0² = c_s²/a0². Seed 001 (§VI, Fig. 9): in sticky spheres the dominant softening is k− (large negative stiffnesses), and f+ is about an order of magnitude smaller than k+; purely repulsive models have k− = f+ = 0.",
      },
      {
        kind: "table",
        header: ["ensemble", "modes", "k+/ω0²", "k−/ω0²", "f+/ω0²", "f−/ω0²", "|k−|/|f−|", "f+/k+"],
        rows: rows.map((r) => {
          const e = r.statistics.energyDecomposition!;
          return [r.label, `${e.modes}${e.below === "all" ? " (all)" : ""}`, plusMinus(e.kPlus), plusMinus(e.kMinus), plusMinus(e.fPlus), plusMinus(e.fMinus), p3(Math.abs(e.kMinus.value) / Math.abs(e.fMinus.value)), p3(e.fPlus.value / e.kPlus.value)];
        }),
      },
    ],
    missing: [],
  };
}
