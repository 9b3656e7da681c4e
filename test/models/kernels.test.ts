import { test } from "node:test";
import assert from "node:assert/strict";
import { createModel, type Model } from "../../src/models/index.js";
import { PSS_XMIN } from "../../src/models/pss.js";

/** Every model variant whose kernels we check: defaults plus the paper parameter sets. */
const VARIANTS: { name: string; params: Record<string, number> }[] = [
  { name: "qss", params: { q: 6, xc: 3.0 } },
  { name: "qss", params: { q: 8, xc: 2.5 } },
  { name: "qss", params: { q: 12, xc: 2.0 } },
  { name: "qss", params: { q: 20, xc: 1.8 } },
  { name: "qss", params: { q: 7.5, xc: 2.2 } }, // non-integer exponent: the Math.pow path
  ...[1.1, 1.15, 1.2, 1.3, 1.5].map((rc) => ({ name: "pss", params: { rc } })),
  { name: "ipl", params: {} },
  { name: "poly", params: {} },
  { name: "kablj", params: {} },
  { name: "hrz", params: {} },
];

const label = (v: { name: string; params: Record<string, number> }) =>
  [v.name, ...Object.entries(v.params).map(([k, x]) => `${k}=${x}`)].join(" ");

/** Sample points in (x_lo, x_c), away from the cutoff and from PSS's branch point. */
function samplePoints(m: Model): number[] {
  const xc = m.reduced.xc;
  const lo = m.name === "hrz" ? 0.3 : 0.85;
  const xs: number[] = [];
  for (let i = 0; i <= 60; i++) {
    const x = lo + ((xc - lo) * (i + 0.5)) / 61.5;
    if (m.name === "pss" && Math.abs(x - PSS_XMIN) < 1e-3) continue;
    xs.push(x);
  }
  return xs;
}

for (const v of VARIANTS) {
  const m = createModel(v);
  const xs = samplePoints(m);
  const out = new Float64Array(5);
  const at = (x: number, k: number) => {
    m.reduced.eval4(x, out);
    return out[k]!;
  };

  test(`${label(v)}: f', f'', f''', f'''' match central differences of the lower derivative`, () => {
    for (let k = 1; k <= 4; k++) {
      let scale = 0;
      for (const x of xs) scale = Math.max(scale, Math.abs(at(x, k)));
      for (const x of xs) {
        // Richardson-extrapolated central difference: O(h⁴) truncation error.
        const h = 1e-4 * Math.min(x, m.reduced.xc - x, m.name === "pss" ? Math.abs(x - PSS_XMIN) : Infinity);
        const d1 = (at(x + h, k - 1) - at(x - h, k - 1)) / (2 * h);
        const d2 = (at(x + 2 * h, k - 1) - at(x - 2 * h, k - 1)) / (4 * h);
        const fd = (4 * d1 - d2) / 3;
        const exact = at(x, k);
        assert.ok(
          Math.abs(fd - exact) < 1e-7 * scale,
          `f^(${k})(${x}) = ${exact}, finite difference ${fd} (scale ${scale})`,
        );
      }
    }
  });

  test(`${label(v)}: eval2Source compiles to a kernel identical to eval2; eval4 agrees with eval2`, () => {
    const src = m.reduced.eval2Source;
    assert.ok(src !== undefined, "every built-in model provides eval2Source");
    const compiled = new Function("x", "out", src) as (x: number, out: Float64Array) => void;
    const a = new Float64Array(3);
    const b = new Float64Array(3);
    const c = new Float64Array(5);
    for (let i = 0; i < 997; i++) {
      const x = 0.5 * m.reduced.xc + (0.5 * m.reduced.xc * (i + 0.25)) / 997;
      m.reduced.eval2(x, a);
      compiled(x, b);
      m.reduced.eval4(x, c);
      for (let k = 0; k < 3; k++) {
        assert.ok(Object.is(a[k], b[k]), `x=${x}: eval2 f^(${k}) = ${a[k]}, compiled source ${b[k]}`);
        assert.ok(Object.is(a[k], c[k]), `x=${x}: eval2 f^(${k}) = ${a[k]}, eval4 ${c[k]}`);
      }
    }
  });

  if (m.name !== "hrz" && m.name !== "pss") {
    test(`${label(v)}: f, f', f'' vanish at x_c`, () => {
      m.reduced.eval4(m.reduced.xc, out);
      for (let k = 0; k <= 2; k++) assert.ok(Math.abs(out[k]!) < 1e-12, `f^(${k})(x_c) = ${out[k]}`);
    });
  }
}

test("HRZ: f, f', f'' → 0 at contact x = 1 and match the closed form", () => {
  const m = createModel({ name: "hrz", params: {} });
  const out = new Float64Array(5);
  m.reduced.eval4(1, out);
  assert.equal(out[0], 0);
  assert.ok(Object.is(out[1], -0) || out[1] === 0);
  assert.equal(out[2], 0);
  m.reduced.eval4(0.75, out);
  assert.ok(Math.abs(out[0]! - Math.pow(0.25, 2.5) / 2.5) < 1e-16);
  assert.ok(Math.abs(out[1]! + Math.pow(0.25, 1.5)) < 1e-16);
});

test("PSS kernel vanishes at x_c for every rc", () => {
  const out = new Float64Array(5);
  for (const rc of [1.1, 1.15, 1.2, 1.3, 1.5]) {
    const m = createModel({ name: "pss", params: { rc } });
    m.reduced.eval4(m.reduced.xc, out);
    // Coefficients up to ~3.6e4 (rc = 1.1) cancel here: the rounding floor is ~1e−10.
    for (let k = 0; k <= 2; k++) assert.ok(Math.abs(out[k]!) < 1e-9, `rc=${rc}: f^(${k})(x_c) = ${out[k]}`);
  }
});
