import type { Box } from "../core/box.js";

/**
 * A cell list in fractional coordinates, for any d and any (orthorhombic or sheared) box.
 *
 * The primary cell s ∈ [0,1)^d is cut into dims[a] slabs per axis. Two points closer than r
 * differ in fractional coordinate a by at most r/w_a (w_a the perpendicular width of the box,
 * since |Δs_a| = |row a of h⁻¹ · Δx| ≤ |row a of h⁻¹|·r), hence by at most
 * reach[a] = ceil(r·dims[a]/w_a) cells. Neighbor cells are enumerated as *offsets* o with
 * |o_a| ≤ reach[a]; offset o from cell c lands in cell (c+o) mod dims with lattice image
 * floor((c+o)/dims). Distinct offsets give distinct (cell, image) pairs, so when the reach
 * exceeds the grid (small boxes) the offsets enumerate every periodic image exactly once.
 * A pair found from cell c with offset o is found from the other cell with −o: keeping the
 * lexicographically positive half of the offsets (plus the cell itself with J > I) lists every
 * unordered (pair, image) once.
 *
 * Rows: cells are numbered with the last axis fastest and particles are sorted by cell, so the
 * cells of a stencil row along the last axis hold one contiguous range of particles as long as
 * the row does not wrap. Each cell's targets are therefore *segments* [first cell, end cell)
 * with one common image: few, long inner loops, which lets cells be smaller than the cutoff
 * (fewer distance checks) at no per-cell cost. The segments depend only on the grid and the box,
 * so they are computed once per grid and reused by every build while the box is unchanged.
 */
export class CellGrid {
  readonly d: number;
  dims: Int32Array;
  reach: Int32Array;
  ncells = 0;
  /** Particles of cell c (internal order) are cellStart[c] .. cellStart[c+1]. */
  cellStart: Int32Array = new Int32Array(1);
  /**
   * Segments of cell c: q ∈ [segStart[c], segStart[c+1]); particles of segment q are
   * cellStart[segFirst[q]] .. cellStart[segEnd[q]], with image imgTable[segImg[q]·d ..] and
   * Cartesian shift shiftTable[segImg[q]·d ..] = h·img. The first segment of every cell is its
   * self row, starting at the cell itself with zero image (scanned from J = I + 1).
   */
  segStart: Int32Array = new Int32Array(1);
  segFirst: Int32Array = new Int32Array(0);
  segEnd: Int32Array = new Int32Array(0);
  segImg: Int32Array = new Int32Array(0);
  imgTable: Float64Array = new Float64Array(0);
  shiftTable: Float64Array = new Float64Array(0);
  private readonly h: Float64Array;
  private cellOf: Int32Array = new Int32Array(0);
  private key = "";

  constructor(d: number) {
    this.d = d;
    this.dims = new Int32Array(d);
    this.reach = new Int32Array(d);
    this.h = new Float64Array(d * d);
  }

  /**
   * Chooses the grid for list cutoff `r`: cells at least r/`perCutoff` wide, at most ~2n cells
   * in total (so sparse systems do not loop over empty cells), and (re)computes the segments
   * when the grid or the box changed.
   */
  setup(box: Box, n: number, r: number, perCutoff = 2): void {
    const d = this.d;
    const w = box.perpendicularWidths();
    const dims = this.dims;
    for (let a = 0; a < d; a++) dims[a] = Math.max(1, Math.floor((w[a] * perCutoff) / r));
    const maxCells = Math.max(27, 2 * n);
    for (;;) {
      let prod = 1;
      for (let a = 0; a < d; a++) prod *= dims[a];
      if (prod <= maxCells) break;
      let big = 0;
      for (let a = 1; a < d; a++) if (dims[a] > dims[big]) big = a;
      dims[big] = Math.max(1, Math.floor(dims[big] / 2));
    }
    let nc = 1;
    for (let a = 0; a < d; a++) {
      this.reach[a] = Math.ceil((r * dims[a]) / w[a]);
      nc *= dims[a];
    }
    this.ncells = nc;
    if (this.cellStart.length < nc + 1) this.cellStart = new Int32Array(nc + 1);
    const key = `${Array.from(dims)}|${Array.from(this.reach)}|${Array.from(box.h)}`;
    if (key === this.key) return;
    this.key = key;
    this.h.set(box.h);
    this.makeSegments();
  }

  /**
   * Rows of the half stencil: the self row (leading offsets 0, last-axis offsets 0..reach), then
   * every lexicographically positive leading offset with last-axis offsets −reach..reach; each
   * row of each cell is split into segments of consecutive cells with one image.
   */
  private makeSegments(): void {
    const d = this.d;
    const dl = d - 1;
    const reach = this.reach;
    const dims = this.dims;
    // Rows: leading offsets (d−1 components) and the last-axis range.
    let total = 1;
    for (let a = 0; a < dl; a++) total *= 2 * reach[a] + 1;
    const nrows = (total - 1) / 2 + 1;
    const lead = new Int32Array(nrows * dl);
    const lo = new Int32Array(nrows);
    const cur = new Int32Array(dl);
    for (let a = 0; a < dl; a++) cur[a] = -reach[a];
    let k = 1;
    for (let t = 0; t < total; t++) {
      let first = 0;
      for (let a = 0; a < dl; a++)
        if (cur[a] !== 0) {
          first = cur[a];
          break;
        }
      if (first > 0) {
        for (let a = 0; a < dl; a++) lead[k * dl + a] = cur[a];
        lo[k] = -reach[dl];
        k++;
      }
      for (let a = dl - 1; a >= 0; a--) {
        if (cur[a] < reach[a]) {
          cur[a]++;
          break;
        }
        cur[a] = -reach[a];
      }
    }
    const hi = reach[dl];
    // Image codes: img_a ∈ [−K_a, K_a] with K_a = ceil(reach_a/dims_a) + 1.
    const K = new Int32Array(d);
    let ncodes = 1;
    for (let a = 0; a < d; a++) {
      K[a] = Math.ceil(reach[a] / dims[a]) + 1;
      ncodes *= 2 * K[a] + 1;
    }
    const imgTable = new Float64Array(ncodes * d);
    const shiftTable = new Float64Array(ncodes * d);
    for (let code = 0; code < ncodes; code++) {
      let rem = code;
      for (let a = dl; a >= 0; a--) {
        const m = rem % (2 * K[a] + 1);
        rem = (rem - m) / (2 * K[a] + 1);
        imgTable[code * d + a] = m - K[a];
      }
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += this.h[a * d + b] * imgTable[code * d + b];
        shiftTable[code * d + a] = s;
      }
    }
    const nc = this.ncells;
    const segStart = new Int32Array(nc + 1);
    let cap = nc * nrows + 16;
    let segFirst = new Int32Array(cap);
    let segEnd = new Int32Array(cap);
    let segImg = new Int32Array(cap);
    const cc = new Int32Array(d);
    const img = new Int32Array(d);
    const nl = dims[dl];
    let q = 0;
    for (let c = 0; c < nc; c++) {
      segStart[c] = q;
      let rem = c;
      for (let a = dl; a >= 0; a--) {
        cc[a] = rem % dims[a];
        rem = (rem - cc[a]) / dims[a];
      }
      for (let r = 0; r < nrows; r++) {
        let base = 0;
        for (let a = 0; a < dl; a++) {
          const t = cc[a] + lead[r * dl + a];
          const m = Math.floor(t / dims[a]);
          img[a] = m;
          base = base * dims[a] + (t - m * dims[a]);
        }
        base *= nl;
        let o = lo[r];
        while (o <= hi) {
          const t0 = cc[dl] + o;
          const m = Math.floor(t0 / nl);
          const cl0 = t0 - m * nl;
          const len = Math.min(hi - o + 1, nl - cl0);
          img[dl] = m;
          if (q === cap) {
            cap *= 2;
            segFirst = grow(segFirst, cap);
            segEnd = grow(segEnd, cap);
            segImg = grow(segImg, cap);
          }
          let code = 0;
          for (let a = 0; a < d; a++) code = code * (2 * K[a] + 1) + (img[a] + K[a]);
          segFirst[q] = base + cl0;
          segEnd[q] = base + cl0 + len;
          segImg[q] = code;
          q++;
          o += len;
        }
      }
    }
    segStart[nc] = q;
    this.segStart = segStart;
    this.segFirst = segFirst;
    this.segEnd = segEnd;
    this.segImg = segImg;
    this.imgTable = imgTable;
    this.shiftTable = shiftTable;
  }

  /**
   * Bins n particles at raw positions x (original order): fills `order` (internal → original,
   * sorted by cell, stable), `rank` (its inverse), `xw` (wrapped Cartesian positions in internal
   * order) and `kOff` (integer lattice offsets k with x = xw + h·k, internal order).
   */
  bin(box: Box, x: Float64Array, n: number, order: Int32Array, rank: Int32Array, xw: Float64Array, kOff: Float64Array): void {
    const d = this.d;
    const hi = box.hInv;
    const h = box.h;
    const dims = this.dims;
    if (this.cellOf.length < n) this.cellOf = new Int32Array(n);
    const cellOf = this.cellOf;
    const cellStart = this.cellStart;
    const nc = this.ncells;
    cellStart.fill(0, 0, nc + 1);
    // kOff and xw are first filled in original order, then permuted.
    for (let i = 0; i < n; i++) {
      const io = i * d;
      let cell = 0;
      for (let a = 0; a < d; a++) {
        let t = 0;
        for (let b = 0; b < d; b++) t += hi[a * d + b] * x[io + b];
        const k = Math.floor(t);
        kOff[io + a] = k;
        // t − floor(t) can round up to 1 for tiny negative t: clamp the cell, keep k (xw = x − h·k stays consistent).
        let ca = Math.floor((t - k) * dims[a]);
        if (ca >= dims[a]) ca = dims[a] - 1;
        cell = cell * dims[a] + ca;
      }
      cellOf[i] = cell;
      cellStart[cell + 1]++;
    }
    for (let c = 0; c < nc; c++) cellStart[c + 1] += cellStart[c];
    // Stable counting sort.
    const fill = Int32Array.from(cellStart.subarray(0, nc));
    for (let i = 0; i < n; i++) {
      const I = fill[cellOf[i]]++;
      order[I] = i;
      rank[i] = I;
    }
    for (let i = 0; i < n; i++) {
      const io = i * d;
      for (let a = 0; a < d; a++) {
        let t = x[io + a];
        for (let b = 0; b < d; b++) t -= h[a * d + b] * kOff[io + b];
        xw[io + a] = t;
      }
    }
    permute(kOff, order, n, d);
    permute(xw, order, n, d);
  }
}

const scratch: Float64Array[] = [];
/** a[I] = a_old[order[I]] for blocks of d. */
function permute(a: Float64Array, order: Int32Array, n: number, d: number): void {
  const len = n * d;
  let tmp = scratch[0];
  if (tmp === undefined || tmp.length < len) tmp = scratch[0] = new Float64Array(len);
  tmp.set(a.subarray(0, len));
  for (let I = 0; I < n; I++) {
    const o = order[I] * d;
    for (let b = 0; b < d; b++) a[I * d + b] = tmp[o + b];
  }
}

function grow(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
