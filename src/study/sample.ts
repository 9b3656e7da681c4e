import { existsSync, mkdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { writeConfiguration } from "../io/readConfiguration.js";
import { writeFileAtomic } from "../io/text.js";
import { createModel } from "../models/index.js";
import { measureGlass } from "../observables/measureGlass.js";
import { makeGlass } from "../protocols/makeGlass.js";
import { ENSEMBLE_STREAM_STRIDE, type StudySpec } from "./spec.js";

/** One unit of study work: glass `sample` of ensemble `ensemble`, at the resolved T_p. */
export interface SampleTask {
  ensemble: number;
  sample: number;
  tp: number;
}

export interface SampleSummary {
  label: string;
  sample: number;
  energyPerParticle: number;
  shearModulus: number;
  bulkModulus: number;
  seconds: number;
}

/** Where sample k of an ensemble lives: `<dir>/<label>/glass-000k.xyz` and `result-000k.json`. */
export function samplePaths(dir: string, label: string, sample: number): { folder: string; glass: string; result: string; checkpoint: string } {
  const folder = join(dir, label);
  const tag = String(sample).padStart(4, "0");
  return {
    folder,
    glass: join(folder, `glass-${tag}.xyz`),
    result: join(folder, `result-${tag}.json`),
    checkpoint: join(folder, `.checkpoint-${tag}.json`),
  };
}

/**
 * Makes and measures one glass. The result file is written last and atomically: its presence
 * means the sample is complete, so a study killed at any moment resumes without losing or
 * duplicating a sample (a half-made glass resumes from its own checkpoint).
 */
export function runSample(spec: StudySpec, dir: string, task: SampleTask): SampleSummary {
  const t0 = Date.now();
  const e = spec.ensembles[task.ensemble];
  const model = createModel(e.model);
  const paths = samplePaths(dir, e.label, task.sample);
  mkdirSync(paths.folder, { recursive: true });
  const g = { ...spec.glass, ...e };
  const { config, report } = makeGlass({
    model,
    d: g.d,
    n: g.n,
    density: e.density,
    tp: task.tp,
    seed: spec.seed,
    sample: task.ensemble * ENSEMBLE_STREAM_STRIDE + task.sample,
    protocol: g.protocol,
    equilibrator: g.equilibrator,
    sweeps: g.sweeps,
    swapFraction: g.swapFraction,
    time: g.time,
    steps: g.steps,
    rate: g.rate,
    thermostat: g.thermostat,
    dt: g.dt,
    minimizer: g.minimizer,
    fTol: g.fTol,
    checkpoint: paths.checkpoint,
  });
  writeConfiguration(paths.glass, config);
  const ms = { ...spec.measure, ...e.measure };
  const measurement = measureGlass(config, model, {
    tensor: ms.tensor,
    modes: ms.modes > 0 ? Math.min(ms.modes, config.n * config.d - config.d - 1) : undefined,
    dipoles: ms.dipoles > 0 ? ms.dipoles : undefined,
    // The dipole subset of a sample is drawn from its own stream (reproducible per sample).
    seed: spec.seed + task.ensemble * ENSEMBLE_STREAM_STRIDE + task.sample,
    decay: ms.decay,
  });
  const result = { ...measurement, label: e.label, sample: task.sample, tp: task.tp, glassFile: paths.glass, make: report };
  writeFileAtomic(paths.result, JSON.stringify(result) + "\n");
  if (existsSync(paths.checkpoint)) unlinkSync(paths.checkpoint);
  return {
    label: e.label,
    sample: task.sample,
    energyPerParticle: measurement.energyPerParticle,
    shearModulus: measurement.shearModulus,
    bulkModulus: measurement.bulkModulus,
    seconds: (Date.now() - t0) / 1000,
  };
}
