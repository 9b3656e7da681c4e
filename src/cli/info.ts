import type { Command } from "commander";
import { numberDensity } from "../core/configuration.js";
import { PairSystem } from "../forces/pairSystem.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { createModel, formatDescriptor } from "../models/index.js";
import { assertFiniteEnergy } from "../observables/sanity.js";
import { addReadOptions, readOptionsFrom } from "./options.js";

/**
 * `glassmech info FILE [--json]`: size, box, density, model and the pair observables of one
 * configuration (SPEC §4.1, §4.4), under the names of SPEC §10.
 */
export interface InfoResult {
  file: string;
  N: number;
  d: number;
  boxLengths: number[];
  density: number;
  model: string;
  energyPerParticle: number;
  pressure: number;
  pressurePlus: number;
  pressureMinus: number;
  maxForce: number;
  coordination: number;
  stickiness: number;
}

/** Computes the info of a file (also used by tests). */
export function info(file: string, options: Parameters<typeof readConfiguration>[1] = {}): InfoResult {
  const config = readConfiguration(file, options);
  const model = createModel(config.model);
  const m = new PairSystem(config, model).measure(config.positions);
  assertFiniteEnergy(m.energyPerParticle, m.maxForce, { file });
  return {
    file,
    N: config.n,
    d: config.d,
    boxLengths: Array.from(config.box.lengths()),
    density: numberDensity(config),
    model: formatDescriptor({ name: model.name, params: model.params }),
    energyPerParticle: m.energyPerParticle,
    pressure: m.pressure,
    pressurePlus: m.pressurePlus,
    pressureMinus: m.pressureMinus,
    maxForce: m.maxForce,
    coordination: m.coordination,
    stickiness: m.stickiness,
  };
}

export function registerInfo(program: Command): void {
  const cmd = program
    .command("info")
    .description("print N, d, box, density, model, energy, pressures, max force, coordination and stickiness of a configuration")
    .argument("<file>", "configuration (.xyz, .data, .dump)")
    .option("--json", "print JSON with the keys of SPEC §10");
  addReadOptions(cmd);
  cmd.action((file: string) => {
    const r = info(file, readOptionsFrom(cmd));
    if (cmd.opts().json === true) {
      process.stdout.write(JSON.stringify(r, null, 2) + "\n");
      return;
    }
    const rows: [string, string][] = Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? v.join(" ") : String(v)]);
    const w = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n") + "\n");
  });
}
