/**
 * Cross-check against LAMMPS (skipped when `lmp` is not on PATH): our glass exported as a LAMMPS
 * data file plus a `pair_style table spline` include file must give, after `run 0`, the energy per
 * particle and the virial pressure (kinetic part removed: `compute pressure NULL virial`) that
 * glassmech computes, to 1e-10 relative (pressure: relative to p0 = p+ + p−, SPEC §4.1), and the
 * same per-particle forces to 1e-6 (the spline force error is ≤ 5e-8, see src/io/lammpsTable.ts).
 * The configurations LAMMPS writes back (write_data, write_dump) are read with our readers.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { affineTransform, shearMatrix } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { PairSystem } from "../../src/forces/pairSystem.js";
import { writeLammpsPair } from "../../src/io/lammpsTable.js";
import { readConfiguration, writeConfiguration } from "../../src/io/readConfiguration.js";
import { createModel, formatDescriptor } from "../../src/models/index.js";
import { fixture, tempDir } from "./ioHelpers.js";
import { toolSkip } from "./tools.js";


interface LammpsResult {
  pe: number;
  press: number;
  forces: Float64Array;
  written: Configuration;
  dumped: Configuration;
}

interface Case {
  name: string;
  config: Configuration;
}

/**
 * Runs every case in one LAMMPS process (`clear` between cases: MPI start-up is ~0.5 s), one pair
 * table per distinct model, and reads back energy, virial pressure, forces, write_data and a dump.
 */
function runLammps(cases: Case[]): Map<string, LammpsResult> {
  const { dir, cleanup } = tempDir();
  try {
    const pairs = new Map<string, string>();
    const blocks: string[] = [];
    for (const { name, config } of cases) {
      const data = join(dir, `${name}.data`);
      writeConfiguration(data, config, "lammps-data");
      const key = formatDescriptor(config.model);
      let pair = pairs.get(key);
      if (pair === undefined) {
        pair = join(dir, `pair${pairs.size}.in`);
        writeLammpsPair(pair, createModel(config.model), { dimension: config.d });
        pairs.set(key, pair);
      }
      blocks.push(
        "clear",
        "units lj",
        `dimension ${config.d}`,
        "atom_style atomic",
        "boundary p p p",
        "atom_modify map array",
        `read_data ${data}`,
        `include ${pair}`,
        "neighbor 0.3 bin",
        "compute p all pressure NULL virial",
        "thermo_style custom step pe c_p",
        "thermo_modify norm yes format float %.17g",
        "run 0",
        `print "RESULT ${name} $(pe:%.17g) $(c_p:%.17g)"`,
        `write_dump all custom ${join(dir, `${name}.dump`)} id type x y z fx fy fz modify sort id format float %.17g`,
        `write_data ${join(dir, `${name}.back.data`)}`,
      );
    }
    const inFile = join(dir, "in.check");
    writeFileSync(inFile, blocks.join("\n") + "\n");
    const r = spawnSync("lmp", ["-in", inFile, "-log", "none", "-echo", "none", "-nocite"], { cwd: dir, encoding: "utf8" });
    const out = new Map<string, LammpsResult>();
    for (const { name, config } of cases) {
      const m = new RegExp(`RESULT ${name} (\\S+) (\\S+)`).exec(r.stdout);
      assert.ok(m, `lmp failed on ${name} (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
      const dumpText = readFileSync(join(dir, `${name}.dump`), "utf8").split("\n");
      const start = dumpText.findIndex((l) => l.startsWith("ITEM: ATOMS"));
      const cols = dumpText[start]!.split(/\s+/).slice(2);
      const forces = new Float64Array(config.n * config.d);
      for (let i = 0; i < config.n; i++) {
        const t = dumpText[start + 1 + i]!.trim().split(/\s+/);
        const id = Number(t[cols.indexOf("id")]) - 1;
        for (let a = 0; a < config.d; a++) forces[id * config.d + a] = Number(t[cols.indexOf(`f${"xyz"[a]}`)]);
      }
      const overrides = { model: config.model.name, params: config.model.params, dimension: config.d };
      out.set(name, {
        pe: Number(m[1]),
        press: Number(m[2]),
        forces,
        written: readConfiguration(join(dir, `${name}.back.data`), overrides),
        dumped: readConfiguration(join(dir, `${name}.dump`), overrides),
      });
    }
    return out;
  } finally {
    cleanup();
  }
}

function compare(config: Configuration, name: string, l: LammpsResult): void {
  const model = createModel(config.model);
  const sys = new PairSystem(config, model);
  const ours = sys.measure(config.positions);
  const f = new Float64Array(config.n * config.d);
  sys.energyForces(config.positions, f);
  const p0 = ours.pressurePlus + ours.pressureMinus;
  const eRel = Math.abs(l.pe - ours.energyPerParticle) / Math.abs(ours.energyPerParticle);
  const pRel = Math.abs(l.press - ours.pressure) / p0;
  let fErr = 0;
  for (let k = 0; k < f.length; k++) fErr = Math.max(fErr, Math.abs(f[k]! - l.forces[k]!));
  const report = `${name}: energy/N ${ours.energyPerParticle} vs LAMMPS ${l.pe} (rel ${eRel.toExponential(2)}), pressure ${ours.pressure} vs ${l.press} (rel to p0 ${pRel.toExponential(2)}), max |ΔF| ${fErr.toExponential(2)}`;
  process.stdout.write(`# ${report}\n`);
  assert.ok(eRel < 1e-10, report);
  assert.ok(pRel < 1e-10, report);
  assert.ok(fErr < 1e-6, report);
  // What LAMMPS writes back reads in with the same types and positions (LAMMPS may round a
  // triclinic remap by an ulp, hence the tolerance) and the same box.
  for (const back of [l.written, l.dumped]) {
    assert.deepEqual(Array.from(back.types), Array.from(config.types));
    for (let k = 0; k < config.positions.length; k++) assert.ok(Math.abs(back.positions[k]! - config.positions[k]!) < 1e-12, `position ${k}`);
    for (let k = 0; k < config.d * config.d; k++) assert.ok(Math.abs(back.box.h[k]! - config.box.h[k]!) < 1e-12, `box ${k}`);
  }
}

function cases(): Case[] {
  const glass = readConfiguration(fixture("pss3d_n200.xyz"));
  const F = shearMatrix(3, 0.07);
  const s = Math.cbrt(0.6 / 1.2);
  const S = [s, 0, 0, 0, s, 0, 0, 0, s];
  return [
    { name: "pss3d", config: glass },
    { name: "pss3d_sheared", config: { ...glass, box: glass.box.deformed(F), positions: affineTransform(3, glass.positions, F) } },
    { name: "ipl2d", config: readConfiguration(fixture("ipl2d_n100.xyz")) },
    // KABLJ (ε_AB = 1.5) at its density 1.2 on the compressed PSS glass positions.
    { name: "kablj", config: { ...glass, box: glass.box.deformed(S), positions: affineTransform(3, glass.positions, S), model: { name: "kablj", params: {} } } },
    { name: "qss20", config: { ...glass, model: { name: "qss", params: { q: 20, xc: 1.8 } } } },
  ];
}

const skip = toolSkip("lmp");

test("LAMMPS cross-check: energy, virial pressure, forces; reading back LAMMPS's write_data and dump", { skip }, async (t) => {
  const all = cases();
  const results = runLammps(all);
  for (const { name, config } of all) await t.test(name, () => compare(config, name, results.get(name)!));
});
