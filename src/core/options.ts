/**
 * One declaration per option (issue 10): an option is declared once, as data, and the same
 * declaration checks a study spec's JSON value, parses a command-line flag and writes both help
 * texts. Glass-making options (protocols/glassOptions.ts) and each observable's options
 * (registry/) are declared this way; cli/schemaFlags.ts turns declarations into commander flags.
 */
import { GlassmechError } from "./errors.js";

/** What values an option takes. `parse` of a custom kind throws an Error whose message is the rule broken. */
export type OptionKind =
  | { readonly type: "boolean" }
  | { readonly type: "integer"; readonly min?: number; readonly max?: number; readonly values?: readonly number[] }
  | { readonly type: "number"; readonly min?: number; readonly max?: number; readonly exclusiveMin?: boolean; readonly exclusiveMax?: boolean }
  | { readonly type: "choice"; readonly values: readonly string[] }
  | { readonly type: "custom"; readonly rule: string; readonly parse: (raw: unknown) => unknown };

export interface OptionSpec {
  /** Key in a study spec block and in the options object (camelCase). */
  readonly key: string;
  readonly kind: OptionKind;
  /** One line for `--help` and the README. */
  readonly help: string;
  /** Default, shown in help (the code that reads the option applies it). */
  readonly default?: unknown;
  /** Command-line flag name without dashes (default: the key in kebab-case); false: no flag. */
  readonly flag?: string | false;
  /** Placeholder of the flag's value in help (default <value>). */
  readonly placeholder?: string;
  /** May appear in a study spec (default true); false for per-invocation options such as a seed. */
  readonly study?: boolean;
  /** Changes no glass and no per-glass result (ensemble analysis only): may change in an existing study. */
  readonly analysisOnly?: boolean;
}

/** "a positive integer", "in (0, 1]", "one of md, swap": the rule of a kind, for messages and help. */
export function optionRule(kind: OptionKind): string {
  switch (kind.type) {
    case "boolean":
      return "true or false";
    case "choice":
      return `one of ${kind.values.join(", ")}`;
    case "custom":
      return kind.rule;
    case "integer":
      if (kind.values !== undefined) return `${kind.values.slice(0, -1).join(", ")} or ${kind.values[kind.values.length - 1]}`;
      if (kind.max === undefined) return kind.min === 0 ? "a non-negative integer" : kind.min === 1 ? "a positive integer" : kind.min === undefined ? "an integer" : `an integer ≥ ${kind.min}`;
      return `an integer in [${kind.min ?? "-∞"}, ${kind.max}]`;
    case "number": {
      if (kind.max === undefined && kind.min === 0) return kind.exclusiveMin === true ? "a positive number" : "a non-negative number";
      if (kind.min === undefined && kind.max === undefined) return "a finite number";
      const lo = kind.min === undefined ? "(-∞" : `${kind.exclusiveMin === true ? "(" : "["}${kind.min}`;
      const hi = kind.max === undefined ? "∞)" : `${kind.max}${kind.exclusiveMax === true ? ")" : "]"}`;
      return `in ${lo}, ${hi}`;
    }
  }
}

/** Thrown by a custom parse for a nested key: the message names `where.key.subKey`. */
export class NestedOptionError extends Error {
  constructor(
    readonly subKey: string,
    message: string,
  ) {
    super(message);
  }
}

/** The value of `raw` under `spec`, or an Error naming the rule it breaks. Strings (flags) are converted first. */
export function parseOptionValue(spec: OptionSpec, raw: unknown): unknown {
  const k = spec.kind;
  const bad = (): never => {
    throw new Error(`must be ${optionRule(k)}`);
  };
  switch (k.type) {
    case "boolean":
      if (typeof raw === "boolean") return raw;
      return bad();
    case "choice":
      if (typeof raw === "string" && k.values.includes(raw)) return raw;
      return bad();
    case "custom":
      try {
        return k.parse(raw);
      } catch (e) {
        if (e instanceof NestedOptionError) throw e;
        throw new Error(`must be ${k.rule}${(e as Error).message ? ` (${(e as Error).message})` : ""}`);
      }
    case "integer":
    case "number": {
      // A flag's integer is written as one (1e3 or 10.0 are refused, as a JSON 1000.5 is).
      if (typeof raw === "string" && k.type === "integer" && !/^[+-]?\d+$/.test(raw.trim())) return bad();
      const v = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
      if (typeof v !== "number" || !Number.isFinite(v)) return bad();
      if (k.type === "integer" && !Number.isSafeInteger(v)) return bad();
      if (k.type === "integer" && k.values !== undefined && !k.values.includes(v)) return bad();
      const exMin = k.type === "number" && k.exclusiveMin === true;
      const exMax = k.type === "number" && k.exclusiveMax === true;
      if (k.min !== undefined && (exMin ? !(v > k.min) : !(v >= k.min))) return bad();
      if (k.max !== undefined && (exMax ? !(v < k.max) : !(v <= k.max))) return bad();
      return v;
    }
  }
}

/**
 * Checks a JSON block (a study spec's `measure` or `glass`) against declarations: unknown keys,
 * wrong types and out-of-range values get one GlassmechError naming `where.key`; `extraKeys`
 * are allowed and left to the caller.
 */
export function parseOptionBlock(raw: unknown, specs: readonly OptionSpec[], where: string, file?: string, extraKeys: readonly string[] = []): Record<string, unknown> {
  const fail = (msg: string): never => {
    throw new GlassmechError(msg, file === undefined ? {} : { file });
  };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(`${where} must be an object`);
  const allowed = specs.filter((s) => s.study !== false);
  const known = [...allowed.map((s) => s.key), ...extraKeys];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (extraKeys.includes(key)) continue;
    const spec = allowed.find((s) => s.key === key);
    if (spec === undefined) fail(`${where}: unknown key '${key}' (known: ${known.join(", ")})`);
    if (value === undefined) continue;
    try {
      out[key] = parseOptionValue(spec!, value);
    } catch (e) {
      if (e instanceof NestedOptionError) fail(`${where}.${key}.${e.subKey} ${e.message}`);
      fail(`${where}.${key} ${(e as Error).message}`);
    }
  }
  return out;
}

/** The kebab-case flag of an option (`energyDecomposition` → `energy-decomposition`), or null. */
export function flagName(spec: OptionSpec): string | null {
  if (spec.flag === false) return null;
  return spec.flag ?? spec.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

