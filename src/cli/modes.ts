import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { createModel } from "../models/index.js";
import { DEFAULT_FORCE_TOLERANCE, macroscopicObservables, prepareGlass } from "../observables/measureGlass.js";
import { glassModes } from "../observables/modes.js";
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
    .option("--json", "print JSON");
  addReadOptions(cmd);
  cmd.action((file: string) => {
    const o = cmd.opts() as { k: number; tol: number; allowUnstable?: boolean; forceTolerance: number; json?: boolean };
    const config = readConfiguration(file, readOptionsFrom(cmd));
    const model = createModel(config.model, { file });
    try {
      const t0 = performance.now();
      const prepared = prepareGlass(config, model, { forceTolerance: o.forceTolerance });
      const macro = macroscopicObservables(prepared);
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
        extraZeroModes: m.extraZeroModes,
        negativeModes: m.negativeModes,
        seconds: { total: (performance.now() - t0) / 1000, factor: m.seconds.factor, eigen: m.seconds.eigen },
      };
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
