import type { Command } from "commander";
import { formatFromPath, readConfiguration, writeConfiguration, type FileFormat } from "../io/readConfiguration.js";
import { addReadOptions, formatArg, readOptionsFrom } from "./options.js";

/**
 * `glassmech convert IN OUT [--format F]`: rewrites a configuration in another format (extended
 * XYZ, LAMMPS data, LAMMPS dump; SPEC §2). Positions, box, types, sizes and model are kept bit for
 * bit. A file without a model descriptor needs `--model` (the output always carries one).
 */
export function registerConvert(program: Command): void {
  const cmd = program
    .command("convert")
    .description("convert a configuration between extended XYZ, LAMMPS data, LAMMPS dump and GSD")
    .argument("<in>", "input configuration")
    .argument("<out>", "output file (format from the extension unless --format)")
    .option("--format <format>", "output format (extxyz, lammps-data, lammps-dump, gsd)", formatArg);
  addReadOptions(cmd);
  cmd.action((input: string, output: string) => {
    const config = readConfiguration(input, readOptionsFrom(cmd));
    const format = (cmd.opts().format as FileFormat | undefined) ?? formatFromPath(output);
    writeConfiguration(output, config, format);
    process.stdout.write(`wrote ${output} (${format}, N=${config.n}, d=${config.d})\n`);
  });
}
