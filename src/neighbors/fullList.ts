import type { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import { VerletList } from "./verletList.js";

/**
 * A *full* neighbor list (every pair stored in the rows of both particles) for single-particle
 * Monte Carlo moves (SPEC §3.3): the energy change of moving or resizing particle i is a sum over
 * row i only.
 *
 * What it holds: for each particle i, every (j, image) with |r_ij| < `radius` at build time, where
 *     r_ij = (x_j − x_i) + shift,    shift = h·n_ij (n_ij an integer lattice vector),
 * for the caller's *unwrapped* positions x (they may drift out of the box; nothing is wrapped, so
 * a stored shift stays right while particles move). Row i is `nbr[start[rank[i]] ..
 * start[rank[i]+1])`, the shift of entry p in `shift[p*d .. p*d+d)`. Rows are stored in cell
 * order (`rank`: particle → row, `order`: row → particle), so neighboring rows are close in memory.
 *
 * Exactness: evaluated as (x_j − x_i) + shift, r_ji is the exact negation of r_ij (x_i − x_j =
 * −(x_j − x_i), and the two entries store ±(h·n)), so both rows give a pair the same energy. All
 * periodic images inside `radius` are listed, so boxes narrower than twice the radius work: a pair
 * may appear several times with different shifts, and a particle may neighbor its own images
 * (j = i, n ≠ 0; both ±n are listed).
 *
 * Construction: the half list of a VerletList (cell list, any d and box, all images; see
 * verletList.ts) with a single cutoff `radius` and no skin, expanded to both rows. The VerletList
 * pairs use wrapped internal positions xs_I = x_i − h·k_I; the integer images k_I and the shifted
 * pairs' lattice vectors m are recovered by rounding, and shift = h·(k_I − k_J + m). The build is a
 * pure function of (box, x, radius): rebuilding from the same reference positions gives the same
 * list, bit for bit (swap MC resumes from checkpoints on that).
 */
export class FullNeighborList {
  readonly d: number;
  readonly n: number;
  /** Row start per row, length n + 1. */
  readonly start: Int32Array;
  /** Particle → row. */
  readonly rank: Int32Array;
  /** Row → particle. */
  readonly order: Int32Array;
  /** Neighbor particle of each entry (caller's index). */
  nbr: Int32Array;
  /** Lattice shift of each entry (entries·d). */
  shift: Float64Array;
  /** List radius of the last build. */
  radius = 0;
  /** Number of builds. */
  builds = 0;

  private half: VerletList | null = null;
  private orthorhombic = true;
  private readonly zeros: Int32Array;
  private readonly xs: Float64Array;
  private readonly tI: Int32Array;
  private readonly sI: Float64Array;
  /** Integer image k_I of each row's particle (n·d, integer-valued doubles). */
  private readonly image: Float64Array;
  private readonly cursor: Int32Array;
  private readonly nn: Float64Array;
  private readonly tmp: Float64Array;

  constructor(n: number, d: number) {
    if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`full neighbor list: dimension must be 2, 3 or 4, got ${d}`);
    if (!Number.isInteger(n) || n < 1) throw new GlassmechError(`full neighbor list: particle count must be a positive integer, got ${n}`);
    this.d = d;
    this.n = n;
    this.start = new Int32Array(n + 1);
    this.rank = new Int32Array(n);
    this.order = new Int32Array(n);
    this.nbr = new Int32Array(Math.max(64, n * 16));
    this.shift = new Float64Array(this.nbr.length * d);
    this.zeros = new Int32Array(n);
    this.xs = new Float64Array(n * d);
    this.tI = new Int32Array(n);
    this.sI = new Float64Array(n);
    this.image = new Float64Array(n * d);
    this.cursor = new Int32Array(n);
    this.nn = new Float64Array(d);
    this.tmp = new Float64Array(d);
  }

  /** Number of stored entries (twice the number of distinct pair images). */
  get entries(): number {
    return this.start[this.n];
  }

  /** Builds the list for positions x (n·d, particle-major, unwrapped allowed) and list radius `radius`. */
  build(box: Box, x: Float64Array, radius: number): void {
    const { d, n } = this;
    if (box.d !== d) throw new GlassmechError(`full neighbor list: box is ${box.d}-dimensional, list ${d}-dimensional`);
    if (x.length !== n * d) throw new GlassmechError(`full neighbor list: expected ${n * d} coordinates, got ${x.length}`);
    if (!(radius > 0) || !Number.isFinite(radius)) throw new GlassmechError(`full neighbor list: radius must be positive and finite, got ${radius}`);
    let half = this.half;
    if (half === null || radius !== this.radius) {
      half = new VerletList(n, box, { kind: "types", ntypes: 1, radius: Float64Array.of(radius), swapSafe: true }, { skin: 0 });
      this.half = half;
    } else half.setBox(box);
    half.build(x, this.zeros, null);
    half.sync(x, this.zeros, null, this.xs, this.tI, this.sI);

    const h = box.h;
    const hi = box.hInv;
    this.orthorhombic = box.shape === "orthorhombic";
    const xs = this.xs;
    const image = this.image;
    const tmp = this.tmp;
    const nn = this.nn;
    this.order.set(half.order);
    this.rank.set(half.rank);
    const order = this.order;
    // k_I = round(h⁻¹ (x_i − xs_I)): the lattice vector the list wrapped particle i by.
    for (let I = 0; I < n; I++) {
      const io = order[I] * d;
      for (let a = 0; a < d; a++) tmp[a] = x[io + a] - xs[I * d + a];
      for (let a = 0; a < d; a++) {
        let t = 0;
        for (let b = 0; b < d; b++) t += hi[a * d + b] * tmp[b];
        image[I * d + a] = Math.round(t);
      }
    }

    // Row lengths: each half-list pair adds one entry to both rows.
    const hs = half.start;
    const hn = half.nbr;
    const sc = half.shiftCount;
    const si = half.shiftI;
    const sj = half.shiftJ;
    const sv = half.shiftVec;
    const start = this.start;
    start.fill(0);
    for (let I = 0; I < n; I++) {
      start[I + 1] += hs[I + 1] - hs[I];
      for (let p = hs[I]; p < hs[I + 1]; p++) start[hn[p] + 1]++;
    }
    for (let p = 0; p < sc; p++) {
      start[si[p] + 1]++;
      start[sj[p] + 1]++;
    }
    for (let I = 0; I < n; I++) start[I + 1] += start[I];
    const total = start[n];
    if (total > this.nbr.length) this.grow(total);
    const cursor = this.cursor;
    cursor.set(start.subarray(0, n));
    const nbr = this.nbr;
    const shift = this.shift;

    for (let I = 0; I < n; I++)
      for (let p = hs[I]; p < hs[I + 1]; p++) {
        const J = hn[p];
        for (let a = 0; a < d; a++) nn[a] = image[I * d + a] - image[J * d + a];
        this.addPair(I, J, h, nn, order, nbr, shift, cursor);
      }
    for (let p = 0; p < sc; p++) {
      const I = si[p];
      const J = sj[p];
      // m = round(h⁻¹ · shiftVec): the lattice image of the shifted pair.
      for (let a = 0; a < d; a++) {
        let t = 0;
        for (let b = 0; b < d; b++) t += hi[a * d + b] * sv[p * d + b];
        nn[a] = Math.round(t) + image[I * d + a] - image[J * d + a];
      }
      this.addPair(I, J, h, nn, order, nbr, shift, cursor);
    }
    this.radius = radius;
    this.builds++;
  }

  /** Appends (J, +h·nn) to row I and (I, −h·nn) to row J. */
  private addPair(I: number, J: number, h: Float64Array, nn: Float64Array, order: Int32Array, nbr: Int32Array, shift: Float64Array, cursor: Int32Array): void {
    const d = this.d;
    const q = cursor[I]++;
    const r = cursor[J]++;
    nbr[q] = order[J];
    nbr[r] = order[I];
    if (this.orthorhombic)
      // Same value as the general sum below (the off-diagonal terms are zeros).
      for (let a = 0; a < d; a++) {
        const s = h[a * d + a] * nn[a];
        shift[q * d + a] = s;
        shift[r * d + a] = -s;
      }
    else
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += h[a * d + b] * nn[b];
        shift[q * d + a] = s;
        shift[r * d + a] = -s;
      }
  }

  private grow(need: number): void {
    const cap = Math.max(need, this.nbr.length * 2);
    this.nbr = new Int32Array(cap);
    this.shift = new Float64Array(cap * this.d);
  }
}
