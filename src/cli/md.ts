import { Option, type Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { MolecularDynamics, initMd, stateTemperature } from "../dynamics/index.js";
import { PairSystem } from "../forces/pairSystem.js";
import { readConfiguration, writeConfiguration } from "../io/readConfiguration.js";
import { createModel } from "../models/index.js";
import { autoTimeStep } from "../protocols/timestep.js";
import { addReadOptions, autoOrPositiveArg, integerArg, numberArg, positiveIntegerArg, readOptionsFrom, seedArg } from "./options.js";
import { progressReporter } from "./progress.js";

/**
 * `glassmech md IN OUT --t T --time τ`: NVT (or NVE with --t 0 --thermostat nve) molecular
 * dynamics from a configuration, starting from Maxwell–Boltzmann velocities at T (SPEC §3.2).
 * A .gsd output also stores the final velocities.
 */
export function registerMd(program: Command): void {
  const cmd = program
    .command("md")
    .description("run molecular dynamics (velocity Verlet + thermostat) from a configuration (SPEC §3.2)")
    .argument("<in>", "starting configuration")
    .argument("<out>", "final configuration")
    .requiredOption("--t <T>", "temperature", numberArg)
    .option("--time <t>", "simulated time (reduced units)", numberArg)
    .option("--steps <k>", "number of steps (instead of --time)", integerArg)
    .option("--dt <dt>", "time step, or 'auto'", autoOrPositiveArg, "auto")
    .addOption(new Option("--thermostat <t>", "thermostat").choices(["berendsen", "bussi", "nve"]).default("berendsen"))
    .option("--tau <tau>", "thermostat relaxation time (default 100 dt)", numberArg)
    .option("--seed <s>", "seed of the initial velocities and the stochastic thermostat", seedArg, 1)
    .option("--threads <k>", "threads of the pair loop (results are bit-identical for a fixed count; see README, Threads)", positiveIntegerArg, 1)
    .option("--json", "print the result as JSON")
    .option("--quiet", "no progress output");
  addReadOptions(cmd);
  cmd.action((input: string, output: string) => {
    const o = cmd.opts() as Record<string, unknown>;
    if ((o.time === undefined) === (o.steps === undefined)) throw new GlassmechError("md needs exactly one of --time and --steps");
    const config = readConfiguration(input, readOptionsFrom(cmd));
    const model = createModel(config.model);
    const system = new PairSystem(config, model, { threads: o.threads as number });
    const T = o.t as number;
    const dt = o.dt === "auto" ? autoTimeStep(model, T) : (o.dt as number);
    const nve = o.thermostat === "nve";
    const s = initMd(system.energyForcesFn, config.positions, {
      d: config.d,
      dt,
      thermostat: o.thermostat as "berendsen" | "bussi" | "nve",
      tau: o.tau as number | undefined,
      temperature: nve ? undefined : T,
      initialTemperature: T,
      seed: o.seed as number,
    });
    if (!(T >= 0)) throw new GlassmechError(`temperature --t must be ≥ 0, got ${T}`);
    if (o.time !== undefined && !((o.time as number) > 0)) throw new GlassmechError(`--time must be positive, got ${o.time}`);
    if (o.steps !== undefined && !((o.steps as number) >= 1)) throw new GlassmechError(`--steps must be a positive integer, got ${o.steps}`);
    const steps = (o.steps as number | undefined) ?? Math.round((o.time as number) / dt);
    // Rounding --time to whole steps must not silently give no dynamics at all.
    if (steps < 1) throw new GlassmechError(`--time ${o.time} is shorter than half a time step (dt = ${dt}); nothing would run`);
    const progress = progressReporter("md", { quiet: o.quiet === true });
    const t0 = Date.now();
    new MolecularDynamics(system.energyForcesFn, { vectors: system.vectors }).run(s, steps, {
      every: 100,
      onProgress: (st) => progress.update("md", st.step, steps, `T = ${stateTemperature(st).toFixed(3)}`),
    });
    progress.stop();
    system.close();
    const positions = Float64Array.from(s.x);
    config.box.wrap(positions);
    // GSD keeps the final velocities too (particles/velocity); the text formats do not.
    writeConfiguration(output, { ...config, positions }, undefined, { velocities: Float64Array.from(s.v), step: steps });
    const seconds = (Date.now() - t0) / 1000;
    const result = { file: output, steps, dt, threads: system.threads, time: s.time, temperature: stateTemperature(s), energyPerParticle: s.potentialEnergy / config.n, seconds, microsecondsPerAtomStep: (1e6 * seconds) / (steps * config.n) };
    if (o.json === true) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    else process.stdout.write(`wrote ${output}: ${steps} steps of dt = ${dt}, T = ${result.temperature.toFixed(4)}, U/N = ${result.energyPerParticle.toFixed(6)}, ${seconds.toFixed(1)} s (${result.microsecondsPerAtomStep.toFixed(3)} µs/atom-step)\n`);
  });
}
