/**
 * Boltzmann law of the QLM number density (SPEC §7; seed 003 Eq. 3, Fig. 5):
 *   𝒩(T_p) = P · exp(−E_QLM/T_p)   (k_B = 1),
 * fitted as the straight line ln 𝒩 = ln P − E · (1/T_p).
 */
import { GlassmechError } from "../core/errors.js";
import { linearFit } from "./leastSquares.js";
import { requireFinite, requirePositive, requireSameLength, type Numbers } from "./validate.js";

export interface BoltzmannFit {
  /** E_QLM in the units of T_p, or in units of `temperatureUnit` when given (seed 003: T_onset). */
  readonly E: number;
  readonly stdError: number;
  /** P, the T_p → ∞ limit of 𝒩, and the standard error of ln P. */
  readonly prefactor: number;
  readonly prefactorRelError: number;
  readonly chi2: number;
  readonly dof: number;
  readonly n: number;
}

/**
 * Least-squares fit of ln 𝒩 = ln P − E/T_p. With `errors` (σ of 𝒩 per point) the points are
 * weighted by (𝒩/σ)² (σ_ln𝒩 = σ/𝒩) and the errors are absolute; without, unweighted and the
 * errors come from the scatter. `temperatureUnit` (e.g. T_onset) reports E/T_unit.
 * Example: `fitBoltzmann([0.5, 0.6, 0.8], [0.01, 0.03, 0.09])` → `{ E, prefactor, stdError, … }`.
 */
export function fitBoltzmann(Tp: Numbers, Ncal: Numbers, errors?: Numbers, options: { temperatureUnit?: number } = {}): BoltzmannFit {
  requireFinite(Tp, "fitBoltzmann(Tp)", 2);
  requireFinite(Ncal, "fitBoltzmann(Ncal)", 2);
  requireSameLength(Tp, Ncal, "fitBoltzmann(Tp, Ncal)");
  if (errors !== undefined) {
    requireFinite(errors, "fitBoltzmann(errors)", 2);
    requireSameLength(Tp, errors, "fitBoltzmann(Tp, errors)");
  }
  const unit = options.temperatureUnit ?? 1;
  requirePositive(unit, "fitBoltzmann: temperatureUnit");
  const n = Tp.length;
  const x = new Float64Array(n), y = new Float64Array(n);
  const w = errors === undefined ? undefined : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(Tp[i] > 0)) throw new GlassmechError(`fitBoltzmann: T_p[${i}] = ${Tp[i]}; temperatures must be > 0`);
    if (!(Ncal[i] > 0)) throw new GlassmechError(`fitBoltzmann: 𝒩[${i}] = ${Ncal[i]}; densities must be > 0 for a log fit`);
    x[i] = 1 / Tp[i];
    y[i] = Math.log(Ncal[i]);
    if (w !== undefined && errors !== undefined) {
      if (!(errors[i] > 0)) throw new GlassmechError(`fitBoltzmann: errors[${i}] = ${errors[i]}; must be > 0`);
      const s = errors[i] / Ncal[i];
      w[i] = 1 / (s * s);
    }
  }
  const f = linearFit(x, y, w === undefined ? {} : { weights: w, absoluteSigma: true });
  return {
    E: -f.slope / unit, stdError: f.slopeStdError / unit, prefactor: Math.exp(f.intercept), prefactorRelError: f.interceptStdError,
    chi2: f.chi2, dof: f.dof, n,
  };
}
