import { Box } from "../core/box.js";
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { Rng, type RngState } from "../core/rng.js";
import { pairCutoffs } from "../forces/pairTables.js";
import type { ModelDescriptor } from "../core/descriptor.js";
import type { Model } from "../models/types.js";
import { largestCutoff } from "../neighbors/cutoffs.js";
import { FullNeighborList } from "../neighbors/fullList.js";
import { compileSwapKernels, type ParticleParams, type SwapKernels } from "./swapMcKernels.js";

/**
 * Swap Monte Carlo (SPEC §3.3; Grigera & Parisi, PRE 63, 045102 (2001); Ninarello, Berthier &
 * Coslovich, PRX 7, 021039 (2017)) in the NVT ensemble at temperature T, for size-based models
 * (POLY: exchange the sizes λ_i, λ_k of two random particles) and type-based mixtures (exchange
 * the types of two particles of different species).
 *
 * One Monte Carlo *move*: with probability `swapFraction` (default 0.2) a swap, otherwise a local
 * displacement of a random particle i to x_i + δ(u − ½), u uniform in [0,1)^d (a cube of side δ).
 * Both proposals are symmetric, so the Metropolis rule acc = min(1, e^{−ΔU/T}) satisfies detailed
 * balance with respect to e^{−U/T} on positions × permutations of the sizes (types). Swap partner:
 * for sizes, k uniform among the other N − 1 particles; for types, k uniform among the particles
 * of a different type (by rejection): the proposal probability of the pair {a, b} is
 * 1/(N (N − N_{t_a})) + 1/(N (N − N_{t_b})) before and after the swap (species counts do not
 * change), so it is symmetric too. A *sweep* is N moves.
 *
 * ΔU comes from the moved particle's row of a full neighbor list (neighbors/fullList.ts,
 * swapMcKernels.ts) holding every pair closer than r_max + skin in *reference* positions, r_max
 * the largest cutoff any pair can have (swap-safe: exchanging sizes or types never invalidates
 * it). Invariant: every particle is within skin/2 of its reference, so every pair closer than
 * its cutoff is listed. A trial position y with |y − ref_i| > skin/2 first moves ref_i to the
 * current x_i (a local update of row i and its neighbors' rows, no global rebuild); a trial
 * displacement is at most δ√d/2, and δ is capped at skin/√(2d) (see maxSwapMcDelta; increase
 * `skin` for larger steps in hot liquids, at the price of longer rows).
 *
 * All state is plain data (`SwapMcState`): positions (unwrapped, never wrapped), types / sizes,
 * δ, counters, the generator state, and the reference positions. The list (rows sorted by
 * neighbor) is a pure function of the reference positions, and so is every pair-sum order: a
 * run builds its list from `listReference`, so `serializeState` (minimize/checkpoint.ts) at any
 * point and `run` on the restored state continue bit-identically, whatever the chunking.
 *
 * Energy bookkeeping: `energy` is U at the start plus the accepted ΔU. Every
 * `energyRefreshSweeps` sweeps (default 50; 0 = never) it is re-evaluated from scratch, which
 * keeps the rounding of huge early energy changes (overlapping random starts) from lingering.
 *
 * Step-size tuning (`run(…, { tune })`): every `every` sweeps δ is scaled by acc/target (clamped
 * to [½, 2]) when the displacement acceptance of the window lies outside [lo, hi] (default
 * [0.3, 0.4]). An adaptive δ depends on the past of the chain and breaks detailed balance: tune
 * only while equilibrating, then run production with δ frozen (tune off, the default).
 *
 * ```ts
 * const mc = new SwapMonteCarlo(model);
 * const s = initSwapMc(config, model, { temperature: 0.5, seed: 1 });
 * mc.run(s, 200, { tune: true }); // equilibrate, adjusting δ
 * resetSwapMcStatistics(s);
 * mc.run(s, 1000);                // production, δ frozen
 * swapMcStatistics(s);            // acceptances, U/N
 * ```
 */
export interface SwapMcOptions {
  /** Temperature T (k_B = 1). */
  temperature: number;
  /** Generator (or `seed`) for all random choices. */
  rng?: Rng;
  seed?: number | bigint;
  /** Side δ of the displacement cube (default 0.1, at most skin/√(2d)). */
  delta?: number;
  /** Probability that a move is a swap (default 0.2, SPEC §3.3). */
  swapFraction?: number;
  /** Neighbor-list skin (default 0.6, reduced length units). */
  skin?: number;
  /** Sweeps between re-evaluations of U from scratch (default 50; 0 = never). */
  energyRefreshSweeps?: number;
}

export interface SwapMcState {
  readonly kind: "swap-mc";
  readonly d: number;
  readonly n: number;
  /** The box as plain data (cell matrix h, row-major). */
  readonly box: { readonly d: number; readonly h: Float64Array };
  readonly model: ModelDescriptor;
  /** Positions, particle-major n·d, unwrapped. */
  readonly positions: Float64Array;
  /** Types (exchanged by swaps in type-based models). */
  readonly types: Int32Array;
  /** Sizes λ_i (exchanged by swaps in size-based models), else null. */
  readonly sizes: Float64Array | null;
  temperature: number;
  /** Side of the displacement cube. */
  delta: number;
  swapFraction: number;
  readonly skin: number;
  energyRefreshSweeps: number;
  /** Running total potential energy U. */
  energy: number;
  /** Completed sweeps (N moves each). */
  sweeps: number;
  displacementAttempts: number;
  displacementAccepts: number;
  swapAttempts: number;
  swapAccepts: number;
  /** Tuning window: displacement attempts/accepts and sweeps since the last δ adjustment. */
  tuneAttempts: number;
  tuneAccepts: number;
  tuneSweeps: number;
  rng: RngState;
  /** Reference positions of the neighbor list (the list is rebuilt from them on resume). */
  readonly listReference: Float64Array;
  /** Single-particle reference updates so far. */
  listUpdates: number;
}

export interface TuneOptions {
  /** Sweeps between δ adjustments (default 10). */
  every?: number;
  /** Target window of the displacement acceptance (default [0.3, 0.4]). */
  target?: readonly [number, number];
  /** Smallest δ (default 1e-4). */
  minDelta?: number;
}

export interface SwapRunOptions {
  /** Tune δ (equilibration only, see above): true for the defaults, or options. */
  tune?: boolean | TuneOptions;
  /** Called every `every` sweeps (and after the last) with the live state. */
  onSweep?: (s: SwapMcState) => void;
  every?: number;
}

export interface SwapMcStatistics {
  readonly sweeps: number;
  /** Accepted / attempted displacements (NaN before any). */
  readonly displacementAcceptance: number;
  /** Accepted / attempted swaps (NaN before any). */
  readonly swapAcceptance: number;
  readonly energyPerParticle: number;
  readonly delta: number;
  /** Neighbor-list reference updates since init (single particles). */
  readonly listUpdates: number;
}

/**
 * Largest δ allowed with list skin `skin`: δ√d/2 ≤ skin/2 keeps a trial inside the skin/2 ball
 * around a fresh reference; the cap skin/√(2d) (trial ≤ 0.35·skin) leaves room to drift, so
 * references are updated every few accepted moves at most, not at nearly every move.
 */
export function maxSwapMcDelta(d: number, skin: number): number {
  return skin / Math.sqrt(2 * d);
}

/** The initial state at the positions, types and sizes of `config` (all copied). */
export function initSwapMc(config: Configuration, model: Model, o: SwapMcOptions): SwapMcState {
  const { d, n } = config;
  if (!(d === 2 || d === 3 || d === 4)) throw new GlassmechError(`swap MC: dimension must be 2, 3 or 4, got ${d}`);
  if (!Number.isInteger(n) || n < 2) throw new GlassmechError(`swap MC needs at least 2 particles, got ${n}`);
  if (config.box.d !== d || config.positions.length !== n * d) throw new GlassmechError(`swap MC: configuration shapes do not match (d = ${d}, n = ${n})`);
  if (config.model.name !== model.name) throw new GlassmechError(`swap MC: configuration is of model ${config.model.name}, got model ${model.name}`);
  const sizes = model.scales.kind === "sizes" ? config.sizes : null;
  if (model.scales.kind === "sizes" && (sizes === null || sizes.length !== n)) throw new GlassmechError(`swap MC: model ${model.name} needs ${n} particle sizes`);
  if (config.types.length !== n) throw new GlassmechError(`swap MC: expected ${n} types, got ${config.types.length}`);
  const skin = o.skin ?? 0.6;
  if (!(skin > 0) || !Number.isFinite(skin)) throw new GlassmechError(`swap MC: skin must be positive and finite, got ${skin}`);
  const rng = o.rng ?? (o.seed !== undefined ? Rng.fromSeed(o.seed) : null);
  if (rng === null) throw new GlassmechError("swap MC needs a seed (or rng)");
  const s: SwapMcState = {
    kind: "swap-mc",
    d,
    n,
    box: { d, h: Float64Array.from(config.box.h) },
    model: { name: config.model.name, params: { ...config.model.params } },
    positions: Float64Array.from(config.positions),
    types: Int32Array.from(config.types),
    sizes: sizes === null ? null : Float64Array.from(sizes),
    temperature: o.temperature,
    delta: o.delta ?? Math.min(0.1, maxSwapMcDelta(d, skin)),
    swapFraction: o.swapFraction ?? 0.2,
    skin,
    energyRefreshSweeps: o.energyRefreshSweeps ?? 50,
    energy: NaN,
    sweeps: 0,
    displacementAttempts: 0,
    displacementAccepts: 0,
    swapAttempts: 0,
    swapAccepts: 0,
    tuneAttempts: 0,
    tuneAccepts: 0,
    tuneSweeps: 0,
    rng: rng.state(),
    listReference: Float64Array.from(config.positions),
    listUpdates: 0,
  };
  validateState(s, model);
  const engine = new SwapMcEngine(model, s.d, s.n, new Box(d, s.box.h), s.sizes, s.skin);
  engine.build(s.listReference);
  s.energy = engine.totalEnergy(s.positions, paramsOf(s));
  if (!Number.isFinite(s.energy)) throw new GlassmechError(`swap MC: initial energy is not finite (${s.energy}); remove overlaps first`);
  return s;
}

/** Acceptance rates and U/N of a state (counters since init or the last reset). */
export function swapMcStatistics(s: SwapMcState): SwapMcStatistics {
  return {
    sweeps: s.sweeps,
    displacementAcceptance: s.displacementAttempts > 0 ? s.displacementAccepts / s.displacementAttempts : NaN,
    swapAcceptance: s.swapAttempts > 0 ? s.swapAccepts / s.swapAttempts : NaN,
    energyPerParticle: s.energy / s.n,
    delta: s.delta,
    listUpdates: s.listUpdates,
  };
}

/** Zeroes the acceptance counters (e.g. between equilibration and production). */
export function resetSwapMcStatistics(s: SwapMcState): void {
  s.displacementAttempts = 0;
  s.displacementAccepts = 0;
  s.swapAttempts = 0;
  s.swapAccepts = 0;
  s.tuneAttempts = 0;
  s.tuneAccepts = 0;
  s.tuneSweeps = 0;
}

/** The state as a Configuration (copies; positions unwrapped as stored). */
export function swapMcConfiguration(s: SwapMcState): Configuration {
  return {
    d: s.d,
    n: s.n,
    box: new Box(s.d, s.box.h),
    positions: Float64Array.from(s.positions),
    types: Int32Array.from(s.types),
    sizes: s.sizes === null ? null : Float64Array.from(s.sizes),
    model: { name: s.model.name, params: { ...s.model.params } },
  };
}

/** The per-particle parameter array swaps exchange: sizes, or types. */
export function paramsOf(s: { readonly sizes: Float64Array | null; readonly types: Int32Array }): ParticleParams {
  return s.sizes !== null ? s.sizes : s.types;
}

function validateState(s: SwapMcState, model: Model): void {
  if (s.kind !== "swap-mc") throw new GlassmechError(`not a swap MC state (kind ${String(s.kind)})`);
  if (s.model.name !== model.name) throw new GlassmechError(`swap MC state is of model ${s.model.name}, the runner of model ${model.name}`);
  if (!(s.temperature > 0) || !Number.isFinite(s.temperature)) throw new GlassmechError(`swap MC: temperature must be positive and finite, got ${s.temperature}`);
  const dmax = maxSwapMcDelta(s.d, s.skin);
  if (!(s.delta > 0) || !(s.delta <= dmax))
    throw new GlassmechError(`swap MC: displacement step delta = ${s.delta} must be in (0, skin/√(2d) = ${dmax.toPrecision(6)}]; increase skin for larger steps`);
  if (!(s.swapFraction >= 0 && s.swapFraction <= 1)) throw new GlassmechError(`swap MC: swapFraction must be in [0, 1], got ${s.swapFraction}`);
  if (!(Number.isInteger(s.energyRefreshSweeps) && s.energyRefreshSweeps >= 0))
    throw new GlassmechError(`swap MC: energyRefreshSweeps must be a non-negative integer, got ${s.energyRefreshSweeps}`);
  if (s.swapFraction > 0) requireTwoSpecies(s, model);
}

/** Swaps between type-based particles need two species present (sizes: always fine). */
export function requireTwoSpecies(s: { readonly sizes: Float64Array | null; readonly types: Int32Array; readonly n: number }, model: Model): void {
  if (model.scales.kind === "sizes") return;
  const t0 = s.types[0];
  for (let i = 1; i < s.n; i++) if (s.types[i] !== t0) return;
  throw new GlassmechError(`swap moves need particles of at least two types; all ${s.n} particles are of type ${t0} (set swapFraction = 0)`);
}

/**
 * The list, the kernels and the move routines shared by swap MC and the swap/MD hybrid. Holds no
 * state of the chain except the list (rebuilt from the state's reference positions on demand).
 */
export class SwapMcEngine {
  readonly model: Model;
  readonly d: number;
  readonly n: number;
  readonly box: Box;
  readonly list: FullNeighborList;
  readonly kernels: SwapKernels;
  /** List radius: largest pair cutoff + skin. */
  readonly radius: number;
  /** Largest size present (sizes models; invariant under swaps), for the kernels' pre-filter. */
  readonly lmax: number;
  readonly sizesBased: boolean;
  private readonly y: Float64Array;

  constructor(model: Model, d: number, n: number, box: Box, sizes: Float64Array | null, skin: number) {
    this.model = model;
    this.d = d;
    this.n = n;
    this.box = box;
    this.sizesBased = model.scales.kind === "sizes";
    this.list = new FullNeighborList(n, d);
    this.kernels = compileSwapKernels(model, d);
    this.radius = largestCutoff(pairCutoffs(model, true), sizes) + skin;
    let lmax = 0;
    if (sizes !== null) for (let i = 0; i < n; i++) lmax = Math.max(lmax, sizes[i]);
    this.lmax = lmax;
    this.y = new Float64Array(d);
  }

  private ref: Float64Array | null = null;

  /** Builds the list for reference positions `ref` (kept by the list and updated in place). */
  build(ref: Float64Array): void {
    this.list.build(this.box, ref, this.radius);
    this.ref = ref;
  }

  /** The reference positions the list was built for. */
  listRef(): Float64Array | null {
    return this.ref;
  }

  /** U = ½ Σ_i e_i from the current list (valid list assumed). */
  totalEnergy(x: Float64Array, P: ParticleParams): number {
    const L = this.list;
    const k = this.kernels;
    let u = 0;
    for (let i = 0; i < this.n; i++) u += k.particle(i, x, L.cap, L.len, L.nbr, L.shift, P, this.lmax);
    return 0.5 * u;
  }

  /** ΔU of moving particle i to y (valid list for y assumed). */
  displacementChange(i: number, y: Float64Array, x: Float64Array, P: ParticleParams): number {
    const L = this.list;
    return this.kernels.displace(i, y, x, L.cap, L.len, L.nbr, L.shift, P, this.lmax);
  }

  /** ΔU of exchanging the sizes (types) of particles i ≠ k. */
  swapChange(i: number, k: number, x: Float64Array, P: ParticleParams): number {
    const L = this.list;
    const K = this.kernels;
    return K.exchange(i, P[k], k, x, L.cap, L.len, L.nbr, L.shift, P, this.lmax) + K.exchange(k, P[i], i, x, L.cap, L.len, L.nbr, L.shift, P, this.lmax);
  }

  /**
   * `count` Metropolis moves on the state arrays (positions x, parameters P): displacements, and
   * swaps with probability `swapFraction`. Counters and the list bookkeeping are read from and
   * written back to `c`.
   */
  moves(c: MoveCounters, x: Float64Array, P: ParticleParams, ref: Float64Array, rng: Rng, count: number): void {
    if (ref !== this.listRef()) throw new Error("SwapMcEngine: the list was built for other reference positions (bug)");
    const d = this.d;
    const n = this.n;
    const K = this.kernels;
    const L = this.list;
    const y = this.y;
    const beta = 1 / c.temperature;
    const delta = c.delta;
    const half2 = 0.25 * c.skin * c.skin;
    const fs = c.swapFraction;
    const sizesBased = this.sizesBased;
    const lmax = this.lmax;
    let cap = L.cap;
    const len = L.len;
    let nbr = L.nbr;
    let sh = L.shift;
    let energy = c.energy;
    let updates = 0;
    let dAtt = 0;
    let dAcc = 0;
    let sAtt = 0;
    let sAcc = 0;
    for (let m = 0; m < count; m++) {
      const isSwap = fs > 0 && (fs >= 1 || rng.uniform() < fs);
      if (isSwap) {
        const i = rng.int(n);
        let k: number;
        if (sizesBased) {
          k = rng.int(n - 1);
          if (k >= i) k++;
        } else {
          const ti = P[i];
          do k = rng.int(n);
          while (P[k] === ti);
        }
        const pi = P[i];
        const pk = P[k];
        const dE = K.exchange(i, pk, k, x, cap, len, nbr, sh, P, lmax) + K.exchange(k, pi, i, x, cap, len, nbr, sh, P, lmax);
        sAtt++;
        if (dE <= 0 || rng.uniform() < Math.exp(-beta * dE)) {
          P[i] = pk;
          P[k] = pi;
          energy += dE;
          sAcc++;
        }
        continue;
      }
      const i = rng.int(n);
      const io = i * d;
      let dr2 = 0;
      for (let a = 0; a < d; a++) {
        const v = x[io + a] + delta * (rng.uniform() - 0.5);
        y[a] = v;
        const t = v - ref[io + a];
        dr2 += t * t;
      }
      if (dr2 > half2) {
        // The trial leaves the skin/2 ball of its reference: move the reference to x_i
        // (|y − x_i| ≤ δ√d/2 ≤ skin/2), repairing row i and its neighbors' rows.
        L.update(i, x, io);
        updates++;
        cap = L.cap;
        nbr = L.nbr;
        sh = L.shift;
      }
      const dE = K.displace(i, y, x, cap, len, nbr, sh, P, lmax);
      dAtt++;
      if (dE <= 0 || rng.uniform() < Math.exp(-beta * dE)) {
        for (let a = 0; a < d; a++) x[io + a] = y[a];
        energy += dE;
        dAcc++;
      }
    }
    c.energy = energy;
    c.listUpdates += updates;
    c.displacementAttempts += dAtt;
    c.displacementAccepts += dAcc;
    c.tuneAttempts += dAtt;
    c.tuneAccepts += dAcc;
    c.swapAttempts += sAtt;
    c.swapAccepts += sAcc;
  }
}

/** The fields of a state the move loop reads and updates. */
export interface MoveCounters {
  temperature: number;
  delta: number;
  swapFraction: number;
  skin: number;
  energy: number;
  listUpdates: number;
  displacementAttempts: number;
  displacementAccepts: number;
  tuneAttempts: number;
  tuneAccepts: number;
  swapAttempts: number;
  swapAccepts: number;
}

/** The Monte Carlo driver: binds a model; all chain state lives in SwapMcState. */
export class SwapMonteCarlo {
  readonly model: Model;
  private engine: SwapMcEngine | null = null;
  /** The state the engine's list belongs to, and its update count when we last left it. */
  private owner: SwapMcState | null = null;
  private ownerStamp = -1;

  constructor(model: Model) {
    this.model = model;
  }

  /** Advances `sweeps` sweeps (N moves each) in place. */
  run(s: SwapMcState, sweeps: number, opts: SwapRunOptions = {}): SwapMcState {
    if (!(Number.isInteger(sweeps) && sweeps >= 0)) throw new GlassmechError(`swap MC: number of sweeps must be a non-negative integer, got ${sweeps}`);
    const every = opts.every ?? 1;
    if (!(Number.isInteger(every) && every >= 1)) throw new GlassmechError(`swap MC: progress interval must be a positive integer, got ${every}`);
    const tune = opts.tune === undefined || opts.tune === false ? null : opts.tune === true ? {} : opts.tune;
    const tuneEvery = tune?.every ?? 10;
    const [lo, hi] = tune?.target ?? [0.3, 0.4];
    const minDelta = tune?.minDelta ?? 1e-4;
    if (tune !== null) {
      if (!(Number.isInteger(tuneEvery) && tuneEvery >= 1)) throw new GlassmechError(`swap MC tuning: 'every' must be a positive integer, got ${tuneEvery}`);
      if (!(lo > 0 && lo <= hi && hi < 1)) throw new GlassmechError(`swap MC tuning: target acceptance window [${lo}, ${hi}] must satisfy 0 < lo ≤ hi < 1`);
      if (!(minDelta > 0)) throw new GlassmechError(`swap MC tuning: minDelta must be positive, got ${minDelta}`);
    }
    validateState(s, this.model);
    const engine = this.engineFor(s);
    const P = paramsOf(s);
    const rng = Rng.fromState(s.rng);
    const dmax = maxSwapMcDelta(s.d, s.skin);
    for (let k = 0; k < sweeps; k++) {
      engine.moves(s, s.positions, P, s.listReference, rng, s.n);
      s.sweeps++;
      if (s.energyRefreshSweeps > 0 && s.sweeps % s.energyRefreshSweeps === 0) s.energy = engine.totalEnergy(s.positions, P);
      if (tune !== null && ++s.tuneSweeps >= tuneEvery) {
        if (s.tuneAttempts > 0) {
          const acc = s.tuneAccepts / s.tuneAttempts;
          if (acc < lo || acc > hi) {
            const factor = Math.min(2, Math.max(0.5, acc / (0.5 * (lo + hi))));
            s.delta = Math.min(dmax, Math.max(minDelta, s.delta * factor));
          }
        }
        s.tuneAttempts = 0;
        s.tuneAccepts = 0;
        s.tuneSweeps = 0;
      }
      if (opts.onSweep !== undefined && (s.sweeps % every === 0 || k === sweeps - 1)) {
        s.rng = rng.state();
        this.ownerStamp = s.listUpdates;
        opts.onSweep(s);
        // The callback may have changed the state (e.g. T, δ): re-check it.
        validateState(s, this.model);
      }
    }
    s.rng = rng.state();
    this.ownerStamp = s.listUpdates;
    return s;
  }

  /** U from scratch at the state's current positions (rebuilds a list; for checks). */
  freshEnergy(s: SwapMcState): number {
    return this.scratchEngine(s).totalEnergy(s.positions, paramsOf(s));
  }

  /** ΔU of moving particle i of the state to y (tests; does not change the state). */
  displacementChange(s: SwapMcState, i: number, y: Float64Array): number {
    const e = this.scratchEngine(s);
    return e.displacementChange(i, y, s.positions, paramsOf(s));
  }

  /** ΔU of exchanging the sizes (types) of particles i and k (tests; does not change the state). */
  swapChange(s: SwapMcState, i: number, k: number): number {
    if (i === k) return 0;
    const e = this.scratchEngine(s);
    return e.swapChange(i, k, s.positions, paramsOf(s));
  }

  private scratchEngine(s: SwapMcState): SwapMcEngine {
    const e = new SwapMcEngine(this.model, s.d, s.n, new Box(s.d, s.box.h), s.sizes, s.skin);
    e.build(Float64Array.from(s.positions));
    return e;
  }

  /** The engine with its list rebuilt from `listReference` unless it already belongs to `s`. */
  private engineFor(s: SwapMcState): SwapMcEngine {
    let e = this.engine;
    if (e === null || e.d !== s.d || e.n !== s.n || !sameH(e.box.h, s.box.h) || e.radius !== listRadius(this.model, s.sizes, s.skin)) {
      e = new SwapMcEngine(this.model, s.d, s.n, new Box(s.d, s.box.h), s.sizes, s.skin);
      this.engine = e;
      this.owner = null;
    }
    if (this.owner !== s || this.ownerStamp !== s.listUpdates || e.listRef() !== s.listReference) {
      e.build(s.listReference);
      this.owner = s;
      this.ownerStamp = s.listUpdates;
    }
    return e;
  }
}

function listRadius(model: Model, sizes: Float64Array | null, skin: number): number {
  return largestCutoff(pairCutoffs(model, true), sizes) + skin;
}

function sameH(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
