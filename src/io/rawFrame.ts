import type { Box } from "../core/box.js";
import { validateConfiguration, type Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import type { ModelDescriptor } from "../core/descriptor.js";
import { createModel, modelDefinition, modelNames } from "../models/index.js";
import type { Model } from "../models/types.js";
import { typeOfElement } from "./elements.js";
import { formatFloat, type KeyValue } from "./text.js";

/**
 * What every reader produces before the model is known: geometry, per-particle columns and the
 * header's key=value entries. `toConfiguration` then resolves the model (file header, overridden
 * by the caller), maps species to types, checks that every particle is inside the box, and
 * returns a validated Configuration (SPEC §2).
 */
export interface RawFrame {
  readonly file: string;
  readonly d: number;
  readonly box: Box;
  readonly n: number;
  /** Positions relative to the box origin (the cell spans h·[0,1)^d), particle-major n·d. */
  readonly positions: Float64Array;
  /** 0-based types, or null when the file has only species names. */
  readonly types: Int32Array | null;
  /** Species names (used when `types` is null). */
  readonly species: readonly string[] | null;
  /** Per-particle λ_i (POLY), or null. */
  readonly sizes: Float64Array | null;
  /** Header entries that may carry the model descriptor (`model=…` and its parameters). */
  readonly header: readonly KeyValue[];
  /** 1-based line of those header entries (undefined for binary formats). */
  readonly headerLine: number | undefined;
  /** 1-based line of particle i's row (undefined for binary formats). */
  lineOf(i: number): number | undefined;
  /** Positions are unwrapped (LAMMPS xu/xsu columns): wrap them into the box without complaint. */
  readonly unwrapped?: boolean;
  /** Wrap particles whose fractional coordinates lie within this margin outside [0, 1) (default 0: refuse them). */
  readonly wrapMargin?: number;
}

/** How the caller overrides what a file says (CLI flags, SPEC §2). */
export interface ModelOverrides {
  /** Model name; replaces the file's model (the file's parameters are kept only if the name is the same). */
  readonly model?: string;
  /** Model parameters; override the file's values. */
  readonly params?: Readonly<Record<string, number>>;
  /** Map particles outside the box back into it instead of failing. */
  readonly wrap?: boolean;
}

/**
 * The model descriptor held in header entries: `model=<name>` plus the entries whose key is a
 * parameter of that model. Other keys (Lattice, pbc, energy, anything a foreign tool wrote) are
 * ignored, except that a key naming a parameter of *another* registered model is an error (a
 * misplaced `xc=` on a PSS file must not pass silently). Returns null without `model=`.
 */
export function descriptorFromHeader(entries: readonly KeyValue[], where: { file?: string; line?: number }): ModelDescriptor | null {
  const modelEntry = entries.find((e) => e.key.toLowerCase() === "model");
  if (modelEntry === undefined) return null;
  const name = modelEntry.value.toLowerCase();
  if (name === "") throw new GlassmechError("model= has no name", where);
  let own: Set<string>;
  try {
    own = new Set(modelDefinition(name).parameters.map((p) => p.name));
  } catch (e) {
    throw new GlassmechError((e as Error).message, where);
  }
  const foreign = new Set<string>();
  for (const m of modelNames()) for (const p of modelDefinition(m).parameters) if (!own.has(p.name)) foreign.add(p.name);
  const params: Record<string, number> = {};
  for (const { key: rawKey, value } of entries) {
    const key = own.has(rawKey) || foreign.has(rawKey) ? rawKey : rawKey.toLowerCase(); // tolerate RC=1.2
    if (own.has(key)) {
      const v = Number(value);
      if (value.trim() === "" || !Number.isFinite(v)) throw new GlassmechError(`model parameter ${key}=${value} is not a finite number`, where);
      params[key] = v;
    } else if (foreign.has(key)) {
      throw new GlassmechError(`model ${name} has no parameter '${key}' (its parameters: ${[...own].join(", ") || "none"})`, where);
    }
  }
  return { name, params };
}

/** Resolves the model of a file: header descriptor, overridden by `overrides`. */
export function resolveDescriptor(raw: Pick<RawFrame, "file" | "header" | "headerLine">, overrides: ModelOverrides = {}): { desc: ModelDescriptor; model: Model } {
  const fromFile = { file: raw.file, line: raw.headerLine };
  const extra = overrides.params ?? {};
  const hasExtra = Object.keys(extra).length > 0;
  let desc: ModelDescriptor;
  let where: { file?: string; line?: number } = fromFile;
  if (overrides.model !== undefined) {
    const name = overrides.model.toLowerCase();
    // The file's own descriptor only matters when it names the same model.
    let fileDesc: ModelDescriptor | null = null;
    try {
      fileDesc = descriptorFromHeader(raw.header, fromFile);
    } catch {
      fileDesc = null;
    }
    const base = fileDesc !== null && fileDesc.name === name ? fileDesc.params : {};
    desc = { name, params: { ...base, ...extra } };
    where = { file: raw.file };
  } else {
    const fileDesc = descriptorFromHeader(raw.header, fromFile);
    if (fileDesc === null)
      throw new GlassmechError(
        hasExtra
          ? "model parameters were given but the file names no model (no model=… in its header); give the model too (--model NAME)"
          : "no model in the file (no model=… in its header); give one (--model NAME and its parameters)",
        { file: raw.file },
      );
    desc = { name: fileDesc.name, params: { ...fileDesc.params, ...extra } };
    if (hasExtra) where = { file: raw.file };
  }
  return { desc, model: createModel(desc, where) };
}

/**
 * Species name → type index: the model's names, then S/L (small/large), then the element symbols
 * we write (H = type 0, He = type 1, …; src/io/elements.ts), then 1-based integers (LAMMPS-style).
 */
function speciesType(name: string, model: Model): number {
  const exact = model.species.indexOf(name);
  if (exact >= 0) return exact;
  const upper = name.toUpperCase();
  const ci = model.species.findIndex((s) => s.toUpperCase() === upper);
  if (ci >= 0) return ci;
  const ntypes = model.species.length;
  if (ntypes === 2 && (upper === "S" || upper === "SMALL")) return 0;
  if (ntypes === 2 && (upper === "L" || upper === "LARGE")) return 1;
  const element = typeOfElement(name);
  if (element >= 0) return element;
  if (/^[1-9]\d*$/.test(name)) return Number(name) - 1;
  return -1;
}

/** Number of types a model accepts (1 for per-particle-size models). */
export function modelTypeCount(model: Model): number {
  return model.scales.kind === "types" ? model.scales.ntypes : Math.max(1, model.species.length);
}

/** Finishes a reader's frame: model, types, sizes, box containment, validation. */
export function toConfiguration(raw: RawFrame, overrides: ModelOverrides = {}): Configuration {
  const { desc, model } = resolveDescriptor(raw, overrides);
  const { n, d, file } = raw;
  const ntypes = modelTypeCount(model);

  let types: Int32Array;
  if (raw.types !== null) {
    types = raw.types;
    for (let i = 0; i < n; i++)
      if (types[i]! < 0 || types[i]! >= ntypes)
        throw new GlassmechError(
          `particle ${i + 1} has type ${types[i]} but model ${model.name} has ${ntypes} type${ntypes === 1 ? "" : "s"} (0..${ntypes - 1})`,
          { file, line: raw.lineOf(i) },
        );
  } else {
    const species = raw.species;
    if (species === null) throw new GlassmechError("the file has neither a type nor a species column", { file });
    types = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const t = speciesType(species[i]!, model);
      if (t < 0 || t >= ntypes)
        throw new GlassmechError(
          `species '${species[i]}' is not a species of model ${model.name} (${model.species.join(", ")}; also S/L, the element symbols H, He, … or 1-based numbers) and the file has no type column`,
          { file, line: raw.lineOf(i) },
        );
      types[i] = t;
    }
  }

  let sizes: Float64Array | null = null;
  if (model.scales.kind === "sizes") {
    if (raw.sizes === null)
      throw new GlassmechError(`model ${model.name} needs per-particle sizes, but the file has no radius/diameter column`, { file });
    sizes = raw.sizes;
    for (let i = 0; i < n; i++)
      if (!(sizes[i]! > 0) || !Number.isFinite(sizes[i]!))
        throw new GlassmechError(`particle ${i + 1} has size ${sizes[i]}; sizes must be positive`, { file, line: raw.lineOf(i) });
  }

  // Containment: fractional coordinates in [0, 1) up to a tolerance of 1e-9 (rounding of a
  // foreign writer); positions themselves are kept bit for bit.
  const positions = raw.positions;
  if (raw.unwrapped === true || overrides.wrap === true) raw.box.wrap(positions);
  else {
    const tol = 1e-9;
    const margin = raw.wrapMargin ?? 0;
    const s = new Float64Array(d);
    let wrap = false;
    for (let i = 0; i < n; i++) {
      raw.box.toFractional(positions, i * d, s);
      for (let a = 0; a < d; a++)
        if (!(s[a]! >= -tol && s[a]! < 1 + tol)) {
          if (s[a]! >= -margin && s[a]! < 1 + margin) {
            wrap = true;
            continue;
          }
          const p = Array.from(positions.subarray(i * d, i * d + d), formatFloat).join(" ");
          throw new GlassmechError(
            `particle ${i + 1} at (${p}) is outside the box (fractional coordinate ${a} = ${s[a]!.toPrecision(6)}); use --wrap to map it into the box`,
            { file, line: raw.lineOf(i) },
          );
        }
    }
    if (wrap) raw.box.wrap(positions);
  }

  const config: Configuration = { d, n, box: raw.box, positions, types, sizes, model: desc };
  validateConfiguration(config, { file });
  return config;
}
