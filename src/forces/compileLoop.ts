import { GlassmechError } from "../core/errors.js";
import { combinedLambdaSource } from "../models/combiningRule.js";
import type { ReducedPotential } from "../models/types.js";
import type { PairTables } from "./pairTables.js";

/**
 * One specialized energy(+forces) loop per (model, d): the hot path of minimizers and MD.
 *
 * Why code generation: a single generic loop calling `reduced.eval2` through the interface
 * becomes megamorphic as soon as two models are used in one process, and V8 then stops inlining
 * the kernel. Here the loop is generated as JavaScript source with d unrolled and the model's
 * kernel (`reduced.eval2Source`, coefficients as literals) bound in one of three ways:
 * - "inline" (default when possible): the kernel body is pasted into the pair loop as a labeled
 *   block, `out[k]` becoming locals and `return;` becoming `break`, so f'' (and f' for the
 *   energy-only loop) are dead code that the compiler drops, and no array traffic remains;
 * - "source": the body becomes a local function `kern(x, out)` called per pair (V8 inlines it);
 * - "closure": the model's own `eval2` is a constant of the freshly compiled function (models
 *   without source).
 * Every compiled source carries a unique comment so V8 never shares type feedback between models.
 * The semantics are exactly those of genericLoop.ts (tested against it).
 *
 * Arguments (internal order of the Verlet list): xs positions, fs forces (added to: the caller
 * zeroes them), start/nbr the CSR half list of unshifted pairs of the particles i0 ≤ i < i1 (all
 * of them, or one thread's shard, see pairShards.ts), then the shifted pairs (count sc, si, sj,
 * shift vectors sv), per-particle types tI and sizes sI.
 */
export type CompiledEnergyForces = (
  xs: Float64Array,
  fs: Float64Array,
  start: Int32Array,
  nbr: Int32Array,
  i0: number,
  i1: number,
  sc: number,
  si: Int32Array,
  sj: Int32Array,
  sv: Float64Array,
  tI: Int32Array,
  sI: Float64Array,
) => number;

export type CompiledEnergy = (
  xs: Float64Array,
  start: Int32Array,
  nbr: Int32Array,
  i0: number,
  i1: number,
  sc: number,
  si: Int32Array,
  sj: Int32Array,
  sv: Float64Array,
  tI: Int32Array,
  sI: Float64Array,
) => number;

export interface CompiledLoops {
  readonly energyForces: CompiledEnergyForces;
  readonly energy: CompiledEnergy;
  /** How the kernel was bound (see above). */
  readonly kernel: KernelBinding;
  /** The generated source, for debugging. */
  readonly source: string;
}

export type KernelBinding = "inline" | "source" | "closure";

let serial = 0;
const compiled = new Map<string, CompiledLoops>();

/**
 * The kernel body rewritten for pasting into a loop as the block `kern_: { … }`: `out[k]` → the
 * local `kfK_`, `return;` → `break kern_;`. Null when the body does anything this rewrite cannot
 * guarantee to preserve (nested functions, other uses of `out`, returning values).
 */
export function inlineKernelBody(src: string): string | null {
  if (/\bfunction\b|=>|\barguments\b|\bthis\b|\bkern_\b|\bkf[0-9]_\b|\byield\b|\bawait\b/.test(src)) return null;
  const noOut = src.replace(/\bout\s*\[\s*([0-2])\s*\]/g, (_m, k: string) => `kf${k}_`);
  if (/\bout\b/.test(noOut)) return null;
  if (/\breturn\b(?!\s*;)/.test(noOut)) return null;
  return noOut.replace(/\breturn\s*;/g, "break kern_;");
}

/** JS literal of a finite number (round-trips exactly). */
function lit(v: number): string {
  if (!Number.isFinite(v)) throw new GlassmechError(`cannot compile a pair loop with non-finite constant ${v}`);
  return `(${String(v)})`;
}

/**
 * Compiles the loops for one model in d dimensions. `kernel` forces a binding mode (for
 * benchmarks); by default the source is spliced when the model provides it.
 */
export function compilePairLoops(
  name: string,
  reduced: ReducedPotential,
  tables: PairTables,
  d: number,
  kernel?: KernelBinding,
): CompiledLoops {
  const inlined = reduced.eval2Source === undefined ? null : inlineKernelBody(reduced.eval2Source);
  const mode: KernelBinding = kernel ?? (inlined !== null ? "inline" : reduced.eval2Source !== undefined ? "source" : "closure");
  if (mode === "source" && reduced.eval2Source === undefined) throw new GlassmechError(`model ${name} has no eval2Source to splice`);
  if (mode === "inline" && inlined === null) throw new GlassmechError(`model ${name}: eval2Source cannot be inlined`);
  // Evaluates the kernel at x = r·il into f0, f1 (f2 unused here).
  const evalAt = (xExpr: string) =>
    mode === "inline"
      ? `const x = ${xExpr}; let kf0_ = 0; let kf1_ = 0; let kf2_ = 0; kern_: {\n${inlined}\n} const f0 = kf0_; const f1 = kf1_;`
      : `kern(${xExpr}, tmp); const f0 = tmp[0]; const f1 = tmp[1];`;
  const A = Array.from({ length: d }, (_, a) => a);
  const D = String(d);
  const types = tables.kind === "types";

  // Scale lookup for pair (i, j): defines il = 1/λ_ij and e = ε_ij, skips pairs beyond the cutoff.
  const perI = types ? `const ti = tI[i] * ${tables.ntypes};` : `const li = sI[i];`;
  const scale = types
    ? `const tp = ti + tI[j]; if (r2 >= RC2[tp]) continue; const il = IL[tp]; const e = EP[tp];`
    : `const lj = sI[j]; const lam = ${combinedLambdaSource("li", "lj", lit(tables.nonadditivity))};` +
      ` if (r2 >= ${lit(tables.xc * tables.xc)} * lam * lam) continue; const il = 1 / lam; const e = ${lit(tables.epsilon)};`;

  const sep = (shift: boolean) =>
    A.map((a) => `const d${a} = xs[jo + ${a}] - xi${a}${shift ? ` + sv[so + ${a}]` : ""};`).join(" ") +
    ` const r2 = ${A.map((a) => `d${a} * d${a}`).join(" + ")};`;
  const loadI = A.map((a) => `const xi${a} = xs[io + ${a}];`).join(" ");
  // φ = e f(x); φ'/r = e f'(x) il / r; force on i += (φ'/r) Δ, on j −= (φ'/r) Δ.
  const pairEF = (accI: boolean) =>
    `const r = Math.sqrt(r2); ${evalAt("r * il")} U += e * f0; const c = (e * f1 * il) / r;` +
    A.map((a) => (accI ? ` fi${a} += c * d${a};` : ` fs[io + ${a}] += c * d${a};`) + ` fs[jo + ${a}] -= c * d${a};`).join("");
  const pairE = `${evalAt("Math.sqrt(r2) * il")} U += e * f0;`;

  const kernDef =
    mode === "source" ? `function kern(x, out) {\n${reduced.eval2Source}\n}` : mode === "closure" ? `const kern = K;` : "";
  const body = `"use strict";
const tmp = new Float64Array(3);
${kernDef}
function energyForces(xs, fs, start, nbr, i0, i1, sc, si, sj, sv, tI, sI) {
  let U = 0;
  for (let i = i0; i < i1; i++) {
    const io = i * ${D}; ${loadI} ${perI}
    ${A.map((a) => `let fi${a} = 0;`).join(" ")}
    for (let p = start[i], pe = start[i + 1]; p < pe; p++) {
      const j = nbr[p]; const jo = j * ${D}; ${sep(false)}
      ${scale}
      ${pairEF(true)}
    }
    ${A.map((a) => `fs[io + ${a}] += fi${a};`).join(" ")}
  }
  for (let p = 0; p < sc; p++) {
    const i = si[p]; const j = sj[p]; const io = i * ${D}; const jo = j * ${D}; const so = p * ${D}; ${loadI} ${perI}
    ${sep(true)}
    ${scale}
    ${pairEF(false)}
  }
  return U;
}
function energy(xs, start, nbr, i0, i1, sc, si, sj, sv, tI, sI) {
  let U = 0;
  for (let i = i0; i < i1; i++) {
    const io = i * ${D}; ${loadI} ${perI}
    for (let p = start[i], pe = start[i + 1]; p < pe; p++) {
      const j = nbr[p]; const jo = j * ${D}; ${sep(false)}
      ${scale}
      ${pairE}
    }
  }
  for (let p = 0; p < sc; p++) {
    const i = si[p]; const j = sj[p]; const io = i * ${D}; const jo = j * ${D}; const so = p * ${D}; ${loadI} ${perI}
    ${sep(true)}
    ${scale}
    ${pairE}
  }
  return U;
}
return { energyForces, energy };
`;
  const IL = types ? tables.invLambda : new Float64Array(0);
  const EP = types ? tables.epsilon : new Float64Array(0);
  const RC2 = types ? tables.cutoff2 : new Float64Array(0);
  // Loops whose kernel is fully in the source are shared by every system of the same model
  // (same source and tables ⇒ same code, so shared type feedback is monomorphic anyway).
  const key = mode === "closure" ? null : `${body}|${Array.from(IL)}|${Array.from(EP)}|${Array.from(RC2)}`;
  const hit = key === null ? undefined : compiled.get(key);
  if (hit !== undefined) return hit;
  const src = `// glassmech pair loop: model=${name} d=${d} scales=${tables.kind} kernel=${mode} #${++serial}\n${body}`;
  const K = (x: number, out: Float64Array): void => reduced.eval2(x, out);
  let made: { energyForces: CompiledEnergyForces; energy: CompiledEnergy };
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    made = new Function("K", "IL", "EP", "RC2", src)(K, IL, EP, RC2) as typeof made;
  } catch (e) {
    throw new GlassmechError(`could not compile the pair loop of model ${name}: ${(e as Error).message}`);
  }
  const loops: CompiledLoops = { energyForces: made.energyForces, energy: made.energy, kernel: mode, source: src };
  if (key !== null) compiled.set(key, loops);
  return loops;
}
