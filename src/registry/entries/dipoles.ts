import { GlassmechError } from "../../core/errors.js";
import { logBinnedHistogram, lowTailExponent, meanWithError, type LogHistogram, type LowTailOptions } from "../../statistics/index.js";
import { valueLines } from "../format.js";
import { warnOf, type ValueWithError } from "../reduce.js";
import type { Observable } from "../types.js";

/** Tolerances of the dipole solvers (observables/dipoles.ts). */
const DIPOLE_CG_TOL = 1e-10;
const DIPOLE_CHOLESKY_TOL = 1e-8;

/** One excited pair (SPEC §10 `dipoles[{i, j, kappa, force}]`). */
export interface DipoleRecord {
  i: number;
  j: number;
  /** κ = (z·M·z)/(z·z). */
  kappa: number;
  /** f_ij = −φ'(r_ij). */
  force: number;
}

/** How the dipoles were chosen and solved. */
export interface DipoleInfo {
  /** Interacting pairs, pairs passing the force filter, pairs excited. */
  interacting: number;
  eligible: number;
  excited: number;
  /** The subset is Rng.forPurpose(seed, stream, "dipoles") (core/rng.ts). */
  seed: number;
  stream: number;
  forceFilter: number | null;
  solver: "cholesky" | "cg";
  blockSize: number;
  /** Largest ‖Mz − d‖/‖d‖ of the responses. */
  maxResidual: number;
  cgIterations: number;
}

/** The ensemble keys of the dipoles (SPEC §6.2, §10). */
export interface DipolesEnsemble {
  /**
   * ω_g = ⟨sqrt(κ)⟩ over all dipoles of all glasses (the seed 003 definition). Error: standard
   * error of the per-glass means with ≥ 2 glasses (dipoles of one glass are not independent
   * samples of the ensemble), else over the dipoles.
   */
  omegaG: ValueWithError & { dipoles: number; definition: "dipole mean <sqrt(kappa)>" };
  /** κ_g = ⟨κ⟩, same pooling and error. */
  kappaG: ValueWithError & { dipoles: number };
  /** p(κ) on log bins (all dipoles pooled). */
  pKappa: LogHistogram;
  /** Low-κ exponent η of p(κ) ~ κ^η (lowTailExponent; its fit range and the MLE cross-check). */
  eta: ValueWithError & { range: [number, number]; prefactor: number; bins: number; nInRange: number; etaMle: number; etaMleStdError: number };
}

function dipolesArg(raw: unknown): number | "all" {
  if (raw === "all") return "all";
  const v = typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return v;
  throw new Error("");
}

/**
 * Responses to local force dipoles ("pinching", SPEC §6.2; seeds 003, 004): κ = (z·M·z)/(z·z) of
 * a seeded random subset of interacting pairs; in an ensemble ω_g = ⟨√κ⟩, κ_g, p(κ) and its
 * low-κ exponent η. The solves come from the context's dipole part (Cholesky, sharing its
 * factor with the mode solver, or CG for very large N).
 */
export const dipoles: Observable = {
  name: "dipoles",
  spec: "SPEC §6.2",
  summary: "dipole stiffnesses κ of random interacting pairs; ω_g = ⟨√κ⟩, κ_g, p(κ), η",
  options: [
    { key: "dipoles", kind: { type: "custom", rule: "a non-negative integer or \"all\"", parse: dipolesArg }, placeholder: "<m>", help: "also dipole responses of m random interacting pairs, or 'all' (SPEC §6.2)" },
    { key: "forceFilter", kind: { type: "number", min: 0, exclusiveMin: true }, placeholder: "<x>", help: "only pairs with |f_ij|/(p a0²) < x (SPEC §6.2; off by default)" },
    { key: "solver", kind: { type: "choice", values: ["auto", "cholesky", "cg"] }, placeholder: "<s>", study: false, help: "dipole solver: auto (default), cholesky, cg" },
    { key: "blockSize", kind: { type: "integer", min: 1 }, placeholder: "<b>", study: false, help: "right-hand sides per block solve (default 32 with Cholesky, 4 with CG)" },
    { key: "dipoleCgTol", kind: { type: "number", min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }, flag: false, study: false, help: "relative residual of CG dipole solves (default 1e-10)" },
  ],
  needs: ["dipoles"],
  enabled: (o) => o.dipoles === "all" || ((o.dipoles as number | undefined) ?? 0) > 0,
  keys: [
    { key: "dipoles", unit: "", help: "per excited pair: i, j, κ (ε/λ²), f_ij (ε/λ)", text: false },
    { key: "kappaMean", unit: "ε/(m λ²)", help: "⟨κ⟩ over this glass's dipoles" },
    { key: "omegaGMean", unit: "sqrt(ε/(m λ²))", help: "⟨sqrt(κ)⟩ over this glass's dipoles" },
    { key: "dipoleInfo", unit: "", help: "pairs interacting / eligible / excited, seed, filter, solver, residual", text: false },
  ],
  measure(ctx, o) {
    const { selection: sel, responses: res, seed, stream } = ctx.dipoles();
    const dip: DipoleRecord[] = [];
    let sk = 0;
    let sw = 0;
    for (let t = 0; t < res.kappa.length; t++) {
      dip.push({ i: res.i[t], j: res.j[t], kappa: res.kappa[t], force: res.force[t] });
      sk += res.kappa[t];
      sw += Math.sqrt(res.kappa[t]);
    }
    const info: DipoleInfo = {
      interacting: sel.interacting,
      eligible: sel.eligible,
      excited: dip.length,
      seed,
      stream,
      forceFilter: (o.forceFilter as number | undefined) ?? null,
      solver: res.solver,
      blockSize: res.blockSize,
      maxResidual: res.maxResidual,
      cgIterations: res.cgIterations,
    };
    const tol = res.solver === "cg" ? ((o.dipoleCgTol as number | undefined) ?? DIPOLE_CG_TOL) : DIPOLE_CHOLESKY_TOL;
    // The CG residual is recomputed from the responses, so it may exceed the CG's own estimate a little.
    const limit = res.solver === "cg" ? 10 * tol : tol;
    ctx.solves.push({ what: "dipoles", method: res.method, iterations: res.cgIterations, residual: res.maxResidual, tolerance: tol, converged: res.maxResidual <= limit, path: ctx.solvePath().reason });
    return { dipoles: dip, kappaMean: sk / dip.length, omegaGMean: sw / dip.length, dipoleInfo: info };
  },
  text(r) {
    const di = r.dipoleInfo as DipoleInfo;
    return [["dipoles", `${di.excited} of ${di.eligible} pairs (seed ${di.seed}, stream ${di.stream}${di.forceFilter !== null ? `, |f|/(p a0²) < ${di.forceFilter}` : ""}; ${di.solver}, max residual ${di.maxResidual.toExponential(1)}; list with --json)`]];
  },
  reduce({ results, options, warn }) {
    const dips = results.map((r) => (Array.isArray(r.dipoles) ? (r.dipoles as { kappa: unknown }[]).map((x) => x.kappa) : null));
    const withDip = dips.filter((x) => x !== null).length;
    if (withDip === 0) return undefined;
    if (withDip < results.length) {
      warn(`omegaG, kappaG, eta: only ${withDip} of ${results.length} results have dipoles; skipped`);
      return {};
    }
    const perGlass = dips as unknown[][];
    const all: number[] = [];
    for (let s = 0; s < perGlass.length; s++)
      for (const k of perGlass[s]) {
        if (!(typeof k === "number" && k > 0 && Number.isFinite(k))) throw new GlassmechError(`ensemble: result ${s} has a dipole with κ = ${String(k)}; expected κ > 0`);
        all.push(k);
      }
    if (all.length === 0) {
      warn("omegaG: no dipoles");
      return {};
    }
    const pooled = (vals: number[], per: (k: number) => number): ValueWithError => {
      const m = meanWithError(vals);
      if (results.length < 2) return { value: m.mean, stdError: m.stdError };
      const means = perGlass.map((g) => g.reduce((a: number, k) => a + per(k as number), 0) / g.length);
      return { value: m.mean, stdError: meanWithError(means).stdError };
    };
    const out: Partial<DipolesEnsemble> = {
      omegaG: { ...pooled(all.map(Math.sqrt), Math.sqrt), dipoles: all.length, definition: "dipole mean <sqrt(kappa)>" },
      kappaG: { ...pooled(all, (k) => k), dipoles: all.length },
      pKappa: logBinnedHistogram(all, { binsPerDecade: (options.kappaBinsPerDecade as number | undefined) ?? 5 }),
    };
    try {
      const t = lowTailExponent(all, options.eta as LowTailOptions | undefined);
      out.eta = { value: t.eta, stdError: t.stdError, range: t.range, prefactor: t.prefactor, bins: t.bins, nInRange: t.nInRange, etaMle: t.etaMle, etaMleStdError: t.etaMleStdError };
    } catch (e) {
      warnOf(warn, "eta", e);
    }
    return out;
  },
  ensembleText: (s) => valueLines(s, ["omegaG", "kappaG", "eta"]),
  quantities(s): Record<string, ValueWithError> {
    const e = (s as unknown as Partial<DipolesEnsemble>).eta;
    return e === undefined ? {} : { eta: { value: e.value, stdError: e.stdError } };
  },
};
