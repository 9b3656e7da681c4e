import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import type { Configuration } from "../core/configuration.js";
import { formatExtxyz, type ExtxyzColumn } from "../io/extxyz.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { writeFileAtomic } from "../io/text.js";
import { createModel } from "../models/index.js";
import { DEFAULT_FORCE_TOLERANCE, prepareGlass } from "../observables/prepare.js";
import { measurePrepared } from "../registry/measure.js";
import { glassModes, type GlassModes } from "../observables/modes.js";
import { addReadOptions, integerArg, numberArg, readOptionsFrom } from "./options.js";

/**
 * `glassmech modes glass.xyz --k 50 [--json]`: the k lowest nonzero vibrational modes of a
 * minimized glass (SPEC §6.1): frequencies ω = sqrt(λ) (m = 1), participation ratios, residuals,
 * and the first phonon frequency ω_ph = 2π c_s/L for reference (c_s from the shear modulus).
 */
export function registerModes(program: Command): void {
  const cmd = program
    .command("modes")
    .description("lowest nonzero vibrational modes of a minimized glass: frequencies and participation ratios (SPEC §6.1)")
    .argument("<file>", "minimized glass")
    .option("--k <k>", "number of modes", integerArg, 50)
    .option("--tol <t>", "residual tolerance ‖Mv − λv‖/‖M‖", numberArg, 1e-10)
    .option("--allow-unstable", "report extra zero and negative modes instead of failing")
    .option("--force-tolerance <f>", "largest per-particle force accepted as a minimum", numberArg, DEFAULT_FORCE_TOLERANCE)
    .option("--vectors <file>", "also write the glass with the mode vectors as extended-XYZ columns mode_1 … mode_k (ASE: atoms.arrays['mode_1'])")
    .option("--json", "print JSON");
  addReadOptions(cmd);
  cmd.action((file: string) => {
    const o = cmd.opts() as { k: number; tol: number; allowUnstable?: boolean; forceTolerance: number; json?: boolean; vectors?: string };
    const config = readConfiguration(file, readOptionsFrom(cmd));
    const model = createModel(config.model, { file });
    try {
      const t0 = performance.now();
      const prepared = prepareGlass(config, model, { forceTolerance: o.forceTolerance });
      const macro = measurePrepared(prepared).result as { cs: number; omega0: number; a0: number; boxLengths: number[] };
      const m = glassModes(prepared.hessian, o.k, {
        tol: o.tol,
        allowUnstable: o.allowUnstable === true,
        cs: macro.cs,
        boxLengths: macro.boxLengths,
        positions: config.positions,
        box: config.box,
      });
      const result = {
        file,
        N: config.n,
        d: config.d,
        k: o.k,
        omegaPh: m.omegaPh,
        omega0: macro.omega0,
        frequencies: Array.from(m.frequencies),
        participationRatios: Array.from(m.participationRatios),
        maxResidual: Math.max(...m.residuals),
        // The eigensolver refuses an unconverged pair (linalg/modes.ts), so a result is converged.
        converged: true,
        iterations: m.iterations,
        extraZeroModes: m.extraZeroModes,
        negativeModes: m.negativeModes,
        seconds: { total: (performance.now() - t0) / 1000, factor: m.seconds.factor, eigen: m.seconds.eigen },
      };
      if (o.vectors !== undefined) writeModeVectors(o.vectors, config, m);
      if (o.json === true) {
        process.stdout.write(JSON.stringify(result, null, 2) + "\n");
        return;
      }
      process.stdout.write(
        `${file}: ${o.k} lowest modes (ω_ph = 2πc_s/L = ${m.omegaPh.toPrecision(5)}, ω0 = ${macro.omega0.toPrecision(5)}), max residual ${result.maxResidual.toExponential(1)}, ${result.seconds.total.toFixed(2)} s\n`,
      );
      process.stdout.write("    l       omega   omega/omega0          e\n");
      for (let l = 0; l < o.k; l++)
        process.stdout.write(
          `${String(l + 1).padStart(5)}  ${m.frequencies[l].toPrecision(8).padStart(10)}  ${(m.frequencies[l] / macro.omega0).toPrecision(5).padStart(13)}  ${m.participationRatios[l].toPrecision(4).padStart(9)}\n`,
        );
    } catch (e) {
      if (e instanceof GlassmechError && e.file === undefined) throw new GlassmechError(e.message, { file });
      throw e;
    }
  });
}

/**
 * The glass with its modes as extra extended-XYZ columns: mode_l (l = 1…k, unit vector, 3
 * components in 2D too, z = 0, so ASE and OVITO treat it like pos) and omega_l in the header.
 */
function writeModeVectors(path: string, config: Configuration, m: GlassModes): void {
  const { n, d } = config;
  const w = d === 2 ? 3 : d;
  const columns: ExtxyzColumn[] = [];
  const info: Record<string, number> = {};
  for (let l = 0; l < m.frequencies.length; l++) {
    const values = new Float64Array(n * w);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) values[i * w + a] = m.vectors[l * n * d + i * d + a]!;
    columns.push({ name: `mode_${l + 1}`, count: w, values });
    info[`omega_${l + 1}`] = m.frequencies[l]!;
  }
  writeFileAtomic(path, formatExtxyz(config, { columns, info }));
}
