import { GlassmechError } from "../core/errors.js";

/**
 * Exact JSON checkpoints of plain solver states (minimizers, MD): objects whose leaves are
 * numbers, strings, booleans, null, arrays and typed arrays.
 *
 * JSON alone is not exact for such states: typed arrays become index maps, and −0, NaN and ±∞
 * are not representable. Here Float64Array / Int32Array / Uint32Array are stored as base64 of
 * their little-endian bytes and non-finite or negative-zero numbers as tagged strings, so
 * `deserializeState(serializeState(s))` restores every bit and a resumed run is bit-identical.
 */
const TYPED = { Float64Array, Int32Array, Uint32Array } as const;
type TypedName = keyof typeof TYPED;

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function encode(value: unknown, path: string): unknown {
  if (typeof value === "number") {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { $num: Object.is(value, -0) ? "-0" : String(value) };
  }
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Float64Array || value instanceof Int32Array || value instanceof Uint32Array) {
    if (!isLittleEndian()) throw new GlassmechError("checkpoints need a little-endian machine");
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { $typed: value.constructor.name, data: bytes.toString("base64") };
  }
  if (Array.isArray(value)) return value.map((v, k) => encode(v, `${path}[${k}]`));
  if (typeof value === "object" && value !== undefined) {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new GlassmechError(`checkpoint: ${path} is not plain data (${proto?.constructor?.name})`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[k] = encode(v, `${path}.${k}`);
    return out;
  }
  throw new GlassmechError(`checkpoint: ${path} has unsupported type ${typeof value}`);
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.$num === "string") return o.$num === "-0" ? -0 : Number(o.$num);
    if (typeof o.$typed === "string" && typeof o.data === "string") {
      const name = o.$typed as TypedName;
      const Ctor = TYPED[name];
      if (Ctor === undefined) throw new GlassmechError(`checkpoint: unknown typed array ${o.$typed}`);
      const bytes = Buffer.from(o.data, "base64");
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      if (copy.length % Ctor.BYTES_PER_ELEMENT !== 0) throw new GlassmechError(`checkpoint: ${o.$typed} data has ${copy.length} bytes`);
      return new Ctor(copy.buffer, 0, copy.length / Ctor.BYTES_PER_ELEMENT);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = decode(v);
    return out;
  }
  return value;
}

/** JSON text of a plain state, exact to the bit. */
export function serializeState(state: object): string {
  return JSON.stringify(encode(state, "state"));
}

/** Inverse of serializeState. The caller asserts the type (e.g. `as FireState`). */
export function deserializeState<T>(json: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new GlassmechError(`checkpoint is not valid JSON: ${(e as Error).message}`);
  }
  return decode(parsed) as T;
}

/** A deep copy of a plain state (typed arrays copied), e.g. to keep a snapshot in memory. */
export function cloneState<T extends object>(state: T): T {
  return structuredClone(state);
}
