import { validateConfiguration, type Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { formatExtxyz, parseExtxyz } from "./extxyz.js";
import { formatGsdFrames, parseGsd, type GsdWriteOptions } from "./gsdHoomd.js";
import { formatLammpsData, parseLammpsData } from "./lammpsData.js";
import { formatLammpsDump, parseLammpsDump } from "./lammpsDump.js";
import { toConfiguration, type ModelOverrides, type RawFrame } from "./rawFrame.js";
import { readBinaryFile, readTextFile, writeFileAtomic } from "./text.js";

/**
 * Reading and writing configurations by file name (SPEC §2).
 *
 * Formats and their extensions:
 *   "extxyz"       .xyz .extxyz               extended XYZ (src/io/extxyz.ts)
 *   "lammps-data"  .data .lmp .lammps         LAMMPS data, atom_style atomic (src/io/lammpsData.ts)
 *   "lammps-dump"  .dump .lammpstrj           LAMMPS text dump (src/io/lammpsDump.ts)
 *   "gsd"          .gsd                       HOOMD's binary GSD (src/io/gsd.ts, gsdHoomd.ts)
 *
 * The model comes from the file's header (extended-XYZ comment line, LAMMPS data first line,
 * dump `ITEM: UNITS` line, GSD log/glassmech/model chunk) and may be overridden: `{ model: "pss", params: { rc: 1.2 } }`.
 * Unknown models, bad parameters, bad rows and particles outside the box are GlassmechErrors
 * naming the file and line. Writes are atomic (temporary file, then rename).
 */
export type FileFormat = "extxyz" | "lammps-data" | "lammps-dump" | "gsd";

export const FILE_FORMATS: readonly FileFormat[] = ["extxyz", "lammps-data", "lammps-dump", "gsd"];

export interface ReadOptions extends ModelOverrides {
  /** Format; default from the extension. */
  readonly format?: FileFormat;
  /** Frame of a multi-frame file: 0-based from the start, negative from the end (default −1, the last). */
  readonly frame?: number;
  /** Force d = 2 or 3 for LAMMPS files that do not say (see lammpsData.ts for the rule). */
  readonly dimension?: number;
}

const EXTENSIONS: Record<string, FileFormat> = {
  xyz: "extxyz",
  extxyz: "extxyz",
  data: "lammps-data",
  lmp: "lammps-data",
  lammps: "lammps-data",
  dump: "lammps-dump",
  lammpstrj: "lammps-dump",
  gsd: "gsd",
};

/** Accepts a format name or a common alias (xyz, data, dump, lammpstrj…). */
export function parseFormat(name: string): FileFormat {
  const key = name.toLowerCase().replace(/^\./, "");
  if ((FILE_FORMATS as readonly string[]).includes(key)) return key as FileFormat;
  const f = EXTENSIONS[key];
  if (f === undefined) throw new GlassmechError(`unknown file format '${name}' (known: ${FILE_FORMATS.join(", ")})`);
  return f;
}

/** The format a file name implies, from its extension. */
export function formatFromPath(path: string): FileFormat {
  const m = /\.([A-Za-z0-9]+)$/.exec(path);
  const f = m ? EXTENSIONS[m[1]!.toLowerCase()] : undefined;
  if (f === undefined)
    throw new GlassmechError(
      `cannot tell the format from the file name (use .xyz/.extxyz, .data/.lmp, .dump/.lammpstrj, .gsd, or give the format explicitly)`,
      { file: path },
    );
  return f;
}

/** Checks before any work that a d-dimensional configuration can be written to `path` (format and dimension). */
export function checkOutputFormat(path: string, d: number, format?: FileFormat): void {
  const f = format ?? formatFromPath(path);
  if (d === 4 && f !== "extxyz") throw new GlassmechError(`${f} has no 4-dimensional boxes; use extended XYZ (.xyz) for d = 4`, { file: path });
}

/** Parses text in a given format into a raw frame (model not yet resolved). */
export function parseConfigurationText(text: string, file: string, format: FileFormat, options: ReadOptions = {}): RawFrame {
  switch (format) {
    case "extxyz":
      return parseExtxyz(text, file, { frame: options.frame });
    case "lammps-data":
      return parseLammpsData(text, file, { dimension: options.dimension });
    case "lammps-dump":
      return parseLammpsDump(text, file, { frame: options.frame, dimension: options.dimension });
    case "gsd":
      throw new GlassmechError("GSD is a binary format; read it from a file", { file });
  }
}

/** Reads a configuration; see the module comment for formats and model overrides. */
export function readConfiguration(path: string, options: ReadOptions = {}): Configuration {
  const format = options.format ?? formatFromPath(path);
  if (format === "gsd") return toConfiguration(parseGsd(readBinaryFile(path), path, { frame: options.frame }).raw, options);
  const text = readTextFile(path);
  return toConfiguration(parseConfigurationText(text, path, format, options), options);
}

/** Extra data some formats can store (velocities in GSD; ignored by the others). */
export type WriteExtras = GsdWriteOptions;

/** Formats a configuration in the given format (text, or bytes for GSD). */
export function formatConfiguration(config: Configuration, format: FileFormat, extras: WriteExtras = {}): string | Uint8Array {
  switch (format) {
    case "extxyz":
      return formatExtxyz(config);
    case "lammps-data":
      return formatLammpsData(config);
    case "lammps-dump":
      return formatLammpsDump(config);
    case "gsd":
      return formatGsdFrames([{ config, options: extras }]);
  }
}

/** Writes a configuration (format from the extension unless given), atomically. */
export function writeConfiguration(path: string, config: Configuration, format?: FileFormat, extras: WriteExtras = {}): void {
  const f = format ?? formatFromPath(path);
  let text: string | Uint8Array;
  try {
    validateConfiguration(config);
    text = formatConfiguration(config, f, extras);
  } catch (e) {
    if (e instanceof GlassmechError && e.file === undefined) throw new GlassmechError(e.message, { file: path });
    throw e;
  }
  writeFileAtomic(path, text);
}
