import { InvalidArgumentError, type Command } from "commander";
import { flagName, optionRule, parseOptionValue, type OptionSpec } from "../core/options.js";

/**
 * Commander flags from option declarations (core/options.ts): a boolean becomes `--flag`, any
 * other kind `--flag <value>` parsed and range-checked by the same declaration that checks a
 * study spec, so the command line and the spec can never disagree on what is valid.
 */
export function addSchemaFlags(cmd: Command, specs: readonly OptionSpec[]): Command {
  for (const s of specs) {
    const flag = flagName(s);
    if (flag === null) continue;
    const dflt = s.default === undefined ? "" : ` (default ${String(s.default)})`;
    if (s.kind.type === "boolean") {
      cmd.option(`--${flag}`, s.help);
      continue;
    }
    const placeholder = s.placeholder ?? (s.kind.type === "choice" ? `<${s.kind.values.join("|")}>` : "<value>");
    cmd.option(`--${flag} ${placeholder}`, `${s.help}${dflt}`, (value: string) => {
      try {
        return parseOptionValue(s, value.trim());
      } catch {
        throw new InvalidArgumentError(`'${value}' is not ${optionRule(s.kind)}`);
      }
    });
  }
  return cmd;
}

/** The declared options among a command's parsed flags, keyed as declared (unset ones left out). */
export function schemaValues(cmd: Command, specs: readonly OptionSpec[]): Record<string, unknown> {
  const o = cmd.opts() as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const s of specs) {
    const flag = flagName(s);
    if (flag === null) continue;
    // commander camel-cases the flag: --energy-decomposition → energyDecomposition.
    const v = o[flag.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())];
    if (v !== undefined) out[s.key] = v;
  }
  return out;
}
