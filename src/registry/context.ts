import type { CGOptions } from "../linalg/cg.js";
import { sparseCholesky, type SparseCholesky } from "../linalg/cholesky.js";
import type { SolvePath } from "../linalg/solverChoice.js";
import os from "node:os";
import { checkFits, memoryBudget } from "../core/memoryBudget.js";
import { iterationsLeft } from "../linalg/lobpcg.js";
import { DEFAULT_MODES_TOL } from "../linalg/modes.js";
import { chooseSolvePath, COST_MODEL, extrapolatedFactorBytes, iterativePathBytes } from "../linalg/solverChoice.js";
import { dipoleResponses, selectDipolePairs, type DipoleResponses, type DipoleSelection, type DipoleSolver } from "../observables/dipoles.js";
import { elasticity, type Elasticity } from "../observables/elasticity.js";
import { glassModes, type GlassModes } from "../observables/modes.js";
import type { PreparedGlass } from "../observables/prepare.js";
import type { Options } from "./types.js";

/** One solve of a measurement (the `solves` key: iterations, residual, tolerance, converged). */
export interface SolveReport {
  /** What was solved: "moduli" (M⁺Ξ, SPEC §4.3), "elastic tensor", "modes" (SPEC §6.1), "dipoles" (SPEC §6.2). */
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
  /** Why this path (direct factor or iterative AMG/LOBPCG) was taken (linalg/solverChoice.ts), for modes and dipoles. */
  readonly path?: string;
}

/**
 * Default relative residual of the moduli CG solves. The moduli are quadratic forms b·M⁺·b
 * evaluated as b·x with the CG iterate x, which is exact up to the M-norm of the error:
 * relative error ≲ tol²·λ_typ/λ_min. Measured on a PSS glass of N = 10⁴: tol 1e-8 changes G and K
 * by < 1e-15 relative (vs 1e-10 / 1e-12) with 20% fewer iterations; 1e-6 gives 4e-12.
 */
export const DEFAULT_MODULI_CG_TOL = 1e-8;

/** The dipole responses of a glass with the selection they came from. */
export interface DipolePart {
  readonly selection: DipoleSelection;
  readonly responses: DipoleResponses;
  readonly seed: number;
  readonly stream: number;
}

/** Progress of a long part: stage, done, total (done + an estimate of what is left), detail. */
export type MeasureProgress = (stage: string, done: number, total: number, detail: string) => void;

/** A consumer of each dipole response as it is solved (the responses are not kept: N·d each). */
export type DipoleListener = (z: Float64Array, index: number, pair: number) => void;

/**
 * The prepared parts of one glass that observables share, each computed once on first use: the
 * strain response (moduli, and the elastic tensor when asked for, from one block CG), the pinned
 * Cholesky factor (shared by the mode solver and the dipole solves), the lowest modes and the
 * dipole responses. It also gathers the `solves` records and the seconds of the microscopic parts.
 *
 * The options it reads are those of the observables that own a part (registry entries moduli,
 * tensor, modes, dipoles): a part is configured once, by its owner's declarations.
 */
export class MeasureContext {
  /** The keys measured so far (later observables read c_s, p, a0 of the moduli). */
  readonly result: Record<string, unknown> = {};
  readonly solves: SolveReport[] = [];
  /** Seconds of the microscopic parts (the `microSeconds` key). */
  readonly seconds = { factor: 0, modes: 0, dipoles: 0, decay: 0 };
  /** Vectors an observable keeps beside the result (the softest quartic mode): a study writes each as <name>-000k.mtx. */
  readonly vectors = new Map<string, { vector: Float64Array; comment: string }>();
  private elasticityPart: Elasticity | null = null;
  private factorPart: SparseCholesky | null | undefined = undefined;
  private readonly modesPart = new Map<number, GlassModes>();
  private dipolePart: DipolePart | null = null;
  private pathPart: { path: SolvePath; reason: string } | null = null;
  private readonly listeners: { listener: DipoleListener; timed: keyof MeasureContext["seconds"] | null }[] = [];

  constructor(
    readonly glass: PreparedGlass,
    readonly options: Options,
    /** Progress of long parts (LOBPCG's iterations, with an ETA), for a command's progress bar. */
    readonly progress?: MeasureProgress,
  ) {}

  /** Threads of the factorization-free path (the modes entry's solveThreads option). */
  private solveThreads(): number {
    return (this.options.solveThreads as number | undefined) ?? 1;
  }

  /** The number that a scalar result key holds (NaN if absent). */
  value(key: string): number {
    const v = this.result[key];
    return typeof v === "number" ? v : NaN;
  }

  /** Moduli and, with options.tensor, the elastic tensor (SPEC §4.2–4.4): one block CG over the strain columns. */
  elasticity(): Elasticity {
    if (this.elasticityPart === null) {
      const { config } = this.glass;
      const tol = (this.options.cgTol as number | undefined) ?? DEFAULT_MODULI_CG_TOL;
      const cg: Omit<CGOptions, "x0"> = { tol };
      this.elasticityPart = elasticity(this.glass.records, config.n, config.box.volume, { tensor: this.options.tensor === true, hessian: this.glass.hessian, cg, forceTolerance: Infinity });
    }
    return this.elasticityPart;
  }

  /** Number of dipoles asked for (0 = none), or "all". */
  dipoleCount(): number | "all" {
    return (this.options.dipoles as number | "all" | undefined) ?? 0;
  }

  /**
   * The linear-algebra path of the modes and dipole solves (issue 15): the direct path (one
   * pinned Cholesky factor, shift-invert Lanczos) or the factorization-free one (LOBPCG and CG
   * with AMG or SSOR), as the options say (solvePath) or as the measured cost model picks for
   * these modes and solves (linalg/solverChoice.ts), with the reason.
   */
  solvePath(): { path: SolvePath; reason: string } {
    if (this.pathPart === null) {
      const asked = (this.options.solvePath as SolvePath | "auto" | undefined) ?? "auto";
      const count = this.dipoleCount();
      const { config, hessian } = this.glass;
      const solves = count === "all" ? this.glass.records.count : count;
      const modes = (this.options.modes as number | undefined) ?? 0;
      const nd = hessian.n * hessian.d;
      const budget = memoryBudget();
      const log = (line: string): void => void process.stderr.write(line + "\n");
      // A path that cannot fit is refused with its estimate before it starts, not by an out-of-memory crash (issue 15).
      const fitsIterative = (): void => checkFits(`the factorization-free path (${nd} unknowns, ${modes} modes)`, iterativePathBytes(nd, modes, this.solveThreads(), config.box), budget, "ask for fewer modes or a smaller N", log);
      if (asked === "iterative") {
        fitsIterative();
        this.pathPart = { path: "iterative", reason: "iterative path requested (solvePath)" };
      } else {
        const est = chooseSolvePath(hessian, { modes, solves, positions: config.positions, box: config.box, memoryBytes: Math.min(budget.bytes, os.totalmem() / 2) });
        if (asked === "direct" || est.path === "direct") {
          const bytes = Number.isFinite(est.directBytes) ? est.directBytes : nd > COST_MODEL.largeOrder ? extrapolatedFactorBytes(nd) : NaN;
          if (Number.isFinite(bytes)) checkFits(`the Cholesky factor (${nd} unknowns)`, bytes, budget, "use --solve-path iterative (or auto) or a smaller N", log);
        } else fitsIterative();
        this.pathPart = asked === "direct" ? { path: "direct", reason: "direct path requested (solvePath)" } : est;
      }
    }
    return this.pathPart;
  }

  /** The dipole solver of this measurement (null without dipoles): the one asked for, else the solve path's. */
  dipoleSolver(): "cholesky" | "cg" | null {
    if (this.dipoleCount() === 0) return null;
    const s = (this.options.solver as DipoleSolver | undefined) ?? "auto";
    if (s !== "auto") return s;
    return this.solvePath().path === "direct" ? "cholesky" : "cg";
  }

  /**
   * The pinned Cholesky factor of M, made once when the dipoles are solved with it; the mode
   * solver then shift-inverts with the same factor. Without it (modes alone, or CG dipoles)
   * undefined: lowestModes factors M − σI itself (no pinning, so a rattler shows up as an extra
   * zero mode, reported or refused, rather than as a failed pivot).
   */
  factor(): SparseCholesky | undefined {
    if (this.factorPart === undefined) {
      if (this.dipoleSolver() !== "cholesky") this.factorPart = null;
      else {
        const t0 = performance.now();
        const { config } = this.glass;
        this.factorPart = sparseCholesky(this.glass.hessian, { positions: config.positions, box: config.box });
        this.seconds.factor += (performance.now() - t0) / 1000;
      }
    }
    return this.factorPart ?? undefined;
  }

  /** The k lowest nonzero modes (SPEC §6.1), with ω_ph from the measured c_s. */
  modes(k: number): GlassModes {
    let m = this.modesPart.get(k);
    if (m === undefined) {
      const factor = this.factor();
      const t0 = performance.now();
      const { config } = this.glass;
      const progress = this.progress;
      const history: number[] = [];
      m = glassModes(this.glass.hessian, k, {
        onIteration:
          progress === undefined
            ? undefined
            : (it, done, worst) => {
                history.push(worst);
                const left = iterationsLeft(history, DEFAULT_MODES_TOL);
                progress(`modes (LOBPCG, ${k})`, it, Number.isFinite(left) ? it + left : NaN, `${done}/${k} converged, largest residual ${worst.toExponential(1)}`);
              },
        factor,
        path: this.solvePath().path,
        cs: this.value("cs"),
        boxLengths: this.result.boxLengths as number[],
        allowUnstable: this.options.allowUnstable === true,
        threads: this.solveThreads(),
        positions: config.positions,
        box: config.box,
      });
      this.seconds.modes += (performance.now() - t0) / 1000;
      this.modesPart.set(k, m);
    }
    return m;
  }

  /** Calls `listener` with each dipole response as it is solved; its time goes to `seconds[timed]`. */
  onDipoleResponse(listener: DipoleListener, timed: keyof MeasureContext["seconds"] | null = null): void {
    if (this.dipolePart !== null) throw new Error("onDipoleResponse after the dipoles were solved (attach it in Observable.attach)");
    this.listeners.push({ listener, timed });
  }

  /**
   * The dipole responses (SPEC §6.2) of a seeded random subset of interacting pairs (the dipoles
   * observable's options: count, seed, force filter, solver, block size, CG tolerance).
   */
  dipoles(): DipolePart {
    if (this.dipolePart === null) {
      const t0 = performance.now();
      const count = this.dipoleCount();
      const seed = (this.options.seed as number | undefined) ?? 1;
      const stream = (this.options.stream as number | undefined) ?? 0;
      const ff = this.options.forceFilter as number | undefined;
      const { config, records, hessian } = this.glass;
      const selection = selectDipolePairs(records, {
        count: count === "all" ? undefined : count,
        seed,
        stream,
        forceFilter: ff !== undefined ? { threshold: ff, pressure: this.value("pressure"), a0: this.value("a0") } : undefined,
      });
      const factor = this.factor();
      const listenerSeconds = { factor: 0, modes: 0, dipoles: 0, decay: 0 };
      const responses = dipoleResponses(hessian, records, selection.pairs, {
        solver: this.dipoleSolver() ?? undefined,
        factor,
        blockSize: this.options.blockSize as number | undefined,
        cgTol: this.options.dipoleCgTol as number | undefined,
        positions: config.positions,
        box: config.box,
        onResponse:
          this.listeners.length === 0
            ? undefined
            : (z, index) => {
                for (const { listener, timed } of this.listeners) {
                  const ta = performance.now();
                  listener(z, index, selection.pairs[index]);
                  if (timed !== null) listenerSeconds[timed] += (performance.now() - ta) / 1000;
                }
              },
      });
      let inListeners = 0;
      for (const [k, v] of Object.entries(listenerSeconds)) {
        this.seconds[k as keyof typeof listenerSeconds] += v;
        inListeners += v;
      }
      this.seconds.factor += responses.seconds.factor;
      this.seconds.dipoles += (performance.now() - t0) / 1000 - inListeners - responses.seconds.factor;
      this.dipolePart = { selection, responses, seed, stream };
    }
    return this.dipolePart;
  }
}
