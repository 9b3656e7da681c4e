import { GlassmechError } from "../core/errors.js";
import { largestCutoff, type PairCutoffs } from "./cutoffs.js";
import type { CellGrid } from "./cellGrid.js";
import { compileScan, type ScanCell } from "./compileScan.js";

/**
 * The half list of the pairs found from a range of cells [c0, c1) of a binned CellGrid: the unit
 * a Verlet list is built from. The serial VerletList scans all cells into one shard; the threaded
 * pair loop (forces/pairShards.ts) gives each thread the cells of a contiguous particle range, so
 * the threads build their lists at the same time and each runs its force loop over its own list.
 *
 * Layout (internal particle order I, see verletList.ts): the CSR part J ∈ nbr[start[I] ..
 * start[I+1]) for the particles I of the range (start has n + 1 entries, indexed by the global I;
 * entries outside the range are unused), and the side list (shiftI, shiftJ, shiftVec) of pairs
 * across the box boundary.
 */
export class ListShard {
  readonly start: Int32Array;
  nbr: Int32Array;
  shiftCount = 0;
  shiftI: Int32Array;
  shiftJ: Int32Array;
  shiftVec: Float64Array;
  /** First and one-past-last particle of the range scanned last. */
  first = 0;
  end = 0;
  private readonly counts = new Int32Array(2);

  constructor(
    readonly n: number,
    readonly d: number,
    pairsHint: number,
  ) {
    this.start = new Int32Array(n + 1);
    this.nbr = new Int32Array(Math.max(64, pairsHint));
    this.shiftI = new Int32Array(64);
    this.shiftJ = new Int32Array(64);
    this.shiftVec = new Float64Array(64 * d);
  }

  /**
   * Scans the cells [c0, c1) of `grid` (binned: cellStart and the wrapped internal positions xw)
   * with the scan kernel and the per-pair list cutoffs rl2 (see compileScan.ts).
   */
  scan(grid: CellGrid, c0: number, c1: number, kernel: ScanCell, xw: Float64Array, tI: Int32Array, sI: Float64Array, rl2: Float64Array): void {
    const counts = this.counts;
    counts[0] = 0;
    counts[1] = 0;
    const cellStart = grid.cellStart;
    const { cellSeg, bSpanFirst, bSpanEnd, shiftTable, overlapping } = grid;
    const zero = grid.zeroImage;
    this.first = cellStart[c0];
    this.end = cellStart[c1];
    this.start[this.first] = 0;
    for (let c = c0; c < c1; c++) {
      const I0 = cellStart[c];
      const I1 = cellStart[c + 1];
      if (I0 === I1) continue;
      const b = cellSeg[c];
      const { q0, q1, off, first: sF, end: sE, img: sIm } = grid.segments(c);
      // Capacity: the scan writes at most (particles here) × (candidates) entries.
      let cand: number;
      if (overlapping) {
        cand = 0;
        for (let q = q0; q < q1; q++) cand += cellStart[sE[q] + off] - cellStart[sF[q] + off];
      } else
        cand = b < 0 ? cellStart[c + grid.tmplSpanEnd] - cellStart[c + grid.tmplSpanFirst] : cellStart[bSpanEnd[b]] - cellStart[bSpanFirst[b]];
      const bound = (I1 - I0) * cand + 1;
      if (counts[0] + bound > this.nbr.length) this.growNbr(counts[0] + bound);
      if (counts[1] + bound > this.shiftI.length) this.growShift(counts[1] + bound);
      kernel(I0, I1, q0, q1, off, zero, sF, sE, sIm, cellStart, shiftTable, xw, tI, sI, rl2, this.start, this.nbr, this.shiftI, this.shiftJ, this.shiftVec, counts);
    }
    // Typed arrays drop out-of-range writes silently: make a capacity bug loud.
    if (counts[0] > this.nbr.length || counts[1] > this.shiftI.length) throw new Error("ListShard: pair capacity overflow (bug)");
    this.start[this.end] = counts[0];
    this.shiftCount = counts[1];
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

/** The scan kernel and squared list cutoffs (r_c,ab + skin)² of a build (rl2 empty unless "types"). */
export function listScan(d: number, cut: PairCutoffs, skin: number, rmax: number): { kernel: ScanCell; rl2: Float64Array } {
  // Per-pair list cutoffs: exact (r_c,ij + skin)², or the largest one when swaps may happen.
  const nt = cut.kind === "types" ? cut.ntypes : 0;
  const rl2 = new Float64Array(nt * nt);
  if (cut.kind === "types") for (let k = 0; k < nt * nt; k++) rl2[k] = (cut.radius[k] + skin) ** 2;
  const kernel =
    cut.swapSafe === true
      ? compileScan(d, "max", { rmax2: rmax * rmax })
      : cut.kind === "types"
        ? compileScan(d, "types", { nt })
        : compileScan(d, "sizes", { xc: cut.xc, na: cut.nonadditivity, skin });
  return { kernel, rl2 };
}

/**
 * Checks a build's inputs (types in range / sizes present, finite coordinates) and returns the
 * list cutoff r_max = largest pair cutoff + skin.
 */
export function checkListInputs(
  d: number,
  n: number,
  cut: PairCutoffs,
  skin: number,
  x: Float64Array,
  types: Int32Array | null,
  sizes: Float64Array | null,
): number {
  if (x.length !== n * d) throw new GlassmechError(`neighbor list: expected ${n * d} coordinates, got ${x.length}`);
  if (cut.kind === "types") {
    if (types === null || types.length !== n) throw new GlassmechError(`neighbor list: expected ${n} particle types`);
    const nt = cut.ntypes;
    for (let i = 0; i < n; i++) if (!(types[i] >= 0 && types[i] < nt)) throw new GlassmechError(`particle ${i} has type ${types[i]}, the model has ${nt} types`);
  } else if (sizes === null || sizes.length !== n) throw new GlassmechError(`neighbor list: expected ${n} particle sizes (POLY)`);
  for (let k = 0; k < n * d; k++) if (!Number.isFinite(x[k])) throw new GlassmechError(`coordinate ${k % d} of particle ${Math.floor(k / d)} is not finite`);
  return largestCutoff(cut, sizes) + skin;
}

/**
 * xs[I] = x[order[I]] − wrap[I] for I in [I0, I1) (the list's internal order, images unwrapped as
 * at the build), and whether every particle there stayed within skin/2 of its build position xw
 * (squared displacement ≤ lim = skin²/4: the Verlet rebuild rule). The whole range is always
 * written: the threaded pair loop's threads each gather their own range at once (pairShard.ts),
 * and a serial list that fails the rule rebuilds anyway (verletList.ts).
 */
export function gatherPositions(d: number, x: Float64Array, order: Int32Array, wrap: Float64Array, xw: Float64Array, xs: Float64Array, I0: number, I1: number, lim: number): boolean {
  let ok = true;
  if (d === 3) {
    for (let I = I0; I < I1; I++) {
      const o = order[I] * 3;
      const k = I * 3;
      const a = x[o] - wrap[k];
      const b = x[o + 1] - wrap[k + 1];
      const c = x[o + 2] - wrap[k + 2];
      xs[k] = a;
      xs[k + 1] = b;
      xs[k + 2] = c;
      const da = a - xw[k];
      const db = b - xw[k + 1];
      const dc = c - xw[k + 2];
      if (da * da + db * db + dc * dc > lim) ok = false;
    }
  } else {
    for (let I = I0; I < I1; I++) {
      const o = order[I] * d;
      const k = I * d;
      let s = 0;
      for (let a = 0; a < d; a++) {
        const v = x[o + a] - wrap[k + a];
        xs[k + a] = v;
        const e = v - xw[k + a];
        s += e * e;
      }
      if (s > lim) ok = false;
    }
  }
  return ok;
}
