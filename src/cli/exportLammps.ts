import type { Command } from "commander";
import { writeLammpsPair, DEFAULT_TABLE_POINTS } from "../io/lammpsTable.js";
import { readConfiguration, writeConfiguration } from "../io/readConfiguration.js";
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
    // Check the model first: a POLY configuration must not leave a data file without its pair file.
    const { pairPath, tablePath } = writeLammpsPair(o.pair, model, { points: o.points, dimension: config.d });
    writeConfiguration(o.data, config, "lammps-data");
    process.stdout.write(
      `wrote ${o.data}, ${pairPath} and ${tablePath}\n` +
        `LAMMPS: units lj; atom_style atomic;${config.d === 2 ? " dimension 2;" : ""} boundary p p p; read_data ${o.data}; include ${pairPath}\n`,
    );
  });
}
