import { InvalidArgumentError, Option, type Command } from "commander";
import { modelDefinition, modelNames } from "../models/index.js";
import { parseFormat, type FileFormat, type ReadOptions } from "../io/readConfiguration.js";
import type { ModelDescriptor } from "../core/descriptor.js";

/**
 * Options shared by the commands: the model options of SPEC §2
 * (`--model NAME`, each model parameter as its own flag `--rc 1.2`, `--q 20`, `--xc 1.8`, and the
 * generic `--param key=value`), plus `--from FORMAT`, `--frame K` and `--wrap`.
 * Parameter flags are generated from the model registry, so a new model's parameters appear here
 * without touching the CLI.
 */

/** Parses a finite number argument (commander reports the error). */
export function numberArg(value: string): number {
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v)) throw new InvalidArgumentError(`'${value}' is not a finite number`);
  return v;
}

/** Parses "auto" or a positive finite number (temperatures, time steps). */
export function autoOrPositiveArg(value: string): number | "auto" {
  if (value.trim() === "auto") return "auto";
  const v = numberArg(value);
  if (!(v > 0)) throw new InvalidArgumentError(`'${value}' is not positive (or 'auto')`);
  return v;
}

/** Parses an integer argument. */
export function integerArg(value: string): number {
  if (!/^[+-]?\d+$/.test(value.trim())) throw new InvalidArgumentError(`'${value}' is not an integer`);
  return Number(value);
}

/** Parses a seed or sample index: a non-negative integer below 2⁵³. */
export function seedArg(value: string): number {
  const v = integerArg(value);
  if (!(v >= 0 && Number.isSafeInteger(v))) throw new InvalidArgumentError(`'${value}' is not a non-negative integer below 2^53`);
  return v;
}

/** Parses a positive integer (counts). */
export function positiveIntegerArg(value: string): number {
  const v = integerArg(value);
  if (!(v >= 1 && Number.isSafeInteger(v))) throw new InvalidArgumentError(`'${value}' is not a positive integer`);
  return v;
}

/** Parses a tolerance or fraction in (0, 1). */
export function fractionArg(value: string): number {
  const v = numberArg(value);
  if (!(v > 0 && v < 1)) throw new InvalidArgumentError(`'${value}' is not in (0, 1)`);
  return v;
}

/** Parses a file format name. */
export function formatArg(value: string): FileFormat {
  try {
    return parseFormat(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function collectParam(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const eq = value.indexOf("=");
  if (eq <= 0) throw new InvalidArgumentError(`'${value}' is not key=value`);
  const key = value.slice(0, eq).trim();
  const num = numberArg(value.slice(eq + 1));
  return { ...previous, [key]: num };
}

/** Every model parameter name in the registry, with the models that use it. */
function parameterNames(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of modelNames())
    for (const p of modelDefinition(m).parameters) {
      const list = out.get(p.name) ?? [];
      list.push(m);
      out.set(p.name, list);
    }
  return out;
}

const PARAM_ATTRS = new WeakMap<Command, Map<string, string>>();

/**
 * Adds the model options to a command: --model, one flag per model parameter of the registry
 * (skipping names the command already uses; those stay reachable through --param) and --param.
 * `defaultModel` only documents the default; modelOverridesFrom applies it.
 */
export function addModelOptions(cmd: Command, defaultModel?: string): Command {
  const known = modelNames().join(", ");
  cmd.option(
    "--model <name>",
    defaultModel === undefined ? `model (overrides the file's model=; known: ${known})` : `model (default ${defaultModel}; known: ${known})`,
  );
  const taken = new Set(cmd.options.map((o) => o.long));
  const attrs = new Map<string, string>();
  for (const [name, models] of parameterNames()) {
    const flag = `--${name}`;
    if (taken.has(flag)) continue; // a command option of the same name wins; use --param name=value
    const opt = new Option(`${flag} <value>`, `model parameter ${name} (${models.join(", ")})`).argParser(numberArg);
    cmd.addOption(opt);
    attrs.set(name, opt.attributeName());
  }
  PARAM_ATTRS.set(cmd, attrs);
  cmd.option("--param <key=value>", "model parameter, repeatable (any model)", collectParam);
  return cmd;
}

/** The model parameters given as flags (--rc 1.2 …) and with --param, merged (--param wins). */
function paramsFrom(cmd: Command): Record<string, number> {
  const o = cmd.opts() as Record<string, unknown>;
  const params: Record<string, number> = {};
  for (const [name, attr] of PARAM_ATTRS.get(cmd) ?? []) if (o[attr] !== undefined) params[name] = o[attr] as number;
  Object.assign(params, (o.param as Record<string, number> | undefined) ?? {});
  return params;
}

/**
 * The model descriptor of a command that makes something new (no input file): --model (or
 * `defaultModel`) with the parameter flags. Validate it with createModel.
 */
export function modelOverridesFrom(cmd: Command, defaultModel: string): ModelDescriptor {
  const o = cmd.opts() as Record<string, unknown>;
  return { name: ((o.model as string | undefined) ?? defaultModel).toLowerCase(), params: paramsFrom(cmd) };
}

/** Adds the model options plus --from, --frame, --dimension and --wrap (commands that read a configuration). */
export function addReadOptions(cmd: Command): Command {
  addModelOptions(cmd);
  cmd.option("--from <format>", "input format (extxyz, lammps-data, lammps-dump, gsd; default from the extension)", formatArg);
  cmd.option("--frame <k>", "frame of a multi-frame file (0-based; negative counts from the end; default -1)", integerArg);
  cmd.option("--dimension <d>", "dimension of a LAMMPS file that does not say (2 or 3)", (v: string) => {
    const d = integerArg(v);
    if (d !== 2 && d !== 3) throw new InvalidArgumentError(`'${v}' is not 2 or 3`);
    return d;
  });
  cmd.option("--wrap", "map particles outside the box into it instead of failing");
  return cmd;
}

/** The ReadOptions the user gave to a command set up with addReadOptions. */
export function readOptionsFrom(cmd: Command): ReadOptions {
  const o = cmd.opts() as Record<string, unknown>;
  return {
    model: o.model as string | undefined,
    params: paramsFrom(cmd),
    format: o.from as FileFormat | undefined,
    frame: o.frame as number | undefined,
    dimension: o.dimension as number | undefined,
    wrap: o.wrap === true,
  };
}
