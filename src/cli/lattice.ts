import type { Command } from "commander";
import { GlassmechError } from "../core/errors.js";
import { analyzeKappas, PUBLISHED_ETA, type EtaFit, type LocalSlope } from "../lattice/analysis.js";
import { DEFAULT_CHUNK_SIZE, makeSampler } from "../lattice/chunks.js";
import { FastLatticeSampler } from "../lattice/fast.js";
import { defaultLatticeSide } from "../lattice/geometry.js";
import { defaultThreads } from "../core/pool.js";
import { sampleKappas } from "../lattice/pool.js";
import { integerArg, numberArg, positiveIntegerArg, seedArg } from "./options.js";
import { progressReporter } from "./progress.js";

/**
 * `glassmech lattice --d 3 --samples 1e6 --seed 1 [--L 21] [--threads 2] [--exact] [--json]`:
 * samples κ of the lattice model of dipole stiffnesses (SPEC §8, seed 004 §III C) and prints the
 * low-κ exponent η with its fit range and error, the κ quantiles and the log-binned p(κ).
 * Progress goes to stderr: a bar on a terminal, a plain line every ~10 s otherwise (Slurm logs).
 */
export interface LatticeCliOptions {
  d: number;
  samples: number;
  seed: number;
  L?: number;
  threads?: number;
  exact?: boolean;
  nearWeight?: number;
  omegaStar?: number;
  binsPerDecade?: number;
  fitMin?: number;
  fitMax?: number;
  minCount?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface LatticeReport {
  d: number;
  L: number;
  samples: number;
  seed: number;
  method: "exact" | "fast";
  /** Fast sampler only: exactly drawn near sites, far sites, ω* and the near-weight cut. */
  sampler: { nearSites?: number; farSites?: number; omegaStar?: number; nearWeight?: number; chunkSize: number };
  threads: number;
  seconds: number;
  eta: EtaFit | null;
  etaProblem?: string;
  /** d ln p/d ln κ over κ (3-bin windows), and the published η of this d (seed 004) beside ours. */
  localSlopes: LocalSlope[];
  published: { eta: number | null; source: string; note: string };
  mean: number;
  quantiles: Record<string, number>;
  histogram: { lo: number; hi: number; center: number; count: number; density: number }[];
}

/** Runs the sampling and the analysis (the CLI action without the printing; used by tests). */
export async function runLattice(o: LatticeCliOptions): Promise<LatticeReport> {
  const L = o.L ?? defaultLatticeSide(o.d);
  const threads = o.threads ?? defaultThreads();
  const spec = { d: o.d, L, exact: o.exact === true, nearWeight: o.nearWeight, omegaStar: o.omegaStar };
  const sampler = makeSampler(spec); // validates d, L, nearWeight, omegaStar before any work
  const t0 = performance.now();
  const kappas = await sampleKappas({ ...spec, samples: o.samples, seed: o.seed }, { threads, ...(o.onProgress ? { onProgress: o.onProgress } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  const a = analyzeKappas(kappas, { binsPerDecade: o.binsPerDecade, fitMin: o.fitMin, fitMax: o.fitMax, minCount: o.minCount });
  const h = a.histogram;
  const histogram = h.counts.map((count, k) => ({ lo: h.edges[k]!, hi: h.edges[k + 1]!, center: h.centers[k]!, count, density: h.density[k]! }));
  const info =
    sampler instanceof FastLatticeSampler
      ? { nearSites: sampler.nearSites, farSites: sampler.farSites, omegaStar: sampler.omegaStar, nearWeight: sampler.nearWeight, chunkSize: DEFAULT_CHUNK_SIZE }
      : { chunkSize: DEFAULT_CHUNK_SIZE };
  const published = {
    eta: PUBLISHED_ETA[o.d] ?? null,
    source: "seed 004 §III C (10⁷ samples, fit window not stated)",
    note: "open discrepancy (SPEC §8): the literal model of Eqs. 8–10, checked by an independent brute force, gives larger η and a local slope that drifts with κ; the model is not tuned toward the published values",
  };
  const report: LatticeReport = { d: o.d, L, samples: o.samples, seed: o.seed, method: sampler.method, sampler: info, threads, seconds, eta: a.eta, localSlopes: a.localSlopes, published, mean: a.mean, quantiles: a.quantiles, histogram };
  if (a.etaProblem !== undefined) report.etaProblem = a.etaProblem;
  return report;
}

const g = (v: number, digits = 4): string => v.toPrecision(digits);

/** Human-readable report. */
export function formatLatticeReport(r: LatticeReport): string {
  const lines: string[] = [];
  const how =
    r.method === "exact"
      ? "exact (all sites drawn)"
      : `fast (${r.sampler.nearSites} near sites exact, ${r.sampler.farSites} far sites: ω < ${r.sampler.omegaStar} exact, rest Gaussian)`;
  lines.push(`lattice model d=${r.d} L=${r.L} samples=${r.samples} seed=${r.seed} ${how}, ${r.threads} thread(s), ${r.seconds.toFixed(1)} s`);
  if (r.eta !== null) {
    const e = r.eta;
    lines.push(`eta: ${e.eta.toFixed(3)} ± ${e.etaStderr.toFixed(3)} (fit ${g(e.fitMin, 3)} ≤ κ ≤ ${g(e.fitMax, 3)}, ${e.bins} bins, ${e.samplesInFit} samples, χ²/dof ${e.chi2PerDof.toFixed(2)}); p(κ) ≈ ${g(e.prefactor, 3)} κ^eta`);
    if (e.halves !== null) {
      const { lower, upper } = e.halves;
      lines.push(`eta on the lower / upper half of the fit range: ${lower.eta.toFixed(3)} ± ${lower.etaStderr.toFixed(3)} / ${upper.eta.toFixed(3)} ± ${upper.etaStderr.toFixed(3)}`);
    }
  } else lines.push(`eta: not fitted (${r.etaProblem})`);
  if (r.published.eta !== null)
    lines.push(`published eta (${r.published.source}): ${r.published.eta.toFixed(2)}${r.eta !== null ? ` vs ours ${r.eta.eta.toFixed(3)} ± ${r.eta.etaStderr.toFixed(3)}` : ""}: ${r.published.note}`);
  if (r.localSlopes.length > 0) {
    lines.push("local slope d ln p/d ln kappa (3 log bins each):");
    for (const l of r.localSlopes) lines.push(`  at kappa ${g(l.kappa, 3)}: ${l.slope.toFixed(3)} ± ${l.stdError.toFixed(3)}`);
  } else lines.push("local slope: no 3 adjacent bins hold enough samples");
  const q = Object.entries(r.quantiles).map(([k, v]) => `"${k}": ${g(v, 5)}`);
  lines.push(`quantiles: {${q.join(", ")}}`);
  lines.push(`mean kappa: ${g(r.mean, 5)}`);
  lines.push("p(kappa), log bins:  kappa_lo  kappa_hi  count  density");
  for (const b of r.histogram) lines.push(`  ${g(b.lo)}  ${g(b.hi)}  ${b.count}  ${b.density.toExponential(4)}`);
  return lines.join("\n") + "\n";
}

export function registerLattice(program: Command): void {
  const cmd = program
    .command("lattice")
    .description("lattice model of dipole stiffnesses (SPEC §8): sample κ, fit the low-κ exponent eta, print quantiles and log-binned p(κ)")
    .requiredOption("--d <d>", "spatial dimension (the paper: 2, 3, 4)", integerArg)
    .option("--samples <n>", "number of lattices (one κ each); 1e6 style accepted", numberArg, 1e6)
    .option("--seed <s>", "random seed (non-negative integer)", seedArg, 1)
    .option("--L <L>", "odd lattice side (default: the paper's 101, 21, 11 for d = 2, 3, 4)", integerArg)
    .option("--threads <n>", "worker threads (0 = main thread)", integerArg, defaultThreads())
    .option("--exact", "brute force over all L^d sites (slow reference) instead of the fast sampler")
    .option("--near-weight <w>", "fast sampler: sites with r^(-2d) > w are drawn exactly", numberArg)
    .option("--omega-star <w>", "fast sampler: far sites with ω < ω* are drawn exactly, the rest is Gaussian", numberArg)
    .option("--bins-per-decade <k>", "log bins per decade of κ", integerArg, 10)
    .option("--fit-min <k>", "lower end of the eta fit (default: automatic, bins with ≥ min-count samples)", numberArg)
    .option("--fit-max <k>", "upper end of the eta fit", numberArg, 0.1)
    .option("--min-count <n>", "minimum samples per bin in the automatic fit range", positiveIntegerArg, 20)
    .option("--no-progress", "no progress output on stderr")
    .option("--json", "print the report as JSON");
  cmd.action(async () => {
    const o = cmd.opts() as Record<string, unknown>;
    const samples = o.samples as number;
    if (!Number.isInteger(samples) || samples < 1) throw new GlassmechError(`lattice: --samples must be a positive integer, got ${samples}`);
    const progress = progressReporter("lattice", { quiet: o.progress === false });
    let report: LatticeReport;
    try {
      report = await runLattice({
        d: o.d as number,
        samples,
        seed: o.seed as number,
        L: o.L as number | undefined,
        threads: o.threads as number,
        exact: o.exact === true,
        nearWeight: o.nearWeight as number | undefined,
        omegaStar: o.omegaStar as number | undefined,
        binsPerDecade: o.binsPerDecade as number,
        fitMin: o.fitMin as number | undefined,
        fitMax: o.fitMax as number,
        minCount: o.minCount as number,
        onProgress: (done: number) => progress.update("sampling", done, samples, ""),
      });
    } finally {
      progress.stop();
    }
    process.stdout.write(o.json === true ? JSON.stringify(report, null, 2) + "\n" : formatLatticeReport(report));
  });
}
