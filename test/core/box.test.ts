import { test } from "node:test";
import assert from "node:assert/strict";
import { Box, affineTransform, shearMatrix } from "../../src/core/box.js";
import { GlassmechError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";

test("orthorhombic box: volume, widths, minimum image per axis", () => {
  const box = Box.orthorhombic([2, 3, 5]);
  assert.equal(box.shape, "orthorhombic");
  assert.equal(box.volume, 30);
  assert.deepEqual(Array.from(box.perpendicularWidths()), [2, 3, 5]);
  const v = new Float64Array([1.5, -2.0, 7.4]);
  box.minimumImage(v);
  assert.ok(Math.abs(v[0] + 0.5) < 1e-15 && Math.abs(v[1] - 1.0) < 1e-15 && Math.abs(v[2] - 2.4) < 1e-12);
});

test("forDensity gives N/V = density in d = 2, 3, 4", () => {
  for (const d of [2, 3, 4]) {
    const box = Box.forDensity(d, 1000, 0.6);
    assert.ok(Math.abs(1000 / box.volume - 0.6) < 1e-12);
  }
});

test("sheared box: minimum image returns the shortest lattice-equivalent vector", () => {
  const rng = Rng.fromSeed(3);
  for (const d of [2, 3, 4]) {
    const box = Box.cubic(d, 4).sheared(0.1, 0, 1);
    assert.equal(box.shape, "general");
    assert.ok(Math.abs(box.volume - 4 ** d) < 1e-9, "simple shear preserves volume");
    for (let t = 0; t < 200; t++) {
      const v = new Float64Array(d);
      for (let a = 0; a < d; a++) v[a] = (rng.uniform() - 0.5) * 1.5; // short vectors
      const shifted = Float64Array.from(v);
      // add a random lattice vector h·k
      const k = Array.from({ length: d }, () => rng.int(5) - 2);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) shifted[a] += box.h[a * d + b] * k[b];
      box.minimumImage(shifted);
      for (let a = 0; a < d; a++) assert.ok(Math.abs(shifted[a] - v[a]) < 1e-12, `d=${d} component ${a}`);
    }
  }
});

test("affine strain maps particles and box together (fractional coordinates unchanged)", () => {
  const d = 3;
  const box = Box.orthorhombic([3, 4, 5]);
  const x = new Float64Array([0.3, 3.9, 2.2, 2.9, 0.1, 4.8]);
  const F = shearMatrix(d, 0.05, 0, 1);
  const y = affineTransform(d, x, F);
  const strained = box.deformed(F);
  const s0 = new Float64Array(d), s1 = new Float64Array(d);
  for (let i = 0; i < 2; i++) {
    box.toFractional(x, i * d, s0);
    strained.toFractional(y, i * d, s1);
    for (let a = 0; a < d; a++) assert.ok(Math.abs(s0[a] - s1[a]) < 1e-14);
  }
  const e = box.expanded(0.01);
  assert.ok(Math.abs(e.volume / box.volume - Math.exp(0.03)) < 1e-13);
});

test("wrap puts every particle in the primary cell", () => {
  const box = Box.cubic(2, 3).sheared(0.2);
  const x = new Float64Array([-0.5, 7.1, 10.2, -4.4, 1.0, 1.0]);
  box.wrap(x);
  for (let i = 0; i < 3; i++) assert.ok(box.contains(x, i * 2, 1e-12));
});

test("bad boxes are refused with a clear message", () => {
  assert.throws(() => Box.cubic(5, 1), GlassmechError);
  assert.throws(() => Box.orthorhombic([1, -2]), /length 1 must be positive/);
  assert.throws(() => new Box(2, [1, 1, 1, 1]), GlassmechError);
});
