#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { GlassmechError } from "../core/errors.js";
import { registerAnneal } from "./anneal.js";
import { registerConvert } from "./convert.js";
import { registerExportLammps } from "./exportLammps.js";
import { registerEnsemble } from "./ensemble.js";
import { registerHessian } from "./hessian.js";
import { registerInfo } from "./info.js";
import { registerLattice } from "./lattice.js";
import { registerMake } from "./make.js";
import { registerMeasure } from "./measure.js";
import { registerModes } from "./modes.js";
import { registerQlm } from "./qlm.js";
import { registerMd } from "./md.js";
import { registerRelax } from "./relax.js";
import { registerReport } from "./report.js";
import { registerSlurm } from "./slurm.js";
import { registerStudy } from "./study.js";
import { registerView } from "./view.js";

/**
 * The `glassmech` command line. Each command lives in its own file exporting
 * `register<Name>(program)`; adding a command is that file plus one line in COMMANDS.
 *
 * Errors: a GlassmechError (bad input, failed numerics) prints `glassmech: <message>` on stderr
 * and exits with status 2, without a stack trace; so do usage errors. Anything else is a bug:
 * its stack trace is printed and the status is 1.
 */
const COMMANDS: ((program: Command) => void)[] = [
  registerInfo,
  registerConvert,
  registerExportLammps,
  registerMake,
  registerRelax,
  registerMd,
  registerMeasure,
  registerHessian,
  registerModes,
  registerQlm,
  registerLattice,
  registerStudy,
  registerSlurm,
  registerEnsemble,
  registerAnneal,
  registerReport,
  registerView,
];

function buildProgram(): Command {
  const program = new Command();
  program
    .name("glassmech")
    .description("computational glass physics: make computer glasses and measure their mechanical disorder")
    .version("0.1.0")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`glassmech: ${str.replace(/^error: /, "")}`) });
  for (const register of COMMANDS) register(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // help/version, or a usage error already printed
    if (e instanceof GlassmechError) {
      process.stderr.write(`glassmech: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`glassmech: internal error (please report): ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

// `glassmech … | head`: the reader went away; stop quietly as other Unix tools do.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
process.exitCode = await main(process.argv);
