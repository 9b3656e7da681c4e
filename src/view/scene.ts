/**
 * The data a viewer page draws (src/view/page/viewer.ts): particles in a periodic box and vector
 * fields on them (a mode ψ, a dipole response z, a quartic mode), reduced to what a 3D view
 * needs and packed compactly for embedding in one HTML file.
 *
 * Packing (little-endian typed arrays, base64): fractional coordinates s ∈ [0, 1) as Uint16
 * (resolution L/65535, far below a particle size even at N = 10⁶), types as Uint8, per-particle
 * radii (POLY) as Float32, each field as Int16 scaled by its largest |component|. At N = 10⁵ one
 * field adds 0.8 MB of base64 and the particles 1.0 MB.
 *
 * Dimensions: 3D as is; 2D flat (z = 0, the field's third component 0); 4D as the 3D slice
 * |s_4 − ½| < slice/(2 L_4) of the fourth axis, its fourth field component dropped (the page
 * prints a note saying so).
 */
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import type { Model } from "../models/types.js";

/** One vector field on the particles: n·d numbers, particle-major (ψ_i at v[i·d .. i·d + d)). */
export interface ViewField {
  /** Short name for the menu, e.g. "softest mode". */
  readonly name: string;
  /** One line of numbers shown with it, e.g. "ω = 0.213, e = 0.04". */
  readonly info: string;
  readonly vector: Float64Array;
}

export interface ViewOptions {
  /** Page title. */
  readonly title?: string;
  /** 4D: thickness of the shown slice in λ units (default 1.2, about one particle). */
  readonly slice?: number;
}

/** What the page's script receives (JSON). */
export interface ViewData {
  readonly title: string;
  /** Dimension of the glass (2, 3 or 4); the view is 3D (z = 0 for d = 2). */
  readonly d: number;
  /** Particles in the glass and shown (fewer for the 4D slice). */
  readonly nTotal: number;
  readonly n: number;
  /** 3×3 row-major cell matrix of the shown box (columns are the lattice vectors). */
  readonly cell: number[];
  /** base64 Uint16 fractional coordinates, 3 per particle. */
  readonly positions: string;
  /** base64 Uint8 type per particle, and the display radius (λ_tt/2) of each type. */
  readonly types: string;
  readonly typeRadius: number[];
  readonly species: string[];
  /** base64 Float32 radius per particle (POLY), or null. */
  readonly radii: string | null;
  readonly fields: { name: string; info: string; vectors: string; componentScale: number; maxNorm: number }[];
  /** Notes printed on the page (2D, 4D slice). */
  readonly notes: string[];
}

const b64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");

/** Display radius of each type: half the like-pair size λ_tt (λ_AA = 1 for the binary models). */
function typeRadii(model: Model): number[] {
  const s = model.scales;
  if (s.kind !== "types") return [0.5];
  return Array.from({ length: s.ntypes }, (_, t) => s.lambda[t * s.ntypes + t] / 2);
}

/** Builds the page data of a configuration and its fields (see the module comment). */
export function buildViewData(config: Configuration, model: Model, fields: readonly ViewField[], o: ViewOptions = {}): ViewData {
  const { d, n, box } = config;
  for (const f of fields)
    if (f.vector.length !== n * d) throw new GlassmechError(`view: field '${f.name}' has ${f.vector.length} numbers; the glass needs N·d = ${n * d}`);
  const h = box.h, hInv = box.hInv;
  const notes: string[] = [];
  // Fractional coordinates of every particle, wrapped into [0, 1).
  const frac = new Float64Array(n * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += hInv[a * d + b] * config.positions[i * d + b];
      frac[i * d + a] = s - Math.floor(s);
    }
  let shown: number[];
  if (d === 4) {
    const L4 = box.lengths()[3];
    const half = (o.slice ?? 1.2) / (2 * L4);
    shown = [];
    for (let i = 0; i < n; i++) if (Math.abs(frac[i * 4 + 3] - 0.5) < half) shown.push(i);
    if (shown.length === 0) throw new GlassmechError("view: the 4D slice holds no particle; give a thicker --slice");
    notes.push(`4D glass: the 3D slice |w − L_w/2| < ${(o.slice ?? 1.2) / 2} of the fourth axis (${shown.length} of ${n} particles); fields show their first three components, the fourth is dropped.`);
  } else {
    shown = Array.from({ length: n }, (_, i) => i);
    if (d === 2) notes.push("2D glass: drawn flat in the z = 0 plane (drag to tilt).");
  }
  const m = shown.length;
  const dd = Math.min(d, 3);
  const cell = new Array<number>(9).fill(0);
  for (let a = 0; a < dd; a++) for (let b = 0; b < dd; b++) cell[a * 3 + b] = h[a * d + b];
  if (d === 2) cell[8] = 0;
  const pos = new Uint16Array(m * 3);
  const types = new Uint8Array(m);
  const radii = config.sizes !== null ? new Float32Array(m) : null;
  shown.forEach((i, k) => {
    for (let a = 0; a < dd; a++) pos[k * 3 + a] = Math.min(65535, Math.round(frac[i * d + a] * 65535));
    types[k] = config.types[i];
    if (radii !== null) radii[k] = config.sizes![i] / 2;
  });
  const packed = fields.map((f) => {
    let maxComp = 0, maxNorm = 0;
    for (const i of shown) {
      let w = 0;
      for (let a = 0; a < dd; a++) { const c = f.vector[i * d + a]; maxComp = Math.max(maxComp, Math.abs(c)); w += c * c; }
      maxNorm = Math.max(maxNorm, Math.sqrt(w));
    }
    if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new GlassmechError(`view: field '${f.name}' is zero (or not finite) on the shown particles`);
    const q = new Int16Array(m * 3);
    shown.forEach((i, k) => { for (let a = 0; a < dd; a++) q[k * 3 + a] = Math.round((f.vector[i * d + a] / maxComp) * 32767); });
    return { name: f.name, info: f.info, vectors: b64(q), componentScale: maxComp, maxNorm };
  });
  return {
    title: o.title ?? "glassmech view",
    d, nTotal: n, n: m, cell, positions: b64(pos), types: b64(types), typeRadius: typeRadii(model), species: [...model.species],
    radii: radii === null ? null : b64(radii), fields: packed, notes,
  };
}
