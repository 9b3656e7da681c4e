/**
 * Nonphononic vDOS prefactor A_g and low-frequency participation (SPEC §6.1; seed 001 Eq. 5 and
 * App. A2a; seed 000 Eq. 2 and App. A2).
 *
 * Inputs are per-sample lists of the lowest vibrational frequencies ω = sqrt(λ) (reduced units,
 * m = 1) with the d zero modes already excluded.
 */
import { GlassmechError } from "../core/errors.js";
import { logBinnedHistogram, type LogHistogram, type LogHistogramOptions } from "./histogram.js";
import { fitPowerLaw, binAverageFactor } from "./powerLaw.js";
import { requireFinite, requirePositive, requireSameLength, type Numbers } from "./validate.js";

/** Lowest phonon frequency in a periodic box of side L: ω_ph = 2π c_s/L (SPEC §6.1). */
export function phononFrequency(cs: number, L: number): number {
  requirePositive(cs, "phononFrequency: cs");
  requirePositive(L, "phononFrequency: L");
  return (2 * Math.PI * cs) / L;
}

/** Default ω_c/ω_ph: a margin below the first (finite-size-broadened) shear-wave band. */
export const DEFAULT_OMEGA_CUT_FRACTION = 0.75;

/**
 * The cut ω_c = fraction · ω_ph below which modes are counted for A_g (SPEC §6.1 "use frequencies
 * below a cut ω_c < ω_ph"). For a non-cubic box pass its largest side (lowest phonon).
 * Default fraction 0.75: the first transverse band at ω_ph is broadened by disorder, and counting
 * its low edge as nonphononic modes would bias A_g upward; 0.75 keeps most of the ω⁴ range
 * (n_c ∝ ω_c⁵, so the statistics drop fast with a smaller fraction).
 * Example: `omegaCutFromPhonon(cs, L)` → `{ omegaCut, omegaPh, fraction: 0.75 }`.
 */
export function omegaCutFromPhonon(cs: number, L: number, fraction = DEFAULT_OMEGA_CUT_FRACTION): { omegaCut: number; omegaPh: number; fraction: number } {
  if (!(fraction > 0 && fraction <= 1)) throw new GlassmechError(`omegaCutFromPhonon: fraction must be in (0, 1], got ${fraction}`);
  const omegaPh = phononFrequency(cs, L);
  return { omegaCut: fraction * omegaPh, omegaPh, fraction };
}

export interface VdosPrefactor {
  /** A_g in D(ω) = A_g ω⁴ (units: frequency⁻⁵). */
  readonly Ag: number;
  /** Poisson error A_g/sqrt(n_c); if n_c = 0, the one-count scale 5/(N n_s ω_c⁵). */
  readonly error: number;
  /** n_c, modes with ω < ω_c over all samples. */
  readonly nBelow: number;
  /** n_s, number of samples. */
  readonly samples: number;
  readonly omegaCut: number;
}

/**
 * Cumulative estimator of A_g (SPEC §6.1): with D(ω) = (1/N)⟨Σ_l δ(ω − ω_l)⟩ = A_g ω⁴, the
 * expected number of modes below ω_c per sample is N ∫₀^{ω_c} A_g ω⁴ dω = N A_g ω_c⁵/5, so
 *   A_g = 5 n_c / (N n_s ω_c⁵),   σ_{A_g} = A_g/sqrt(n_c)  (n_c Poisson).
 * Each sample's list must contain every mode below ω_c (the lowest eigenpairs; check that each
 * sample's largest computed frequency reaches ω_c, which this function verifies unless
 * `assumeComplete` is set).
 * Example: `vdosPrefactor([[0.11, 0.2, …], …], 2000, 0.25)`.
 */
export function vdosPrefactor(
  frequenciesPerSample: readonly Numbers[],
  N: number,
  omegaCut: number,
  options: { /** Skip the completeness check (lists already truncated at ω_c). */ readonly assumeComplete?: boolean } = {},
): VdosPrefactor {
  requirePositive(N, "vdosPrefactor: N");
  requirePositive(omegaCut, "vdosPrefactor: omegaCut");
  const ns = frequenciesPerSample.length;
  if (ns === 0) throw new GlassmechError("vdosPrefactor: no samples");
  let nc = 0;
  for (let s = 0; s < ns; s++) {
    const f = frequenciesPerSample[s];
    requireFinite(f, `vdosPrefactor: frequencies of sample ${s}`, 0);
    let top = -Infinity;
    for (let l = 0; l < f.length; l++) {
      if (f[l] < 0) throw new GlassmechError(`vdosPrefactor: sample ${s} has a negative frequency ${f[l]} (mode ${l})`);
      if (f[l] < omegaCut) nc++;
      top = Math.max(top, f[l]);
    }
    if (top < omegaCut && !options.assumeComplete)
      throw new GlassmechError(
        `vdosPrefactor: sample ${s} lists modes only up to ω = ${top.toPrecision(4)} < ω_c = ${omegaCut.toPrecision(4)}; compute more eigenpairs so every mode below ω_c is counted`,
      );
  }
  const scale = 5 / (N * ns * Math.pow(omegaCut, 5));
  const Ag = scale * nc;
  return { Ag, error: nc > 0 ? Ag / Math.sqrt(nc) : scale, nBelow: nc, samples: ns, omegaCut };
}

/** Dimensionless prefactor A_g ω0⁵ (SPEC §6.1, canonical key `AgOmega0_5`), ω0 = c_s/a0. */
export function agOmega0_5(Ag: number, omega0: number): number {
  requirePositive(omega0, "agOmega0_5: omega0");
  return Ag * Math.pow(omega0, 5);
}

/**
 * D(ω) on logarithmic bins, normalized as the vDOS of SPEC §6.1 (per particle per sample):
 * density_k = counts_k / (N n_s Δω_k) (units: 1/frequency), so Σ density·Δω = modes listed/N.
 * (`total` is the number of modes binned; LogHistogram's "normalized over all values" wording
 * applies to logBinnedHistogram only.)
 */
export function logBinnedDensity(frequenciesPerSample: readonly Numbers[], N: number, options: LogHistogramOptions = {}): LogHistogram {
  requirePositive(N, "logBinnedDensity: N");
  const ns = frequenciesPerSample.length;
  if (ns === 0) throw new GlassmechError("logBinnedDensity: no samples");
  const all: number[] = [];
  for (let s = 0; s < ns; s++) {
    const f = frequenciesPerSample[s];
    requireFinite(f, `logBinnedDensity: frequencies of sample ${s}`, 0);
    for (let l = 0; l < f.length; l++) all.push(f[l]);
  }
  if (all.length === 0) throw new GlassmechError("logBinnedDensity: no frequencies");
  const h = logBinnedHistogram(all, options);
  const density = h.counts.map((c, k) => c / (N * ns * (h.edges[k + 1] - h.edges[k])));
  return { ...h, density };
}

export interface Omega4Fit {
  /** A from the fixed-slope fit ln D = ln A + 4 ln ω (count-weighted). */
  readonly A: number;
  /** Relative error of A (Poisson: 1/sqrt(Σ counts)). */
  readonly relError: number;
  /** Free-slope least-squares exponent and its error (should be ≈ 4 in the ω⁴ regime). */
  readonly freeExponent: number;
  readonly freeExponentStdError: number;
  /** [lowest, highest] bin center used, and number of bins. */
  readonly range: [number, number];
  readonly points: number;
}

/**
 * Fit of D(ω) = A ω⁴ to a log-binned vDOS on bins with centers in [omegaMin, omegaMax] and
 * counts > 0 (SPEC §6.1 "plus a plotted fit"; seed 001 Fig. 6 dashed lines). Each bin is
 * modelled as the bin average of A ω⁴ over its edges (not A ω_k⁴ at the centre, which is 5 %
 * low at 10 bins/decade). The fixed-slope estimate is ln A = Σ_k n_k ln(D_k/m_k)/Σ_k n_k with
 * m_k the bin average of ω⁴ (weights = counts); a free-slope fit is reported as a cross-check.
 * Bins straddling a cut are best avoided: choose omegaMax at an edge.
 */
export function fitOmega4(h: Pick<LogHistogram, "centers" | "density" | "counts" | "edges">, range: { omegaMin?: number; omegaMax: number }): Omega4Fit {
  requireSameLength(h.centers, h.density, "fitOmega4(centers, density)");
  requireSameLength(h.centers, h.counts, "fitOmega4(centers, counts)");
  if (h.edges.length !== h.centers.length + 1) throw new GlassmechError("fitOmega4: edges must have one more entry than centers");
  const lo = range.omegaMin ?? 0, hi = range.omegaMax;
  let sw = 0, s = 0, a = Infinity, b = -Infinity, points = 0;
  for (let k = 0; k < h.centers.length; k++) {
    const x = h.centers[k];
    if (!(x >= lo && x <= hi && h.counts[k] > 0 && h.density[k] > 0)) continue;
    // Bin k holds the bin average of A ω⁴, A ω_k⁴ · binAverageFactor (exact for equal log widths too).
    const model = Math.pow(x, 4) * binAverageFactor(h.edges[k], h.edges[k + 1], x, 4);
    sw += h.counts[k];
    s += h.counts[k] * Math.log(h.density[k] / model);
    a = Math.min(a, x); b = Math.max(b, x);
    points++;
  }
  if (points < 2) throw new GlassmechError(`fitOmega4: ${points} non-empty bin(s) in [${lo}, ${hi}]; need ≥ 2`);
  const free = fitPowerLaw(h.centers, h.density, { xmin: lo, xmax: hi, counts: h.counts, edges: h.edges });
  return { A: Math.exp(s / sw), relError: 1 / Math.sqrt(sw), freeExponent: free.exponent, freeExponentStdError: free.stdError, range: [a, b], points };
}

/**
 * Low-frequency plateau of the scaled participation ratio (SPEC §6.1; seed 000 App. A2, Fig. 14):
 * Ne0 = mean of N·e_l over all modes l (pooled over samples) with ω_l < omegaThreshold, where
 * e = (Σ_i ψ_i·ψ_i)²/(N Σ_i (ψ_i·ψ_i)²). `frequencies[l]` and `participationRatios[l]` describe the
 * same mode. Returns the mean, its standard error and the number of modes used.
 */
export function ne0(frequencies: Numbers, participationRatios: Numbers, N: number, omegaThreshold: number): { value: number; stdError: number; nModes: number } {
  requireFinite(frequencies, "ne0(frequencies)");
  requireFinite(participationRatios, "ne0(participationRatios)");
  requireSameLength(frequencies, participationRatios, "ne0(frequencies, participationRatios)");
  requirePositive(N, "ne0: N");
  requirePositive(omegaThreshold, "ne0: omegaThreshold");
  let n = 0, s = 0, s2 = 0;
  for (let l = 0; l < frequencies.length; l++) {
    if (!(frequencies[l] < omegaThreshold)) continue;
    const e = participationRatios[l];
    if (!(e > 0 && e <= 1 + 1e-12)) throw new GlassmechError(`ne0: participation ratio ${l} is ${e}; expected 0 < e ≤ 1`);
    const v = N * e;
    n++; s += v; s2 += v * v;
  }
  if (n === 0) throw new GlassmechError(`ne0: no modes below ω = ${omegaThreshold}`);
  const m = s / n;
  const se = n > 1 ? Math.sqrt(Math.max(0, s2 / n - m * m) * n / (n - 1) / n) : NaN;
  return { value: m, stdError: se, nModes: n };
}
