/**
 * Core of a quasilocalized mode and its size ξ_QLM from the mode itself (SPEC §6.6; seed 003 SI
 * S-4, Eq. S10): the center is the interacting pair ij maximizing |π̂_i − π̂_j|²; c(r) is built
 * as for dipole responses (SPEC §6.3, observables/decay.ts) with ẑ replaced by π̂ and r the
 * distance from that pair, C_kl = (π̂·d̂_kl)²; ξ_QLM is the maximum of r^(2d) c(r), fitted as ξ_g.
 * One mode's c(r) is noisy (one median per shell); observables/qlm.ts averages it over the modes
 * of a glass, and ensembles over glasses, as for ξ_g.
 */
import type { Box } from "../core/box.js";
import { GlassmechError } from "../core/errors.js";
import type { PairRecords } from "../forces/types.js";
import { DecayAccumulator, decayReport, type DecayOptions, type DecayReport } from "./decay.js";

/** The record index, and particles, of the interacting pair maximizing |π_i − π_j|². */
export function corePair(records: PairRecords, pi: Float64Array): { record: number; i: number; j: number } {
  const { d, count, i: ri, j: rj } = records;
  let best = -1;
  let bestV = -1;
  for (let p = 0; p < count; p++) {
    const i = ri[p], j = rj[p];
    if (i === j) continue;
    let v = 0;
    for (let a = 0; a < d; a++) {
      const w = pi[j * d + a] - pi[i * d + a];
      v += w * w;
    }
    if (v > bestV) {
      bestV = v;
      best = p;
    }
  }
  if (best < 0) throw new GlassmechError("qlm core: the glass has no interacting pairs");
  return { record: best, i: ri[best], j: rj[best] };
}

/** c(r) of one mode around its core pair and its ξ (null with `xiError` when no bump is found). */
export function qlmDecay(records: PairRecords, positions: Float64Array, box: Box, pi: Float64Array, core: number, options: DecayOptions = {}): DecayReport {
  const acc = new DecayAccumulator(records, positions, box, options);
  acc.add(pi, core);
  return decayReport(acc.result());
}
