import { Box } from "../core/box.js";
import type { Configuration } from "../core/configuration.js";
import { GlassmechError } from "../core/errors.js";
import { formatDescriptor } from "../core/descriptor.js";
import { createModel } from "../models/index.js";
import { chunkNumbers, chunkStrings, formatGsd, GsdReader, stringsChunk, type GsdChunk, type GsdChunkIn } from "./gsd.js";
import type { RawFrame } from "./rawFrame.js";
import { parseKeyValues } from "./text.js";

/**
 * Configurations in HOOMD's GSD schema ("hoomd", schema 1.4 as gsd 2.x writes it), so HOOMD users
 * can read our glasses and we can read their trajectories:
 *
 * - configuration/box = [Lx, Ly, Lz, xy, xz, yz] (float32; tilts are factors: the lattice
 *   vectors are a = (Lx, 0, 0), b = (xy·Ly, Ly, 0), c = (xz·Lz, yz·Lz, Lz)); our h must be upper
 *   triangular, as for LAMMPS. 2D: configuration/dimensions = 2, Lz = 0, z = 0.
 * - particles/position (float32, N×3) is centred: HOOMD's cell is h·[−½, ½)³, ours h·[0, 1)^d.
 * - particles/types = the model's species (A, B; POLY: A), particles/typeid, particles/diameter
 *   = λ_i for per-particle-size models (POLY), particles/velocity when we have velocities.
 * - Float32 loses digits, so we also store the exact float64 data as log chunks:
 *   log/glassmech/box (h, d×d row-major), log/glassmech/position (N×d, origin-based),
 *   log/glassmech/diameter (λ_i), log/glassmech/velocity, and log/glassmech/model (the
 *   descriptor `model=pss rc=1.2` as UTF-8 bytes, uint8). A reader uses the float64 chunks only
 *   when they belong to the frame read and round to exactly its float32 box and positions, so a
 *   file another tool edited or extended is read from the float32 data it holds.
 * - HOOMD's rule for frames > 0: a chunk missing from frame k takes its value from frame 0, else
 *   the schema default (box [1,1,1,0,0,0], dimensions 3, N 0, types [A], typeid 0).
 */

export const GSD_APPLICATION = "glassmech 0.1.0";
const SCHEMA = { application: GSD_APPLICATION, schema: "hoomd", schemaVersion: [1, 4] as [number, number] };

export interface GsdWriteOptions {
  /** Velocities (N·d, particle-major) to store with the frame. */
  readonly velocities?: Float64Array;
  /** Time step number (configuration/step). */
  readonly step?: number;
}

/** The upper-triangular check and the float32 HOOMD box of h. */
function hoomdBox(box: Box): Float32Array {
  const { d, h } = box;
  if (d === 4) throw new GlassmechError("GSD (HOOMD) has no 4-dimensional boxes; use extended XYZ for d = 4");
  for (let a = 1; a < d; a++)
    for (let b = 0; b < a; b++)
      if (h[a * d + b] !== 0)
        throw new GlassmechError("GSD needs a HOOMD cell (a along x, b in the xy plane: h upper triangular); this box has a lower-triangular entry");
  const Lx = h[0]!;
  const Ly = h[d + 1]!;
  if (d === 2) return Float32Array.from([Lx, Ly, 0, h[1]! / Ly, 0, 0]);
  const Lz = h[8]!;
  return Float32Array.from([Lx, Ly, Lz, h[1]! / Ly, h[2]! / Lz, h[5]! / Lz]);
}

/** HOOMD-centred float32 positions: fl32(r − h·½) (the subtraction in float64). */
function centredPositions(box: Box, positions: Float64Array): Float32Array {
  const { d, h } = box;
  const n = positions.length / d;
  const half = new Float64Array(3);
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) half[a]! += 0.5 * h[a * d + b]!;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) out[i * 3 + a] = positions[i * d + a]! - half[a]!;
  return out;
}

function padTo3(d: number, v: Float64Array): Float32Array {
  const n = v.length / d;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) out[i * 3 + a] = v[i * d + a]!;
  return out;
}

/** The chunks of one frame holding a configuration. */
export function gsdFrameChunks(config: Configuration, options: GsdWriteOptions = {}): GsdChunkIn[] {
  const { d, n, box, positions, types, sizes } = config;
  const model = createModel(config.model);
  const box32 = hoomdBox(box);
  const names = model.species.length > 0 ? [...model.species] : ["A"];
  const chunks: GsdChunkIn[] = [
    { name: "configuration/step", type: "u64", n: 1, m: 1, data: BigUint64Array.from([BigInt(options.step ?? 0)]) },
    { name: "configuration/dimensions", type: "u8", n: 1, m: 1, data: Uint8Array.from([d]) },
    { name: "configuration/box", type: "f32", n: 6, m: 1, data: box32 },
    { name: "particles/N", type: "u32", n: 1, m: 1, data: Uint32Array.from([n]) },
    stringsChunk("particles/types", names),
    { name: "particles/typeid", type: "u32", n, m: 1, data: Uint32Array.from(types) },
    { name: "particles/position", type: "f32", n, m: 3, data: centredPositions(box, positions) },
  ];
  if (sizes !== null) chunks.push({ name: "particles/diameter", type: "f32", n, m: 1, data: Float32Array.from(sizes) });
  const vel = options.velocities;
  if (vel !== undefined) {
    if (vel.length !== n * d) throw new GlassmechError(`GSD: ${vel.length} velocity components for ${n} particles in ${d}D`);
    chunks.push({ name: "particles/velocity", type: "f32", n, m: 3, data: padTo3(d, vel) });
  }
  const desc = new TextEncoder().encode(formatDescriptor(config.model));
  chunks.push(
    { name: "log/glassmech/model", type: "u8", n: desc.length, m: 1, data: desc },
    { name: "log/glassmech/box", type: "f64", n: d, m: d, data: Float64Array.from(box.h) },
    { name: "log/glassmech/position", type: "f64", n, m: d, data: Float64Array.from(positions) },
  );
  if (sizes !== null) chunks.push({ name: "log/glassmech/diameter", type: "f64", n, m: 1, data: Float64Array.from(sizes) });
  if (vel !== undefined) chunks.push({ name: "log/glassmech/velocity", type: "f64", n, m: d, data: Float64Array.from(vel) });
  return chunks;
}

/** A GSD file of one or more frames (bytes; write them with writeFileAtomic). */
export function formatGsdFrames(frames: readonly { config: Configuration; options?: GsdWriteOptions }[]): Uint8Array {
  return formatGsd(SCHEMA, frames.map((f) => gsdFrameChunks(f.config, f.options)));
}

/** A frame as read: the raw frame (model resolved later) and the velocities if the file has them. */
export interface GsdFrame {
  readonly raw: RawFrame;
  readonly velocities: Float64Array | null;
  /** True when the exact float64 chunks were used (a glassmech-written frame). */
  readonly exact: boolean;
  readonly frames: number;
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], b[k])) return false;
  return true;
}

/** Reads frame `frame` (0-based; negative from the end; default the last) of a GSD file's bytes. */
export function parseGsd(bytes: Uint8Array, file: string, options: { frame?: number } = {}): GsdFrame {
  const r = new GsdReader(bytes, file);
  if (r.info.schema !== "hoomd") r.error(`GSD schema '${r.info.schema}' is not HOOMD's ('hoomd')`);
  const frames = r.info.frames;
  if (frames === 0) r.error("the GSD file has no frames");
  const want = options.frame ?? -1;
  const k = want < 0 ? frames + want : want;
  if (!Number.isInteger(want) || k < 0 || k >= frames) r.error(`frame ${want} does not exist (the file has ${frames} frame${frames === 1 ? "" : "s"})`);
  const own = (name: string): GsdChunk | null => r.chunk(k, name);
  const get = (name: string): GsdChunk | null => own(name) ?? (k > 0 ? r.chunk(0, name) : null);
  const numbers = (name: string, count: number, fallback: readonly number[] | null): Float64Array | null => {
    const c = get(name);
    if (c === null) return fallback === null ? null : Float64Array.from(fallback);
    const v = chunkNumbers(c);
    if (v.length !== count) r.error(`frame ${k}: ${name} has ${v.length} values, expected ${count}`);
    return v;
  };

  const nChunk = numbers("particles/N", 1, [0])!;
  const n = nChunk[0]!;
  if (!(n >= 1)) r.error(`frame ${k} has no particles (particles/N = ${n})`);
  const d = numbers("configuration/dimensions", 1, [3])![0]!;
  if (d !== 2 && d !== 3) r.error(`frame ${k}: configuration/dimensions = ${d} (must be 2 or 3)`);
  const boxC = get("configuration/box");
  const box32 = boxC === null ? Float32Array.from([1, 1, 1, 0, 0, 0]) : Float32Array.from(chunkNumbers(boxC));
  if (box32.length !== 6) r.error(`frame ${k}: configuration/box has ${box32.length} values, expected 6`);
  const posC = get("particles/position");
  const pos32 = posC === null ? new Float32Array(n * 3) : Float32Array.from(chunkNumbers(posC));
  if (pos32.length !== n * 3) r.error(`frame ${k}: particles/position has ${pos32.length / 3} rows for N = ${n}`);
  for (let k2 = 0; k2 < pos32.length; k2++) if (!Number.isFinite(pos32[k2])) r.error(`frame ${k}: position of particle ${Math.floor(k2 / 3) + 1} is not finite`);

  // The box from HOOMD's float32 description.
  const [Lx, Ly, Lz, xy, xz, yz] = Array.from(box32) as [number, number, number, number, number, number];
  const h32 = new Float64Array(d * d);
  h32[0] = Lx;
  h32[1] = xy * Ly;
  h32[d + 1] = Ly;
  if (d === 3) {
    h32[2] = xz * Lz;
    h32[5] = yz * Lz;
    h32[8] = Lz;
  }
  const makeBox = (h: Float64Array): Box => {
    try {
      return new Box(d, h);
    } catch (e) {
      return r.error(`frame ${k}: configuration/box ${Array.from(box32).join(" ")}: ${(e as Error).message}`);
    }
  };

  // Exact chunks: only those of this frame, and only if they reproduce its float32 data.
  let exact = false;
  let box = makeBox(h32);
  let positions: Float64Array;
  const box64C = own("log/glassmech/box");
  const pos64C = own("log/glassmech/position");
  if (box64C !== null && pos64C !== null && box64C.type === "f64" && pos64C.type === "f64" && box64C.n * box64C.m === d * d && pos64C.n * pos64C.m === n * d) {
    const h64 = chunkNumbers(box64C);
    const p64 = chunkNumbers(pos64C);
    let box64: Box | null = null;
    try {
      box64 = new Box(d, h64);
      if (!sameBits(hoomdBox(box64), box32) || !sameBits(centredPositions(box64, p64), pos32)) box64 = null;
    } catch {
      box64 = null;
    }
    if (box64 !== null) {
      exact = true;
      box = box64;
      positions = p64;
    }
  }
  if (!exact) {
    positions = new Float64Array(n * d);
    const half = new Float64Array(3);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) half[a]! += 0.5 * h32[a * d + b]!;
    for (let i = 0; i < n; i++) {
      if (d === 2 && pos32[i * 3 + 2] !== 0) r.error(`frame ${k}: 2D file but particle ${i + 1} has z = ${pos32[i * 3 + 2]}`);
      for (let a = 0; a < d; a++) positions[i * d + a] = pos32[i * 3 + a]! + half[a]!;
    }
  }

  // Types: a glassmech model chunk means the typeids are ours; otherwise map the type names.
  const modelC = get("log/glassmech/model");
  const header = modelC === null ? [] : parseKeyValues(new TextDecoder().decode(modelC.bytes));
  const typeid = numbers("particles/typeid", n, new Array<number>(n).fill(0))!;
  const typesC = get("particles/types");
  const typeNames = typesC === null ? ["A"] : chunkStrings(typesC);
  for (let i = 0; i < n; i++)
    if (!(typeid[i]! < typeNames.length)) r.error(`frame ${k}: particle ${i + 1} has typeid ${typeid[i]} but there are ${typeNames.length} types`);
  const types = modelC !== null ? Int32Array.from(typeid) : null;
  const species = modelC !== null ? null : Array.from(typeid, (t) => typeNames[t]!);

  const exactOr = (name64: string, name32: string, count: number): Float64Array | null => {
    const c64 = exact ? own(name64) : null;
    if (c64 !== null && c64.n * c64.m === count) return chunkNumbers(c64);
    return numbers(name32, name32 === "particles/velocity" ? n * 3 : count, null);
  };
  const sizes = exactOr("log/glassmech/diameter", "particles/diameter", n);
  const velRaw = exactOr("log/glassmech/velocity", "particles/velocity", n * d);
  let velocities: Float64Array | null = velRaw;
  if (velRaw !== null && velRaw.length === n * 3 && d === 2) {
    velocities = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) for (let a = 0; a < 2; a++) velocities[i * 2 + a] = velRaw[i * 3 + a]!;
  }

  const raw: RawFrame = {
    file,
    d,
    box,
    n,
    positions: positions!,
    types,
    species,
    sizes,
    header,
    headerLine: undefined,
    lineOf: () => undefined,
    // float32 positions of another tool may sit a rounding error outside the cell.
    unwrapped: !exact,
  };
  return { raw, velocities, exact, frames };
}
