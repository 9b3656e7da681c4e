/**
 * Slow validation of the quartic modes (GLASSMECH_SLOW=1) against the papers' conclusions:
 * - seed 001 App. A2c / Fig. 12: the mean dilation/shear of the softest QLM per glass rises with
 *   stickiness in CSS glasses (r_c = 1.1 stickier than 1.5); 8 glasses each, N = 1000, 3D;
 * - seed 003 Fig. 6: ξ_QLM (c(r) of the glass's quartic modes) and ξ_g (c(r) of 100 dipole
 *   responses) agree within an O(1) factor on a CSS r_c = 1.1 glass at N = 10⁴ (at r_c = 1.5 the
 *   bumps lie beyond L/2 at this N).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createModel } from "../../src/models/index.js";
import { decayReport, dipoleDecay } from "../../src/observables/decay.js";
import { selectDipolePairs } from "../../src/observables/dipoles.js";
import { prepareGlass } from "../../src/observables/prepare.js";
import { quasilocalizedModes } from "../../src/observables/qlm.js";
import { makeGlass } from "../../src/protocols/makeGlass.js";

const SLOW = !!process.env.GLASSMECH_SLOW;

function cssGlass(rc: number, n: number, seed: number) {
  const model = createModel({ name: "pss", params: { rc } });
  const g = makeGlass({ model, d: 3, n, density: 0.6, tp: "auto", seed, time: 10 });
  return prepareGlass(g.config, model);
}

test("mean dilation/shear of the softest quartic mode rises with stickiness (CSS r_c = 1.1 vs 1.5)", { skip: !SLOW }, () => {
  const stats = [1.1, 1.5].map((rc) => {
    const v: number[] = [];
    for (let s = 1; s <= 8; s++) {
      const res = quasilocalizedModes(cssGlass(rc, 1000, s), { starts: { kind: "dipoles", count: 30, seed: s }, k: 1, coreSize: false });
      assert.equal(res.modes.length, 1, `r_c = ${rc}, seed ${s}: a mode`);
      v.push(res.modes[0].dilationShear);
    }
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const se = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1) / v.length);
    console.log(`r_c = ${rc}: dilation/shear ${mean.toFixed(3)} ± ${se.toFixed(3)}`);
    return { mean, se };
  });
  assert.ok(stats[0].mean - stats[1].mean > 2 * Math.hypot(stats[0].se, stats[1].se), "stickier glasses: larger mean dilation/shear");
});

test("ξ_QLM and ξ_g agree within a factor 2 (CSS r_c = 1.1, N = 10⁴)", { skip: !SLOW }, () => {
  const g = cssGlass(1.1, 10000, 1);
  const q = quasilocalizedModes(g, { starts: { kind: "dipoles", count: 40, seed: 1 }, k: 20 });
  const sel = selectDipolePairs(g.records, { count: 100, seed: 1 });
  const dec = decayReport(dipoleDecay(g.hessian, g.records, g.config.positions, g.config.box, sel.pairs).decay);
  console.log(`ξ_QLM = ${q.xiQlm} from ${q.modes.length} modes, ξ_g = ${dec.xi}`);
  assert.ok(q.xiQlm !== null, q.qlmDecay?.xiError);
  assert.ok(dec.xi !== null, dec.xiError);
  const ratio = q.xiQlm! / dec.xi!;
  assert.ok(ratio > 0.5 && ratio < 2, `ξ_QLM/ξ_g = ${ratio}`);
});
