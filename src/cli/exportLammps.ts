import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { formatLammpsPair, DEFAULT_TABLE_POINTS } from "../io/lammpsTable.js";
import { formatConfiguration, readConfiguration } from "../io/readConfiguration.js";
import { writeFilesAtomic } from "../io/text.js";
import { createModel } from "../models/index.js";
import { addReadOptions, integerArg, readOptionsFrom } from "./options.js";

/**
 * `glassmech export-lammps FILE --data D --pair P [--points N]`: everything LAMMPS needs to
 * continue a glass: the data file D (atom_style atomic), the include file P with the
 * `pair_style table spline`/`pair_coeff` lines, and the table file beside P (P's name with
 * extension .table), named inside P by absolute path (src/io/lammpsTable.ts).
 */
export function registerExportLammps(program: Command): void {
  const cmd = program
    .command("export-lammps")
    .description("write a LAMMPS data file, a pair include file and its spline table for a configuration")
    .argument("<file>", "configuration")
    .requiredOption("--data <path>", "LAMMPS data file to write")
    .requiredOption("--pair <path>", "pair include file to write (the table goes beside it, extension .table)")
    .option("--points <n>", `table points per type pair (default ${DEFAULT_TABLE_POINTS})`, integerArg);
  addReadOptions(cmd);
  cmd.action((file: string) => {
    const o = cmd.opts() as { data: string; pair: string; points?: number };
    const config = readConfiguration(file, readOptionsFrom(cmd));
    const model = createModel(config.model);
    // Everything is formatted first (POLY or 4D fail here), then the three files are written
    // together: none is left without the others, none replaced alone.
    if (o.points !== undefined && !(o.points >= 2)) throw new GlassmechError(`--points must be at least 2, got ${o.points}`);
    const pair = formatLammpsPair(o.pair, model, { points: o.points, dimension: config.d });
    let data: string;
    try {
      data = formatConfiguration(config, "lammps-data") as string;
    } catch (e) {
      if (e instanceof GlassmechError && e.file === undefined) throw new GlassmechError(e.message, { file: o.data });
      throw e;
    }
    writeFilesAtomic([...pair, { path: o.data, content: data }]);
    const tablePath = pair[0]!.path;
    const pairPath = pair[1]!.path;
    process.stdout.write(
      `wrote ${o.data}, ${pairPath} and ${tablePath}\n` +
        `LAMMPS: units lj; atom_style atomic;${config.d === 2 ? " dimension 2;" : ""} boundary p p p; read_data ${o.data}; include ${pairPath}\n`,
    );
  });
}
