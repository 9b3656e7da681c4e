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
/**
 * The segments of one cell, as `CellGrid.segments` selects them: q ∈ [q0, q1) covers cells
 * first[q] + off .. end[q] + off with image code img[q]; q0 is the self row.
 */
export interface CellSegments {
  q0: number;
  q1: number;
  off: number;
  first: Int32Array;
  end: Int32Array;
  img: Int32Array;
}

export class CellGrid {
  readonly d: number;
  dims: Int32Array;
  reach: Int32Array;
  ncells = 0;
  /** Particles of cell c (internal order) are cellStart[c] .. cellStart[c+1]. */
  cellStart: Int32Array = new Int32Array(1);
  /**
   * Segments of cell c, in one of two forms (memory stays O(boundary cells), not O(cells × rows)):
   * - interior cells (cellSeg[c] = −1; no target wraps): the shared template, segment q of
   *   nTemplate covering cells c + tmplFirst[q] .. c + tmplEnd[q] with zero image;
   * - boundary cells (cellSeg[c] = b ≥ 0): segments q ∈ [bSegStart[b], bSegStart[b+1]) covering
   *   cells segFirst[q] .. segEnd[q] with image code segImg[q].
   * A segment's particles are cellStart[first] .. cellStart[end]; its Cartesian shift is
   * shiftTable[code·d ..] = h·img (code `zeroImage` for img = 0). The first segment of every cell
   * is its self row, starting at the cell itself with zero image (scanned from J = I + 1).
   */
  cellSeg: Int32Array = new Int32Array(0);
  nTemplate = 0;
  tmplFirst: Int32Array = new Int32Array(0);
  tmplEnd: Int32Array = new Int32Array(0);
  tmplImg: Int32Array = new Int32Array(0);
  bSegStart: Int32Array = new Int32Array(1);
  segFirst: Int32Array = new Int32Array(0);
  segEnd: Int32Array = new Int32Array(0);
  segImg: Int32Array = new Int32Array(0);
  /**
   * All segments of a cell lie within a span of cells (interior: c + tmplSpanFirst ..
   * c + tmplSpanEnd; boundary cell b: bSpanFirst[b] .. bSpanEnd[b]). Unless `overlapping`, no cell
   * appears in two segments of one cell, so the particles of the span bound the candidates. In
   * small boxes (2·reach + 1 > dims on some axis) one cell appears in several segments with
   * different images.
   */
  tmplSpanFirst = 0;
  tmplSpanEnd = 0;
  bSpanFirst: Int32Array = new Int32Array(0);
  bSpanEnd: Int32Array = new Int32Array(0);
  overlapping = false;
  zeroImage = 0;
  shiftTable: Float64Array = new Float64Array(0);
  private readonly h: Float64Array;
  private cellOf: Int32Array = new Int32Array(0);
  private wrapOriginal: Float64Array = new Float64Array(0);
  private fill: Int32Array = new Int32Array(0);
  private keyDims = new Int32Array(0);
  private keyReach = new Int32Array(0);

  private readonly selected: CellSegments = { q0: 0, q1: 0, off: 0, first: this.tmplFirst, end: this.tmplEnd, img: this.tmplImg };

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
    if (this.sameGrid(box)) return;
    this.h.set(box.h);
    this.keyDims = Int32Array.from(dims);
    this.keyReach = Int32Array.from(this.reach);
    this.makeSegments();
  }

  /**
   * The segments of cell c: the template shifted by c for interior cells, the cell's own for
   * boundary cells. Returns one scratch object, overwritten by the next call.
   */
  segments(c: number): CellSegments {
    const b = this.cellSeg[c];
    const sel = this.selected;
    const interior = b < 0;
    sel.q0 = interior ? 0 : this.bSegStart[b];
    sel.q1 = interior ? this.nTemplate : this.bSegStart[b + 1];
    sel.off = interior ? c : 0;
    sel.first = interior ? this.tmplFirst : this.segFirst;
    sel.end = interior ? this.tmplEnd : this.segEnd;
    sel.img = interior ? this.tmplImg : this.segImg;
    return sel;
  }

  /** True when the segments of the last setup still apply (same grid, same cell matrix). */
  private sameGrid(box: Box): boolean {
    const d = this.d;
    if (this.keyDims.length !== d) return false;
    for (let a = 0; a < d; a++) if (this.keyDims[a] !== this.dims[a] || this.keyReach[a] !== this.reach[a]) return false;
    for (let k = 0; k < d * d; k++) if (this.h[k] !== box.h[k]) return false;
    return true;
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
    const shiftTable = new Float64Array(ncodes * d);
    const m = new Int32Array(d);
    let zero = 0;
    for (let a = 0; a < d; a++) zero = zero * (2 * K[a] + 1) + K[a];
    for (let code = 0; code < ncodes; code++) {
      let rem = code;
      for (let a = dl; a >= 0; a--) {
        const v = rem % (2 * K[a] + 1);
        rem = (rem - v) / (2 * K[a] + 1);
        m[a] = v - K[a];
      }
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += this.h[a * d + b] * m[b];
        shiftTable[code * d + a] = s;
      }
    }
    const nc = this.ncells;
    const nl = dims[dl];
    // Template (interior cells): row r covers c + delta_r + lo_r .. c + delta_r + hi.
    const tmplFirst = new Int32Array(nrows);
    const tmplEnd = new Int32Array(nrows);
    for (let r = 0; r < nrows; r++) {
      let delta = 0;
      for (let a = 0; a < dl; a++) delta = delta * dims[a] + lead[r * dl + a];
      delta *= nl;
      tmplFirst[r] = delta + lo[r];
      tmplEnd[r] = delta + hi + 1;
    }
    let spanF = 0;
    let spanE = 0;
    for (let r = 0; r < nrows; r++) {
      spanF = Math.min(spanF, tmplFirst[r]);
      spanE = Math.max(spanE, tmplEnd[r]);
    }
    // Boundary cells: explicit segments, split where a row wraps.
    const cellSeg = new Int32Array(nc);
    const bStart: number[] = [0];
    const bSpanF: number[] = [];
    const bSpanE: number[] = [];
    let cap = 64;
    let segFirst = new Int32Array(cap);
    let segEnd = new Int32Array(cap);
    let segImg = new Int32Array(cap);
    const cc = new Int32Array(d);
    const img = new Int32Array(d);
    let q = 0;
    for (let c = 0; c < nc; c++) {
      let rem = c;
      for (let a = dl; a >= 0; a--) {
        cc[a] = rem % dims[a];
        rem = (rem - cc[a]) / dims[a];
      }
      let interior = true;
      for (let a = 0; a < d; a++) if (cc[a] < reach[a] || cc[a] + reach[a] >= dims[a]) interior = false;
      if (interior) {
        cellSeg[c] = -1;
        continue;
      }
      cellSeg[c] = bStart.length - 1;
      const q0 = q;
      let sf = 0;
      let se = 0;
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
          if (q === q0 || base + cl0 < sf) sf = base + cl0;
          if (q === q0 || base + cl0 + len > se) se = base + cl0 + len;
          q++;
          o += len;
        }
      }
      bStart.push(q);
      bSpanF.push(sf);
      bSpanE.push(se);
    }
    let overlapping = false;
    for (let a = 0; a < d; a++) if (2 * reach[a] + 1 > dims[a]) overlapping = true;
    this.overlapping = overlapping;
    this.cellSeg = cellSeg;
    this.nTemplate = nrows;
    this.tmplFirst = tmplFirst;
    this.tmplEnd = tmplEnd;
    this.tmplImg = new Int32Array(nrows).fill(zero);
    this.tmplSpanFirst = spanF;
    this.tmplSpanEnd = spanE;
    this.bSegStart = Int32Array.from(bStart);
    this.bSpanFirst = Int32Array.from(bSpanF);
    this.bSpanEnd = Int32Array.from(bSpanE);
    this.segFirst = segFirst;
    this.segEnd = segEnd;
    this.segImg = segImg;
    this.zeroImage = zero;
    this.shiftTable = shiftTable;
  }

  /**
   * Bins n particles at raw positions x (original order): fills `order` (internal → original,
   * sorted by cell, stable), `rank` (its inverse), `wrap` (per particle the lattice vector h·k
   * that brings it into the primary cell, internal order) and `xw` = x[order[I]] − wrap[I]
   * (computed exactly as VerletList.gather computes internal positions). The three phases are
   * public so that the threaded pair loop (forces/pairShards.ts) runs the first and the last on
   * every thread's share.
   */
  bin(box: Box, x: Float64Array, n: number, order: Int32Array, rank: Int32Array, xw: Float64Array, wrap: Float64Array): void {
    if (this.cellOf.length < n) this.cellOf = new Int32Array(n);
    if (this.wrapOriginal.length < n * this.d) this.wrapOriginal = new Float64Array(n * this.d);
    this.cellsOf(box, x, 0, n, this.cellOf, this.wrapOriginal);
    this.sortByCell(n, this.cellOf, order, rank);
    placeBinned(this.d, x, order, this.wrapOriginal, 0, n, wrap, xw);
  }

  /**
   * Phase 1 of `bin`, for the particles i ∈ [i0, i1) (original order): their cell, and the
   * lattice vector h·k that wraps them into the primary cell (wrapOriginal, original order).
   */
  cellsOf(box: Box, x: Float64Array, i0: number, i1: number, cellOf: Int32Array, wrapOriginal: Float64Array): void {
    const d = this.d;
    const hi = box.hInv;
    const h = box.h;
    const dims = this.dims;
    if (box.shape === "orthorhombic" && d === 3) {
      cellsOf3(x, i0, i1, hi, h, dims, cellOf, wrapOriginal);
      return;
    }
    const k = scratchK(d);
    const ortho = box.shape === "orthorhombic";
    for (let i = i0; i < i1; i++) {
      const io = i * d;
      let cell = 0;
      for (let a = 0; a < d; a++) {
        let t: number;
        if (ortho) t = hi[a * d + a] * x[io + a];
        else {
          t = 0;
          for (let b = 0; b < d; b++) t += hi[a * d + b] * x[io + b];
        }
        const f = Math.floor(t);
        k[a] = f;
        // t − floor(t) can round up to 1 for tiny negative t: clamp the cell (the wrapped position
        // then sits a rounding error outside the cell, which the cell reach tolerates).
        let ca = Math.floor((t - f) * dims[a]);
        if (ca >= dims[a]) ca = dims[a] - 1;
        cell = cell * dims[a] + ca;
      }
      if (ortho) for (let a = 0; a < d; a++) wrapOriginal[io + a] = h[a * d + a] * k[a];
      else
        for (let a = 0; a < d; a++) {
          let s = 0;
          for (let b = 0; b < d; b++) s += h[a * d + b] * k[b];
          wrapOriginal[io + a] = s;
        }
      cellOf[i] = cell;
    }
  }

  /** Phase 2 of `bin`: the stable counting sort by cell (cellStart, order, rank). */
  sortByCell(n: number, cellOf: Int32Array, order: Int32Array, rank: Int32Array): void {
    const nc = this.ncells;
    const cellStart = this.cellStart;
    cellStart.fill(0, 0, nc + 1);
    for (let i = 0; i < n; i++) cellStart[cellOf[i] + 1]++;
    for (let c = 0; c < nc; c++) cellStart[c + 1] += cellStart[c];
    if (this.fill.length < nc) this.fill = new Int32Array(nc);
    const fill = this.fill;
    fill.set(cellStart.subarray(0, nc));
    for (let i = 0; i < n; i++) {
      const I = fill[cellOf[i]]++;
      order[I] = i;
      rank[i] = I;
    }
  }
}

/**
 * Phase 3 of `bin`, for the internal particles I ∈ [I0, I1): wrap[I] = wrapOriginal[order[I]] and
 * xw[I] = x[order[I]] − wrap[I].
 */
export function placeBinned(d: number, x: Float64Array, order: Int32Array, wrapOriginal: Float64Array, I0: number, I1: number, wrap: Float64Array, xw: Float64Array): void {
  if (d === 3) {
    for (let I = I0; I < I1; I++) {
      const o = order[I] * 3;
      const k = I * 3;
      const w0 = wrapOriginal[o];
      const w1 = wrapOriginal[o + 1];
      const w2 = wrapOriginal[o + 2];
      wrap[k] = w0;
      wrap[k + 1] = w1;
      wrap[k + 2] = w2;
      xw[k] = x[o] - w0;
      xw[k + 1] = x[o + 1] - w1;
      xw[k + 2] = x[o + 2] - w2;
    }
    return;
  }
  for (let I = I0; I < I1; I++) {
    const o = order[I] * d;
    const k = I * d;
    for (let a = 0; a < d; a++) {
      const w = wrapOriginal[o + a];
      wrap[k + a] = w;
      xw[k + a] = x[o + a] - w;
    }
  }
}

/** `cellsOf` in a 3D orthorhombic box, unrolled (the same arithmetic). */
function cellsOf3(x: Float64Array, i0: number, i1: number, hi: Float64Array, h: Float64Array, dims: Int32Array, cellOf: Int32Array, wrap: Float64Array): void {
  const i0x = hi[0];
  const i1y = hi[4];
  const i2z = hi[8];
  const L0 = h[0];
  const L1 = h[4];
  const L2 = h[8];
  const D0 = dims[0];
  const D1 = dims[1];
  const D2 = dims[2];
  for (let i = i0; i < i1; i++) {
    const io = i * 3;
    const t0 = i0x * x[io];
    const t1 = i1y * x[io + 1];
    const t2 = i2z * x[io + 2];
    const f0 = Math.floor(t0);
    const f1 = Math.floor(t1);
    const f2 = Math.floor(t2);
    let c0 = Math.floor((t0 - f0) * D0);
    let c1 = Math.floor((t1 - f1) * D1);
    let c2 = Math.floor((t2 - f2) * D2);
    if (c0 >= D0) c0 = D0 - 1;
    if (c1 >= D1) c1 = D1 - 1;
    if (c2 >= D2) c2 = D2 - 1;
    wrap[io] = L0 * f0;
    wrap[io + 1] = L1 * f1;
    wrap[io + 2] = L2 * f2;
    cellOf[i] = (c0 * D1 + c1) * D2 + c2;
  }
}

const kScratch: Float64Array[] = [];
function scratchK(d: number): Float64Array {
  return (kScratch[d] ??= new Float64Array(d));
}

function grow(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}
