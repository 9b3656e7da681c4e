/**
 * A synthetic study folder for the report tests: the runner's layout (study.json with parsed
 * model descriptors, <label>/result-000k.json, <label>/tp-auto.json) with per-glass results drawn
 * from known trends, so the report's verdicts are known in advance:
 * - QSS: p/p0 = 0.05, G/K flat at 0.24, stickiness rising with q;
 * - DSS: G/K = 0.15 + 0.3·exp(−(ρ − 0.55)/0.15) (falls with ρ to the 0.15 plateau), stickiness
 *   falling with ρ, χ_G rising with ρ (relative G noise 0.01 + 0.06·(ρ − 0.55));
 * - CSS: stickiness *rising* with r_c (the opposite of the paper: the report must say "no"),
 *   dipole stiffnesses κ so ω_g and p(κ) exist.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Rng } from "../../src/core/rng.js";

interface Point { label: string; model: { name: string; params: Record<string, number> }; density: number; gk: number; s: number; pp0: number; gNoise: number; kappa?: number }

const N = 1000;

function points(): Point[] {
  const pts: Point[] = [];
  const qss: [number, number, number][] = [[6, 3.0, 0.8], [8, 2.5, 0.74], [12, 2.0, 0.698], [20, 1.8, 0.677]];
  for (const [q, xc, rho] of qss) pts.push({ label: `qss-q${q}`, model: { name: "qss", params: { q, xc } }, density: rho, gk: 0.24, s: 0.2 + 0.02 * q, pp0: 0.05, gNoise: 0.03 });
  for (const rho of [0.55, 0.6, 0.8, 1.2])
    pts.push({ label: `pss-rc1.2-rho${rho}`, model: { name: "pss", params: { rc: 1.2 } }, density: rho, gk: 0.15 + 0.3 * Math.exp(-(rho - 0.55) / 0.15), s: 0.5 - 0.4 * (rho - 0.55), pp0: 0.6, gNoise: 0.01 + 0.06 * (rho - 0.55), kappa: rho === 0.6 ? 60 : undefined });
  pts.push({ label: "pss-rc1.1-rho0.6", model: { name: "pss", params: { rc: 1.1 } }, density: 0.6, gk: 0.45, s: 0.2, pp0: 0.6, gNoise: 0.015, kappa: 90 });
  pts.push({ label: "pss-rc1.5-rho0.6", model: { name: "pss", params: { rc: 1.5 } }, density: 0.6, gk: 0.3, s: 0.9, pp0: 0.6, gNoise: 0.03, kappa: 30 });
  return pts;
}

/** Writes the synthetic study into `dir` (samples glasses per point; the last point gets `lastSamples`). */
export function writeSyntheticStudy(dir: string, samples = 8, o: { planned?: number } = {}): void {
  const pts = points();
  const spec = {
    name: "synthetic", seed: 1, glass: { d: 3, n: N, time: 10 }, measure: { modes: 0, dipoles: 20, tensor: false },
    ensembles: pts.map((p) => ({ label: p.label, model: p.model, density: p.density, tp: "auto", samples: o.planned ?? samples })),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "study.json"), JSON.stringify(spec, null, 2) + "\n");
  pts.forEach((p, e) => {
    const folder = join(dir, p.label);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "tp-auto.json"), JSON.stringify({ tp: 2 + e / 10, gInfinity: 20, gInfinityError: 1, samples: 3, n: N, a0: 1 }) + "\n");
    const model = `model=${p.model.name} ${Object.entries(p.model.params).map(([k, v]) => `${k}=${v}`).join(" ")}`;
    for (let k = 0; k < samples; k++) {
      const rng = Rng.forSample(99, e * 1000 + k);
      const G = 20 * (1 + p.gNoise * rng.normal());
      const K = (20 / p.gk) * (1 + 0.004 * rng.normal());
      const gk = G / K;
      const L = Math.cbrt(N / p.density);
      const a0 = L / Math.cbrt(N), cs = Math.sqrt(G / p.density);
      const r: Record<string, unknown> = {
        N, d: 3, density: p.density, boxLengths: [L, L, L], model, energyPerParticle: -5,
        pressure: 10 * (p.pp0 + 0.005 * rng.normal()), p0: 10, shearModulus: G, bulkModulus: K, GOverK: gk, pOverP0: NaN,
        poissonRatio: (3 - 2 * gk) / (6 + 2 * gk), stickiness: p.s * (1 + 0.02 * rng.normal()), coordination: 12 + 0.1 * rng.normal(),
        a0, cs, omega0: cs / a0, maxForce: 1e-11,
      };
      r.pOverP0 = (r.pressure as number) / 10;
      if (p.kappa !== undefined) r.dipoles = Array.from({ length: 20 }, (_, i) => ({ i, j: i + 1, kappa: p.kappa! * Math.exp(0.5 * rng.normal()), force: 1 }));
      writeFileSync(join(folder, `result-${String(k).padStart(4, "0")}.json`), JSON.stringify(r) + "\n");
    }
  });
}
