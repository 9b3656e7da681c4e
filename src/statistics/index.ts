/**
 * Ensemble statistics (SPEC §5–§7): pure functions from per-glass numbers to ensemble numbers.
 * No files, no physics engine; every function documents its formula, units and shapes.
 */
export { meanWithError, mean, variance, ratioOfMeans, type MeanWithError, type RatioOfMeans } from "./moments.js";
export { chi, chiWithOutlierRemoval, type ChiOptions, type ChiResult } from "./chi.js";
export { leastSquares, linearFit, polyFit, polyEval, type LinearFit, type PolyFit, type FitOptions, type LeastSquaresResult } from "./leastSquares.js";
export { fitLine, type LineFit } from "./lineFit.js";
export { logBinnedHistogram, type LogHistogram, type LogHistogramOptions } from "./histogram.js";
export { fitPowerLaw, lowTailExponent, truncatedPowerLawMle, type PowerLawFit, type PowerLawFitOptions, type LowTailExponent, type LowTailOptions } from "./powerLaw.js";
export {
  phononFrequency, omegaCutFromPhonon, DEFAULT_OMEGA_CUT_FRACTION, vdosPrefactor, agOmega0_5, logBinnedDensity, fitOmega4, ne0,
  type VdosPrefactor, type Omega4Fit,
} from "./vdos.js";
export { xiFromDecay, omegaFromLength, qlmDensity, qlmDensityWithError, type DecayLength, type DecayLengthOptions } from "./decayLength.js";
export { crossoverLength, type CrossoverLength, type CrossoverLengthOptions, type DecayCurve } from "./crossoverLength.js";
export { tcoFromGK, tcoFromCollapse, type TcoFromGK, type TcoFromGKOptions, type TcoFromCollapse, type TcoFromCollapseOptions, type EnergyCurve } from "./crossover.js";
export { fitBoltzmann, type BoltzmannFit } from "./boltzmann.js";
export { minimizeScalar, bisect } from "./optimize1d.js";
