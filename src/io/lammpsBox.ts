import { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";

/**
 * LAMMPS box geometry (https://docs.lammps.org/Howto_triclinic.html). LAMMPS cells are
 * "restricted triclinic": a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz), i.e. our h matrix
 * (columns = lattice vectors) must be upper triangular:
 *     h = [[lx, xy, xz], [0, ly, yz], [0, 0, lz]].
 * Simple shear x += γ y of an orthorhombic box keeps this form. In 2D LAMMPS still has a z
 * extent: we write z ∈ [−0.5, 0.5] and z = 0.
 */
export interface LammpsBounds {
  readonly lo: [number, number, number];
  readonly hi: [number, number, number];
  /** xy, xz, yz, or null for an orthogonal box. */
  readonly tilt: [number, number, number] | null;
}

/** LAMMPS bounds of a box (origin 0). Throws for d = 4 or a non-upper-triangular cell. */
export function lammpsBounds(box: Box): LammpsBounds {
  const d = box.d;
  if (d === 4) throw new GlassmechError("LAMMPS has no 4-dimensional boxes; use extended XYZ for d = 4");
  const h = box.h;
  for (let a = 1; a < d; a++)
    for (let b = 0; b < a; b++)
      if (h[a * d + b] !== 0)
        throw new GlassmechError(
          "LAMMPS needs a restricted triclinic cell (a along x, b in the xy plane: h upper triangular); this box has a lower-triangular entry",
        );
  const lx = h[0]!;
  const ly = h[d + 1]!;
  const lz = d === 3 ? h[8]! : 1;
  const xy = h[1]!;
  const xz = d === 3 ? h[2]! : 0;
  const yz = d === 3 ? h[5]! : 0;
  const zlo = d === 3 ? 0 : -0.5;
  const tilted = xy !== 0 || xz !== 0 || yz !== 0;
  return { lo: [0, 0, zlo], hi: [lx, ly, zlo + lz], tilt: tilted ? [xy, xz, yz] : null };
}

/** The box and origin described by LAMMPS bounds, in d = 2 or 3 (2D ignores z). */
export function boxFromLammps(d: number, lo: readonly number[], hi: readonly number[], tilt: readonly number[] | null): { box: Box; origin: Float64Array } {
  const [xy, xz, yz] = tilt ?? [0, 0, 0];
  const h = new Float64Array(d * d);
  h[0] = hi[0]! - lo[0]!;
  h[d + 1] = hi[1]! - lo[1]!;
  h[1] = xy!;
  if (d === 3) {
    h[8] = hi[2]! - lo[2]!;
    h[2] = xz!;
    h[5] = yz!;
  }
  const origin = Float64Array.from([lo[0]!, lo[1]!, lo[2]!].slice(0, d));
  return { box: new Box(d, h), origin };
}

/**
 * A float B with fl(B − shift) === target, so that a dump reader recovering xhi = xhi_bound −
 * max(0, xy, xz, xy+xz) gets our length back bit for bit. Starts from fl(target + shift) and walks
 * a few ulps; falls back to that start (≤ 1 ulp off) in the rare case no such float exists.
 */
function exactBound(target: number, shift: number): number {
  const start = target + shift;
  if (start - shift === target) return start;
  let up = start;
  let down = start;
  for (let k = 0; k < 8; k++) {
    up = nextUp(up);
    down = nextDown(down);
    if (up - shift === target) return up;
    if (down - shift === target) return down;
  }
  return start;
}

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] = x > 0 ? i64[0]! + 1n : i64[0]! - 1n;
  return f64[0]!;
}
function nextDown(x: number): number {
  return -nextUp(-x);
}

/**
 * The three `ITEM: BOX BOUNDS` rows of a dump. Triclinic dumps give the bounding box of the
 * tilted cell: xlo_bound = xlo + min(0, xy, xz, xy+xz), xhi_bound = xhi + max(0, xy, xz, xy+xz),
 * ylo_bound = ylo + min(0, yz), yhi_bound = yhi + max(0, yz), then the tilt factor.
 */
export function dumpBoundRows(b: LammpsBounds): { rows: [number, number, number | null][]; triclinic: boolean } {
  const { lo, hi, tilt } = b;
  if (tilt === null)
    return {
      rows: [
        [lo[0], hi[0], null],
        [lo[1], hi[1], null],
        [lo[2], hi[2], null],
      ],
      triclinic: false,
    };
  const [xy, xz, yz] = tilt;
  const xmin = Math.min(0, xy, xz, xy + xz);
  const xmax = Math.max(0, xy, xz, xy + xz);
  const ymin = Math.min(0, yz);
  const ymax = Math.max(0, yz);
  // Our lo are 0 (x, y), so lo_bound = min(...) and lo_bound − min(...) = 0 exactly.
  return {
    rows: [
      [exactBound(lo[0], xmin), exactBound(hi[0], xmax), xy],
      [exactBound(lo[1], ymin), exactBound(hi[1], ymax), xz],
      [lo[2], hi[2], yz],
    ],
    triclinic: true,
  };
}

/** Inverse of dumpBoundRows: lo, hi and tilt from the bound rows (tilt given as xy, xz, yz). */
export function boundsFromDumpRows(rows: readonly (readonly number[])[], tilt: readonly number[] | null): { lo: number[]; hi: number[] } {
  if (tilt === null) return { lo: rows.map((r) => r[0]!), hi: rows.map((r) => r[1]!) };
  const [xy, xz, yz] = tilt as [number, number, number];
  const xmin = Math.min(0, xy, xz, xy + xz);
  const xmax = Math.max(0, xy, xz, xy + xz);
  const ymin = Math.min(0, yz);
  const ymax = Math.max(0, yz);
  return {
    lo: [rows[0]![0]! - xmin, rows[1]![0]! - ymin, rows[2]![0]!],
    hi: [rows[0]![1]! - xmax, rows[1]![1]! - ymax, rows[2]![1]!],
  };
}
