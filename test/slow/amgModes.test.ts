/**
 * Slow validation of the factorization-free path (GLASSMECH_SLOW=1; issue 15): on an N = 10⁴
 * 3D PSS glass (r_c = 1.2, ρ = 0.6, makeGlass at T_p = auto, minimized), the 20 lowest nonzero
 * modes by LOBPCG+AMG agree with shift-invert block Lanczos (Cholesky) to 1e-8 relative in
 * frequency, and CG+AMG dipole stiffnesses agree with the Cholesky ones to 1e-8.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { smoothedAggregation } from "../../src/linalg/amg.js";
import { createModel } from "../../src/models/index.js";
import { dipoleResponses, selectDipolePairs } from "../../src/observables/dipoles.js";
import { prepareGlass } from "../../src/observables/prepare.js";
import { glassModes } from "../../src/observables/modes.js";
import { makeGlass } from "../../src/protocols/makeGlass.js";

const SLOW = !!process.env.GLASSMECH_SLOW;

test("LOBPCG+AMG reproduces the shift-invert modes of an N = 10⁴ glass to 1e-8 in frequency", { skip: !SLOW }, () => {
  const model = createModel({ name: "pss", params: { rc: 1.2 } });
  const made = makeGlass({ model, d: 3, n: 10000, density: 0.6, tp: "auto", seed: 1, time: 10 });
  const g = prepareGlass(made.config, model);
  const M = g.hessian;
  const { positions, box } = made.config;
  const k = 20;
  const direct = glassModes(M, k, { path: "direct", positions, box });
  const amg = smoothedAggregation(M);
  const it = glassModes(M, k, { path: "iterative", amg, positions, box });
  assert.equal(direct.method, "shift-invert block Lanczos");
  assert.equal(it.method, "LOBPCG+AMG");
  let worst = 0;
  for (let l = 0; l < k; l++) worst = Math.max(worst, Math.abs(it.frequencies[l] / direct.frequencies[l] - 1));
  console.log(`N = 10⁴: ${it.iterations} LOBPCG iterations, worst relative frequency difference ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-8, `worst relative frequency difference ${worst}`);

  const sel = selectDipolePairs(g.records, { count: 8, seed: 1 });
  const chol = dipoleResponses(M, g.records, sel.pairs, { solver: "cholesky", positions, box });
  const cg = dipoleResponses(M, g.records, sel.pairs, { solver: "cg", amg });
  assert.equal(cg.method, "CG+AMG");
  for (let t = 0; t < sel.pairs.length; t++) assert.ok(Math.abs(cg.kappa[t] / chol.kappa[t] - 1) < 1e-8, `κ ${cg.kappa[t]} vs ${chol.kappa[t]}`);
});
