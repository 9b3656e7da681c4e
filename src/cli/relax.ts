import { Option, type Command } from "commander";
import { PairSystem } from "../forces/pairSystem.js";
import { readConfiguration, writeConfiguration } from "../io/readConfiguration.js";
import { minimize } from "../minimize/index.js";
import { createModel } from "../models/index.js";
import { addReadOptions, integerArg, numberArg, positiveIntegerArg, readOptionsFrom } from "./options.js";
import { progressReporter } from "./progress.js";

/** `glassmech relax IN OUT`: minimize the energy of a configuration (SPEC §3.4). */
export function registerRelax(program: Command): void {
  const cmd = program
    .command("relax")
    .description("minimize the energy of a configuration to max per-particle force < ftol (SPEC §3.4)")
    .argument("<in>", "configuration to relax")
    .argument("<out>", "where to write the minimum")
    .addOption(new Option("--minimizer <m>", "energy minimizer").choices(["cg", "fire"]).default("cg"))
    .option("--ftol <f>", "largest per-particle force norm at convergence", numberArg, 1e-10)
    .option("--max-iterations <k>", "iteration budget (not converging is an error)", integerArg, 1000000)
    .option("--threads <k>", "threads of the pair loop (results are bit-identical for a fixed count; see README, Threads)", positiveIntegerArg, 1)
    .option("--json", "print the result as JSON")
    .option("--quiet", "no progress output");
  addReadOptions(cmd);
  cmd.action((input: string, output: string) => {
    const o = cmd.opts() as Record<string, unknown>;
    const config = readConfiguration(input, readOptionsFrom(cmd));
    const system = new PairSystem(config, createModel(config.model), { threads: o.threads as number });
    const progress = progressReporter("relax", { quiet: o.quiet === true });
    const t0 = Date.now();
    const r = minimize(system.energyForcesFn, config.positions, {
      d: config.d,
      method: o.minimizer as "cg" | "fire",
      fTol: o.ftol as number,
      maxIterations: o.maxIterations as number,
      onProgress: (p) => progress.update("minimize", p.iterations, NaN, `max force ${p.maxForce.toExponential(2)}`),
      progressEvery: 200,
      vectors: system.vectors,
    });
    progress.stop();
    system.close();
    const positions = Float64Array.from(r.x);
    config.box.wrap(positions);
    writeConfiguration(output, { ...config, positions });
    const result = {
      file: output,
      method: r.method,
      iterations: r.iterations,
      energyEvaluations: r.energyEvaluations,
      // A minimization that does not converge is an error (minimize.ts), so a written result converged.
      converged: r.converged,
      energyPerParticle: r.energy / config.n,
      maxForce: r.maxForce,
      threads: system.threads,
      seconds: (Date.now() - t0) / 1000,
    };
    if (o.json === true) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    else
      process.stdout.write(
        `wrote ${output}: ${r.method} ${r.iterations} iterations (${r.energyEvaluations} evaluations), U/N = ${result.energyPerParticle.toPrecision(12)}, max force ${r.maxForce.toExponential(2)}, ${result.seconds.toFixed(2)} s\n`,
      );
  });
}
