/**
 * Shared helpers of the I/O tests: seeded random configurations (any d, sheared or not, binary or
 * polydisperse), bit-exact comparison, temporary directories, and the fixture folder.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { affineTransform, Box } from "../../src/core/box.js";
import type { Configuration } from "../../src/core/configuration.js";
import { Rng } from "../../src/core/rng.js";
import type { ModelDescriptor } from "../../src/core/descriptor.js";

/** Absolute path of test/fixtures/<name> (tests run from dist/test/<area>/). */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "glassmech-io-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RandomConfigOptions {
  /** Upper-triangular tilt: shear every lattice vector b > a by gamma·L along axis a (x += γ y, …). */
  readonly shear?: number;
  /** Give each particle a size λ_i in [0.8, 1.3] (POLY). */
  readonly sizes?: boolean;
  readonly seed?: number;
  readonly density?: number;
}

/**
 * Random positions (uniform in the cell, awkward float64 values) at a density, binary 50:50 types
 * in random order; optionally an upper-triangular sheared cell (xy, xz, yz tilts) and sizes.
 */
export function randomConfig(d: number, n: number, model: ModelDescriptor, o: RandomConfigOptions = {}): Configuration {
  const rng = Rng.fromSeed(o.seed ?? 7);
  let box = Box.forDensity(d, n, o.density ?? 0.8);
  if (o.shear !== undefined && o.shear !== 0) {
    const F = new Float64Array(d * d);
    for (let a = 0; a < d; a++) {
      F[a * d + a] = 1;
      for (let b = a + 1; b < d; b++) F[a * d + b] = o.shear * (1 + 0.37 * (a + b)); // distinct tilts
    }
    box = box.deformed(F);
  }
  const s = new Float64Array(n * d);
  for (let k = 0; k < n * d; k++) s[k] = rng.uniform();
  const positions = affineTransform(d, s, box.h);
  box.wrap(positions);
  const types = new Int32Array(n);
  for (let i = 0; i < n; i++) types[i] = o.sizes ? 0 : rng.int(2);
  let sizes: Float64Array | null = null;
  if (o.sizes) {
    sizes = new Float64Array(n);
    for (let i = 0; i < n; i++) sizes[i] = 0.8 + 0.5 * rng.uniform();
  }
  return { d, n, box, positions, types, sizes, model };
}

/** Bytes of a typed array. */
function bytes(a: Float64Array | Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Asserts that two float arrays are equal bit for bit, naming the first differing entry. */
export function assertBitsEqual(actual: Float64Array, expected: Float64Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  if (bytes(actual).equals(bytes(expected))) return;
  for (let k = 0; k < actual.length; k++)
    if (!Object.is(actual[k], expected[k])) assert.fail(`${what}[${k}]: ${actual[k]} !== ${expected[k]} (bitwise)`);
}

/** Asserts that two configurations are identical bit for bit (positions, box, types, sizes, model). */
export function assertSameConfiguration(actual: Configuration, expected: Configuration, what = "configuration"): void {
  assert.equal(actual.d, expected.d, `${what}: d`);
  assert.equal(actual.n, expected.n, `${what}: n`);
  assertBitsEqual(actual.box.h, expected.box.h, `${what}: box h`);
  assertBitsEqual(actual.positions, expected.positions, `${what}: positions`);
  assert.deepEqual(Array.from(actual.types), Array.from(expected.types), `${what}: types`);
  if (expected.sizes === null) assert.equal(actual.sizes, null, `${what}: sizes`);
  else {
    assert.ok(actual.sizes !== null, `${what}: sizes missing`);
    assertBitsEqual(actual.sizes, expected.sizes, `${what}: sizes`);
  }
  assert.equal(actual.model.name, expected.model.name, `${what}: model name`);
  assert.deepEqual({ ...actual.model.params }, { ...expected.model.params }, `${what}: model params`);
  for (const k of Object.keys(expected.model.params))
    assert.ok(Object.is(actual.model.params[k], expected.model.params[k]), `${what}: model param ${k} bitwise`);
}
