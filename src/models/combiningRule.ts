/**
 * The per-particle combining rule of "sizes" models (PairScales kind "sizes", POLY), declared
 * once (SPEC §1.4):
 *   λ_ij = ½(λ_i + λ_j)(1 − n_a|λ_i − λ_j|),   ε_ij = ε.
 *
 * `combinedLambdaSource` is the one written form: the code generators (forces/compileLoop.ts,
 * neighbors/compileScan.ts, dynamics/swapMcKernels.ts) splice it into their loops, and
 * `combinedLambda`, which the readable paths call, is compiled from the same text, so every path
 * rounds λ_ij identically. The rule is symmetric bit for bit (a + b and |a − b| are), so the two
 * rows of a pair agree.
 */
import { literal } from "./powerKernel.js";

/**
 * λ_ij as a JavaScript expression of the expressions `li`, `lj` (identifiers or literals) and
 * `na` (an identifier or a literal).
 */
export function combinedLambdaSource(li: string, lj: string, na: string): string {
  return `0.5 * (${li} + ${lj}) * (1 - ${na} * Math.abs(${li} - ${lj}))`;
}

/** λ_ij of SPEC §1.4 for sizes λ_i, λ_j and non-additivity n_a. */
export const combinedLambda = new Function("li", "lj", "na", `"use strict"; return ${combinedLambdaSource("li", "lj", "na")};`) as (
  li: number,
  lj: number,
  na: number,
) => number;

/**
 * A bound of λ_ij over sizes in [lmin, lmax] (neighbor-list cutoffs, the reduced grid of g(r)):
 * ½(λ_i + λ_j) ≤ lmax and |λ_i − λ_j| ≤ lmax − lmin, so λ_ij ≤ lmax for n_a ≥ 0 (the exact
 * maximum, reached on the diagonal) and λ_ij ≤ lmax (1 − n_a (lmax − lmin)) for n_a < 0.
 */
export function largestCombinedLambda(lmin: number, lmax: number, na: number): number {
  return na < 0 ? lmax * (1 - na * (lmax - lmin)) : lmax;
}

/**
 * Source of the body of `function (p, lmax)` returning max_j λ(p, λ_j) over partners λ_j ≤ lmax,
 * for n_a ≥ 0 (the swap Monte Carlo pre-filter): for λ_j ≤ p the rule is at most p; for λ_j > p,
 * λ(p, λ_j) = ½[(p + λ_j) − n_a(λ_j² − p²)] grows with λ_j up to λ_j = 1/(2 n_a), so the maximum
 * is at λ_j = min(lmax, 1/(2 n_a)).
 */
export function largestPartnerSource(na: number): string {
  return [
    `const ls = ${na > 0 ? `Math.min(lmax, ${literal(0.5 / na)})` : "lmax"};`,
    "let m = p;",
    `if (ls > p) { const b = ${combinedLambdaSource("p", "ls", literal(na))}; if (b > m) m = b; }`,
    "return m;",
  ].join("\n");
}
