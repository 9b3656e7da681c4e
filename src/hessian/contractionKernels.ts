/**
 * The two hot passes of the quartic-mode search (hessian/contractions.ts), generated once per
 * dimension d with the component loops unrolled (as forces/compileLoop.ts does for the pair loop):
 * V8 keeps every component in registers, which the generic loops over k < d do not allow.
 *
 * Table layout, one row of d + 5 numbers per pair: n_0 … n_{d−1}, h1, h0, K4, K2, K0 (the
 * coefficients of contractions.ts). Semantics are exactly PairJets' evaluate and lineQuartic
 * (tested against the generic contractions).
 */
import { GlassmechError } from "../core/errors.js";

/** mz = M·z, t = U''''::zzz (both overwritten); result[0] = z·M·z, result[1] = U''''::zzzz. */
export type EvaluateKernel = (count: number, pi: Int32Array, pj: Int32Array, tab: Float64Array, z: Float64Array, mz: Float64Array, t: Float64Array, result: Float64Array) => void;

/** mp = M·p (overwritten); quartic[k] = coefficient of c^(4−k) s^k in U''''::(cz+sp)⁴. */
export type LineKernel = (count: number, pi: Int32Array, pj: Int32Array, tab: Float64Array, z: Float64Array, p: Float64Array, mp: Float64Array, quartic: Float64Array) => void;

const cache = new Map<number, { evaluate: EvaluateKernel; line: LineKernel }>();

export function contractionKernels(d: number): { evaluate: EvaluateKernel; line: LineKernel } {
  const hit = cache.get(d);
  if (hit !== undefined) return hit;
  if (!(Number.isInteger(d) && d >= 1 && d <= 8)) throw new GlassmechError(`contractions: unsupported dimension ${d}`);
  const K = Array.from({ length: d }, (_, k) => k);
  const S = d + 5;
  const head = (vecs: string[]) =>
    `const io = pi[q] * ${d}, jo = pj[q] * ${d}, o = q * ${S};\n` +
    K.map((k) => `const n${k} = tab[o + ${k}];`).join(" ") +
    "\n" +
    vecs.map((v) => K.map((k) => `const w${v}${k} = ${v}[jo + ${k}] - ${v}[io + ${k}];`).join(" ")).join("\n") +
    `\nconst h1 = tab[o + ${d}], h0 = tab[o + ${d + 1}], k4 = tab[o + ${d + 2}], k2 = tab[o + ${d + 3}], k0 = tab[o + ${d + 4}];`;
  const sum = (f: (k: number) => string) => K.map(f).join(" + ");
  const scatter = (out: string, expr: (k: number) => string) =>
    K.map((k) => `{ const v = ${expr(k)}; ${out}[jo + ${k}] += v; ${out}[io + ${k}] -= v; }`).join("\n");
  const evaluate = `"use strict";
return function evaluate(count, pi, pj, tab, z, mz, t, result) {
  mz.fill(0); t.fill(0);
  let A = 0, B = 0;
  for (let q = 0; q < count; q++) {
    ${head(["z"])}
    const a = ${sum((k) => `n${k} * wz${k}`)};
    const s = ${sum((k) => `wz${k} * wz${k}`)};
    const a2 = a * a;
    A += h1 * a2 + h0 * s;
    B += k4 * a2 * a2 + k2 * a2 * s + k0 * s * s;
    const mn = h1 * a, tn = k4 * a2 * a + 0.5 * k2 * a * s, tw = 0.5 * k2 * a2 + k0 * s;
    ${scatter("mz", (k) => `mn * n${k} + h0 * wz${k}`)}
    ${scatter("t", (k) => `tn * n${k} + tw * wz${k}`)}
  }
  result[0] = A; result[1] = B;
};`;
  const line = `"use strict";
return function lineQuartic(count, pi, pj, tab, z, p, mp, quartic) {
  mp.fill(0);
  let q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0;
  for (let q = 0; q < count; q++) {
    ${head(["z", "p"])}
    const az = ${sum((k) => `n${k} * wz${k}`)}, ap = ${sum((k) => `n${k} * wp${k}`)};
    const y0 = ${sum((k) => `wz${k} * wz${k}`)}, y1 = 2 * (${sum((k) => `wz${k} * wp${k}`)}), y2 = ${sum((k) => `wp${k} * wp${k}`)};
    const x0 = az * az, x1 = 2 * az * ap, x2 = ap * ap;
    q0 += k4 * x0 * x0 + k2 * x0 * y0 + k0 * y0 * y0;
    q1 += 2 * k4 * x0 * x1 + k2 * (x0 * y1 + x1 * y0) + 2 * k0 * y0 * y1;
    q2 += k4 * (x1 * x1 + 2 * x0 * x2) + k2 * (x0 * y2 + x1 * y1 + x2 * y0) + k0 * (y1 * y1 + 2 * y0 * y2);
    q3 += 2 * k4 * x1 * x2 + k2 * (x1 * y2 + x2 * y1) + 2 * k0 * y1 * y2;
    q4 += k4 * x2 * x2 + k2 * x2 * y2 + k0 * y2 * y2;
    const mn = h1 * ap;
    ${scatter("mp", (k) => `mn * n${k} + h0 * wp${k}`)}
  }
  quartic[0] = q0; quartic[1] = q1; quartic[2] = q2; quartic[3] = q3; quartic[4] = q4;
};`;
  const tag = `// glassmech quartic contractions d=${d}\n`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const made = { evaluate: new Function(tag + evaluate)() as EvaluateKernel, line: new Function(tag + line)() as LineKernel };
  cache.set(d, made);
  return made;
}
