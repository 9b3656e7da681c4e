import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { formatDescriptor } from "../core/descriptor.js";
import { createModel } from "../models/index.js";
import { boxFromLammps, lammpsBounds } from "./lammpsBox.js";
import { modelTypeCount, type RawFrame } from "./rawFrame.js";
import { formatFloat, parseInteger, parseKeyValues, parseNumber, splitLines, tokens, type KeyValue } from "./text.js";

/**
 * LAMMPS data files (https://docs.lammps.org/read_data.html), `atom_style atomic`:
 *
 *     # glassmech model=pss rc=1.2
 *
 *     500 atoms
 *     2 atom types
 *
 *     0 9.41 xlo xhi
 *     0 9.41 ylo yhi
 *     0 9.41 zlo zhi
 *     0.5 0 0 xy xz yz          (sheared boxes only)
 *
 *     Masses
 *
 *     1 1
 *     2 1
 *
 *     Atoms # atomic
 *
 *     1 1 5.5667342098259116 1.5728846335153717 0.58938802982460015
 *
 * LAMMPS types are 1-based (type 1 = A = our type 0). LAMMPS ignores the first line, so the model
 * descriptor (and `dimension=2` for 2D files) lives there. 2D: z bounds −0.5 0.5 and z = 0 (run
 * LAMMPS with `dimension 2`). Per-particle-size models (POLY) are written as `Atoms # sphere`
 * (id type diameter density x y z, diameter = λ_i, density = 6/(π λ_i³) so the mass is 1 in 3D).
 *
 * Reading accepts any first line (the model then comes from the caller), `Atoms # atomic` or
 * `# sphere` (or no style comment with 5 or 8 columns), image flags (ignored: positions are
 * periodic), rows in any order (sorted by id), a box origin other than 0 (subtracted), and
 * skips Velocities and other sections. 2D is recognized from `dimension=2` on the first line, or
 * when every z is exactly 0 and z = 0 lies inside the z bounds.
 */

const SECTIONS = new Set([
  "Atoms",
  "Velocities",
  "Masses",
  "Ellipsoids",
  "Lines",
  "Triangles",
  "Bodies",
  "Bonds",
  "Angles",
  "Dihedrals",
  "Impropers",
  "Pair Coeffs",
  "PairIJ Coeffs",
  "Bond Coeffs",
  "Angle Coeffs",
  "Dihedral Coeffs",
  "Improper Coeffs",
  "BondBond Coeffs",
  "BondAngle Coeffs",
  "MiddleBondTorsion Coeffs",
  "EndBondTorsion Coeffs",
  "AngleTorsion Coeffs",
  "AngleAngleTorsion Coeffs",
  "BondBond13 Coeffs",
  "AngleAngle Coeffs",
]);

function stripComment(line: string): string {
  const k = line.indexOf("#");
  return k < 0 ? line : line.slice(0, k);
}

/** Key=value entries of a first/comment line (the part after `glassmech`, or the whole line). */
export function headerEntries(line: string): KeyValue[] {
  return parseKeyValues(line.replace(/^\s*#/, " "));
}

export interface LammpsReadOptions {
  /** Force the dimension (2 or 3) instead of recognizing it. */
  readonly dimension?: number;
}

/** Parses a LAMMPS data file into a raw frame. */
export function parseLammpsData(text: string, file: string, options: LammpsReadOptions = {}): RawFrame {
  const lines = splitLines(text);
  const header = headerEntries(lines[0] ?? "");
  let natoms = -1;
  let ntypes = -1;
  let ntypesGiven = false;
  const lo = [0, 0, 0];
  const hi = [NaN, NaN, NaN];
  let tilt: number[] | null = null;
  let i = 1;
  // Header: until the first section keyword.
  for (; i < lines.length; i++) {
    const body = stripComment(lines[i]!).trim();
    if (body === "") continue;
    if (SECTIONS.has(body) || /^[A-Za-z]/.test(body)) break;
    const where = { file, line: i + 1 };
    const t = tokens(body);
    const rest = t.slice(1).join(" ");
    if (rest === "atoms") natoms = parseInteger(t[0], "atom count", where);
    else if (rest === "atom types") {
      ntypes = parseInteger(t[0], "atom type count", where);
      ntypesGiven = true;
    }
    else if (t.length === 4 && /^[xyz]lo [xyz]hi$/.test(t.slice(2).join(" "))) {
      const a = "xyz".indexOf(t[2]![0]!);
      if (t[3] !== `${"xyz"[a]}hi`) throw new GlassmechError(`bad box line '${body}'`, where);
      lo[a] = parseNumber(t[0], `${t[2]}`, where);
      hi[a] = parseNumber(t[1], `${t[3]}`, where);
    } else if (t.length === 6 && t.slice(3).join(" ") === "xy xz yz")
      tilt = [parseNumber(t[0], "xy", where), parseNumber(t[1], "xz", where), parseNumber(t[2], "yz", where)];
    // Other header lines (bonds, extra/… counts, ellipsoids) do not concern atomic glasses.
  }
  const hWhere = { file, line: 1 };
  if (natoms < 0) throw new GlassmechError("the header has no 'N atoms' line", { file });
  if (natoms < 1) throw new GlassmechError("the file has no atoms", { file });
  if (ntypesGiven && ntypes < 1) throw new GlassmechError(`the header says ${ntypes} atom types; a configuration needs at least 1`, { file });
  for (let a = 0; a < 3; a++)
    if (Number.isNaN(hi[a]!)) throw new GlassmechError(`the header has no '${"xyz"[a]}lo ${"xyz"[a]}hi' line`, { file });

  // Sections.
  let atomsLine = -1;
  let style = "";
  let rows: { tokens: string[]; line: number }[] = [];
  while (i < lines.length) {
    const raw = lines[i]!;
    const body = stripComment(raw).trim();
    if (body === "") {
      i++;
      continue;
    }
    if (!/^[A-Za-z]/.test(body)) throw new GlassmechError(`expected a section keyword (Atoms, Masses, Velocities…), got '${body}'`, { file, line: i + 1 });
    const name = body;
    const sectionLine = i + 1;
    const comment = raw.indexOf("#") >= 0 ? raw.slice(raw.indexOf("#") + 1).trim() : "";
    i++;
    const content: { tokens: string[]; line: number }[] = [];
    for (; i < lines.length; i++) {
      const b = stripComment(lines[i]!).trim();
      if (b === "") continue;
      if (/^[A-Za-z]/.test(b)) break;
      content.push({ tokens: tokens(b), line: i + 1 });
    }
    if (name === "Atoms") {
      if (atomsLine >= 0) throw new GlassmechError(`a second Atoms section (the first is on line ${atomsLine})`, { file, line: sectionLine });
      atomsLine = sectionLine;
      style = comment.split(/\s+/)[0] ?? "";
      rows = content;
    } else if (name === "Masses") checkMasses(content, file);
    else if (!SECTIONS.has(name)) throw new GlassmechError(`unknown section '${name}'`, { file, line: sectionLine });
  }
  if (atomsLine < 0) throw new GlassmechError("the file has no Atoms section", { file });
  if (rows.length !== natoms) {
    const at = rows.length > natoms ? rows[natoms]!.line : atomsLine;
    throw new GlassmechError(`the header says ${natoms} atoms but the Atoms section has ${rows.length} rows`, { file, line: at });
  }

  // Column layout.
  const ncols = rows[0]!.tokens.length;
  if (style === "") style = ncols === 5 || ncols === 8 ? "atomic" : ncols === 7 || ncols === 10 ? "sphere" : "";
  let xcol: number;
  let diamCol = -1;
  if (style === "atomic") xcol = 2;
  else if (style === "sphere") {
    xcol = 4;
    diamCol = 2;
  } else
    throw new GlassmechError(
      style === "" ? `cannot tell the atom style from ${ncols} columns; label the section 'Atoms # atomic'` : `atom style '${style}' is not supported (atomic or sphere)`,
      { file, line: atomsLine },
    );
  const want = xcol + 3;

  // Parse rows; keep the ids to sort.
  const ids = new Float64Array(natoms);
  const xyz = new Float64Array(natoms * 3);
  const typ = new Int32Array(natoms);
  const diam = diamCol >= 0 ? new Float64Array(natoms) : null;
  const lineNo = new Int32Array(natoms);
  for (let r = 0; r < natoms; r++) {
    const { tokens: t, line } = rows[r]!;
    const where = { file, line };
    if (t.length !== want && t.length !== want + 3)
      throw new GlassmechError(`expected ${want} columns (atom style ${style}: ${style === "atomic" ? "id type x y z" : "id type diameter density x y z"}, optionally 3 image flags), got ${t.length}`, where);
    ids[r] = parseInteger(t[0], "atom id", where);
    typ[r] = parseInteger(t[1], "atom type", where);
    if (typ[r]! < 1 || (ntypes > 0 && typ[r]! > ntypes)) throw new GlassmechError(`atom type ${typ[r]} is outside 1..${ntypes > 0 ? ntypes : "?"}`, where);
    if (diam !== null) diam[r] = parseNumber(t[diamCol], "diameter", where);
    for (let a = 0; a < 3; a++) xyz[r * 3 + a] = parseNumber(t[xcol + a], "xyz"[a]!, where);
    lineNo[r] = line;
  }

  // Dimension.
  const dimEntry = header.find((e) => e.key === "dimension");
  let d: number;
  if (options.dimension !== undefined) d = options.dimension;
  else if (dimEntry !== undefined) d = parseInteger(dimEntry.value, "dimension", hWhere);
  else {
    let flat = lo[2]! <= 0 && 0 < hi[2]! && (tilt === null || (tilt[1] === 0 && tilt[2] === 0));
    for (let r = 0; r < natoms && flat; r++) if (xyz[r * 3 + 2] !== 0) flat = false;
    d = flat ? 2 : 3;
  }
  if (d !== 2 && d !== 3) throw new GlassmechError(`dimension=${d}: LAMMPS files are 2- or 3-dimensional`, hWhere);

  return assembleFrame(file, d, lo, hi, tilt, ids, typ, xyz, diam, lineNo, header, {
    sortWhat: "atom id",
  });
}

/**
 * glassmech's dynamics and Hessians use unit masses (SPEC §0: m = 1): a file whose Masses say
 * otherwise would be simulated with the wrong physics, so it is refused rather than ignored.
 */
function checkMasses(rows: { tokens: string[]; line: number }[], file: string): void {
  for (const { tokens: t, line } of rows) {
    const where = { file, line };
    parseInteger(t[0], "atom type", where);
    const m = parseNumber(t[1], "mass", where);
    if (m !== 1) throw new GlassmechError(`type ${t[0]} has mass ${t[1]}; glassmech uses unit masses (reduced units, m = 1)`, where);
  }
}

/** Shared by the data and dump readers: sort by id, subtract the origin, build the raw frame. */
export function assembleFrame(
  file: string,
  d: number,
  lo: readonly number[],
  hi: readonly number[],
  tilt: readonly number[] | null,
  ids: Float64Array | null,
  typ: Int32Array,
  xyz: Float64Array,
  sizes: Float64Array | null,
  lineNo: Int32Array,
  header: readonly KeyValue[],
  opts: { sortWhat: string; unwrapped?: boolean; scaled?: boolean; headerLine?: number; wrapMargin?: number },
): RawFrame {
  const n = typ.length;
  let box;
  let origin;
  try {
    ({ box, origin } = boxFromLammps(d, lo, hi, tilt));
  } catch (e) {
    throw new GlassmechError(`box: ${(e as Error).message}`, { file });
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (ids !== null) {
    order.sort((a, b) => ids[a]! - ids[b]!);
    for (let k = 1; k < n; k++)
      if (ids[order[k]!] === ids[order[k - 1]!])
        throw new GlassmechError(`${opts.sortWhat} ${ids[order[k]!]} appears twice (also on line ${lineNo[order[k - 1]!]})`, { file, line: lineNo[order[k]!] });
  }
  const positions = new Float64Array(n * d);
  const types = new Int32Array(n);
  const outSizes = sizes !== null ? new Float64Array(n) : null;
  const lines = new Int32Array(n);
  const shift = origin.some((v) => v !== 0);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    types[k] = typ[i]! - 1;
    lines[k] = lineNo[i]!;
    if (outSizes !== null) outSizes[k] = sizes![i]!;
    if (d === 2 && !opts.scaled && xyz[i * 3 + 2] !== 0 && !opts.unwrapped)
      throw new GlassmechError(`2D file but atom has z = ${xyz[i * 3 + 2]} (must be 0)`, { file, line: lineNo[i] });
    if (opts.scaled) {
      // Scaled coordinates are fractional: x = h·s (relative to the origin).
      for (let a = 0; a < d; a++) {
        let t = 0;
        for (let b = 0; b < d; b++) t += box.h[a * d + b]! * xyz[i * 3 + b]!;
        positions[k * d + a] = t;
      }
    } else for (let a = 0; a < d; a++) positions[k * d + a] = shift ? xyz[i * 3 + a]! - origin[a]! : xyz[i * 3 + a]!;
  }
  return {
    file,
    d,
    box,
    n,
    positions,
    types,
    species: null,
    sizes: outSizes,
    header,
    headerLine: opts.headerLine ?? 1,
    lineOf: (k: number) => lines[k]!,
    unwrapped: opts.unwrapped === true,
    wrapMargin: opts.wrapMargin,
  };
}

/** The comment line we put on LAMMPS files: `glassmech [dimension=2] model=… params…`. */
export function glassmechTag(config: Configuration): string {
  return `glassmech ${config.d !== 3 ? `dimension=${config.d} ` : ""}${formatDescriptor(config.model)}`;
}

/** Formats a configuration as a LAMMPS data file (atom_style atomic; sphere for POLY). */
export function formatLammpsData(config: Configuration): string {
  const { d, n, positions, types, sizes } = config;
  const model = createModel(config.model);
  const b = lammpsBounds(config.box);
  const ntypes = modelTypeCount(model);
  const out: string[] = [`# ${glassmechTag(config)}`, "", `${n} atoms`, `${ntypes} atom types`, ""];
  out.push(`${formatFloat(b.lo[0])} ${formatFloat(b.hi[0])} xlo xhi`);
  out.push(`${formatFloat(b.lo[1])} ${formatFloat(b.hi[1])} ylo yhi`);
  out.push(`${formatFloat(b.lo[2])} ${formatFloat(b.hi[2])} zlo zhi`);
  if (b.tilt !== null) out.push(`${b.tilt.map(formatFloat).join(" ")} xy xz yz`);
  out.push("");
  if (sizes === null) {
    out.push("Masses", "");
    for (let t = 1; t <= ntypes; t++) out.push(`${t} 1`);
    out.push("", "Atoms # atomic", "");
  } else out.push("Atoms # sphere", "");
  for (let i = 0; i < n; i++) {
    const row: string[] = [String(i + 1), String(types[i]! + 1)];
    if (sizes !== null) {
      const l = sizes[i]!;
      row.push(formatFloat(l), formatFloat(6 / (Math.PI * l * l * l)));
    }
    for (let a = 0; a < d; a++) row.push(formatFloat(positions[i * d + a]!));
    if (d === 2) row.push("0");
    out.push(row.join(" "));
  }
  return out.join("\n") + "\n";
}
