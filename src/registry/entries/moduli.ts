import { numberDensity } from "../../core/configuration.js";
import { formatDescriptor } from "../../core/descriptor.js";
import { elasticScales, poissonRatio } from "../../observables/scales.js";
import { DEFAULT_FORCE_TOLERANCE } from "../../observables/prepare.js";
import { chiWithOutlierRemoval, ratioOfMeans } from "../../statistics/index.js";
import type { ChiResult } from "../../statistics/index.js";
import { DEFAULT_MODULI_CG_TOL } from "../context.js";
import { withError } from "../format.js";
import { finiteColumn } from "../reduce.js";
import type { Observable } from "../types.js";

/**
 * The macroscopic observables of every glass (SPEC §4.1–4.3, names of SPEC §10): energy,
 * pressures p, p+, p−, G, G_na, K, ν, stickiness, coordination and the scales a0, c_s, ω0; in an
 * ensemble χ_G and χ_K (SPEC §5, seed 001 App. A1c) and the ratios of means ⟨G⟩/⟨K⟩, ⟨p⟩/⟨p0⟩.
 */
export const moduli: Observable = {
  name: "moduli",
  spec: "SPEC §4.1–4.3, §5",
  summary: "energy, pressures, G, G_na, K, ν, stickiness, coordination, a0, c_s, ω0; χ_G, χ_K",
  options: [
    { key: "forceTolerance", kind: { type: "number", min: 0 }, default: DEFAULT_FORCE_TOLERANCE, placeholder: "<f>", study: false, help: "largest per-particle force accepted as a minimum" },
    { key: "cgTol", kind: { type: "number", min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, placeholder: "<t>", study: false, help: `relative residual of the moduli CG solves (default ${DEFAULT_MODULI_CG_TOL}; the moduli are accurate to ~tol²)` },
    // The random choices of a measurement (dipole subset, quartic-mode starts) draw from
    // Rng.forPurpose(seed, stream, …): a study passes its seed and the sample's stream.
    { key: "seed", kind: { type: "integer", min: 0 }, placeholder: "<s>", study: false, help: "seed of the measurement's random choices: dipole subset, quartic-mode starts (default 1)" },
    { key: "stream", kind: { type: "integer", min: 0 }, placeholder: "<k>", study: false, help: "stream of those choices (default 0; in a study, glass k of ensemble e has stream e·10⁶ + k)" },
  ],
  needs: ["hessian", "elasticity"],
  keys: [
    { key: "N", unit: "1", help: "particles", mean: false },
    { key: "d", unit: "1", help: "dimension", mean: false },
    { key: "density", unit: "λ⁻ᵈ", help: "number density N/V (= mass density, m = 1)" },
    { key: "boxLengths", unit: "λ", help: "box side lengths" },
    { key: "model", unit: "", help: "model descriptor, `model=pss rc=1.2` (SPEC §2)" },
    { key: "energyPerParticle", unit: "ε", help: "U/N" },
    { key: "pressure", unit: "ε/λ^d", help: "p" },
    { key: "pressurePlus", unit: "ε/λ^d", help: "p+ (repulsive pairs)" },
    { key: "pressureMinus", unit: "ε/λ^d", help: "p− (attractive pairs)" },
    { key: "shearModulus", unit: "ε/λ^d", help: "G" },
    { key: "shearModulusNonaffine", unit: "ε/λ^d", help: "G_na" },
    { key: "bulkModulus", unit: "ε/λ^d", help: "K" },
    { key: "poissonRatio", unit: "1", help: "ν" },
    { key: "stickiness", unit: "1", help: "s (SPEC §4.1)" },
    { key: "coordination", unit: "1", help: "mean interacting neighbours" },
    { key: "maxForce", unit: "ε/λ", help: "largest per-particle force", mean: false },
    { key: "p0", unit: "ε/λ^d", help: "p0 = p+ + p− (seed 001 App. A1b)" },
    { key: "pOverP0", unit: "1", help: "p/p0" },
    { key: "pOverK", unit: "1", help: "p/K" },
    { key: "GOverK", unit: "1", help: "G/K" },
    { key: "shearModulusAffine", unit: "ε/λ^d", help: "Born (affine) G" },
    { key: "bulkModulusAffine", unit: "ε/λ^d", help: "affine K" },
    { key: "a0", unit: "λ", help: "a0 = (V/N)^(1/d)" },
    { key: "cs", unit: "λ sqrt(ε/(m λ²))", help: "c_s = sqrt(G/ρ)" },
    { key: "omega0", unit: "sqrt(ε/(m λ²))", help: "ω0 = c_s/a0" },
    { key: "cgIterations", unit: "1", help: "moduli CG iterations", mean: false },
    { key: "cgResidual", unit: "1", help: "moduli CG residual", mean: false },
    { key: "solves", unit: "", help: "every linear solve and eigensolve with iterations, residual, tolerance, converged (an unconverged solve is refused)", text: false },
    { key: "converged", unit: "", help: "every solve converged" },
  ],
  measure(ctx, o) {
    const { config, model, summary: s } = ctx.glass;
    const { d, n } = config;
    const el = ctx.elasticity();
    const G = el.shearModulus;
    const K = el.bulkModulus;
    const sc = elasticScales(n, config.box.volume, d, G);
    const p0 = s.pressurePlus + s.pressureMinus;
    const cgTol = (o.cgTol as number | undefined) ?? DEFAULT_MODULI_CG_TOL;
    // solveCGMultiOrThrow refuses anything above the tolerance (linalg/cg.ts).
    ctx.solves.push({ what: o.tensor === true ? "elastic tensor" : "moduli", method: "block CG", iterations: el.cgIterations, residual: el.cgResidual, tolerance: cgTol, converged: el.cgResidual <= cgTol });
    return {
      N: n,
      d,
      density: numberDensity(config),
      boxLengths: Array.from(config.box.lengths()),
      model: formatDescriptor({ name: model.name, params: model.params }),
      energyPerParticle: s.energyPerParticle,
      pressure: s.pressure,
      pressurePlus: s.pressurePlus,
      pressureMinus: s.pressureMinus,
      shearModulus: G,
      shearModulusNonaffine: el.shearModulusNonaffine,
      bulkModulus: K,
      poissonRatio: poissonRatio(K, G, d),
      stickiness: s.stickiness,
      coordination: s.coordination,
      maxForce: s.maxForce,
      p0,
      pOverP0: s.pressure / p0,
      pOverK: s.pressure / K,
      GOverK: G / K,
      shearModulusAffine: el.shearModulusAffine,
      bulkModulusAffine: el.bulkModulusAffine,
      a0: sc.a0,
      cs: sc.cs,
      omega0: sc.omega0,
      cgIterations: el.cgIterations,
      cgResidual: el.cgResidual,
      solves: ctx.solves,
      converged: ctx.solves.every((x) => x.converged),
    };
  },
  text(r) {
    // One line per solve: what, how, iterations, residual against its tolerance.
    const solves = (r.solves as { what: string; method: string; iterations: number; residual: number; tolerance: number; converged: boolean }[] | undefined) ?? [];
    return solves.map((s) => [`solve ${s.what}`, `${s.method}, ${s.iterations} iterations, residual ${s.residual.toExponential(1)} (tolerance ${s.tolerance.toExponential(0)})${s.converged ? "" : " NOT CONVERGED"}`]);
  },
  reduce({ results }) {
    const first = results[0];
    const column = (k: string): number[] => finiteColumn(results, k);
    const G = column("shearModulus"), K = column("bulkModulus");
    const gk = ratioOfMeans(G, K);
    const pp = ratioOfMeans(column("pressure"), column("p0"));
    return {
      chiG: results.length > 1 ? chiWithOutlierRemoval(G, first.N) : null,
      chiK: results.length > 1 ? chiWithOutlierRemoval(K, first.N) : null,
      GOverKOfMeans: { value: gk.value, stdError: gk.stdError },
      pOverP0OfMeans: { value: pp.value, stdError: pp.stdError },
    };
  },
  ensembleText(s) {
    const chi = (c: ChiResult | null): string => (c === null ? "– (one glass)" : `${c.value.toPrecision(4)} (raw ${c.raw.toPrecision(4)}, ${c.removed} removed, stopped by ${c.stoppedBy})`);
    const gk = s.GOverKOfMeans as { value: number; stdError: number };
    return [["chiG", chi(s.chiG as ChiResult | null)], ["chiK", chi(s.chiK as ChiResult | null)], ["<G>/<K>", withError(gk.value, gk.stdError)]];
  },
  quantities(s) {
    const means = s.means as Record<string, { mean: number; stdError: number } | undefined>;
    const out: Record<string, { value: number; stdError: number }> = {};
    const mean = (k: string, fallback?: { value: number; stdError: number }): void => {
      const m = means[k];
      if (m !== undefined) out[k] = { value: m.mean, stdError: m.stdError };
      else if (fallback !== undefined) out[k] = { value: fallback.value, stdError: fallback.stdError };
    };
    mean("pOverP0", s.pOverP0OfMeans as { value: number; stdError: number } | undefined);
    mean("GOverK", s.GOverKOfMeans as { value: number; stdError: number } | undefined);
    for (const k of ["poissonRatio", "stickiness", "coordination"]) mean(k);
    for (const k of ["chiG", "chiK"]) {
      const c = s[k] as ChiResult | null | undefined;
      if (c && Number.isFinite(c.value)) out[k] = { value: c.value, stdError: c.stdError };
    }
    return out;
  },
};
