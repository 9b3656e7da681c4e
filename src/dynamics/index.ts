/** Molecular dynamics (SPEC §3.2, §3.5): velocity Verlet, thermostats, temperature schedules. */
export { MolecularDynamics, initMd, stateTemperature, conservedEnergy, targetTemperature, type MdState, type MdOptions, type RunOptions } from "./integrator.js";
export { berendsenFactor, bussiFactor, gammaDeviate, sumOfSquaredNormals, type ThermostatSpec } from "./thermostats.js";
export { linearCooling, temperatureAt, scheduleEndTime, scheduleMaxTemperature, type TemperatureSchedule } from "./schedule.js";
export { degreesOfFreedom, kineticEnergy, instantaneousTemperature, maxwellBoltzmann, removeDrift } from "./temperature.js";
