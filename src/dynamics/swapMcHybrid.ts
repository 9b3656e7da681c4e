import { Box } from "../core/box.js";
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { Rng, type RngState } from "../core/rng.js";
import { PairSystem } from "../forces/pairSystem.js";
import type { ModelDescriptor } from "../core/descriptor.js";
import type { Model } from "../models/types.js";
import { MolecularDynamics, initMd, type MdState } from "./integrator.js";
import { paramsOf, requireTwoSpecies, SwapMcEngine, type MoveCounters } from "./swapMc.js";

/**
 * Hybrid swap/MD equilibration (SPEC §3.2–3.3; Berthier et al., J. Stat. Mech. 2019, 064004):
 * blocks of `mdSteps` velocity-Verlet steps with a thermostat at T, each followed by
 * `swapsPerBlock` swap attempts (default round(swapFraction·N), swapFraction 0.2) at the same T
 * with the Metropolis rule of swapMc.ts. Swaps leave positions and velocities alone, so with a
 * canonical thermostat ("bussi", the default here) the chain samples e^{−U/T} on positions ×
 * size (type) permutations; Berendsen is accepted but is not canonical.
 *
 * The MD forces see the swaps: the PairSystem is built on the state's own `sizes` / `types`
 * arrays (it reads them by reference at every call) with `swapSafe: true`, so its Verlet list
 * stays valid across swaps. After a block with accepted swaps, forces and U are re-evaluated and
 * the energy change is booked as thermostat heat (U jumps, H = U + K − heat does not), so the MD
 * blow-up watch keeps its meaning; `swapEnergy` sums these changes.
 *
 * The swap list (neighbors/fullList.ts, largest cutoff + skin) keeps every particle within skin/2
 * of its reference position: at the start of every swap block the references of the particles
 * that moved further are updated (one by one, or all at once with a full build when more than a
 * quarter of them moved; either way the list is the same function of the references).
 *
 * Checkpoints: the state is plain data (`serializeState`). The MD Verlet list is rebuilt at the
 * start of every `run` call, so a run resumed from a state saved between `run` calls is
 * bit-identical to an uninterrupted sequence of `run` calls with the same block counts (the pair
 * summation order of MD depends on when its list was built; makeGlass uses the same rule).
 */
export interface HybridSwapMdOptions {
  temperature: number;
  rng?: Rng;
  seed?: number | bigint;
  /** MD time step (default 0.005). */
  dt?: number;
  /** Thermostat (default "bussi"). */
  thermostat?: "bussi" | "berendsen";
  /** Thermostat relaxation time (default 100·dt). */
  tau?: number;
  /** Initial velocities (default: Maxwell–Boltzmann at T). */
  velocities?: Float64Array;
  /** MD steps per block (default 25). */
  mdSteps?: number;
  /** Swap attempts per block = round(swapFraction·N) unless `swapsPerBlock` is given (default 0.2). */
  swapFraction?: number;
  swapsPerBlock?: number;
  /** Skin of the swap list (default 0.6). */
  skin?: number;
  /** MD blow-up limit on the conserved-energy drift per particle (default 1). */
  maxEnergyDrift?: number;
}

export interface HybridSwapMdState {
  readonly kind: "hybrid-swap-md";
  readonly d: number;
  readonly n: number;
  readonly box: { readonly d: number; readonly h: Float64Array };
  readonly model: ModelDescriptor;
  /** Types and sizes, exchanged by swaps and read by the MD forces. */
  readonly types: Int32Array;
  readonly sizes: Float64Array | null;
  readonly temperature: number;
  readonly mdSteps: number;
  readonly swapsPerBlock: number;
  readonly skin: number;
  /** The MD state (positions md.x, velocities, forces, thermostat). */
  readonly md: MdState;
  /** Completed blocks. */
  blocks: number;
  swapAttempts: number;
  swapAccepts: number;
  /** Σ of the energy changes caused by accepted swaps. */
  swapEnergy: number;
  /** Generator of the swap moves (the MD thermostat has its own in md.rng). */
  rng: RngState;
  readonly listReference: Float64Array;
  /** Reference updates (particles) and full list builds so far. */
  listUpdates: number;
  listBuilds: number;
}

export interface HybridStatistics {
  readonly blocks: number;
  readonly mdSteps: number;
  readonly swapAcceptance: number;
  readonly energyPerParticle: number;
  readonly swapEnergy: number;
}

/** Initial hybrid state: MD initialized at the configuration's positions (copied). */
export function initHybridSwapMd(config: Configuration, model: Model, o: HybridSwapMdOptions): HybridSwapMdState {
  const { d, n } = config;
  if (config.model.name !== model.name) throw new GlassmechError(`hybrid swap/MD: configuration is of model ${config.model.name}, got model ${model.name}`);
  if (!Number.isInteger(n) || n < 2) throw new GlassmechError(`hybrid swap/MD needs at least 2 particles, got ${n}`);
  if (!(o.temperature > 0) || !Number.isFinite(o.temperature)) throw new GlassmechError(`hybrid swap/MD: temperature must be positive and finite, got ${o.temperature}`);
  const mdSteps = o.mdSteps ?? 25;
  if (!(Number.isInteger(mdSteps) && mdSteps >= 1)) throw new GlassmechError(`hybrid swap/MD: mdSteps must be a positive integer, got ${mdSteps}`);
  const fraction = o.swapFraction ?? 0.2;
  if (!(fraction >= 0 && fraction <= 1)) throw new GlassmechError(`hybrid swap/MD: swapFraction must be in [0, 1], got ${fraction}`);
  const swapsPerBlock = o.swapsPerBlock ?? Math.round(fraction * n);
  if (!(Number.isInteger(swapsPerBlock) && swapsPerBlock >= 0)) throw new GlassmechError(`hybrid swap/MD: swapsPerBlock must be a non-negative integer, got ${swapsPerBlock}`);
  const skin = o.skin ?? 0.6;
  if (!(skin > 0) || !Number.isFinite(skin)) throw new GlassmechError(`hybrid swap/MD: skin must be positive and finite, got ${skin}`);
  const sizes = model.scales.kind === "sizes" ? config.sizes : null;
  if (model.scales.kind === "sizes" && (sizes === null || sizes.length !== n)) throw new GlassmechError(`hybrid swap/MD: model ${model.name} needs ${n} particle sizes`);
  const types = Int32Array.from(config.types);
  const sz = sizes === null ? null : Float64Array.from(sizes);
  if (swapsPerBlock > 0) requireTwoSpecies({ types, sizes: sz, n }, model);
  const base = o.rng ?? (o.seed !== undefined ? Rng.fromSeed(o.seed) : null);
  if (base === null) throw new GlassmechError("hybrid swap/MD needs a seed (or rng)");
  // The swap generator is seeded from the base generator; MD then draws from the base one.
  const swapRng = Rng.fromSeed((BigInt(base.nextU32()) << 32n) | BigInt(base.nextU32()), 0);
  const system = new PairSystem({ ...config, types, sizes: sz }, model, { swapSafe: true });
  const md = initMd(system.energyForcesFn, config.positions, {
    d,
    dt: o.dt,
    thermostat: o.thermostat ?? "bussi",
    tau: o.tau,
    temperature: o.temperature,
    velocities: o.velocities,
    rng: base,
    maxEnergyDrift: o.maxEnergyDrift,
  });
  return {
    kind: "hybrid-swap-md",
    d,
    n,
    box: { d, h: Float64Array.from(config.box.h) },
    model: { name: config.model.name, params: { ...config.model.params } },
    types,
    sizes: sz,
    temperature: o.temperature,
    mdSteps,
    swapsPerBlock,
    skin,
    md,
    blocks: 0,
    swapAttempts: 0,
    swapAccepts: 0,
    swapEnergy: 0,
    rng: swapRng.state(),
    listReference: Float64Array.from(md.x),
    listUpdates: 0,
    listBuilds: 0,
  };
}

export function hybridStatistics(s: HybridSwapMdState): HybridStatistics {
  return {
    blocks: s.blocks,
    mdSteps: s.md.step,
    swapAcceptance: s.swapAttempts > 0 ? s.swapAccepts / s.swapAttempts : NaN,
    energyPerParticle: s.md.potentialEnergy / s.n,
    swapEnergy: s.swapEnergy,
  };
}

/** The state as a Configuration (copies; positions unwrapped as integrated). */
export function hybridConfiguration(s: HybridSwapMdState): Configuration {
  return {
    d: s.d,
    n: s.n,
    box: new Box(s.d, s.box.h),
    positions: Float64Array.from(s.md.x),
    types: Int32Array.from(s.types),
    sizes: s.sizes === null ? null : Float64Array.from(s.sizes),
    model: { name: s.model.name, params: { ...s.model.params } },
  };
}

/** The hybrid driver: binds a model; all chain state lives in HybridSwapMdState. */
export class HybridSwapMd {
  readonly model: Model;
  private owner: HybridSwapMdState | null = null;
  private ownerStamp = "";
  private system: PairSystem | null = null;
  private md: MolecularDynamics | null = null;
  private engine: SwapMcEngine | null = null;

  constructor(model: Model) {
    this.model = model;
  }

  /** Advances `blocks` blocks (MD steps, then swap attempts) in place. */
  run(s: HybridSwapMdState, blocks: number, opts: { onBlock?: (s: HybridSwapMdState) => void } = {}): HybridSwapMdState {
    if (!(Number.isInteger(blocks) && blocks >= 0)) throw new GlassmechError(`hybrid swap/MD: number of blocks must be a non-negative integer, got ${blocks}`);
    if (s.kind !== "hybrid-swap-md") throw new GlassmechError(`not a hybrid swap/MD state (kind ${String(s.kind)})`);
    if (s.model.name !== this.model.name) throw new GlassmechError(`hybrid state is of model ${s.model.name}, the runner of model ${this.model.name}`);
    if (s.md.schedule === null || s.md.schedule.kind !== "constant" || s.md.schedule.T !== s.temperature)
      throw new GlassmechError("hybrid swap/MD: the MD state must be thermostatted at the constant swap temperature");
    this.bind(s);
    const system = this.system!;
    const md = this.md!;
    const engine = this.engine!;
    // Deterministic MD list rebuild points (see the header comment).
    system.setBox(system.box);
    const rng = Rng.fromState(s.rng);
    const P = paramsOf(s);
    const x = s.md.x;
    const ref = s.listReference;
    const half2 = 0.25 * s.skin * s.skin;
    const d = s.d;
    for (let b = 0; b < blocks; b++) {
      md.run(s.md, s.mdSteps);
      if (s.swapsPerBlock > 0) {
        // Swaps keep positions fixed: the list holds while every particle is within skin/2 of
        // its reference.
        let far = 0;
        for (let i = 0; i < s.n; i++) if (dist2(x, ref, i, d) > half2) far++;
        if (4 * far > s.n) {
          ref.set(x);
          engine.build(ref);
          s.listBuilds++;
        } else if (far > 0) {
          for (let i = 0; i < s.n; i++) if (dist2(x, ref, i, d) > half2) engine.list.update(i, x, i * d);
          s.listUpdates += far;
        }
        this.ownerStamp = stamp(s);
        const c: MoveCounters = {
          temperature: s.temperature,
          delta: 0,
          swapFraction: 1,
          skin: s.skin,
          energy: 0,
          listUpdates: 0,
          displacementAttempts: 0,
          displacementAccepts: 0,
          tuneAttempts: 0,
          tuneAccepts: 0,
          swapAttempts: 0,
          swapAccepts: 0,
        };
        engine.moves(c, x, P, ref, rng, s.swapsPerBlock);
        s.swapAttempts += c.swapAttempts;
        s.swapAccepts += c.swapAccepts;
        if (c.swapAccepts > 0) {
          const u = system.energyForces(x, s.md.f);
          const du = u - s.md.potentialEnergy;
          s.md.potentialEnergy = u;
          s.md.thermostatHeat += du;
          s.swapEnergy += du;
        }
      }
      s.blocks++;
      if (opts.onBlock !== undefined) {
        s.rng = rng.state();
        opts.onBlock(s);
      }
    }
    s.rng = rng.state();
    return s;
  }

  /** PairSystem and swap engine bound to the arrays of `s` (rebuilt when the state changes). */
  private bind(s: HybridSwapMdState): void {
    if (this.owner !== s) {
      const config: Configuration = {
        d: s.d,
        n: s.n,
        box: new Box(s.d, s.box.h),
        positions: s.md.x,
        types: s.types,
        sizes: s.sizes,
        model: s.model,
      };
      this.system = new PairSystem(config, this.model, { swapSafe: true });
      this.md = new MolecularDynamics(this.system.energyForcesFn);
      this.engine = new SwapMcEngine(this.model, s.d, s.n, config.box, s.sizes, s.skin);
      this.owner = s;
      this.ownerStamp = "";
    }
    if (this.ownerStamp !== stamp(s) || this.engine!.listRef() !== s.listReference) {
      this.engine!.build(s.listReference);
      this.ownerStamp = stamp(s);
    }
  }
}

function stamp(s: HybridSwapMdState): string {
  return `${s.listBuilds}/${s.listUpdates}`;
}

function dist2(x: Float64Array, ref: Float64Array, i: number, d: number): number {
  let r2 = 0;
  for (let a = 0; a < d; a++) {
    const t = x[i * d + a] - ref[i * d + a];
    r2 += t * t;
  }
  return r2;
}
