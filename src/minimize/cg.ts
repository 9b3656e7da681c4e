import type { EnergyForces } from "../forces/types.js";
import { GlassmechError } from "../core/errors.js";
import type { Minimizer, MinimizerOptions, MinimizerStateBase } from "./types.js";
import { checkShape, initialEvaluation } from "./start.js";
import { LineSearchWorkspace, lineSearch, type LineSearchParams } from "./lineSearch.js";
import { dot, maxParticleNorm } from "./vectors.js";

/**
 * Nonlinear conjugate gradients (SPEC §3.4), Polak–Ribière+ (Nocedal & Wright, Numerical
 * Optimization, 2nd ed., Eq. 5.45): with g = −F,
 *   β = max(0, F_{k+1}·(F_{k+1} − F_k) / F_k·F_k),   p_{k+1} = F_{k+1} + β p_k,
 * restarted (β = 0) when p is not a descent direction, after n·d iterations, and when
 * successive forces are far from orthogonal (Powell: |F_{k+1}·F_k| ≥ 0.2 |F_{k+1}|²).
 * The step length comes from ./lineSearch.ts (exact energies and forces, derivative-based near
 * convergence). The first trial step is α_{k−1} φ'_{k−1}(0)/φ'_k(0) (Nocedal & Wright Eq. 3.60),
 * capped so that no particle moves more than `maxStep`.
 */
export interface CgOptions extends MinimizerOptions {
  /** Line-search curvature parameter σ (default 0.1). */
  sigma?: number;
  /** Energy evaluations allowed per line search (default 40). */
  maxLineSearch?: number;
}

export interface CgState extends MinimizerStateBase {
  readonly method: "cg";
  /** Search direction, n·d. */
  readonly p: Float64Array;
  /** Last accepted step length (0 before the first). */
  alphaPrev: number;
  /** φ'(0) of the last line search (< 0). */
  slopePrev: number;
  /** Iterations since the last steepest-descent restart. */
  sinceRestart: number;
  /** Consecutive line searches that found no acceptable point. */
  lineSearchFailures: number;
  /** True when a steepest-descent line search made no progress: the run cannot continue. */
  stalled: boolean;
}

interface CgParams {
  fTol: number;
  maxStep: number;
  lineSearch: LineSearchParams;
}

function cgParams(o: CgOptions): CgParams {
  const fTol = o.fTol ?? 1e-10;
  const maxStep = o.maxStep ?? 0.1;
  const sigma = o.sigma ?? 0.1;
  const maxEvaluations = o.maxLineSearch ?? 40;
  if (!(fTol > 0) || !Number.isFinite(fTol)) throw new GlassmechError(`CG option fTol must be positive and finite, got ${fTol}`);
  if (!(maxStep > 0) || !Number.isFinite(maxStep)) throw new GlassmechError(`CG option maxStep must be positive and finite, got ${maxStep}`);
  if (!(sigma > 0 && sigma < 1)) throw new GlassmechError(`CG option sigma must be in (0, 1), got ${sigma}`);
  if (!(Number.isInteger(maxEvaluations) && maxEvaluations >= 2)) throw new GlassmechError(`CG option maxLineSearch must be an integer ≥ 2, got ${maxEvaluations}`);
  return { fTol, maxStep, lineSearch: { sigma, maxEvaluations } };
}

export class ConjugateGradient implements Minimizer<CgState> {
  readonly energyForces: EnergyForces;
  readonly d: number;
  readonly params: Readonly<CgParams>;
  private ws = new LineSearchWorkspace(0);

  constructor(energyForces: EnergyForces, d: number, options: CgOptions = {}) {
    this.energyForces = energyForces;
    this.d = d;
    this.params = cgParams(options);
  }

  init(x0: Float64Array): CgState {
    checkShape(x0, this.d, "CG");
    const x = Float64Array.from(x0);
    const f = new Float64Array(x.length);
    const { energy, maxForce } = initialEvaluation(this.energyForces, x, f, this.d, "CG");
    return {
      method: "cg",
      d: this.d,
      x,
      f,
      p: Float64Array.from(f),
      energy,
      maxForce,
      iterations: 0,
      energyEvaluations: 1,
      converged: maxForce < this.params.fTol,
      alphaPrev: 0,
      slopePrev: 0,
      sinceRestart: 0,
      lineSearchFailures: 0,
      stalled: false,
    };
  }

  step(s: CgState): CgState {
    if (s.converged) return s;
    const { x, f, p, d } = s;
    const len = x.length;
    if (s.d !== this.d || f.length !== len || p.length !== len) throw new GlassmechError(`CG: state shape does not match (d = ${s.d}, ${len} coordinates)`);
    if (this.ws.xt.length !== len) this.ws = new LineSearchWorkspace(len);
    const ws = this.ws;

    let slope = -dot(f, p, len);
    if (!(slope < 0)) {
      p.set(f); // not a descent direction: restart along the force
      s.sinceRestart = 0;
      slope = -dot(f, f, len);
    }
    const steepest = s.sinceRestart === 0;
    const alphaMax = this.params.maxStep / maxParticleNorm(p, d);
    let alpha0 = s.alphaPrev > 0 ? (s.alphaPrev * s.slopePrev) / slope : alphaMax;
    if (!(alpha0 > 0) || !Number.isFinite(alpha0)) alpha0 = alphaMax;

    lineSearch(this.energyForces, d, x, p, s.energy, slope, alpha0, alphaMax, this.params.lineSearch, ws);
    s.energyEvaluations += ws.evaluations;
    s.iterations++;

    if (!ws.moved) {
      // Nothing acceptable along p: restart along F; if p already was F, we are stuck.
      s.lineSearchFailures++;
      if (steepest) s.stalled = true;
      p.set(f);
      s.sinceRestart = 0;
      s.alphaPrev = 0;
      return s;
    }
    s.stalled = false;
    s.lineSearchFailures = ws.ok ? 0 : s.lineSearchFailures + 1;

    // Polak–Ribière+ with restarts (fa = F_{k+1}, f = F_k).
    const fa = ws.fa;
    let ffOld = 0;
    let ffNew = 0;
    let fNewOld = 0;
    for (let k = 0; k < len; k++) {
      ffOld += f[k] * f[k];
      ffNew += fa[k] * fa[k];
      fNewOld += fa[k] * f[k];
    }
    let beta = ffOld > 0 ? Math.max(0, (ffNew - fNewOld) / ffOld) : 0;
    if (!ws.ok || s.sinceRestart + 1 >= len || Math.abs(fNewOld) >= 0.2 * ffNew || !Number.isFinite(beta)) beta = 0;
    for (let k = 0; k < len; k++) p[k] = fa[k] + beta * p[k];
    s.sinceRestart = beta === 0 ? 0 : s.sinceRestart + 1;

    x.set(ws.xa);
    f.set(fa);
    s.energy = ws.energy;
    s.maxForce = ws.maxForce;
    s.alphaPrev = ws.alpha;
    s.slopePrev = slope;
    s.converged = ws.maxForce < this.params.fTol;
    return s;
  }
}
