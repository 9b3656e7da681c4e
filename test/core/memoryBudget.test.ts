import assert from "node:assert/strict";
import { test } from "node:test";
import { checkFits, makeGlassBytes, memoryBudget, parseCgroupLimit, parseMemorySize } from "../../src/core/memoryBudget.js";

test("parseMemorySize: units and bad strings", () => {
  assert.equal(parseMemorySize("16G"), 16 * 2 ** 30);
  assert.equal(parseMemorySize("512M"), 512 * 2 ** 20);
  assert.equal(parseMemorySize("2GiB"), 2 * 2 ** 30);
  assert.equal(parseMemorySize("1000"), 1000);
  for (const bad of ["", "G", "-1G", "16X", "lots"]) assert.throws(() => parseMemorySize(bad, "--max-memory"), /--max-memory: .* is not a memory size/);
});

test("parseCgroupLimit: v2 max, v1 unlimited sentinel, numbers", () => {
  assert.equal(parseCgroupLimit("max\n"), undefined);
  assert.equal(parseCgroupLimit("9223372036854771712\n"), undefined);
  assert.equal(parseCgroupLimit("8589934592\n"), 8 * 2 ** 30);
});

test("memoryBudget: the smallest limit and its source", () => {
  const b = memoryBudget({ totalMemory: 64 * 2 ** 30, env: { GLASSMECH_MAX_MEMORY: "1G" }, cgroupFiles: [] });
  assert.equal(b.bytes, 2 ** 30);
  assert.match(b.source, /GLASSMECH_MAX_MEMORY=1G/);
  assert.equal(memoryBudget({ totalMemory: 2 ** 30, maxMemory: "16G", env: {}, cgroupFiles: [] }).source, "os.totalmem()");
});

test("checkFits: an impossible make is refused with the phase, the numbers and the advice; a small one passes", () => {
  const budget = memoryBudget({ totalMemory: 64 * 2 ** 30, maxMemory: "100M", env: {}, cgroupFiles: [] });
  assert.throws(() => checkFits("make (N = 1000000)", makeGlassBytes(1e6, 3), budget, "ask for a smaller N"), /make \(N = 1000000\) needs about .*\(--max-memory 100M\).*smaller N/);
  const logged: string[] = [];
  const roomy = memoryBudget({ totalMemory: 64 * 2 ** 30, maxMemory: "1G", env: {}, cgroupFiles: [] });
  checkFits("make (N = 100)", makeGlassBytes(100, 3), roomy, "ask for a smaller N", (l) => logged.push(l));
  assert.deepEqual(logged, []);
});

test("measuring a glass whose Hessian cannot fit the budget is refused before any allocation, naming the limit", async () => {
  const { prepareGlass } = await import("../../src/observables/prepare.js");
  const { createModel } = await import("../../src/models/index.js");
  const { randomConfig } = await import("../forces/helpers.js");
  const model = createModel({ name: "pss", params: {} });
  const c = randomConfig(model, { d: 3, n: 200, density: 0.6, seed: 3 });
  const before = process.env.GLASSMECH_MAX_MEMORY;
  process.env.GLASSMECH_MAX_MEMORY = "10M";
  try {
    assert.throws(() => prepareGlass(c, model), /the Hessian \(N = 200, d = 3\) needs about .* may use 10 MiB \(GLASSMECH_MAX_MEMORY=10M\)/);
  } finally {
    if (before === undefined) delete process.env.GLASSMECH_MAX_MEMORY;
    else process.env.GLASSMECH_MAX_MEMORY = before;
  }
  assert.ok(makeGlassBytes(1e5, 3, 2) > makeGlassBytes(1e5, 3, 1), "a second thread costs memory");
});
