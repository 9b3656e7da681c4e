import type { Command } from "commander";
import type { GlassResult } from "../study/ensemble.js";
import { glassesCsv, glassRow } from "../study/tables.js";
import { GlassmechError } from "../core/errors.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { createModel } from "../models/index.js";
import { DEFAULT_FORCE_TOLERANCE, macroscopicObservables, microscopicObservables, prepareGlass, quarticModeObservables, type GlassMeasurement } from "../observables/measureGlass.js";
import type { DipoleSolver } from "../observables/dipoles.js";
import { InvalidArgumentError } from "commander";
import { addReadOptions, fractionArg, integerArg, numberArg, positiveIntegerArg, readOptionsFrom, seedArg } from "./options.js";

/** The result of `glassmech measure`: the per-glass measurement plus the file and timings. */
export type MeasureResult = { file: string } & GlassMeasurement & { seconds: { prepare: number; observables: number } };

export interface MeasureCommandOptions {
  tensor?: boolean;
  gr?: boolean;
  binWidth?: number;
  forceTolerance?: number;
  cgTol?: number;
  /** SPEC §6.1: number of lowest modes. */
  modes?: number;
  /** SPEC §4.6: with modes, their Hessian energy decomposition. */
  energyDecomposition?: boolean;
  /** SPEC §6.4–6.6: quartic modes from these starts ("shear" or "dipoles:M"), the k softest. */
  qlm?: { starts: string; k?: number };
  /** SPEC §6.2: number of random dipoles, or "all". */
  dipoles?: number | "all";
  seed?: number;
  forceFilter?: number;
  /** SPEC §6.3: c(r) and ξ_g (100 dipoles unless `dipoles` says otherwise). */
  decay?: boolean;
  decayBinWidth?: number;
  solver?: DipoleSolver;
  blockSize?: number;
  allowUnstable?: boolean;
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
    m = quarticModeObservables(prepared, microscopicObservables(prepared, m, {
      modes: options.modes,
      energyDecomposition: options.energyDecomposition,
      dipoles: options.dipoles,
      seed: options.seed,
      forceFilter: options.forceFilter,
      decay: options.decay === true ? (options.decayBinWidth !== undefined ? { binWidth: options.decayBinWidth } : true) : false,
      solver: options.solver,
      blockSize: options.blockSize,
      allowUnstable: options.allowUnstable,
    }), { qlm: options.qlm });
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
    if (k === "elasticTensor" || k === "gr" || k === "seconds" || k === "dipoles" || k === "decay" || k === "dipoleInfo" || k === "microSeconds" || k === "modeResiduals" || k === "solves" || k === "energyDecomposition" || k === "qlm")
      continue;
    lines.push([k, fmt(v)]);
  }
  // One line per solve: what, how, iterations, residual against its tolerance.
  for (const s of r.solves ?? [])
    lines.push([`solve ${s.what}`, `${s.method}, ${s.iterations} iterations, residual ${s.residual.toExponential(1)} (tolerance ${s.tolerance.toExponential(0)})${s.converged ? "" : " NOT CONVERGED"}`]);
  if (r.energyDecomposition) {
    // SPEC §4.6: (ω/ω0)² = k+ + k− + f+ + f− (all over ω0²), for the softest modes.
    const e = r.energyDecomposition;
    const few = Math.min(3, e.kPlus.length);
    for (let l = 0; l < few; l++)
      lines.push([`mode ${l + 1} energy/ω0²`, `k+ ${e.kPlus[l].toPrecision(4)}, k− ${e.kMinus[l].toPrecision(4)}, f+ ${e.fPlus[l].toPrecision(4)}, f− ${e.fMinus[l].toPrecision(4)}${few < e.kPlus.length ? " (all modes with --json)" : ""}`]);
  }
  if (r.qlm) {
    const q = r.qlm;
    const soft = q.modes[0];
    lines.push(["quartic modes", soft === undefined ? `none converged from ${q.starts} starts (${q.flagged} flagged)` : `${q.modes.length} of ${q.distinctModes} distinct from ${q.starts} starts (${q.flagged} flagged); softest ω_π = ${soft.frequency.toPrecision(5)}, participation ${soft.participation.toPrecision(3)}, dilation/shear ${soft.dilationShear.toPrecision(3)}, ξ_QLM ${q.xiQlm === null ? "–" : q.xiQlm.toPrecision(4)} (all with --json)`]);
  }
  if (r.dipoleInfo) {
    const di = r.dipoleInfo;
    lines.push(["dipoles", `${di.excited} of ${di.eligible} pairs (seed ${di.seed}${di.forceFilter !== null ? `, |f|/(p a0²) < ${di.forceFilter}` : ""}; ${di.solver}, max residual ${di.maxResidual.toExponential(1)}; list with --json)`]);
  }
  if (r.decay) {
    const c = r.decay;
    lines.push(["xiG", c.xi !== null ? `${c.xi.toPrecision(5)} ± ${(c.xiStdError ?? NaN).toPrecision(2)} (ω_g = 2π c_s/ξ_g = ${(c.omegaG ?? NaN).toPrecision(5)}; c(r) on ${c.r.length} bins with --json)` : `— (${c.xiError})`]);
  }
  const ms = r.microSeconds;
  const micro = ms ? ` + ${(ms.factor + ms.modes + ms.dipoles + ms.decay).toFixed(3)} (factor ${ms.factor.toFixed(3)}, modes ${ms.modes.toFixed(3)}, dipoles ${ms.dipoles.toFixed(3)}, c(r) ${ms.decay.toFixed(3)})` : "";
  lines.push(["seconds", `${r.seconds.prepare.toFixed(3)} (pairs, Hessian) + ${r.seconds.observables.toFixed(3)} (moduli${r.elasticTensor ? ", tensor" : ""}${r.gr ? ", g(r)" : ""})${micro}`]);
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

function dipolesArg(value: string): number | "all" {
  if (value.trim() === "all") return "all";
  const v = integerArg(value);
  if (!(v >= 1)) throw new InvalidArgumentError(`'${value}' is not a positive number of dipoles or 'all'`);
  return v;
}

function solverArg(value: string): DipoleSolver {
  if (value === "auto" || value === "cholesky" || value === "cg") return value;
  throw new InvalidArgumentError(`'${value}' is not one of auto, cholesky, cg`);
}

/** `glassmech measure FILE [--json] [--tensor] [--gr] [--modes K] [--dipoles M] [--decay]`. */
export function registerMeasure(program: Command): void {
  const cmd = program
    .command("measure")
    .description("observables of a minimized glass: pressures, G, G_na, K, Poisson ratio, stickiness, scales (SPEC §4, §10); modes, dipoles, c(r) on request (SPEC §6.1–6.3)")
    .argument("<file>", "minimized configuration (.xyz, .data, .dump)")
    .option("--json", "print JSON with the keys of SPEC §10")
    .option("--csv", "print one CSV row with the columns of a study's glasses.csv")
    .option("--tensor", "also the full elastic tensor C_abce (Voigt form)")
    .option("--gr", "also partial g(r), g(r/λ) and g against φ'' < 0 (SPEC §4.5)")
    .option("--bin-width <w>", "g(r) bin width (default 0.02)", numberArg)
    .option("--force-tolerance <f>", "largest per-particle force accepted as a minimum", numberArg, DEFAULT_FORCE_TOLERANCE)
    .option("--cg-tol <t>", "relative residual of the moduli CG solves (default 1e-8; the moduli are accurate to ~tol²)", fractionArg)
    .option("--modes <k>", "also the k lowest nonzero modes: frequencies, participation ratios, ω_ph (SPEC §6.1)", integerArg)
    .option("--qlm <starts>", "also quartic modes (SPEC §6.4–6.6) from 'shear' or 'dipoles:M' starts (vectors: glassmech qlm --out)", (v: string) => {
      if (!/^(shear|dipoles(:\d+)?)$/i.test(v.trim())) throw new InvalidArgumentError(`'${v}' is not 'shear' or 'dipoles:M' (e.g. dipoles:200)`);
      return v.trim();
    })
    .option("--qlm-k <k>", "quartic modes kept per glass, softest first (default 5)", integerArg)
    .option("--energy-decomposition", "with --modes: each mode's Hessian energy k+, k−, f+, f− over ω0² (SPEC §4.6; seed 001 Eq. 10)")
    .option("--dipoles <m>", "also dipole responses of m random interacting pairs, or 'all' (SPEC §6.2)", dipolesArg)
    .option("--seed <s>", "seed of the random dipole subset (default 1)", seedArg)
    .option("--force-filter <x>", "only pairs with |f_ij|/(p a0²) < x (off by default)", numberArg)
    .option("--decay", "also c(r), r^(2d)c(r) and ξ_g of the dipole responses (SPEC §6.3; 100 dipoles unless --dipoles)")
    .option("--decay-bin-width <w>", "c(r) bin width (default a0/4)", numberArg)
    .option("--solver <s>", "dipole solver: auto (default), cholesky, cg", solverArg)
    .option("--block-size <b>", "right-hand sides per block solve (default 32 with Cholesky, 4 with CG)", positiveIntegerArg)
    .option("--allow-unstable", "report extra zero/negative modes instead of refusing the glass");
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
        modes: o.modes as number | undefined,
        dipoles: o.dipoles as number | "all" | undefined,
        seed: o.seed as number | undefined,
        forceFilter: o.forceFilter as number | undefined,
        decay: o.decay === true,
        energyDecomposition: o.energyDecomposition === true,
        qlm: o.qlm === undefined ? undefined : { starts: o.qlm as string, k: o.qlmK as number | undefined },
        decayBinWidth: o.decayBinWidth as number | undefined,
        solver: o.solver as DipoleSolver | undefined,
        blockSize: o.blockSize as number | undefined,
        allowUnstable: o.allowUnstable === true,
      },
      readOptionsFrom(cmd),
    );
    if (o.csv === true) process.stdout.write(glassesCsv([glassRow(r as unknown as GlassResult, { glass: file })]));
    else process.stdout.write(o.json === true ? JSON.stringify(r, null, 2) + "\n" : formatMeasurement(r));
  });
}
