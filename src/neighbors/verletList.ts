import type { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import type { PairCutoffs } from "./cutoffs.js";
import { CellGrid } from "./cellGrid.js";
import { checkListInputs, gatherPositions, ListShard, listScan } from "./listShard.js";

/**
 * A Verlet (neighbor) list with skin, built from a cell list, for any d and any periodic box.
 *
 * What it holds: every pair (I, J, image) whose separation is below its list cutoff
 * r_c,ij + skin at build time, each unordered pair once (a half list), in an *internal order*
 * I: particles sorted by cell, so neighbors are close in memory; `order[I]` is the caller's
 * index and `rank[i]` its inverse.
 *
 * Internal positions: `sync` gathers the caller's positions x into internal order and shifts
 * each particle by the lattice vector that wrapped it into the box at the last build,
 *     xs[I] = x[order[I]] − wrap[I]      (wrap[I] = h·k_I fixed between builds),
 * so xs stays near the primary cell even when the caller's positions drift out of the box
 * (minimizers do not wrap). A pair's separation is then
 *     r_IJ = xs[J] − xs[I] + shift,
 * with shift = 0 for the CSR half list `start`/`nbr` (the vast majority: no image arithmetic in
 * the force loop) and shift = h·m, m ≠ 0, for the short side list `shiftI`, `shiftJ`,
 * `shiftVec` of pairs interacting across the box boundary.
 *
 * Small boxes: every periodic image within the list cutoff is found, so in a box narrower than
 * twice the cutoff a pair may appear several times with different shifts, and a particle may
 * pair with its own image (I = J, shift ≠ 0; such a pair contributes energy and virial but no
 * force). This equals a brute-force all-images search (tested).
 *
 * Rebuild rule: the list stays valid while no particle has moved more than skin/2 from its
 * position at the last build (then no pair can have crossed from r ≥ r_c + skin to r < r_c).
 * Wrapping a particle by a lattice vector counts as a large move and triggers a rebuild, which is
 * correct but costs a build: integrators should not re-wrap positions every step.
 */
export class VerletList {
  readonly d: number;
  readonly n: number;
  readonly skin: number;
  readonly cutoffs: PairCutoffs;
  private boxValue: Box;

  /** Internal index → original index, and its inverse. */
  readonly order: Int32Array;
  readonly rank: Int32Array;
  /** The pairs: one shard over all cells (listShard.ts). */
  private readonly shard: ListShard;
  /** Number of builds so far (for tests and benchmarks). */
  builds = 0;
  /** The caller's positions at the last build (a copy): building again there restores this list exactly. */
  builtAt: Float64Array | null = null;

  private valid = false;
  private readonly grid: CellGrid;
  /** Internal positions at the last build (xs of that moment): the reference of the rebuild rule. */
  private readonly xw: Float64Array;
  /** Per-particle wrapping vectors h·k (internal order). */
  private readonly wrap: Float64Array;
  /** Types / sizes at the last build (internal order), to detect swaps when filtering with exact cutoffs. */
  private readonly typesBuild: Int32Array;
  private readonly sizesBuild: Float64Array;

  constructor(n: number, box: Box, cutoffs: PairCutoffs, options: { skin?: number } = {}) {
    const skin = options.skin ?? 0.3;
    if (!(skin >= 0) || !Number.isFinite(skin)) throw new GlassmechError(`neighbor-list skin must be ≥ 0 and finite, got ${skin}`);
    if (!Number.isInteger(n) || n < 1) throw new GlassmechError(`neighbor list needs a positive particle count, got ${n}`);
    this.d = box.d;
    this.n = n;
    this.skin = skin;
    this.cutoffs = cutoffs;
    this.boxValue = box;
    this.order = new Int32Array(n);
    this.rank = new Int32Array(n);
    this.shard = new ListShard(n, this.d, n * 8);
    this.xw = new Float64Array(n * this.d);
    this.wrap = new Float64Array(n * this.d);
    this.typesBuild = new Int32Array(n);
    this.sizesBuild = new Float64Array(n);
    this.grid = new CellGrid(this.d);
  }

  get box(): Box {
    return this.boxValue;
  }

  /** CSR half list of pairs without image shift: J ∈ nbr[start[I] .. start[I+1]). */
  get start(): Int32Array {
    return this.shard.start;
  }

  get nbr(): Int32Array {
    return this.shard.nbr;
  }

  /** Pairs across the boundary: (shiftI[p], shiftJ[p]), r = xs[J] − xs[I] + shiftVec[p*d ..]. */
  get shiftCount(): number {
    return this.shard.shiftCount;
  }

  get shiftI(): Int32Array {
    return this.shard.shiftI;
  }

  get shiftJ(): Int32Array {
    return this.shard.shiftJ;
  }

  get shiftVec(): Float64Array {
    return this.shard.shiftVec;
  }

  /** Changes the box (e.g. after an affine strain); the next `sync`/`update` rebuilds. */
  setBox(box: Box): void {
    if (box.d !== this.d) throw new GlassmechError(`new box is ${box.d}-dimensional, the neighbor list is ${this.d}-dimensional`);
    this.boxValue = box;
    this.valid = false;
  }

  /** False when the next `sync`/`update` rebuilds whatever the positions (never built, box changed, invalidated). */
  get isValid(): boolean {
    return this.valid;
  }

  /** Forces a rebuild at the next `sync`/`update`. */
  invalidate(): void {
    this.valid = false;
  }

  /** Number of stored pairs (unshifted + shifted). */
  get pairCount(): number {
    return this.start[this.n] + this.shiftCount;
  }

  /**
   * True when the list must be rebuilt before use at positions x: never built, box changed, a
   * particle moved more than skin/2 since the last build, or (exact filtering) types/sizes changed.
   */
  needsRebuild(x: Float64Array, types: Int32Array | null, sizes: Float64Array | null): boolean {
    if (!this.valid) return true;
    const { n, d } = this;
    return !this.gather(x, types, sizes, new Float64Array(n * d), new Int32Array(n), new Float64Array(n));
  }

  /** Rebuilds if needed; returns true when it rebuilt. */
  update(x: Float64Array, types: Int32Array | null, sizes: Float64Array | null): boolean {
    if (!this.needsRebuild(x, types, sizes)) return false;
    this.build(x, types, sizes);
    return true;
  }

  /**
   * Brings the list up to date for positions x and gathers the internal positions xs (see the
   * class comment), types tI and sizes sI for the pair loops, in one pass. Returns true when it
   * rebuilt.
   */
  sync(
    x: Float64Array,
    types: Int32Array | null,
    sizes: Float64Array | null,
    xs: Float64Array,
    tI: Int32Array,
    sI: Float64Array,
  ): boolean {
    if (this.valid && this.gather(x, types, sizes, xs, tI, sI)) return false;
    this.build(x, types, sizes);
    this.gather(x, types, sizes, xs, tI, sI);
    return true;
  }

  /**
   * Gathers into internal order while checking the rebuild rule; false when a particle moved
   * more than skin/2 since the build, or (early) a type/size changed (exact filtering).
   */
  private gather(
    x: Float64Array,
    types: Int32Array | null,
    sizes: Float64Array | null,
    xs: Float64Array,
    tI: Int32Array,
    sI: Float64Array,
  ): boolean {
    const { n, d } = this;
    const order = this.order;
    if (!gatherPositions(d, x, order, this.wrap, this.xw, xs, 0, n, 0.25 * this.skin * this.skin)) return false;
    const exact = this.cutoffs.swapSafe !== true;
    if (types !== null) {
      const tb = this.typesBuild;
      for (let I = 0; I < n; I++) {
        const t = types[order[I]];
        tI[I] = t;
        if (exact && t !== tb[I]) return false;
      }
    }
    if (sizes !== null) {
      const sb = this.sizesBuild;
      for (let I = 0; I < n; I++) {
        const v = sizes[order[I]];
        sI[I] = v;
        if (exact && v !== sb[I]) return false;
      }
    }
    return true;
  }

  /** Builds the list at positions x (original order, n·d, may lie outside the box). */
  build(x: Float64Array, types: Int32Array | null, sizes: Float64Array | null): void {
    const { d, n } = this;
    const cut = this.cutoffs;
    const rmax = checkListInputs(d, n, cut, this.skin, x, types, sizes);
    const box = this.boxValue;
    const grid = this.grid;
    grid.setup(box, n, rmax);
    grid.bin(box, x, n, this.order, this.rank, this.xw, this.wrap);
    const order = this.order;
    // Reference types / sizes (internal order): the filter reads them, gather compares with them.
    const tI = this.typesBuild;
    const sI = this.sizesBuild;
    if (types !== null) for (let I = 0; I < n; I++) tI[I] = types[order[I]];
    if (sizes !== null) for (let I = 0; I < n; I++) sI[I] = sizes[order[I]];
    const { kernel, rl2 } = listScan(d, cut, this.skin, rmax);
    this.shard.scan(grid, 0, grid.ncells, kernel, this.xw, tI, sI, rl2);
    this.valid = true;
    this.builds++;
    if (this.builtAt === null || this.builtAt.length !== x.length) this.builtAt = new Float64Array(x.length);
    this.builtAt.set(x);
  }
}
