import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { expansionDerivatives, shearDerivatives } from "../hessian/index.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { writeMatrixMarket, writeVectorMarket } from "../io/matrixMarket.js";
import { createModel } from "../models/index.js";
import { DEFAULT_FORCE_TOLERANCE, prepareGlass } from "../observables/prepare.js";
import { addReadOptions, numberArg, readOptionsFrom } from "./options.js";

/**
 * `glassmech hessian glass.xyz [--export h.mtx] [--xi-shear xs.mtx] [--xi-bulk xb.mtx]`: assembles
 * the Hessian M of a minimized glass (SPEC §4.2) and exports it in Matrix Market form
 * (real symmetric, lower triangle, particle-major index i·d + a, 1-based) so that
 * ../shared/bench/scipy_hessian.py can run SciPy on the identical matrix; optionally the strain
 * vectors Ξ_γ and Ξ_η as right-hand sides.
 */
export function registerHessian(program: Command): void {
  const cmd = program
    .command("hessian")
    .description("assemble the Hessian of a minimized glass, print its size, export it as Matrix Market (SPEC §4.2)")
    .argument("<file>", "minimized glass")
    .option("--export <mtx>", "write M (real symmetric coordinate, lower triangle)")
    .option("--xi-shear <mtx>", "write Ξ_γ (x–y simple shear) as a Matrix Market vector")
    .option("--xi-bulk <mtx>", "write Ξ_η (isotropic expansion) as a Matrix Market vector")
    .option("--force-tolerance <f>", "largest per-particle force accepted as a minimum", numberArg, DEFAULT_FORCE_TOLERANCE)
    .option("--json", "print JSON");
  addReadOptions(cmd);
  cmd.action((file: string) => {
    const o = cmd.opts() as { export?: string; xiShear?: string; xiBulk?: string; forceTolerance: number; json?: boolean };
    const config = readConfiguration(file, readOptionsFrom(cmd));
    const model = createModel(config.model, { file });
    const t0 = performance.now();
    let prepared;
    try {
      prepared = prepareGlass(config, model, { forceTolerance: o.forceTolerance });
    } catch (e) {
      if (e instanceof GlassmechError && e.file === undefined) throw new GlassmechError(e.message, { file });
      throw e;
    }
    const assembleSeconds = (performance.now() - t0) / 1000;
    const M = prepared.hessian;
    const t1 = performance.now();
    if (o.export !== undefined) writeMatrixMarket(o.export, M, { comments: [`glassmech Hessian of ${file}`, `${config.model.name} N=${config.n} d=${config.d}`] });
    if (o.xiShear !== undefined) writeVectorMarket(o.xiShear, shearDerivatives(prepared.records, config.n).xi, [`Xi_gamma of ${file}`]);
    if (o.xiBulk !== undefined) writeVectorMarket(o.xiBulk, expansionDerivatives(prepared.records, config.n).xi, [`Xi_eta of ${file}`]);
    const result = {
      file,
      N: config.n,
      d: config.d,
      order: config.n * config.d,
      blockNonzeros: M.colIdx.length,
      scalarNonzeros: M.colIdx.length * config.d * config.d,
      pairs: prepared.records.count,
      maxForce: prepared.summary.maxForce,
      seconds: { assemble: assembleSeconds, export: (performance.now() - t1) / 1000 },
      exported: o.export ?? null,
    };
    if (o.json === true) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    else
      process.stdout.write(
        `${file}: Hessian ${result.order}×${result.order}, ${result.blockNonzeros} ${config.d}×${config.d} blocks (${result.scalarNonzeros} nonzeros) from ${result.pairs} pairs; assembled in ${assembleSeconds.toFixed(3)} s` +
          (o.export !== undefined ? `; wrote ${o.export} in ${result.seconds.export.toFixed(2)} s` : "") +
          "\n",
      );
  });
}
