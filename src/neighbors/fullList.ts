import type { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import { sortRange } from "../core/partition.js";

/**
 * A *full*, incrementally maintained neighbor list for single-particle Monte Carlo moves
 * (SPEC §3.3): every pair is stored in the rows of both particles, so the energy change of moving
 * or resizing particle i is a sum over row i alone.
 *
 * Reference positions: each particle i has a reference position ref_i (the caller's array, kept
 * up to date here). The list holds exactly the pair images closer than `radius` *in reference
 * positions*:
 *     (j, n) ∈ row i  ⇔  |(ref_j − ref_i) + h·n| < radius,   (j, n) ≠ (i, 0),
 * with n an integer lattice vector; for current positions x the separation of an entry is
 *     r_ij = (x_j − x_i) + shift,   shift = h·n
 * (positions are unwrapped and never wrapped, so an entry's shift stays right while particles
 * move). If radius = r_c + skin and every particle stays within skin/2 of its reference, every
 * pair closer than r_c is listed. A Monte Carlo driver keeps that invariant by calling
 * `update(i, …)` (ref_i := current x_i) when a trial move would take i further than skin/2: only
 * row i and the rows of its old and new neighbors change. No global rebuilds are needed.
 *
 * Canonical order: each row is sorted by (j, n), so the list is a pure function of the reference
 * positions (the same whether built at once or grown by updates), and so are the pair-sum orders
 * of the kernels: a run resumed from saved reference positions is bit-identical.
 *
 * Exactness: membership and separations are evaluated as (a_j − a_i) + h·n, so the entry of row j
 * is the exact negation of that of row i (x_i − x_j = −(x_j − x_i), h·(−n) = −(h·n)): the rows
 * stay symmetric and both give a pair the same energy.
 *
 * Geometry: a cell list of the reference positions in fractional coordinates s = h⁻¹·ref (any d,
 * orthorhombic or sheared box), cells at least radius/2 wide (at most ~2n cells). ref_i sits in
 * lattice image k_i = floor(s_i) and cell c_i of s_i − k_i. Two points closer than `radius`
 * differ by at most reach_a = ceil(radius·dims_a/w_a) cells along axis a (w_a the perpendicular
 * width); an offset o ∈ [−reach, reach]^d from cell c lands in cell (c + o) mod dims with lattice
 * image m = floor((c + o)/dims), and the candidate pair image is n = m + k_i − k_j. Distinct
 * offsets give distinct (cell, image) pairs, so in small boxes (reach beyond the grid) every
 * periodic image is still found once: a pair may then appear with several n, and a particle may
 * neighbor its own images (j = i, n ≠ 0, both ±n). From j the same pair is found with −o, −m,
 * hence −n.
 *
 * Rows have a common capacity `cap` (row i is entries i·cap .. i·cap + len[i]); it grows when a
 * row overflows.
 */
export class FullNeighborList {
  readonly d: number;
  readonly n: number;
  /** Row capacity; row i holds entries [i·cap, i·cap + len[i]). */
  cap = 0;
  /** Row lengths. */
  readonly len: Int32Array;
  /** Neighbor particle of each entry. */
  nbr: Int32Array = new Int32Array(0);
  /** Integer lattice vector n of each entry (entries·d). */
  image: Int32Array = new Int32Array(0);
  /** shift = h·n of each entry (entries·d). */
  shift: Float64Array = new Float64Array(0);
  /** List radius. */
  radius = 0;
  /** Full builds and single-particle updates so far. */
  builds = 0;
  updates = 0;

  private box: Box | null = null;
  private orthorhombic = true;
  private ref: Float64Array = new Float64Array(0);
  private dims: Int32Array;
  private offsets: Int32Array = new Int32Array(0);
  private noff = 0;
  private head: Int32Array = new Int32Array(0);
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly cellOf: Int32Array;
  /** Lattice image k_i of each reference position (n·d). */
  private readonly kimg: Int32Array;
  // Query scratch: entries (qj, qn) of one row, sorted.
  private qj: Int32Array = new Int32Array(64);
  private qn: Int32Array;
  private qcount = 0;
  private readonly tv: Float64Array;
  private readonly nv: Int32Array;
  private readonly cc: Int32Array;
  private readonly n0: Int32Array;
  private keys: Float64Array = new Float64Array(64);
  private pj: Int32Array = new Int32Array(64);
  private pn: Int32Array;

  constructor(n: number, d: number) {
    if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`full neighbor list: dimension must be 2, 3 or 4, got ${d}`);
    if (!Number.isInteger(n) || n < 1) throw new GlassmechError(`full neighbor list: particle count must be a positive integer, got ${n}`);
    this.d = d;
    this.n = n;
    this.len = new Int32Array(n);
    this.next = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.cellOf = new Int32Array(n);
    this.dims = new Int32Array(d);
    this.kimg = new Int32Array(n * d);
    this.qn = new Int32Array(64 * d);
    this.tv = new Float64Array(d);
    this.nv = new Int32Array(d);
    this.cc = new Int32Array(d);
    this.n0 = new Int32Array(d);
    this.pn = new Int32Array(64 * d);
  }

  /** Number of stored entries (twice the number of distinct pair images). */
  get entries(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += this.len[i];
    return s;
  }

  /**
   * Builds every row for reference positions `ref` (n·d, unwrapped allowed). The list keeps `ref`
   * (not a copy) and writes to it in `update`.
   */
  build(box: Box, ref: Float64Array, radius: number): void {
    const { d, n } = this;
    if (box.d !== d) throw new GlassmechError(`full neighbor list: box is ${box.d}-dimensional, list ${d}-dimensional`);
    if (ref.length !== n * d) throw new GlassmechError(`full neighbor list: expected ${n * d} coordinates, got ${ref.length}`);
    if (!(radius > 0) || !Number.isFinite(radius)) throw new GlassmechError(`full neighbor list: radius must be positive and finite, got ${radius}`);
    for (let k = 0; k < n * d; k++) if (!Number.isFinite(ref[k])) throw new GlassmechError(`coordinate ${k % d} of particle ${Math.floor(k / d)} is not finite`);
    this.box = box;
    this.orthorhombic = box.shape === "orthorhombic";
    this.ref = ref;
    this.radius = radius;
    this.setupGrid(box, radius);
    for (let i = 0; i < n; i++) this.cellInsert(i);
    // Capacity from the mean density (grown on demand).
    const ball = d === 2 ? Math.PI * radius ** 2 : d === 3 ? (4 / 3) * Math.PI * radius ** 3 : 0.5 * Math.PI * Math.PI * radius ** 4;
    const cap = Math.ceil(1.5 * ball * (n / box.volume)) + 16;
    this.allocate(Math.max(cap, this.cap));
    for (let i = 0; i < n; i++) {
      this.query(i);
      this.writeRow(i);
    }
    this.builds++;
  }

  /** Sets ref_i := p[off .. off+d) and repairs row i and the rows of its old and new neighbors. */
  update(i: number, p: Float64Array, off: number): void {
    const d = this.d;
    const ref = this.ref;
    this.cellRemove(i);
    for (let a = 0; a < d; a++) ref[i * d + a] = p[off + a];
    this.cellInsert(i);
    this.query(i);
    // Merge the old row (sorted) with the new one (sorted) to find departures and arrivals.
    const oldLen = this.len[i];
    let a = 0;
    let b = 0;
    const qc = this.qcount;
    while (a < oldLen || b < qc) {
      // (insertEntry may grow the capacity, which moves the rows.)
      const base = i * this.cap;
      let c: number;
      if (a === oldLen) c = 1;
      else if (b === qc) c = -1;
      else c = this.compareRowQuery(base + a, b);
      if (c === 0) {
        a++;
        b++;
      } else if (c < 0) {
        // (j, n) left row i: drop (i, −n) from row j.
        const j = this.nbr[base + a];
        if (j !== i) this.removeEntry(j, i, this.image, (base + a) * d);
        a++;
      } else {
        const j = this.qj[b];
        if (j !== i) this.insertEntry(j, i, b);
        b++;
      }
    }
    // insertEntry may have grown the capacity: write row i last.
    this.writeRow(i);
    this.updates++;
  }

  // ---- grid and queries ----------------------------------------------------------------------

  private setupGrid(box: Box, radius: number): void {
    const d = this.d;
    const n = this.n;
    const w = box.perpendicularWidths();
    const dims = this.dims;
    for (let a = 0; a < d; a++) dims[a] = Math.max(1, Math.floor((2 * w[a]) / radius));
    const maxCells = Math.max(27, 2 * n);
    for (;;) {
      let prod = 1;
      for (let a = 0; a < d; a++) prod *= dims[a];
      if (prod <= maxCells) break;
      let big = 0;
      for (let a = 1; a < d; a++) if (dims[a] > dims[big]) big = a;
      dims[big] = Math.max(1, Math.floor(dims[big] / 2));
    }
    const reach = new Int32Array(d);
    let ncells = 1;
    for (let a = 0; a < d; a++) {
      reach[a] = Math.ceil((radius * dims[a]) / w[a]);
      ncells *= dims[a];
    }
    let noff = 1;
    for (let a = 0; a < d; a++) noff *= 2 * reach[a] + 1;
    const offsets = new Int32Array(noff * d);
    const cur = new Int32Array(d);
    for (let a = 0; a < d; a++) cur[a] = -reach[a];
    for (let q = 0; q < noff; q++) {
      for (let a = 0; a < d; a++) offsets[q * d + a] = cur[a];
      for (let a = d - 1; a >= 0; a--) {
        if (cur[a] < reach[a]) {
          cur[a]++;
          break;
        }
        cur[a] = -reach[a];
      }
    }
    this.offsets = offsets;
    this.noff = noff;
    this.head = new Int32Array(ncells).fill(-1);
  }

  /** Cell of ref_i (fractional coordinates wrapped into [0, 1)); sets its lattice image k_i. */
  private cellIndex(i: number): number {
    const d = this.d;
    const hi = this.box!.hInv;
    const ref = this.ref;
    const dims = this.dims;
    let cell = 0;
    for (let a = 0; a < d; a++) {
      let t = 0;
      for (let b = 0; b < d; b++) t += hi[a * d + b] * ref[i * d + b];
      let k = Math.floor(t);
      let f = t - k;
      if (f >= 1) {
        // t − floor(t) rounds up to 1 for tiny negative t.
        f = 0;
        k += 1;
      }
      this.kimg[i * d + a] = k;
      let c = Math.floor(f * dims[a]);
      if (c >= dims[a]) c = dims[a] - 1;
      cell = cell * dims[a] + c;
    }
    return cell;
  }

  private cellInsert(i: number): void {
    const c = this.cellIndex(i);
    this.cellOf[i] = c;
    const h = this.head[c];
    this.next[i] = h;
    this.prev[i] = -1;
    if (h >= 0) this.prev[h] = i;
    this.head[c] = i;
  }

  private cellRemove(i: number): void {
    const c = this.cellOf[i];
    const p = this.prev[i];
    const q = this.next[i];
    if (p >= 0) this.next[p] = q;
    else this.head[c] = q;
    if (q >= 0) this.prev[q] = p;
  }

  /** Fills (qj, qn) with the sorted row of particle i (at its reference position). */
  private query(i: number): void {
    const d = this.d;
    const h = this.box!.h;
    const ref = this.ref;
    const kimg = this.kimg;
    const r2max = this.radius * this.radius;
    const tv = this.tv;
    const nv = this.nv;
    const m = this.n0;
    const dims = this.dims;
    const cc = this.cc;
    const offsets = this.offsets;
    const ortho = this.orthorhombic;
    this.qcount = 0;
    let rem = this.cellOf[i];
    for (let a = d - 1; a >= 0; a--) {
      cc[a] = rem % dims[a];
      rem = (rem - cc[a]) / dims[a];
    }
    for (let q = 0; q < this.noff; q++) {
      let cell = 0;
      let zero = true;
      for (let a = 0; a < d; a++) {
        const t = cc[a] + offsets[q * d + a];
        const mm = Math.floor(t / dims[a]);
        m[a] = mm;
        if (mm !== 0) zero = false;
        cell = cell * dims[a] + (t - mm * dims[a]);
      }
      const head = this.head;
      const next = this.next;
      if (ortho) {
        // Inline distance for orthorhombic boxes (same arithmetic as distance2).
        for (let j = head[cell]; j >= 0; j = next[j]) {
          if (j === i && zero) continue;
          let r2 = 0;
          for (let a = 0; a < d; a++) {
            const na = m[a] + kimg[i * d + a] - kimg[j * d + a];
            const r = ref[j * d + a] - ref[i * d + a] + h[a * d + a] * na;
            r2 += r * r;
          }
          if (r2 < r2max) {
            for (let a = 0; a < d; a++) nv[a] = m[a] + kimg[i * d + a] - kimg[j * d + a];
            this.push(j, nv);
          }
        }
      } else
        for (let j = head[cell]; j >= 0; j = next[j]) {
          if (j === i && zero) continue;
          for (let a = 0; a < d; a++) {
            tv[a] = ref[j * d + a] - ref[i * d + a];
            nv[a] = m[a] + kimg[i * d + a] - kimg[j * d + a];
          }
          if (this.distance2(tv, nv, h) < r2max) this.push(j, nv);
        }
    }
    this.sortQuery();
  }

  /** |Δ + h·n|² evaluated as Δ + (h·n) (the entries' own form). */
  private distance2(tv: Float64Array, nv: Int32Array, h: Float64Array): number {
    const d = this.d;
    let r2 = 0;
    if (this.orthorhombic) {
      // h·n with zero off-diagonal terms: the same value as the general sum.
      for (let a = 0; a < d; a++) {
        const r = tv[a] + h[a * d + a] * nv[a];
        r2 += r * r;
      }
      return r2;
    }
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += h[a * d + b] * nv[b];
      const r = tv[a] + s;
      r2 += r * r;
    }
    return r2;
  }

  private push(j: number, nv: Int32Array): void {
    const d = this.d;
    if (this.qcount === this.qj.length) {
      const qj = new Int32Array(this.qj.length * 2);
      qj.set(this.qj);
      const qn = new Int32Array(qj.length * d);
      qn.set(this.qn);
      this.qj = qj;
      this.qn = qn;
    }
    const k = this.qcount++;
    this.qj[k] = j;
    for (let a = 0; a < d; a++) this.qn[k * d + a] = nv[a];
  }

  /**
   * Sorts the query by (j, n): a numeric sort of keys j·2²⁰ + k (k = entry index; exact in a
   * double), a permutation of the entries, then insertion sort inside runs of equal j (several
   * images of one particle, small boxes only).
   */
  private sortQuery(): void {
    const d = this.d;
    const qc = this.qcount;
    if (qc < 2) return;
    if (qc >= 1 << 20) throw new GlassmechError(`full neighbor list: ${qc} neighbors of one particle is too many; reduce the skin or the cutoff`);
    if (this.keys.length < qc) {
      this.keys = new Float64Array(2 * qc);
      this.pj = new Int32Array(2 * qc);
      this.pn = new Int32Array(2 * qc * d);
    }
    const keys = this.keys;
    const qj = this.qj;
    const qn = this.qn;
    let sorted = true;
    for (let k = 0; k < qc; k++) {
      keys[k] = qj[k] * 1048576 + k;
      if (k > 0 && qj[k] < qj[k - 1]) sorted = false;
    }
    if (!sorted) {
      sortRange(keys, 0, qc - 1);
      const pj = this.pj;
      const pn = this.pn;
      for (let k = 0; k < qc; k++) pj[k] = qj[k];
      for (let k = 0; k < qc * d; k++) pn[k] = qn[k];
      for (let k = 0; k < qc; k++) {
        const src = keys[k] % 1048576;
        qj[k] = pj[src];
        for (let a = 0; a < d; a++) qn[k * d + a] = pn[src * d + a];
      }
    }
    // Ties in j: order by n.
    const tmp = this.nv;
    for (let k = 1; k < qc; k++) {
      if (qj[k] !== qj[k - 1]) continue;
      const j = qj[k];
      for (let a = 0; a < d; a++) tmp[a] = qn[k * d + a];
      let p = k - 1;
      while (p >= 0 && compareKey(j, tmp, 0, qj[p], qn, p * d, d) < 0) {
        qj[p + 1] = qj[p];
        for (let a = 0; a < d; a++) qn[(p + 1) * d + a] = qn[p * d + a];
        p--;
      }
      qj[p + 1] = j;
      for (let a = 0; a < d; a++) qn[(p + 1) * d + a] = tmp[a];
    }
  }

  // ---- rows ----------------------------------------------------------------------------------

  private allocate(cap: number): void {
    const { d, n } = this;
    const nbr = new Int32Array(n * cap);
    const image = new Int32Array(n * cap * d);
    const shift = new Float64Array(n * cap * d);
    const old = this.cap;
    if (old > 0)
      for (let i = 0; i < n; i++) {
        const L = this.len[i];
        nbr.set(this.nbr.subarray(i * old, i * old + L), i * cap);
        image.set(this.image.subarray(i * old * d, (i * old + L) * d), i * cap * d);
        shift.set(this.shift.subarray(i * old * d, (i * old + L) * d), i * cap * d);
      }
    this.cap = cap;
    this.nbr = nbr;
    this.image = image;
    this.shift = shift;
  }

  /** Row i := the current query. */
  private writeRow(i: number): void {
    const d = this.d;
    const qc = this.qcount;
    if (qc > this.cap) this.allocate(Math.max(qc, Math.ceil(this.cap * 1.5)));
    const base = i * this.cap;
    const h = this.box!.h;
    for (let k = 0; k < qc; k++) {
      this.nbr[base + k] = this.qj[k];
      for (let a = 0; a < d; a++) this.image[(base + k) * d + a] = this.qn[k * d + a];
      this.setShift(base + k, this.qn, k * d, h, 1);
    }
    this.len[i] = qc;
  }

  /** shift[e] = sign·(h·n) with n = src[so .. so+d). */
  private setShift(e: number, src: Int32Array, so: number, h: Float64Array, sign: number): void {
    const d = this.d;
    if (this.orthorhombic) {
      for (let a = 0; a < d; a++) this.shift[e * d + a] = sign * (h[a * d + a] * src[so + a]);
      return;
    }
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += h[a * d + b] * src[so + b];
      this.shift[e * d + a] = sign * s;
    }
  }

  /** Compares row entry e with query entry k by (j, n). */
  private compareRowQuery(e: number, k: number): number {
    return compareKey(this.nbr[e], this.image, e * this.d, this.qj[k], this.qn, k * this.d, this.d);
  }

  /** Removes (i, −n) from row j, n = src[so .. so+d). */
  private removeEntry(j: number, i: number, src: Int32Array, so: number): void {
    const d = this.d;
    const base = j * this.cap;
    const L = this.len[j];
    const neg = this.nv;
    for (let a = 0; a < d; a++) neg[a] = -src[so + a];
    const p = this.lowerBound(base, L, i, neg);
    if (p === L || compareKey(this.nbr[base + p], this.image, (base + p) * d, i, neg, 0, d) !== 0) throw new Error(`FullNeighborList: rows ${i} and ${j} are not symmetric (bug)`);
    this.nbr.copyWithin(base + p, base + p + 1, base + L);
    this.image.copyWithin((base + p) * d, (base + p + 1) * d, (base + L) * d);
    this.shift.copyWithin((base + p) * d, (base + p + 1) * d, (base + L) * d);
    this.len[j] = L - 1;
  }

  /** First position p in the row at `base` (length L) whose key is not below (i, n). */
  private lowerBound(base: number, L: number, i: number, n: Int32Array): number {
    const d = this.d;
    let lo = 0;
    let hi = L;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKey(this.nbr[base + mid], this.image, (base + mid) * d, i, n, 0, d) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts (i, −n) into row j in order, n = query entry k. */
  private insertEntry(j: number, i: number, k: number): void {
    const d = this.d;
    if (this.len[j] === this.cap) this.allocate(Math.ceil(this.cap * 1.5) + 1);
    const base = j * this.cap;
    const L = this.len[j];
    const neg = this.nv;
    for (let a = 0; a < d; a++) neg[a] = -this.qn[k * d + a];
    const p = this.lowerBound(base, L, i, neg);
    this.nbr.copyWithin(base + p + 1, base + p, base + L);
    this.image.copyWithin((base + p + 1) * d, (base + p) * d, (base + L) * d);
    this.shift.copyWithin((base + p + 1) * d, (base + p) * d, (base + L) * d);
    this.nbr[base + p] = i;
    for (let a = 0; a < d; a++) this.image[(base + p) * d + a] = neg[a];
    // −(h·n): the exact negation of row i's entry.
    this.setShift(base + p, this.qn, k * d, this.box!.h, -1);
    this.len[j] = L + 1;
  }
}

/** Lexicographic comparison of keys (j1, n1) and (j2, n2). */
function compareKey(j1: number, n1: Int32Array, o1: number, j2: number, n2: Int32Array, o2: number, d: number): number {
  if (j1 !== j2) return j1 < j2 ? -1 : 1;
  for (let a = 0; a < d; a++) {
    const u = n1[o1 + a];
    const v = n2[o2 + a];
    if (u !== v) return u < v ? -1 : 1;
  }
  return 0;
}
