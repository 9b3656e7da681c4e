/**
 * Extended XYZ against Debian's python3-ase: `ase.io.read` takes our files as they are (species
 * are element symbols, src/io/elements.ts) and gets positions, cell and pbc to the last bit, our
 * type and radius columns as arrays, every frame of a multi-frame file, and the mode vectors that
 * `modes --vectors` writes. Skips without python3-ase (see tools.ts).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Configuration } from "../../src/core/configuration.js";
import { formatExtxyz } from "../../src/io/extxyz.js";
import { readConfiguration } from "../../src/io/readConfiguration.js";
import { fixture, randomConfig, tempDir } from "./ioHelpers.js";
import { hex64, runPython, toolSkip } from "./tools.js";

const skip = toolSkip("ase");
const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

const READ = `
import sys, json, ase.io, numpy as np
h = lambda a: np.ascontiguousarray(a, dtype=np.float64).tobytes().hex()
out = []
for at in ase.io.read(sys.argv[1], index=':', format='extxyz'):
    out.append(dict(positions=h(at.positions), cell=h(at.cell.array), pbc=[bool(x) for x in at.pbc],
        symbols=at.get_chemical_symbols(), type=[int(x) for x in at.arrays['type']],
        radius=h(at.arrays['radius']) if 'radius' in at.arrays else None,
        modes={k: h(v) for k, v in at.arrays.items() if k.startswith('mode_')},
        info={k: (v if isinstance(v, (str, int, float, bool)) else str(v)) for k, v in at.info.items()}))
print(json.dumps(out))
`;

interface AseFrame {
  positions: string;
  cell: string;
  pbc: boolean[];
  symbols: string[];
  type: number[];
  radius: string | null;
  modes: Record<string, string>;
  info: Record<string, unknown>;
}

function aseRead(path: string): AseFrame[] {
  return JSON.parse(runPython(READ, [path])) as AseFrame[];
}

/** What ASE must hold for a 2D or 3D configuration: 3-column positions, cell rows = lattice vectors. */
function expectedAse(c: Configuration): { positions: Float64Array; cell: Float64Array; pbc: boolean[] } {
  const { d, n, box } = c;
  const positions = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) positions[i * 3 + a] = c.positions[i * d + a]!;
  const cell = new Float64Array(9);
  for (let b = 0; b < 3; b++) for (let a = 0; a < 3; a++) cell[b * 3 + a] = a < d && b < d ? box.h[a * d + b]! : a === b ? 1 : 0;
  return { positions, cell, pbc: d === 2 ? [true, true, false] : [true, true, true] };
}

function check(f: AseFrame, c: Configuration, what: string): void {
  const e = expectedAse(c);
  assert.equal(f.positions, hex64(e.positions), `${what}: positions`);
  assert.equal(f.cell, hex64(e.cell), `${what}: cell`);
  assert.deepEqual(f.pbc, e.pbc, `${what}: pbc`);
  assert.deepEqual(f.type, Array.from(c.types), `${what}: type column`);
  assert.deepEqual(f.symbols, Array.from(c.types, (t) => ["H", "He"][t]), `${what}: element symbols`);
  if (c.sizes !== null) assert.equal(f.radius, hex64(Float64Array.from(c.sizes, (s) => s / 2)), `${what}: radius`);
  assert.equal(f.info.model, c.model.name, `${what}: model in info`);
}

test("ASE reads our extended XYZ to the last bit: 2D, 3D sheared, POLY, and a multi-frame file", { skip }, () => {
  const { dir, cleanup } = tempDir();
  try {
    const cases: [string, Configuration][] = [
      ["2d", randomConfig(2, 45, { name: "ipl", params: { xc: 1.48 } }, { shear: 0.09, seed: 21 })],
      ["3d", randomConfig(3, 64, { name: "pss", params: { rc: 1.2 } }, { shear: -0.3, seed: 22 })],
      ["poly", randomConfig(3, 50, { name: "poly", params: { xc: 1.25, na: 0.2 } }, { sizes: true, seed: 23 })],
      ["glass", readConfiguration(fixture("pss3d_n200.xyz"))],
    ];
    for (const [name, c] of cases) {
      const p = join(dir, `${name}.xyz`);
      writeFileSync(p, formatExtxyz(c));
      const frames = aseRead(p);
      assert.equal(frames.length, 1);
      check(frames[0]!, c, name);
    }
    const multi = join(dir, "multi.xyz");
    writeFileSync(multi, cases.map(([, c]) => formatExtxyz(c)).join(""));
    const frames = aseRead(multi);
    assert.equal(frames.length, cases.length);
    cases.forEach(([name, c], k) => check(frames[k]!, c, `multi[${k}] ${name}`));
  } finally {
    cleanup();
  }
});

test("ASE loads the mode vectors of `modes --vectors` as arrays mode_1 … mode_k; we read that file back", { skip }, () => {
  const { dir, cleanup } = tempDir();
  try {
    const out = join(dir, "modes.xyz");
    const r = spawnSync(process.execPath, [MAIN, "modes", fixture("pss3d_n200.xyz"), "--k", "3", "--vectors", out, "--json"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    const [f] = aseRead(out);
    const glass = readConfiguration(fixture("pss3d_n200.xyz"));
    check(f!, glass, "modes file");
    assert.deepEqual(Object.keys(f!.modes).sort(), ["mode_1", "mode_2", "mode_3"]);
    for (let l = 1; l <= 3; l++) {
      const v = new Float64Array(Buffer.from(f!.modes[`mode_${l}`]!, "hex").buffer.slice(0));
      let norm = 0;
      for (const x of v) norm += x * x;
      assert.ok(Math.abs(norm - 1) < 1e-12, `mode_${l} is a unit vector (${norm})`);
      assert.equal(f!.info[`omega_${l}`], result.frequencies[l - 1], `omega_${l}`);
    }
    assert.equal(readConfiguration(out).n, glass.n);
  } finally {
    cleanup();
  }
});
