/**
 * GSD against Debian's python3-gsd (its C file layer and gsd.hoomd): files glassmech writes read
 * there bit for bit (float32 HOOMD chunks = fl32 of ours, exact float64 log chunks = ours), and
 * files gsd.hoomd writes read here bit for bit; a HOOMD file read, rewritten by glassmech and read
 * again by gsd.hoomd gives back the same float32 positions, box, types and diameters. The CLI's
 * make / md / convert / info read and write .gsd. Skips without python3-gsd (see tools.ts).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Configuration } from "../../src/core/configuration.js";
import { formatGsdFrames, parseGsd } from "../../src/io/gsdHoomd.js";
import { readConfiguration, writeConfiguration } from "../../src/io/readConfiguration.js";
import { formatDescriptor } from "../../src/core/descriptor.js";
import { assertSameConfiguration, randomConfig, tempDir } from "./ioHelpers.js";
import { hex32, hex64, runPython, toolSkip } from "./tools.js";

const skip = toolSkip("gsd");
const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

/** Every frame of a GSD file as gsd.hoomd sees it, arrays as little-endian hex. */
const DUMP = `
import sys, json, gsd.hoomd, gsd.fl, numpy as np
h = lambda a, t: np.ascontiguousarray(a, dtype=t).tobytes().hex()
out = []
with gsd.fl.open(sys.argv[1], 'rb') as fl:
    present = [set(n for n in fl.find_matching_chunk_names('') if fl.chunk_exists(k, n)) for k in range(fl.nframes)]
with gsd.hoomd.open(sys.argv[1], 'rb') as t:
    for k, f in enumerate(t):
        p = f.particles
        out.append(dict(N=int(p.N), dim=int(f.configuration.dimensions), step=int(f.configuration.step),
            box=h(f.configuration.box, np.float32), types=list(p.types), typeid=[int(x) for x in p.typeid],
            position=h(p.position, np.float32), diameter=h(p.diameter, np.float32), velocity=h(p.velocity, np.float32),
            log={k2: (bytes(np.asarray(v, dtype=np.uint8)).decode() if k2 == 'glassmech/model' else h(v, np.float64)) for k2, v in f.log.items()},
            present=sorted(present[k])))
print(json.dumps(out))
`;

interface PyFrame {
  N: number;
  dim: number;
  step: number;
  box: string;
  types: string[];
  typeid: number[];
  position: string;
  diameter: string;
  velocity: string;
  log: Record<string, string>;
  present: string[];
}

function pyRead(path: string): PyFrame[] {
  return JSON.parse(runPython(DUMP, [path])) as PyFrame[];
}

/** What HOOMD's float32 chunks must hold for a configuration (the rule of src/io/gsdHoomd.ts). */
function expected32(c: Configuration): { box: Float32Array; position: Float32Array } {
  const { d, h } = c.box;
  const half = [0, 0, 0];
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) half[a] += 0.5 * h[a * d + b]!;
  const position = new Float32Array(c.n * 3);
  for (let i = 0; i < c.n; i++) for (let a = 0; a < d; a++) position[i * 3 + a] = c.positions[i * d + a]! - half[a]!;
  const Lz = d === 3 ? h[8]! : 0;
  const box = Float32Array.from([h[0]!, h[d + 1]!, Lz, h[1]! / h[d + 1]!, d === 3 ? h[2]! / Lz : 0, d === 3 ? h[5]! / Lz : 0]);
  return { box, position };
}

test("gsd → python3-gsd: glassmech files read bit for bit (2D, 3D sheared, POLY with velocities, 2 frames)", { skip }, () => {
  const { dir, cleanup } = tempDir();
  try {
    const cases: { name: string; config: Configuration; velocities?: Float64Array }[] = [
      { name: "pss2d", config: randomConfig(2, 50, { name: "pss", params: { rc: 1.2 } }, { shear: 0.13, seed: 3 }) },
      { name: "pss3d", config: randomConfig(3, 70, { name: "pss", params: { rc: 1.5 } }, { shear: -0.21, seed: 4 }) },
    ];
    const poly = randomConfig(3, 40, { name: "poly", params: { xc: 1.25, na: 0.2 } }, { sizes: true, seed: 6 });
    cases.push({ name: "poly", config: poly, velocities: Float64Array.from({ length: 120 }, (_, k) => Math.cos(k * 0.71)) });
    for (const { name, config, velocities } of cases) {
      const p = join(dir, `${name}.gsd`);
      writeConfiguration(p, config, undefined, velocities === undefined ? {} : { velocities });
      const [f] = pyRead(p);
      const e = expected32(config);
      assert.equal(f!.N, config.n, name);
      assert.equal(f!.dim, config.d, name);
      assert.equal(f!.box, hex32(e.box), `${name}: box`);
      assert.equal(f!.position, hex32(e.position), `${name}: position`);
      assert.deepEqual(f!.typeid, Array.from(config.types), `${name}: typeid`);
      assert.deepEqual(f!.types, name === "poly" ? ["A"] : ["A", "B"], `${name}: types`);
      assert.equal(f!.log["glassmech/model"], formatDescriptor(config.model), `${name}: model`);
      assert.equal(f!.log["glassmech/position"], hex64(config.positions), `${name}: exact positions`);
      assert.equal(f!.log["glassmech/box"], hex64(config.box.h), `${name}: exact box`);
      if (config.sizes !== null) {
        assert.equal(f!.diameter, hex32(config.sizes), `${name}: diameter`);
        assert.equal(f!.log["glassmech/diameter"], hex64(config.sizes), `${name}: exact diameter`);
      }
      if (velocities !== undefined) {
        assert.equal(f!.velocity, hex32(velocities), `${name}: velocity`);
        assert.equal(f!.log["glassmech/velocity"], hex64(velocities), `${name}: exact velocity`);
      }
    }
    // Two frames in one file: gsd.hoomd sees both, with their steps.
    const [a, b] = [cases[0]!.config, randomConfig(2, 50, { name: "pss", params: { rc: 1.2 } }, { seed: 8 })];
    const p = join(dir, "two.gsd");
    writeFileSync(p, formatGsdFrames([{ config: a }, { config: b, options: { step: 500 } }]));
    const two = pyRead(p);
    assert.equal(two.length, 2);
    assert.equal(two[1]!.step, 500);
    assert.equal(two[0]!.position, hex32(expected32(a).position));
    assert.equal(two[1]!.position, hex32(expected32(b).position));
    assert.equal(two[1]!.log["glassmech/position"], hex64(b.positions));
  } finally {
    cleanup();
  }
});

/** gsd.hoomd writes two frames (frame 1 only moves the particles) of a triclinic binary and a POLY file. */
const WRITE = `
import sys, json, gsd.hoomd, numpy as np
rng = np.random.default_rng(2024)
h = lambda a, t: np.ascontiguousarray(a, dtype=t).tobytes().hex()
Frame = getattr(gsd.hoomd, 'Frame', None) or gsd.hoomd.Snapshot
def frame(N, box, dim, types, typeid, diam, vel):
    f = Frame()
    f.configuration.box = box
    f.configuration.dimensions = dim
    f.particles.N = N
    f.particles.types = types
    f.particles.typeid = typeid
    L = np.array(box[:3], dtype=np.float64)
    s = rng.uniform(-0.5, 0.5, size=(N, 3))
    if dim == 2: s[:, 2] = 0
    # positions in the triclinic cell: r = h·s with HOOMD's h
    hm = np.array([[box[0], box[3]*box[1], box[4]*box[2]], [0, box[1], box[5]*box[2]], [0, 0, box[2]]])
    f.particles.position = (s @ hm.T).astype(np.float32)
    if diam is not None: f.particles.diameter = diam
    if vel: f.particles.velocity = rng.normal(size=(N, 3)).astype(np.float32) * (np.array([1, 1, 0]) if dim == 2 else 1)
    return f
out = {}
a = frame(60, [5.5, 6.25, 7.125, 0.125, -0.25, 0.0625], 3, ['A', 'B'], rng.integers(0, 2, 60), None, True)
a2 = Frame(); a2.particles.N = 60; a2.particles.position = (np.asarray(a.particles.position) * np.float32(0.5)).astype(np.float32)
b = frame(30, [6.0, 6.0, 0.0, 0.2, 0, 0], 2, ['A'], np.zeros(30, dtype=int), rng.uniform(0.8, 1.3, 30).astype(np.float32), False)
for name, frames in (('tri', [a, a2]), ('poly2d', [b])):
    with gsd.hoomd.open(sys.argv[1] + '/' + name + '.gsd', 'wb') as t:
        for f in frames: t.append(f)
print('ok')
`;

test("python3-gsd → gsd: HOOMD files read bit for bit, and survive a glassmech rewrite unchanged", { skip }, () => {
  const { dir, cleanup } = tempDir();
  try {
    runPython(WRITE, [dir]);
    for (const [name, model, frames] of [["tri", { model: "pss" }, [0, 1]], ["poly2d", { model: "poly" }, [0]]] as const) {
      const src = join(dir, `${name}.gsd`);
      const orig = pyRead(src);
      for (const k of frames) {
        const f = parseGsd(new Uint8Array(readFileSync(src)), src, { frame: k });
        assert.equal(f.exact, false);
        const c = readConfiguration(src, { ...model, frame: k });
        // Our positions are HOOMD's plus h·½, done in float64 from the float32 values.
        const e = expected32(c);
        assert.equal(hex32(e.position), orig[k]!.position, `${name}[${k}]: positions`);
        assert.equal(hex32(e.box), orig[k]!.box, `${name}[${k}]: box`);
        assert.deepEqual(Array.from(c.types), orig[0]!.typeid, `${name}[${k}]: types (frame-0 fallback)`);
        if (name === "tri") assert.equal(hex32(f.velocities!), orig[k]!.velocity, `${name}[${k}]: velocities`);
        if (name === "poly2d") assert.equal(hex32(c.sizes!), orig[k]!.diameter, `${name}: diameters`);
        // Rewritten by glassmech, read by gsd.hoomd: the same float32 data.
        const back = join(dir, `${name}-${k}.gsd`);
        writeConfiguration(back, c, undefined, f.velocities === null ? {} : { velocities: f.velocities });
        const [r] = pyRead(back);
        for (const key of ["position", "box", "typeid", "types", "N", "dim"] as const) assert.deepEqual(r![key], orig[k]![key], `${name}[${k}] rewrite: ${key}`);
        if (name === "poly2d") assert.equal(r!.diameter, orig[k]!.diameter);
        if (name === "tri") assert.equal(r!.velocity, orig[k]!.velocity);
        // And that file reads back here exactly as c.
        assertSameConfiguration(readConfiguration(back), c, `${name}[${k}] rewrite`);
      }
    }
  } finally {
    cleanup();
  }
});

test("CLI: make -o .gsd, info, md with .gsd in and out (velocities stored), convert .gsd ↔ .xyz", { skip }, () => {
  const { dir, cleanup } = tempDir();
  try {
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", cwd: dir });
      assert.equal(r.status, 0, `${args.join(" ")}: ${r.stderr}`);
      return r.stdout;
    };
    run("make", "--model", "ipl", "--d", "2", "--n", "40", "--tp", "1", "--time", "1", "--seed", "2", "--quiet", "-o", "g.gsd");
    run("make", "--model", "ipl", "--d", "2", "--n", "40", "--tp", "1", "--time", "1", "--seed", "2", "--quiet", "-o", "g.xyz");
    assertSameConfiguration(readConfiguration(join(dir, "g.gsd")), readConfiguration(join(dir, "g.xyz")), "make .gsd = make .xyz");
    const info = JSON.parse(run("info", "g.gsd", "--json"));
    assert.equal(info.N, 40);
    run("md", "g.gsd", "hot.gsd", "--t", "0.5", "--steps", "20", "--quiet");
    const [hot] = pyRead(join(dir, "hot.gsd"));
    assert.ok(hot!.present.includes("particles/velocity") && hot!.step === 20, "md stores velocities and the step");
    run("convert", "hot.gsd", "hot.xyz");
    run("convert", "hot.xyz", "hot2.gsd");
    assertSameConfiguration(readConfiguration(join(dir, "hot2.gsd")), readConfiguration(join(dir, "hot.gsd")), "convert");
  } finally {
    cleanup();
  }
});
