#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from "commander";
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
 * Errors: a GlassmechError (bad input, failed numerics) prints one line `glassmech: where: what`
 * on stderr (where = the file and line, else the command or option) and exits with status 2,
 * without a stack trace; so do usage errors. Anything else is a bug:
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
    .configureOutput({ outputError: (str, write) => write(`glassmech: ${usageMessage(str, commandOf(process.argv, program))}\n`) });
  for (const register of COMMANDS) register(program);
  return program;
}

/** The command a command line runs (its first word that names one), for the `where` of its errors. */
function commandOf(argv: readonly string[], program: Command): string {
  const names = new Set(program.commands.map((c) => c.name()));
  return argv.slice(2).find((a) => names.has(a)) ?? "usage";
}

/**
 * Commander's messages as `where: what`: "error: option '--n <count>' argument 'x' is invalid.
 * 'x' is not an integer" becomes "--n: argument 'x' is invalid: 'x' is not an integer"; the
 * others get the command as their where ("make: unknown option '--foo'").
 */
function usageMessage(raw: string, command: string): string {
  const text = raw.replace(/^error: /, "").trim().replace(/\s*\n\s*/g, " ");
  const m = /^option '(-[^\s',]*)(?:, (--[^\s']*))?[^']*' argument '(.*)' is invalid\. (.*)$/.exec(text);
  if (m) return `${m[2] ?? m[1]}: argument '${m[3]}' is invalid: ${m[4]}`;
  return `${command}: ${text}`;
}

/** A GlassmechError's message, with the command as `where` when it names no file. */
function errorMessage(e: GlassmechError | InvalidArgumentError, command: string): string {
  if (e instanceof GlassmechError && e.file !== undefined) return e.message;
  return e.message.startsWith(`${command}: `) ? e.message : `${command}: ${e.message}`;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    // An argument parser called from inside an action throws InvalidArgumentError itself, which
    // commander never printed (its own parse errors arrive as plain CommanderErrors, printed).
    const command = commandOf(argv, program);
    if (e instanceof InvalidArgumentError || e instanceof GlassmechError) {
      process.stderr.write(`glassmech: ${errorMessage(e, command)}\n`);
      return 2;
    }
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // help/version, or a usage error already printed
    // Typed arrays too large for memory (a huge N or a neighbor list at an absurd density):
    // a resource limit of this machine, not a bug — one line, status 2.
    if (e instanceof RangeError && /Array buffer allocation failed|Invalid typed array length|Invalid array length/.test(e.message)) {
      process.stderr.write(`glassmech: ${command}: out of memory (${e.message}); use a smaller system\n`);
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
