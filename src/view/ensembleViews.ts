/**
 * One viewer page per ensemble for the report (issue 14): the first glass of the ensemble with
 * its softest mode, the softest of a few dipole responses, and a quartic mode when the study
 * folder holds one (`<label>/qlm-0000.mtx`, a Matrix Market vector, written by a study that
 * measures `qlm`, or put there by hand). Written as `<dir>/<label>/view.html`; each missing piece says why.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { GlassmechError } from "../core/errors.js";
import { readConfiguration } from "../io/readConfiguration.js";
import { autoDipoleSolver } from "../observables/dipoles.js";
import { writeGlassView } from "./glassView.js";

export interface EnsembleView {
  readonly label: string;
  /** Path of the page, or null when none was written (see `why`). */
  readonly path: string | null;
  readonly glass: string | null;
  /** What the page shows, one entry per field. */
  readonly shows: string[];
  /** Why a field (or the whole page) is missing. */
  readonly missing: string[];
  readonly seconds: number;
}

/** Dipoles tried for "one dipole response" (the softest of them is shown). */
const DIPOLES_TRIED = 8;

/** The first glass of an ensemble folder (`glass-0000.xyz` in the runner's layout), or null. */
export function firstGlass(dir: string, label: string): string | null {
  const folder = join(dir, label);
  if (!existsSync(folder)) return null;
  const f = readdirSync(folder).filter((x) => /^glass-\d+\.xyz$/.test(x)).sort()[0];
  return f === undefined ? null : join(folder, f);
}

/** Writes the view of one ensemble; failures become `missing` entries, never a thrown error. */
export function writeEnsembleView(dir: string, label: string, o: { seed?: number } = {}): EnsembleView {
  const t0 = performance.now();
  const glass = firstGlass(dir, label);
  const done = (v: Omit<EnsembleView, "label" | "seconds">): EnsembleView => ({ label, ...v, seconds: (performance.now() - t0) / 1000 });
  if (glass === null) return done({ path: null, glass: null, shows: [], missing: [`no glass file in ${join(dir, label)} (glass-0000.xyz)`] });
  const missing: string[] = [];
  try {
    const config = readConfiguration(glass);
    // The softest mode needs the sparse factor (shift-invert Lanczos): minutes and GBs at N = 10⁵,
    // so only where the dipole solver would factor too (observables/dipoles.ts).
    const factorOk = autoDipoleSolver(config.n, config.d) === "cholesky";
    if (!factorOk) missing.push(`softest mode: not computed at N = ${config.n} (the factorization takes minutes here); run glassmech view ${glass} --mode 1`);
    const qlm = join(dir, label, "qlm-0000.mtx");
    if (!existsSync(qlm)) missing.push(`quartic mode: none in the study (measure.qlm in the study spec, or put one as ${qlm})`);
    const path = join(dir, label, "view.html");
    const v = writeGlassView(path, config, {
      title: `${label}: ${glass.split("/").pop()}`,
      modes: factorOk ? [1] : [],
      softestDipoleOf: factorOk ? DIPOLES_TRIED : 2,
      files: existsSync(qlm) ? [{ path: qlm, label: "quartic mode (QLM)" }] : [],
      seed: o.seed,
    });
    return done({ path, glass, shows: v.fields.map((f) => `${f.name}: ${f.info}`), missing });
  } catch (e) {
    if (!(e instanceof GlassmechError)) throw e;
    return done({ path: null, glass, shows: [], missing: [...missing, `no view: ${e.message}`] });
  }
}
