/** The Hessian engine (SPEC §4.2, §4.3): assembly, strain derivatives, moduli. */
export { assembleHessian } from "./assemble.js";
export {
  shearDerivatives,
  expansionDerivatives,
  strainDerivatives,
  strainCoupling,
  type ShearDerivatives,
  type ExpansionDerivatives,
  type StrainDerivatives,
} from "./strain.js";
export { assertRecordsAtMinimum, elasticModuli, type Moduli, type ModuliOptions } from "./moduli.js";
