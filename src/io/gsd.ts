import { GlassmechError } from "../core/errors.js";

/**
 * The GSD file layer (HOOMD-blue's binary format, file versions 1.0 and 2.0; what Debian's
 * python3-gsd 2.x reads and writes). Facts from the published format description:
 *
 * - Header, 256 bytes, little endian: magic u64 = 0x65DF65DF65DF65DF, index_location u64,
 *   index_allocated_entries u64, namelist_location u64, namelist_allocated_entries u64,
 *   schema_version u32, gsd_version u32 (major << 16 | minor), application char[64],
 *   schema char[64], reserved char[80].
 * - Index: index_allocated_entries entries of 32 bytes: frame u64, N u64, location i64, M u32,
 *   id u16, type u8, flags u8 (0). Used entries come first, sorted by frame; the first entry with
 *   location 0 ends the index. A chunk is an N×M row-major array of `type` at `location`.
 * - Name list: the chunk names, id = position in the list. Version 2.0 packs them as
 *   consecutive NUL-terminated strings in namelist_allocated_entries × 64 bytes; version 1.0 puts
 *   each in its own 64-byte slot. Splitting the block at NULs and dropping empty strings reads both.
 * - Types: 1 u8, 2 u16, 3 u32, 4 u64, 5 i8, 6 i16, 7 i32, 8 i64, 9 f32, 10 f64, and 11 char
 *   (1 byte, for strings; newer gsd versions write it), which we read; our configurations never
 *   use it, so python3-gsd 2.x reads all we write.
 *
 * We write version 2.0 in one pass (header, index, name list, then the data), with room in the
 * index for every entry plus the terminating empty one. This module knows nothing of HOOMD's
 * schema; src/io/gsdHoomd.ts maps frames to configurations.
 */

export const GSD_MAGIC = 0x65df65df65df65dfn;
const HEADER_BYTES = 256;
const ENTRY_BYTES = 32;
const NAME_SLOT = 64;

export type GsdType = "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64" | "char";

const TYPE_IDS: Record<GsdType, number> = { u8: 1, u16: 2, u32: 3, u64: 4, i8: 5, i16: 6, i32: 7, i64: 8, f32: 9, f64: 10, char: 11 };
const TYPE_NAMES: GsdType[] = ["u8", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "char"]; // index = type id
const TYPE_BYTES: Record<GsdType, number> = { u8: 1, u16: 2, u32: 4, u64: 8, i8: 1, i16: 2, i32: 4, i64: 8, f32: 4, f64: 8, char: 1 };

/** One chunk's data as read: bytes plus its shape and type. Use the typed accessors below. */
export interface GsdChunk {
  readonly name: string;
  readonly type: GsdType;
  readonly n: number;
  readonly m: number;
  /** Exactly n·m·size bytes (a copy, aligned). */
  readonly bytes: Uint8Array;
}

/** A chunk to write. */
export interface GsdChunkIn {
  readonly name: string;
  readonly type: GsdType;
  readonly n: number;
  readonly m: number;
  readonly data: ArrayBufferView;
}

export interface GsdFileInfo {
  readonly version: [number, number];
  readonly application: string;
  readonly schema: string;
  readonly schemaVersion: [number, number];
  readonly frames: number;
}

interface IndexEntry {
  readonly frame: number;
  readonly n: number;
  readonly location: number;
  readonly m: number;
  readonly id: number;
  readonly type: GsdType;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** A GSD file opened from its bytes (read-only). Every structural problem is a GlassmechError naming the file. */
export class GsdReader {
  readonly info: GsdFileInfo;
  private readonly names: string[];
  private readonly index: IndexEntry[];
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
  ) {
    const fail = (what: string): never => {
      throw new GlassmechError(`not a readable GSD file: ${what}`, { file });
    };
    if (bytes.length < HEADER_BYTES) fail(`${bytes.length} bytes is shorter than the 256-byte header`);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const v = this.view;
    if (v.getBigUint64(0, true) !== GSD_MAGIC) fail("wrong magic number (the file does not start with a GSD header)");
    const u64 = (off: number, what: string): number => {
      const x = v.getBigUint64(off, true);
      if (x > BigInt(bytes.length)) fail(`${what} ${x} lies beyond the end of the file (${bytes.length} bytes)`);
      return Number(x);
    };
    const indexLocation = u64(8, "index location");
    const indexAllocated = u64(16, "index size");
    const namelistLocation = u64(24, "name list location");
    const namelistAllocated = u64(32, "name list size");
    const schemaVersion = v.getUint32(40, true);
    const gsdVersion = v.getUint32(44, true);
    const major = gsdVersion >>> 16;
    if (major < 1 || major > 2) fail(`file version ${major}.${gsdVersion & 0xffff} (this reader knows 1.x and 2.x)`);
    if (indexLocation + indexAllocated * ENTRY_BYTES > bytes.length) fail("the index runs past the end of the file (truncated?)");
    if (namelistLocation + namelistAllocated * NAME_SLOT > bytes.length) fail("the name list runs past the end of the file (truncated?)");

    this.names = [];
    let start = namelistLocation;
    const end = namelistLocation + namelistAllocated * NAME_SLOT;
    for (let k = namelistLocation; k <= end; k++) {
      if (k === end || bytes[k] === 0) {
        if (k > start) this.names.push(new TextDecoder().decode(bytes.subarray(start, k)));
        start = k + 1;
      }
    }

    this.index = [];
    let frames = 0;
    for (let e = 0; e < indexAllocated; e++) {
      const off = indexLocation + e * ENTRY_BYTES;
      const location = Number(v.getBigInt64(off + 16, true));
      if (location === 0) break;
      const frame = Number(v.getBigUint64(off, true));
      const n = Number(v.getBigUint64(off + 8, true));
      const m = v.getUint32(off + 24, true);
      const id = v.getUint16(off + 28, true);
      const typeId = v.getUint8(off + 30);
      const where = `index entry ${e}`;
      if (typeId < 1 || typeId > 11) fail(`${where} has unknown data type ${typeId}`);
      const type = TYPE_NAMES[typeId]!;
      if (id >= this.names.length) fail(`${where} names chunk ${id} but the name list has ${this.names.length} names`);
      if (m === 0) fail(`${where} has M = 0`);
      if (e > 0 && frame < this.index[e - 1]!.frame) fail(`${where}: index not sorted by frame`);
      if (location < 0 || location + n * m * TYPE_BYTES[type] > bytes.length)
        fail(`chunk ${this.names[id]} of frame ${frame} runs past the end of the file (truncated?)`);
      this.index.push({ frame, n, location, m, id, type });
      frames = frame + 1;
    }
    this.info = {
      version: [major, gsdVersion & 0xffff],
      application: cString(bytes.subarray(48, 112)),
      schema: cString(bytes.subarray(112, 176)),
      schemaVersion: [schemaVersion >>> 16, schemaVersion & 0xffff],
      frames,
    };
  }

  /** The chunk `name` of `frame`, or null when that frame does not hold it. */
  chunk(frame: number, name: string): GsdChunk | null {
    const id = this.names.indexOf(name);
    if (id < 0) return null;
    const e = this.index.find((x) => x.frame === frame && x.id === id);
    if (e === undefined) return null;
    const size = e.n * e.m * TYPE_BYTES[e.type];
    return { name, type: e.type, n: e.n, m: e.m, bytes: this.bytes.slice(e.location, e.location + size) };
  }

  /** Names of the chunks a frame holds. */
  chunkNames(frame: number): string[] {
    return this.index.filter((x) => x.frame === frame).map((x) => this.names[x.id]!);
  }

  /** Throws naming the file. */
  error(message: string): never {
    throw new GlassmechError(message, { file: this.file });
  }
}

/** Values of a chunk as float64 (exact for every GSD type up to 2⁵³). */
export function chunkNumbers(c: GsdChunk): Float64Array {
  const count = c.n * c.m;
  const v = new DataView(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  const size = TYPE_BYTES[c.type];
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const o = k * size;
    switch (c.type) {
      case "u8":
      case "char": out[k] = v.getUint8(o); break;
      case "u16": out[k] = v.getUint16(o, true); break;
      case "u32": out[k] = v.getUint32(o, true); break;
      case "u64": out[k] = Number(v.getBigUint64(o, true)); break;
      case "i8": out[k] = v.getInt8(o); break;
      case "i16": out[k] = v.getInt16(o, true); break;
      case "i32": out[k] = v.getInt32(o, true); break;
      case "i64": out[k] = Number(v.getBigInt64(o, true)); break;
      case "f32": out[k] = v.getFloat32(o, true); break;
      case "f64": out[k] = v.getFloat64(o, true); break;
    }
  }
  return out;
}

/** The rows of an i8/u8/char N×M chunk as NUL-terminated strings (HOOMD's type names). */
export function chunkStrings(c: GsdChunk): string[] {
  const out: string[] = [];
  for (let i = 0; i < c.n; i++) out.push(cString(c.bytes.subarray(i * c.m, (i + 1) * c.m)));
  return out;
}

/** A chunk of strings (i8, N × (longest + 1)), the way HOOMD stores type names. */
export function stringsChunk(name: string, strings: readonly string[]): GsdChunkIn {
  const enc = strings.map((s) => new TextEncoder().encode(s));
  const m = Math.max(1, ...enc.map((b) => b.length + 1));
  const data = new Int8Array(strings.length * m);
  enc.forEach((b, i) => data.set(new Int8Array(b.buffer, b.byteOffset, b.length), i * m));
  return { name, type: "i8", n: strings.length, m, data };
}

export interface GsdWriteHeader {
  readonly application: string;
  readonly schema: string;
  readonly schemaVersion: [number, number];
}

/**
 * The bytes of a GSD 2.0 file holding `frames` (each a list of chunks). Chunk names must be
 * shorter than 64 bytes; every chunk's data must hold n·m values of its type.
 */
export function formatGsd(header: GsdWriteHeader, frames: readonly (readonly GsdChunkIn[])[]): Uint8Array {
  const names: string[] = [];
  const entries: { frame: number; chunk: GsdChunkIn; id: number; location: number }[] = [];
  let dataBytes = 0;
  frames.forEach((chunks, frame) => {
    for (const chunk of chunks) {
      const size = TYPE_BYTES[chunk.type];
      if (chunk.m < 1 || chunk.n < 0 || chunk.data.byteLength !== chunk.n * chunk.m * size)
        throw new GlassmechError(`GSD chunk ${chunk.name}: ${chunk.data.byteLength} bytes for ${chunk.n}×${chunk.m} ${chunk.type}`);
      if (new TextEncoder().encode(chunk.name).length >= NAME_SLOT) throw new GlassmechError(`GSD chunk name ${chunk.name} is too long`);
      let id = names.indexOf(chunk.name);
      if (id < 0) id = names.push(chunk.name) - 1;
      entries.push({ frame, chunk, id, location: 0 });
      dataBytes += chunk.data.byteLength;
    }
  });
  // Room for every entry, the terminator, and (as the format's readers check) every frame number.
  const indexAllocated = Math.max(128, entries.length + 1, frames.length + 1);
  const nameBytes = names.reduce((s, x) => s + new TextEncoder().encode(x).length + 1, 0);
  const namelistAllocated = Math.max(16, Math.ceil((nameBytes + 1) / NAME_SLOT));
  const indexLocation = HEADER_BYTES;
  const namelistLocation = indexLocation + indexAllocated * ENTRY_BYTES;
  const dataLocation = namelistLocation + namelistAllocated * NAME_SLOT;
  const out = new Uint8Array(dataLocation + dataBytes);
  const v = new DataView(out.buffer);

  v.setBigUint64(0, GSD_MAGIC, true);
  v.setBigUint64(8, BigInt(indexLocation), true);
  v.setBigUint64(16, BigInt(indexAllocated), true);
  v.setBigUint64(24, BigInt(namelistLocation), true);
  v.setBigUint64(32, BigInt(namelistAllocated), true);
  v.setUint32(40, ((header.schemaVersion[0] << 16) | header.schemaVersion[1]) >>> 0, true);
  v.setUint32(44, (2 << 16) | 0, true);
  const putString = (s: string, off: number, max: number) => {
    const b = new TextEncoder().encode(s).subarray(0, max - 1);
    out.set(b, off);
  };
  putString(header.application, 48, 64);
  putString(header.schema, 112, 64);

  let nameOff = namelistLocation;
  for (const name of names) {
    const b = new TextEncoder().encode(name);
    out.set(b, nameOff);
    nameOff += b.length + 1; // the NUL is already there
  }

  let loc = dataLocation;
  entries.forEach((e, k) => {
    const { chunk } = e;
    out.set(new Uint8Array(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength), loc);
    const off = indexLocation + k * ENTRY_BYTES;
    v.setBigUint64(off, BigInt(e.frame), true);
    v.setBigUint64(off + 8, BigInt(chunk.n), true);
    // A chunk of zero bytes still needs a nonzero location (0 ends the index).
    v.setBigInt64(off + 16, BigInt(loc), true);
    v.setUint32(off + 24, chunk.m, true);
    v.setUint16(off + 28, e.id, true);
    v.setUint8(off + 30, TYPE_IDS[chunk.type]);
    v.setUint8(off + 31, 0);
    loc += chunk.data.byteLength;
  });
  return out;
}
