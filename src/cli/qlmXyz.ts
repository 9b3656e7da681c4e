/**
 * The softest quartic mode as an extended-XYZ column (`qlm --out mode.xyz`): the glass in the
 * canonical form of io/extxyz.ts with one more per-particle real column `qlm:R:d` holding π_i
 * (|π| = 1, particle-major like the Matrix Market export), which OVITO and ASE read as a
 * per-atom array, and `glassmech view GLASS --qlm mode.xyz` shows. io/extxyz.ts writes no extra
 * columns, so the column is appended to its output here.
 */
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { formatExtxyz } from "../io/extxyz.js";
import { formatFloat, writeFileAtomic } from "../io/text.js";

/** One extended-XYZ frame of `config` with the extra column `name:R:d` from `values` (n·d). */
export function formatExtxyzWithColumn(config: Configuration, name: string, values: ArrayLike<number>): string {
  const { n, d } = config;
  if (values.length !== n * d) throw new GlassmechError(`column ${name} needs n·d = ${n * d} values, got ${values.length}`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new GlassmechError(`'${name}' is not a valid extended-XYZ column name`);
  const lines = formatExtxyz(config).split("\n");
  const props = /Properties=(\S+)/.exec(lines[1]);
  if (props === null) throw new GlassmechError("extended XYZ without Properties= (internal)");
  lines[1] = lines[1].replace(props[0], `Properties=${props[1]}:${name}:R:${d}`);
  for (let i = 0; i < n; i++) {
    const row: string[] = [lines[2 + i]];
    for (let a = 0; a < d; a++) row.push(formatFloat(values[i * d + a]));
    lines[2 + i] = row.join(" ");
  }
  return lines.join("\n");
}

/** Writes it atomically (temporary file + rename). */
export function writeExtxyzWithColumn(path: string, config: Configuration, name: string, values: ArrayLike<number>): void {
  writeFileAtomic(path, formatExtxyzWithColumn(config, name, values));
}
