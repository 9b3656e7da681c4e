import { Box } from "../core/box.js";
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { formatDescriptor } from "../core/descriptor.js";
import { createModel } from "../models/index.js";
import { elementOfType } from "./elements.js";
import type { RawFrame } from "./rawFrame.js";
import { formatFloat, parseInteger, parseKeyValues, parseNumber, splitLines, tokens, type KeyValue } from "./text.js";

/**
 * Extended XYZ (SPEC §2), as ASE and OVITO read it. What we write (the canonical form):
 *
 *     500
 *     Lattice="9.41 0 0 0 9.41 0 0 0 9.41" Properties=species:S:1:pos:R:3:type:I:1 pbc="T T T" model=pss rc=1.2
 *     H 5.5667342098259116 1.5728846335153717 0.58938802982460015 0
 *
 * - `Lattice` lists the lattice vectors one after another (a_x a_y a_z b_x …); vector b is column
 *   b of the Box matrix h. Sheared (general) cells are written and read as they are.
 * - Numbers are the shortest strings that read back to the same float64 (≤ 17 significant
 *   digits): positions, box and model parameters round-trip bit for bit.
 * - `species` is an element symbol by type (type t → atomic number t + 1: A → H, B → He; POLY → H;
 *   src/io/elements.ts), because ASE and OVITO accept only chemical symbols there, and `type` is
 *   the 0-based type index; the type column wins when both are present.
 * - POLY and other per-particle-size models add `radius:R:1` holding λ_i/2 (multiplying by ½ is
 *   exact, so λ_i = 2·radius round-trips); radius is what OVITO draws.
 * - d = 2: `dimension=2`, pos stays 3 columns with z = 0, Lattice is 3×3 with third vector
 *   (0 0 1), pbc="T T F".
 * - d = 4 (no ASE/OVITO convention exists; ours): `dimension=4`, `pos:R:4`, a 16-entry Lattice
 *   (four 4-vectors one after another), pbc="T T T T".
 * - The model descriptor follows as `model=<name>` and the model's `key=value` parameters.
 *
 * Reading accepts the common variants: species only (A/B, S/L, H/He…, or 1-based numbers; mapped to
 * types through the model), any column order and extra columns (velocities, forces, ids…),
 * upper- or lower-case property names, `Origin="…"` (OVITO; subtracted from the positions),
 * `radius` or `diameter` columns, and multi-frame files (the last frame by default, or
 * `frame` k ≥ 0 from the start / k < 0 from the end).
 */

export interface ExtxyzReadOptions {
  /** Frame to read: 0-based from the start, negative from the end; default −1 (the last). */
  readonly frame?: number;
}

interface PropertyColumn {
  readonly name: string;
  readonly type: string;
  readonly count: number;
  readonly offset: number;
}

function parseProperties(spec: string, where: { file: string; line: number }): { columns: PropertyColumn[]; width: number } {
  const fields = spec.split(":");
  if (fields.length % 3 !== 0 || fields.length === 0)
    throw new GlassmechError(`Properties=${spec} is not a list of name:type:count triplets`, where);
  const columns: PropertyColumn[] = [];
  let offset = 0;
  for (let k = 0; k < fields.length; k += 3) {
    const name = fields[k]!;
    const type = fields[k + 1]!.toUpperCase();
    const count = Number(fields[k + 2]);
    if (!["R", "I", "S", "L"].includes(type)) throw new GlassmechError(`Properties: column ${name} has unknown type '${fields[k + 1]}' (R, I, S or L)`, where);
    if (!Number.isInteger(count) || count < 1) throw new GlassmechError(`Properties: column ${name} has bad count '${fields[k + 2]}'`, where);
    // Two columns of one name: which one is the truth? Refuse rather than guess.
    if (columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) throw new GlassmechError(`Properties: column ${name} appears twice`, where);
    columns.push({ name, type, count, offset });
    offset += count;
  }
  return { columns, width: offset };
}

/** Locates frames: returns the 0-based line index of each frame's count line. */
function frameStarts(lines: string[], file: string): number[] {
  const starts: number[] = [];
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === "") end--;
  let i = 0;
  while (i < end) {
    const t = lines[i]!.trim();
    if (t === "" && starts.length > 0) {
      i++;
      continue;
    }
    if (!/^\d+$/.test(t)) {
      if (starts.length === 0) throw new GlassmechError(`the first line must be the particle count, got '${t}'`, { file, line: i + 1 });
      const prev = starts[starts.length - 1]!;
      throw new GlassmechError(
        `expected the particle count of a new frame, got '${t}' (line ${prev + 1} announces ${lines[prev]!.trim()} particles; are there more rows than that?)`,
        { file, line: i + 1 },
      );
    }
    const n = Number(t);
    if (n < 1) throw new GlassmechError(`particle count must be positive, got ${n}`, { file, line: i + 1 });
    if (i + 2 + n > end) {
      const have = Math.max(0, end - (i + 2));
      throw new GlassmechError(`this line announces ${n} particles but the file ends after ${have} particle row${have === 1 ? "" : "s"}`, {
        file,
        line: i + 1,
      });
    }
    starts.push(i);
    i += 2 + n;
  }
  if (starts.length === 0) throw new GlassmechError("the file is empty", { file });
  return starts;
}

function findKey(entries: readonly KeyValue[], key: string): KeyValue | undefined {
  const k = key.toLowerCase();
  return entries.find((e) => e.key.toLowerCase() === k);
}

/** Parses the text of an extended-XYZ file into a raw frame (the model is resolved later). */
export function parseExtxyz(text: string, file: string, options: ExtxyzReadOptions = {}): RawFrame {
  const lines = splitLines(text);
  const starts = frameStarts(lines, file);
  const want = options.frame ?? -1;
  const k = want < 0 ? starts.length + want : want;
  if (!Number.isInteger(want) || k < 0 || k >= starts.length)
    throw new GlassmechError(`frame ${want} does not exist (the file has ${starts.length} frame${starts.length === 1 ? "" : "s"})`, { file });
  const countLine = starts[k]!;
  const n = Number(lines[countLine]!.trim());
  const headerIdx = countLine + 1;
  const hWhere = { file, line: headerIdx + 1 };
  const header = parseKeyValues(lines[headerIdx]!);

  // Columns.
  const propsEntry = findKey(header, "Properties");
  const { columns, width } = parseProperties(propsEntry?.value ?? "species:S:1:pos:R:3", hWhere);
  const col = (name: string) => columns.find((c) => c.name.toLowerCase() === name);
  const pos = col("pos") ?? col("positions");
  if (pos === undefined) throw new GlassmechError(`Properties has no pos column (${propsEntry?.value ?? "default species:S:1:pos:R:3"})`, hWhere);
  if (pos.type !== "R") throw new GlassmechError("the pos column must be real (pos:R:…)", hWhere);
  const typeCol = col("type");
  if (typeCol !== undefined && (typeCol.type !== "I" || typeCol.count !== 1)) throw new GlassmechError("the type column must be type:I:1", hWhere);
  const speciesCol = col("species");
  if (speciesCol !== undefined && speciesCol.count !== 1) throw new GlassmechError("the species column must be species:S:1", hWhere);
  const radiusCol = col("radius");
  const diameterCol = col("diameter");
  for (const c of [radiusCol, diameterCol])
    if (c !== undefined && (c.type !== "R" || c.count !== 1)) throw new GlassmechError(`the ${c.name} column must be ${c.name}:R:1`, hWhere);
  if (typeCol === undefined && speciesCol === undefined) throw new GlassmechError("Properties has neither a species nor a type column", hWhere);

  // Dimension: dimension=… wins, else the pos width (4 → 4D), else 2D when pbc="T T F" and all z = 0.
  const dimEntry = findKey(header, "dimension");
  const pbcEntry = findKey(header, "pbc");
  const pbc = pbcEntry === undefined ? null : tokens(pbcEntry.value.replace(/,/g, " ")).map((t) => /^(t|true)$/i.test(t));
  let d: number;
  let dimensionGiven = false;
  if (dimEntry !== undefined) {
    d = parseInteger(dimEntry.value, "dimension", hWhere);
    dimensionGiven = true;
    if (d < 2 || d > 4) throw new GlassmechError(`dimension=${d}: d must be 2, 3 or 4`, hWhere);
  } else d = pos.count === 3 ? 3 : pos.count;
  if (!(pos.count === d || (d === 2 && pos.count === 3))) throw new GlassmechError(`pos has ${pos.count} components but the file is ${d}-dimensional`, hWhere);
  if (d < 2 || d > 4) throw new GlassmechError(`pos has ${pos.count} components: d must be 2, 3 or 4`, hWhere);

  // Box.
  const latEntry = findKey(header, "Lattice");
  if (latEntry === undefined) throw new GlassmechError("no Lattice=\"…\" in the header: a periodic box is required", hWhere);
  const lat = tokens(latEntry.value.replace(/,/g, " ")).map((t, i) => parseNumber(t, `Lattice entry ${i + 1}`, hWhere));
  const lw = pos.count === 4 ? 4 : lat.length === 4 && d === 2 ? 2 : 3; // components per lattice vector in the file
  if (lat.length !== lw * lw) throw new GlassmechError(`Lattice has ${lat.length} numbers, expected ${lw * lw}`, hWhere);

  // Rows.
  const first = headerIdx + 1;
  const raw = new Float64Array(n * pos.count);
  const types = typeCol !== undefined ? new Int32Array(n) : null;
  const species: string[] | null = speciesCol !== undefined ? new Array<string>(n) : null;
  const sizes = radiusCol !== undefined || diameterCol !== undefined ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const where = { file, line: first + i + 1 };
    const t = tokens(lines[first + i]!);
    if (t.length !== width)
      throw new GlassmechError(`expected ${width} columns (Properties=${propsEntry?.value ?? "species:S:1:pos:R:3"}), got ${t.length}`, where);
    for (let a = 0; a < pos.count; a++) raw[i * pos.count + a] = parseNumber(t[pos.offset + a], `${pos.name} component ${a + 1}`, where);
    if (types !== null) types[i] = parseInteger(t[typeCol!.offset], "type", where);
    if (species !== null) species[i] = t[speciesCol!.offset]!;
    if (sizes !== null) {
      // λ_i = 2·radius (exact) or the diameter itself.
      if (radiusCol !== undefined) sizes[i] = 2 * parseNumber(t[radiusCol.offset], "radius", where);
      else sizes[i] = parseNumber(t[diameterCol!.offset], "diameter", where);
    }
  }

  // 2D without dimension=: pbc "T T F" and every z exactly 0.
  if (!dimensionGiven && d === 3 && pbc !== null && pbc.length === 3 && pbc[0] && pbc[1] && !pbc[2]) {
    let flat = true;
    for (let i = 0; i < n && flat; i++) if (raw[i * 3 + 2] !== 0) flat = false;
    if (flat) d = 2;
  }
  if (pbc !== null) {
    for (let a = 0; a < d; a++)
      if (pbc[a] === false) throw new GlassmechError(`pbc="${pbcEntry!.value}": direction ${a + 1} is not periodic; glassmech boxes are periodic in all ${d} directions`, hWhere);
  }

  // h[a*d + b] = component a of lattice vector b.
  const h = new Float64Array(d * d);
  for (let b = 0; b < d; b++) for (let a = 0; a < d; a++) h[a * d + b] = lat[b * lw + a]!;
  if (d === 2 && lw === 3) {
    if (lat[2] !== 0 || lat[5] !== 0) throw new GlassmechError("2D file: the first two lattice vectors must lie in the xy plane (zero z components)", hWhere);
  }
  let box: Box;
  try {
    box = new Box(d, h);
  } catch (e) {
    throw new GlassmechError(`Lattice: ${(e as Error).message}`, hWhere);
  }

  // Positions (origin subtracted when OVITO wrote one).
  const positions = new Float64Array(n * d);
  const originEntry = findKey(header, "Origin");
  const origin = originEntry === undefined ? null : tokens(originEntry.value.replace(/,/g, " ")).map((t, i) => parseNumber(t, `Origin entry ${i + 1}`, hWhere));
  if (origin !== null && origin.length < d) throw new GlassmechError(`Origin has ${origin.length} numbers, expected ${d}`, hWhere);
  const shift = origin !== null && origin.some((v, a) => a < d && v !== 0);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) positions[i * d + a] = shift ? raw[i * pos.count + a]! - origin![a]! : raw[i * pos.count + a]!;
    if (d === 2 && pos.count === 3 && raw[i * 3 + 2] !== 0)
      throw new GlassmechError(`2D file but particle ${i + 1} has z = ${raw[i * 3 + 2]} (must be 0)`, { file, line: first + i + 1 });
  }

  return {
    file,
    d,
    box,
    n,
    positions,
    types,
    species,
    sizes,
    header,
    headerLine: headerIdx + 1,
    lineOf: (i: number) => first + i + 1,
  };
}

/** A per-particle real column added to what we write (mode vectors, forces, …). */
export interface ExtxyzColumn {
  /** Property name: letters, digits and underscores (ASE and OVITO take it as the array name). */
  readonly name: string;
  /** Components per particle. */
  readonly count: number;
  /** n·count values, particle-major. */
  readonly values: Float64Array;
}

export interface ExtxyzWriteOptions {
  /** Extra real columns after ours (e.g. `mode_1:R:3`); ASE loads each as `atoms.arrays[name]`. */
  readonly columns?: readonly ExtxyzColumn[];
  /** Extra header entries (numbers or strings without quotes/backslashes), after the model. */
  readonly info?: Readonly<Record<string, number | string>>;
}

const RESERVED = new Set(["species", "pos", "type", "radius", "diameter", "positions"]);

/**
 * Formats a configuration as one extended-XYZ frame (the canonical form above). Species are
 * element symbols by type (src/io/elements.ts) so ASE and OVITO read the file as it is; the type
 * and radius columns carry the truth.
 */
export function formatExtxyz(config: Configuration, options: ExtxyzWriteOptions = {}): string {
  const { d, n, box, positions, types, sizes } = config;
  createModel(config.model); // validates the descriptor before anything is written
  const lw = d === 4 ? 4 : 3;
  const lat: number[] = [];
  for (let b = 0; b < lw; b++)
    for (let a = 0; a < lw; a++) lat.push(a < d && b < d ? box.h[a * d + b]! : a === b ? 1 : 0);
  const extra = options.columns ?? [];
  for (const c of extra) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(c.name) || RESERVED.has(c.name.toLowerCase()))
      throw new GlassmechError(`extended XYZ: '${c.name}' cannot be the name of an extra column`);
    if (!Number.isInteger(c.count) || c.count < 1 || c.values.length !== n * c.count)
      throw new GlassmechError(`extended XYZ: column ${c.name} needs ${n}×${c.count} values, got ${c.values.length}`);
  }
  const props =
    `species:S:1:pos:R:${lw}:type:I:1` + (sizes !== null ? ":radius:R:1" : "") + extra.map((c) => `:${c.name}:R:${c.count}`).join("");
  const pbc = d === 2 ? "T T F" : d === 3 ? "T T T" : "T T T T";
  const head = [`Lattice="${lat.map(formatFloat).join(" ")}"`, `Properties=${props}`];
  if (d !== 3) head.push(`dimension=${d}`);
  head.push(`pbc="${pbc}"`, formatDescriptor(config.model));
  for (const [k, v] of Object.entries(options.info ?? {})) {
    const text = typeof v === "number" ? formatFloat(v) : v;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || /[\s"'\\=]/.test(text) || text === "")
      throw new GlassmechError(`extended XYZ: header entry ${k}=${text} cannot be written`);
    head.push(`${k}=${text}`);
  }
  const out: string[] = [String(n), head.join(" ")];
  for (let i = 0; i < n; i++) {
    const t = types[i]!;
    const row: string[] = [elementOfType(t)];
    for (let a = 0; a < d; a++) row.push(formatFloat(positions[i * d + a]!));
    if (d === 2) row.push("0");
    row.push(String(t));
    if (sizes !== null) row.push(formatFloat(0.5 * sizes[i]!));
    for (const c of extra) for (let a = 0; a < c.count; a++) row.push(formatFloat(c.values[i * c.count + a]!));
    out.push(row.join(" "));
  }
  return out.join("\n") + "\n";
}
