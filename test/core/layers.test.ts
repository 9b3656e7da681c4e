/**
 * The layer order of the README's Design section, checked on every import in src/: a file in
 * src/<layer>/ may import its own layer and the layers this table allows, nothing downstream.
 * Imports are read with TypeScript's own pre-processor (static, re-exports, dynamic import()),
 * so comments and strings that look like imports do not count. A new folder in src/ fails here
 * until it has a place in the table (and in the README).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const SRC = fileURLToPath(new URL("../../../src/", import.meta.url));

/** The chain, upstream first; a stage may import every earlier stage. */
const CHAIN: readonly (readonly string[])[] = [
  ["core"],
  ["statistics"],
  ["models"],
  ["neighbors"],
  ["forces"],
  ["hessian", "linalg"],
  ["minimize", "dynamics"],
  ["protocols"],
  ["observables"],
  ["registry"],
  ["study"],
  ["report", "view"],
  ["cli"],
];

/** Imports inside one stage: the Hessian is assembled into linalg's BlockMatrix; the report embeds viewer pages. */
const SIBLING_EDGES: readonly (readonly [string, string])[] = [
  ["hessian", "linalg"],
  ["report", "view"],
];

/** Beside the chain (README): what each may import, and which layers may import it. */
const BESIDE: Readonly<Record<string, { imports: readonly string[]; importedBy: readonly string[] }>> = {
  // The report writes its own output files (atomically, through io/text); it reads nothing itself (study/folder.ts does).
  io: { imports: ["core", "models", "linalg"], importedBy: ["study", "view", "report", "cli"] },
  lattice: { imports: ["core", "statistics"], importedBy: ["cli"] },
};

/**
 * Imports against the order that exist today, file by file, with what would fix them. An entry
 * that no longer occurs fails the test too, so the list only shrinks.
 */
const KNOWN_VIOLATIONS: Readonly<Record<string, string>> = {};

const stageOf = new Map<string, number>();
CHAIN.forEach((layers, k) => layers.forEach((l) => stageOf.set(l, k)));

function allowed(from: string, to: string): boolean {
  if (from === to) return true;
  const besideFrom = BESIDE[from];
  if (besideFrom !== undefined) return besideFrom.imports.includes(to);
  const besideTo = BESIDE[to];
  if (besideTo !== undefined) return besideTo.importedBy.includes(from);
  const a = stageOf.get(from)!, b = stageOf.get(to)!;
  return b < a || (a === b && SIBLING_EDGES.some(([x, y]) => x === from && y === to));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

/** Every import of src/ between two src/ folders: "layer/file.ts -> layer/file.ts". */
function crossLayerImports(): { edge: string; from: string; to: string }[] {
  const out: { edge: string; from: string; to: string }[] = [];
  for (const file of tsFiles(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith(".")) continue; // node: built-ins and packages
      const target = relative(SRC, resolve(dirname(file), fileName)).replace(/\.js$/, ".ts");
      const source = relative(SRC, file);
      const from = source.split("/")[0]!, to = target.split("/")[0]!;
      if (to.startsWith("..")) throw new Error(`${source} imports ${fileName}, outside src/`);
      if (from !== to) out.push({ edge: `${source} -> ${target}`, from, to });
    }
  }
  return out;
}

test("every folder of src/ has a place in the layer table", () => {
  const layers = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
  for (const l of layers) assert.ok(stageOf.has(l) || l in BESIDE, `src/${l} is neither in the chain nor beside it`);
});

test("no import in src/ points against the README's layer order", () => {
  const imports = crossLayerImports();
  assert.ok(imports.length > 100, `only ${imports.length} cross-layer imports found: is the parser reading src/?`);
  const bad = [...new Set(imports.filter((i) => !allowed(i.from, i.to)).map((i) => i.edge))].sort();
  const unexpected = bad.filter((e) => !(e in KNOWN_VIOLATIONS));
  assert.deepEqual(unexpected, [], `imports against the layer order:\n  ${unexpected.join("\n  ")}`);
  const fixed = Object.keys(KNOWN_VIOLATIONS).filter((e) => !bad.includes(e));
  assert.deepEqual(fixed, [], `fixed, remove from KNOWN_VIOLATIONS:\n  ${fixed.join("\n  ")}`);
});

test("the layer rule itself: upstream never imports downstream, beside-the-chain folders only as listed", () => {
  assert.ok(allowed("observables", "hessian") && !allowed("hessian", "observables"));
  assert.ok(allowed("hessian", "linalg") && !allowed("linalg", "hessian"));
  assert.ok(!allowed("minimize", "dynamics") && !allowed("dynamics", "minimize"));
  assert.ok(allowed("cli", "lattice") && !allowed("study", "lattice") && !allowed("lattice", "cli"));
  assert.ok(allowed("study", "io") && !allowed("protocols", "io") && !allowed("io", "study"));
});
