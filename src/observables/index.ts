/** Per-glass observables (SPEC §4): moduli, elastic tensor, scales, structure, energy decomposition, measureGlass. */
export { elasticity, type Elasticity, type ElasticityOptions } from "./elasticity.js";
export {
  elasticTensorFromStrainHessian,
  toVoigt,
  voigtPairs,
  voigtLabels,
  shearModulusFromTensor,
  bulkModulusFromTensor,
  isotropicShearModulus,
  type ElasticTensor,
} from "./elasticTensor.js";
export { poissonRatio, elasticScales, type ElasticScales } from "./scales.js";
export {
  pairCorrelation,
  ballVolume,
  type PairCorrelation,
  type PairCorrelationOptions,
  type PartialCorrelation,
  type ReducedPartial,
  type NegativeStiffnessCurve,
} from "./structure.js";
export { hessianEnergyDecomposition, type EnergyDecomposition } from "./energyDecomposition.js";
export {
  measureGlass,
  prepareGlass,
  macroscopicObservables,
  DEFAULT_FORCE_TOLERANCE,
  DEFAULT_MODULI_CG_TOL,
  type MeasureOptions,
  type PrepareOptions,
  type PreparedGlass,
  type GlassMeasurement,
  type ElasticTensorReport,
  type GrReport,
} from "./measureGlass.js";
export { glassModes, participationRatio, type GlassModes, type GlassModesOptions } from "./modes.js";
export { selectDipolePairs, dipoleResponses, type DipoleResponses, type DipoleResponseOptions } from "./dipoles.js";
export { DecayAccumulator, combineDecay, decayLength, type DecayFunction } from "./decay.js";
