import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { DEFAULT_FORCE_TOLERANCE } from "../observables/prepare.js";
import { writeGlassView } from "../view/glassView.js";
import { addReadOptions, integerArg, numberArg, readOptionsFrom } from "./options.js";

/**
 * `glassmech view GLASS [--mode k] [--dipole i,j] [--qlm FILE] [--field FILE] -o view.html`:
 * one self-contained HTML page (src/view/) showing the particles in their periodic box and the
 * chosen fields as arrows or colors, animated. Modes and dipoles are computed here (the glass
 * must be a minimum); a quartic mode (QLM) is read from a file: `glassmech qlm GLASS --out mode.xyz` computes one.
 */
function pairArg(value: string): [number, number] {
  const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(value);
  if (m === null) throw new GlassmechError(`--dipole wants two particle indices 'i,j' (0-based), got '${value}'`);
  return [Number(m[1]), Number(m[2])];
}

export function registerView(program: Command): void {
  const cmd = program
    .command("view")
    .description("3D viewer of a glass and its modes, dipole responses or quartic modes: one self-contained HTML file")
    .argument("<glass>", "glass file (any format readConfiguration reads)")
    .option("-o, --output <file>", "HTML file to write", "view.html")
    .option("--mode <k>", "show the k-th lowest nonzero mode (1 = softest)", integerArg)
    .option("--dipole <i,j>", "show the response to the force dipole on particles i and j (0-based, an interacting pair)")
    .option("--qlm [file]", "show a quartic mode read from FILE (Matrix Market vector or extended-XYZ column)")
    .option("--field <file>", "show any vector field read from FILE (Matrix Market vector or extended-XYZ column)")
    .option("--column <name>", "extended-XYZ column of --qlm/--field (default: the first real vector column besides pos)")
    .option("--slice <w>", "4D: thickness of the shown 3D slice", numberArg, 1.2)
    .option("--title <text>", "page title (default: the file name and field)")
    .option("--force-tolerance <f>", "largest per-particle force accepted as a minimum", numberArg, DEFAULT_FORCE_TOLERANCE);
  addReadOptions(cmd);
  cmd.action((file: string) => {
    const o = cmd.opts() as { output: string; mode?: number; dipole?: string; qlm?: string | true; field?: string; column?: string; slice: number; title?: string; forceTolerance: number };
    if (o.qlm === true)
      throw new GlassmechError("view: --qlm needs the quartic mode as a file: compute it with glassmech qlm GLASS --out mode.xyz, then --qlm mode.xyz (or give a Matrix Market vector of N·d values or another extended-XYZ vector column)");
    const config = readConfiguration(file, readOptionsFrom(cmd));
    const files = [
      ...(o.qlm !== undefined ? [{ path: o.qlm, label: "quartic mode (QLM)", column: o.column }] : []),
      ...(o.field !== undefined ? [{ path: o.field, label: "field", column: o.column }] : []),
    ];
    const t0 = performance.now();
    try {
      const v = writeGlassView(o.output, config, {
        title: o.title ?? `${file}${o.mode !== undefined ? ` — mode ${o.mode}` : ""}${o.dipole !== undefined ? ` — dipole ${o.dipole}` : ""}${o.qlm !== undefined ? " — QLM" : ""}`,
        modes: o.mode !== undefined ? [o.mode] : [],
        dipoles: o.dipole !== undefined ? [pairArg(o.dipole)] : [],
        files, forceTolerance: o.forceTolerance, slice: o.slice,
      });
      process.stdout.write(`view: ${o.output} (N = ${config.n}, d = ${config.d}${v.fields.map((f) => `; ${f.name}: ${f.info}`).join("")}; ${(v.html.length / 1e6).toFixed(2)} MB, ${((performance.now() - t0) / 1000).toFixed(2)} s)\n`);
    } catch (e) {
      if (e instanceof GlassmechError && e.file === undefined) throw new GlassmechError(e.message, { file });
      throw e;
    }
  });
}
