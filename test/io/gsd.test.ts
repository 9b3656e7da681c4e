/**
 * GSD (src/io/gsd.ts, gsdHoomd.ts) without outside tools: bit-exact round trips of our own files
 * (2D, 3D sheared, POLY, velocities, several frames), reading HOOMD-only frames (float32, centred,
 * type names, frame-0 fallback), and one clear error for each kind of broken file.
 * test/io/gsdPython.test.ts checks the same files against python3-gsd.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { formatGsd, GsdReader, stringsChunk, type GsdChunkIn } from "../../src/io/gsd.js";
import { formatGsdFrames, parseGsd } from "../../src/io/gsdHoomd.js";
import { toConfiguration } from "../../src/io/rawFrame.js";
import { readConfiguration, writeConfiguration } from "../../src/io/readConfiguration.js";
import { assertBitsEqual, assertSameConfiguration, randomConfig, tempDir } from "./ioHelpers.js";

const PSS = { name: "pss", params: { rc: 1.2 } };
const POLY = { name: "poly", params: { xc: 1.25, na: 0.2 } };

for (const [d, shear] of [[2, 0], [2, 0.11], [3, 0], [3, -0.173]] as const)
  test(`gsd: bit-exact round trip d=${d}${shear ? " sheared" : ""}`, () => {
    const c = randomConfig(d, 61, PSS, { shear, seed: 40 + d });
    const bytes = formatGsdFrames([{ config: c }]);
    const f = parseGsd(bytes, "m.gsd");
    assert.equal(f.exact, true);
    assertSameConfiguration(toConfiguration(f.raw), c);
  });

test("gsd: POLY sizes and velocities round-trip bit for bit; file write is atomic", () => {
  const { dir, cleanup } = tempDir();
  try {
    const c = randomConfig(3, 33, POLY, { sizes: true, seed: 5 });
    const v = Float64Array.from({ length: 99 }, (_, k) => Math.sin(k * 1.37) / 3);
    const p = join(dir, "g.gsd");
    writeConfiguration(p, c, undefined, { velocities: v });
    assert.deepEqual(readdirSync(dir), ["g.gsd"]);
    assertSameConfiguration(readConfiguration(p), c);
    const f = parseGsd(new Uint8Array(readFileSync(p)), p);
    assertBitsEqual(f.velocities!, v, "velocities");
  } finally {
    cleanup();
  }
});

test("gsd: several frames, last by default, chosen with frame; a missing frame is an error", () => {
  const a = randomConfig(3, 20, PSS, { seed: 1 });
  const b = randomConfig(3, 20, PSS, { seed: 2, shear: 0.05 });
  const bytes = formatGsdFrames([{ config: a }, { config: b, options: { step: 1000 } }]);
  assertSameConfiguration(toConfiguration(parseGsd(bytes, "t.gsd").raw), b);
  assertSameConfiguration(toConfiguration(parseGsd(bytes, "t.gsd", { frame: 0 }).raw), a);
  assertSameConfiguration(toConfiguration(parseGsd(bytes, "t.gsd", { frame: -2 }).raw), a);
  assert.throws(() => parseGsd(bytes, "t.gsd", { frame: 2 }), /^GlassmechError: t\.gsd: frame 2 does not exist \(the file has 2 frames\)$/);
});

/** A HOOMD-only frame as HOOMD itself would write it (float32, centred positions, no log chunks). */
function hoomdChunks(n: number, pos: Float32Array, box: number[], types: string[], typeid: number[], d = 3): GsdChunkIn[] {
  return [
    { name: "configuration/dimensions", type: "u8", n: 1, m: 1, data: Uint8Array.from([d]) },
    { name: "configuration/box", type: "f32", n: 6, m: 1, data: Float32Array.from(box) },
    { name: "particles/N", type: "u32", n: 1, m: 1, data: Uint32Array.from([n]) },
    stringsChunk("particles/types", types),
    { name: "particles/typeid", type: "u32", n, m: 1, data: Uint32Array.from(typeid) },
    { name: "particles/position", type: "f32", n, m: 3, data: pos },
  ];
}
const HEADER = { application: "test", schema: "hoomd", schemaVersion: [1, 4] as [number, number] };

test("gsd: a HOOMD-written frame: centred float32 positions, tilt factors, type names, frame-0 fallback", () => {
  const pos = Float32Array.from([-1.5, -1.25, 0.5, 1.75, 1.5, -1.875]);
  const frame0 = hoomdChunks(2, pos, [4, 4, 4, 0.25, 0, 0], ["B", "A"], [0, 1]);
  // Frame 1 holds only new positions: box, N, types and typeid come from frame 0 (HOOMD's rule).
  const pos1 = Float32Array.from([0, 0, 0, 1, 1, 1]);
  const bytes = formatGsd(HEADER, [frame0, [{ name: "particles/position", type: "f32", n: 2, m: 3, data: pos1 }]]);
  const f0 = parseGsd(bytes, "h.gsd", { frame: 0 });
  assert.equal(f0.exact, false);
  const c0 = toConfiguration(f0.raw, { model: "pss" });
  assert.deepEqual(Array.from(c0.box.h), [4, 1, 0, 0, 4, 0, 0, 0, 4]);
  assert.deepEqual(Array.from(c0.types), [1, 0]); // names B, A mapped to the model's species
  // r = r_hoomd + h·½ with h·½ = (2.5, 2, 2).
  assert.deepEqual(Array.from(c0.positions), [1, 0.75, 2.5, 4.25, 3.5, 0.125]);
  const c1 = toConfiguration(parseGsd(bytes, "h.gsd").raw, { model: "pss" });
  assert.deepEqual(Array.from(c1.positions), [2.5, 2, 2, 3.5, 3, 3]);
  assert.deepEqual(Array.from(c1.types), [1, 0]);
  // Without a model (no log/glassmech/model) the reader asks for one.
  assert.throws(() => toConfiguration(f0.raw), /h\.gsd: no model in the file/);
});

test("gsd: stale exact chunks (positions changed by another tool) are not used", () => {
  const c = randomConfig(3, 10, PSS, { seed: 9 });
  const bytes = formatGsdFrames([{ config: c }]);
  const r = new GsdReader(bytes, "x.gsd");
  const pos = r.chunk(0, "particles/position")!;
  // Move particle 0 by editing the float32 chunk in place (find its bytes in the file).
  const at = Buffer.from(bytes).indexOf(Buffer.from(pos.bytes));
  new DataView(bytes.buffer).setFloat32(at, 0.125, true);
  const f = parseGsd(bytes, "x.gsd");
  assert.equal(f.exact, false);
  const back = toConfiguration(f.raw);
  assert.ok(Math.abs(back.positions[0]! - (0.125 + 0.5 * c.box.h[0]!)) < 1e-6); // float32 box
});

test("gsd: broken files give one clear error naming the file", () => {
  const { dir, cleanup } = tempDir();
  try {
    const good = formatGsdFrames([{ config: randomConfig(3, 10, PSS) }]);
    const cases: [string, Uint8Array, RegExp][] = [
      ["empty.gsd", new Uint8Array(0), /empty\.gsd: not a readable GSD file: 0 bytes is shorter than the 256-byte header/],
      ["text.gsd", new TextEncoder().encode("3\nLattice=...\n".repeat(30)), /text\.gsd: not a readable GSD file: wrong magic number/],
      ["cut.gsd", good.slice(0, good.length - 40), /cut\.gsd: not a readable GSD file: chunk .* runs past the end of the file \(truncated\?\)/],
      ["head.gsd", good.slice(0, 1000), /head\.gsd: not a readable GSD file: name list location 4352 lies beyond the end of the file \(1000 bytes\)/],
      ["noframes.gsd", formatGsd(HEADER, []), /noframes\.gsd: the GSD file has no frames/],
      ["schema.gsd", formatGsd({ ...HEADER, schema: "other" }, [[]]), /schema\.gsd: GSD schema 'other' is not HOOMD's/],
      ["n0.gsd", formatGsd(HEADER, [hoomdChunks(0, new Float32Array(0), [4, 4, 4, 0, 0, 0], ["A"], [])]), /n0\.gsd: frame 0 has no particles/],
      ["nan.gsd", formatGsd(HEADER, [hoomdChunks(1, Float32Array.from([NaN, 0, 0]), [4, 4, 4, 0, 0, 0], ["A"], [0])]), /nan\.gsd: frame 0: position of particle 1 is not finite/],
      ["typeid.gsd", formatGsd(HEADER, [hoomdChunks(1, new Float32Array(3), [4, 4, 4, 0, 0, 0], ["A"], [3])]), /typeid\.gsd: frame 0: particle 1 has typeid 3 but there are 1 types/],
      ["box.gsd", formatGsd(HEADER, [hoomdChunks(1, new Float32Array(3), [0, 4, 4, 0, 0, 0], ["A"], [0])]), /box\.gsd: frame 0: configuration\/box 0 4 4 0 0 0/],
    ];
    for (const [name, bytes, re] of cases) {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      assert.throws(() => readConfiguration(p, { model: "pss" }), re, name);
    }
    assert.throws(() => writeConfiguration(join(dir, "four.gsd"), randomConfig(4, 10, PSS)), /four\.gsd: GSD \(HOOMD\) has no 4-dimensional boxes/);
  } finally {
    cleanup();
  }
});

test("gsd: file version 1.0 (names in 64-byte slots) and char-typed type names read like 2.0", () => {
  const c = randomConfig(3, 12, PSS, { seed: 12 });
  const bytes = formatGsdFrames([{ config: c }]);
  const v = new DataView(bytes.buffer);
  // Rewrite the packed 2.0 name list as 1.0 slots (same ids, same order) and mark the file 1.0.
  const at = Number(v.getBigUint64(24, true));
  const slots = Number(v.getBigUint64(32, true));
  const names = new TextDecoder().decode(bytes.subarray(at, at + slots * 64)).split("\0").filter((s) => s !== "");
  assert.ok(names.length <= slots);
  bytes.fill(0, at, at + slots * 64);
  names.forEach((n, k) => bytes.set(new TextEncoder().encode(n), at + 64 * k));
  v.setUint32(44, 1 << 16, true);
  const f = parseGsd(bytes, "v1.gsd");
  assert.equal(f.exact, true);
  assertSameConfiguration(toConfiguration(f.raw), c);

  // Type names as a char chunk (type id 11): read as strings.
  const chunks = hoomdChunks(2, Float32Array.from([0, 0, 0, 1, 0, 0]), [4, 4, 4, 0, 0, 0], ["A", "B"], [1, 0]);
  const k = chunks.findIndex((x) => x.name === "particles/types");
  chunks[k] = { ...chunks[k]!, type: "char" as const };
  const g = toConfiguration(parseGsd(formatGsd(HEADER, [chunks]), "char.gsd").raw, { model: "pss" });
  assert.deepEqual(Array.from(g.types), [1, 0]);
});
