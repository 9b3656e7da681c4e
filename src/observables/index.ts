/** Per-glass observables (SPEC §4): moduli, elastic tensor, scales, structure, energy decomposition, the prepared glass (the registry in src/registry measures them). */
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
export { prepareGlass, DEFAULT_FORCE_TOLERANCE, type PrepareOptions, type PreparedGlass } from "./prepare.js";
export { glassModes, participationRatio, type GlassModes, type GlassModesOptions } from "./modes.js";
export { selectDipolePairs, dipoleResponses, type DipoleResponses, type DipoleResponseOptions } from "./dipoles.js";
export { DecayAccumulator, combineDecay, decayLength, type DecayFunction } from "./decay.js";
