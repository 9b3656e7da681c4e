import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng } from "../../src/core/rng.js";
import type { PairRecords } from "../../src/forces/types.js";
import { assembleHessian } from "../../src/hessian/assemble.js";
import { blockMatVec } from "../../src/linalg/blockMatrix.js";
import { blockToDense } from "../../src/linalg/dense.js";
import {
  readMatrixMarket,
  readMatrixMarketBlock,
  readVectorMarket,
  writeMatrixMarket,
  writeVectorMarket,
} from "../../src/io/matrixMarket.js";

function records(n: number, d: number, count: number, rng: Rng): PairRecords {
  const i = new Int32Array(count);
  const j = new Int32Array(count);
  const delta = new Float64Array(count * d);
  const r = new Float64Array(count);
  const dphi = new Float64Array(count);
  const d2phi = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    i[p] = rng.int(n);
    j[p] = (i[p] + 1 + rng.int(n - 1)) % n;
    let s = 0;
    for (let a = 0; a < d; a++) {
      delta[p * d + a] = rng.normal();
      s += delta[p * d + a] ** 2;
    }
    r[p] = Math.sqrt(s);
    dphi[p] = rng.normal() * 1e-7; // awkward magnitudes exercise the number format
    d2phi[p] = rng.normal() * 1e5;
  }
  return { d, count, i, j, delta, r, dphi, d2phi };
}

const dir = mkdtempSync(join(tmpdir(), "glassmech-mm-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("Hessian round-trips bit for bit (symmetric lower triangle and general)", () => {
  const rng = Rng.fromSeed(31);
  for (const d of [2, 3, 4]) {
    const n = 20;
    const M = assembleHessian(records(n, d, 60, rng), n);
    const dense = blockToDense(M);
    for (const symmetric of [true, false]) {
      const path = join(dir, `h${d}${symmetric}.mtx`);
      writeMatrixMarket(path, M, { symmetric, comments: ["test matrix"] });
      const text = readFileSync(path, "utf8");
      assert.ok(text.startsWith(`%%MatrixMarket matrix coordinate real ${symmetric ? "symmetric" : "general"}\n`));
      const raw = readMatrixMarket(path);
      assert.equal(raw.rows, n * d);
      if (symmetric) for (let q = 0; q < raw.values.length; q++) assert.ok(raw.rowIndex[q] >= raw.colIndex[q], "lower triangle only");
      const back = readMatrixMarketBlock(path, d);
      assert.deepEqual(back.rowPtr, M.rowPtr);
      assert.deepEqual(back.colIdx, M.colIdx);
      assert.deepEqual(blockToDense(back), dense); // exact equality: shortest round-trip numbers
    }
  }
});

test("vector round-trips bit for bit", () => {
  const rng = Rng.fromSeed(32);
  const v = Float64Array.from({ length: 3001 }, () => rng.normal() * 10 ** rng.int(30) * 1e-15);
  v[5] = 0;
  v[6] = -0;
  v[7] = 5e-324;
  const path = join(dir, "v.mtx");
  writeVectorMarket(path, v, ["a vector"]);
  const back = readVectorMarket(path);
  assert.equal(back.length, v.length);
  for (let k = 0; k < v.length; k++) if (k !== 6) assert.equal(back[k], v[k]);
});

test("bad files get one clear error with file and line", () => {
  const bad = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  assert.throws(() => readMatrixMarket(bad("a.mtx", "hello\n")), /a\.mtx:1: not a Matrix Market file/);
  assert.throws(
    () => readMatrixMarket(bad("b.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 3.0\n1 x 2\n")),
    /b\.mtx:4: column index 'x' is not a finite number/,
  );
  assert.throws(
    () => readMatrixMarket(bad("c.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 3.0\n")),
    /c\.mtx: announced 2 entries but found 1/,
  );
  assert.throws(
    () => readMatrixMarket(bad("d.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n3 1 3.0\n")),
    /d\.mtx:3: entry \(3, 1\) outside the 2×2 matrix/,
  );
  assert.throws(
    () => readMatrixMarket(bad("e.mtx", "%%MatrixMarket matrix coordinate complex general\n2 2 1\n1 1 3.0 1\n")),
    /unsupported Matrix Market field 'complex'/,
  );
  assert.throws(() => readMatrixMarketBlock(bad("f.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 0\n"), 2), /not a multiple of the block size d = 2/);
  assert.throws(() => readVectorMarket(bad("g.mtx", "%%MatrixMarket matrix array real general\n3 1\n1\n2\n")), /announced 3 values but found 2/);
});

const hasScipy = spawnSync("python3", ["-c", "import scipy.io"], { encoding: "utf8" }).status === 0;

test("scipy.io.mmread reads our files (M·v agrees)", { skip: !hasScipy && "python3 with scipy not available" }, () => {
  const rng = Rng.fromSeed(33);
  const d = 3;
  const n = 30;
  const M = assembleHessian(records(n, d, 90, rng), n);
  const v = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = new Float64Array(n * d);
  blockMatVec(M, v, y);
  const pm = join(dir, "m.mtx");
  const pv = join(dir, "v.mtx");
  const py = join(dir, "y.mtx");
  writeMatrixMarket(pm, M);
  writeVectorMarket(pv, v);
  const script = [
    "import sys, numpy as np, scipy.io",
    "M = scipy.io.mmread(sys.argv[1]).tocsr()",
    "v = np.asarray(scipy.io.mmread(sys.argv[2])).ravel()",
    "assert (M - M.T).count_nonzero() == 0",
    "scipy.io.mmwrite(sys.argv[3], (M @ v).reshape(-1, 1), precision=17)",
  ].join("\n");
  const res = spawnSync("python3", ["-c", script, pm, pv, py], { encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr);
  const ys = readVectorMarket(py);
  let err = 0;
  let scale = 0;
  for (let k = 0; k < y.length; k++) {
    err = Math.max(err, Math.abs(ys[k] - y[k]));
    scale = Math.max(scale, Math.abs(y[k]));
  }
  assert.ok(err <= 1e-13 * scale, `scipy M·v differs by ${err}`);
});
