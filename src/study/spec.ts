import { readFileSync } from "node:fs";
import { GlassmechError } from "../core/errors.js";
import { parseDescriptor, type ModelDescriptor } from "../core/descriptor.js";
import { createModel } from "../models/index.js";
import { parseOptionBlock } from "../core/options.js";
import { observableOptions } from "../registry/index.js";
import { GLASS_OPTIONS } from "../protocols/glassOptions.js";
import { checkRandomStart } from "../protocols/randomStart.js";

/**
 * A study: several ensembles of glasses (one model + density + parent temperature each), made by
 * the same protocol and measured the same way. Written as JSON, e.g. examples/quick.json:
 *
 * ```json
 * { "name": "quick", "seed": 1,
 *   "glass": { "d": 3, "n": 500, "time": 20 },
 *   "measure": { "modes": 0, "dipoles": 0 },
 *   "ensembles": [ { "label": "pss-rc1.2", "model": "model=pss rc=1.2", "density": 0.6, "tp": 2, "samples": 4 } ] }
 * ```
 * Every glass option of `glassmech make` (protocols/glassOptions.ts) may appear in `glass`
 * (study-wide) or in an ensemble (which wins); the `measure` keys are the registry's (registry/). The random stream of sample k of ensemble e is `Rng.forSample(seed, e·10⁶ + k)`.
 */
export interface GlassSettings {
  d: number;
  n: number;
  time?: number;
  steps?: number;
  protocol?: "instant" | "continuous";
  equilibrator?: "md" | "swap";
  sweeps?: number;
  swapFraction?: number;
  rate?: number;
  thermostat?: "berendsen" | "bussi";
  dt?: number | "auto";
  minimizer?: "cg" | "fire";
  fTol?: number;
}

/**
 * The `measure` block: the study-allowed options of the registry's observables (registry/,
 * e.g. modes, dipoles, tensor, decay, gr, energyDecomposition, qlm, forceFilter, and the
 * analysis-only omegaCutFraction, ne0Threshold), checked against their declarations.
 */
export type MeasureSettings = Record<string, unknown>;

export interface EnsembleSpec extends Partial<GlassSettings> {
  label: string;
  model: ModelDescriptor;
  density?: number;
  tp: number | "auto";
  samples: number;
  /** Measurement settings of this ensemble where they differ from the study's (e.g. no modes at N = 10⁵). */
  measure?: MeasureSettings;
  /**
   * Label of another ensemble of the same model and d whose c(r) gives this ensemble's ξ_g,
   * ω_g = 2π c_s/ξ_g and 𝒩 (MicroscopicEnsembleOptions.decayFrom): A_g from small glasses, c(r)
   * from large ones, as seed 001 does.
   */
  decayFrom?: string;
}

export interface StudySpec {
  name: string;
  seed: number;
  glass: GlassSettings;
  measure: MeasureSettings;
  ensembles: EnsembleSpec[];
}

/** Streams of different ensembles never overlap for fewer than 10⁶ samples each. */
export const ENSEMBLE_STREAM_STRIDE = 1_000_000;

/** Study names and ensemble labels: a letter, digit or '_' first, then letters, digits, '.', '_', '-', at most 100. */
const SAFE_NAME = /^[A-Za-z0-9_][\w.-]{0,99}$/;
const SAFE_NAME_RULE = "a string of at most 100 letters, digits, '.', '_' or '-' that starts with a letter, digit or '_'";

export function readStudySpec(path: string): StudySpec {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new GlassmechError(`cannot read the study spec: ${(e as Error).message}`, { file: path });
  }
  return parseStudySpec(raw, path);
}

export function parseStudySpec(raw: unknown, file = "study spec"): StudySpec {
  const fail = (msg: string): never => {
    throw new GlassmechError(msg, { file });
  };
  const obj = (v: unknown, what: string): Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(`${what} must be an object`);
  const top = obj(raw, "the study spec");
  const known = (o: Record<string, unknown>, keys: string[], what: string): void => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${what}: unknown key '${k}' (known: ${keys.join(", ")})`);
  };
  known(top, ["name", "seed", "glass", "measure", "ensembles", "output"], "study");
  const name = typeof top.name === "string" && SAFE_NAME.test(top.name) ? top.name : fail(`study.name must be ${SAFE_NAME_RULE}`);
  const seed = Number.isSafeInteger(top.seed) && (top.seed as number) >= 0 ? (top.seed as number) : fail("study.seed must be a non-negative integer below 2^53");
  const glassKeys = GLASS_OPTIONS.map((g) => g.key);
  const g = obj(top.glass ?? {}, "study.glass");
  known(g, glassKeys, "study.glass");
  const glass = { d: 3, n: 1000, ...glassSettings(g, "study.glass", file) } as GlassSettings;
  const measureSettings = (v: unknown, what: string): MeasureSettings => parseOptionBlock(v, observableOptions(), what, file);
  const measure: MeasureSettings = { modes: 0, dipoles: 0, tensor: false, decay: false, ...measureSettings(top.measure ?? {}, "study.measure") };
  if (!Array.isArray(top.ensembles) || top.ensembles.length === 0) fail("study.ensembles must be a non-empty array");
  const labels = new Set<string>();
  const ensembles = (top.ensembles as unknown[]).map((e, k): EnsembleSpec => {
    const what = `ensembles[${k}]`;
    const o = obj(e, what);
    known(o, ["label", "model", "density", "tp", "samples", "measure", "decayFrom", ...glassKeys], what);
    // Labels name folders inside the study: '..' or '.x' or a '/' would escape or hide them.
    const label = typeof o.label === "string" && SAFE_NAME.test(o.label) ? o.label : fail(`${what}.label must be ${SAFE_NAME_RULE}`);
    if (labels.has(label)) fail(`${what}.label '${label}' is used twice`);
    labels.add(label);
    if (typeof o.model !== "string") fail(`${what}.model must be a descriptor string such as "model=pss rc=1.2"`);
    const model = parseDescriptor(o.model as string, { file });
    createModel(model, { file }); // validates name and parameters now, not in a worker later
    const density = o.density === undefined ? undefined : typeof o.density === "number" && o.density > 0 ? o.density : fail(`${what}.density must be positive`);
    try {
      const d = typeof o.d === "number" ? o.d : glass.d;
      checkRandomStart(d, typeof o.n === "number" ? o.n : glass.n, density ?? createModel(model).defaultDensity(d));
    } catch (e) {
      fail(`${what}: ${(e as Error).message}`);
    }
    const tp = o.tp === "auto" ? "auto" : typeof o.tp === "number" && o.tp > 0 ? o.tp : fail(`${what}.tp must be a positive number or "auto"`);
    const samples = Number.isInteger(o.samples) && (o.samples as number) >= 1 && (o.samples as number) < ENSEMBLE_STREAM_STRIDE ? (o.samples as number) : fail(`${what}.samples must be an integer in [1, 10⁶)`);
    const out: EnsembleSpec = { label, model, density, tp, samples, ...glassSettings(o, what, file) };
    if (o.measure !== undefined) out.measure = measureSettings(o.measure, `${what}.measure`);
    if (o.decayFrom !== undefined) out.decayFrom = typeof o.decayFrom === "string" ? o.decayFrom : fail(`${what}.decayFrom must be the label of another ensemble`);
    return out;
  });
  ensembles.forEach((e, k) => {
    if (e.decayFrom === undefined) return;
    const src = ensembles.find((x) => x.label === e.decayFrom);
    const what = `ensembles[${k}].decayFrom`;
    if (src === undefined || src === e) fail(`${what}: '${e.decayFrom}' is not the label of another ensemble`);
    if (JSON.stringify(src!.model) !== JSON.stringify(e.model) || (src!.d ?? glass.d) !== (e.d ?? glass.d)) fail(`${what}: '${e.decayFrom}' is not of the same model and d`);
    if (!(src!.measure?.decay ?? measure.decay)) fail(`${what}: '${e.decayFrom}' does not measure c(r) (measure.decay)`);
  });
  return { name, seed, glass, measure, ensembles };
}

/** The glass options among the keys of `o` (a study's `glass` block or an ensemble), checked against GLASS_OPTIONS. */
function glassSettings(o: Record<string, unknown>, what: string, file: string): Partial<GlassSettings> {
  const glassKeys = new Set(GLASS_OPTIONS.map((g) => g.key));
  const present = Object.fromEntries(Object.entries(o).filter(([k]) => glassKeys.has(k)));
  return parseOptionBlock(present, GLASS_OPTIONS, what, file) as Partial<GlassSettings>;
}
