import type { PairShards } from "./pairShards.js";
import { VECTOR_OP } from "./shardVectors.js";

/**
 * The state vectors of one MD or FIRE run in shared memory, with the integrators' loops run on
 * the threads of a threaded PairSystem (`system.vectors`, null on one thread). x and f are the
 * pair loop's own input and output, so a step copies nothing. One run at a time per system: MD
 * copies its state in and out around each `run` call; a FIRE state lives in these arrays.
 *
 * The loops do the serial loops' arithmetic entry by entry (shardVectors.ts); sums are combined in
 * thread order, so runs are bit-identical at a fixed thread count.
 */
export class ThreadedVectors {
  readonly x: Float64Array;
  readonly f: Float64Array;
  readonly v: Float64Array;
  readonly xPrev: Float64Array;
  readonly fPrev: Float64Array;

  constructor(
    private readonly engine: PairShards,
    /** U at x into f (the owning PairSystem's energyForces). */
    private readonly evaluate: (x: Float64Array, f: Float64Array) => number,
  ) {
    const s = engine.sharedVectors;
    this.x = s.x;
    this.f = s.f;
    this.v = s.v;
    this.xPrev = s.xPrev;
    this.fPrev = s.fPrev;
  }

  get threads(): number {
    return this.engine.threads;
  }

  /** U at x; f = −∇U. */
  energyForces(): number {
    return this.evaluate(this.x, this.f);
  }

  /** max_i |f_i| after the last energyForces (as minimize/vectors.maxParticleNorm). */
  maxForce(): number {
    return this.engine.lastMaxForce();
  }

  /** v += h f; x += dt v. */
  kickDrift(h: number, dt: number): void {
    this.engine.vector(VECTOR_OP.kickDrift, h, dt);
  }

  /** v += h f; returns Σ v². */
  kickSquare(h: number): number {
    return this.engine.vector(VECTOR_OP.kickSquare, h);
  }

  /** v *= c. */
  scaleV(c: number): void {
    this.engine.vector(VECTOR_OP.scaleV, c);
  }

  /** F·v. */
  power(): number {
    return this.engine.vector(VECTOR_OP.dotFV);
  }

  /** x −= h v; v = 0 (FIRE's half-step backtrack). */
  backtrack(h: number): void {
    this.engine.vector(VECTOR_OP.backtrack, h);
  }

  /** v += dt f; returns Σ v² and Σ f². */
  fireKick(dt: number): { vv: number; ff: number } {
    const vv = this.engine.vector(VECTOR_OP.fireKick, dt);
    return { vv, ff: this.engine.partial(1, "sum") };
  }

  /** If mix: v = (1 − a) v + c f; returns max_i |v_i|. */
  fireMix(mix: boolean, a: number, c: number): number {
    return Math.sqrt(this.engine.vector(VECTOR_OP.fireMix, mix ? 1 : 0, a, c, "max"));
  }

  /** If cap: v *= s; then xPrev = x, fPrev = f, x += dt v. */
  fireDrift(dt: number, cap: boolean, s: number): void {
    this.engine.vector(VECTOR_OP.fireDrift, dt, cap ? 1 : 0, s);
  }
}
