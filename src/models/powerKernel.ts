import { GlassmechError } from "../core/errors.js";
import type { ReducedPotential } from "./types.js";
import type { PowerTerm } from "./smoothing.js";

/**
 * Generates the hot kernels of potentials that are (piecewise) sums of power terms
 * f(x) = Σ A x^p — QSS, PSS, IPL, POLY and KABLJ (SPEC §1). Each derivative is written out term by
 * term, f^(k)(x) = Σ A (p)_k x^(p−k), with the coefficients A (p)_k as numeric literals and the
 * powers built from x² chains and 1/x by multiplication (no Math.pow for integer p).
 *
 * The generated source is the single source of truth: eval2 and eval4 are compiled from it, so
 * `eval2Source` reproduces eval2 bit for bit by construction, and eval4's f, f', f'' use the very
 * same expressions as eval2.
 */

/** One branch of a piecewise potential: `terms` apply for x < `below` (the last piece up to xc). */
export interface PowerPiece {
  readonly below: number;
  readonly terms: readonly PowerTerm[];
}

/** A number as a JavaScript literal that parses back to the same double (shortest round trip). */
export function literal(v: number): string {
  if (!Number.isFinite(v)) throw new GlassmechError(`potential coefficient ${v} is not finite`);
  return v < 0 || Object.is(v, -0) ? `(${String(v)})` : String(v);
}

function fallingFactorial(p: number, k: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c *= p - i;
  return c;
}

/** Emits `const` lines for the powers x^n used by a piece; names are deterministic functions of n. */
class PowerNames {
  private readonly lines: string[] = [];
  private readonly known = new Set<string>();
  constructor(private readonly indent: string) {}

  name(n: number): string {
    if (n === 1) return "x";
    if (n === -1) return this.define("xm1", "1 / x");
    if (!Number.isInteger(n)) {
      const id = `xr${String(n).replace(/\W/g, "_")}`;
      return this.define(id, `Math.pow(x, ${literal(n)})`);
    }
    const base = n > 0 ? "x" : this.name(-1);
    const m = Math.abs(n);
    const id = n > 0 ? `xp${m}` : `xm${m}`;
    if (this.known.has(id)) return id;
    const sign = n > 0 ? 1 : -1;
    // x^n is a fixed function of n (squaring for even n, one more factor for odd n), so any
    // two kernels using the same power compute it identically.
    if (m === 2) return this.define(id, `${base} * ${base}`);
    if (m % 2 === 0) {
      const h = this.name((sign * m) / 2);
      return this.define(id, `${h} * ${h}`);
    }
    return this.define(id, `${this.name(sign * (m - 1))} * ${base}`);
  }

  private define(id: string, expr: string): string {
    if (!this.known.has(id)) {
      this.known.add(id);
      this.lines.push(`${this.indent}const ${id} = ${expr};`);
    }
    return id;
  }

  code(): string[] {
    return this.lines;
  }
}

function pieceBody(piece: PowerPiece, order: number, indent: string): string[] {
  const pw = new PowerNames(indent);
  const outs: string[] = [];
  for (let k = 0; k <= order; k++) {
    const parts: string[] = [];
    for (const t of piece.terms) {
      const c = t.coef * fallingFactorial(t.power, k);
      if (c === 0) continue;
      const q = t.power - k;
      parts.push(q === 0 ? literal(c) : `${literal(c)} * ${pw.name(q)}`);
    }
    outs.push(`${indent}out[${k}] = ${parts.length > 0 ? parts.join(" + ") : "0"};`);
  }
  return [...pw.code(), ...outs];
}

/** The body of `function (x, out) {…}` writing f … f^(order) into out[0..order]. */
export function powerKernelSource(pieces: readonly PowerPiece[], order: number): string {
  if (pieces.length === 0) throw new GlassmechError("power kernel needs at least one piece");
  if (pieces.length === 1) return pieceBody(pieces[0]!, order, "").join("\n");
  const lines: string[] = [];
  pieces.forEach((piece, i) => {
    if (i < pieces.length - 1) {
      lines.push(`if (x < ${literal(piece.below)}) {`, ...pieceBody(piece, order, "  "), "  return;", "}");
    } else {
      lines.push(...pieceBody(piece, order, ""));
    }
  });
  return lines.join("\n");
}

type Kernel = (x: number, out: Float64Array) => void;

/** Compiles a kernel body produced by powerKernelSource (or written by hand) into a function. */
export function compileKernel(body: string): Kernel {
  return new Function("x", "out", `"use strict";\n${body}`) as Kernel;
}

/** The ReducedPotential of a piecewise power sum with cutoff xc. */
export function powerPotential(pieces: readonly PowerPiece[], xc: number): ReducedPotential {
  const eval2Source = powerKernelSource(pieces, 2);
  return {
    xc,
    eval2: compileKernel(eval2Source),
    eval4: compileKernel(powerKernelSource(pieces, 4)),
    eval2Source,
  };
}
