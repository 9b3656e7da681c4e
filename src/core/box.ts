import { GlassmechError } from "./errors.js";

/**
 * A periodic simulation cell in d = 2, 3 or 4 dimensions (SPEC §0).
 *
 * The cell is the matrix `h` (row-major, d×d): its column b is the lattice vector b, so a
 * point with fractional coordinates s ∈ [0,1)^d sits at x = h·s and `h[a*d + b]` is component a
 * of lattice vector b. A freshly made box is orthorhombic (diagonal h); affine strains
 * x → F·x map h → F·h, so periodic images are always strained consistently with the particles
 * (simple shear x_a += γ x_b gives the Lees–Edwards-like tilted cell).
 *
 * Boxes are immutable: strain methods return a new Box.
 */
export type BoxShape = "orthorhombic" | "general";

export class Box {
  readonly d: number;
  /** Cell matrix, row-major d×d; columns are the lattice vectors. */
  readonly h: Float64Array;
  /** Inverse of h, row-major. */
  readonly hInv: Float64Array;
  /** "orthorhombic" when h is diagonal; minimum image then takes the fast per-axis path. */
  readonly shape: BoxShape;
  /** Volume |det h| (an area in 2D). */
  readonly volume: number;

  constructor(d: number, h: ArrayLike<number>) {
    if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`dimension d must be 2, 3 or 4, got ${d}`);
    if (h.length !== d * d) throw new GlassmechError(`box matrix needs ${d * d} entries, got ${h.length}`);
    this.d = d;
    this.h = Float64Array.from(h);
    let diagonal = true;
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) if (a !== b && this.h[a * d + b] !== 0) diagonal = false;
    this.shape = diagonal ? "orthorhombic" : "general";
    this.hInv = invert(d, this.h);
    let det = 1;
    if (diagonal) for (let a = 0; a < d; a++) det *= this.h[a * d + a];
    else det = determinant(d, this.h);
    if (!(det > 0) || !Number.isFinite(det)) throw new GlassmechError(`box must have positive finite volume (det h = ${det})`);
    this.volume = det;
  }

  /** An orthorhombic box with the given side lengths (one per dimension). */
  static orthorhombic(lengths: ArrayLike<number>): Box {
    const d = lengths.length;
    const h = new Float64Array(d * d);
    for (let a = 0; a < d; a++) {
      const L = lengths[a];
      if (!(L > 0) || !Number.isFinite(L)) throw new GlassmechError(`box length ${a} must be positive and finite, got ${L}`);
      h[a * d + a] = L;
    }
    return new Box(d, h);
  }

  /** A cubic box of side L in d dimensions. */
  static cubic(d: number, L: number): Box {
    return Box.orthorhombic(new Array<number>(d).fill(L));
  }

  /** The cubic box holding n particles at number density ρ: L = (n/ρ)^(1/d). */
  static forDensity(d: number, n: number, density: number): Box {
    if (!(density > 0) || !Number.isFinite(density)) throw new GlassmechError(`density must be positive, got ${density}`);
    return Box.cubic(d, Math.pow(n / density, 1 / d));
  }

  /** Lengths of the lattice vectors (the side lengths of an orthorhombic box). */
  lengths(): Float64Array {
    const d = this.d;
    const out = new Float64Array(d);
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += this.h[a * d + b] ** 2;
      out[b] = Math.sqrt(s);
    }
    return out;
  }

  /**
   * Distances between opposite faces: width_a = 1/|row a of h⁻¹|. Minimum image is exact for
   * every pair closer than half the smallest width.
   */
  perpendicularWidths(): Float64Array {
    const d = this.d;
    const out = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += this.hInv[a * d + b] ** 2;
      out[a] = 1 / Math.sqrt(s);
    }
    return out;
  }

  /** Replaces v[off .. off+d) by its minimum image (fractional components rounded into [−½, ½]). */
  minimumImage(v: Float64Array, off = 0): void {
    const d = this.d;
    const h = this.h;
    if (this.shape === "orthorhombic") {
      for (let a = 0; a < d; a++) {
        const L = h[a * d + a];
        v[off + a] -= L * Math.round(v[off + a] / L);
      }
      return;
    }
    const hi = this.hInv;
    const s = scratch(d);
    for (let a = 0; a < d; a++) {
      let t = 0;
      for (let b = 0; b < d; b++) t += hi[a * d + b] * v[off + b];
      s[a] = Math.round(t);
    }
    for (let a = 0; a < d; a++) {
      let t = 0;
      for (let b = 0; b < d; b++) t += h[a * d + b] * s[b];
      v[off + a] -= t;
    }
  }

  /** Fractional coordinates s = h⁻¹ x of the point x[off .. off+d) into out[outOff ..]. */
  toFractional(x: ArrayLike<number>, off: number, out: Float64Array, outOff = 0): void {
    const d = this.d;
    for (let a = 0; a < d; a++) {
      let t = 0;
      for (let b = 0; b < d; b++) t += this.hInv[a * d + b] * x[off + b];
      out[outOff + a] = t;
    }
  }

  /** Wraps all n positions (n·d array, particle-major) into the primary cell, in place. */
  wrap(positions: Float64Array): void {
    const d = this.d;
    const n = positions.length / d;
    const h = this.h;
    const s = scratch(d);
    for (let i = 0; i < n; i++) {
      this.toFractional(positions, i * d, s);
      let changed = false;
      for (let a = 0; a < d; a++) {
        const f = Math.floor(s[a]);
        if (f !== 0) {
          s[a] -= f;
          changed = true;
        }
      }
      if (!changed) continue;
      for (let a = 0; a < d; a++) {
        let t = 0;
        for (let b = 0; b < d; b++) t += h[a * d + b] * s[b];
        positions[i * d + a] = t;
      }
    }
  }

  /** True when the point x[off..off+d) lies in the primary cell (fractional coords in [0,1)) up to `tol`. */
  contains(x: ArrayLike<number>, off = 0, tol = 0): boolean {
    const s = scratch(this.d);
    this.toFractional(x, off, s);
    for (let a = 0; a < this.d; a++) if (s[a] < -tol || s[a] >= 1 + tol) return false;
    return true;
  }

  /**
   * The box after the affine map x → F·x (F row-major d×d): h' = F·h. Apply the same F to the
   * positions with `affineTransform` to strain a configuration.
   */
  deformed(F: ArrayLike<number>): Box {
    return new Box(this.d, matmul(this.d, F, this.h));
  }

  /** Simple shear x_a → x_a + γ x_b (default the x–y plane, SPEC §4.2). */
  sheared(gamma: number, a = 0, b = 1): Box {
    return this.deformed(shearMatrix(this.d, gamma, a, b));
  }

  /** Isotropic expansion x → e^η x (SPEC §4.2). */
  expanded(eta: number): Box {
    return this.deformed(scaleMatrix(this.d, Math.exp(eta)));
  }

  toJSON(): { d: number; h: number[] } {
    return { d: this.d, h: Array.from(this.h) };
  }
}

/** Deformation gradient of simple shear x_a += γ x_b. */
export function shearMatrix(d: number, gamma: number, a = 0, b = 1): Float64Array {
  const F = identity(d);
  F[a * d + b] += gamma;
  return F;
}

/** Deformation gradient s·I. */
export function scaleMatrix(d: number, s: number): Float64Array {
  const F = new Float64Array(d * d);
  for (let a = 0; a < d; a++) F[a * d + a] = s;
  return F;
}

/** The d×d identity, row-major. */
export function identity(d: number): Float64Array {
  return scaleMatrix(d, 1);
}

/** Applies x → F·x to every particle of a particle-major position array (returns a new array). */
export function affineTransform(d: number, positions: Float64Array, F: ArrayLike<number>): Float64Array {
  const n = positions.length / d;
  const out = new Float64Array(positions.length);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      let t = 0;
      for (let b = 0; b < d; b++) t += F[a * d + b] * positions[i * d + b];
      out[i * d + a] = t;
    }
  return out;
}

const scratches: Float64Array[] = [];
function scratch(d: number): Float64Array {
  return (scratches[d] ??= new Float64Array(d));
}

function matmul(d: number, A: ArrayLike<number>, B: ArrayLike<number>): Float64Array {
  const C = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const a = A[i * d + k];
      if (a === 0) continue;
      for (let j = 0; j < d; j++) C[i * d + j] += a * B[k * d + j];
    }
  return C;
}

/** Inverse of a small dense matrix by Gauss–Jordan elimination with partial pivoting. */
function invert(d: number, A: Float64Array): Float64Array {
  const M = Float64Array.from(A);
  const inv = identity(d);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]) > Math.abs(M[p * d + c])) p = r;
    const piv = M[p * d + c];
    if (piv === 0 || !Number.isFinite(piv)) throw new GlassmechError("box matrix is singular");
    if (p !== c)
      for (let k = 0; k < d; k++) {
        [M[p * d + k], M[c * d + k]] = [M[c * d + k], M[p * d + k]];
        [inv[p * d + k], inv[c * d + k]] = [inv[c * d + k], inv[p * d + k]];
      }
    for (let k = 0; k < d; k++) {
      M[c * d + k] /= piv;
      inv[c * d + k] /= piv;
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = M[r * d + c];
      if (f === 0) continue;
      for (let k = 0; k < d; k++) {
        M[r * d + k] -= f * M[c * d + k];
        inv[r * d + k] -= f * inv[c * d + k];
      }
    }
  }
  return inv;
}

function determinant(d: number, A: Float64Array): number {
  const M = Float64Array.from(A);
  let det = 1;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]) > Math.abs(M[p * d + c])) p = r;
    if (M[p * d + c] === 0) return 0;
    if (p !== c) {
      det = -det;
      for (let k = 0; k < d; k++) [M[p * d + k], M[c * d + k]] = [M[c * d + k], M[p * d + k]];
    }
    det *= M[c * d + c];
    for (let r = c + 1; r < d; r++) {
      const f = M[r * d + c] / M[c * d + c];
      for (let k = c; k < d; k++) M[r * d + k] -= f * M[c * d + k];
    }
  }
  return det;
}
