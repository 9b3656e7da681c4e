import { test } from "node:test";
import assert from "node:assert/strict";
import { identity, scaleMatrix, shearMatrix } from "../../src/core/box.js";
import { measured } from "./measured.js";
import { relaxedUnder, smallGlass, type GlassSpec } from "./glasses.js";

/**
 * SPEC §4.3 validation: G and K of measureGlass against finite deformations of the box and the
 * particles (±δ, re-minimized to max force 1e-12, central differences of the relaxed stress and
 * energy), for PSS, QSS and IPL glasses in 2D and 3D. The affine (Born) values differ from the
 * relaxed ones by far more than the tolerance, so a wrong nonaffine term fails. Plus one 4D IPL
 * glass (SPEC §1.3). measureGlass runs with the tensor, whose own G and K are checked against the
 * two-column solve inside measureGlass.
 */
const GLASSES: GlassSpec[] = [
  { name: "pss", params: { rc: 1.2 }, d: 2, n: 100, density: 0.7, seed: 11 },
  { name: "pss", params: { rc: 1.2 }, d: 3, n: 100, density: 0.6, seed: 12 },
  { name: "qss", params: { q: 20, xc: 1.8 }, d: 2, n: 100, density: 0.78, seed: 13, fTol: 1e-11 },
  { name: "qss", params: { q: 20, xc: 1.8 }, d: 3, n: 100, density: 0.677, seed: 14 },
  { name: "ipl", params: {}, d: 2, n: 100, density: 0.86, seed: 15 },
  { name: "ipl", params: {}, d: 3, n: 100, density: 0.82, seed: 16 },
  { name: "ipl", params: {}, d: 4, n: 100, density: 0.82, seed: 41 },
];

const REL = 1e-4;
const fTolOf = (s: GlassSpec): number => s.fTol ?? 1e-12;

for (const spec of GLASSES) {
  test(`${spec.name} d=${spec.d} N=${spec.n}: G and K equal finite deformations to ${REL}`, () => {
    const { config: c, model } = smallGlass(spec);
    const d = c.d;
    const relax = (F: Float64Array) => relaxedUnder(c, model, F, fTolOf(spec));
    const m = measured(c, model, { tensor: true });
    const G = m.shearModulus;
    const K = m.bulkModulus;
    assert.ok(G > 0 && K > 0, `G ${G}, K ${K}`);
    // Shear: σ_xy = (1/V) ∂U/∂γ, central difference of the relaxed stress.
    const delta = 1e-5;
    const sp = relax(shearMatrix(d, delta));
    const sm = relax(shearMatrix(d, -delta));
    const gStress = (sp.stress[1] - sm.stress[1]) / (2 * delta);
    assert.ok(Math.abs(G - gStress) <= REL * G, `G ${G} vs stress finite difference ${gStress}`);
    assert.ok(Math.abs(m.shearModulusAffine - gStress) > 10 * REL * G, "the affine modulus alone must fail");
    // Bulk: K = −(1/d) dp/dη under x → e^η x.
    const ep = relax(scaleMatrix(d, Math.exp(delta)));
    const em = relax(scaleMatrix(d, Math.exp(-delta)));
    const kPressure = -(ep.pressure - em.pressure) / (2 * delta) / d;
    assert.ok(Math.abs(K - kPressure) <= REL * K, `K ${K} vs pressure finite difference ${kPressure}`);
    // (For IPL the response to expansion is almost affine: U is nearly homogeneous in the positions.)
    if (spec.name !== "ipl") assert.ok(Math.abs(m.bulkModulusAffine - kPressure) > 10 * REL * K, "the affine bulk modulus alone must fail");
    // Energy route for K (independent of the virial): K = [U_ηη − d U_η]/(V d²).
    const D = 3e-5;
    const U0 = relax(identity(d)).U;
    const Up = relax(scaleMatrix(d, Math.exp(D))).U;
    const Um = relax(scaleMatrix(d, Math.exp(-D))).U;
    const V = c.box.volume;
    const kEnergy = ((Up - 2 * U0 + Um) / (D * D) - (d * (Up - Um)) / (2 * D)) / (V * d * d);
    assert.ok(Math.abs(K - kEnergy) <= REL * K, `K ${K} vs energy finite difference ${kEnergy}`);
    if (process.env.GLASSMECH_VERBOSE)
      console.log(spec.name, d, { G, K, nu: m.poissonRatio, dG: G / gStress - 1, dK: K / kPressure - 1, dKe: K / kEnergy - 1, cg: m.cgIterations });
  });
}
