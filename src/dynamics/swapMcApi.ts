/** Public API of swap Monte Carlo (SPEC §3.3) and the swap/MD hybrid, re-exported by dynamics/index.ts. */
export {
  SwapMonteCarlo,
  SwapMcEngine,
  initSwapMc,
  maxSwapMcDelta,
  resetSwapMcStatistics,
  swapMcConfiguration,
  swapMcStatistics,
  type SwapMcOptions,
  type SwapMcState,
  type SwapMcStatistics,
  type SwapRunOptions,
  type TuneOptions,
} from "./swapMc.js";
export {
  HybridSwapMd,
  hybridConfiguration,
  hybridStatistics,
  initHybridSwapMd,
  type HybridStatistics,
  type HybridSwapMdOptions,
  type HybridSwapMdState,
} from "./swapMcHybrid.js";
