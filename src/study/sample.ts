import { existsSync, mkdirSync, unlinkSync } from "node:fs";
import { fileCheckpointStore } from "../io/checkpointFile.js";
import { writeConfiguration } from "../io/readConfiguration.js";
import { writeVectorMarket } from "../io/matrixMarket.js";
import { writeFileAtomic } from "../io/text.js";
import { createModel } from "../models/index.js";
import { fitOptionsToGlass, measureGlass } from "../registry/measure.js";
import { makeGlass } from "../protocols/makeGlass.js";
import { claimSample, releaseClaim, type LockHolder } from "./lock.js";
import { ENSEMBLE_STREAM_STRIDE, type StudySpec } from "./spec.js";
import { removeSampleLeftovers, samplePaths, type FailureRecord } from "./store.js";

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
    checkpoint: fileCheckpointStore(paths.checkpoint),
  });
  writeConfiguration(paths.glass, config);
  const ms = fitOptionsToGlass({ ...spec.measure, ...e.measure }, config.n, config.d);
  // The measurement's random choices (dipole subset, quartic-mode starts) come from the sample's
  // own (seed, stream), as its glass does (Rng.forPurpose).
  const { result: measurement, vectors } = measureGlass(config, model, { ...ms, seed: spec.seed, stream: task.ensemble * ENSEMBLE_STREAM_STRIDE + task.sample });
  // Vectors kept beside the glass (the softest quartic mode, `qlm-000k.mtx`) for the report's views.
  for (const [name, v] of vectors) writeVectorMarket(paths.vector(name), v.vector, [`${v.comment}: ${e.label} sample ${task.sample}`]);
  // timing is a nested object so that ensemble means (which average top-level numbers) skip it.
  const result = { ...measurement, label: e.label, sample: task.sample, tp: task.tp, glassFile: paths.glass, make: report, timing: { seconds: (Date.now() - t0) / 1000 } };
  // The checkpoint goes first: a sample with a result must never leave one behind (a kill in
  // between only costs remaking this glass, which gives the same glass).
  if (existsSync(paths.checkpoint)) unlinkSync(paths.checkpoint);
  writeFileAtomic(paths.result, JSON.stringify(result) + "\n");
  return {
    label: e.label,
    sample: task.sample,
    energyPerParticle: measurement.energyPerParticle as number,
    shearModulus: measurement.shearModulus as number,
    bulkModulus: measurement.bulkModulus as number,
    seconds: (Date.now() - t0) / 1000,
  };
}

/** How one sample went in a sharded, claimed run (see runClaimedSample). */
export type SampleOutcome =
  | { kind: "done"; summary: SampleSummary }
  | { kind: "busy"; label: string; sample: number }
  | { kind: "failed"; failure: FailureRecord };

/**
 * Runs one sample under the run's lock: claims it first (another live run making it → "busy"),
 * makes and measures it, and releases the claim. A failure (a minimizer that does not converge,
 * an unstable MD…) is written to failed-000k.json and returned instead of thrown, so one bad
 * glass does not stop the thousands of others; a rerun retries it.
 */
export function runClaimedSample(spec: StudySpec, dir: string, task: SampleTask, holder: LockHolder): SampleOutcome {
  const label = spec.ensembles[task.ensemble].label;
  const paths = samplePaths(dir, label, task.sample);
  if (existsSync(paths.result)) return { kind: "busy", label, sample: task.sample }; // finished by another run meanwhile
  mkdirSync(paths.folder, { recursive: true });
  const claim = claimSample(holder, paths.claim);
  if (claim === "busy") return { kind: "busy", label, sample: task.sample };
  try {
    if (existsSync(paths.result)) return { kind: "busy", label, sample: task.sample };
    if (claim === "taken-over") removeSampleLeftovers(dir, label, task.sample);
    const summary = runSample(spec, dir, task);
    if (existsSync(paths.failed)) unlinkSync(paths.failed);
    return { kind: "done", summary };
  } catch (e) {
    const failure: FailureRecord = {
      label,
      sample: task.sample,
      error: (e as Error).message,
      shard: holder.record.shard,
      host: holder.record.owner.host,
      pid: holder.record.owner.pid,
      time: new Date().toISOString(),
    };
    writeFileAtomic(paths.failed, JSON.stringify(failure) + "\n");
    return { kind: "failed", failure };
  } finally {
    releaseClaim(paths.claim);
  }
}
