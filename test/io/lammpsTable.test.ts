import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { test } from "node:test";
import { lammpsPairInclude, lammpsPairTable, tablePathFor, writeLammpsPair } from "../../src/io/lammpsTable.js";
import { createModel } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";
import { tempDir } from "./ioHelpers.js";

interface Section {
  keyword: string;
  header: string[];
  r: number[];
  e: number[];
  f: number[];
}

/** Reads a table file back the way LAMMPS does (keyword, parameter line, blank, N rows). */
function parseTable(text: string): Section[] {
  const lines = text.split("\n");
  const out: Section[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!.trim();
    if (l === "" || l.startsWith("#")) {
      i++;
      continue;
    }
    const header = lines[i + 1]!.trim().split(/\s+/);
    const n = Number(header[1]);
    const s: Section = { keyword: l, header, r: [], e: [], f: [] };
    for (let k = 0; k < n; k++) {
      const t = lines[i + 3 + k]!.trim().split(/\s+/);
      assert.equal(Number(t[0]), k + 1);
      s.r.push(Number(t[1]));
      s.e.push(Number(t[2]));
      s.f.push(Number(t[3]));
    }
    out.push(s);
    i += 3 + n;
  }
  return out;
}

function check(model: Model, N: number): Section[] {
  const { table, sections } = lammpsPairTable(model, { points: N });
  const parsed = parseTable(table);
  const scales = model.scales;
  if (scales.kind !== "types") throw new Error("type tables expected");
  const nt = scales.ntypes;
  assert.equal(parsed.length, (nt * (nt + 1)) / 2);
  const v = new Float64Array(3);
  let k = 0;
  for (let a = 0; a < nt; a++)
    for (let b = a; b < nt; b++, k++) {
      const s = parsed[k]!;
      const lam: number = scales.lambda[a * nt + b]!;
      const eps: number = scales.epsilon[a * nt + b]!;
      assert.equal(s.keyword, model.species[a]! + model.species[b]!);
      assert.equal(sections[k]!.keyword, s.keyword);
      const rlo = 0.5 * lam;
      const rhi = model.reduced.xc * lam;
      assert.deepEqual(s.header.slice(0, 4), ["N", String(N), "RSQ", String(rlo)]);
      assert.equal(Number(s.header[4]), rhi);
      assert.equal(s.header[5], "FPRIME");
      model.reduced.eval2(0.5, v);
      assert.equal(Number(s.header[6]), (-eps * v[2]!) / (lam * lam));
      assert.equal(s.r.length, N);
      for (let i = 0; i < N; i++) {
        // LAMMPS's RSQ spacing, bit for bit.
        assert.ok(Object.is(s.r[i], Math.sqrt(rlo * rlo + ((rhi * rhi - rlo * rlo) * i) / (N - 1))), `r[${i}]`);
        if (i === N - 1) {
          assert.equal(s.e[i], 0);
          assert.equal(s.f[i], 0);
          continue;
        }
        model.reduced.eval2(s.r[i]! / lam, v);
        assert.ok(Object.is(s.e[i], eps * v[0]!), `${s.keyword} e[${i}]`);
        assert.ok(Object.is(s.f[i], (-eps * v[1]!) / lam), `${s.keyword} f[${i}]`);
      }
    }
  return parsed;
}

test("LAMMPS table: exact φ and −φ' at LAMMPS's r² grid, for PSS, QSS, IPL, KABLJ (ε_AB = 1.5), HRZ", () => {
  check(createModel({ name: "pss", params: { rc: 1.2 } }), 500);
  check(createModel({ name: "qss", params: { q: 20, xc: 1.8 } }), 300);
  check(createModel({ name: "ipl", params: {} }), 300);
  const ka = check(createModel({ name: "kablj", params: {} }), 300);
  assert.deepEqual(
    ka.map((s) => s.keyword),
    ["AA", "AB", "BB"],
  );
  check(createModel({ name: "hrz", params: {} }), 300);
});

test("LAMMPS table: POLY (per-particle sizes) is refused with a clear message", () => {
  assert.throws(() => lammpsPairTable(createModel({ name: "poly", params: {} })), /model poly has per-particle sizes .* cannot be written as a finite set of LAMMPS type tables/);
});

/** LAMMPS's spline()/splint (Numerical Recipes) in s = r², as pair_style table spline uses them. */
function lammpsSpline(x: Float64Array, y: Float64Array, yp1: number, ypn: number): Float64Array {
  const n = x.length;
  const y2 = new Float64Array(n);
  const u = new Float64Array(n);
  y2[0] = -0.5;
  u[0] = (3 / (x[1]! - x[0]!)) * ((y[1]! - y[0]!) / (x[1]! - x[0]!) - yp1);
  for (let i = 1; i < n - 1; i++) {
    const sig = (x[i]! - x[i - 1]!) / (x[i + 1]! - x[i - 1]!);
    const p = sig * y2[i - 1]! + 2;
    y2[i] = (sig - 1) / p;
    u[i] = (y[i + 1]! - y[i]!) / (x[i + 1]! - x[i]!) - (y[i]! - y[i - 1]!) / (x[i]! - x[i - 1]!);
    u[i] = ((6 * u[i]!) / (x[i + 1]! - x[i - 1]!) - sig * u[i - 1]!) / p;
  }
  const un = (3 / (x[n - 1]! - x[n - 2]!)) * (ypn - (y[n - 1]! - y[n - 2]!) / (x[n - 1]! - x[n - 2]!));
  y2[n - 1] = (un - 0.5 * u[n - 2]!) / (0.5 * y2[n - 2]! + 1);
  for (let k = n - 2; k >= 0; k--) y2[k] = y2[k]! * y2[k + 1]! + u[k]!;
  return y2;
}

test("LAMMPS table: the default 40000-point spline reproduces PSS to 1e-11 in energy and 1e-7 in force (emulated)", () => {
  const model = createModel({ name: "pss", params: { rc: 1.2 } });
  const sec = parseTable(lammpsPairTable(model).table)[2]!; // BB, λ = 1.4: the widest range
  const N = sec.r.length;
  assert.equal(N, 40000);
  const lam = 1.4;
  const s = Float64Array.from(sec.r, (r) => r * r);
  const e = Float64Array.from(sec.e);
  const fr = Float64Array.from(sec.f, (f, i) => f / sec.r[i]!);
  const s0 = s[0]!;
  const delta = (s[N - 1]! - s0) / (N - 1);
  const r0 = sec.r[0]!;
  const fplo = Number(sec.header[6]);
  const e2 = lammpsSpline(s, e, -sec.f[0]! / (2 * r0), 0);
  const f2 = lammpsSpline(s, fr, (fplo / r0 - sec.f[0]! / s0) / (2 * r0), 0);
  const v = new Float64Array(3);
  let eErr = 0;
  let fErr = 0;
  const M = 50000;
  for (let k = 0; k < M; k++) {
    const r = lam * (0.85 + ((model.reduced.xc - 0.85) * (k + 0.5)) / M);
    const ss = r * r;
    const it = Math.floor((ss - s0) / delta);
    const b = (ss - s[it]!) / delta;
    const a = 1 - b;
    const d6 = (delta * delta) / 6;
    const ev = a * e[it]! + b * e[it + 1]! + ((a * a * a - a) * e2[it]! + (b * b * b - b) * e2[it + 1]!) * d6;
    const fv = (a * fr[it]! + b * fr[it + 1]! + ((a * a * a - a) * f2[it]! + (b * b * b - b) * f2[it + 1]!) * d6) * r;
    model.reduced.eval2(r / lam, v);
    eErr = Math.max(eErr, Math.abs(ev - v[0]!));
    fErr = Math.max(fErr, Math.abs(fv + v[1]! / lam));
  }
  assert.ok(eErr < 1e-11, `energy error ${eErr}`);
  assert.ok(fErr < 1e-7, `force error ${fErr}`);
});

test("LAMMPS pair include: pair_style/pair_coeff lines with the table's absolute path and the exact cutoffs", () => {
  const model = createModel({ name: "pss", params: { rc: 1.2 } });
  const exp = lammpsPairTable(model, { points: 200 });
  const text = lammpsPairInclude(model, exp, "rel/pair.table");
  const lines = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
  assert.equal(lines[0], "pair_style table spline 200");
  assert.equal(lines.length, 4);
  const [, i, j, path, kw, cut] = lines[2]!.split(" ");
  assert.equal(`${i} ${j} ${kw}`, "1 2 AB");
  assert.ok(isAbsolute(path!) && path!.endsWith("/rel/pair.table"));
  assert.equal(Number(cut), model.reduced.xc * 1.18);
  assert.equal(tablePathFor("x/pair.lmp"), join("x", "pair.table"));
  assert.equal(tablePathFor("x/p.table"), join("x", "p.table.txt"));
});

test("LAMMPS pair export writes the include file and the table beside it", () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = writeLammpsPair(join(dir, "pair.in"), createModel({ name: "ipl", params: {} }), { points: 150 });
    assert.equal(r.tablePath, join(dir, "pair.table"));
    assert.match(readFileSync(r.pairPath, "utf8"), new RegExp(`pair_coeff 1 1 ${r.tablePath} AA 1\\.48\\n`));
    assert.equal(parseTable(readFileSync(r.tablePath, "utf8")).length, 3);
  } finally {
    cleanup();
  }
});
