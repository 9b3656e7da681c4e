import { GlassmechError } from "../core/errors.js";
import type { ModelDescriptor } from "../core/descriptor.js";
import type { Model, ModelDefinition } from "./types.js";

/**
 * The model registry: a new model is one file exporting a ModelDefinition plus one line in
 * `src/models/index.ts` that registers it.
 */
const definitions = new Map<string, ModelDefinition>();

export function registerModel(def: ModelDefinition): void {
  const key = def.name.toLowerCase();
  if (definitions.has(key)) throw new Error(`model '${key}' is registered twice`);
  definitions.set(key, def);
}

export function modelDefinition(name: string): ModelDefinition {
  const def = definitions.get(name.toLowerCase());
  if (def === undefined)
    throw new GlassmechError(`unknown model '${name}' (known: ${[...definitions.keys()].join(", ")})`);
  return def;
}

export function modelNames(): string[] {
  return [...definitions.keys()];
}

/**
 * Builds a model from a descriptor: unknown parameters and unphysical values are errors
 * (naming the parameter and the rule), missing parameters take the model's defaults.
 */
export function createModel(desc: ModelDescriptor, where: { file?: string; line?: number } = {}): Model {
  let def: ModelDefinition;
  try {
    def = modelDefinition(desc.name);
  } catch (e) {
    throw new GlassmechError((e as Error).message, where);
  }
  const known = new Map(def.parameters.map((p) => [p.name, p]));
  for (const key of Object.keys(desc.params))
    if (!known.has(key))
      throw new GlassmechError(
        `model ${def.name} has no parameter '${key}' (its parameters: ${[...known.keys()].join(", ") || "none"})`,
        where,
      );
  const params: Record<string, number> = {};
  for (const p of def.parameters) {
    const v = desc.params[p.name] ?? p.default;
    const problem = p.validate(v);
    if (problem !== null) throw new GlassmechError(`model ${def.name}: ${p.name}=${v}: ${problem}`, where);
    params[p.name] = v;
  }
  try {
    return def.create(params);
  } catch (e) {
    if (e instanceof GlassmechError && e.file === undefined && where.file !== undefined)
      throw new GlassmechError(e.message, where);
    throw e;
  }
}
