/**
 * In-place ordering of Float64Array ranges without allocation: quicksort (neighbor queries) and
 * quickselect (per-bin medians of c(r)). Both share one Hoare partition step.
 */

/** Bounds left by the last partition: [lo, j] ≤ pivot ≤ [i, hi], anything strictly between equals it. */
let partI = 0;
let partJ = 0;

/** Hoare partition of a[lo..hi] (hi > lo) around the median of a[lo], a[mid], a[hi]; sets partI, partJ. */
function partition(a: Float64Array, lo: number, hi: number): void {
  const mid = (lo + hi) >> 1;
  if (a[mid] < a[lo]) swap(a, mid, lo);
  if (a[hi] < a[lo]) swap(a, hi, lo);
  if (a[hi] < a[mid]) swap(a, hi, mid);
  const pivot = a[mid];
  let i = lo;
  let j = hi;
  while (i <= j) {
    while (a[i] < pivot) i++;
    while (a[j] > pivot) j--;
    if (i <= j) {
      swap(a, i, j);
      i++;
      j--;
    }
  }
  partI = i;
  partJ = j;
}

/** Sorts a[lo..hi] ascending (quicksort; insertion sort for short ranges). */
export function sortRange(a: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    partition(a, lo, hi);
    const i = partI;
    const j = partJ;
    // Recurse into the smaller part, loop on the larger.
    if (j - lo < hi - i) {
      sortRange(a, lo, j);
      lo = i;
    } else {
      sortRange(a, i, hi);
      hi = j;
    }
  }
  for (let k = lo + 1; k <= hi; k++) {
    const v = a[k];
    let p = k - 1;
    while (p >= lo && a[p] > v) {
      a[p + 1] = a[p];
      p--;
    }
    a[p + 1] = v;
  }
}

/** Places the (k − lo)-th smallest of a[lo..hi] at a[k], smaller ones before and larger after. */
export function selectInPlace(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    partition(a, lo, hi);
    if (k <= partJ) hi = partJ;
    else if (k >= partI) lo = partI;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
