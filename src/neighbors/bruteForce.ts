import type { Box } from "../core/box.js";

/**
 * Brute-force O(N²·images) neighbor search over *all* periodic images: the reference the cell
 * and Verlet lists are tested against, and a safe fallback for tiny systems.
 *
 * Returns every (i, j, r_ij) with i < j and |r_ij| < cutoff(i, j) over all images
 * r_ij = x_j − x_i + h·m, plus the self-images (i, i, h·m) with m ≠ 0 taken once per ±m pair.
 * `delta` is flattened (count·d).
 */
export function bruteForcePairs(
  x: Float64Array,
  box: Box,
  cutoff: (i: number, j: number) => number,
): { count: number; i: number[]; j: number[]; delta: number[] } {
  const d = box.d;
  const n = x.length / d;
  const h = box.h;
  const w = box.perpendicularWidths();
  let rmax = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) rmax = Math.max(rmax, cutoff(i, j));
  // After minimum image every fractional component is in [−½, ½]; a vector of length < rmax
  // then needs |m_a| ≤ ceil(rmax/w_a) + 1.
  const reach: number[] = [];
  for (let a = 0; a < d; a++) reach.push(Math.ceil(rmax / w[a]) + 1);
  const images: number[][] = [];
  const cur = reach.map((r) => -r);
  for (;;) {
    images.push(cur.slice());
    let a = d - 1;
    while (a >= 0 && cur[a] === reach[a]) {
      cur[a] = -reach[a];
      a--;
    }
    if (a < 0) break;
    cur[a]++;
  }
  const out = { count: 0, i: [] as number[], j: [] as number[], delta: [] as number[] };
  const base = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const rc = cutoff(i, j);
      for (let a = 0; a < d; a++) base[a] = x[j * d + a] - x[i * d + a];
      box.minimumImage(base);
      for (const m of images) {
        if (i === j) {
          // self-image: m ≠ 0, and only the lexicographically positive one of ±m
          const first = m.find((v) => v !== 0);
          if (first === undefined || first < 0) continue;
        }
        const v: number[] = [];
        let r2 = 0;
        for (let a = 0; a < d; a++) {
          let t = base[a];
          for (let b = 0; b < d; b++) t += h[a * d + b] * m[b];
          v.push(t);
          r2 += t * t;
        }
        if (r2 < rc * rc) {
          out.i.push(i);
          out.j.push(j);
          out.delta.push(...v);
          out.count++;
        }
      }
    }
  return out;
}
