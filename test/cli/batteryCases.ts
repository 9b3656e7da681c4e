/**
 * The cases of the malformed-input battery (battery.test.ts): broken files of every format run
 * through every command that reads a configuration, bad options of every command, malformed
 * study specs, results and folders, unreadable or unwritable paths, and configurations that are
 * readable but must not be measured (not a minimum, coincident particles, N = 1, rattlers).
 * `writeInputs` writes the files once into a shared folder; outputs of the cases are relative
 * paths inside each case's own working folder.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Rng } from "../../src/core/rng.js";
import { formatGsd, stringsChunk, type GsdChunkIn } from "../../src/io/gsd.js";
import { readConfiguration, writeConfiguration } from "../../src/io/readConfiguration.js";
import type { BatteryCase } from "./batteryRun.js";
import { MAIN } from "./batteryRun.js";

const FIXTURE = fileURLToPath(new URL("../../../test/fixtures/pss3d_n200.xyz", import.meta.url));

export interface Inputs {
  readonly dir: string;
  /** The minimized N = 200 PSS glass. */
  readonly glass: string;
  /** A results JSON of `measure --json` on it. */
  readonly result: string;
  /** Bad files by format: name → path. */
  readonly files: Record<"xyz" | "data" | "dump" | "gsd", Record<string, string>>;
  /** Readable configurations that must not be measured (not a minimum, N = 1, …). */
  readonly unmeasurable: Record<string, string>;
  readonly poly: string;
  readonly fourD: string;
  readonly study: Record<string, string>;
  readonly results: Record<string, string>;
  readonly dirs: Record<string, string>;
}

const HEAD = 'Lattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3:type:I:1 pbc="T T T" model=pss rc=1.2';
const ROWS = ["H 0.5 0.5 0.5 0", "He 2.5 0.5 0.5 1", "H 0.5 2.5 0.5 0"];
const xyz = (count: string, head: string, rows: string[]) => [count, head, ...rows].join("\n") + "\n";

function binary(bytes: number, seed: number): Uint8Array {
  const rng = Rng.fromSeed(seed);
  return Uint8Array.from({ length: bytes }, () => rng.int(256));
}

function cli(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`battery setup: glassmech ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

export function writeInputs(dir: string): Inputs {
  mkdirSync(dir, { recursive: true });
  const put = (name: string, content: string | Uint8Array): string => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const glassText = readFileSync(FIXTURE, "utf8");
  const glass = put("glass.xyz", glassText);
  const result = put("result.json", cli(["measure", glass, "--json"], dir));
  const cfg = readConfiguration(glass);
  writeConfiguration(join(dir, "glass.data"), cfg);
  writeConfiguration(join(dir, "glass.dump"), cfg);
  writeConfiguration(join(dir, "glass.gsd"), cfg);
  const dataText = readFileSync(join(dir, "glass.data"), "utf8");
  const dumpText = readFileSync(join(dir, "glass.dump"), "utf8");
  const gsdBytes = new Uint8Array(readFileSync(join(dir, "glass.gsd")));

  const x: Record<string, string> = {
    "empty": put("empty.xyz", ""),
    "blank lines": put("blank.xyz", "\n  \n\n"),
    "binary": put("binary.xyz", binary(3000, 1)),
    "truncated mid-row": put("truncated.xyz", glassText.slice(0, Math.floor(glassText.length * 0.6))),
    "count too high": put("count-high.xyz", xyz("5", HEAD, ROWS)),
    "count too low": put("count-low.xyz", xyz("2", HEAD, ROWS)),
    "negative count": put("count-neg.xyz", xyz("-3", HEAD, ROWS)),
    "huge count": put("count-huge.xyz", xyz("99999999999999999999", HEAD, ROWS)),
    "zero count": put("count-zero.xyz", xyz("0", HEAD, [])),
    "NaN coordinate": put("nan.xyz", xyz("3", HEAD, [ROWS[0]!, "He NaN 0.5 0.5 1", ROWS[2]!])),
    "Inf coordinate": put("inf.xyz", xyz("3", HEAD, [ROWS[0]!, "He inf 0.5 0.5 1", ROWS[2]!])),
    "overflowing coordinate": put("overflow.xyz", xyz("3", HEAD, [ROWS[0]!, "He 1e400 0.5 0.5 1", ROWS[2]!])),
    "huge coordinate": put("huge.xyz", xyz("3", HEAD, [ROWS[0]!, "He 1e300 0.5 0.5 1", ROWS[2]!])),
    "dimension 5": put("dim5.xyz", xyz("3", HEAD + " dimension=5", ROWS)),
    "dimension 1": put("dim1.xyz", xyz("3", HEAD + " dimension=1", ROWS)),
    "duplicated pos column": put("dup-pos.xyz", xyz("3", HEAD.replace("pos:R:3", "pos:R:3:pos:R:3"), ROWS.map((r) => r.replace(/ (\d) *$/, " 1 1 1 $1")))),
    "duplicated type column": put("dup-type.xyz", xyz("3", HEAD.replace(":type:I:1", ":type:I:1:type:I:1"), ROWS.map((r) => r + " 0"))),
    "missing pos column": put("no-pos.xyz", xyz("3", HEAD.replace(":pos:R:3", ""), ROWS.map((r) => r.split(" ").filter((_, k) => k === 0 || k === 4).join(" ")))),
    "missing values in a row": put("short-row.xyz", xyz("3", HEAD, [ROWS[0]!, "He 2.5 0.5", ROWS[2]!])),
    "extra values in a row": put("long-row.xyz", xyz("3", HEAD, [ROWS[0]!, ROWS[1]! + " 7", ROWS[2]!])),
    "non-integer type": put("type-frac.xyz", xyz("3", HEAD, [ROWS[0]!, "He 2.5 0.5 0.5 1.5", ROWS[2]!])),
    "type out of range": put("type-range.xyz", xyz("3", HEAD, [ROWS[0]!, "He 2.5 0.5 0.5 7", ROWS[2]!])),
    "no model": put("no-model.xyz", xyz("3", HEAD.replace(" model=pss rc=1.2", ""), ROWS)),
    "unknown model": put("model-nope.xyz", xyz("3", HEAD.replace("model=pss", "model=nope"), ROWS)),
    "non-numeric parameter": put("param-abc.xyz", xyz("3", HEAD.replace("rc=1.2", "rc=abc"), ROWS)),
    "parameter out of range": put("param-range.xyz", xyz("3", HEAD.replace("rc=1.2", "rc=0.5"), ROWS)),
    "another model's parameter": put("param-foreign.xyz", xyz("3", HEAD + " q=20", ROWS)),
    "zero lattice": put("lattice-zero.xyz", xyz("3", HEAD.replace('"4 0 0 0 4 0 0 0 4"', '"0 0 0 0 0 0 0 0 0"'), ROWS)),
    "NaN lattice": put("lattice-nan.xyz", xyz("3", HEAD.replace('"4 0 0 0 4 0 0 0 4"', '"nan 0 0 0 4 0 0 0 4"'), ROWS)),
    "short lattice": put("lattice-short.xyz", xyz("3", HEAD.replace('"4 0 0 0 4 0 0 0 4"', '"4 0 0 0 4"'), ROWS)),
    "singular lattice": put("lattice-singular.xyz", xyz("3", HEAD.replace('"4 0 0 0 4 0 0 0 4"', '"4 0 0 4 0 0 0 0 4"'), ROWS)),
    "no lattice": put("no-lattice.xyz", xyz("3", HEAD.replace(/Lattice="[^"]*" /, ""), ROWS)),
    "open boundaries": put("pbc.xyz", xyz("3", HEAD.replace('pbc="T T T"', 'pbc="F F F"'), ROWS)),
    "unknown species": put("species.xyz", xyz("3", HEAD.replace(":type:I:1", ""), ["Xx 0.5 0.5 0.5", "Yy 2.5 0.5 0.5", "Xx 0.5 2.5 0.5"])),
    "bad property type": put("prop-type.xyz", xyz("3", HEAD.replace("pos:R:3", "pos:Q:3"), ROWS)),
  };

  const dataLines = dataText.split("\n");
  const atomsAt = dataLines.findIndex((l) => l.startsWith("Atoms"));
  const dataRow = (k: number) => atomsAt + 2 + k;
  const withRow = (k: number, row: string) => dataLines.map((l, i) => (i === dataRow(k) ? row : l)).join("\n");
  const d: Record<string, string> = {
    "empty": put("empty.data", ""),
    "binary": put("binary.data", binary(3000, 2)),
    "truncated": put("truncated.data", dataText.slice(0, Math.floor(dataText.length * 0.7))),
    "atom count too high": put("count.data", dataText.replace("200 atoms", "201 atoms")),
    "NaN coordinate": put("nan.data", withRow(3, "4 1 nan 1 1")),
    "duplicated id": put("dup-id.data", withRow(3, dataLines[dataRow(2)]!)),
    "zero atom types": put("types0.data", dataText.replace("2 atom types", "0 atom types")),
    "type above the count": put("type3.data", withRow(0, dataLines[dataRow(0)]!.replace(/^(\S+) \S+/, "$1 3"))),
    "mass 0": put("mass0.data", dataText.replace(/\nMasses\n\n1 1\n/, "\nMasses\n\n1 0\n")),
    "mass 2": put("mass2.data", dataText.replace(/\nMasses\n\n1 1\n/, "\nMasses\n\n1 2\n")),
    "unknown section": put("section.data", dataText + "\nFrobnicate\n\n1 2 3\n"),
    "no Atoms section": put("no-atoms.data", dataLines.slice(0, atomsAt).join("\n") + "\n"),
    "inverted box": put("box.data", dataText.replace(/\n(\S+) (\S+) xlo xhi/, "\n$2 $1 xlo xhi")),
    "missing box line": put("no-box.data", dataText.replace(/\n\S+ \S+ ylo yhi/, "")),
    "wrong column count": put("columns.data", withRow(1, "2 1 1 1")),
    "no model": put("no-model.data", dataText.replace(/^# glassmech.*\n/, "# written by hand\n")),
  };

  const dumpLines = dumpText.split("\n");
  const atomsItem = dumpLines.findIndex((l) => l.startsWith("ITEM: ATOMS"));
  const dumpWith = (k: number, row: string) => dumpLines.map((l, i) => (i === atomsItem + 1 + k ? row : l)).join("\n");
  const u: Record<string, string> = {
    "empty": put("empty.dump", ""),
    "binary": put("binary.dump", binary(3000, 3)),
    "truncated": put("truncated.dump", dumpText.slice(0, Math.floor(dumpText.length * 0.7))),
    "atom count too high": put("count.dump", dumpText.replace("ITEM: NUMBER OF ATOMS\n200", "ITEM: NUMBER OF ATOMS\n201")),
    "NaN coordinate": put("nan.dump", dumpWith(2, "3 1 nan 1 1")),
    "duplicated x column": put("dup-col.dump", dumpText.replace("ITEM: ATOMS id type x y z", "ITEM: ATOMS id type x x y z")),
    "missing type column": put("no-type.dump", dumpText.replace("ITEM: ATOMS id type x y z", "ITEM: ATOMS id q x y z")),
    "missing positions": put("no-pos.dump", dumpText.replace("ITEM: ATOMS id type x y z", "ITEM: ATOMS id type a b c")),
    "bad bounds": put("bounds.dump", dumpText.replace(/ITEM: BOX BOUNDS pp pp pp\n\S+ (\S+)/, "ITEM: BOX BOUNDS pp pp pp\n$1 0")),
    "no timestep": put("no-step.dump", dumpText.replace("ITEM: TIMESTEP", "ITEM: SOMETHING")),
    "huge count": put("count-huge.dump", dumpText.replace("ITEM: NUMBER OF ATOMS\n200", "ITEM: NUMBER OF ATOMS\n99999999999999999999")),
  };

  const H = { application: "battery", schema: "hoomd", schemaVersion: [1, 4] as [number, number] };
  const hoomd = (n: number, pos: number[], typeid: number[], extra: GsdChunkIn[] = []): Uint8Array =>
    formatGsd(H, [
      [
        { name: "configuration/box", type: "f32", n: 6, m: 1, data: Float32Array.from([4, 4, 4, 0, 0, 0]) },
        { name: "particles/N", type: "u32", n: 1, m: 1, data: Uint32Array.from([n]) },
        stringsChunk("particles/types", ["A", "B"]),
        { name: "particles/typeid", type: "u32", n: typeid.length, m: 1, data: Uint32Array.from(typeid) },
        { name: "particles/position", type: "f32", n: pos.length / 3, m: 3, data: Float32Array.from(pos) },
        ...extra,
      ],
    ]);
  const badMagic = gsdBytes.slice();
  badMagic[0] = 0;
  const g: Record<string, string> = {
    "empty": put("empty.gsd", ""),
    "text": put("text.gsd", glassText),
    "binary": put("binary.gsd", binary(3000, 4)),
    "truncated": put("truncated.gsd", gsdBytes.slice(0, Math.floor(gsdBytes.length * 0.7))),
    "bad magic": put("magic.gsd", badMagic),
    "NaN position": put("nan.gsd", hoomd(2, [0, 0, 0, NaN, 0, 0], [0, 1])),
    "typeid out of range": put("typeid.gsd", hoomd(2, [0, 0, 0, 1, 0, 0], [0, 5])),
    "dimensions 5": put("dims.gsd", hoomd(2, [0, 0, 0, 1, 0, 0], [0, 1], [{ name: "configuration/dimensions", type: "u8", n: 1, m: 1, data: Uint8Array.from([5]) }])),
    "N above the rows": put("n-rows.gsd", hoomd(4000000000, [0, 0, 0, 1, 0, 0], [0, 1])),
    "no model": put("no-model.gsd", hoomd(2, [0, 0, 0, 1, 0, 0], [0, 1])),
    "zero box": put("box0.gsd", formatGsd(H, [[{ name: "configuration/box", type: "f32", n: 6, m: 1, data: new Float32Array(6) }, { name: "particles/N", type: "u32", n: 1, m: 1, data: Uint32Array.from([1]) }]])),
  };

  // Readable but not measurable.
  cli(["md", glass, "hot.xyz", "--t", "1", "--steps", "20", "--quiet"], dir);
  cli(["make", "--n", "8", "--density", "0.02", "--tp", "0.05", "--time", "0.5", "--seed", "3", "--quiet", "-o", "dilute.xyz"], dir);
  // A sticky gel: minimized (max force < 1e-10), coordination ≈ 2.7, floppy clusters and rattlers.
  cli(["make", "--n", "30", "--density", "0.15", "--tp", "0.1", "--time", "0.5", "--seed", "3", "--quiet", "-o", "gel.xyz"], dir);
  const unmeasurable: Record<string, string> = {
    "not a minimum": join(dir, "hot.xyz"),
    "one particle": put("one.xyz", xyz("1", HEAD.replace(/"4 0 0 0 4 0 0 0 4"/, '"1.2 0 0 0 1.2 0 0 0 1.2"'), ["H 0.5 0.5 0.5 0"])),
    "coincident particles": put("same.xyz", xyz("3", HEAD, ["H 1 1 1 0", "He 1 1 1 1", "H 1 1 1 0"])),
    "no interacting pair": put("far.xyz", xyz("2", HEAD.replace(/"4 0 0 0 4 0 0 0 4"/, '"10 0 0 0 10 0 0 0 10"'), ["H 0.5 0.5 0.5 0", "H 5 5 5 0"])),
    "two touching particles": put("pair.xyz", xyz("2", HEAD.replace(/"4 0 0 0 4 0 0 0 4"/, '"10 0 0 0 10 0 0 0 10"'), ["H 1 1 1 0", "H 2 1 1 0"])),
    "dilute (no contacts)": join(dir, "dilute.xyz"),
    "gel with rattlers and floppy clusters": join(dir, "gel.xyz"),
  };
  const poly = put("poly.xyz", '2\nLattice="4 0 0 0 4 0 0 0 4" Properties=species:S:1:pos:R:3:type:I:1:radius:R:1 model=poly\nH 1 1 1 0 0.5\nH 3 3 3 0 0.6\n');
  const fourD = put("four.xyz", '2\nLattice="4 0 0 0 0 4 0 0 0 0 4 0 0 0 0 4" Properties=species:S:1:pos:R:4:type:I:1 dimension=4 pbc="T T T T" model=pss rc=1.2\nH 1 1 1 1 0\nHe 3 3 3 3 1\n');

  // Study specs.
  const ens = { label: "a", model: "model=pss rc=1.2", density: 0.6, tp: 2, samples: 1 };
  const spec = (o: Record<string, unknown>, e: Record<string, unknown> = {}) =>
    JSON.stringify({ name: "bad", seed: 1, glass: { d: 3, n: 20, time: 0.1 }, ensembles: [{ ...ens, ...e }], ...o });
  const s: Record<string, string> = {
    "not JSON": put("spec-notjson.json", "{ name: bad"),
    "empty file": put("spec-empty.json", ""),
    "binary": put("spec-binary.json", binary(500, 5)),
    "an array": put("spec-array.json", "[]"),
    "unknown top key": put("spec-key.json", spec({ sampels: 3 })),
    "unknown glass key": put("spec-gkey.json", spec({ glass: { d: 3, n: 20, tmie: 1 } })),
    "unknown ensemble key": put("spec-ekey.json", spec({}, { sampels: 2 })),
    "unknown measure key": put("spec-mkey.json", spec({ measure: { mode: 3 } })),
    "name ..": put("spec-name.json", spec({ name: ".." })),
    "name with /": put("spec-name2.json", spec({ name: "a/b" })),
    "label ..": put("spec-label.json", spec({}, { label: ".." })),
    "label with /": put("spec-label2.json", spec({}, { label: "../x" })),
    "hidden label": put("spec-label3.json", spec({}, { label: ".x" })),
    "empty label": put("spec-label4.json", spec({}, { label: "" })),
    "label twice": put("spec-label5.json", JSON.stringify({ name: "bad", seed: 1, glass: { n: 20 }, ensembles: [ens, ens] })),
    "negative samples": put("spec-samples.json", spec({}, { samples: -3 })),
    "zero samples": put("spec-samples0.json", spec({}, { samples: 0 })),
    "fractional samples": put("spec-samples1.json", spec({}, { samples: 1.5 })),
    "absurd samples": put("spec-samples2.json", spec({}, { samples: 1e12 })),
    "samples as string": put("spec-samples3.json", spec({}, { samples: "4" })),
    "seed negative": put("spec-seed.json", spec({ seed: -1 })),
    "seed as string": put("spec-seed2.json", spec({ seed: "1" })),
    "no ensembles": put("spec-noens.json", JSON.stringify({ name: "bad", seed: 1, ensembles: [] })),
    "unknown model": put("spec-model.json", spec({}, { model: "model=nope" })),
    "parameter out of range": put("spec-param.json", spec({}, { model: "model=pss rc=0.5" })),
    "model not a string": put("spec-model2.json", spec({}, { model: 3 })),
    "density 0": put("spec-density.json", spec({}, { density: 0 })),
    "density 1e6": put("spec-density2.json", spec({}, { density: 1e6 })),
    "tp negative": put("spec-tp.json", spec({}, { tp: -1 })),
    "tp a word": put("spec-tp2.json", spec({}, { tp: "hot" })),
    "n 0": put("spec-n.json", spec({ glass: { n: 0 } })),
    "n huge": put("spec-n2.json", spec({ glass: { n: 1e12 } })),
    "d 5": put("spec-d.json", spec({ glass: { d: 5, n: 20 } })),
    "time negative": put("spec-time.json", spec({ glass: { n: 20, time: -1 } })),
    "dt 0": put("spec-dt.json", spec({}, { dt: 0 })),
    "modes negative": put("spec-modes.json", spec({ measure: { modes: -1 } })),
    "tensor not boolean": put("spec-tensor.json", spec({ measure: { tensor: "yes" } })),
    "unknown protocol": put("spec-protocol.json", spec({}, { protocol: "slow" })),
    "decayFrom unknown": put("spec-decay.json", spec({}, { decayFrom: "zzz" })),
  };

  // Per-glass results for `ensemble`.
  const good = JSON.parse(readFileSync(result, "utf8"));
  const r: Record<string, string> = {
    "not JSON": put("res-notjson.json", "{ G: "),
    "empty file": put("res-empty.json", ""),
    "binary": put("res-binary.json", binary(400, 6)),
    "empty object": put("res-obj.json", "{}"),
    "an array": put("res-array.json", "[1, 2]"),
    "shear modulus as a string": put("res-gstring.json", JSON.stringify({ ...good, shearModulus: "big" })),
    "shear modulus missing": put("res-nog.json", JSON.stringify({ ...good, shearModulus: undefined })),
    "another model": put("res-model.json", JSON.stringify({ ...good, model: "model=ipl xc=1.48" })),
    "marked unconverged": put("res-unconverged.json", JSON.stringify({ ...good, converged: false })),
  };
  const dirs: Record<string, string> = { empty: join(dir, "empty-study"), garbage: join(dir, "garbage-study") };
  mkdirSync(dirs.empty!, { recursive: true });
  mkdirSync(dirs.garbage!, { recursive: true });
  writeFileSync(join(dirs.garbage!, "summary.json"), "{ not json");
  return { dir, glass, result, files: { xyz: x, data: d, dump: u, gsd: g }, unmeasurable, poly, fourD, study: s, results: r, dirs };
}

/** Every case of the battery. */
export function batteryCases(I: Inputs): BatteryCase[] {
  const out: BatteryCase[] = [];
  const add = (cls: string, name: string, ...args: string[]) => out.push({ cls, name, args });
  const G = I.glass;

  // 1. Broken files × the commands that read a configuration.
  for (const [format, files] of Object.entries(I.files)) {
    const cls = `${format} file`;
    Object.entries(files).forEach(([name, f], k) => {
      add(cls, `info: ${name}`, "info", f);
      add(cls, `convert onto an existing file: ${name}`, "convert", f, "existing.xyz");
      // The other commands read through the same code: each on a share of the files.
      if (k % 2 === 0) add(cls, `measure: ${name}`, "measure", f, "--json");
      else add(cls, `md onto an existing file: ${name}`, "md", f, "existing.xyz", "--t", "1", "--steps", "5", "--quiet");
      if (k % 4 === 0) {
        add(cls, `relax onto an existing file: ${name}`, "relax", f, "existing.xyz", "--quiet");
        add(cls, `modes: ${name}`, "modes", f, "--k", "2");
      } else if (k % 4 === 1) add(cls, `hessian: ${name}`, "hessian", f, "--export", "out.mtx");
      else if (k % 4 === 2) add(cls, `export-lammps: ${name}`, "export-lammps", f, "--data", "out.data", "--pair", "out.lmp");
      else add(cls, `view: ${name}`, "view", f, "-o", "out.html");
    });
  }

  // 2. Readable configurations that must not be measured.
  for (const [name, f] of Object.entries(I.unmeasurable)) {
    add("unmeasurable", `measure: ${name}`, "measure", f, "--json");
    add("unmeasurable", `modes: ${name}`, "modes", f, "--k", "1", "--vectors", "out.xyz");
    // A gel is a minimum: its Hessian may be exported (it is the moduli and modes that are undefined).
    if (!name.startsWith("gel")) add("unmeasurable", `hessian: ${name}`, "hessian", f, "--export", "out.mtx");
  }
  add("unmeasurable", "info: coincident particles", "info", I.unmeasurable["coincident particles"]!);
  add("unmeasurable", "relax: coincident particles", "relax", I.unmeasurable["coincident particles"]!, "out.xyz", "--quiet");
  add("unmeasurable", "measure with dipoles: not a minimum", "measure", I.unmeasurable["not a minimum"]!, "--dipoles", "5");

  // 3. Options of the commands.
  const make = (name: string, ...args: string[]) => add("make options", name, "make", "--n", "20", "--time", "0.1", "--tp", "1", "--quiet", "-o", "out.xyz", ...args);
  for (const v of ["0", "-5", "1", "4294967296", "abc", "1.5", "1e3", ""]) make(`--n ${v}`, "--n", v);
  for (const v of ["0", "-1", "1e6", "abc", "NaN", "Infinity"]) make(`--density ${v}`, "--density", v);
  for (const v of ["abc", "NaN", "0", "-2", "1e300"]) make(`--tp ${v}`, "--tp", v);
  for (const v of ["abc", "0", "-0.1", "NaN", "10"]) make(`--dt ${v}`, "--dt", v);
  for (const v of ["1", "5", "abc", "0"]) make(`--d ${v}`, "--d", v);
  for (const v of ["-1", "1.5", "1e400", "x"]) make(`--seed ${v}`, "--seed", v);
  make("--sample -1", "--sample", "-1");
  make("--model nope", "--model", "nope");
  for (const v of ["0.5", "abc", "1e300", "6"]) make(`--rc ${v}`, "--rc", v);
  make("qss --q -1", "--model", "qss", "--q", "-1", "--xc", "2");
  make("ipl --xc 0", "--model", "ipl", "--xc", "0");
  make("--param without =", "--param", "rc");
  make("--param rc=abc", "--param", "rc=abc");
  make("--time -1", "--time", "-1");
  for (const v of ["-1", "1.5"]) make(`--steps ${v}`, "--steps", v);
  make("--rate 0", "--protocol", "continuous", "--rate", "0");
  make("--protocol nope", "--protocol", "nope");
  make("--thermostat nope", "--thermostat", "nope");
  make("--minimizer nope", "--minimizer", "nope");
  for (const v of ["0", "-1"]) make(`--ftol ${v}`, "--ftol", v);
  make("--sweeps 0", "--equilibrator", "swap", "--sweeps", "0");
  make("--swap-fraction 2", "--equilibrator", "swap", "--swap-fraction", "2");
  make("--checkpoint-every 0", "--checkpoint-every", "0");
  make("--unknown-option", "--frobnicate");
  add("make options", "-o missing", "make", "--n", "20", "--quiet");
  add("make options", "-o with an unknown extension", "make", "--n", "20", "--time", "0.1", "--tp", "1", "--quiet", "-o", "out.unknown");
  add("make options", "-o in a missing folder", "make", "--n", "20", "--time", "0.1", "--tp", "1", "--quiet", "-o", "nodir/out.xyz");
  add("make options", "-o under /proc", "make", "--n", "20", "--time", "0.1", "--tp", "1", "--quiet", "-o", "/proc/x.xyz");
  add("make options", "-o 4D as LAMMPS data", "make", "--n", "20", "--d", "4", "--time", "0.1", "--tp", "1", "--quiet", "-o", "out.data");

  const md = (name: string, ...args: string[]) => add("md options", name, "md", G, "existing.xyz", "--quiet", ...args);
  for (const v of ["-1", "abc", "NaN"]) md(`--t ${v}`, "--t", v, "--steps", "5");
  md("--time 0", "--t", "1", "--time", "0");
  md("--time -1", "--t", "1", "--time", "-1");
  md("--steps 0", "--t", "1", "--steps", "0");
  md("--time and --steps", "--t", "1", "--time", "1", "--steps", "5");
  md("neither --time nor --steps", "--t", "1");
  md("--t missing", "--steps", "5");
  for (const v of ["0", "-1", "abc"]) md(`--dt ${v}`, "--t", "1", "--steps", "5", "--dt", v);
  md("--dt 10 with --time 1 (0 steps)", "--t", "1", "--time", "1", "--dt", "10");
  md("--dt 1 (blows up)", "--t", "1", "--steps", "50", "--dt", "1");
  md("--thermostat nope", "--t", "1", "--steps", "5", "--thermostat", "nope");
  for (const v of ["0", "-1"]) md(`--tau ${v}`, "--t", "1", "--steps", "5", "--tau", v);
  md("--seed -1", "--t", "1", "--steps", "5", "--seed", "-1");
  add("md options", "output with an unknown extension", "md", G, "out.zzz", "--t", "1", "--steps", "5", "--quiet");
  add("md options", "output under /proc", "md", G, "/proc/x.xyz", "--t", "1", "--steps", "5", "--quiet");
  add("md options", "4D glass to GSD", "md", I.fourD, "out.gsd", "--t", "1", "--steps", "1", "--quiet");

  const relax = (name: string, ...args: string[]) => add("relax options", name, "relax", I.unmeasurable["not a minimum"]!, "existing.xyz", "--quiet", ...args);
  relax("--minimizer nope", "--minimizer", "nope");
  for (const v of ["0", "-1", "abc"]) relax(`--ftol ${v}`, "--ftol", v);
  relax("--max-iterations -1", "--max-iterations", "-1");
  relax("--max-iterations 1 (does not converge)", "--max-iterations", "1");
  add("relax options", "output in a missing folder", "relax", G, "nodir/x.xyz", "--quiet");

  const measure = (name: string, ...args: string[]) => add("measure options", name, "measure", G, "--json", ...args);
  for (const v of ["-1", "abc", "100000"]) measure(`--modes ${v}`, "--modes", v);
  for (const v of ["-3", "abc", "2.5"]) measure(`--dipoles ${v}`, "--dipoles", v);
  for (const v of ["-1", "1e400", "x"]) measure(`--seed ${v}`, "--dipoles", "2", "--seed", v);
  for (const v of ["0", "-1", "2"]) measure(`--cg-tol ${v}`, "--cg-tol", v);
  measure("--force-tolerance -1", "--force-tolerance", "-1");
  for (const v of ["0", "-1"]) measure(`--bin-width ${v}`, "--gr", "--bin-width", v);
  measure("--solver nope", "--dipoles", "2", "--solver", "nope");
  measure("--block-size 0", "--dipoles", "2", "--block-size", "0");
  measure("--force-filter -1", "--dipoles", "2", "--force-filter", "-1");
  measure("--decay-bin-width 0", "--decay", "--dipoles", "2", "--decay-bin-width", "0");
  measure("--frame 3", "--frame", "3");
  measure("--from nope", "--from", "nope");
  measure("--dimension 5", "--dimension", "5");
  measure("--model nope", "--model", "nope");
  measure("--rc 0.9 (not a minimum of that model)", "--rc", "0.9");

  const modes = (name: string, ...args: string[]) => add("modes options", name, "modes", G, ...args);
  for (const v of ["0", "-1", "100000", "abc"]) modes(`--k ${v}`, "--k", v);
  for (const v of ["0", "-1"]) modes(`--tol ${v}`, "--k", "2", "--tol", v);
  modes("--force-tolerance -1", "--k", "2", "--force-tolerance", "-1");
  modes("--vectors in a missing folder", "--k", "2", "--vectors", "nodir/m.xyz");
  modes("--vectors under /proc", "--k", "2", "--vectors", "/proc/m.xyz");
  modes("--vectors onto a directory", "--k", "2", "--vectors", ".");

  add("hessian options", "--export in a missing folder", "hessian", G, "--export", "nodir/h.mtx");
  add("hessian options", "--export under /proc", "hessian", G, "--export", "/proc/h.mtx");
  add("hessian options", "--force-tolerance -1", "hessian", G, "--force-tolerance", "-1");
  add("hessian options", "not a minimum", "hessian", I.unmeasurable["not a minimum"]!, "--xi-shear", "xi.mtx");

  const lmp = (name: string, ...args: string[]) => add("export-lammps options", name, "export-lammps", G, ...args);
  lmp("--data missing", "--pair", "out.lmp");
  for (const v of ["0", "1", "-1", "abc"]) lmp(`--points ${v}`, "--data", "out.data", "--pair", "out.lmp", "--points", v);
  lmp("--data under /proc", "--data", "/proc/x.data", "--pair", "out.lmp");
  add("export-lammps options", "POLY", "export-lammps", I.poly, "--data", "out.data", "--pair", "out.lmp");
  add("export-lammps options", "4D", "export-lammps", I.fourD, "--data", "out.data", "--pair", "out.lmp");

  const conv = (name: string, ...args: string[]) => add("convert and info", name, ...args);
  conv("convert --format nope", "convert", G, "out.xyz", "--format", "nope");
  conv("convert to an unknown extension", "convert", G, "out.zzz");
  conv("convert under /proc", "convert", G, "/proc/x.xyz");
  conv("convert onto a directory", "convert", G, ".");
  conv("convert 4D to LAMMPS data", "convert", I.fourD, "out.data");
  conv("convert 4D to GSD", "convert", I.fourD, "out.gsd");
  conv("convert POLY read as a binary model with a type it lacks", "convert", I.poly, "out.dump", "--model", "pss", "--rc", "0.9");
  conv("convert a missing file", "convert", join(I.dir, "missing.xyz"), "out.xyz");
  conv("info on a missing file", "info", join(I.dir, "missing.xyz"));
  conv("info on a directory", "info", I.dir);
  conv("info on an unknown extension", "info", I.result);
  conv("info --frame 5", "info", G, "--frame", "5");
  conv("info --frame abc", "info", G, "--frame", "abc");
  conv("info --from nope", "info", G, "--from", "nope");
  conv("info --model nope", "info", G, "--model", "nope");
  conv("info --rc abc", "info", G, "--rc", "abc");
  conv("info --param rc=abc", "info", G, "--param", "rc=abc");
  conv("info --param without =", "info", G, "--param", "rc");
  conv("info --param of another model", "info", G, "--param", "q=20");
  conv("info without a file", "info");
  conv("unknown command", "frobnicate");
  conv("unknown global option", "--frobnicate");

  const lat = (name: string, ...args: string[]) => add("lattice options", name, "lattice", "--no-progress", ...args);
  for (const v of ["1", "5", "abc"]) lat(`--d ${v}`, "--d", v, "--samples", "10");
  for (const v of ["0", "-1", "abc", "1e30", "1.5"]) lat(`--samples ${v}`, "--d", "3", "--samples", v);
  for (const v of ["4", "-1", "0"]) lat(`--L ${v}`, "--d", "3", "--samples", "10", "--L", v);
  lat("--threads -1", "--d", "3", "--samples", "10", "--threads", "-1");
  lat("--seed -1", "--d", "3", "--samples", "10", "--seed", "-1");
  lat("--bins-per-decade 0", "--d", "3", "--samples", "10", "--bins-per-decade", "0");
  lat("--fit-min above --fit-max", "--d", "3", "--samples", "10", "--fit-min", "0.5", "--fit-max", "0.1");
  lat("--near-weight -1", "--d", "3", "--samples", "10", "--near-weight", "-1");
  lat("--omega-star -1", "--d", "3", "--samples", "10", "--omega-star", "-1");
  lat("--min-count -1", "--d", "3", "--samples", "10", "--min-count", "-1");
  lat("--d missing", "--samples", "10");

  const view = (name: string, ...args: string[]) => add("view options", name, "view", G, "-o", "out.html", ...args);
  for (const v of ["0", "-1", "abc", "100000"]) view(`--mode ${v}`, "--mode", v);
  for (const v of ["1", "a,b", "0,0", "0,150", "-1,2"]) view(`--dipole ${v}`, "--dipole", v);
  view("--qlm of a missing file", "--qlm", join(I.dir, "missing.mtx"));
  view("--field of a broken file", "--field", I.files.xyz["binary"]!);
  add("view options", "-o under /proc", "view", G, "-o", "/proc/x.html");
  add("view options", "-o onto a directory", "view", G, "-o", ".");
  add("view options", "not a minimum with --mode", "view", I.unmeasurable["not a minimum"]!, "-o", "out.html", "--mode", "1");

  // 4. Study specs (validation only: the runner is tested by the study tests).
  for (const [name, f] of Object.entries(I.study)) add("study spec", name, "study", f, "-o", "out", "--quiet");
  add("study spec", "missing spec file", "study", join(I.dir, "missing.json"), "-o", "out", "--quiet");
  add("study spec", "spec is a directory", "study", I.dir, "-o", "out", "--quiet");

  // 5. Results, studies and folders.
  add("results and folders", "ensemble without files", "ensemble");
  add("results and folders", "ensemble on a missing file", "ensemble", join(I.dir, "missing.json"));
  for (const [name, f] of Object.entries(I.results)) add("results and folders", `ensemble: ${name}`, "ensemble", I.result, f);
  add("results and folders", "ensemble --decay-from a missing file", "ensemble", I.result, "--decay-from", join(I.dir, "missing.json"));
  for (const sub of ["status", "merge"]) {
    add("results and folders", `study ${sub}: missing folder`, "study", sub, join(I.dir, "missing-study"));
    add("results and folders", `study ${sub}: empty folder`, "study", sub, I.dirs.empty!);
    add("results and folders", `study ${sub}: a file`, "study", sub, I.result);
  }
  for (const cmd of ["anneal", "report"]) {
    add("results and folders", `${cmd}: missing folder`, cmd, join(I.dir, "missing-study"));
    add("results and folders", `${cmd}: empty folder`, cmd, I.dirs.empty!);
    add("results and folders", `${cmd}: unreadable summary`, cmd, I.dirs.garbage!);
    add("results and folders", `${cmd}: a file instead of a folder`, cmd, I.result);
  }
  return out;
}
