/**
 * The per-glass macroscopic measurement (SPEC §4, names of SPEC §10): a pure function of a
 * minimized configuration and its model.
 *
 * `prepareGlass` does the shared work once (pair loop, equilibrium check, pair records, Hessian)
 * so later per-glass analyses (modes, dipoles; SPEC §6) reuse it; `measureGlass` is
 * `macroscopicObservables(prepareGlass(...))`. Results are plain JSON-able objects (numbers and
 * number arrays) in reduced units.
 */
import type { Configuration } from "../core/configuration.js";
import { numberDensity } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { assertFiniteEnergy, assertMeasurable } from "./sanity.js";
import { PairSystem, type PairSummary } from "../forces/pairSystem.js";
import type { PairRecords } from "../forces/types.js";
import { assembleHessian } from "../hessian/assemble.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";
import type { CGOptions } from "../linalg/cg.js";
import { sparseCholesky, type SparseCholesky } from "../linalg/cholesky.js";
import { formatDescriptor } from "../core/descriptor.js";
import type { Model } from "../models/types.js";
import { elasticity } from "./elasticity.js";
import {
  bulkModulusFromTensor,
  isotropicShearModulus,
  shearModulusFromTensor,
  toVoigt,
  voigtLabels,
} from "./elasticTensor.js";
import { decayReport, DecayAccumulator, type DecayOptions, type DecayReport } from "./decay.js";
import { autoDipoleSolver, dipoleResponses, selectDipolePairs, type DipoleSolver } from "./dipoles.js";
import { glassModes } from "./modes.js";
import { hessianEnergyDecomposition } from "./energyDecomposition.js";
import { quasilocalizedModes, type QlmMode } from "./qlm.js";
import { parseStartSpec } from "./qlmStarts.js";
import { elasticScales, poissonRatio } from "./scales.js";
import { pairCorrelation, type PairCorrelationOptions } from "./structure.js";

/** Default largest per-particle force accepted as a minimum (reduced units). */
export const DEFAULT_FORCE_TOLERANCE = 1e-8;

/**
 * Default relative residual of the moduli CG solves. The moduli are quadratic forms b·M⁺·b
 * evaluated as b·x with the CG iterate x, which is exact up to the M-norm of the error:
 * relative error ≲ tol²·λ_typ/λ_min. Measured on a PSS glass of N = 10⁴: tol 1e-8 changes G and K
 * by < 1e-15 relative (vs 1e-10 / 1e-12) with 20% fewer iterations; 1e-6 gives 4e-12.
 */
export const DEFAULT_MODULI_CG_TOL = 1e-8;

export interface PrepareOptions {
  /** Largest per-particle force norm accepted (default 1e-8). */
  forceTolerance?: number;
  /** An existing PairSystem for this configuration and model (saves building the neighbor list). */
  system?: PairSystem;
}

/** What every per-glass analysis needs, computed once. */
export interface PreparedGlass {
  readonly config: Configuration;
  readonly model: Model;
  readonly system: PairSystem;
  /** Energy, stress, pressures, coordination, stickiness, max force (forces/measure.ts). */
  readonly summary: PairSummary;
  readonly records: PairRecords;
  /** The Hessian M (SPEC §4.2). */
  readonly hessian: BlockMatrix;
}

/**
 * Pair loop, equilibrium check and Hessian of a configuration. Throws a GlassmechError when the
 * largest per-particle force exceeds the tolerance: the harmonic observables of SPEC §4 hold at a
 * minimum only.
 */
export function prepareGlass(config: Configuration, model: Model, options: PrepareOptions = {}): PreparedGlass {
  const tol = options.forceTolerance ?? DEFAULT_FORCE_TOLERANCE;
  if (!(tol >= 0)) throw new GlassmechError(`force tolerance must be non-negative, got ${tol}`);
  const system = options.system ?? new PairSystem(config, model);
  const summary = system.measure(config.positions);
  assertFiniteEnergy(summary.energyPerParticle, summary.maxForce);
  assertMeasurable(config.n, summary.coordination);
  if (!(summary.maxForce <= tol))
    throw new GlassmechError(
      `max per-particle force ${summary.maxForce.toExponential(3)} is above the tolerance ${tol.toExponential(1)}: ` +
        `not a minimum — relax it first (glassmech relax), or raise --force-tolerance`,
    );
  const records = system.records(config.positions);
  const hessian = assembleHessian(records, config.n);
  return { config, model, system, summary, records, hessian };
}

export interface MeasureOptions extends PrepareOptions {
  /** Also compute the full elastic tensor (default false). */
  tensor?: boolean;
  /** Also compute g(r) (SPEC §4.5); true for the defaults, or options. */
  gr?: boolean | PairCorrelationOptions;
  /** CG options of the moduli solves (relative residual tolerance default DEFAULT_MODULI_CG_TOL = 1e-8). */
  cg?: Omit<CGOptions, "x0">;
  /** Also the k lowest nonzero modes (SPEC §6.1): frequencies, participation ratios, ω_ph. */
  modes?: number;
  /** With `modes`: the Hessian energy decomposition k±, f± of each mode (SPEC §4.6). */
  energyDecomposition?: boolean;
  /** Also quartic modes (SPEC §6.4–6.6, observables/qlm.ts): where the searches start and how many modes to keep. */
  qlm?: { starts: string; k?: number };
  /** Also dipole responses (SPEC §6.2) of this many random interacting pairs ("all" or ≥ their number: all). */
  dipoles?: number | "all";
  /** Seed of the random dipole subset (default 1). */
  seed?: number;
  /** Keep only pairs with |f_ij|/(p a0²) below this (SPEC §6.2; off by default). */
  forceFilter?: number;
  /** Also c(r) and ξ_g of the dipole responses (SPEC §6.3); without `dipoles`, 100 dipoles. */
  decay?: boolean | DecayOptions;
  /** Linear solver of the dipole responses (default "auto": Cholesky unless N is very large). */
  solver?: DipoleSolver;
  /** Right-hand sides per block solve (default 32 with Cholesky, 4 with CG). */
  blockSize?: number;
  /** Relative residual of CG dipole solves (default 1e-10). */
  dipoleCgTol?: number;
  /** Return modes of a glass with extra zero or negative modes instead of refusing it. */
  allowUnstable?: boolean;
}

/** Default number of dipoles when only c(r) is asked for. */
export const DEFAULT_DECAY_DIPOLES = 100;

/** One excited pair (SPEC §10 `dipoles[{i, j, kappa, force}]`). */
export interface DipoleRecord {
  i: number;
  j: number;
  /** κ = (z·M·z)/(z·z). */
  kappa: number;
  /** f_ij = −φ'(r_ij). */
  force: number;
}

/** The elastic tensor as reported (./elasticTensor.ts for the definitions). */
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

/** The per-glass result: SPEC §10 keys first, then the derived quantities. */
export interface GlassMeasurement {
  N: number;
  d: number;
  /** Number density N/V (= mass density, m = 1). */
  density: number;
  boxLengths: number[];
  /** Model descriptor, `model=pss rc=1.2` (SPEC §2). */
  model: string;
  energyPerParticle: number;
  pressure: number;
  pressurePlus: number;
  pressureMinus: number;
  shearModulus: number;
  shearModulusNonaffine: number;
  bulkModulus: number;
  poissonRatio: number;
  stickiness: number;
  coordination: number;
  maxForce: number;
  /** p0 = p+ + p− (seed 001 App. A1b). */
  p0: number;
  pOverP0: number;
  pOverK: number;
  GOverK: number;
  shearModulusAffine: number;
  bulkModulusAffine: number;
  /** a0 = (V/N)^{1/d}. */
  a0: number;
  /** c_s = sqrt(G/ρ). */
  cs: number;
  /** ω0 = c_s/a0. */
  omega0: number;
  cgIterations: number;
  cgResidual: number;
  /**
   * Every linear solve and eigensolve behind these numbers, with its iterations, residual and
   * tolerance (issue 16): the moduli CG, and with modes / dipoles their solvers. A solve that does
   * not converge is refused (GlassmechError) rather than reported, so `converged` is true in every
   * result measure writes; `ensemble` refuses results where it is false.
   */
  solves: SolveReport[];
  /** True when every solve in `solves` converged. */
  converged: boolean;
  elasticTensor?: ElasticTensorReport;
  gr?: GrReport;
  /** SPEC §6.1 (with `modes`): ω = sqrt(λ) of the lowest nonzero modes, ascending. */
  frequencies?: number[];
  /** e of each mode, same order. */
  participationRatios?: number[];
  /** ‖Mv − λv‖/‖M‖ of each mode. */
  modeResiduals?: number[];
  /** First phonon frequency ω_ph = 2π c_s/L (L the largest box side). */
  omegaPh?: number;
  /**
   * SPEC §4.6 (with `modes` and `energyDecomposition`): k+, k−, f+, f− of each mode divided by
   * ω0² (seed 001 Eq. 10: their sum is (ω/ω0)²), same order as `frequencies`.
   */
  energyDecomposition?: { kPlus: number[]; kMinus: number[]; fPlus: number[]; fMinus: number[] };
  /** SPEC §6.4–6.6 (with `qlm`): the softest quartic modes, without their vectors (`glassmech qlm --out` writes those). */
  qlm?: QuarticModesSummary;
  /** SPEC §6.2 (with `dipoles`). */
  dipoles?: DipoleRecord[];
  /** ⟨κ⟩ and ⟨sqrt(κ)⟩ over this glass's dipoles. */
  kappaMean?: number;
  omegaGMean?: number;
  dipoleInfo?: DipoleInfo;
  /** SPEC §6.3 (with `decay`): c(r), r^(2d)c(r), ξ_g, ω_g = 2π c_s/ξ_g. */
  decay?: DecayReport;
  /** Seconds of the microscopic analyses. */
  microSeconds?: { factor: number; modes: number; dipoles: number; decay: number };
}

/** One solve of a measurement (see GlassMeasurement.solves). */
export interface SolveReport {
  /** What was solved: "moduli" (M⁺Ξ, SPEC §4.3), "modes" (SPEC §6.1), "dipoles" (SPEC §6.2). */
  readonly what: "moduli" | "elastic tensor" | "modes" | "dipoles";
  /** Method: "block CG", "shift-invert block Lanczos", "Cholesky" or "CG". */
  readonly method: string;
  /** Iterations (CG passes over M, Lanczos operator applications; 0 for a direct solve). */
  readonly iterations: number;
  /** Largest true relative residual (‖b − Mx‖/‖b‖, or ‖Mv − λv‖/‖M‖ for modes). */
  readonly residual: number;
  /** The residual the solver had to reach. */
  readonly tolerance: number;
  readonly converged: boolean;
}

/** Tolerances the solvers use when not told otherwise (linalg/modes.ts, observables/dipoles.ts). */
const MODES_TOL = 1e-10;
const DIPOLE_CG_TOL = 1e-10;
const DIPOLE_CHOLESKY_TOL = 1e-8;

/** How the dipoles were chosen and solved. */
export interface DipoleInfo {
  /** Interacting pairs, pairs passing the force filter, pairs excited. */
  interacting: number;
  eligible: number;
  excited: number;
  seed: number;
  forceFilter: number | null;
  solver: "cholesky" | "cg";
  blockSize: number;
  /** Largest ‖Mz − d‖/‖d‖ of the responses. */
  maxResidual: number;
  cgIterations: number;
}

/** g(r) as reported (./structure.ts for the definitions). */
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

/**
 * All macroscopic observables of one minimized glass (SPEC §4.1–4.5, §10).
 *
 * @example
 *   const m = measureGlass(config, createModel(config.model), { tensor: true });
 *   m.shearModulus; m.poissonRatio; m.elasticTensor!.voigt;
 */
export function measureGlass(config: Configuration, model: Model, options: MeasureOptions = {}, softestQlm?: (vector: Float64Array) => void): GlassMeasurement {
  const g = prepareGlass(config, model, options);
  return quarticModeObservables(g, microscopicObservables(g, macroscopicObservables(g, options), options), options, softestQlm);
}

/** The per-glass keys of the quartic modes (`qlm` in a result; SPEC §6.4–6.6). */
export interface QuarticModesSummary {
  starts: string;
  /** ω_π of the softest mode (null when no start converged). */
  softestFrequency: number | null;
  modes: Omit<QlmMode, "vector" | "coupling" | "duplicates">[];
  distinctModes: number;
  /** Starts that neither converged nor merged (never kept as modes). */
  flagged: number;
  xiQlm: number | null;
  seconds: number;
}

/**
 * Adds the quartic modes asked for in `options.qlm` to a measurement of the same prepared glass;
 * `softestQlm` receives the softest mode's unit vector (N·d, particle-major) when there is one.
 */
export function quarticModeObservables(g: PreparedGlass, m: GlassMeasurement, options: Pick<MeasureOptions, "qlm">, softestQlm?: (vector: Float64Array) => void): GlassMeasurement {
  if (options.qlm === undefined) return m;
  const t0 = performance.now();
  const res = quasilocalizedModes(g, { starts: parseStartSpec(options.qlm.starts), k: options.qlm.k });
  if (softestQlm !== undefined && res.modes.length > 0) softestQlm(Float64Array.from(res.modes[0].vector));
  m.qlm = {
    starts: res.starts,
    softestFrequency: res.modes.length > 0 ? res.modes[0].frequency : null,
    modes: res.modes.map(({ vector: _v, coupling: _c, duplicates: _d, ...rest }) => rest),
    distinctModes: res.distinctModes,
    flagged: res.flagged,
    xiQlm: res.xiQlm,
    seconds: (performance.now() - t0) / 1000,
  };
  return m;
}

/**
 * Adds the microscopic observables asked for in `options` (modes, dipoles, c(r); SPEC §6.1–6.3)
 * to a macroscopic measurement `m` of the same prepared glass (it supplies c_s, p and a0), and
 * returns it. The Hessian is factored once (pinned sparse Cholesky) and the factor serves both the
 * mode solver (shift-invert at σ = 0) and the dipole solves; with the CG dipole solver (very
 * large N) the mode solver makes its own shifted factor.
 */
export function microscopicObservables(
  g: PreparedGlass,
  m: GlassMeasurement,
  options: Omit<MeasureOptions, keyof PrepareOptions> = {},
): GlassMeasurement {
  const { config, hessian: M } = g;
  const { n, d } = config;
  const k = options.modes ?? 0;
  const decayOpt = options.decay === undefined || options.decay === false ? null : options.decay === true ? {} : options.decay;
  const nDip = options.dipoles ?? (decayOpt !== null ? DEFAULT_DECAY_DIPOLES : 0);
  if (!(Number.isInteger(k) && k >= 0)) throw new GlassmechError(`modes: number of modes must be a non-negative integer, got ${k}`);
  if (nDip !== "all" && !(Number.isInteger(nDip) && nDip >= 0)) throw new GlassmechError(`dipoles: number of dipoles must be a non-negative integer or "all", got ${nDip}`);
  if (options.energyDecomposition === true && k === 0) throw new GlassmechError("the energy decomposition is of modes: ask for modes too (--modes K)");
  if (k === 0 && nDip === 0) return m;
  const secs = { factor: 0, modes: 0, dipoles: 0, decay: 0 };
  const solver = nDip === 0 ? null : (options.solver ?? "auto") === "auto" ? autoDipoleSolver(n, d) : (options.solver as "cholesky" | "cg");
  let factor: SparseCholesky | undefined;
  const t0 = performance.now();
  // Modes alone: lowestModes factors M − σI itself (no pinning, so a rattler shows up as an extra
  // zero mode, reported or refused, rather than as a failed pivot).
  if (solver === "cholesky") {
    factor = sparseCholesky(M, { positions: config.positions, box: config.box });
    secs.factor = (performance.now() - t0) / 1000;
  }
  if (k > 0) {
    const t1 = performance.now();
    const modes = glassModes(M, k, {
      factor,
      cs: m.cs,
      boxLengths: m.boxLengths,
      allowUnstable: options.allowUnstable,
      positions: config.positions,
      box: config.box,
    });
    m.frequencies = Array.from(modes.frequencies);
    m.participationRatios = Array.from(modes.participationRatios);
    m.modeResiduals = Array.from(modes.residuals);
    m.omegaPh = modes.omegaPh;
    if (options.energyDecomposition === true) {
      const nd = n * d;
      const parts = { kPlus: [] as number[], kMinus: [] as number[], fPlus: [] as number[], fMinus: [] as number[] };
      for (let l = 0; l < modes.frequencies.length; l++) {
        const e = hessianEnergyDecomposition(g.records, n, modes.vectors.subarray(l * nd, (l + 1) * nd), m.omega0).scaled;
        parts.kPlus.push(e.kPlus);
        parts.kMinus.push(e.kMinus);
        parts.fPlus.push(e.fPlus);
        parts.fMinus.push(e.fMinus);
      }
      m.energyDecomposition = parts;
    }
    const worst = Math.max(...modes.residuals);
    // lowestModes accepts residuals up to 100·tol and throws above (linalg/modes.ts).
    m.solves.push({ what: "modes", method: "shift-invert block Lanczos", iterations: modes.iterations, residual: worst, tolerance: 100 * MODES_TOL, converged: worst <= 100 * MODES_TOL });
    secs.modes = (performance.now() - t1) / 1000;
  }
  if (nDip !== 0) {
    const t2 = performance.now();
    const seed = options.seed ?? 1;
    const ff = options.forceFilter;
    const sel = selectDipolePairs(g.records, {
      count: nDip === "all" ? undefined : nDip,
      seed,
      forceFilter: ff !== undefined ? { threshold: ff, pressure: m.pressure, a0: m.a0 } : undefined,
    });
    const acc = decayOpt !== null ? new DecayAccumulator(g.records, config.positions, config.box, decayOpt) : null;
    let decaySeconds = 0;
    const res = dipoleResponses(M, g.records, sel.pairs, {
      solver: solver ?? undefined,
      factor,
      blockSize: options.blockSize,
      cgTol: options.dipoleCgTol,
      positions: config.positions,
      box: config.box,
      onResponse:
        acc === null
          ? undefined
          : (z, index) => {
              const ta = performance.now();
              acc.add(z, sel.pairs[index]);
              decaySeconds += (performance.now() - ta) / 1000;
            },
    });
    const dip: DipoleRecord[] = [];
    let sk = 0;
    let sw = 0;
    for (let t = 0; t < res.kappa.length; t++) {
      dip.push({ i: res.i[t], j: res.j[t], kappa: res.kappa[t], force: res.force[t] });
      sk += res.kappa[t];
      sw += Math.sqrt(res.kappa[t]);
    }
    m.dipoles = dip;
    m.kappaMean = sk / dip.length;
    m.omegaGMean = sw / dip.length;
    m.dipoleInfo = {
      interacting: sel.interacting,
      eligible: sel.eligible,
      excited: dip.length,
      seed,
      forceFilter: ff ?? null,
      solver: res.solver,
      blockSize: res.blockSize,
      maxResidual: res.maxResidual,
      cgIterations: res.cgIterations,
    };
    const tol = res.solver === "cg" ? (options.dipoleCgTol ?? DIPOLE_CG_TOL) : DIPOLE_CHOLESKY_TOL;
    // The CG residual is recomputed from the responses, so it may exceed the CG's own estimate a little.
    const limit = res.solver === "cg" ? 10 * tol : tol;
    m.solves.push({ what: "dipoles", method: res.solver === "cg" ? "CG" : "Cholesky", iterations: res.cgIterations, residual: res.maxResidual, tolerance: tol, converged: res.maxResidual <= limit });
    if (acc !== null) m.decay = decayReport(acc.result(), m.cs);
    secs.factor += res.seconds.factor;
    secs.decay = decaySeconds;
    secs.dipoles = (performance.now() - t2) / 1000 - decaySeconds - res.seconds.factor;
  }
  m.microSeconds = secs;
  m.converged = m.solves.every((s) => s.converged);
  return m;
}

/** measureGlass on an already prepared glass. */
export function macroscopicObservables(g: PreparedGlass, options: Omit<MeasureOptions, keyof PrepareOptions> = {}): GlassMeasurement {
  const { config, model, summary: s } = g;
  const { d, n } = config;
  const V = config.box.volume;
  const el = elasticity(g.records, n, V, {
    tensor: options.tensor === true,
    hessian: g.hessian,
    cg: options.cg ?? { tol: DEFAULT_MODULI_CG_TOL },
    forceTolerance: Infinity,
  });
  const G = el.shearModulus;
  const K = el.bulkModulus;
  const sc = elasticScales(n, V, d, G);
  const p0 = s.pressurePlus + s.pressureMinus;
  const out: GlassMeasurement = {
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
    solves: [],
    converged: true,
  };
  const cgTol = options.cg?.tol ?? DEFAULT_MODULI_CG_TOL;
  // solveCGMultiOrThrow refuses anything above the tolerance (linalg/cg.ts).
  out.solves.push({
    what: options.tensor === true ? "elastic tensor" : "moduli",
    method: "block CG",
    iterations: el.cgIterations,
    residual: el.cgResidual,
    tolerance: cgTol,
    converged: el.cgResidual <= cgTol,
  });
  out.converged = out.solves.every((s) => s.converged);
  if (el.tensor !== null) {
    const t = el.tensor;
    const rows = (flat: Float64Array, m: number): number[][] => Array.from({ length: m }, (_, I) => Array.from(flat.subarray(I * m, (I + 1) * m)));
    const m = (d * (d + 1)) / 2;
    out.elasticTensor = {
      labels: voigtLabels(d),
      voigt: rows(toVoigt(d, t.C), m),
      full: Array.from(t.C),
      lagrangianVoigt: rows(toVoigt(d, t.lagrangian), m),
      stress: rows(t.stress, d),
      shearModulusIsotropic: isotropicShearModulus(t),
      asymmetry: t.asymmetry,
    };
    // The tensor path must agree with its own G and K (Eqs. 4–5 of elasticTensor.ts).
    const gT = shearModulusFromTensor(t);
    const kT = bulkModulusFromTensor(t);
    if (!(Math.abs(gT - G) <= 1e-8 * Math.abs(K) + 1e-300 && Math.abs(kT - K) <= 1e-8 * Math.abs(K) + 1e-300))
      throw new GlassmechError(`elastic tensor inconsistent with the moduli: G ${gT} vs ${G}, K ${kT} vs ${K} (please report)`);
  }
  if (options.gr !== undefined && options.gr !== false) {
    const go = options.gr === true ? {} : options.gr;
    const pc = pairCorrelation(config, model, { ...go, stiffnessScale: sc.omega0 * sc.omega0 });
    out.gr = {
      binWidth: pc.binWidth,
      rMax: pc.rMax,
      r: Array.from(pc.r),
      total: Array.from(pc.total),
      partials: pc.partials.map((p) => ({ label: p.label, pairs: p.pairs, g: Array.from(p.g) })),
      reduced: {
        binWidth: pc.reduced.binWidth,
        x: Array.from(pc.reduced.x),
        partials: pc.reduced.partials.map((p) => ({
          label: p.label,
          lambda: Number.isNaN(p.lambda) ? null : p.lambda,
          g: Array.from(p.g),
          phi: Array.from(p.phi),
          stiffness: Array.from(p.stiffness),
        })),
      },
      negativeStiffness: pc.negativeStiffness.map((c) => ({ label: c.label, x: c.x, stiffnessOverOmega0Sq: c.stiffness, g: c.g })),
    };
  }
  return out;
}
