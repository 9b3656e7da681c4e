/**
 * Starting points of the quartic-mode search (SPEC §6.4; seed 003 SI S-2 and S-4):
 * - "dipoles": responses z = M⁺ d_ij to force dipoles on interacting pairs (SPEC §6.2), ordered
 *   by their stiffness κ, softest first (the soft responses sit on soft spots);
 * - "shear": linear responses z = M⁺ Ξ to the forces of simple shear x_a += γ x_b and of pure
 *   shear (ε_aa = −ε_bb) in every Cartesian plane a < b (Ξ = ∂²U/∂ε∂x, hessian/strain.ts):
 *   d(d−1) starts (2 in 2D, 6 in 3D).
 */
import type { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import type { PairRecords } from "../forces/types.js";
import { strainDerivatives } from "../hessian/strain.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";
import { solveCGMultiOrThrow } from "../linalg/cg.js";
import { removeTranslationsMulti } from "../linalg/projection.js";
import { dipoleResponses, selectDipolePairs } from "./dipoles.js";

export interface QuarticStart {
  /** e.g. "dipole 12-873", "simple shear xy", "pure shear xx-yy". */
  readonly label: string;
  readonly vector: Float64Array;
}

export type StartSpec = { readonly kind: "shear" } | { readonly kind: "dipoles"; readonly count: number; readonly seed?: number; readonly stream?: number };

const AXES = "xyzw";

/** Parses `shear` or `dipoles:M` (the CLI's --starts). */
export function parseStartSpec(text: string): StartSpec {
  const t = text.trim().toLowerCase();
  if (t === "shear") return { kind: "shear" };
  const m = /^dipoles(?::(\d+))?$/.exec(t);
  if (m !== null) {
    const count = m[1] === undefined ? 200 : Number(m[1]);
    if (!(count >= 1)) throw new GlassmechError(`--starts ${text}: the number of dipoles must be at least 1`);
    return { kind: "dipoles", count };
  }
  throw new GlassmechError(`--starts ${text}: expected 'shear' or 'dipoles:M' (e.g. dipoles:200)`);
}

/** The shear starts (simple, then pure shear per plane), by one block CG solve. */
export function shearStarts(M: BlockMatrix, records: PairRecords): QuarticStart[] {
  const { d, n } = M;
  if (d < 2) throw new GlassmechError("quartic modes: shear starts need d ≥ 2");
  const D = d * d;
  const xi = strainDerivatives(records, n).xi;
  const labels: string[] = [];
  const cols: ((row: number) => number)[] = [];
  for (let a = 0; a < d; a++)
    for (let b = a + 1; b < d; b++) {
      labels.push(`simple shear ${AXES[a]}${AXES[b]}`);
      cols.push((row) => xi[row * D + a * d + b]);
    }
  for (let a = 0; a < d; a++)
    for (let b = a + 1; b < d; b++) {
      labels.push(`pure shear ${AXES[a]}${AXES[a]}-${AXES[b]}${AXES[b]}`);
      cols.push((row) => xi[row * D + a * d + a] - xi[row * D + b * d + b]);
    }
  const k = cols.length;
  const nd = n * d;
  const B = new Float64Array(nd * k);
  for (let row = 0; row < nd; row++) for (let c = 0; c < k; c++) B[row * k + c] = cols[c](row);
  removeTranslationsMulti(d, k, B);
  const X = solveCGMultiOrThrow(M, k, B, { tol: 1e-10 }, "quartic-mode shear starts").x;
  return labels.map((label, c) => {
    const v = new Float64Array(nd);
    for (let row = 0; row < nd; row++) v[row] = X[row * k + c];
    return { label, vector: v };
  });
}

/** Dipole-response starts of `count` seeded random interacting pairs, softest κ first. */
export function dipoleStarts(M: BlockMatrix, records: PairRecords, count: number, random: { seed: number; stream?: number }, geometry: { positions?: Float64Array; box?: Box } = {}): QuarticStart[] {
  const sel = selectDipolePairs(records, { count, seed: random.seed, stream: random.stream, purpose: "qlmStarts" });
  const out: { label: string; vector: Float64Array; kappa: number }[] = [];
  dipoleResponses(M, records, sel.pairs, {
    positions: geometry.positions,
    box: geometry.box,
    onResponse: (z, index, kappa) => {
      const p = sel.pairs[index];
      out.push({ label: `dipole ${records.i[p]}-${records.j[p]}`, vector: Float64Array.from(z), kappa });
    },
  });
  out.sort((x, y) => x.kappa - y.kappa);
  return out.map(({ label, vector }) => ({ label, vector }));
}
