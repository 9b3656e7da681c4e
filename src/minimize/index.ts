/** Energy minimization (SPEC §3.4): FIRE, nonlinear CG, the `minimize` driver, checkpoints. */
export type { MinimizeResult, Minimizer, MinimizerOptions, MinimizerStateBase } from "./types.js";
export { Fire, type FireOptions, type FireState } from "./fire.js";
export { ConjugateGradient, type CgOptions, type CgState } from "./cg.js";
export { minimize, continueMinimization, type MinimizeOptions, type MinimizeProgress } from "./minimize.js";
export { serializeState, deserializeState, cloneState } from "./checkpoint.js";
export { maxParticleNorm } from "./vectors.js";
