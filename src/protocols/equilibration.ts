/**
 * Equilibration checks of SPEC §3.7 from time series recorded during MD at fixed T:
 * energy and pressure drift, and the shear-stress autocorrelation
 *   c(t) = V ⟨σ(0) σ(t)⟩ / T,   σ = V⁻¹ ∂U/∂γ   (seed 000 App. E),
 * averaged over the d(d−1)/2 off-diagonal stress components (each is an independent estimate in
 * an isotropic liquid), and the stress relaxation time τ_σ where c(t) first falls below c(0)/e.
 */
export interface EquilibrationSeries {
  /** Time between samples. */
  readonly interval: number;
  readonly volume: number;
  readonly temperature: number;
  /** Per-sample potential energy per particle and virial pressure. */
  readonly energy: readonly number[];
  readonly pressure: readonly number[];
  /** Per-sample off-diagonal virial stresses, `components` values per sample, flattened. */
  readonly shear: readonly number[];
  readonly components: number;
}

export interface DriftReport {
  /** Mean of the second half minus mean of the first half. */
  readonly change: number;
  /** |change| in units of its standard error (blocks of length ≥ τ_σ), NaN if too short. */
  readonly sigmas: number;
}

export interface EquilibrationReport {
  readonly samples: number;
  readonly duration: number;
  readonly energyDrift: DriftReport;
  readonly pressureDrift: DriftReport;
  /** c(t) at lags 0, interval, 2·interval, … */
  readonly stressAutocorrelation: number[];
  /** First time with c(t) < c(0)/e; NaN when it never decays within the recorded lags. */
  readonly relaxationTime: number;
  /** Run length in units of τ_σ. */
  readonly durationOverTau: number;
  /** duration ≥ 20 τ_σ and both drifts below 3 standard errors. */
  readonly equilibrated: boolean;
}

export function analyseEquilibration(s: EquilibrationSeries, maxLagFraction = 0.25): EquilibrationReport {
  const m = s.energy.length;
  const duration = m * s.interval;
  const maxLag = Math.max(1, Math.floor(m * maxLagFraction));
  const c = new Array<number>(maxLag).fill(0);
  const k = s.components;
  for (let lag = 0; lag < maxLag; lag++) {
    let sum = 0;
    const count = m - lag;
    for (let t = 0; t < count; t++)
      for (let a = 0; a < k; a++) sum += s.shear[t * k + a] * s.shear[(t + lag) * k + a];
    c[lag] = (s.volume * sum) / (count * k * s.temperature);
  }
  let tau = NaN;
  for (let lag = 1; lag < maxLag; lag++)
    if (c[lag] < c[0] / Math.E) {
      // Linear interpolation between the bracketing lags.
      const f = (c[lag - 1] - c[0] / Math.E) / (c[lag - 1] - c[lag]);
      tau = (lag - 1 + f) * s.interval;
      break;
    }
  const blockSamples = Number.isFinite(tau) ? Math.max(1, Math.ceil(tau / s.interval)) : Math.max(1, Math.floor(m / 10));
  const energyDrift = drift(s.energy, blockSamples);
  const pressureDrift = drift(s.pressure, blockSamples);
  const durationOverTau = duration / tau;
  const equilibrated =
    Number.isFinite(tau) && durationOverTau >= 20 && !(energyDrift.sigmas > 3) && !(pressureDrift.sigmas > 3);
  return {
    samples: m,
    duration,
    energyDrift,
    pressureDrift,
    stressAutocorrelation: c,
    relaxationTime: tau,
    durationOverTau,
    equilibrated,
  };
}

/** Second-half minus first-half mean, with a blocked standard error of that difference. */
function drift(x: readonly number[], block: number): DriftReport {
  const half = Math.floor(x.length / 2);
  const a = x.slice(0, half), b = x.slice(x.length - half);
  const change = mean(b) - mean(a);
  const se = Math.sqrt(blockedVarianceOfMean(a, block) + blockedVarianceOfMean(b, block));
  return { change, sigmas: se > 0 ? Math.abs(change) / se : NaN };
}

function mean(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

/** Variance of the mean from non-overlapping block means (NaN with fewer than 2 blocks). */
function blockedVarianceOfMean(x: readonly number[], block: number): number {
  const nb = Math.floor(x.length / block);
  if (nb < 2) return NaN;
  const means: number[] = [];
  for (let b = 0; b < nb; b++) means.push(mean(x.slice(b * block, (b + 1) * block)));
  const mu = mean(means);
  let v = 0;
  for (const y of means) v += (y - mu) ** 2;
  return v / (nb - 1) / nb;
}
