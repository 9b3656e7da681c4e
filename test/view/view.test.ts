/**
 * The viewer (src/view/): the packed scene data decode back to the glass and its field, 2D and
 * 4D are reduced as documented, fields come from modes, dipoles and files, and `glassmech view`
 * writes one self-contained page (the page itself is exercised in a browser by test-browser/).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Box } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { Rng } from "../../src/core/rng.js";
import { writeVectorMarket } from "../../src/io/matrixMarket.js";
import { readConfiguration } from "../../src/io/readConfiguration.js";
import { blockMatVec } from "../../src/linalg/blockMatrix.js";
import { parseDescriptor } from "../../src/core/descriptor.js";
import { createModel } from "../../src/models/index.js";
import { prepareGlass } from "../../src/observables/prepare.js";
import { glassModes } from "../../src/observables/modes.js";
import { dipoleField, fieldGlass, fileField, modeField } from "../../src/view/fields.js";
import { pageScript } from "../../src/view/html.js";
import { buildViewData } from "../../src/view/scene.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const GLASS3 = fileURLToPath(new URL("../../../test/fixtures/pss3d_n200.xyz", import.meta.url));
const GLASS2 = fileURLToPath(new URL("../../../test/fixtures/ipl2d_n100.xyz", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "glassmech-view-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", cwd: dir });
const bytes = (s: string): Buffer => Buffer.from(s, "base64");
const u16 = (s: string): Uint16Array => { const b = bytes(s); return new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2); };
const i16 = (s: string): Int16Array => { const b = bytes(s); return new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)); };

test("scene data decode to the glass's fractional coordinates (to 1/65535) and the field's direction (to 1e-4)", () => {
  const c = readConfiguration(GLASS3);
  const model = createModel(c.model);
  const v = Float64Array.from({ length: c.n * 3 }, (_, k) => Math.sin(k * 0.37) * (k % 7 === 0 ? 5 : 1));
  const data = buildViewData(c, model, [{ name: "test", info: "", vector: v }]);
  assert.equal(data.n, c.n);
  assert.deepEqual(data.notes, []);
  const s = u16(data.positions);
  const L = c.box.lengths();
  for (let i = 0; i < c.n; i++)
    for (let a = 0; a < 3; a++) {
      const f = c.positions[i * 3 + a] / L[a];
      const want = f - Math.floor(f);
      const err = Math.abs(s[i * 3 + a] / 65535 - want);
      assert.ok(Math.min(err, 1 - err) <= 0.5 / 65535 + 1e-12, `particle ${i} axis ${a}`);
    }
  const q = i16(data.fields[0].vectors);
  const max = Math.max(...v.map(Math.abs));
  assert.equal(data.fields[0].componentScale, max);
  for (let k = 0; k < v.length; k++) assert.ok(Math.abs((q[k] / 32767) * max - v[k]) <= max / 32767, `component ${k}`);
  assert.deepEqual(Array.from(bytes(data.types)), Array.from(c.types));
  assert.deepEqual(data.typeRadius, [0.5, 0.7], "PSS: λ_AA = 1, λ_BB = 1.4");
  assert.throws(() => buildViewData(c, model, [{ name: "short", info: "", vector: new Float64Array(3) }]), /N·d = 600/);
  assert.throws(() => buildViewData(c, model, [{ name: "zero", info: "", vector: new Float64Array(600) }]), /is zero/);
});

test("2D is drawn flat (z = 0) with a note; 4D as a slice of the fourth axis with a note", () => {
  const c2 = readConfiguration(GLASS2);
  const d2 = buildViewData(c2, createModel(c2.model), []);
  assert.equal(d2.cell[8], 0);
  const s2 = u16(d2.positions);
  for (let i = 0; i < c2.n; i++) assert.equal(s2[i * 3 + 2], 0);
  assert.match(d2.notes[0], /2D glass: drawn flat/);

  const n = 400, L = 5;
  const rng = Rng.fromSeed(4);
  const c4: Configuration = {
    d: 4, n, box: Box.cubic(4, L), positions: Float64Array.from({ length: 4 * n }, () => rng.uniform() * L),
    types: new Int32Array(n), sizes: null, model: parseDescriptor("model=pss rc=1.2"),
  };
  const v = Float64Array.from({ length: 4 * n }, (_, k) => (k % 4 === 3 ? 100 : 1));
  const d4 = buildViewData(c4, createModel(c4.model), [{ name: "f", info: "", vector: v }], { slice: 1 });
  let inSlice = 0;
  for (let i = 0; i < n; i++) if (Math.abs(c4.positions[i * 4 + 3] / L - 0.5) < 1 / (2 * L)) inSlice++;
  assert.ok(inSlice > 0 && inSlice < n);
  assert.equal(d4.n, inSlice);
  assert.equal(d4.nTotal, n);
  assert.match(d4.notes[0], new RegExp(`4D glass: the 3D slice .* \\(${inSlice} of ${n} particles\\); .*fourth is dropped`));
  // The fourth component (100) is dropped: the shown field is (1, 1, 1) everywhere.
  assert.equal(d4.fields[0].componentScale, 1);
  assert.ok(Math.abs(d4.fields[0].maxNorm - Math.sqrt(3)) < 1e-12);
});

test("mode and dipole fields are the eigenvector and the response; file fields read back bit for bit", () => {
  const c = readConfiguration(GLASS3);
  const g = prepareGlass(c, createModel(c.model));
  const fg = fieldGlass(g);
  assert.ok(fg.factor !== undefined, "N = 200: one Cholesky factor shared by modes and dipoles");
  const f = modeField(fg, 2);
  const m = glassModes(g.hessian, 2);
  const ref = m.vectors.subarray(600, 1200);
  const dot = f.vector.reduce((s, x, k) => s + x * ref[k], 0);
  assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-8, `mode 2 overlaps the reference by ${dot}`);
  assert.match(f.info, new RegExp(`^ω = ${m.frequencies[1].toPrecision(3)} `));
  const z = dipoleField(fg, 86, 45);
  assert.match(z.name, /dipole response \(45, 86\)/);
  // z = M⁺ d: M z = d, a unit vector ±n on 45 and 86, zero elsewhere.
  const y = new Float64Array(600);
  blockMatVec(g.hessian, z.vector, y);
  for (let i = 0; i < c.n; i++) {
    const norm = Math.hypot(y[3 * i], y[3 * i + 1], y[3 * i + 2]);
    assert.ok(i === 45 || i === 86 ? Math.abs(norm - 1) < 1e-8 : norm < 1e-8, `(M z)_${i} = ${norm}`);
  }
  for (let a = 0; a < 3; a++) assert.ok(Math.abs(y[3 * 45 + a] + y[3 * 86 + a]) < 1e-8);
  assert.throws(() => dipoleField(fg, 0, 1), /particles 0 and 1 do not interact/);
  assert.throws(() => modeField(fg, 0), /positive integer/);

  const mtx = join(dir, "mode.mtx");
  writeVectorMarket(mtx, f.vector);
  assert.deepEqual(fileField(mtx, c.n, 3, "qlm").vector, f.vector);
  const lines = readFileSync(GLASS3, "utf8").split("\n");
  const xyz = join(dir, "with-qlm.xyz");
  const header = lines[1].replace("Properties=species:S:1:pos:R:3:type:I:1", "Properties=species:S:1:pos:R:3:type:I:1:qlm:R:3");
  assert.notEqual(header, lines[1]);
  writeFileSync(xyz, [lines[0], header, ...lines.slice(2, 2 + c.n).map((l, i) => `${l} ${f.vector[3 * i]} ${f.vector[3 * i + 1]} ${f.vector[3 * i + 2]}`)].join("\n") + "\n");
  assert.deepEqual(fileField(xyz, c.n, 3, "qlm").vector, f.vector, "the first real vector column besides pos");
  assert.deepEqual(fileField(xyz, c.n, 3, "qlm", "qlm").vector, f.vector);
  assert.throws(() => fileField(xyz, c.n, 3, "qlm", "nope"), /no column 'nope'/);
  assert.throws(() => fileField(GLASS3, c.n, 3, "qlm"), /no vector column/);
  assert.throws(() => fileField(mtx, 100, 3, "qlm"), /has 600 values; the glass needs N·d = 300/);
  assert.throws(() => fileField(join(dir, "x.txt"), 100, 3, "qlm"), /Matrix Market vector \(\.mtx\) or an extended-XYZ/);
});

test("glassmech view writes one self-contained page; --qlm without a file and a non-interacting dipole fail with one line", () => {
  const r = run("view", GLASS3, "--mode", "1", "--dipole", "45,86", "-o", "v.html");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^view: v\.html \(N = 200, d = 3; softest mode: ω = [\d.]+ .*; dipole response \(45, 86\): κ = /);
  const html = readFileSync(join(dir, "v.html"), "utf8");
  assert.ok(!/\bsrc=|https?:\/\/|<link|import\(|fetch\(/.test(html), "no network, no external file");
  assert.ok(html.includes('<script type="application/json" id="view-data">') && html.includes(pageScript()));
  const json = JSON.parse(/id="view-data">(.*?)<\/script>/s.exec(html)![1]);
  assert.deepEqual(json.fields.map((f: { name: string }) => f.name), ["softest mode", "dipole response (45, 86)"]);

  const mtx = join(dir, "q.mtx");
  writeVectorMarket(mtx, Float64Array.from({ length: 600 }, (_, k) => Math.cos(k)));
  const q = run("view", GLASS3, "--qlm", mtx, "-o", "q.html");
  assert.equal(q.status, 0, q.stderr);
  assert.match(q.stdout, /quartic mode \(QLM\): from /);

  const none = run("view", GLASS3, "--qlm");
  assert.equal(none.status, 2);
  assert.match(none.stderr, /^glassmech: view: --qlm needs the quartic mode as a file: compute it with glassmech qlm GLASS --out mode\.xyz, then --qlm mode\.xyz .*\n$/);
  const bad = run("view", GLASS3, "--dipole", "0,1");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^glassmech: .*pss3d_n200\.xyz: view: particles 0 and 1 do not interact.*\n$/);
  const syntax = run("view", GLASS3, "--dipole", "3");
  assert.equal(syntax.status, 2);
  assert.match(syntax.stderr, /--dipole wants two particle indices 'i,j'/);
});

test("the page script is a classic script (no module syntax) inlined in one function scope", () => {
  const js = pageScript();
  assert.ok(js.startsWith("(function () {") && js.trimEnd().endsWith("})();"));
  assert.ok(!/^\s*(import|export)\s/m.test(js));
  assert.ok(js.includes("glassmechView") && js.includes("mat4Perspective"));
});

test("POLY glasses carry per-particle radii λ_i/2", () => {
  const n = 50, rng = Rng.fromSeed(9);
  const model = createModel(parseDescriptor("model=poly"));
  const sizes = model.sampleSizes!(n, () => rng.uniform());
  const c: Configuration = { d: 3, n, box: Box.cubic(3, 4), positions: Float64Array.from({ length: 3 * n }, () => rng.uniform() * 4), types: new Int32Array(n), sizes, model: parseDescriptor("model=poly") };
  const data = buildViewData(c, model, []);
  const b = bytes(data.radii!);
  const r = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  assert.deepEqual(Array.from(r), Array.from(sizes, (s) => Math.fround(s / 2)));
});
