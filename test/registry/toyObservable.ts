import { plusMinus } from "../../src/registry/format.js";
import { meanValue, finiteColumn } from "../../src/registry/reduce.js";
import type { Observable } from "../../src/registry/types.js";

/**
 * A toy per-glass scalar observable, written the way docs/ARCHITECTURE.md says to add one: this
 * file, plus one registry line. Its value is a real function of the glass (the bulk-to-shear
 * ratio scaled by an option), so the test can check it against the moduli it comes from.
 */
export const toy: Observable = {
  name: "toy",
  spec: "test only",
  summary: "toy ratio K/G × scale",
  options: [
    { key: "toy", kind: { type: "boolean" }, help: "also the toy ratio" },
    { key: "toyScale", kind: { type: "number", min: 0, exclusiveMin: true }, placeholder: "<s>", help: "scale of the toy ratio (default 1)" },
  ],
  needs: ["elasticity"],
  enabled: (o) => o.toy === true,
  keys: [{ key: "toyRatio", unit: "1", help: "K/G × toyScale" }],
  measure: (ctx, o) => ({ toyRatio: (ctx.value("bulkModulus") / ctx.value("shearModulus")) * ((o.toyScale as number | undefined) ?? 1) }),
  reduce: ({ results }) => (results.some((r) => r.toyRatio === undefined) ? undefined : { toyMean: meanValue(finiteColumn(results, "toyRatio")) }),
  reportRows: (s) => (s.toyMean === undefined ? [] : [["toy ratio", plusMinus(s.toyMean as { value: number; stdError: number })]]),
};
