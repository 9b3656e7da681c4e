import type { EnergyForces } from "../forces/types.js";
import { GlassmechError } from "../core/errors.js";
import type { Minimizer, MinimizerOptions, MinimizerStateBase } from "./types.js";
import { checkShape, initialEvaluation } from "./start.js";
import { dot, maxParticleNorm } from "./vectors.js";

/**
 * FIRE energy minimization (SPEC §3.4): the Fast Inertial Relaxation Engine of Bitzek et al.,
 * PRL 97, 170201 (2006), in the FIRE 2.0 form of Guénolé et al., Comput. Mater. Sci. 175, 109584
 * (2020), Algorithm 2: semi-implicit (symplectic) Euler integration, the "initial delay" (no dt
 * decrease during the first N_min iterations) and the half-step backtrack x ← x − ½Δt v when the
 * power P = F·v turns non-positive. Masses are 1.
 *
 * Two safeguards for random starts:
 * - displacement cap: no particle moves more than `maxStep` in one iteration (velocities are
 *   scaled down to |v_i| ≤ maxStep/Δt, like LAMMPS `dmax`), so overlapping cores with forces
 *   ~1e30 do not throw particles across the box;
 * - a step that produces a non-finite energy or force is rejected: positions and forces are
 *   restored exactly, v = 0 and Δt is halved. After `maxRejections` consecutive rejections the
 *   step throws a GlassmechError.
 */
export interface FireOptions extends MinimizerOptions {
  /** Initial Δt (default 0.005, the MD time step of SPEC §3.2). */
  dtStart?: number;
  /**
   * Largest Δt (default 0.02 = 4 Δt_MD). FIRE 2.0 suggests 10 Δt_MD, but on PSS/IPL glasses
   * (N = 150–200, 2D/3D) 0.05 cost 2–10× more iterations than 0.02 to reach 1e−10: Δt beyond the
   * stability limit of the stiffest modes makes P = F·v turn negative every few steps.
   */
  dtMax?: number;
  /** Δt is never decreased below this by the P ≤ 0 rule (default 1e−4 = 0.02 Δt_MD). */
  dtMin?: number;
  /** N_min / N_delay: positive-power steps before Δt may grow (default 10; measured faster than FIRE 2.0's 20 and FIRE 1's 5 on PSS/IPL glasses). */
  nMin?: number;
  /** Δt growth factor f_inc (default 1.1). */
  fInc?: number;
  /** Δt decrease factor f_dec (default 0.5). */
  fDec?: number;
  /** Mixing parameter α_start (default 0.25, FIRE 2.0). */
  alphaStart?: number;
  /** α decay factor f_α (default 0.99). */
  fAlpha?: number;
  /** Consecutive rejected (non-finite) steps tolerated before throwing (default 60). */
  maxRejections?: number;
}

export interface FireState extends MinimizerStateBase {
  readonly method: "fire";
  /** Velocities (mass 1), n·d. */
  readonly v: Float64Array;
  /** Current Δt. */
  dt: number;
  /** Current mixing parameter α. */
  alpha: number;
  /** Consecutive iterations with P > 0. */
  nPositive: number;
  /** Consecutive rejected steps (non-finite energy or forces). */
  rejections: number;
}

interface FireParams {
  fTol: number;
  maxStep: number;
  dtStart: number;
  dtMax: number;
  dtMin: number;
  nMin: number;
  fInc: number;
  fDec: number;
  alphaStart: number;
  fAlpha: number;
  maxRejections: number;
}

function positive(name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new GlassmechError(`FIRE option ${name} must be positive and finite, got ${v}`);
  return v;
}

function fireParams(o: FireOptions): FireParams {
  const p: FireParams = {
    fTol: positive("fTol", o.fTol ?? 1e-10),
    maxStep: positive("maxStep", o.maxStep ?? 0.1),
    dtStart: positive("dtStart", o.dtStart ?? 0.005),
    dtMax: positive("dtMax", o.dtMax ?? 0.02),
    dtMin: positive("dtMin", o.dtMin ?? 1e-4),
    nMin: o.nMin ?? 10,
    fInc: o.fInc ?? 1.1,
    fDec: o.fDec ?? 0.5,
    alphaStart: o.alphaStart ?? 0.25,
    fAlpha: o.fAlpha ?? 0.99,
    maxRejections: o.maxRejections ?? 60,
  };
  if (!(Number.isInteger(p.nMin) && p.nMin >= 0)) throw new GlassmechError(`FIRE option nMin must be a non-negative integer, got ${p.nMin}`);
  if (!(p.fInc >= 1)) throw new GlassmechError(`FIRE option fInc must be ≥ 1, got ${p.fInc}`);
  if (!(p.fDec > 0 && p.fDec < 1)) throw new GlassmechError(`FIRE option fDec must be in (0, 1), got ${p.fDec}`);
  if (!(p.alphaStart > 0 && p.alphaStart < 1)) throw new GlassmechError(`FIRE option alphaStart must be in (0, 1), got ${p.alphaStart}`);
  if (!(p.fAlpha > 0 && p.fAlpha <= 1)) throw new GlassmechError(`FIRE option fAlpha must be in (0, 1], got ${p.fAlpha}`);
  if (!(p.dtMin <= p.dtStart && p.dtStart <= p.dtMax)) throw new GlassmechError(`FIRE needs dtMin ≤ dtStart ≤ dtMax, got ${p.dtMin}, ${p.dtStart}, ${p.dtMax}`);
  return p;
}

export class Fire implements Minimizer<FireState> {
  readonly energyForces: EnergyForces;
  readonly d: number;
  readonly params: Readonly<FireParams>;
  private xPrev = new Float64Array(0);
  private fPrev = new Float64Array(0);

  constructor(energyForces: EnergyForces, d: number, options: FireOptions = {}) {
    this.energyForces = energyForces;
    this.d = d;
    this.params = fireParams(options);
  }

  init(x0: Float64Array): FireState {
    checkShape(x0, this.d, "FIRE");
    const x = Float64Array.from(x0);
    const f = new Float64Array(x.length);
    const { energy, maxForce } = initialEvaluation(this.energyForces, x, f, this.d, "FIRE");
    return {
      method: "fire",
      d: this.d,
      x,
      f,
      v: new Float64Array(x.length),
      energy,
      maxForce,
      iterations: 0,
      energyEvaluations: 1,
      converged: maxForce < this.params.fTol,
      dt: this.params.dtStart,
      alpha: this.params.alphaStart,
      nPositive: 0,
      rejections: 0,
    };
  }

  step(s: FireState): FireState {
    if (s.converged) return s;
    const p = this.params;
    const { x, f, v, d } = s;
    const len = x.length;
    if (s.d !== this.d || v.length !== len || f.length !== len) throw new GlassmechError(`FIRE: state shape does not match (d = ${s.d}, ${len} coordinates)`);
    if (this.xPrev.length !== len) {
      this.xPrev = new Float64Array(len);
      this.fPrev = new Float64Array(len);
    }

    // Guénolé et al. (2020) Alg. 2: adapt Δt and α from the sign of the power P = F·v.
    const P = dot(f, v, len);
    if (P > 0) {
      s.nPositive++;
      if (s.nPositive > p.nMin) {
        s.dt = Math.min(s.dt * p.fInc, p.dtMax);
        s.alpha *= p.fAlpha;
      }
    } else {
      s.nPositive = 0;
      if (s.iterations >= p.nMin) {
        // "initial delay": no decrease during the first N_min iterations
        if (s.dt * p.fDec >= p.dtMin) s.dt *= p.fDec;
        s.alpha = p.alphaStart;
      }
      // half-step backtrack, then stop
      const h = 0.5 * s.dt;
      for (let k = 0; k < len; k++) {
        x[k] -= h * v[k];
        v[k] = 0;
      }
    }

    // Semi-implicit Euler: v ← v + Δt F, then FIRE mixing v ← (1−α) v + α |v| F̂.
    const dt = s.dt;
    let vv = 0;
    let ff = 0;
    for (let k = 0; k < len; k++) {
      v[k] += dt * f[k];
      vv += v[k] * v[k];
      ff += f[k] * f[k];
    }
    if (ff > 0) {
      const a = s.alpha;
      const c = (a * Math.sqrt(vv)) / Math.sqrt(ff);
      for (let k = 0; k < len; k++) v[k] = (1 - a) * v[k] + c * f[k];
    }
    // Displacement cap: |Δx_i| = Δt |v_i| ≤ maxStep.
    const vmax = maxParticleNorm(v, d);
    if (dt * vmax > p.maxStep) {
      const c = p.maxStep / (dt * vmax);
      for (let k = 0; k < len; k++) v[k] *= c;
    }

    const xPrev = this.xPrev;
    const fPrev = this.fPrev;
    xPrev.set(x);
    fPrev.set(f);
    for (let k = 0; k < len; k++) x[k] += dt * v[k];
    const energy = this.energyForces(x, f);
    s.energyEvaluations++;
    s.iterations++;
    const maxForce = maxParticleNorm(f, d);
    if (!Number.isFinite(energy) || !Number.isFinite(maxForce)) {
      // Reject: restore the last good point exactly, stop, and shrink the step.
      x.set(xPrev);
      f.set(fPrev);
      v.fill(0);
      s.dt *= p.fDec;
      s.alpha = p.alphaStart;
      s.nPositive = 0;
      s.rejections++;
      if (s.rejections >= p.maxRejections)
        throw new GlassmechError(
          `FIRE: energy or forces non-finite after ${s.rejections} consecutive trial steps (last energy ${energy}, Δt ${s.dt.toExponential(3)}) at iteration ${s.iterations}`,
        );
      return s;
    }
    s.rejections = 0;
    s.energy = energy;
    s.maxForce = maxForce;
    s.converged = maxForce < p.fTol;
    return s;
  }
}
