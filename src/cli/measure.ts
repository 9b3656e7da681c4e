import { parseMemorySize } from "../core/memoryBudget.js";
import type { Command } from "commander";
import { glassesCsv, glassRow } from "../study/tables.js";
import { GlassmechError } from "../core/errors.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { createModel } from "../models/index.js";
import { DEFAULT_FORCE_TOLERANCE, prepareGlass } from "../observables/prepare.js";
import { measureOptions, OBSERVABLES } from "../registry/index.js";
import { measurePrepared } from "../registry/measure.js";
import type { GlassResult, Observable, Options } from "../registry/types.js";
import { addReadOptions, readOptionsFrom } from "./options.js";
import { progressReporter } from "./progress.js";
import { addSchemaFlags, schemaValues } from "./schemaFlags.js";

/** The result of `glassmech measure`: the file, the registry's keys, and the timings. */
export type MeasureResult = { file: string } & GlassResult & { seconds: { prepare: number; observables: number } };

/**
 * Reads a minimized glass and measures what the options ask for (the registry's observables,
 * keys of SPEC §10); a configuration that is not a minimum (max force above the tolerance) is
 * refused with an error naming the file.
 */
export function measureFile(file: string, options: Options = {}, readOptions: Parameters<typeof readConfiguration>[1] = {}, registry: readonly Observable[] = OBSERVABLES): MeasureResult {
  const config = readConfiguration(file, readOptions);
  const model = createModel(config.model, { file });
  const t0 = performance.now();
  let t1 = t0;
  let result: Record<string, unknown>;
  try {
    const prepared = prepareGlass(config, model, { forceTolerance: (options.forceTolerance as number | undefined) ?? DEFAULT_FORCE_TOLERANCE });
    t1 = performance.now();
    const progress = progressReporter("measure");
    try {
      result = measurePrepared(prepared, options, registry, (stage, done, total, detail) => progress.update(stage, done, total, detail)).result;
    } finally {
      progress.stop();
    }
  } catch (e) {
    // Name the file in every error (not a minimum, CG failure on an unstable configuration).
    if (e instanceof GlassmechError && e.file === undefined) throw new GlassmechError(e.message, { file });
    throw e;
  }
  const t2 = performance.now();
  return { file, ...(result as GlassResult), seconds: { prepare: (t1 - t0) / 1000, observables: (t2 - t1) / 1000 } };
}

function fmt(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(10);
  if (Array.isArray(v)) return v.map(fmt).join(" ");
  return String(v);
}

const isPlain = (v: unknown): boolean => v === null || ["number", "string", "boolean"].includes(typeof v) || (Array.isArray(v) && v.every((x) => typeof x === "number"));

/**
 * Human-readable rendering: a `key  value` line per scalar (and number list) key, then each
 * observable's own lines and tables (registry `text`, `textBlock`), then the timings.
 */
export function formatMeasurement(r: MeasureResult, registry: readonly Observable[] = OBSERVABLES): string {
  const own = new Set(registry.flatMap((o) => o.keys.filter((k) => k.text === false).map((k) => k.key)));
  const lines: [string, string][] = [];
  for (const [k, v] of Object.entries(r)) if (k !== "seconds" && k !== "microSeconds" && !own.has(k) && isPlain(v)) lines.push([k, fmt(v)]);
  const present = registry.filter((o) => o.keys.some((k) => r[k.key] !== undefined));
  for (const o of present) if (o.text !== undefined) lines.push(...o.text(r));
  const ms = r.microSeconds as { factor: number; modes: number; dipoles: number; decay: number } | undefined;
  const micro = ms ? ` + ${(ms.factor + ms.modes + ms.dipoles + ms.decay).toFixed(3)} (factor ${ms.factor.toFixed(3)}, modes ${ms.modes.toFixed(3)}, dipoles ${ms.dipoles.toFixed(3)}, c(r) ${ms.decay.toFixed(3)})` : "";
  lines.push(["seconds", `${r.seconds.prepare.toFixed(3)} (pairs, Hessian) + ${r.seconds.observables.toFixed(3)} (observables)${micro}`]);
  const w = Math.max(...lines.map(([k]) => k.length));
  let text = lines.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n") + "\n";
  for (const o of present) if (o.textBlock !== undefined) text += o.textBlock(r);
  return text;
}

/** `glassmech measure FILE [--json|--csv] [observable options]`: flags from the registry's declarations. */
export function registerMeasure(program: Command): void {
  const cmd = program
    .command("measure")
    .description("observables of a minimized glass: pressures, G, G_na, K, Poisson ratio, stickiness, scales (SPEC §4, §10); modes, dipoles, c(r), quartic modes… on request (SPEC §4.4–6.6)")
    .argument("<file>", "minimized configuration (.xyz, .data, .dump, .gsd)")
    .option("--json", "print JSON with the keys of SPEC §10")
    .option("--csv", "print one CSV row with the columns of a study's glasses.csv")
    .option("--max-memory <size>", "memory this run may use, e.g. 16G (sets GLASSMECH_MAX_MEMORY for the phases)");
  addSchemaFlags(cmd, measureOptions());
  addReadOptions(cmd);
  cmd.action((file: string) => {
    const o = cmd.opts() as Record<string, unknown>;
    if (typeof o.maxMemory === "string") {
      parseMemorySize(o.maxMemory, "--max-memory");
      process.env.GLASSMECH_MAX_MEMORY = o.maxMemory;
    }
    const r = measureFile(file, schemaValues(cmd, measureOptions()), readOptionsFrom(cmd));
    if (o.csv === true) process.stdout.write(glassesCsv([glassRow(r, { glass: file })]));
    else process.stdout.write(o.json === true ? JSON.stringify(r, null, 2) + "\n" : formatMeasurement(r));
  });
}
