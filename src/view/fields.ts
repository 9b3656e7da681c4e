/**
 * The vector fields `glassmech view` and the report's views show (SPEC §6): the k-th lowest
 * nonzero mode ψ (§6.1), the response z = M⁺ d to the force dipole of a pair (i, j) (§6.2), or a
 * vector read from a file (a quartic mode computed elsewhere: glassmech does not build QLMs).
 */
import { GlassmechError } from "../core/errors.js";
import { readVectorMarket } from "../io/matrixMarket.js";
import { parseKeyValues, readTextFile, splitLines, tokens } from "../io/text.js";
import { sparseCholesky, type SparseCholesky } from "../linalg/cholesky.js";
import type { PreparedGlass } from "../observables/prepare.js";
import { measurePrepared } from "../registry/measure.js";
import { autoDipoleSolver, dipoleResponses, selectDipolePairs } from "../observables/dipoles.js";
import { glassModes, participationRatio } from "../observables/modes.js";
import type { ViewField } from "./scene.js";

const p3 = (v: number): string => v.toPrecision(3);

/** A minimized glass with ω0 = c_s/a0 (for the dimensionless numbers) and one shared factor. */
export interface FieldGlass {
  readonly g: PreparedGlass;
  readonly omega0: number;
  /**
   * The pinned Cholesky factor of M, made once where the dipole solver would factor
   * (observables/dipoles.ts): the dipole solves use it and the mode solver reuses it
   * (shift-invert at σ = 0), so a page with a mode and dipoles factors once. Absent for very
   * large N: dipoles then go by CG and a mode makes its own factor.
   */
  readonly factor?: SparseCholesky;
}

export function fieldGlass(g: PreparedGlass): FieldGlass {
  const { n, d, positions, box } = g.config;
  const factor = autoDipoleSolver(n, d) === "cholesky" ? sparseCholesky(g.hessian, { positions, box }) : undefined;
  return { g, omega0: measurePrepared(g).result.omega0 as number, factor };
}

/** Mode k (1 = the softest nonzero mode) of a prepared glass, with ω, ω/ω0 and N·e. */
export function modeField({ g, omega0, factor }: FieldGlass, k: number): ViewField {
  if (!(Number.isInteger(k) && k >= 1)) throw new GlassmechError(`view: --mode must be a positive integer (1 = softest), got ${k}`);
  const m = glassModes(g.hessian, k, { positions: g.config.positions, box: g.config.box, factor });
  const nd = g.config.n * g.config.d;
  const vector = m.vectors.slice((k - 1) * nd, k * nd);
  const w = m.frequencies[k - 1], e = m.participationRatios[k - 1];
  return { name: k === 1 ? "softest mode" : `mode ${k}`, info: `ω = ${p3(w)} (ω/ω0 = ${p3(w / omega0)}), participation N·e = ${p3(g.config.n * e)}`, vector };
}

/** The record index of the interacting pair (i, j), or an error saying they do not interact. */
function pairRecord(g: PreparedGlass, i: number, j: number): number {
  const r = g.records;
  const n = g.config.n;
  for (const p of [i, j]) if (!(Number.isInteger(p) && p >= 0 && p < n)) throw new GlassmechError(`view: --dipole particle ${p} is not in 0 … ${n - 1}`);
  for (let p = 0; p < r.count; p++) if ((r.i[p] === i && r.j[p] === j) || (r.i[p] === j && r.j[p] === i)) return p;
  throw new GlassmechError(`view: particles ${i} and ${j} do not interact (no pair within the cutoff); a dipole needs an interacting pair`);
}

/** Response z = M⁺ d to the dipole on pair record p (SPEC §6.2), with κ and ω_g^(ij) = √κ. */
function responseOf({ g, omega0, factor }: FieldGlass, p: number): ViewField {
  let z: Float64Array | null = null;
  const res = dipoleResponses(g.hessian, g.records, Int32Array.of(p), { positions: g.config.positions, box: g.config.box, factor, onResponse: (v) => { z = v.slice(); } });
  const kappa = res.kappa[0];
  return {
    name: `dipole response (${res.i[0]}, ${res.j[0]})`,
    info: `κ = ${p3(kappa)}, √κ/ω0 = ${p3(Math.sqrt(kappa) / omega0)}, participation N·e = ${p3(g.config.n * participationRatio(g.config.d, g.config.n, z!))}`,
    vector: z!,
  };
}

/** The response to the dipole of particles i and j (0-based, as in the files). */
export function dipoleField(fg: FieldGlass, i: number, j: number): ViewField {
  return responseOf(fg, pairRecord(fg.g, i, j));
}

/**
 * The softest of `count` dipole responses (seeded random interacting pairs): the report's
 * "one dipole response" of an ensemble, chosen where the glass is softest.
 */
export function softestDipoleField(fg: FieldGlass, count: number, seed: number): ViewField {
  const { g, factor } = fg;
  const chosen = selectDipolePairs(g.records, { count, seed }).pairs;
  if (chosen.length === 0) throw new GlassmechError("view: the glass has no interacting pair");
  const res = dipoleResponses(g.hessian, g.records, chosen, { positions: g.config.positions, box: g.config.box, factor });
  let best = 0;
  for (let t = 1; t < chosen.length; t++) if (res.kappa[t] < res.kappa[best]) best = t;
  const f = responseOf(fg, chosen[best]);
  return { ...f, name: `${f.name}, softest of ${chosen.length}` };
}

/**
 * A field from a file: a Matrix Market vector (N·d values, index i·d + a, as `hessian --export`
 * and SciPy write) or a real column of N·d per row of an extended-XYZ file (`column`, default
 * the first real column of d or 3 values other than pos). `label` names it in the menu.
 */
export function fileField(path: string, n: number, d: number, label: string, column?: string): ViewField {
  let vector: Float64Array;
  if (/\.mtx$/i.test(path)) vector = readVectorMarket(path);
  else if (/\.(ext)?xyz$/i.test(path)) vector = xyzColumn(path, n, d, column);
  else throw new GlassmechError("a field file must be a Matrix Market vector (.mtx) or an extended-XYZ file (.xyz) with a vector column", { file: path });
  if (vector.length !== n * d) throw new GlassmechError(`has ${vector.length} values; the glass needs N·d = ${n * d}`, { file: path });
  return { name: label, info: `from ${path}`, vector };
}

/** A per-particle real column of an extended-XYZ file (first frame), as N·d numbers. */
function xyzColumn(path: string, n: number, d: number, name?: string): Float64Array {
  const lines = splitLines(readTextFile(path));
  const count = Number(lines[0]?.trim());
  if (count !== n) throw new GlassmechError(`has ${lines[0]?.trim()} particles; the glass has ${n}`, { file: path, line: 1 });
  const props = parseKeyValues(lines[1] ?? "").find((kv) => kv.key.toLowerCase() === "properties")?.value;
  if (props === undefined) throw new GlassmechError("no Properties= in the comment line: which column is the field?", { file: path, line: 2 });
  const f = props.split(":");
  let offset = 0, found: { offset: number; count: number; name: string } | null = null;
  for (let k = 0; k + 2 < f.length; k += 3) {
    const cname = f[k], type = f[k + 1].toUpperCase(), c = Number(f[k + 2]);
    const wanted = name !== undefined ? cname === name : type === "R" && (c === d || c === 3) && !["pos", "positions", "radius"].includes(cname.toLowerCase());
    if (wanted && found === null) found = { offset, count: c, name: cname };
    offset += c;
  }
  if (found === null) throw new GlassmechError(name !== undefined ? `no column '${name}' in Properties=${props}` : `no vector column (R with ${d} values besides pos) in Properties=${props}; name one with --column`, { file: path, line: 2 });
  if (found.count < d) throw new GlassmechError(`column '${found.name}' has ${found.count} values per particle; a field needs ${d}`, { file: path, line: 2 });
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const t = tokens(lines[2 + i] ?? "");
    for (let a = 0; a < d; a++) {
      const v = Number(t[found.offset + a]);
      if (!Number.isFinite(v)) throw new GlassmechError(`column '${found.name}' value ${a} is '${t[found.offset + a]}', not a number`, { file: path, line: 3 + i });
      out[i * d + a] = v;
    }
  }
  return out;
}
