import { GlassmechError } from "../core/errors.js";
import { inlineKernelBody } from "../forces/compileLoop.js";
import { pairTables } from "../forces/pairTables.js";
import { combinedLambdaSource, largestPartnerSource } from "../models/combiningRule.js";
import type { Model } from "../models/types.js";

/**
 * The hot kernels of swap Monte Carlo (SPEC §3.3): energy changes of one particle, summed over
 * its row of a full neighbor list (neighbors/fullList.ts: row i = entries i·cap .. i·cap + len[i]),
 * for a trial position or a trial size (type). One specialized function per (model, d), generated as JavaScript source with d
 * unrolled and the model's kernel `reduced.eval2Source` pasted in (as forces/compileLoop.ts does,
 * and for the same reason: no megamorphic `eval2` call per pair). Nothing allocates.
 *
 * Pair energy φ_ij(r) = ε_ij f(r/λ_ij) for r < x_c λ_ij (SPEC §1), with λ_ij, ε_ij from the type
 * tables or from the sizes by the rule of models/combiningRule.ts (SPEC §1.4). Separations are
 * r_ij = (x_j − x_i) + shift of the list entry. `P` is the per-particle parameter array: the
 * sizes (Float64Array) of a "sizes" model or the types (Int32Array) of a "types" model.
 *
 * - `displace(i, y, …)`: U(x_i → y) − U, the sum over row i of φ(new) − φ(old), skipping the
 *   entries of i's own images (their energy does not depend on x_i).
 * - `exchange(i, pNew, skip, …)`: Σ_{j ≠ i, skip} [φ(p_i = pNew) − φ(p_i)] over row i. For a swap
 *   of i and k the total change is exchange(i, P[k], k) + exchange(k, P[i], i): the i–k pair
 *   keeps its λ_ik (symmetric rule) and the self-image terms of i and k only trade places.
 * - `particle(i, …)`: e_i = Σ over the whole row (self images included), so U = ½ Σ_i e_i.
 * Pre-filter: a row's radius is r_max + skin (swap-safe), but particle i only interacts within
 * its own largest cutoff r_c(i): for types the largest x_c λ_ab of its type; for sizes
 * x_c max_j λ_ij over λ_j ≤ `lmax` (the largest size present, invariant under swaps), spliced from
 * the rule's `largestPartnerSource`. Entries beyond r_c(i) (most of a small particle's row) are
 * skipped before any pair scale is computed.
 */
export type ParticleParams = Float64Array | Int32Array;

export interface SwapKernels {
  readonly displace: (i: number, y: Float64Array, X: Float64Array, cap: number, len: Int32Array, nbr: Int32Array, sh: Float64Array, P: ParticleParams, lmax: number) => number;
  readonly exchange: (
    i: number,
    pNew: number,
    skip: number,
    X: Float64Array,
    cap: number,
    len: Int32Array,
    nbr: Int32Array,
    sh: Float64Array,
    P: ParticleParams,
    lmax: number,
  ) => number;
  readonly particle: (i: number, X: Float64Array, cap: number, len: Int32Array, nbr: Int32Array, sh: Float64Array, P: ParticleParams, lmax: number) => number;
  /** The generated source (debugging). */
  readonly source: string;
}

let serial = 0;
const cache = new Map<string, SwapKernels>();

function lit(v: number): string {
  if (!Number.isFinite(v)) throw new GlassmechError(`swap MC kernel: non-finite constant ${v}`);
  return `(${String(v)})`;
}

/** Compiles (or fetches from the cache) the kernels of `model` in d dimensions. */
export function compileSwapKernels(model: Model, d: number): SwapKernels {
  if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`swap MC: dimension must be 2, 3 or 4, got ${d}`);
  const tables = pairTables(model);
  const reduced = model.reduced;
  const inlined = reduced.eval2Source === undefined ? null : inlineKernelBody(reduced.eval2Source);
  const mode = inlined !== null ? "inline" : reduced.eval2Source !== undefined ? "source" : "closure";
  // Adds e·f(arg) to acc; `x` is the kernel's argument name (positions are `X` here).
  const accumulate = (acc: string, arg: string) =>
    mode === "inline"
      ? `{ const x = ${arg}; let kf0_ = 0; let kf1_ = 0; let kf2_ = 0; kern_: {\n${inlined}\n} ${acc} += e * kf0_; }`
      : `{ kern(${arg}, tmp); ${acc} += e * tmp[0]; }`;
  const A = Array.from({ length: d }, (_, a) => a);
  const D = String(d);
  const sizes = tables.kind === "sizes";
  const NA = sizes ? lit(tables.nonadditivity) : "";
  const XC2 = lit(tables.xc * tables.xc);
  const EPS = sizes ? lit(tables.epsilon) : "";
  // Pair scales for parameter expression `pi` (size, or type·NT) and neighbor j: rc2, il, e.
  const scale = (suffix: string, pi: string) =>
    sizes
      ? `const lam${suffix} = ${combinedLambdaSource(pi, "pj", NA)}; const rc2${suffix} = ${XC2} * lam${suffix} * lam${suffix};`
      : `const tp${suffix} = ${pi} + pj; const rc2${suffix} = RC2[tp${suffix}]; const il${suffix} = IL[tp${suffix}]; const ep${suffix} = EP[tp${suffix}];`;
  // x = r/λ_ij (sizes: one division, only for pairs inside the cutoff) or r·(1/λ_ab) from the table.
  const reducedX = (r2: string, suffix: string) => (sizes ? `Math.sqrt(${r2}) / lam${suffix}` : `Math.sqrt(${r2}) * il${suffix}`);
  const eOf = (suffix: string) => (sizes ? `const e = ${EPS};` : `const e = ep${suffix};`);
  const loadXi = A.map((a) => `const xi${a} = X[io + ${a}];`).join(" ");
  const loadY = A.map((a) => `const y${a} = y[${a}];`).join(" ");
  const param = (expr: string) => (sizes ? expr : `(${expr}) * ${tables.ntypes}`);
  const sum2 = (v: string) => A.map((a) => `${v}${a} * ${v}${a}`).join(" + ");
  // Squared largest cutoff of a particle with parameter (size or type) p, padded against rounding.
  const PAD = lit(1 + 1e-12);
  const boundFn = sizes
    ? `function largestPartner(p, lmax) {\n${largestPartnerSource(tables.nonadditivity)}\n}
function bound(p, lmax) { const m = largestPartner(p, lmax); return ${XC2} * m * m * ${PAD}; }`
    : `function bound(p, lmax) { return RCT[p]; }`;

  const body = `"use strict";
const tmp = new Float64Array(3);
${mode === "source" ? `function kern(x, out) {\n${reduced.eval2Source}\n}` : mode === "closure" ? "const kern = K;" : ""}
${boundFn}
function displace(i, y, X, cap, len, nbr, sh, P, lmax) {
  const io = i * ${D}; ${loadXi} ${loadY}
  const pi = ${param("P[i]")}; const rcut2 = bound(P[i], lmax);
  let eo = 0; let en = 0;
  const p0 = i * cap;
  for (let p = p0, pe = p0 + len[i]; p < pe; p++) {
    const j = nbr[p];
    if (j === i) continue;
    const jo = j * ${D}; const so = p * ${D};
    ${A.map((a) => `const s${a} = sh[so + ${a}]; const xj${a} = X[jo + ${a}]; const o${a} = (xj${a} - xi${a}) + s${a}; const n${a} = (xj${a} - y${a}) + s${a};`).join("\n    ")}
    const ro2 = ${sum2("o")}; const rn2 = ${sum2("n")};
    if (ro2 >= rcut2 && rn2 >= rcut2) continue;
    const pj = P[j]; ${scale("", "pi")} ${eOf("")}
    if (ro2 < rc2) ${accumulate("eo", reducedX("ro2", ""))}
    if (rn2 < rc2) ${accumulate("en", reducedX("rn2", ""))}
  }
  return en - eo;
}
function exchange(i, pNew, skip, X, cap, len, nbr, sh, P, lmax) {
  const io = i * ${D}; ${loadXi}
  const po = ${param("P[i]")}; const pn = ${param("pNew")};
  const rcut2 = Math.max(bound(P[i], lmax), bound(pNew, lmax));
  let eo = 0; let en = 0;
  const p0 = i * cap;
  for (let p = p0, pe = p0 + len[i]; p < pe; p++) {
    const j = nbr[p];
    if (j === skip || j === i) continue;
    const jo = j * ${D}; const so = p * ${D};
    ${A.map((a) => `const o${a} = (X[jo + ${a}] - xi${a}) + sh[so + ${a}];`).join(" ")}
    const r2 = ${sum2("o")};
    if (r2 >= rcut2) continue;
    const pj = P[j]; ${scale("O", "po")} ${scale("N", "pn")}
    if (r2 < rc2O) { ${eOf("O")} ${accumulate("eo", reducedX("r2", "O"))} }
    if (r2 < rc2N) { ${eOf("N")} ${accumulate("en", reducedX("r2", "N"))} }
  }
  return en - eo;
}
function particle(i, X, cap, len, nbr, sh, P, lmax) {
  const io = i * ${D}; ${loadXi}
  const pi = ${param("P[i]")}; const rcut2 = bound(P[i], lmax);
  let u = 0;
  const p0 = i * cap;
  for (let p = p0, pe = p0 + len[i]; p < pe; p++) {
    const j = nbr[p];
    const jo = j * ${D}; const so = p * ${D};
    ${A.map((a) => `const o${a} = (X[jo + ${a}] - xi${a}) + sh[so + ${a}];`).join(" ")}
    const r2 = ${sum2("o")};
    if (r2 >= rcut2) continue;
    const pj = P[j]; ${scale("", "pi")} ${eOf("")}
    if (r2 < rc2) ${accumulate("u", reducedX("r2", ""))}
  }
  return u;
}
return { displace, exchange, particle };
`;
  const IL = sizes ? new Float64Array(0) : tables.invLambda;
  const EP = sizes ? new Float64Array(0) : tables.epsilon;
  const RC2 = sizes ? new Float64Array(0) : tables.cutoff2;
  // Per type: the largest squared cutoff of its pairs (padded).
  const RCT = new Float64Array(sizes ? 0 : tables.ntypes);
  if (!sizes)
    for (let a = 0; a < tables.ntypes; a++)
      for (let b = 0; b < tables.ntypes; b++) RCT[a] = Math.max(RCT[a], tables.cutoff2[a * tables.ntypes + b] * (1 + 1e-12));
  const key = mode === "closure" ? null : `${body}|${Array.from(IL)}|${Array.from(EP)}|${Array.from(RC2)}|${Array.from(RCT)}`;
  const hit = key === null ? undefined : cache.get(key);
  if (hit !== undefined) return hit;
  const src = `// glassmech swap MC kernels: model=${model.name} d=${d} scales=${tables.kind} kernel=${mode} #${++serial}\n${body}`;
  const K = (x: number, out: Float64Array): void => reduced.eval2(x, out);
  let made: Omit<SwapKernels, "source">;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    made = new Function("K", "IL", "EP", "RC2", "RCT", src)(K, IL, EP, RC2, RCT) as Omit<SwapKernels, "source">;
  } catch (e) {
    throw new GlassmechError(`could not compile the swap MC kernels of model ${model.name}: ${(e as Error).message}`);
  }
  const kernels: SwapKernels = { ...made, source: src };
  if (key !== null) cache.set(key, kernels);
  return kernels;
}
