import { GlassmechError } from "../../core/errors.js";
import { bulkModulusFromTensor, isotropicShearModulus, shearModulusFromTensor, toVoigt, voigtLabels } from "../../observables/elasticTensor.js";
import type { Observable } from "../types.js";

/** The elastic tensor as reported (observables/elasticTensor.ts for the definitions). */
export interface ElasticTensorReport {
  /** Voigt index order, e.g. ["xx", "yy", "zz", "yz", "xz", "xy"]. */
  labels: string[];
  /** Voigt-symmetric stress–strain tensor C_IJ (Eq. 3 of elasticTensor.ts), rows in `labels` order. */
  voigt: number[][];
  /** The same tensor in full form, C_abce at ((a·d + b)·d + c)·d + e. */
  full: number[];
  /** Lagrangian (Brugger) constants in Voigt form. */
  lagrangianVoigt: number[][];
  /** Virial stress σ_ab (d×d, tension positive). */
  stress: number[][];
  /** Isotropic (Voigt-average) shear modulus of C. */
  shearModulusIsotropic: number;
  /** Relative symmetry violation before symmetrization (rounding level). */
  asymmetry: number;
}

/**
 * The full elastic tensor C_abce (SPEC §4.4), from the same block CG as the moduli (the context's
 * elasticity part solves all d(d+1)/2 strain columns when this is asked for).
 */
export const tensor: Observable = {
  name: "tensor",
  spec: "SPEC §4.4",
  summary: "the full elastic tensor C_abce (Voigt form), its Lagrangian form and the stress",
  options: [{ key: "tensor", kind: { type: "boolean" }, help: "also the full elastic tensor C_abce (Voigt form)" }],
  needs: ["elasticity"],
  enabled: (o) => o.tensor === true,
  keys: [{ key: "elasticTensor", unit: "ε/λ^d", help: "C_IJ (Voigt), full C, Lagrangian C, stress σ_ab, isotropic G", text: false }],
  measure(ctx) {
    const t = ctx.elasticity().tensor!;
    const d = ctx.glass.config.d;
    const rows = (flat: Float64Array, m: number): number[][] => Array.from({ length: m }, (_, I) => Array.from(flat.subarray(I * m, (I + 1) * m)));
    const m = (d * (d + 1)) / 2;
    // The tensor path must agree with its own G and K (Eqs. 4–5 of elasticTensor.ts).
    const G = ctx.value("shearModulus"), K = ctx.value("bulkModulus");
    const gT = shearModulusFromTensor(t), kT = bulkModulusFromTensor(t);
    if (!(Math.abs(gT - G) <= 1e-8 * Math.abs(K) + 1e-300 && Math.abs(kT - K) <= 1e-8 * Math.abs(K) + 1e-300))
      throw new GlassmechError(`elastic tensor inconsistent with the moduli: G ${gT} vs ${G}, K ${kT} vs ${K} (please report)`);
    const elasticTensor: ElasticTensorReport = {
      labels: voigtLabels(d),
      voigt: rows(toVoigt(d, t.C), m),
      full: Array.from(t.C),
      lagrangianVoigt: rows(toVoigt(d, t.lagrangian), m),
      stress: rows(t.stress, d),
      shearModulusIsotropic: isotropicShearModulus(t),
      asymmetry: t.asymmetry,
    };
    return { elasticTensor };
  },
  textBlock(r) {
    const t = r.elasticTensor as ElasticTensorReport;
    let text = `\nelastic tensor C_IJ (Voigt, stress–strain, pre-stress included; isotropic G = ${t.shearModulusIsotropic.toPrecision(8)})\n`;
    text += "      " + t.labels.map((l) => l.padStart(13)).join("") + "\n";
    t.voigt.forEach((row, I) => (text += t.labels[I].padEnd(6) + row.map((v) => v.toPrecision(7).padStart(13)).join("") + "\n"));
    return text;
  },
};
