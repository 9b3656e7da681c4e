/**
 * The options of making a glass (SPEC §3), declared once (core/options.ts): `make` builds its
 * flags from them, a study spec's `glass` block and ensembles are checked against them, and
 * makeGlass checks the values it is given with the same rules.
 */
import { GlassmechError } from "../core/errors.js";
import { parseOptionValue, type OptionSpec } from "../core/options.js";
import { MAX_PARTICLES } from "./randomStart.js";

const dtKind = { type: "custom", rule: "positive or \"auto\"", parse: (v: unknown): number | "auto" => {
  if (v === "auto") return "auto";
  const x = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof x === "number" && x > 0 && Number.isFinite(x)) return x;
  throw new Error("");
} } as const;

export const GLASS_OPTIONS: readonly OptionSpec[] = [
  { key: "d", kind: { type: "integer", values: [2, 3, 4] }, default: 3, placeholder: "<dim>", help: "spatial dimension (2, 3, 4)" },
  { key: "n", kind: { type: "integer", min: 2, max: MAX_PARTICLES }, default: 1000, placeholder: "<count>", help: "number of particles" },
  { key: "time", kind: { type: "number", min: 0, max: 1e7 }, default: 100, placeholder: "<t>", help: "equilibration time at T_p (reduced units)" },
  { key: "steps", kind: { type: "integer", min: 0 }, placeholder: "<k>", help: "equilibration steps (instead of --time)" },
  { key: "protocol", kind: { type: "choice", values: ["instant", "continuous"] }, default: "instant", placeholder: "<p>", help: "quench protocol" },
  { key: "equilibrator", kind: { type: "choice", values: ["md", "swap"] }, default: "md", placeholder: "<e>", help: "equilibration at T_p: molecular dynamics or Swap Monte Carlo" },
  { key: "sweeps", kind: { type: "integer", min: 1 }, default: 1000, placeholder: "<k>", help: "Swap MC sweeps (N moves each) with --equilibrator swap" },
  { key: "swapFraction", kind: { type: "number", min: 0, max: 1 }, default: 0.2, placeholder: "<f>", help: "fraction of Swap MC moves that exchange sizes/types" },
  { key: "rate", kind: { type: "number", min: 0, exclusiveMin: true }, default: 1e-3, placeholder: "<r>", help: "cooling rate dT/dt of the continuous quench" },
  { key: "thermostat", kind: { type: "choice", values: ["berendsen", "bussi"] }, default: "berendsen", placeholder: "<t>", help: "thermostat" },
  { key: "dt", kind: dtKind, default: "auto", placeholder: "<dt>", help: "MD time step, or 'auto' (stable for the model at T_p)" },
  { key: "minimizer", kind: { type: "choice", values: ["cg", "fire"] }, default: "cg", placeholder: "<m>", help: "energy minimizer" },
  { key: "fTol", flag: "ftol", kind: { type: "number", min: 0, exclusiveMin: true }, default: 1e-10, placeholder: "<f>", help: "largest per-particle force of the glass" },
];

/** Checks the glass options present in `o` against GLASS_OPTIONS; a GlassmechError names the first bad one. */
export function checkGlassOptions(o: Readonly<Record<string, unknown>>): void {
  for (const s of GLASS_OPTIONS) {
    if (o[s.key] === undefined) continue;
    try {
      parseOptionValue(s, o[s.key]);
    } catch (e) {
      throw new GlassmechError(`${s.key} ${(e as Error).message}, got ${String(o[s.key])}`);
    }
  }
}
