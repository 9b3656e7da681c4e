import { readFileSync } from "node:fs";
import { GlassmechError } from "../core/errors.js";
import { parseDescriptor, type ModelDescriptor } from "../core/descriptor.js";
import { createModel } from "../models/index.js";
import { parseStartSpec } from "../observables/qlmStarts.js";
import { checkRandomStart, MAX_PARTICLES } from "../protocols/randomStart.js";

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
 * Every glass option of `glassmech make` may appear in `glass` (study-wide) or in an ensemble
 * (which wins). The random stream of sample k of ensemble e is `Rng.forSample(seed, e·10⁶ + k)`.
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

export interface MeasureSettings {
  /** Lowest nonzero modes per glass (0 = none). */
  modes: number;
  /** Dipole responses per glass (0 = none). */
  dipoles: number;
  /** Full elastic tensor. */
  tensor: boolean;
  /** Partial g(r) per glass (SPEC §4.5). */
  gr?: boolean;
  /** With modes: the Hessian energy decomposition k±, f± of each mode (SPEC §4.6). */
  energyDecomposition?: boolean;
  /** Dipoles only on pairs with |f_ij|/(p a0²) below this (SPEC §6.2; off by default). */
  forceFilter?: number;
  /** Quartic modes per glass (SPEC §6.4–6.6): starts "shear" or "dipoles:M", the k softest kept (default 5). */
  qlm?: { starts: string; k?: number };
  /** Analysis only (changing it keeps the glasses): ω_c/ω_ph of A_g, D(ω)'s ω⁴ fit and Ne0 (default 0.75). */
  omegaCutFraction?: number;
  /** Analysis only: threshold frequency of Ne0 (default ω_c), in units of sqrt(ε/(m λ²)). */
  ne0Threshold?: number;
  /** Decay function c(r) and ξ_g from the dipole responses (SPEC §6.3). */
  decay: boolean;
}

export interface EnsembleSpec extends Partial<GlassSettings> {
  label: string;
  model: ModelDescriptor;
  density?: number;
  tp: number | "auto";
  samples: number;
  /** Measurement settings of this ensemble where they differ from the study's (e.g. no modes at N = 10⁵). */
  measure?: Partial<MeasureSettings>;
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
  const glassKeys = ["d", "n", "time", "steps", "protocol", "equilibrator", "sweeps", "swapFraction", "rate", "thermostat", "dt", "minimizer", "fTol"];
  const g = obj(top.glass ?? {}, "study.glass");
  known(g, glassKeys, "study.glass");
  const glass = glassSettings(g, "study.glass", fail, { d: 3, n: 1000 }) as GlassSettings;
  const count = (v: unknown, what: string): number => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : fail(`${what} must be a non-negative integer`));
  const flag = (v: unknown, what: string): boolean => (typeof v === "boolean" ? v : fail(`${what} must be true or false`));
  const measureSettings = (v: unknown, what: string): Partial<MeasureSettings> => {
    const m = obj(v, what);
    known(m, ["modes", "dipoles", "tensor", "decay", "gr", "energyDecomposition", "qlm", "forceFilter", "omegaCutFraction", "ne0Threshold"], what);
    const out: Partial<MeasureSettings> = {};
    const positive = (k: "forceFilter" | "ne0Threshold"): void => {
      if (m[k] === undefined) return;
      if (!(typeof m[k] === "number" && (m[k] as number) > 0 && Number.isFinite(m[k]))) fail(`${what}.${k} must be a positive number`);
      out[k] = m[k] as number;
    };
    if (m.gr !== undefined) out.gr = flag(m.gr, `${what}.gr`);
    if (m.qlm !== undefined) {
      const q = obj(m.qlm, `${what}.qlm`);
      known(q, ["starts", "k"], `${what}.qlm`);
      if (typeof q.starts !== "string") fail(`${what}.qlm.starts must be "shear" or "dipoles:M"`);
      try {
        parseStartSpec(q.starts as string);
      } catch (e) {
        fail(`${what}.qlm.starts: ${(e as Error).message}`);
      }
      if (q.k !== undefined && !(Number.isInteger(q.k) && (q.k as number) >= 1)) fail(`${what}.qlm.k must be a positive integer`);
      out.qlm = q.k === undefined ? { starts: q.starts as string } : { starts: q.starts as string, k: q.k as number };
    }
    if (m.energyDecomposition !== undefined) out.energyDecomposition = flag(m.energyDecomposition, `${what}.energyDecomposition`);
    positive("forceFilter");
    positive("ne0Threshold");
    if (m.omegaCutFraction !== undefined) {
      const f = m.omegaCutFraction;
      if (!(typeof f === "number" && f > 0 && f <= 1)) fail(`${what}.omegaCutFraction must be in (0, 1] (ω_c = fraction · ω_ph)`);
      out.omegaCutFraction = f as number;
    }
    if (m.modes !== undefined) out.modes = count(m.modes, `${what}.modes`);
    if (m.dipoles !== undefined) out.dipoles = count(m.dipoles, `${what}.dipoles`);
    if (m.tensor !== undefined) out.tensor = flag(m.tensor, `${what}.tensor`);
    if (m.decay !== undefined) out.decay = flag(m.decay, `${what}.decay`);
    return out;
  };
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
    const out: EnsembleSpec = { label, model, density, tp, samples, ...glassSettings(o, what, fail, {}) };
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

function glassSettings(o: Record<string, unknown>, what: string, fail: (m: string) => never, defaults: Partial<GlassSettings>): Partial<GlassSettings> {
  const out: Partial<GlassSettings> = { ...defaults };
  const num = (k: string, ok: (v: number) => boolean, rule: string): void => {
    if (o[k] === undefined) return;
    if (typeof o[k] !== "number" || !ok(o[k] as number)) fail(`${what}.${k} must be ${rule}`);
    (out as Record<string, unknown>)[k] = o[k];
  };
  const choice = (k: string, values: string[]): void => {
    if (o[k] === undefined) return;
    if (!values.includes(o[k] as string)) fail(`${what}.${k} must be one of ${values.join(", ")}`);
    (out as Record<string, unknown>)[k] = o[k];
  };
  num("d", (v) => v === 2 || v === 3 || v === 4, "2, 3 or 4");
  num("n", (v) => Number.isInteger(v) && v >= 2 && v <= MAX_PARTICLES, `an integer in [2, ${MAX_PARTICLES.toExponential(0)}]`);
  num("time", (v) => v >= 0 && v <= 1e7, "in [0, 10⁷]");
  num("steps", (v) => Number.isInteger(v) && v >= 0, "a non-negative integer");
  num("rate", (v) => v > 0, "positive");
  num("fTol", (v) => v > 0, "positive");
  choice("protocol", ["instant", "continuous"]);
  choice("equilibrator", ["md", "swap"]);
  num("sweeps", (v) => Number.isInteger(v) && v >= 1, "a positive integer");
  num("swapFraction", (v) => v >= 0 && v <= 1, "in [0, 1]");
  choice("thermostat", ["berendsen", "bussi"]);
  choice("minimizer", ["cg", "fire"]);
  if (o.dt !== undefined) {
    if (!(o.dt === "auto" || (typeof o.dt === "number" && o.dt > 0))) fail(`${what}.dt must be positive or "auto"`);
    out.dt = o.dt as number | "auto";
  }
  return out;
}
