import { test } from "node:test";
import assert from "node:assert/strict";
import { createModel } from "../../src/models/index.js";
import { QSS_PAPER_SETS, qssCoefficients } from "../../src/models/qss.js";

test("QSS: f, f', f'' vanish at x_c for the four paper (q, x_c)", () => {
  const out = new Float64Array(5);
  for (const { q, xc, density } of QSS_PAPER_SETS) {
    const m = createModel({ name: "qss", params: { q, xc } });
    assert.equal(m.reduced.xc, xc);
    assert.equal(m.defaultDensity(3), density);
    m.reduced.eval4(xc, out);
    for (let k = 0; k <= 2; k++) assert.ok(Math.abs(out[k]!) < 1e-13, `q=${q}: f^(${k})(x_c) = ${out[k]}`);
    // The minimum near x = 1 has depth ≈ 1 (smoothing shifts it slightly).
    m.reduced.eval2(1, out);
    assert.ok(out[0]! < -0.9 && out[0]! > -1.1, `q=${q}: f(1) = ${out[0]}`);
  }
});

test("QSS: c2, c4 agree with seed 001 Eq. B1; its printed c0 does not (SPEC §9 misprint)", () => {
  for (const { q, xc } of QSS_PAPER_SETS) {
    const c = qssCoefficients(q, xc);
    const xq = Math.pow(xc, q);
    const c2 = -0.5 * q * Math.pow(xc, -2 * (q + 1)) * ((4 + q) * xq - 2 * (q + 2));
    const c4 = 0.25 * q * Math.pow(xc, -2 * (2 + q)) * ((2 + q) * xq - 2 * (q + 1));
    const c0Printed = 0.25 * Math.pow(xc, -2 * q) * (2 + q) * (4 * q * xq - 2 * (q + 1));
    assert.ok(Math.abs(c.c2 - c2) < 1e-12 * Math.abs(c2), `q=${q}: c2 ${c.c2} vs B1 ${c2}`);
    assert.ok(Math.abs(c.c4 - c4) < 1e-12 * Math.abs(c4), `q=${q}: c4 ${c.c4} vs B1 ${c4}`);
    assert.ok(Math.abs(c.c0 - c0Printed) > 1e-3 * Math.abs(c.c0), `q=${q}: printed c0 unexpectedly right`);
  }
});

test("QSS defaults: q = 12, xc = 2.0, density 0.698", () => {
  const m = createModel({ name: "qss", params: {} });
  assert.deepEqual(m.params, { q: 12, xc: 2 });
  assert.equal(m.defaultDensity(3), 0.698);
});
