import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extendsSpec, runStudy } from "../../src/study/runner.js";
import { parseStudySpec, readStudySpec } from "../../src/study/spec.js";
import { samplePaths } from "../../src/study/store.js";
import { ensembleStatistics } from "../../src/registry/ensemble.js";
import { GlassmechError } from "../../src/core/errors.js";

const ipl = { label: "ipl", model: "model=ipl", tp: 1.0, samples: 3 };
const pss = { label: "pss", model: "model=pss rc=1.3", density: 0.7, tp: 1.5, samples: 2 };
const raw = { name: "t", seed: 4, glass: { d: 2, n: 64, time: 1 }, ensembles: [ipl, pss] };
const spec = parseStudySpec(raw);

const read = (dir: string, label: string, k: number): Record<string, unknown> => JSON.parse(readFileSync(samplePaths(dir, label, k).result, "utf8"));

test("a study gives the same glasses with 0 and 2 worker threads, and resumes without redoing or losing samples", async () => {
  const a = mkdtempSync(join(tmpdir(), "gm-study-a-"));
  const b = mkdtempSync(join(tmpdir(), "gm-study-b-"));
  try {
    const sa = await runStudy(spec, a, { threads: 0 });
    const sb = await runStudy(spec, b, { threads: 2 });
    for (const [label, n] of [["ipl", 3], ["pss", 2]] as const)
      for (let k = 0; k < n; k++) {
        assert.equal(readFileSync(samplePaths(a, label, k).glass, "utf8"), readFileSync(samplePaths(b, label, k).glass, "utf8"));
        assert.equal(read(a, label, k).shearModulus, read(b, label, k).shearModulus);
      }
    assert.deepEqual(sa.summary!.ensembles.map((e) => e.statistics.means.shearModulus.mean), sb.summary!.ensembles.map((e) => e.statistics.means.shearModulus.mean));
    // "kill": lose one result; the rerun redoes exactly that sample and the same numbers come back
    const lost = samplePaths(a, "pss", 1).result;
    const before = readFileSync(lost, "utf8");
    unlinkSync(lost);
    const untouched = samplePaths(a, "ipl", 0).result;
    const mtime = readFileSync(untouched, "utf8");
    let progressed = 0;
    await runStudy(spec, a, { threads: 0, onProgress: (p) => { if (p.last !== null) progressed++; } });
    assert.equal(progressed, 1);
    const untimed = (t: string): string => t.replace(/"seconds":\{[^}]*\}/, "").replace(/"timing":\{[^}]*\}/, "");
    assert.equal(untimed(readFileSync(lost, "utf8")), untimed(before));
    assert.equal(readFileSync(untouched, "utf8"), mtime);
    assert.ok(existsSync(join(a, "summary.json")));
    // a different spec in the same folder is refused
    const other = parseStudySpec({ ...JSON.parse(JSON.stringify(spec)), seed: 5, ensembles: [{ label: "ipl", model: "model=ipl", tp: 1, samples: 1 }] });
    await assert.rejects(runStudy(other, a, { threads: 0 }), /different spec/);
    // growing an ensemble extends the study: only the new sample is made, and it is the glass a
    // fresh run of the larger spec makes
    const grown = parseStudySpec({ ...raw, ensembles: [ipl, { ...pss, samples: 3 }] });
    progressed = 0;
    await runStudy(grown, a, { threads: 0, onProgress: (p) => { if (p.last !== null) progressed++; } });
    assert.equal(progressed, 1);
    assert.equal(readFileSync(untouched, "utf8"), mtime);
    const fresh = mkdtempSync(join(tmpdir(), "gm-study-c-"));
    try {
      await runStudy(parseStudySpec({ ...raw, ensembles: [{ ...ipl, samples: 1 }, { ...pss, samples: 3 }] }), fresh, { threads: 0 });
      assert.equal(readFileSync(samplePaths(a, "pss", 2).glass, "utf8"), readFileSync(samplePaths(fresh, "pss", 2).glass, "utf8"));
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test("per-ensemble measure settings and decayFrom are validated; decayFrom changes extend a study", () => {
  const base = { name: "x", seed: 1, measure: { modes: 5, decay: true } };
  const big = { label: "big", model: "model=pss rc=1.2", tp: 1, samples: 1, n: 5000, measure: { modes: 0 } };
  const s = parseStudySpec({ ...base, ensembles: [{ label: "small", model: "model=pss rc=1.2", tp: 1, samples: 2, decayFrom: "big" }, big] });
  assert.equal(s.ensembles[0].decayFrom, "big");
  assert.deepEqual(s.ensembles[1].measure, { modes: 0 });
  assert.throws(() => parseStudySpec({ ...base, ensembles: [{ label: "a", model: "model=pss", tp: 1, samples: 1, decayFrom: "nope" }] }), /not the label of another ensemble/);
  assert.throws(() => parseStudySpec({ ...base, ensembles: [{ label: "a", model: "model=pss", tp: 1, samples: 1, decayFrom: "a" }] }), /not the label of another ensemble/);
  assert.throws(() => parseStudySpec({ ...base, ensembles: [{ label: "a", model: "model=pss rc=1.5", tp: 1, samples: 1, decayFrom: "big" }, big] }), /same model/);
  assert.throws(() => parseStudySpec({ ...base, ensembles: [{ label: "a", model: "model=pss rc=1.2", tp: 1, samples: 1, decayFrom: "big" }, { ...big, measure: { decay: false } }] }), /does not measure c\(r\)/);
  assert.throws(() => parseStudySpec({ ...base, ensembles: [{ ...big, measure: { modes: -1 } }] }), /measure.modes must be a non-negative integer/);
  assert.throws(() => parseStudySpec({ ...base, ensembles: [{ ...big, measure: { decay: 1 } }] }), /true or false/);
  assert.throws(() => parseStudySpec({ ...base, ensembles: [{ ...big, measure: { nope: 1 } }] }), /unknown key 'nope'/);
  const without = parseStudySpec({ ...base, ensembles: [{ label: "small", model: "model=pss rc=1.2", tp: 1, samples: 2 }, big] });
  assert.ok(extendsSpec(without, s) && extendsSpec(s, without));
  assert.ok(!extendsSpec(s, parseStudySpec({ ...base, ensembles: [{ label: "small", model: "model=pss rc=1.2", tp: 1, samples: 2 }, { ...big, measure: { modes: 3 } }] })));
});

test("study specs are validated with clear messages", () => {
  assert.throws(() => parseStudySpec({ name: "x", seed: 1, ensembles: [] }), /non-empty/);
  assert.throws(() => parseStudySpec({ name: "x", seed: 1, ensembles: [{ label: "a", model: "model=nope", tp: 1, samples: 1 }] }), /unknown model/);
  assert.throws(() => parseStudySpec({ name: "x", seed: 1, ensembles: [{ label: "a", model: "model=pss rc=0.9", tp: 1, samples: 1 }] }), /rc/);
  assert.throws(() => parseStudySpec({ name: "x", seed: 1, glass: { d: 5 }, ensembles: [{ label: "a", model: "model=pss", tp: 1, samples: 1 }] }), /d must be 2, 3 or 4/);
  assert.throws(() => parseStudySpec({ name: "x", seed: 1, extra: 1, ensembles: [] }), GlassmechError);
});

test("ensemble statistics: means and standard errors, refuses mixed glasses", () => {
  const mk = (G: number, K: number) => ({ N: 100, d: 3, model: "model=pss rc=1.2", shearModulus: G, bulkModulus: K, pressure: 1, p0: 2, GOverK: G / K });
  const s = ensembleStatistics([mk(1, 2), mk(2, 2), mk(3, 2), mk(4, 2)]);
  assert.equal(s.means.shearModulus.mean, 2.5);
  assert.ok(Math.abs(s.means.shearModulus.stdError - Math.sqrt(5 / 3 / 4)) < 1e-12);
  assert.ok(Math.abs(s.GOverKOfMeans.value - 1.25) < 1e-12);
  assert.throws(() => ensembleStatistics([mk(1, 2), { ...mk(1, 2), N: 50 }]), /mix different glasses/);
});

test("every shipped example spec parses (examples/*.json)", () => {
  const dir = new URL("../../../examples/", import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  assert.ok(files.length >= 4, `${files.length} example specs`);
  for (const f of files) {
    const s = readStudySpec(join(dir.pathname, f));
    assert.ok(s.ensembles.length > 0, f);
  }
});
