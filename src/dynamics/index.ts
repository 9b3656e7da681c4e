/** Molecular dynamics (SPEC §3.2, §3.5): velocity Verlet, thermostats, temperature schedules. */
export { MolecularDynamics, initMd, stateTemperature, conservedEnergy, targetTemperature, type MdState, type MdOptions, type RunOptions } from "./integrator.js";
export { berendsenFactor, bussiFactor, gammaDeviate, sumOfSquaredNormals, type ThermostatSpec } from "./thermostats.js";
export { linearCooling, temperatureAt, scheduleEndTime, scheduleMaxTemperature, type TemperatureSchedule } from "./schedule.js";
export { degreesOfFreedom, kineticEnergy, instantaneousTemperature, maxwellBoltzmann, removeDrift } from "./temperature.js";
export { SwapMonteCarlo, HybridSwapMd, initSwapMc, initHybridSwapMd, swapMcStatistics, resetSwapMcStatistics, swapMcConfiguration, hybridStatistics, hybridConfiguration, maxSwapMcDelta, type SwapMcState, type SwapMcOptions, type SwapRunOptions, type SwapMcStatistics, type TuneOptions, type HybridSwapMdState, type HybridSwapMdOptions, type HybridStatistics } from "./swapMcApi.js";
