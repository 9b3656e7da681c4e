import { test } from "node:test";
import assert from "node:assert/strict";
import { GlassmechError } from "../../src/core/errors.js";
import { createModel, formatDescriptor, modelDefinition, modelNames, parseDescriptor } from "../../src/models/index.js";

test("all six models are registered", () => {
  assert.deepEqual([...modelNames()].sort(), ["hrz", "ipl", "kablj", "poly", "pss", "qss"]);
});

test("defaults fill the parameter set, and descriptors round-trip through createModel", () => {
  assert.deepEqual(createModel({ name: "pss", params: {} }).params, { rc: 1.2 });
  assert.deepEqual(createModel({ name: "ipl", params: {} }).params, { xc: 1.48 });
  assert.deepEqual(createModel({ name: "poly", params: {} }).params, { xc: 1.25, na: 0.2, ratio: 0.45 });
  assert.deepEqual(createModel({ name: "kablj", params: {} }).params, { xc: 2.5 });
  assert.deepEqual(createModel({ name: "hrz", params: {} }).params, {});
  const m = createModel(parseDescriptor("model=QSS q=20 xc=1.8"));
  assert.equal(m.name, "qss");
  assert.equal(formatDescriptor({ name: m.name, params: m.params }), "model=qss q=20 xc=1.8");
  assert.equal(m.reduced.xc, 1.8);
});

test("default densities (SPEC §1)", () => {
  const dens = (name: string, d: number) => createModel({ name, params: {} }).defaultDensity(d);
  assert.equal(dens("pss", 3), 0.6);
  assert.equal(dens("ipl", 2), 0.86);
  assert.equal(dens("ipl", 3), 0.82);
  assert.equal(dens("ipl", 4), 0.82);
  assert.equal(dens("kablj", 3), 1.2);
  assert.equal(createModel({ name: "qss", params: { q: 6, xc: 3 } }).defaultDensity(3), 0.8);
  assert.equal(createModel({ name: "qss", params: { q: 8, xc: 2.5 } }).defaultDensity(3), 0.74);
});

test("pair tables: binary λ_ij of SPEC §1.1 and the KABLJ ε/σ table of §1.5", () => {
  for (const name of ["qss", "pss", "ipl", "hrz"]) {
    const s = createModel({ name, params: {} });
    assert.equal(s.scales.kind, "types");
    if (s.scales.kind !== "types") continue;
    assert.deepEqual([...s.scales.lambda], [1, 1.18, 1.18, 1.4]);
    assert.deepEqual([...s.scales.epsilon], [1, 1, 1, 1]);
    assert.deepEqual(s.composition, [0.5, 0.5]);
    assert.deepEqual(s.species, ["A", "B"]);
  }
  const ka = createModel({ name: "kablj", params: {} });
  assert.equal(ka.scales.kind, "types");
  if (ka.scales.kind === "types") {
    assert.deepEqual([...ka.scales.lambda], [1, 0.8, 0.8, 0.88]);
    assert.deepEqual([...ka.scales.epsilon], [1, 1.5, 1.5, 0.5]);
  }
  assert.deepEqual(ka.composition, [0.8, 0.2]);
  const poly = createModel({ name: "poly", params: {} });
  assert.deepEqual(poly.scales, { kind: "sizes", nonadditivity: 0.2, epsilon: 1 });
});

test("bad parameters and unknown models give one clear GlassmechError", () => {
  const bad: [string, Record<string, number>, RegExp][] = [
    ["pss", { rc: 1 }, /rc=1: rc ≤ 1 leaves no attractive range/],
    ["pss", { rc: 0.8 }, /no attractive range/],
    ["pss", { rc: Infinity }, /rc must be finite/],
    ["pss", { xc: 1.3 }, /model pss has no parameter 'xc' \(its parameters: rc\)/],
    ["ipl", { xc: -1 }, /ipl: xc=-1: xc must be finite/],
    ["ipl", { xc: NaN }, /xc must be finite/],
    ["qss", { q: 0 }, /q must be finite/],
    ["qss", { xc: 0.9 }, /inside its minimum/],
    ["poly", { ratio: 0 }, /ratio must be in \(0, 1\]/],
    ["poly", { na: 1 }, /na must be in \[0, 1\)/],
    ["kablj", { xc: 1.1 }, /beyond the LJ minimum/],
    ["hrz", { xc: 1 }, /model hrz has no parameter 'xc' \(its parameters: none\)/],
    ["nosuch", {}, /unknown model 'nosuch' \(known: .*pss/],
  ];
  for (const [name, params, re] of bad) {
    assert.throws(
      () => createModel({ name, params }, { file: "glass.xyz", line: 2 }),
      (e: unknown) => e instanceof GlassmechError && re.test(e.message) && e.message.startsWith("glass.xyz:2: "),
      `${name} ${JSON.stringify(params)} should fail with ${re}`,
    );
  }
  assert.throws(() => modelDefinition("lj"), GlassmechError);
  // A cross-parameter check runs in create(), after the registry's per-parameter checks; the
  // registry does not add the file location to errors thrown there.
  assert.throws(
    () => createModel({ name: "poly", params: { na: 0.9, ratio: 0.2 } }),
    (e: unknown) => e instanceof GlassmechError && /na=0.9 with ratio=0.2 gives λ_ij ≤ 0 for the widest pair/.test(e.message),
  );
});
