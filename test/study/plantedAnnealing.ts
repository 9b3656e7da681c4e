import type { StudySummary } from "../../src/study/summary.js";

/** A study summary with planted crossover temperatures: G/K has a kink at T_co, u collapses. */
export function planted(tcos: number[]): StudySummary {
  const ensembles: StudySummary["ensembles"] = [];
  tcos.forEach((tco, m) => {
    for (const x of [0.4, 0.55, 0.7, 0.85, 1.3, 1.7, 2.2]) {
      const tp = x * tco;
      const GK = 0.3 + (x < 1 ? 0.2 * (1 - x) : 0); // rises linearly below T_co, plateau above
      const K = 60 - m;
      const G = GK * K;
      const u = -5 + m + tco * Math.exp(-1 / x) * 2; // a smooth curve of T_p/T_co
      const means: Record<string, { mean: number; stdError: number; n: number }> = {};
      const put = (k: string, v: number) => (means[k] = { mean: v, stdError: 0, n: 8 });
      put("shearModulus", G);
      put("bulkModulus", K);
      put("shearModulusNonaffine", 0.4 * G);
      put("poissonRatio", 0.35 - 0.1 * GK);
      put("energyPerParticle", u);
      put("density", 0.6);
      ensembles.push({ label: `m${m}-x${x}`, tp, glasses: 8, planned: 8, statistics: { model: `model=pss rc=${1.1 + m / 10}`, N: 100, d: 3, samples: 8, means } as never });
    }
  });
  return { name: "planted", ensembles };
}


/**
 * Adds planted microscopic statistics: ω_g rises by half below T_co, 𝒩 = 0.4 exp(−E T_co/T_p)
 * (E in units of T_co), Ne0 = 5 (ω_g/ω0)^−3, ξ_g/a0 = 4 χ_G^(2/3), softest ω_π = 0.3 ω_g, and
 * the pooled c(r) = A₁ r^−6 g(r/ξ_g) (g: a bump at exactly r = ξ_g on a plateau, so ξ_co = ξ_g),
 * A₁ = 2 ξ_g, with 1 % errors, null bins at r < 0.3 and one in the middle; ξ_QLM = 1.2 ξ_g.
 */
export function plantMicro(s: StudySummary, E: number): void {
  for (const e of s.ensembles) {
    const st = e.statistics as unknown as Record<string, unknown> & { model: string; d: number; means: Record<string, { mean: number; stdError: number; n: number }> };
    const tco = st.model.includes("rc=1.1") ? 1.0 : 2.0;
    const x = Math.min(1, e.tp / tco); // ω_g grows towards its plateau as T_p falls below T_co
    const omegaG = 2 * (1 + 0.5 * (1 - x)), omega0 = 1;
    const N = 0.4 * Math.exp((-E * tco) / e.tp);
    const Ag = N / omegaG ** 5;
    st.means.omega0 = { mean: omega0, stdError: 0, n: 8 };
    st.means.a0 = { mean: 1, stdError: 0, n: 8 };
    st.omegaG = { value: omegaG, stdError: 0.001 * omegaG };
    st.kappaG = { value: omegaG ** 2, stdError: 0.002 * omegaG ** 2 };
    st.AgOmega0_5 = { value: Ag * omega0 ** 5, stdError: 0.01 * Ag };
    st.Ne0 = { value: 5 * (omegaG / omega0) ** -3, stdError: 0.01 };
    st.qlmDensity = { dipole: { value: N, stdError: 0.01 * N, omegaG } };
    st.chiG = { value: 0.5 * (1 + x), stdError: 0.01 };
    st.xiG = { value: 4 * (0.5 * (1 + x)) ** (2 / 3), stdError: 0.01, omegaG: 1, omegaGStdError: 0.01 };
    const xiG = (st.xiG as { value: number }).value;
    st.quarticModes = { softest: { value: 0.3 * omegaG, stdError: 0.01 }, softestOverOmega0: { value: (0.3 * omegaG) / omega0, stdError: 0.01 }, glasses: 8, of: 8, modes: 24, frequencies: null, dilationShear: { value: 0.2, stdError: 0.05 }, xiQlm: { value: 1.2 * xiG, stdError: 0.05, glasses: 8 } };
    const r = Array.from({ length: 48 }, (_, i) => 0.125 + 0.25 * i);
    const c = r.map((x, i) => (x < 0.3 || i === 20 ? null : 2 * xiG * x ** -6 * plantedShape(x / xiG)));
    st.decay = { binWidth: 0.25, dipoles: 800, r, c, cStdError: c.map((v) => (v === null ? null : 0.01 * v)), r2dC: c.map((v, i) => (v === null ? null : v * r[i] ** 6)), dipolesPerBin: r.map(() => 800) };
  }
}

/** r^(2d) c(r)/A₁ of the planted decay: 1 + 1.5 exp(−ln²x/(2·0.35²)), largest at x = 1 (seed 001 Fig. 19's shape). */
export const plantedShape = (x: number): number => 1 + 1.5 * Math.exp(-(Math.log(x) ** 2) / (2 * 0.35 ** 2));
