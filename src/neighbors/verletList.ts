import type { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import { largestCutoff, type PairCutoffs } from "./cutoffs.js";
import { CellGrid } from "./cellGrid.js";
import { compileScan } from "./compileScan.js";

/**
 * A Verlet (neighbor) list with skin, built from a cell list, for any d and any periodic box.
 *
 * What it holds: every pair (I, J, image) whose separation is below its list cutoff
 * r_c,ij + skin at build time, each unordered pair once (a half list). Pairs are stored in an
 * *internal order* I (particles sorted by cell, so neighbors are close in memory); `order[I]` is
 * the original index and `rank[i]` its inverse. A pair's separation vector is
 *     r_IJ = x_J − x_I + shift,
 * with x the raw (unwrapped) positions passed to `build`, and `shift` a lattice vector h·m fixed
 * at build time. Pairs with m = 0 (the vast majority) sit in a CSR half list `start`/`nbr` and
 * need no image arithmetic in the force loop; pairs with m ≠ 0 sit in a short side list
 * `shiftI`, `shiftJ`, `shiftVec`.
 *
 * Small boxes: every periodic image within the list cutoff is found, so in a box narrower than
 * twice the cutoff a pair may appear several times with different shifts, and a particle may
 * pair with its own image (I = J, shift ≠ 0; such a pair contributes energy and virial but no
 * force). This equals a brute-force all-images search (tested).
 *
 * Rebuild rule: the list stays valid while no particle has moved more than skin/2 from its
 * position at the last build (then no pair can have crossed from r ≥ r_c + skin to r < r_c).
 * Positions may leave the box (minimizers do not wrap): the shifts absorb the lattice offsets.
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
  /** CSR half list of pairs without image shift: J ∈ nbr[start[I] .. start[I+1]). */
  readonly start: Int32Array;
  nbr: Int32Array;
  /** Pairs with an image shift: (shiftI[p], shiftJ[p]), r = x_J − x_I + shiftVec[p*d ..]. */
  shiftCount = 0;
  shiftI: Int32Array;
  shiftJ: Int32Array;
  shiftVec: Float64Array;

  /** Positions at the last build, in internal order. */
  readonly xBuild: Float64Array;
  /** Number of builds so far (for tests and benchmarks). */
  builds = 0;
  private valid = false;
  private readonly grid: CellGrid;
  /** Types / sizes at the last build (internal order), to detect swaps when filtering with exact cutoffs. */
  private readonly typesBuild: Int32Array;
  private readonly sizesBuild: Float64Array;
  /** Scratch: internal wrapped positions and integer lattice offsets. */
  private readonly xw: Float64Array;
  private readonly kOff: Float64Array;
  private readonly tI: Int32Array;
  private readonly sI: Float64Array;
  private readonly counts = new Int32Array(2);

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
    this.start = new Int32Array(n + 1);
    this.nbr = new Int32Array(Math.max(64, n * 8));
    this.shiftI = new Int32Array(64);
    this.shiftJ = new Int32Array(64);
    this.shiftVec = new Float64Array(64 * this.d);
    this.xBuild = new Float64Array(n * this.d);
    this.xw = new Float64Array(n * this.d);
    this.kOff = new Float64Array(n * this.d);
    this.tI = new Int32Array(n);
    this.sI = new Float64Array(n);
    this.typesBuild = new Int32Array(n);
    this.sizesBuild = new Float64Array(n);
    this.grid = new CellGrid(this.d);
  }

  get box(): Box {
    return this.boxValue;
  }

  /** Changes the box (e.g. after an affine strain); the next `update` rebuilds. */
  setBox(box: Box): void {
    if (box.d !== this.d) throw new GlassmechError(`new box is ${box.d}-dimensional, the neighbor list is ${this.d}-dimensional`);
    this.boxValue = box;
    this.valid = false;
  }

  /** Forces a rebuild at the next `update`. */
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
   * Brings the list up to date for positions x and gathers x, types and sizes into internal
   * order (xs[I] = x[order[I]], …) for the pair loops, in one pass. Returns true when it rebuilt.
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
   * Gathers into internal order while checking the rebuild rule; false (early) as soon as a
   * particle moved more than skin/2 since the build, or a type/size changed (exact filtering).
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
    const xb = this.xBuild;
    const lim = 0.25 * this.skin * this.skin;
    if (d === 3) {
      for (let I = 0; I < n; I++) {
        const o = order[I] * 3;
        const k = I * 3;
        const a = x[o];
        const b = x[o + 1];
        const c = x[o + 2];
        xs[k] = a;
        xs[k + 1] = b;
        xs[k + 2] = c;
        const da = a - xb[k];
        const db = b - xb[k + 1];
        const dc = c - xb[k + 2];
        if (da * da + db * db + dc * dc > lim) return false;
      }
    } else {
      for (let I = 0; I < n; I++) {
        const o = order[I] * d;
        const k = I * d;
        let s = 0;
        for (let a = 0; a < d; a++) {
          const v = x[o + a];
          xs[k + a] = v;
          const t = v - xb[k + a];
          s += t * t;
        }
        if (s > lim) return false;
      }
    }
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
    if (x.length !== n * d) throw new GlassmechError(`neighbor list: expected ${n * d} coordinates, got ${x.length}`);
    const cut = this.cutoffs;
    if (cut.kind === "types") {
      if (types === null || types.length !== n) throw new GlassmechError(`neighbor list: expected ${n} particle types`);
      const nt = cut.ntypes;
      for (let i = 0; i < n; i++)
        if (!(types[i] >= 0 && types[i] < nt)) throw new GlassmechError(`particle ${i} has type ${types[i]}, the model has ${nt} types`);
    } else if (sizes === null || sizes.length !== n) throw new GlassmechError(`neighbor list: expected ${n} particle sizes (POLY)`);
    for (let k = 0; k < n * d; k++) if (!Number.isFinite(x[k])) throw new GlassmechError(`coordinate ${k % d} of particle ${Math.floor(k / d)} is not finite`);

    const box = this.boxValue;
    const skin = this.skin;
    const rmax = largestCutoff(cut, sizes) + skin;
    const grid = this.grid;
    grid.setup(box, n, rmax, Number(process.env.GM_PERCUT ?? 2));
    grid.bin(box, x, n, this.order, this.rank, this.xw, this.kOff);

    const order = this.order;
    const start = this.start;
    // Per-pair list cutoffs: exact (r_c,ij + skin)², or the largest one when swaps may happen.
    const swapSafe = cut.swapSafe === true;
    const rmax2 = rmax * rmax;
    const nt = cut.kind === "types" ? cut.ntypes : 0;
    const rl2 = new Float64Array(nt * nt);
    if (cut.kind === "types") for (let k = 0; k < nt * nt; k++) rl2[k] = (cut.radius[k] + skin) ** 2;
    const scan = swapSafe
      ? compileScan(d, "max", { rmax2 })
      : cut.kind === "types"
        ? compileScan(d, "types", { nt })
        : compileScan(d, "sizes", { xc: cut.xc, na: cut.nonadditivity, skin });
    // Internal copies of the per-particle data used by the filter.
    const tI = this.tI;
    const sI = this.sI;
    if (types !== null) for (let I = 0; I < n; I++) tI[I] = types[order[I]];
    if (sizes !== null) for (let I = 0; I < n; I++) sI[I] = sizes[order[I]];

    const counts = this.counts;
    counts[0] = 0;
    counts[1] = 0;
    const ncells = grid.ncells;
    const cellStart = grid.cellStart;
    const { segStart, segFirst, segEnd, segImg, imgTable, shiftTable } = grid;
    for (let c = 0; c < ncells; c++) {
      const I0 = cellStart[c];
      const I1 = cellStart[c + 1];
      if (I0 === I1) continue;
      const q0 = segStart[c];
      const q1 = segStart[c + 1];
      // Capacity: at most (particles here) × (candidates in the segments) new pairs.
      let cand = 0;
      for (let q = q0; q < q1; q++) cand += cellStart[segEnd[q]] - cellStart[segFirst[q]];
      const bound = (I1 - I0) * cand;
      if (counts[0] + bound > this.nbr.length) this.growNbr(counts[0] + bound);
      if (counts[1] + bound > this.shiftI.length) this.growShift(counts[1] + bound);
      scan(I0, I1, q0, q1, segFirst, segEnd, segImg, cellStart, imgTable, shiftTable, this.xw, this.kOff, tI, sI, rl2, box.h, start, this.nbr, this.shiftI, this.shiftJ, this.shiftVec, counts);
    }
    const count = counts[0];
    const scount = counts[1];
    start[n] = count;
    this.shiftCount = scount;
    // Reference state of the rebuild rule, in internal order.
    const xb = this.xBuild;
    for (let I = 0; I < n; I++) for (let a = 0; a < d; a++) xb[I * d + a] = x[order[I] * d + a];
    this.typesBuild.set(tI);
    this.sizesBuild.set(sI);
    this.valid = true;
    this.builds++;
  }

  private growNbr(need: number): void {
    const next = new Int32Array(Math.max(need, this.nbr.length * 2));
    next.set(this.nbr);
    this.nbr = next;
  }

  private growShift(need: number): void {
    const cap = Math.max(need, this.shiftI.length * 2);
    const i = new Int32Array(cap);
    i.set(this.shiftI);
    const j = new Int32Array(cap);
    j.set(this.shiftJ);
    const v = new Float64Array(cap * this.d);
    v.set(this.shiftVec);
    this.shiftI = i;
    this.shiftJ = j;
    this.shiftVec = v;
  }
}
