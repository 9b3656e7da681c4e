import assert from "node:assert/strict";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { formatExtxyz, parseExtxyz } from "../../src/io/extxyz.js";
import { toConfiguration } from "../../src/io/rawFrame.js";
import { readConfiguration, writeConfiguration } from "../../src/io/readConfiguration.js";
import { assertSameConfiguration, fixture, randomConfig, tempDir } from "./ioHelpers.js";

const PSS = { name: "pss", params: { rc: 1.2 } };

/** Format then parse in memory. */
function roundTrip(text: string, file = "mem.xyz", overrides = {}) {
  return toConfiguration(parseExtxyz(text, file), overrides);
}

test("extxyz: canonical form of SPEC §2 (header order, Lattice, 17-digit positions, type column)", () => {
  const text = [
    "2",
    'Lattice="9.41 0 0 0 9.41 0 0 0 9.41" Properties=species:S:1:pos:R:3:type:I:1 pbc="T T T" model=pss rc=1.2',
    "A 5.5667342098259116 1.5728846335153717 0.58938802982460015 0",
    "B 1.0375430237420938 7.1021508338013524 3.2040071659913286 1",
  ].join("\n");
  const c = roundTrip(text);
  assert.equal(c.d, 3);
  assert.equal(c.n, 2);
  assert.deepEqual(Array.from(c.box.h), [9.41, 0, 0, 0, 9.41, 0, 0, 0, 9.41]);
  assert.ok(Object.is(c.positions[2], Number("0.58938802982460015")));
  assert.ok(Object.is(c.positions[4], Number("7.1021508338013524")));
  assert.deepEqual(Array.from(c.types), [0, 1]);
  assert.deepEqual(c.model, { name: "pss", params: { rc: 1.2 } });
  // And we write it back in the same shape (shortest round-trip digits).
  const out = formatExtxyz(c).split("\n");
  assert.equal(out[0], "2");
  assert.equal(out[1], 'Lattice="9.41 0 0 0 9.41 0 0 0 9.41" Properties=species:S:1:pos:R:3:type:I:1 pbc="T T T" model=pss rc=1.2');
  // Shortest strings that read back to the same float64 (here 16–17 significant digits).
  assert.equal(out[2], "H 5.566734209825912 1.5728846335153717 0.5893880298246001 0"); // type 0 → H (src/io/elements.ts)
  assert.ok(Object.is(Number("0.5893880298246001"), Number("0.58938802982460015")));
});

for (const d of [2, 3, 4])
  for (const shear of [0, 0.137])
    test(`extxyz: bit-exact round trip d=${d}${shear ? " sheared" : ""}`, () => {
      const c = randomConfig(d, 57, PSS, { shear, seed: 10 * d + (shear ? 1 : 0) });
      const text = formatExtxyz(c);
      const back = roundTrip(text);
      assertSameConfiguration(back, c);
      if (d === 2) assert.match(text.split("\n")[1]!, /dimension=2 pbc="T T F"/);
      if (d === 4) assert.match(text.split("\n")[1]!, /pos:R:4:.*dimension=4 pbc="T T T T"/);
      // Twice gives identical text.
      assert.equal(formatExtxyz(back), text);
    });

test("extxyz: POLY sizes round-trip through radius = λ/2, model parameters bit-exact", () => {
  const c = randomConfig(3, 40, { name: "poly", params: { xc: 1.25, na: 0.2 } }, { sizes: true, seed: 3 });
  const text = formatExtxyz(c);
  assert.match(text.split("\n")[1]!, /Properties=species:S:1:pos:R:3:type:I:1:radius:R:1/);
  const r0 = Number(text.split("\n")[2]!.split(" ")[5]);
  assert.equal(r0, c.sizes![0]! / 2);
  assertSameConfiguration(roundTrip(text), c);
});

test("extxyz: file round trip through writeConfiguration/readConfiguration (atomic write leaves no temp files)", () => {
  const { dir, cleanup } = tempDir();
  try {
    const c = randomConfig(3, 30, { name: "qss", params: { q: 20, xc: 1.8 } }, { shear: -0.21 });
    const path = join(dir, "g.extxyz");
    writeConfiguration(path, c);
    assertSameConfiguration(readConfiguration(path), c);
    assert.deepEqual(readdirSync(dir), ["g.extxyz"]);
  } finally {
    cleanup();
  }
});

test("extxyz: species S/L without a type column", () => {
  const c = readConfiguration(fixture("species_sl.xyz"));
  assert.deepEqual(Array.from(c.types), [0, 1, 1, 0]);
  assert.equal(c.model.name, "pss");
});

test("extxyz: species A/B without a type column, lower-case property names, extra columns", () => {
  const c = readConfiguration(fixture("species_ab.xyz"));
  assert.deepEqual(Array.from(c.types), [0, 1, 0, 1]);
  assert.equal(c.positions[3], 2.25);
  assert.deepEqual(c.model, { name: "ipl", params: { xc: 1.48 } });
});

test("extxyz: ASE-written style (element species, %16.8f columns, info keys, pbc last) uses the type column", () => {
  const c = readConfiguration(fixture("ase_style.xyz"));
  assert.equal(c.n, 4);
  assert.deepEqual(Array.from(c.types), [0, 1, 0, 1]);
  assert.equal(c.positions[0], 0.5);
  assert.deepEqual(c.model, { name: "pss", params: { rc: 1.2 } });
});

test("extxyz: OVITO style (pos first, Origin, sheared Lattice) subtracts the origin", () => {
  const c = readConfiguration(fixture("ovito_sheared.xyz"));
  assert.equal(c.box.shape, "general");
  // Lattice vector b = (0.5, 4, 0) is column 1 of h.
  assert.equal(c.box.h[0 * 3 + 1], 0.5);
  assert.equal(c.box.h[1 * 3 + 1], 4);
  assert.deepEqual(Array.from(c.positions.subarray(0, 3)), [1, 1, 1]);
  assert.deepEqual(Array.from(c.types), [0, 1]);
});

test("extxyz: multi-frame files read the last frame by default, or a chosen frame", () => {
  const a = randomConfig(3, 12, PSS, { seed: 1 });
  const b = randomConfig(3, 9, PSS, { seed: 2 });
  const text = formatExtxyz(a) + formatExtxyz(b);
  assertSameConfiguration(toConfiguration(parseExtxyz(text, "m.xyz")), b);
  assertSameConfiguration(toConfiguration(parseExtxyz(text, "m.xyz", { frame: 0 })), a);
  assertSameConfiguration(toConfiguration(parseExtxyz(text, "m.xyz", { frame: -2 })), a);
  assert.throws(() => parseExtxyz(text, "m.xyz", { frame: 2 }), /m\.xyz: frame 2 does not exist \(the file has 2 frames\)/);
});

test("extxyz: model overrides — parameters from flags, another model, or none in the file", () => {
  const c = randomConfig(3, 10, PSS);
  const text = formatExtxyz(c);
  assert.deepEqual(roundTrip(text, "f.xyz", { params: { rc: 1.5 } }).model, { name: "pss", params: { rc: 1.5 } });
  assert.deepEqual(roundTrip(text, "f.xyz", { model: "ipl" }).model, { name: "ipl", params: {} });
  const bare = text.replace(" model=pss rc=1.2", "");
  assert.throws(() => roundTrip(bare), /f\.xyz|mem\.xyz: no model in the file/);
  assert.deepEqual(roundTrip(bare, "f.xyz", { model: "PSS", params: { rc: 1.1 } }).model, { name: "pss", params: { rc: 1.1 } });
});

test("extxyz: 2D is recognized from pbc=\"T T F\" with z = 0 when dimension= is missing", () => {
  const c = randomConfig(2, 8, PSS);
  const text = formatExtxyz(c).replace(" dimension=2", "");
  assertSameConfiguration(roundTrip(text), c);
});

test("extxyz: particles slightly past the box edge by rounding (1e-12) are accepted; --wrap maps far ones in", () => {
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, "w.xyz");
    writeFileSync(p, '2\nLattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3 model=pss\nA 4.000000000001 1 1\nB 5 1 1\n');
    assert.throws(() => readConfiguration(p), /w\.xyz:4: particle 2 at \(5 1 1\) is outside the box/);
    const c = readConfiguration(p, { wrap: true });
    assert.equal(c.positions[3], 1);
  } finally {
    cleanup();
  }
});
