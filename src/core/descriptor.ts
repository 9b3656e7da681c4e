import { GlassmechError } from "./errors.js";

/**
 * The model descriptor of SPEC §2: `model=<name>` plus `key=value` parameters, e.g.
 * `model=pss rc=1.2`, `model=qss q=20 xc=1.8`. Files carry it in their header; the CLI accepts
 * the same pairs.
 */
export interface ModelDescriptor {
  readonly name: string;
  readonly params: Readonly<Record<string, number>>;
}

/** Formats a descriptor as `model=name k1=v1 k2=v2` (parameters in the given order, shortest round-trip numbers). */
export function formatDescriptor(desc: ModelDescriptor): string {
  const parts = [`model=${desc.name}`];
  for (const [k, v] of Object.entries(desc.params)) parts.push(`${k}=${v}`);
  return parts.join(" ");
}

/** Reads a descriptor from whitespace-separated `key=value` tokens (`model=<name>` required). */
export function parseDescriptor(text: string, where: { file?: string; line?: number } = {}): ModelDescriptor {
  const tokens = text.trim().split(/\s+/).filter((t) => t.length > 0);
  let name: string | undefined;
  const params: Record<string, number> = {};
  for (const tok of tokens) {
    const eq = tok.indexOf("=");
    if (eq <= 0) throw new GlassmechError(`model descriptor token '${tok}' is not key=value`, where);
    const key = tok.slice(0, eq);
    const value = tok.slice(eq + 1);
    if (key === "model") {
      name = value.toLowerCase();
      continue;
    }
    const num = Number(value);
    if (value.trim() === "" || !Number.isFinite(num))
      throw new GlassmechError(`model parameter ${key}=${value} is not a finite number`, where);
    params[key] = num;
  }
  if (name === undefined || name === "") throw new GlassmechError("model descriptor has no model=<name>", where);
  return { name, params };
}
