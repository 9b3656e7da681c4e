/**
 * The quasilocalized modes of one glass, found directly (SPEC §6.4–6.6): quartic modes from a set
 * of starts (qlmStarts.ts), duplicates merged, each with its frequency, cost, participation, core
 * pair and deformation coupling (qlmCoupling.ts), and the glass's QLM decay function c(r) with the
 * core size ξ_QLM (qlmCore.ts, SPEC §6.6): as for ξ_g (§6.3) the per-bin medians are averaged over
 * the reported modes, each centered on its own core pair — one mode's c(r) alone is too noisy to
 * place a bump (seed 003 SI S-4 averages one QLM per glass over 1000 glasses); the ensemble
 * combines these per-glass c(r) like those of the dipoles (decay.ts combineDecay).
 *
 * Merging: a converged mode whose overlap |π·π'| with a mode found earlier exceeds `mergeOverlap`
 * (default 0.99) is that mode found again: its start is listed in the mode's `duplicates`. To save
 * the rest of such a search, a running search is stopped as a duplicate as soon as its iterate
 * overlaps a known mode by more than `earlyMergeOverlap` (default 0.999, checked every 10
 * iterations; `false` to run every start to convergence). Starts that end in any other way than
 * converging are reported with their status and message, never as modes.
 */
import { GlassmechError } from "../core/errors.js";
import { PairJets } from "../hessian/contractions.js";
import type { PreparedGlass } from "./prepare.js";
import { participationRatio } from "./modes.js";
import { qlmCoupling } from "./qlmCoupling.js";
import { DecayAccumulator, decayReport, type DecayReport } from "./decay.js";
import { corePair } from "./qlmCore.js";
import { dipoleStarts, shearStarts, type QuarticStart, type StartSpec } from "./qlmStarts.js";
import { quarticModeSearch, type SearchStatus } from "./quarticModes.js";

export interface QlmOptions {
  /** Where the searches start (default shear, seed 003 SI S-4). */
  readonly starts?: StartSpec;
  /** Modes reported, softest first (default 5). */
  readonly k?: number;
  /** Stationarity residual (default 1e-8). */
  readonly tol?: number;
  readonly maxIterations?: number;
  readonly mergeOverlap?: number;
  readonly earlyMergeOverlap?: number | false;
  /** Also c(r) of the modes and ξ_QLM (default true). */
  readonly coreSize?: boolean;
  /** Progress: starts done of total, the running start's iteration and residual. */
  readonly onProgress?: (done: number, total: number, iteration: number, residual: number) => void;
}

export interface QlmMode {
  /** ω_π = sqrt(π·M·π), |π| = 1. */
  frequency: number;
  /** 𝒢(π) = (π·M·π)²/(U''''::ππππ). */
  cost: number;
  /** U''''::ππππ. */
  quartic: number;
  participation: number;
  /** The interacting pair maximizing |π_i − π_j|² (0-based particles). */
  corePair: [number, number];
  residual: number;
  iterations: number;
  /** (Tr F/d)/λ_max(F_dev), SPEC §6.5. */
  dilationShear: number;
  coupling: { isotropic: number; deviatoricMax: number; tensor: number[] };
  /** The start that found it and the starts that found it again. */
  start: string;
  duplicates: string[];
  /** π, sign-fixed by the rule of SPEC §6.5, flat N·d particle-major. */
  vector: number[];
}

export interface QlmStartOutcome {
  label: string;
  status: SearchStatus;
  iterations: number;
  residual: number;
  /** Index of the mode it found (or ran into) in `modes`, or null (flagged, or not among the softest k). */
  mode: number | null;
  /** Index in the run's distinct modes in the order they were found, or null when flagged. */
  distinctMode: number | null;
  message: string;
}

export interface QlmResult {
  N: number;
  d: number;
  starts: string;
  tol: number;
  /** The softest k distinct modes, by frequency. */
  modes: QlmMode[];
  /** Distinct modes found (≥ modes.length). */
  distinctModes: number;
  outcomes: QlmStartOutcome[];
  /** c(r) of the reported modes around their core pairs, with ξ_QLM as `xi` (null with `xiError` when no bump). */
  qlmDecay: DecayReport | null;
  /** ξ_QLM = qlmDecay.xi. */
  xiQlm: number | null;
  /** Starts that neither converged nor merged. */
  flagged: number;
  iterations: number;
  seconds: { starts: number; search: number; analysis: number };
}

/** Builds the starts of a spec on a prepared glass. */
export function qlmStarts(g: PreparedGlass, spec: StartSpec): QuarticStart[] {
  if (spec.kind === "shear") return shearStarts(g.hessian, g.records);
  return dipoleStarts(g.hessian, g.records, spec.count, { seed: spec.seed ?? 1, stream: spec.stream }, { positions: g.config.positions, box: g.config.box });
}

/**
 * Quartic modes of a minimized glass (prepareGlass has checked the forces).
 *
 * @example
 *   const g = prepareGlass(config, model);
 *   const res = quasilocalizedModes(g, { starts: { kind: "dipoles", count: 50 }, k: 3 });
 *   res.modes[0].frequency; // ω_π of the softest mode found
 */
export function quasilocalizedModes(g: PreparedGlass, options: QlmOptions = {}): QlmResult {
  const { n, d } = g.config;
  const spec = options.starts ?? { kind: "shear" };
  const k = options.k ?? 5;
  if (!(Number.isInteger(k) && k >= 1)) throw new GlassmechError(`quartic modes: k must be a positive integer, got ${k}`);
  const tol = options.tol ?? 1e-8;
  const mergeOverlap = options.mergeOverlap ?? 0.99;
  const early = options.earlyMergeOverlap ?? 0.999;
  const jets = PairJets.fromRecords(g.records, g.config, g.model);
  const t0 = performance.now();
  const starts = qlmStarts(g, spec);
  const t1 = performance.now();
  const found: { vector: Float64Array; start: string; duplicates: string[]; iterations: number; residual: number; cost: number; stiffness: number; quartic: number }[] = [];
  const outcomes: QlmStartOutcome[] = [];
  let iterations = 0;
  starts.forEach((s, index) => {
    const res = quarticModeSearch(jets, s.vector, {
      tol,
      maxIterations: options.maxIterations,
      known: early === false ? undefined : { modes: found.map((f) => f.vector), overlap: early },
      onIteration: options.onProgress === undefined ? undefined : (it, _cost, r) => {
        if (it % 20 === 0) options.onProgress!(index, starts.length, it, r);
      },
    });
    iterations += res.iterations;
    let status = res.status;
    let mode: number | null = res.duplicateOf;
    let message = res.message;
    if (status === "converged") {
      const m = found.findIndex((f) => Math.abs(dot(f.vector, res.vector)) > mergeOverlap);
      if (m >= 0) {
        status = "duplicate";
        mode = m;
        message = `converged onto mode ${m} (overlap ${Math.abs(dot(found[m].vector, res.vector)).toFixed(4)})`;
      } else {
        mode = found.length;
        found.push({ vector: Float64Array.from(res.vector), start: s.label, duplicates: [], iterations: res.iterations, residual: res.residual, cost: res.cost, stiffness: res.stiffness, quartic: res.quartic });
      }
    }
    if (status === "duplicate" && mode !== null) found[mode].duplicates.push(s.label);
    outcomes.push({ label: s.label, status, iterations: res.iterations, residual: res.residual, mode: null, distinctMode: mode, message });
    if (options.onProgress !== undefined) options.onProgress(index + 1, starts.length, 0, res.residual);
  });
  const t2 = performance.now();
  const order = found.map((_, m) => m).sort((a, b) => found[a].stiffness - found[b].stiffness).slice(0, k);
  const modes = order.map((m) => analyse(g, found[m]));
  for (const o of outcomes) o.mode = o.distinctMode === null ? null : order.indexOf(o.distinctMode) >= 0 ? order.indexOf(o.distinctMode) : null;
  let qlmDecay: DecayReport | null = null;
  if ((options.coreSize ?? true) && modes.length > 0) {
    const acc = new DecayAccumulator(g.records, g.config.positions, g.config.box);
    for (const m of modes) acc.add(Float64Array.from(m.vector), m.coreRecord);
    qlmDecay = decayReport(acc.result());
  }
  const t3 = performance.now();
  return {
    N: n,
    d,
    starts: spec.kind === "shear" ? "shear" : `dipoles:${spec.count}`,
    tol,
    modes: modes.map(({ coreRecord: _, ...m }) => m),
    distinctModes: found.length,
    outcomes,
    qlmDecay,
    xiQlm: qlmDecay?.xi ?? null,
    flagged: outcomes.filter((o) => o.status !== "converged" && o.status !== "duplicate").length,
    iterations,
    seconds: { starts: (t1 - t0) / 1000, search: (t2 - t1) / 1000, analysis: (t3 - t2) / 1000 },
  };
}

function analyse(
  g: PreparedGlass,
  f: { vector: Float64Array; start: string; duplicates: string[]; iterations: number; residual: number; cost: number; stiffness: number; quartic: number },
): QlmMode & { coreRecord: number } {
  const { n, d } = g.config;
  const c = qlmCoupling(g.records, n, f.vector);
  const pi = c.flipped ? f.vector.map((v) => -v) : f.vector;
  const core = corePair(g.records, pi);
  return {
    frequency: Math.sqrt(f.stiffness),
    cost: f.cost,
    quartic: f.quartic,
    participation: participationRatio(d, n, pi),
    corePair: [core.i, core.j],
    residual: f.residual,
    iterations: f.iterations,
    dilationShear: c.dilationShear,
    coupling: { isotropic: c.isotropic, deviatoricMax: c.deviatoricMax, tensor: Array.from(c.tensor) },
    start: f.start,
    duplicates: f.duplicates,
    vector: Array.from(pi),
    coreRecord: core.record,
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += a[t] * b[t];
  return s;
}
