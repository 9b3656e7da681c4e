import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { boundsFromDumpRows, dumpBoundRows, lammpsBounds } from "./lammpsBox.js";
import { assembleFrame, glassmechTag, headerEntries, type LammpsReadOptions } from "./lammpsData.js";
import type { RawFrame } from "./rawFrame.js";
import { formatFloat, parseInteger, parseNumber, splitLines, tokens, type KeyValue } from "./text.js";

/**
 * LAMMPS text dumps (https://docs.lammps.org/dump.html). What we write:
 *
 *     ITEM: UNITS
 *     lj # glassmech model=pss rc=1.2
 *     ITEM: TIMESTEP
 *     0
 *     ITEM: NUMBER OF ATOMS
 *     500
 *     ITEM: BOX BOUNDS pp pp pp              (or: xy xz yz pp pp pp, rows "lo_bound hi_bound tilt")
 *     0 9.41
 *     0 9.41
 *     0 9.41
 *     ITEM: ATOMS id type x y z              (POLY: id type x y z diameter, diameter = λ_i)
 *     1 1 5.5667342098259116 1.5728846335153717 0.58938802982460015
 *
 * The model descriptor rides on the `ITEM: UNITS` value line, which LAMMPS (read_dump, rerun),
 * ASE and OVITO skip; nothing else in a dump may carry free text without breaking some reader.
 * Triclinic bounds are chosen so that xhi = xhi_bound − max(0, xy, xz, xy+xz) gives our box
 * length back bit for bit; when no float can (about a quarter of random cells), the exact lengths
 * are added to the tag as `lx=… ly=…` and preferred by our reader when they agree to 1e-12. 2D: `dimension=2` on the units line, z bounds −0.5 0.5, z = 0.
 *
 * Reading: multi-frame dumps (last frame by default, or `frame` k ≥ 0 / k < 0 from the end), any
 * column order, x y z or scaled xs ys zs or unwrapped xu yu zu / xsu ysu zsu (unwrapped positions
 * are wrapped into the box; atoms a little outside the box, as LAMMPS dumps them between
 * re-neighborings, too), rows sorted by id, `diameter` or `radius` columns for sizes, and the
 * model from the units line if present (else from the caller).
 */

export interface DumpReadOptions extends LammpsReadOptions {
  /** Frame to read: 0-based from the start, negative from the end; default −1 (the last). */
  readonly frame?: number;
}

/** Parses a LAMMPS text dump into a raw frame. */
export function parseLammpsDump(text: string, file: string, options: DumpReadOptions = {}): RawFrame {
  const lines = splitLines(text);
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) if (/^\s*ITEM: TIMESTEP\b/.test(lines[i]!)) starts.push(i);
  if (starts.length === 0) throw new GlassmechError("not a LAMMPS dump: no 'ITEM: TIMESTEP' line", { file });
  const want = options.frame ?? -1;
  const k = want < 0 ? starts.length + want : want;
  if (!Number.isInteger(want) || k < 0 || k >= starts.length)
    throw new GlassmechError(`frame ${want} does not exist (the file has ${starts.length} frame${starts.length === 1 ? "" : "s"})`, { file });
  const begin = starts[k]!;
  const end = k + 1 < starts.length ? starts[k + 1]! : lines.length;

  // The glassmech tag: the last ITEM: UNITS value line before this frame.
  let header: KeyValue[] = [];
  let headerLine = 1;
  for (let i = begin - 1; i >= 0; i--)
    if (/^\s*ITEM: UNITS\b/.test(lines[i]!) && i + 1 < lines.length) {
      const v = lines[i + 1]!;
      const hash = v.indexOf("#");
      if (hash >= 0) header = headerEntries(v.slice(hash + 1));
      headerLine = i + 2;
      break;
    }

  let natoms = -1;
  let boundsLine = -1;
  let boundRows: number[][] = [];
  let tiltOrder: number[] | null = null;
  let flags: string[] = [];
  let atomsLine = -1;
  let columns: string[] = [];
  let i = begin + 2; // skip the timestep value
  for (; i < end; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    const where = { file, line: i + 1 };
    if (line === "ITEM: NUMBER OF ATOMS") {
      natoms = parseInteger(tokens(lines[i + 1] ?? "")[0], "number of atoms", { file, line: i + 2 });
      i++;
    } else if (line.startsWith("ITEM: BOX BOUNDS")) {
      boundsLine = i + 1;
      const labels = tokens(line.slice("ITEM: BOX BOUNDS".length));
      const tiltLabels: string[] = labels.filter((l) => l === "xy" || l === "xz" || l === "yz");
      flags = labels.filter((l) => !tiltLabels.includes(l));
      if (tiltLabels.length === 3) tiltOrder = ["xy", "xz", "yz"].map((l) => tiltLabels.indexOf(l));
      boundRows = [];
      for (let a = 0; a < 3; a++) {
        const w = { file, line: i + 2 + a };
        const t = tokens(lines[i + 1 + a] ?? "");
        if (t.length !== 2 && t.length !== 3) throw new GlassmechError(`a BOX BOUNDS row needs 2 numbers (3 for a triclinic box), got ${t.length}`, w);
        boundRows.push(t.map((v, c) => parseNumber(v, `box bound ${c + 1}`, w)));
      }
      if (boundRows[0]!.length === 3 && tiltOrder === null) tiltOrder = [0, 1, 2];
      i += 3;
    } else if (line.startsWith("ITEM: ATOMS")) {
      atomsLine = i + 1;
      columns = tokens(line.slice("ITEM: ATOMS".length));
      break;
    } else if (line.startsWith("ITEM:")) {
      // ITEM: TIME, ITEM: UNITS or future items carry one value line we do not need.
      i++;
    } else throw new GlassmechError(`unexpected line '${line}' in the dump header`, where);
  }
  if (natoms < 0) throw new GlassmechError("the frame has no 'ITEM: NUMBER OF ATOMS'", { file, line: begin + 1 });
  if (natoms < 1) throw new GlassmechError("the frame has no atoms", { file, line: begin + 1 });
  if (boundsLine < 0) throw new GlassmechError("the frame has no 'ITEM: BOX BOUNDS'", { file, line: begin + 1 });
  if (atomsLine < 0) throw new GlassmechError("the frame has no 'ITEM: ATOMS' line", { file, line: begin + 1 });

  // Rows of this frame.
  const rowLines: number[] = [];
  for (let j = atomsLine; j < end; j++) if (lines[j]!.trim() !== "") rowLines.push(j);
  if (rowLines.length !== natoms) {
    const at = rowLines.length > natoms ? rowLines[natoms]! + 1 : atomsLine;
    throw new GlassmechError(`ITEM: NUMBER OF ATOMS says ${natoms} but the frame has ${rowLines.length} atom rows`, { file, line: at });
  }

  // Dimension and periodicity.
  const tilt = tiltOrder !== null ? tiltOrder.map((c) => boundRows[c]![2]!) : null;
  const dimEntry = header.find((e) => e.key === "dimension");
  const col = (name: string) => columns.indexOf(name);
  const aWhere = { file, line: atomsLine };
  let mode = "";
  // Prefer plain x over scaled/unwrapped columns when several are present (the last match wins).
  for (const m of ["xsu", "xu", "xs", "x"]) if (col(m) >= 0 && col(m.replace("x", "y")) >= 0) mode = m;
  if (mode === "") throw new GlassmechError(`ITEM: ATOMS has no x y z (or xs ys zs, xu yu zu, xsu ysu zsu) columns: '${columns.join(" ")}'`, aWhere);
  const cx = col(mode);
  const cy = col(mode.replace("x", "y"));
  const cz = col(mode.replace("x", "z"));
  const ct = col("type");
  if (ct < 0) throw new GlassmechError(`ITEM: ATOMS has no type column: '${columns.join(" ")}'`, aWhere);
  const cid = col("id");
  const cdiam = col("diameter");
  const crad = col("radius");

  const ids = cid >= 0 ? new Float64Array(natoms) : null;
  const typ = new Int32Array(natoms);
  const xyz = new Float64Array(natoms * 3);
  const sizes = cdiam >= 0 || crad >= 0 ? new Float64Array(natoms) : null;
  const lineNo = new Int32Array(natoms);
  for (let r = 0; r < natoms; r++) {
    const where = { file, line: rowLines[r]! + 1 };
    const t = tokens(lines[rowLines[r]!]!);
    if (t.length !== columns.length) throw new GlassmechError(`expected ${columns.length} columns (${columns.join(" ")}), got ${t.length}`, where);
    if (ids !== null) ids[r] = parseInteger(t[cid], "atom id", where);
    typ[r] = parseInteger(t[ct], "atom type", where);
    if (typ[r]! < 1) throw new GlassmechError(`atom type ${typ[r]} must be ≥ 1`, where);
    xyz[r * 3] = parseNumber(t[cx], mode, where);
    xyz[r * 3 + 1] = parseNumber(t[cy], mode.replace("x", "y"), where);
    xyz[r * 3 + 2] = cz >= 0 ? parseNumber(t[cz], mode.replace("x", "z"), where) : 0;
    if (sizes !== null) sizes[r] = cdiam >= 0 ? parseNumber(t[cdiam], "diameter", where) : 2 * parseNumber(t[crad], "radius", where);
    lineNo[r] = rowLines[r]! + 1;
  }

  let d: number;
  const hWhere = { file, line: headerLine };
  if (options.dimension !== undefined) d = options.dimension;
  else if (dimEntry !== undefined) d = parseInteger(dimEntry.value, "dimension", hWhere);
  else if (cz < 0) d = 2;
  else {
    let flat = mode === "x" || mode === "xu";
    for (let r = 0; r < natoms && flat; r++) if (xyz[r * 3 + 2] !== 0) flat = false;
    d = flat ? 2 : 3;
  }
  if (d !== 2 && d !== 3) throw new GlassmechError(`dimension=${d}: LAMMPS files are 2- or 3-dimensional`, hWhere);
  if (d === 3 && cz < 0) throw new GlassmechError(`ITEM: ATOMS has no ${mode.replace("x", "z")} column for a 3D frame`, aWhere);
  if (flags.length >= d)
    for (let a = 0; a < d; a++)
      if (flags[a] !== "pp") throw new GlassmechError(`boundary '${flags[a]}' in direction ${"xyz"[a]}: glassmech boxes are periodic (pp)`, { file, line: boundsLine });
  if (d === 2 && (mode === "xs" || mode === "xsu")) for (let r = 0; r < natoms; r++) xyz[r * 3 + 2] = 0;

  const { lo, hi } = boundsFromDumpRows(boundRows, tilt);
  // Exact lengths we tagged when the bound arithmetic cannot reproduce them (see formatLammpsDump);
  // used only when they agree with the bounds to rounding, so an edited box is never overridden.
  for (const [a, key] of [[0, "lx"], [1, "ly"]] as const) {
    const e = header.find((x) => x.key === key);
    if (e === undefined) continue;
    const exact = parseNumber(e.value, key, hWhere);
    if (Math.abs(exact - (hi[a]! - lo[a]!)) <= 1e-12 * Math.abs(exact)) hi[a] = lo[a]! + exact;
  }
  return assembleFrame(file, d, lo, hi, tilt, ids, typ, xyz, sizes, lineNo, header, {
    sortWhat: "atom id",
    unwrapped: mode === "xu" || mode === "xsu",
    scaled: mode === "xs" || mode === "xsu",
    headerLine,
    // LAMMPS maps atoms back into the box only when it rebuilds neighbor lists, so a dump written
    // during a run holds atoms up to half a skin outside it: wrap those (a fifth of the box is far
    // more than any skin); farther ones mean a broken file.
    wrapMargin: 0.2,
  });
}

/** Formats a configuration as a one-frame LAMMPS text dump (timestep 0). */
export function formatLammpsDump(config: Configuration, timestep = 0): string {
  const { d, n, positions, types, sizes } = config;
  const b = lammpsBounds(config.box);
  const { rows, triclinic } = dumpBoundRows(b);
  // A tilted cell's bounds are lo/hi shifted by the tilts; when no float makes the reader's
  // subtraction give our length back exactly, the exact lengths ride on the tag line.
  let exactLengths = "";
  if (triclinic) {
    const back = boundsFromDumpRows(rows.map(([l, h]) => [l, h]), b.tilt);
    for (const [a, key] of [[0, "lx"], [1, "ly"]] as const)
      if (back.hi[a]! - back.lo[a]! !== b.hi[a]! - b.lo[a]!) exactLengths += ` ${key}=${formatFloat(b.hi[a]! - b.lo[a]!)}`;
  }
  const out: string[] = ["ITEM: UNITS", `lj # ${glassmechTag(config)}${exactLengths}`, "ITEM: TIMESTEP", String(timestep), "ITEM: NUMBER OF ATOMS", String(n)];
  out.push(triclinic ? "ITEM: BOX BOUNDS xy xz yz pp pp pp" : "ITEM: BOX BOUNDS pp pp pp");
  for (const [l, h, t] of rows) out.push(`${formatFloat(l)} ${formatFloat(h)}${t !== null ? ` ${formatFloat(t)}` : ""}`);
  out.push(`ITEM: ATOMS id type x y z${sizes !== null ? " diameter" : ""}`);
  for (let i = 0; i < n; i++) {
    const row: string[] = [String(i + 1), String(types[i]! + 1)];
    for (let a = 0; a < d; a++) row.push(formatFloat(positions[i * d + a]!));
    if (d === 2) row.push("0");
    if (sizes !== null) row.push(formatFloat(sizes[i]!));
    out.push(row.join(" "));
  }
  return out.join("\n") + "\n";
}
