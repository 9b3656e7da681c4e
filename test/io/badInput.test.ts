import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { GlassmechError } from "../../src/core/errors.js";
import { readConfiguration, writeConfiguration } from "../../src/io/readConfiguration.js";
import { randomConfig, tempDir } from "./ioHelpers.js";

/**
 * Bad files (SPEC §2): each gives exactly one GlassmechError whose one-line message names the file,
 * the line and the problem.
 */
const { dir, cleanup } = tempDir();
after(cleanup);

const HEAD = 'Lattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3:type:I:1 pbc="T T T" model=pss rc=1.2';
const ROWS = ["A 0.5 0.5 0.5 0", "B 2.5 0.5 0.5 1", "A 0.5 2.5 0.5 0"];

const DATA_HEAD = ["# glassmech model=pss rc=1.2", "", "2 atoms", "2 atom types", "", "0 4 xlo xhi", "0 4 ylo yhi", "0 4 zlo zhi", "", "Atoms # atomic", ""];
const DUMP_HEAD = ["ITEM: TIMESTEP", "0", "ITEM: NUMBER OF ATOMS", "2", "ITEM: BOX BOUNDS pp pp pp", "0 4", "0 4", "0 4"];

/** Writes `lines` to a file and asserts the read fails with `file:line: <pattern>`. */
function expectError(name: string, lines: string[], line: number | null, pattern: RegExp, options = {}): void {
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  let caught: unknown;
  try {
    readConfiguration(path, options);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof GlassmechError, `${name}: expected a GlassmechError, got ${String(caught)}`);
  const msg = caught.message;
  assert.ok(!msg.includes("\n"), `${name}: message must be one line: ${msg}`);
  const prefix = line === null ? `${path}: ` : `${path}:${line}: `;
  assert.ok(msg.startsWith(prefix), `${name}: message must start with '${prefix}': ${msg}`);
  assert.match(msg.slice(prefix.length), pattern, name);
}

const cases: [string, string[], number | null, RegExp][] = [
  // extended XYZ
  ["too-few.xyz", ["3", HEAD, ROWS[0]!, ROWS[1]!], 1, /announces 3 particles but the file ends after 2 particle rows/],
  ["too-many.xyz", ["2", HEAD, ...ROWS], 5, /expected the particle count of a new frame, got 'A 0\.5 2\.5 0\.5 0' \(line 1 announces 2 particles/],
  ["missing-column.xyz", ["3", HEAD, ROWS[0]!, "B 2.5 0.5 1", ROWS[2]!], 4, /expected 5 columns \(Properties=species:S:1:pos:R:3:type:I:1\), got 4/],
  ["non-numeric.xyz", ["3", HEAD, ROWS[0]!, ROWS[1]!, "A 0.5 abc 0.5 0"], 5, /pos component 2 'abc' is not a number/],
  ["non-integer-type.xyz", ["3", HEAD, ROWS[0]!, "B 2.5 0.5 0.5 1.5", ROWS[2]!], 4, /type '1\.5' is not an integer/],
  ["unknown-model.xyz", ["3", HEAD.replace("model=pss rc=1.2", "model=lj"), ...ROWS], 2, /unknown model 'lj' \(known: .*pss/],
  ["bad-param.xyz", ["3", HEAD.replace("rc=1.2", "rc=0.9"), ...ROWS], 2, /model pss: rc=0\.9: rc ≤ 1 leaves no attractive range/],
  ["foreign-param.xyz", ["3", HEAD.replace("rc=1.2", "xc=1.8"), ...ROWS], 2, /model pss has no parameter 'xc'/],
  ["nan-param.xyz", ["3", HEAD.replace("rc=1.2", "rc=big"), ...ROWS], 2, /model parameter rc=big is not a finite number/],
  ["outside.xyz", ["3", HEAD, ROWS[0]!, "B 4.5 0.5 0.5 1", ROWS[2]!], 4, /particle 2 at \(4\.5 0\.5 0\.5\) is outside the box/],
  ["dimension5.xyz", ["3", HEAD + " dimension=5", ...ROWS], 2, /dimension=5: d must be 2, 3 or 4/],
  ["no-lattice.xyz", ["3", HEAD.replace('Lattice="4 0 0 0 4 0 0 0 4" ', ""), ...ROWS], 2, /no Lattice="…" in the header: a periodic box is required/],
  ["short-lattice.xyz", ["3", HEAD.replace('"4 0 0 0 4 0 0 0 4"', '"4 4 4"'), ...ROWS], 2, /Lattice has 3 numbers, expected 9/],
  ["flat-lattice.xyz", ["3", HEAD.replace('"4 0 0 0 4 0 0 0 4"', '"4 0 0 8 0 0 0 0 4"'), ...ROWS], 2, /Lattice: box matrix is singular/],
  ["type-range.xyz", ["3", HEAD, ROWS[0]!, "B 2.5 0.5 0.5 2", ROWS[2]!], 4, /particle 2 has type 2 but model pss has 2 types \(0\.\.1\)/],
  ["species.xyz", ["1", HEAD.replace(":type:I:1", ""), "Ar 1 1 1"], 3, /species 'Ar' is not a species of model pss/],
  ["pbc.xyz", ["3", HEAD.replace('pbc="T T T"', 'pbc="T F T"'), ...ROWS], 2, /direction 2 is not periodic/],
  ["no-count.xyz", [HEAD, ...ROWS], 1, /the first line must be the particle count/],
  // LAMMPS data
  ["count.data", [...DATA_HEAD, "1 1 0.5 0.5 0.5"], 10, /the header says 2 atoms but the Atoms section has 1 rows/],
  ["count2.data", [...DATA_HEAD, "1 1 0.5 0.5 0.5", "2 2 1 1 1", "3 1 2 2 2"], 14, /the header says 2 atoms but the Atoms section has 3 rows/],
  ["columns.data", [...DATA_HEAD, "1 1 0.5 0.5 0.5", "2 2 1 1"], 13, /expected 5 columns \(atom style atomic: id type x y z/],
  ["numeric.data", [...DATA_HEAD, "1 1 0.5 0.5 0.5", "2 2 1 x 1"], 13, /y 'x' is not a number/],
  ["type.data", [...DATA_HEAD, "1 1 0.5 0.5 0.5", "2 3 1 1 1"], 13, /atom type 3 is outside 1\.\.2/],
  ["dup.data", [...DATA_HEAD, "1 1 0.5 0.5 0.5", "1 2 1 1 1"], 13, /atom id 1 appears twice \(also on line 12\)/],
  ["outside.data", [...DATA_HEAD, "1 1 0.5 0.5 0.5", "2 2 1 1 -1"], 13, /particle 2 at \(1 1 -1\) is outside the box/],
  ["model.data", ["# glassmech model=pss rc=7", ...DATA_HEAD.slice(1), "1 1 0.5 0.5 0.5", "2 2 1 1 1"], 1, /model pss: rc=7: rc must be finite, in \(1, 5\]/],
  ["dim.data", ["# glassmech dimension=4 model=pss", ...DATA_HEAD.slice(1), "1 1 0.5 0.5 0.5", "2 2 1 1 1"], 1, /dimension=4: LAMMPS files are 2- or 3-dimensional/],
  ["style.data", [...DATA_HEAD.slice(0, -2), "Atoms # full", "", "1 1 1 0 0.5 0.5 0.5", "2 1 2 0 1 1 1"], 10, /atom style 'full' is not supported/],
  ["noatoms.data", DATA_HEAD.slice(0, -2), null, /the file has no Atoms section/],
  // LAMMPS dump
  ["count.dump", [...DUMP_HEAD, "ITEM: ATOMS id type x y z", "1 1 1 1 1"], 9, /ITEM: NUMBER OF ATOMS says 2 but the frame has 1 atom rows/],
  ["notype.dump", [...DUMP_HEAD, "ITEM: ATOMS id x y z", "1 1 1 1", "2 2 2 2"], 9, /ITEM: ATOMS has no type column/],
  ["nopos.dump", [...DUMP_HEAD, "ITEM: ATOMS id type vx vy vz", "1 1 1 1 1", "2 2 2 2 2"], 9, /has no x y z/],
  ["numeric.dump", [...DUMP_HEAD, "ITEM: ATOMS id type x y z", "1 1 1 1 1", "2 2 2 2 nan"], 11, /z 'nan' is not a number/],
  ["columns.dump", [...DUMP_HEAD, "ITEM: ATOMS id type x y z", "1 1 1 1 1", "2 2 2 2"], 11, /expected 5 columns \(id type x y z\), got 4/],
  ["bounds.dump", [...DUMP_HEAD.slice(0, 6), "0", "0 4", "ITEM: ATOMS id type x y z", "1 1 1 1 1", "2 2 2 2 2"], 7, /a BOX BOUNDS row needs 2 numbers/],
  ["boundary.dump", [...DUMP_HEAD.slice(0, 4), "ITEM: BOX BOUNDS pp ff pp", "0 4", "0 4", "0 4", "ITEM: ATOMS id type x y z", "1 1 1 1 1", "2 2 2 2 2"], 5, /boundary 'ff' in direction y/],
];

for (const [name, lines, line, pattern] of cases) test(`bad input: ${name}`, () => expectError(name, lines, line, pattern, name.endsWith(".dump") ? { model: "pss" } : {}));

test("bad input: unknown model given on the command line names the file", () => {
  expectError("flag.xyz", ["3", HEAD, ...ROWS], null, /unknown model 'nope'/, { model: "nope" });
  expectError("flag2.xyz", ["3", HEAD, ...ROWS], null, /model pss: rc=1: rc ≤ 1/, { params: { rc: 1 } });
});

test("bad input: missing file and unknown extension", () => {
  assert.throws(() => readConfiguration(join(dir, "absent.xyz")), (e: unknown) => e instanceof GlassmechError && /absent\.xyz: cannot read: no such file/.test(e.message));
  assert.throws(() => readConfiguration(join(dir, "glass.txt")), /glass\.txt: cannot tell the format from the file name/);
});

test("atomic writes: a failed write leaves the existing file untouched and no temporary files", () => {
  const sub = join(dir, "atomic");
  mkdirSync(sub);
  const path = join(sub, "keep.data");
  writeFileSync(path, "precious\n");
  // 4D cannot be LAMMPS: formatting fails before anything is written.
  assert.throws(() => writeConfiguration(path, randomConfig(4, 5, { name: "pss", params: {} })), /keep\.data: LAMMPS has no 4-dimensional boxes/);
  assert.equal(readFileSync(path, "utf8"), "precious\n");
  // A directory in place of the target: rename fails, the temporary file is removed.
  const target = join(sub, "adir.xyz");
  mkdirSync(target);
  assert.throws(() => writeConfiguration(target, randomConfig(3, 5, { name: "pss", params: {} })), /adir\.xyz: cannot write: is a directory/);
  assert.deepEqual(readdirSync(sub).sort(), ["adir.xyz", "keep.data"]);
  // A missing directory: nothing is created.
  assert.throws(() => writeConfiguration(join(sub, "no", "x.xyz"), randomConfig(3, 5, { name: "pss", params: {} })), /x\.xyz: cannot write: no such directory/);
});
