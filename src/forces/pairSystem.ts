import type { Box } from "../core/box.js";
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import type { Model } from "../models/types.js";
import { VerletList } from "../neighbors/verletList.js";
import { compilePairLoops, type CompiledLoops, type KernelBinding } from "./compileLoop.js";
import { genericEnergy, genericEnergyForces, type PairLoopData } from "./genericLoop.js";
import { PairShards } from "./pairShards.js";
import { ThreadedVectors } from "./threadedVectors.js";
import { measurePairs, pairRecords, type PairSummary } from "./measure.js";
import { pairCutoffs, pairTables, type PairTables } from "./pairTables.js";
import type { EnergyForces, PairRecords } from "./types.js";

export type { PairSummary } from "./measure.js";

export interface PairSystemOptions {
  /** Verlet skin (default 0.3, reduced length units). */
  skin?: number;
  /**
   * Filter neighbor pairs with the largest cutoff of the model, so that exchanging types or
   * sizes between particles (swap Monte Carlo) never invalidates the list (default false: exact
   * per-pair cutoffs, and any change of types/sizes triggers a rebuild).
   */
  swapSafe?: boolean;
  /**
   * Which energy/force loop to run (benchmarks and tests): "compiled" (default: one specialized
   * loop per model with the best kernel binding, see compileLoop.ts), a specific binding
   * ("inline", "source", "closure"), or "generic" (the readable reference loop).
   */
  loop?: "compiled" | KernelBinding | "generic";
  /**
   * Threads for energy and forces (default 1: the serial loop). With T ≥ 2 the pair loop runs on
   * T threads sharing memory (pairShards.ts): bit-identical for a fixed T, last-bit differences
   * between thread counts. Pair observables (measure, records) stay serial. Call `close()` when
   * done (unclosed workers are stopped when the system is garbage-collected, and never keep the
   * process alive).
   */
  threads?: number;
}

/**
 * Energy, forces and pair observables of one configuration's particles under one model: the
 * single pair loop of the project (SPEC §1, §4.1, §4.4), driven by a Verlet list (skin, automatic
 * rebuild; see neighbors/verletList.ts for the small-box and unwrapped-position rules).
 *
 * Positions are passed to every call (minimizers and integrators own them; they may drift out of
 * the box). Types, and for POLY the sizes, are read from `config.types` / `config.sizes` by
 * reference at every call, so swap moves that edit those arrays are seen.
 *
 * ```ts
 * const sys = new PairSystem(config, createModel(config.model));
 * const f = new Float64Array(config.n * config.d);
 * const U = sys.energyForces(config.positions, f);
 * const { pressure, stress } = sys.measure(config.positions);
 * ```
 */
export class PairSystem {
  readonly d: number;
  readonly n: number;
  readonly model: Model;
  /** Bound `energyForces`, for minimizers and integrators. */
  readonly energyForcesFn: EnergyForces;

  private readonly list: VerletList;
  private readonly tables: PairTables;
  private readonly loops: CompiledLoops | null;
  private readonly types: Int32Array;
  private readonly sizes: Float64Array | null;
  private readonly usesSizes: boolean;
  private readonly xs: Float64Array;
  private readonly fs: Float64Array;
  private readonly tI: Int32Array;
  private readonly sI: Float64Array;
  private readonly data: PairLoopData;
  private readonly shards: PairShards | null;
  /**
   * With T ≥ 2 threads: shared state vectors whose loops run on the same threads, for the MD
   * integrator and FIRE (`new MolecularDynamics(sys.energyForcesFn, { vectors: sys.vectors })`,
   * `minimize(…, { vectors: sys.vectors })`); null on one thread.
   */
  readonly vectors: ThreadedVectors | null;

  constructor(config: Configuration, model: Model, options: PairSystemOptions = {}) {
    const { d, n } = config;
    if (config.box.d !== d) throw new GlassmechError(`PairSystem: box is ${config.box.d}-dimensional, configuration ${d}-dimensional`);
    this.d = d;
    this.n = n;
    this.model = model;
    this.tables = pairTables(model);
    this.usesSizes = model.scales.kind === "sizes";
    this.types = config.types;
    this.sizes = config.sizes;
    if (this.usesSizes && (config.sizes === null || config.sizes.length !== n))
      throw new GlassmechError(`model ${model.name} needs per-particle sizes (config.sizes) for all ${n} particles`);
    if (!this.usesSizes && config.types.length !== n) throw new GlassmechError(`PairSystem: expected ${n} particle types, got ${config.types.length}`);
    this.list = new VerletList(n, config.box, pairCutoffs(model, options.swapSafe ?? false), { skin: options.skin });
    this.xs = new Float64Array(n * d);
    this.fs = new Float64Array(n * d);
    this.tI = new Int32Array(n);
    this.sI = new Float64Array(n);
    const loop = options.loop ?? "compiled";
    this.loops = loop === "generic" ? null : compilePairLoops(model.name, model.reduced, this.tables, d, loop === "compiled" ? undefined : loop);
    this.data = { d, n, list: this.list, xs: this.xs, tI: this.tI, sI: this.sI, tables: this.tables, reduced: model.reduced };
    this.energyForcesFn = (x, forces) => this.energyForces(x, forces);
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new GlassmechError(`PairSystem: threads must be a positive integer, got ${threads}`);
    if (threads > 1 && loop !== "compiled") throw new GlassmechError(`PairSystem: the '${loop}' loop runs on one thread only`);
    this.shards =
      threads > 1 ? new PairShards({ d, n, box: config.box, model, cutoffs: pairCutoffs(model, options.swapSafe ?? false), skin: this.list.skin, threads }) : null;
    this.vectors = this.shards === null ? null : new ThreadedVectors(this.shards, this.energyForcesFn);
  }

  get box(): Box {
    return this.list.box;
  }

  /** Replaces the box (after an affine strain of box and positions); forces a neighbor rebuild. */
  setBox(box: Box): void {
    this.list.setBox(box);
    this.shards?.setBox(box);
  }

  /** Threads of the energy/force loop. */
  get threads(): number {
    return this.shards?.threads ?? 1;
  }

  /** Stops the worker threads of a threaded system (a no-op for one thread). */
  close(): void {
    this.shards?.close();
  }

  /** Verlet skin in use. */
  get skin(): number {
    return this.list.skin;
  }

  /** Number of neighbor-list builds so far. */
  get rebuilds(): number {
    return this.shards?.builds ?? this.list.builds;
  }

  /**
   * The positions the neighbor list was last built at (a copy), or null when the next evaluation
   * rebuilds anyway (never built, invalidated). A checkpoint that stores them can restore the
   * identical list with `rebuildListAt`, so a resumed run sums pairs in the same order (and
   * rounds the same) as an uninterrupted one.
   */
  listPositions(): Float64Array | null {
    const owner = this.shards ?? this.list;
    return owner.builtAt === null || !owner.isValid ? null : Float64Array.from(owner.builtAt);
  }

  /** Builds the neighbor list at positions x now (see listPositions). */
  rebuildListAt(x: Float64Array): void {
    if (this.shards !== null) {
      this.shards.rebuildAt(x, this.usesSizes ? null : this.types, this.usesSizes ? this.sizes : null);
      return;
    }
    this.list.invalidate();
    this.prepare(x);
  }

  /** Pairs currently in the neighbor list (inside cutoff + skin at the last build). */
  get listPairCount(): number {
    return this.list.pairCount;
  }

  /** U at positions x (n·d, particle-major); fills forces = −∇U (overwritten). */
  energyForces(x: Float64Array, forces: Float64Array): number {
    if (forces.length !== this.n * this.d) throw new GlassmechError(`energyForces: forces array needs ${this.n * this.d} entries, got ${forces.length}`);
    if (this.shards !== null) return this.shards.energyForces(x, this.usesSizes ? null : this.types, this.usesSizes ? this.sizes : null, forces);
    this.prepare(x);
    const L = this.list;
    let U: number;
    if (this.loops === null) U = genericEnergyForces(this.data, this.fs);
    else {
      this.fs.fill(0);
      U = this.loops.energyForces(this.xs, this.fs, L.start, L.nbr, 0, this.n, L.shiftCount, L.shiftI, L.shiftJ, L.shiftVec, this.tI, this.sI);
    }
    this.scatter(this.fs, forces);
    return U;
  }

  /** U at positions x. */
  energy(x: Float64Array): number {
    if (this.shards !== null) return this.shards.energy(x, this.usesSizes ? null : this.types, this.usesSizes ? this.sizes : null);
    this.prepare(x);
    const L = this.list;
    return this.loops === null
      ? genericEnergy(this.data)
      : this.loops.energy(this.xs, L.start, L.nbr, 0, this.n, L.shiftCount, L.shiftI, L.shiftJ, L.shiftVec, this.tI, this.sI);
  }

  /** Energy, virial stress, p, p±, coordination, stickiness, max force (SPEC §4.1, §4.4). */
  measure(x: Float64Array): PairSummary {
    this.prepare(x);
    return measurePairs(this.data, this.list.box.volume);
  }

  /**
   * Every interacting pair with r_ij, r, φ', φ'' (forces/types.ts, SPEC §4.2), once per
   * interacting image, i ≤ j; i = j only for a particle interacting with its own image in a box
   * narrower than the cutoff (such a record adds nothing to the Hessian or Ξ, see measure.ts).
   */
  records(x: Float64Array): PairRecords {
    this.prepare(x);
    return pairRecords(this.data, this.list.order);
  }

  /** Updates the neighbor list and gathers positions, types and sizes into internal order. */
  private prepare(x: Float64Array): void {
    const { n, d } = this;
    if (x.length !== n * d) throw new GlassmechError(`PairSystem: expected ${n * d} coordinates, got ${x.length}`);
    const types = this.usesSizes ? null : this.types;
    const sizes = this.usesSizes ? this.sizes : null;
    this.list.sync(x, types, sizes, this.xs, this.tI, this.sI);
  }

  /** forces[order[I]] = fs[I]. */
  private scatter(fs: Float64Array, forces: Float64Array): void {
    const { n, d } = this;
    const order = this.list.order;
    if (d === 3) {
      for (let I = 0; I < n; I++) {
        const o = order[I] * 3;
        const k = I * 3;
        forces[o] = fs[k];
        forces[o + 1] = fs[k + 1];
        forces[o + 2] = fs[k + 2];
      }
    } else {
      for (let I = 0; I < n; I++) {
        const o = order[I] * d;
        for (let a = 0; a < d; a++) forces[o + a] = fs[I * d + a];
      }
    }
  }
}
