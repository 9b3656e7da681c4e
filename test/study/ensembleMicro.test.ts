/**
 * Microscopic ensemble statistics (SPEC §6.1–6.3, §7, §10): A_g, A_g ω0⁵, Ne0, ω_g, κ_g, η,
 * ξ_g and 𝒩 from planted per-glass results with known answers; and the measure → ensemble CLI
 * path with --modes --dipoles --decay.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Rng } from "../../src/core/rng.js";
import { ensembleStatistics } from "../../src/registry/ensemble.js";
import type { GlassResult } from "../../src/registry/types.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const GLASS3D = fileURLToPath(new URL("../../../test/fixtures/pss3d_n200.xyz", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "glassmech-ensmicro-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const N = 1000, L = 10, CS = 3, A0 = 1;
const OMEGA_PH = (2 * Math.PI * CS) / L;
const OMEGA_C = 0.75 * OMEGA_PH;
const XI = 4;

/** One planted glass: modes, dipoles with p(κ) ∝ κ¹ on (0, 100), c(r) with r⁶c peaked at ξ = 4. */
function planted(s: number, rng: Rng, below: number): GlassResult {
  const frequencies: number[] = [], participationRatios: number[] = [];
  for (let l = 0; l < below; l++) { frequencies.push(OMEGA_C * (l + 0.5) / (below + 1)); participationRatios.push(0.01); }
  for (let l = 0; l < 5; l++) { frequencies.push(OMEGA_C * (1.01 + 0.1 * l)); participationRatios.push(0.5); }
  const dipoles = Array.from({ length: 3000 }, () => ({ i: 0, j: 1, kappa: 100 * Math.sqrt(rng.uniform() || 0.5), force: 1 }));
  const r: number[] = [], c: number[] = [], se: number[] = [];
  for (let t = 0; t < 60; t++) {
    const rr = (t + 0.5) * 0.25;
    const cc = Math.pow(rr, -6) * Math.exp(-(Math.log(rr / XI) ** 2) / (2 * 0.3 * 0.3));
    r.push(rr); c.push(cc); se.push(0.01 * cc);
  }
  return {
    N, d: 3, model: "model=pss rc=1.2", boxLengths: [L, L, L], cs: CS, omega0: CS / A0, a0: A0,
    shearModulus: 10 + s, bulkModulus: 30 + s, pressure: 1, p0: 2,
    frequencies, participationRatios, dipoles,
    decay: { d: 3, binWidth: 0.25, dipoles: 100, r, c, cStdError: se, r2dC: r.map((x, t) => x ** 6 * c[t]), dipolesPerBin: r.map(() => 100), xi: null, xiStdError: null, xiWindow: null, omegaG: null },
  };
}

test("planted ensemble: A_g, A_g ω0⁵, Ne0, ω_g, κ_g, η, ξ_g and both 𝒩 have their known values", () => {
  const rng = Rng.fromSeed(17);
  const belows = [3, 5, 4];
  const results = belows.map((b, s) => planted(s, rng, b));
  const e = ensembleStatistics(results);
  for (const k of ["Ag", "AgOmega0_5", "omegaG", "kappaG", "eta", "xiG", "qlmDensity", "Ne0", "chiG", "chiK", "pKappa", "decay"]) assert.ok(k in e, `missing ${k}`);
  const nc = 12;
  const Ag = (5 * nc) / (N * 3 * OMEGA_C ** 5);
  assert.ok(Math.abs(e.Ag!.value - Ag) <= 1e-12 * Ag);
  assert.ok(Math.abs(e.Ag!.stdError - Ag / Math.sqrt(nc)) <= 1e-12 * Ag);
  assert.equal(e.Ag!.nBelow, nc);
  assert.ok(Math.abs(e.Ag!.omegaPh - OMEGA_PH) < 1e-14 && e.Ag!.fraction === 0.75);
  assert.ok(Math.abs(e.AgOmega0_5!.value - Ag * (CS / A0) ** 5) <= 1e-12 * e.AgOmega0_5!.value);
  assert.ok(Math.abs(e.Ne0!.value - 10) < 1e-9 && e.Ne0!.nModes === nc);
  const all = results.flatMap((r) => (r.dipoles as { kappa: number }[]).map((x) => x.kappa));
  const mk = all.reduce((a, b) => a + b, 0) / all.length;
  const mw = all.reduce((a, b) => a + Math.sqrt(b), 0) / all.length;
  assert.ok(Math.abs(e.kappaG!.value - mk) <= 1e-12 * mk && Math.abs(e.omegaG!.value - mw) <= 1e-12 * mw);
  assert.equal(e.omegaG!.dipoles, 9000);
  assert.ok(Math.abs(e.eta!.value - 1) < Math.max(0.15, 3 * e.eta!.stdError), `η = ${e.eta!.value} ± ${e.eta!.stdError}`);
  assert.ok(e.eta!.range[1] <= 100 && e.eta!.range[0] > 0);
  assert.ok(Math.abs(e.xiG!.value - XI) < 0.02 * XI, `ξ_g = ${e.xiG!.value}`);
  assert.ok(Math.abs(e.xiG!.omegaG - (2 * Math.PI * CS) / e.xiG!.value) < 1e-12);
  const q = e.qlmDensity!;
  assert.ok(Math.abs(q.dipole!.value - Ag * mw ** 5) <= 1e-9 * q.dipole!.value);
  assert.ok(Math.abs(q.length!.value - Ag * e.xiG!.omegaG ** 5) <= 1e-9 * q.length!.value);
  assert.deepEqual(e.microWarnings, []);
  // The pooled c(r) is the planted one (all glasses equal).
  const c10 = (results[0].decay as { c: number[] }).c[10];
  assert.ok(Math.abs(e.decay!.c[10]! - c10) <= 1e-12 * c10);
  assert.equal(e.decay!.dipolesPerBin[10], 300);
});

test("decayFrom: ξ_g, ω_g = 2π c_s/ξ_g and 𝒩 (length) come from the larger glasses, A_g from the ensemble's own", () => {
  const rng = Rng.fromSeed(5);
  const small = [3, 5].map((b, s) => {
    const r = planted(s, rng, b);
    delete r.decay; // small glasses: no c(r)
    return r;
  });
  // One large glass of the same model: c(r) peaked at ξ = 6 (stretched profile), its own c_s.
  const big = planted(0, rng, 0);
  const dec = big.decay as { r: number[]; c: number[]; r2dC: number[]; cStdError: number[] };
  for (let t = 0; t < dec.r.length; t++) {
    dec.c[t] = Math.pow(dec.r[t], -6) * Math.exp(-(Math.log(dec.r[t] / 6) ** 2) / (2 * 0.3 * 0.3));
    dec.r2dC[t] = dec.r[t] ** 6 * dec.c[t];
    dec.cStdError[t] = 0.01 * dec.c[t];
  }
  Object.assign(big, { N: 100000, cs: 2.5 });
  const own = ensembleStatistics(small);
  assert.ok(!("xiG" in own) && own.qlmDensity!.length === undefined);
  const e = ensembleStatistics(small, { decayFrom: [big] });
  assert.ok(Math.abs(e.xiG!.value - 6) < 0.02 * 6, `ξ_g = ${e.xiG!.value}`);
  assert.equal(e.xiG!.N, 100000);
  assert.equal(e.xiG!.glasses, 1);
  assert.ok(Math.abs(e.xiG!.omegaG - (2 * Math.PI * 2.5) / e.xiG!.value) < 1e-12, "c_s of the decay glasses");
  assert.ok(Math.abs(e.Ag!.value - own.Ag!.value) === 0);
  assert.ok(Math.abs(e.qlmDensity!.length!.value - e.Ag!.value * e.xiG!.omegaG ** 5) <= 1e-12 * e.qlmDensity!.length!.value);
  assert.throws(() => ensembleStatistics(small, { decayFrom: [{ ...big, model: "model=pss rc=1.5" }] }), /not of the ensemble's model/);
  assert.throws(() => ensembleStatistics(small, { decayFrom: [small[0]] }), /have c\(r\)/);
});

test("ensemble without microscopic results has no microscopic keys; incomplete modes give a warning, not a number", () => {
  const rng = Rng.fromSeed(3);
  const macro = [0, 1].map((s) => {
    const r = planted(s, rng, 2);
    delete r.frequencies; delete r.participationRatios; delete r.dipoles; delete r.decay;
    return r;
  });
  const e = ensembleStatistics(macro);
  for (const k of ["Ag", "omegaG", "xiG", "Ne0", "microWarnings"]) assert.ok(!(k in e), `unexpected ${k}`);
  const short = [0, 1].map((s) => {
    const r = planted(s, rng, 2);
    r.frequencies = (r.frequencies as number[]).slice(0, 2); // no mode reaches ω_c
    r.participationRatios = (r.participationRatios as number[]).slice(0, 2);
    return r;
  });
  const f = ensembleStatistics(short);
  assert.ok(!("Ag" in f));
  assert.ok(f.microWarnings!.some((w) => /A_g/.test(w) && /compute more eigenpairs/.test(w)), f.microWarnings!.join("; "));
  assert.ok("omegaG" in f && "Ne0" in f);
});

test("cli: measure --modes 10 --dipoles 20 --decay --json has the keys; ensemble of such results adds the microscopic set", () => {
  const r = spawnSync(process.execPath, [MAIN, "measure", GLASS3D, "--modes", "10", "--dipoles", "20", "--seed", "3", "--decay", "--json"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, any>;
  for (const k of ["shearModulus", "frequencies", "participationRatios", "omegaPh", "dipoles", "kappaMean", "omegaGMean", "dipoleInfo", "decay"]) assert.ok(k in j, `missing ${k}`);
  assert.equal(j.frequencies.length, 10);
  assert.equal(j.participationRatios.length, 10);
  assert.equal(j.dipoles.length, 20);
  for (const x of j.dipoles) assert.deepEqual(Object.keys(x).sort(), ["force", "i", "j", "kappa"]);
  assert.ok(j.frequencies.every((w: number, l: number) => w > 0 && (l === 0 || w >= j.frequencies[l - 1])));
  assert.ok(Math.abs(j.omegaPh - (2 * Math.PI * j.cs) / j.boxLengths[0]) < 1e-12 * j.omegaPh);
  assert.equal(j.decay.dipoles, 20);
  // Same seed, same dipoles.
  const r2 = spawnSync(process.execPath, [MAIN, "measure", GLASS3D, "--dipoles", "20", "--seed", "3", "--json"], { encoding: "utf8" });
  assert.deepEqual(JSON.parse(r2.stdout).dipoles, j.dipoles);
  // Text output summarizes rather than dumping objects.
  const t = spawnSync(process.execPath, [MAIN, "measure", GLASS3D, "--modes", "4", "--dipoles", "5"], { encoding: "utf8" });
  assert.equal(t.status, 0, t.stderr);
  assert.ok(/dipoles\s+5 of \d+ pairs/.test(t.stdout) && !/object Object/.test(t.stdout), t.stdout);
  assert.match(spawnSync(process.execPath, [MAIN, "measure", GLASS3D, "--dipoles", "-2"], { encoding: "utf8" }).stderr, /not a non-negative integer or "all"/);

  const f1 = join(dir, "a.json"), f2 = join(dir, "b.json");
  writeFileSync(f1, r.stdout);
  writeFileSync(f2, r.stdout);
  const e = spawnSync(process.execPath, [MAIN, "ensemble", f1, f2, "--json"], { encoding: "utf8" });
  assert.equal(e.status, 0, e.stderr);
  const s = JSON.parse(e.stdout) as Record<string, any>;
  for (const k of ["omegaG", "kappaG", "decay", "microWarnings", "chiG"]) assert.ok(k in s, `missing ${k}`);
  assert.equal(s.omegaG.dipoles, 40);
  // 10 modes of a 200-particle glass: A_g only if they reach ω_c, else a warning says so.
  const top = Math.max(...j.frequencies);
  if (top >= 0.75 * j.omegaPh) assert.ok("Ag" in s && "Ne0" in s);
  else assert.ok(s.microWarnings.some((w: string) => /A_g/.test(w)));
});
