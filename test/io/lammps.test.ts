import assert from "node:assert/strict";
import { test } from "node:test";
import { affineTransform, Box } from "../../src/core/box.js";
import { Rng } from "../../src/core/rng.js";
import { boundsFromDumpRows, dumpBoundRows, lammpsBounds } from "../../src/io/lammpsBox.js";
import { formatLammpsData, parseLammpsData } from "../../src/io/lammpsData.js";
import { formatLammpsDump, parseLammpsDump } from "../../src/io/lammpsDump.js";
import { toConfiguration } from "../../src/io/rawFrame.js";
import { assertSameConfiguration, randomConfig } from "./ioHelpers.js";

const PSS = { name: "pss", params: { rc: 1.2 } };

for (const d of [2, 3])
  for (const shear of [0, 0.23, -0.41])
    test(`LAMMPS data and dump: bit-exact round trip d=${d}${shear ? ` sheared ${shear}` : ""}`, () => {
      const c = randomConfig(d, 61, PSS, { shear, seed: 100 * d + Math.round(shear * 100) });
      const data = formatLammpsData(c);
      assertSameConfiguration(toConfiguration(parseLammpsData(data, "g.data")), c, "data");
      const dump = formatLammpsDump(c);
      assertSameConfiguration(toConfiguration(parseLammpsDump(dump, "g.dump")), c, "dump");
      if (d === 2) {
        assert.match(data, /^# glassmech dimension=2 model=pss rc=1\.2\n/);
        assert.match(data, /\n-0\.5 0\.5 zlo zhi\n/);
        assert.match(dump, /\nlj # glassmech dimension=2 model=pss rc=1\.2\n/);
      } else assert.match(data, /^# glassmech model=pss rc=1\.2\n/);
      if (shear !== 0) {
        assert.match(data, / xy xz yz\n/);
        assert.match(dump, /ITEM: BOX BOUNDS xy xz yz pp pp pp\n/);
      }
      // LAMMPS types are 1-based.
      const firstAtom = data.split("Atoms # atomic\n\n")[1]!.split("\n")[0]!.split(" ");
      assert.equal(Number(firstAtom[1]), c.types[0]! + 1);
    });

test("LAMMPS dump: triclinic boxes come back bit for bit for many random tilts (bounds or lx/ly tag)", () => {
  const rng = Rng.fromSeed(5);
  let viaBounds = 0;
  const trials = 300;
  for (let t = 0; t < trials; t++) {
    const L = [1 + 20 * rng.uniform(), 1 + 20 * rng.uniform(), 1 + 20 * rng.uniform()];
    const h = [L[0]!, (rng.uniform() - 0.5) * L[0]!, (rng.uniform() - 0.5) * L[0]!, 0, L[1]!, (rng.uniform() - 0.5) * L[1]!, 0, 0, L[2]!];
    const box = new Box(3, h);
    const b = lammpsBounds(box);
    const back = boundsFromDumpRows(dumpBoundRows(b).rows.map(([l, u]) => [l, u]), b.tilt);
    if (back.hi[0]! - back.lo[0]! === L[0] && back.hi[1]! - back.lo[1]! === L[1]) viaBounds++;
    const c = { ...randomConfig(3, 3, PSS, { seed: t }), box, positions: affineTransform(3, Float64Array.from([0, 0, 0, 0.3, 0.6, 0.9, 0.99, 0.01, 0.5]), h) };
    const read = toConfiguration(parseLammpsDump(formatLammpsDump(c), "t.dump"));
    assertSameConfiguration(read, c, `trial ${t}`);
  }
  // Most cells need no tag; the rest rely on it (the test fails if either path breaks).
  assert.ok(viaBounds > trials / 2 && viaBounds < trials, `exact through bounds alone: ${viaBounds}/${trials}`);
});

test("LAMMPS data/dump: POLY sizes go through 'Atoms # sphere' (diameter = λ_i) and a diameter column", () => {
  const c = randomConfig(3, 33, { name: "poly", params: { xc: 1.25 } }, { sizes: true, seed: 9 });
  const data = formatLammpsData(c);
  assert.match(data, /\nAtoms # sphere\n/);
  assert.doesNotMatch(data, /Masses/);
  assertSameConfiguration(toConfiguration(parseLammpsData(data, "p.data")), c, "data");
  const dump = formatLammpsDump(c);
  assert.match(dump, /ITEM: ATOMS id type x y z diameter\n/);
  assertSameConfiguration(toConfiguration(parseLammpsDump(dump, "p.dump")), c, "dump");
});

test("LAMMPS data written by LAMMPS: shuffled ids, image flags, origin ≠ 0, Velocities, no model (from overrides)", () => {
  const text = [
    "LAMMPS data file via write_data, version 7 Jan 2022, timestep = 0",
    "",
    "3 atoms",
    "2 atom types",
    "",
    "-1 3 xlo xhi",
    "-2 2 ylo yhi",
    "0 4 zlo zhi",
    "",
    "Masses",
    "",
    "1 1",
    "2 1",
    "",
    "Pair Coeffs # lj/cut",
    "",
    "1 1 1",
    "2 1 1",
    "",
    "Atoms # atomic",
    "",
    "3 2 2.5 1.5 3.5 0 0 0",
    "1 1 -0.5 -1.5 0.5 0 -1 0",
    "2 1 0.5 0.5 1.5 1 0 0",
    "",
    "Velocities",
    "",
    "3 0 0 0",
    "1 0.1 0 0",
    "2 0 0 0",
    "",
  ].join("\n");
  const raw = parseLammpsData(text, "w.data");
  assert.throws(() => toConfiguration(raw), /w\.data: no model in the file/);
  const c = toConfiguration(raw, { model: "pss" });
  assert.equal(c.d, 3);
  assert.deepEqual(Array.from(c.box.lengths()), [4, 4, 4]);
  assert.deepEqual(Array.from(c.types), [0, 0, 1]);
  assert.deepEqual(Array.from(c.positions), [0.5, 0.5, 0.5, 1.5, 2.5, 1.5, 3.5, 3.5, 3.5]);
  assert.deepEqual(c.model, { name: "pss", params: {} });
});

test("LAMMPS dump written by LAMMPS: multi-frame, scaled coordinates, shuffled ids, extra columns", () => {
  const frame = (step: number, s: number) =>
    [
      "ITEM: TIMESTEP",
      String(step),
      "ITEM: NUMBER OF ATOMS",
      "2",
      "ITEM: BOX BOUNDS pp pp pp",
      "0.0000000000000000e+00 4.0000000000000000e+00",
      "0.0000000000000000e+00 4.0000000000000000e+00",
      "0.0000000000000000e+00 4.0000000000000000e+00",
      "ITEM: ATOMS id type xs ys zs vx",
      `2 2 ${s} 0.5 0.5 0.1`,
      "1 1 0.25 0.25 0.25 0",
    ].join("\n");
  const text = frame(0, 0.5) + "\n" + frame(100, 0.75) + "\n";
  const last = toConfiguration(parseLammpsDump(text, "t.lammpstrj"), { model: "pss", params: { rc: 1.3 } });
  assert.deepEqual(Array.from(last.positions), [1, 1, 1, 3, 2, 2]);
  assert.deepEqual(Array.from(last.types), [0, 1]);
  assert.deepEqual(last.model, { name: "pss", params: { rc: 1.3 } });
  const first = toConfiguration(parseLammpsDump(text, "t.lammpstrj", { frame: 0 }), { model: "pss" });
  assert.equal(first.positions[3], 2);
});

test("LAMMPS dump: unwrapped coordinates (xu yu zu) are wrapped into the box", () => {
  const text = [
    "ITEM: TIMESTEP",
    "0",
    "ITEM: NUMBER OF ATOMS",
    "2",
    "ITEM: BOX BOUNDS pp pp pp",
    "0 4",
    "0 4",
    "0 4",
    "ITEM: ATOMS id type xu yu zu",
    "1 1 5 1 1",
    "2 2 -1 2 2",
  ].join("\n");
  const c = toConfiguration(parseLammpsDump(text, "u.dump"), { model: "ipl" });
  assert.deepEqual(Array.from(c.positions), [1, 1, 1, 3, 2, 2]);
});

test("LAMMPS: 4D and non-LAMMPS cells are refused with a clear message", () => {
  const c4 = randomConfig(4, 5, PSS);
  assert.throws(() => formatLammpsData(c4), /LAMMPS has no 4-dimensional boxes/);
  const lower = new Box(3, [4, 0, 0, 0.3, 4, 0, 0, 0, 4]);
  const c = { ...randomConfig(3, 5, PSS), box: lower };
  assert.throws(() => formatLammpsDump(c), /restricted triclinic/);
});
