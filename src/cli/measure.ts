import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { createModel } from "../models/index.js";
import { DEFAULT_FORCE_TOLERANCE, macroscopicObservables, prepareGlass, type GlassMeasurement } from "../observables/measureGlass.js";
import { addReadOptions, numberArg, readOptionsFrom } from "./options.js";

/** The result of `glassmech measure`: the per-glass measurement plus the file and timings. */
export type MeasureResult = { file: string } & GlassMeasurement & { seconds: { prepare: number; observables: number } };

export interface MeasureCommandOptions {
  tensor?: boolean;
  gr?: boolean;
  binWidth?: number;
  forceTolerance?: number;
  cgTol?: number;
}

/**
 * Reads a minimized glass and measures its macroscopic observables (SPEC §4, keys of SPEC §10);
 * a configuration that is not a minimum (max force above the tolerance) is refused with an error
 * naming the file.
 */
export function measureFile(
  file: string,
  options: MeasureCommandOptions = {},
  readOptions: Parameters<typeof readConfiguration>[1] = {},
): MeasureResult {
  const config = readConfiguration(file, readOptions);
  const model = createModel(config.model, { file });
  const t0 = performance.now();
  let t1 = t0;
  let m: GlassMeasurement;
  try {
    const prepared = prepareGlass(config, model, { forceTolerance: options.forceTolerance ?? DEFAULT_FORCE_TOLERANCE });
    t1 = performance.now();
    m = macroscopicObservables(prepared, {
      tensor: options.tensor === true,
      gr: options.gr === true ? (options.binWidth !== undefined ? { binWidth: options.binWidth } : true) : false,
      cg: options.cgTol !== undefined ? { tol: options.cgTol } : undefined,
    });
  } catch (e) {
    // Name the file in every error (not a minimum, CG failure on an unstable configuration).
    if (e instanceof GlassmechError && e.file === undefined) throw new GlassmechError(e.message, { file });
    throw e;
  }
  const t2 = performance.now();
  return { file, ...m, seconds: { prepare: (t1 - t0) / 1000, observables: (t2 - t1) / 1000 } };
}

function fmt(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(10);
  if (Array.isArray(v)) return v.map(fmt).join(" ");
  return String(v);
}

/** Human-readable rendering: one `key  value` line per scalar, the tensor as a Voigt table. */
export function formatMeasurement(r: MeasureResult): string {
  const lines: [string, string][] = [];
  for (const [k, v] of Object.entries(r)) {
    if (k === "elasticTensor" || k === "gr" || k === "seconds") continue;
    lines.push([k, fmt(v)]);
  }
  lines.push(["seconds", `${r.seconds.prepare.toFixed(3)} (pairs, Hessian) + ${r.seconds.observables.toFixed(3)} (moduli${r.elasticTensor ? ", tensor" : ""}${r.gr ? ", g(r)" : ""})`]);
  const w = Math.max(...lines.map(([k]) => k.length));
  let text = lines.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n") + "\n";
  if (r.elasticTensor) {
    const t = r.elasticTensor;
    text += `\nelastic tensor C_IJ (Voigt, stress–strain, pre-stress included; isotropic G = ${t.shearModulusIsotropic.toPrecision(8)})\n`;
    text += "      " + t.labels.map((l) => l.padStart(13)).join("") + "\n";
    t.voigt.forEach((row, I) => (text += t.labels[I].padEnd(6) + row.map((v) => v.toPrecision(7).padStart(13)).join("") + "\n"));
  }
  if (r.gr) {
    const g = r.gr;
    text += `\ng(r): ${g.r.length} bins of ${g.binWidth} up to r = ${g.rMax.toPrecision(6)}; first peaks:`;
    for (const p of g.partials) {
      let k = 0;
      for (let q = 1; q < p.g.length; q++) if (p.g[q] > p.g[k]) k = q;
      text += ` ${p.label} r=${g.r[k].toFixed(3)} (g=${p.g[k].toFixed(2)})`;
    }
    text += " (arrays with --json)\n";
  }
  return text;
}

/** `glassmech measure FILE [--json] [--tensor] [--gr]`. */
export function registerMeasure(program: Command): void {
  const cmd = program
    .command("measure")
    .description("macroscopic observables of a minimized glass: pressures, G, G_na, K, Poisson ratio, stickiness, scales (SPEC §4, §10)")
    .argument("<file>", "minimized configuration (.xyz, .data, .dump)")
    .option("--json", "print JSON with the keys of SPEC §10")
    .option("--tensor", "also the full elastic tensor C_abce (Voigt form)")
    .option("--gr", "also partial g(r), g(r/λ) and g against φ'' < 0 (SPEC §4.5)")
    .option("--bin-width <w>", "g(r) bin width (default 0.02)", numberArg)
    .option("--force-tolerance <f>", "largest per-particle force accepted as a minimum", numberArg, DEFAULT_FORCE_TOLERANCE)
    .option("--cg-tol <t>", "relative residual of the moduli CG solves (default 1e-8; the moduli are accurate to ~tol²)", numberArg);
  addReadOptions(cmd);
  cmd.action((file: string) => {
    const o = cmd.opts() as Record<string, unknown>;
    const r = measureFile(
      file,
      {
        tensor: o.tensor === true,
        gr: o.gr === true,
        binWidth: o.binWidth as number | undefined,
        forceTolerance: o.forceTolerance as number,
        cgTol: o.cgTol as number | undefined,
      },
      readOptionsFrom(cmd),
    );
    process.stdout.write(o.json === true ? JSON.stringify(r, null, 2) + "\n" : formatMeasurement(r));
  });
}
