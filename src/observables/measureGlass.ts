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
import { PairSystem, type PairSummary } from "../forces/pairSystem.js";
import type { PairRecords } from "../forces/types.js";
import { assembleHessian } from "../hessian/assemble.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";
import type { CGOptions } from "../linalg/cg.js";
import { formatDescriptor } from "../models/descriptor.js";
import type { Model } from "../models/types.js";
import { elasticity } from "./elasticity.js";
import {
  bulkModulusFromTensor,
  isotropicShearModulus,
  shearModulusFromTensor,
  toVoigt,
  voigtLabels,
} from "./elasticTensor.js";
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
  elasticTensor?: ElasticTensorReport;
  gr?: GrReport;
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
export function measureGlass(config: Configuration, model: Model, options: MeasureOptions = {}): GlassMeasurement {
  return macroscopicObservables(prepareGlass(config, model, options), options);
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
  };
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
