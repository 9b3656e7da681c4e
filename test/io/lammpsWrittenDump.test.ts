/**
 * Dumps written by LAMMPS itself (`write_dump … custom`, `dump … custom` over a short run) read
 * correctly: unscaled and scaled coordinates, ids in LAMMPS's order (sorted by x, descending,
 * or as the atoms happen to lie), columns in any order, triclinic cells, 2D, LAMMPS's default
 * 6-digit %g format, several frames. Skips without `lmp` (see tools.ts).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Configuration } from "../../src/core/configuration.js";
import { readConfiguration, writeConfiguration } from "../../src/io/readConfiguration.js";
import { randomConfig, tempDir } from "./ioHelpers.js";
import { toolSkip } from "./tools.js";

const skip = toolSkip("lmp");

interface DumpCase {
  readonly file: string;
  readonly command: string;
  /** Largest position error accepted (17 digits: rounding of s·h; %g: 6 digits). */
  readonly tol: number;
}

const DUMPS: DumpCase[] = [
  { file: "x-sorted-by-x.dump", command: "id type x y z modify sort 3 format float %.17g", tol: 1e-12 },
  { file: "scaled-descending.dump", command: "id type xs ys zs modify sort -1 format float %.17g", tol: 1e-12 },
  { file: "reordered-default-format.dump", command: "type z x id y", tol: 1e-4 },
  { file: "scaled-unsorted.dump", command: "xs ys zs type id", tol: 1e-4 },
];

function lammps(dir: string, name: string, c: Configuration): string {
  const data = join(dir, `${name}.data`);
  writeConfiguration(data, c, "lammps-data");
  const lines = [
    "units lj",
    `dimension ${c.d}`,
    "atom_style atomic",
    "boundary p p p",
    "atom_modify map array",
    `read_data ${data}`,
    "pair_style zero 1.0",
    "pair_coeff * *",
    ...DUMPS.map((x) => `write_dump all custom ${join(dir, `${name}-${x.file}`)} ${x.command}`),
    // A trajectory: 3 frames of free flight, atoms spatially re-sorted by LAMMPS between them.
    "atom_modify sort 1 1.0",
    "velocity all create 0.5 7",
    "fix flight all nve",
    `dump traj all custom 5 ${join(dir, `${name}-traj.dump`)} id type xs ys zs`,
    "dump_modify traj format float %.17g",
    "run 10",
  ];
  const inFile = join(dir, `${name}.in`);
  writeFileSync(inFile, lines.join("\n") + "\n");
  const r = spawnSync("lmp", ["-in", inFile, "-log", "none", "-echo", "none", "-nocite"], { cwd: dir, encoding: "utf8" });
  assert.equal(r.status, 0, `lmp failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function assertClose(back: Configuration, c: Configuration, tol: number, what: string): void {
  assert.equal(back.n, c.n, what);
  assert.equal(back.d, c.d, what);
  assert.deepEqual(Array.from(back.types), Array.from(c.types), `${what}: types by id`);
  for (let k = 0; k < c.d * c.d; k++) assert.ok(Math.abs(back.box.h[k]! - c.box.h[k]!) <= 1e-12, `${what}: box ${k}`);
  let err = 0;
  for (let i = 0; i < c.n; i++) {
    // Compare through the minimum image: a particle at the edge may come back wrapped.
    const dx = new Float64Array(c.d);
    for (let a = 0; a < c.d; a++) dx[a] = back.positions[i * c.d + a]! - c.positions[i * c.d + a]!;
    c.box.minimumImage(dx);
    for (const v of dx) err = Math.max(err, Math.abs(v));
  }
  assert.ok(err <= tol, `${what}: max position error ${err} > ${tol}`);
}

for (const [name, d, shear] of [["tri3d", 3, 0.19], ["ortho3d", 3, 0], ["tri2d", 2, -0.23]] as const)
  test(`LAMMPS-written dumps (${name}): scaled/unscaled, unsorted ids, reordered columns, %g, trajectory`, { skip }, () => {
    const { dir, cleanup } = tempDir();
    try {
      const c = randomConfig(d, 120, { name: "pss", params: { rc: 1.2 } }, { shear, seed: 31 + d });
      lammps(dir, name, c);
      const overrides = { model: "pss", params: { rc: 1.2 }, dimension: d };
      for (const x of DUMPS) assertClose(readConfiguration(join(dir, `${name}-${x.file}`), overrides), c, x.tol, x.file);
      const traj = join(dir, `${name}-traj.dump`);
      assertClose(readConfiguration(traj, { ...overrides, frame: 0 }), c, 1e-12, "trajectory frame 0");
      const last = readConfiguration(traj, overrides);
      assert.throws(() => readConfiguration(traj, { ...overrides, frame: 3 }), /frame 3 does not exist \(the file has 3 frames\)/);
      // The particles moved (free flight), but each keeps its type under LAMMPS's re-sorting.
      assert.deepEqual(Array.from(last.types), Array.from(c.types));
      let moved = 0;
      for (let k = 0; k < c.positions.length; k++) moved = Math.max(moved, Math.abs(last.positions[k]! - c.positions[k]!));
      assert.ok(moved > 1e-3, "the trajectory's last frame differs from the first");
    } finally {
      cleanup();
    }
  });
