import { forEachPair, type PairLoopData } from "./genericLoop.js";
import type { PairRecords } from "./types.js";

/**
 * The per-configuration pair observables of SPEC §4.1 and §4.4, in reduced units.
 *
 * Sign convention of `stress`: the athermal virial stress, tension positive,
 *   σ_ab = (1/V) Σ_pairs φ'(r) Δ_a Δ_b / r = (1/V) ∂U/∂ε_ab   (ε the affine strain x → (I+ε)x),
 * so σ_xy = (1/V) dU/dγ under simple shear (SPEC §3.7) and p = −tr(σ)/d.
 */
export interface PairSummary {
  /** U = Σ_pairs φ_ij. */
  energy: number;
  energyPerParticle: number;
  /** d×d virial stress (row-major), tension positive; see above. */
  stress: Float64Array;
  /** p = (1/(Vd)) Σ f_ij r_ij with f = −φ' (SPEC §4.1). */
  pressure: number;
  /** p+ = (1/(Vd)) Σ_{f>0} f r. */
  pressurePlus: number;
  /** p− = (1/(Vd)) Σ_{f<0} (−f) r, a positive magnitude (SPEC §10). */
  pressureMinus: number;
  /** 2 · (pairs inside the cutoff) / N. */
  coordination: number;
  /** s = mean_i f_i^att / mean_i f_i^rep (SPEC §4.4); 0 when no pair attracts, NaN when no pair interacts. */
  stickiness: number;
  /** Largest per-particle force norm |F_i|. */
  maxForce: number;
  /** Pairs inside the cutoff (a pair counts once per interacting image). */
  pairCount: number;
}

/** Computes the summary from the pair loop data (internal order) and the box volume. */
export function measurePairs(data: PairLoopData, volume: number): PairSummary {
  const { d, n } = data;
  const stress = new Float64Array(d * d);
  const forces = new Float64Array(n * d);
  const fAtt = new Float64Array(n);
  const fRep = new Float64Array(n);
  let energy = 0;
  let plus = 0;
  let minus = 0;
  let count = 0;
  forEachPair(data, (I, J, delta, r, phi, dphi) => {
    energy += phi;
    count++;
    const c = dphi / r;
    for (let a = 0; a < d; a++) {
      forces[I * d + a] += c * delta[a];
      forces[J * d + a] -= c * delta[a];
      for (let b = a; b < d; b++) stress[a * d + b] += c * delta[a] * delta[b]; // upper triangle, mirrored below
    }
    // f = −φ' > 0 repulsive (SPEC §0, §4.1)
    const fr = -dphi * r;
    if (fr > 0) plus += fr;
    else minus -= fr;
    // SPEC §4.4: f_att = max_j φ' (0 if none), f_rep = max_j (−φ')
    if (dphi > fAtt[I]) fAtt[I] = dphi;
    if (dphi > fAtt[J]) fAtt[J] = dphi;
    if (-dphi > fRep[I]) fRep[I] = -dphi;
    if (-dphi > fRep[J]) fRep[J] = -dphi;
  });
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      stress[a * d + b] /= volume;
      stress[b * d + a] = stress[a * d + b];
    }
  let maxF2 = 0;
  let att = 0;
  let rep = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < d; a++) s += forces[i * d + a] ** 2;
    if (s > maxF2) maxF2 = s;
    att += fAtt[i];
    rep += fRep[i];
  }
  const vd = volume * d;
  return {
    energy,
    energyPerParticle: energy / n,
    stress,
    pressure: (plus - minus) / vd,
    pressurePlus: plus / vd,
    pressureMinus: minus / vd,
    coordination: (2 * count) / n,
    stickiness: att === 0 ? (rep === 0 ? NaN : 0) : att / rep,
    maxForce: Math.sqrt(maxF2),
    pairCount: count,
  };
}

/**
 * Per-pair records (forces/types.ts) in the caller's particle labels: i ≤ j, r_ij = x_j − x_i of
 * the interacting image (i = j only for a particle interacting with its own periodic image, in
 * boxes narrower than the cutoff: such a record contributes to energy and virial but its
 * Hessian block and dipole cancel). Order: by the neighbor list's internal order.
 */
export function pairRecords(data: PairLoopData, order: Int32Array): PairRecords {
  const d = data.d;
  // Interacting pairs are a subset of the list pairs, so the list size bounds the count.
  const cap = data.list.pairCount;
  const iA = new Int32Array(cap);
  const jA = new Int32Array(cap);
  const dA = new Float64Array(cap * d);
  const rA = new Float64Array(cap);
  const p1 = new Float64Array(cap);
  const p2 = new Float64Array(cap);
  let count = 0;
  forEachPair(data, (I, J, delta, r, _phi, dphi, d2phi) => {
    const i = order[I];
    const j = order[J];
    const flip = i > j;
    iA[count] = flip ? j : i;
    jA[count] = flip ? i : j;
    for (let a = 0; a < d; a++) dA[count * d + a] = flip ? -delta[a] : delta[a];
    rA[count] = r;
    p1[count] = dphi;
    p2[count] = d2phi;
    count++;
  });
  return {
    d,
    count,
    i: iA.slice(0, count),
    j: jA.slice(0, count),
    delta: dA.slice(0, count * d),
    r: rA.slice(0, count),
    dphi: p1.slice(0, count),
    d2phi: p2.slice(0, count),
  };
}
