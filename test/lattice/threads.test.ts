import { test } from "node:test";
import assert from "node:assert/strict";
import { GlassmechError } from "../../src/core/errors.js";
import { sampleKappasSync } from "../../src/lattice/chunks.js";
import { sampleKappas } from "../../src/lattice/pool.js";

test("same seed → identical κ with 0 (main thread), 1 and 2 worker threads", async () => {
  const run = { d: 3, samples: 2500, seed: 9, chunkSize: 300 };
  const t0 = await sampleKappas(run, { threads: 0 });
  const t1 = await sampleKappas(run, { threads: 1 });
  let calls = 0;
  let last = 0;
  const t2 = await sampleKappas(run, { threads: 2, onProgress: (done, total) => { calls++; last = done; assert.equal(total, 2500); } });
  assert.deepEqual(t1, t0);
  assert.deepEqual(t2, t0);
  assert.equal(calls, 9); // ⌈2500/300⌉ chunks
  assert.equal(last, 2500);
  const other = await sampleKappas({ ...run, seed: 10 }, { threads: 2 });
  assert.notDeepEqual(other, t0);
});

test("sample s depends only on (seed, chunk size, s): a longer run extends a shorter one", () => {
  const short = sampleKappasSync({ d: 2, samples: 1234, seed: 4, chunkSize: 500 });
  const long = sampleKappasSync({ d: 2, samples: 3000, seed: 4, chunkSize: 500 });
  assert.deepEqual(long.subarray(0, 1234), short);
  const exact = sampleKappasSync({ d: 2, L: 5, exact: true, samples: 10, seed: 4 });
  for (const k of exact) assert.ok(k > 0 && k <= 1);
});

test("bad run parameters throw GlassmechError before any work", async () => {
  await assert.rejects(sampleKappas({ d: 3, samples: 0, seed: 1 }), GlassmechError);
  await assert.rejects(sampleKappas({ d: 3, samples: 10, seed: -1 }), GlassmechError);
  await assert.rejects(sampleKappas({ d: 3, L: 20, samples: 10, seed: 1 }, { threads: 2 }), GlassmechError);
  await assert.rejects(sampleKappas({ d: 5, samples: 10, seed: 1 }, { threads: 2 }), GlassmechError);
  await assert.rejects(sampleKappas({ d: 3, samples: 10, seed: 1, omegaStar: 1.5 }, { threads: 1 }), GlassmechError);
  await assert.rejects(sampleKappas({ d: 3, samples: 10, seed: 1 }, { threads: 1.5 }), GlassmechError);
});
