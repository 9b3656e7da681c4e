import type { EnergyForces } from "../forces/types.js";
import type { ThreadedVectors } from "../forces/threadedVectors.js";
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
  /**
   * Shared vectors of a threaded PairSystem (`system.vectors`, whose energyForces is this
   * minimizer's): the state then lives in them and the step's loops run on the pair loop's threads.
   */
  vectors?: ThreadedVectors | null;
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

/**
 * The vector loops of one FIRE step, on the state's own arrays (serial) or on the shared vectors
 * of a threaded PairSystem (forces/threadedVectors.ts): the same arithmetic entry by entry.
 */
interface FireLoops {
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  power(): number;
  backtrack(h: number): void;
  kick(dt: number): { vv: number; ff: number };
  /** If mix: v = (1 − a) v + c f; returns max_i |v_i|. */
  mix(mix: boolean, a: number, c: number): number;
  /** If cap: v *= sc; then xPrev = x, fPrev = f, x += dt v. */
  drift(dt: number, cap: boolean, sc: number): void;
  energyForces(): number;
  maxForce(): number;
}

class SerialFireLoops implements FireLoops {
  constructor(
    readonly s: FireState,
    readonly xPrev: Float64Array,
    readonly fPrev: Float64Array,
    private readonly ef: EnergyForces,
  ) {}

  power(): number {
    return dot(this.s.f, this.s.v, this.s.x.length);
  }

  backtrack(h: number): void {
    const { x, v } = this.s;
    for (let k = 0; k < x.length; k++) {
      x[k] -= h * v[k];
      v[k] = 0;
    }
  }

  kick(dt: number): { vv: number; ff: number } {
    const { v, f } = this.s;
    let vv = 0;
    let ff = 0;
    for (let k = 0; k < v.length; k++) {
      v[k] += dt * f[k];
      vv += v[k] * v[k];
      ff += f[k] * f[k];
    }
    return { vv, ff };
  }

  mix(mix: boolean, a: number, c: number): number {
    const { v, f, d } = this.s;
    if (mix) for (let k = 0; k < v.length; k++) v[k] = (1 - a) * v[k] + c * f[k];
    return maxParticleNorm(v, d);
  }

  drift(dt: number, cap: boolean, sc: number): void {
    const { x, v, f } = this.s;
    if (cap) for (let k = 0; k < v.length; k++) v[k] *= sc;
    this.xPrev.set(x);
    this.fPrev.set(f);
    for (let k = 0; k < x.length; k++) x[k] += dt * v[k];
  }

  energyForces(): number {
    return this.ef(this.s.x, this.s.f);
  }

  maxForce(): number {
    return maxParticleNorm(this.s.f, this.s.d);
  }
}

class ThreadedFireLoops implements FireLoops {
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;
  constructor(private readonly V: ThreadedVectors) {
    this.xPrev = V.xPrev;
    this.fPrev = V.fPrev;
  }
  power(): number {
    return this.V.power();
  }
  backtrack(h: number): void {
    this.V.backtrack(h);
  }
  kick(dt: number): { vv: number; ff: number } {
    return this.V.fireKick(dt);
  }
  mix(mix: boolean, a: number, c: number): number {
    return this.V.fireMix(mix, a, c);
  }
  drift(dt: number, cap: boolean, sc: number): void {
    this.V.fireDrift(dt, cap, sc);
  }
  energyForces(): number {
    return this.V.energyForces();
  }
  maxForce(): number {
    return this.V.maxForce();
  }
}

export class Fire implements Minimizer<FireState> {
  readonly energyForces: EnergyForces;
  readonly d: number;
  readonly params: Readonly<FireParams>;
  private xPrev = new Float64Array(0);
  private fPrev = new Float64Array(0);
  private readonly vectors: ThreadedVectors | null;
  private readonly threaded: ThreadedFireLoops | null;
  private serial: SerialFireLoops | null = null;

  constructor(energyForces: EnergyForces, d: number, options: FireOptions = {}) {
    this.energyForces = energyForces;
    this.d = d;
    this.params = fireParams(options);
    this.vectors = options.vectors ?? null;
    this.threaded = this.vectors === null ? null : new ThreadedFireLoops(this.vectors);
  }

  init(x0: Float64Array): FireState {
    checkShape(x0, this.d, "FIRE");
    const V = this.vectors !== null && this.vectors.x.length === x0.length ? this.vectors : null;
    // With shared vectors the state lives in them (see threadedVectors.ts).
    const x = V === null ? Float64Array.from(x0) : V.x;
    if (V !== null) x.set(x0);
    const f = V === null ? new Float64Array(x.length) : V.f;
    const v = V === null ? new Float64Array(x.length) : V.v.fill(0);
    const { energy, maxForce } = initialEvaluation(this.energyForces, x, f, this.d, "FIRE");
    return {
      method: "fire",
      d: this.d,
      x,
      f,
      v,
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

  /**
   * Moves a state made elsewhere (a checkpoint) into the shared vectors, in place, so that its
   * steps run threaded; a no-op without shared vectors or for a state already in them.
   */
  adopt(s: FireState): FireState {
    const V = this.vectors;
    if (V === null || s.x === V.x || V.x.length !== s.x.length) return s;
    V.x.set(s.x);
    V.f.set(s.f);
    V.v.set(s.v);
    const w = s as { x: Float64Array; f: Float64Array; v: Float64Array };
    w.x = V.x;
    w.f = V.f;
    w.v = V.v;
    return s;
  }

  private loopsFor(s: FireState): FireLoops {
    const V = this.vectors;
    if (V !== null && this.threaded !== null && s.x === V.x && s.f === V.f && s.v === V.v) return this.threaded;
    const len = s.x.length;
    if (this.xPrev.length !== len) {
      this.xPrev = new Float64Array(len);
      this.fPrev = new Float64Array(len);
    }
    if (this.serial === null || this.serial.s !== s || this.serial.xPrev !== this.xPrev) this.serial = new SerialFireLoops(s, this.xPrev, this.fPrev, this.energyForces);
    return this.serial;
  }

  step(s: FireState): FireState {
    if (s.converged) return s;
    const p = this.params;
    const { x, f, v, d } = s;
    const len = x.length;
    if (s.d !== this.d || v.length !== len || f.length !== len) throw new GlassmechError(`FIRE: state shape does not match (d = ${s.d}, ${len} coordinates)`);
    const L = this.loopsFor(s);

    // Guénolé et al. (2020) Alg. 2: adapt Δt and α from the sign of the power P = F·v.
    const P = L.power();
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
      L.backtrack(0.5 * s.dt);
    }

    // Semi-implicit Euler: v ← v + Δt F, then FIRE mixing v ← (1−α) v + α |v| F̂.
    const dt = s.dt;
    const { vv, ff } = L.kick(dt);
    const a = s.alpha;
    const vmax = L.mix(ff > 0, a, ff > 0 ? (a * Math.sqrt(vv)) / Math.sqrt(ff) : 0);
    // Displacement cap: |Δx_i| = Δt |v_i| ≤ maxStep.
    const cap = dt * vmax > p.maxStep;
    L.drift(dt, cap, cap ? p.maxStep / (dt * vmax) : 1);
    const energy = L.energyForces();
    s.energyEvaluations++;
    s.iterations++;
    const maxForce = L.maxForce();
    if (!Number.isFinite(energy) || !Number.isFinite(maxForce)) {
      // Reject: restore the last good point exactly, stop, and shrink the step.
      x.set(L.xPrev);
      f.set(L.fPrev);
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
