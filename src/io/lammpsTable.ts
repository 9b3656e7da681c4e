import { resolve, dirname, basename, extname, join } from "node:path";
import { GlassmechError } from "../core/errors.js";
import { formatDescriptor } from "../core/descriptor.js";
import type { Model } from "../models/types.js";
import { formatFloat, writeFilesAtomic } from "./text.js";

/**
 * A model as a LAMMPS tabulated pair potential (https://docs.lammps.org/pair_table.html):
 * `pair_style table spline N` with one table per type pair, written from the model's exact
 * kernel: φ_ab(r) = ε_ab f(r/λ_ab), force −φ'(r) = −ε_ab f'(r/λ_ab)/λ_ab (models/types.ts).
 *
 * Accuracy: LAMMPS evaluates a "spline" table as a cubic spline in s = r² over N points equally
 * spaced in r² from the inner radius to the cutoff, after interpolating the file's table onto
 * those points. We write the file's points at exactly those r (keyword `RSQ rlo rhi`, same N),
 * so the second interpolation only reproduces the exact values, and pass the exact force
 * derivative at the inner end (`FPRIME`). What remains is the cubic-spline error in s: O(N⁻⁴)
 * where φ is smooth; but φ''' jumps at the PSS joint x_min and at every cutoff, so the *force*
 * (there only C¹) is O(N⁻²) accurate next to those points. Measured (PSS rc = 1.2, worst pair
 * distance, reduced units): N = 20000: energy 3e-12, force 1e-7; N = 40000: energy 1e-12,
 * force 5e-8; N = 80000: force 1e-8. On the N = 200 PSS glass of test/fixtures, LAMMPS and
 * glassmech agree to 4e-15 in energy and 1e-11 (N = 20000) / 6e-14 (N = 40000) in virial
 * pressure (test/io/lammpsCrossCheck.test.ts). Default N = 40000 (~3 MB per type pair).
 *
 * Range: from r_min = 0.5 λ_ab (deep in the hard core: f(0.5) = 16128 for PSS, 1023 for IPL) to
 * r_c = x_c λ_ab; LAMMPS stops with "Pair distance < table inner cutoff" if a pair ever comes
 * closer. Per-particle sizes (POLY) give a continuum of pairs and cannot be a finite type table.
 */

export interface LammpsTableOptions {
  /** Table points per type pair (file and LAMMPS's internal table). Default 40000. */
  readonly points?: number;
  /** Inner radius as a fraction of λ_ab. Default 0.5. */
  readonly innerFraction?: number;
}

export interface LammpsTableSection {
  /** 1-based LAMMPS types, a ≤ b. */
  readonly typeA: number;
  readonly typeB: number;
  readonly keyword: string;
  readonly rlo: number;
  readonly rhi: number;
}

export interface LammpsPairExport {
  /** Contents of the table file. */
  readonly table: string;
  /** The sections it holds. */
  readonly sections: readonly LammpsTableSection[];
  /** Table points per section. */
  readonly points: number;
}

/** Default table length (see the accuracy note above). */
export const DEFAULT_TABLE_POINTS = 40000;

/** Builds the table file text for a model with per-type pair scales. */
export function lammpsPairTable(model: Model, options: LammpsTableOptions = {}): LammpsPairExport {
  const N = options.points ?? DEFAULT_TABLE_POINTS;
  const inner = options.innerFraction ?? 0.5;
  if (!Number.isInteger(N) || N < 100 || N > 10_000_000) throw new GlassmechError(`table points must be an integer in [100, 1e7], got ${N}`);
  if (!(inner > 0 && inner < 1)) throw new GlassmechError(`inner fraction must be in (0, 1), got ${inner}`);
  const scales = model.scales;
  if (scales.kind !== "types")
    throw new GlassmechError(
      `model ${model.name} has per-particle sizes λ_i (every pair has its own λ_ij): it cannot be written as a finite set of LAMMPS type tables`,
    );
  const nt = scales.ntypes;
  const xc = model.reduced.xc;
  const desc = formatDescriptor({ name: model.name, params: model.params });
  const out: string[] = [
    `# glassmech ${desc}: tabulated pair potential for LAMMPS pair_style table spline ${N}`,
    `# phi_ab(r) = eps_ab f(r/lambda_ab), force = -eps_ab f'(r/lambda_ab)/lambda_ab; columns: index r energy force`,
    `# ${N} points per table, equally spaced in r^2 (RSQ) from ${inner}*lambda_ab to the cutoff ${formatFloat(xc)}*lambda_ab`,
    "",
  ];
  const sections: LammpsTableSection[] = [];
  const v = new Float64Array(3);
  for (let a = 0; a < nt; a++)
    for (let b = a; b < nt; b++) {
      const lam = scales.lambda[a * nt + b]!;
      const eps = scales.epsilon[a * nt + b]!;
      const rlo = inner * lam;
      const rhi = xc * lam;
      const keyword = `${model.species[a] ?? `T${a + 1}`}${model.species[b] ?? `T${b + 1}`}`;
      sections.push({ typeA: a + 1, typeB: b + 1, keyword, rlo, rhi });
      model.reduced.eval2(rlo / lam, v);
      const fplo = (-eps * v[2]!) / (lam * lam); // d(force)/dr = −φ''(r) at the inner end
      out.push(keyword, `N ${N} RSQ ${formatFloat(rlo)} ${formatFloat(rhi)} FPRIME ${formatFloat(fplo)} 0`, "");
      const lo2 = rlo * rlo;
      const span = rhi * rhi - lo2;
      for (let i = 0; i < N; i++) {
        // Same expression as LAMMPS's read_table for RSQ tables, so the r values agree bit for bit.
        const r = Math.sqrt(lo2 + (span * i) / (N - 1));
        let e = 0;
        let f = 0;
        if (i < N - 1) {
          model.reduced.eval2(r / lam, v);
          e = eps * v[0]!;
          f = (-eps * v[1]!) / lam;
        }
        out.push(`${i + 1} ${formatFloat(r)} ${formatFloat(e)} ${formatFloat(f)}`);
      }
      out.push("");
    }
  return { table: out.join("\n"), sections, points: N };
}

/** The `pair_style`/`pair_coeff` lines for LAMMPS's `include`, naming the table file by absolute path. */
export function lammpsPairInclude(model: Model, exported: LammpsPairExport, tablePath: string, d = 3): string {
  const abs = resolve(tablePath);
  const quoted = /\s/.test(abs) ? `"${abs}"` : abs;
  const desc = formatDescriptor({ name: model.name, params: model.params });
  const lines = [
    `# glassmech ${desc}: LAMMPS pair include file (units lj, atom_style atomic${d === 2 ? ", dimension 2" : ""})`,
    `# read_data <glass.data>, then: include <this file>`,
    `# LAMMPS warns "1 of N force values in table XY are inconsistent with -dE/dr" at the inflection point of phi: expected.`,
    `pair_style table spline ${exported.points}`,
  ];
  for (const s of exported.sections) lines.push(`pair_coeff ${s.typeA} ${s.typeB} ${quoted} ${s.keyword} ${formatFloat(s.rhi)}`);
  return lines.join("\n") + "\n";
}

/** The table file that goes beside a pair include file: same name with extension `.table`. */
export function tablePathFor(pairPath: string): string {
  const ext = extname(pairPath);
  const stem = basename(pairPath, ext);
  const candidate = join(dirname(pairPath), `${stem}.table`);
  return resolve(candidate) === resolve(pairPath) ? join(dirname(pairPath), `${stem}.table.txt`) : candidate;
}

/** The pair include file and its table (paths absolute, contents formatted), not yet written. */
export function formatLammpsPair(pairPath: string, model: Model, options: LammpsTableOptions & { dimension?: number } = {}): { path: string; content: string }[] {
  const exported = lammpsPairTable(model, options);
  const tablePath = resolve(tablePathFor(pairPath));
  return [
    { path: tablePath, content: exported.table },
    { path: resolve(pairPath), content: lammpsPairInclude(model, exported, tablePath, options.dimension) },
  ];
}

/** Writes the pair include file and its table beside it (both or neither); returns both absolute paths. */
export function writeLammpsPair(pairPath: string, model: Model, options: LammpsTableOptions & { dimension?: number } = {}): { pairPath: string; tablePath: string } {
  const files = formatLammpsPair(pairPath, model, options);
  writeFilesAtomic(files);
  return { pairPath: files[1]!.path, tablePath: files[0]!.path };
}
