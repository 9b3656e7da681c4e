/**
 * Browser tests (`npm run test:browser`, scripts/test-browser.sh; not part of `npm test`): the
 * viewer pages and the study report in Debian's chromium through playwright-core (no browser
 * download). Every page must load without a console error, an uncaught exception, a failed
 * request or an HTTP error; the viewer's canvas must draw (non-blank pixels) and change when the
 * mode animates. Screenshots, a PDF print of the report and the viewer timings at N = 10⁴ and
 * 10⁵ go to test-output/.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { Box } from "../src/core/box.js";
import type { Configuration } from "../src/core/configuration.js";
import { Rng } from "../src/core/rng.js";
import { parseDescriptor } from "../src/core/descriptor.js";
import { createModel } from "../src/models/index.js";
import { viewerHtml } from "../src/view/html.js";
import { buildViewData } from "../src/view/scene.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/src/cli/main.js");
const OUT = join(ROOT, "test-output");
const CHROMIUM = "/usr/bin/chromium";
// With --disable-gpu, WebGL runs on SwiftShader (CPU). Chromium 156 falls back to it by itself;
// --enable-unsafe-swiftshader keeps that working once the automatic fallback is removed (Chrome
// has announced it), so the test does not break on a browser update.
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

let browser: Browser;
let work: string;
let server: ChildProcess | null = null;
let reportUrl = "";

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, `glassmech ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

/** Starts `report DIR --serve` on a free port; resolves with the URL it prints. */
function serve(dir: string): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [CLI, "report", dir, "--serve"], { stdio: ["ignore", "pipe", "pipe"] });
    server = child;
    let out = "", err = "";
    const timer = setTimeout(() => fail(new Error(`report --serve printed no URL in 120 s: ${out} ${err}`)), 120_000);
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /serving .* at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.stderr!.on("data", (b: Buffer) => { err += b.toString(); });
    child.on("exit", (code) => { clearTimeout(timer); fail(new Error(`report --serve exited (${code}): ${err}`)); });
  });
}

/** A page that records every console error, page error, failed request and HTTP error. */
async function strictPage(width = 1000, height = 700): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const problems: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return { page, problems };
}

interface Probe { width: number; height: number; nonBackground: number; checksum: number }
const probe = (page: Page): Promise<Probe> => page.evaluate(() => (window as unknown as { glassmechView: { probe: () => Probe } }).glassmechView.probe());

/** Opens a viewer page, checks it draws and animates, saves a screenshot; returns its timings. */
async function checkViewer(url: string, shot: string): Promise<{ loadMs: number; firstDrawMs: number; fps: number }> {
  const { page, problems } = await strictPage();
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { glassmechView?: { ready: boolean } }).glassmechView?.ready === true, null, { timeout: 60_000 });
  const still = await probe(page);
  assert.ok(still.nonBackground > 0.03 * still.width * still.height, `${url}: canvas nearly blank (${still.nonBackground} of ${still.width * still.height} pixels drawn)`);
  // The mode animates: pixels at two phases of the oscillation differ…
  await page.evaluate(() => { const v = (window as unknown as { glassmechView: { setAnimate: (on: boolean) => void; setPhase: (p: number) => void } }).glassmechView; v.setAnimate(false); v.setPhase(Math.PI / 2); });
  const a = await probe(page);
  await page.evaluate(() => (window as unknown as { glassmechView: { setPhase: (p: number) => void } }).glassmechView.setPhase(-Math.PI / 2));
  const b = await probe(page);
  assert.notEqual(a.checksum, b.checksum, `${url}: the picture does not change between animation phases`);
  // …and the running animation draws new frames by itself.
  await page.evaluate(() => (window as unknown as { glassmechView: { setAnimate: (on: boolean) => void } }).glassmechView.setAnimate(true));
  const f0 = await page.evaluate(() => (window as unknown as { glassmechView: { frames: number } }).glassmechView.frames);
  const s1 = await page.locator("#view").screenshot();
  await page.waitForTimeout(1000);
  const f1 = await page.evaluate(() => (window as unknown as { glassmechView: { frames: number } }).glassmechView.frames);
  const s2 = await page.locator("#view").screenshot();
  assert.ok(f1 - f0 >= 2, `${url}: the animation drew ${f1 - f0} frames in 1 s`);
  assert.ok(!s1.equals(s2), `${url}: two screenshots 1 s apart are identical while animating`);
  await page.screenshot({ path: join(OUT, shot) });
  const t = await page.evaluate(() => { const v = (window as unknown as { glassmechView: { loadMs: number; firstDrawMs: number } }).glassmechView; return { loadMs: v.loadMs, firstDrawMs: v.firstDrawMs }; });
  await page.close();
  assert.deepEqual(problems, [], `${url}: ${problems.join("; ")}`);
  return { ...t, fps: f1 - f0 };
}

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`test:browser needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium); scripts/test-browser.sh installs it`);
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  } catch (e) {
    throw new Error(`chromium at ${CHROMIUM} did not start: ${(e as Error).message}`);
  }
  mkdirSync(OUT, { recursive: true });
  work = mkdtempSync(join(tmpdir(), "gm-browser-"));
});

after(async () => {
  if (server !== null && server.exitCode === null) server.kill("SIGTERM");
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("view pages of a 3D and a 2D glass draw, animate and log no error", async () => {
  const v3 = join(work, "view3d.html"), v2 = join(work, "view2d.html");
  cli("view", join(ROOT, "test/fixtures/pss3d_n200.xyz"), "--mode", "1", "--dipole", "45,86", "-o", v3);
  cli("view", join(ROOT, "test/fixtures/ipl2d_n100.xyz"), "--mode", "1", "-o", v2);
  await checkViewer(`file://${v3}`, "view-3d-mode.png");
  await checkViewer(`file://${v2}`, "view-2d-mode.png");
  // The dipole response with arrows.
  const { page, problems } = await strictPage();
  await page.goto(`file://${v3}`);
  await page.waitForFunction(() => (window as unknown as { glassmechView?: { ready: boolean } }).glassmechView?.ready === true);
  await page.selectOption("#field", "1");
  await page.selectOption("#display", "both");
  await page.evaluate(() => { const v = (window as unknown as { glassmechView: { setAnimate: (on: boolean) => void; setPhase: (p: number) => void } }).glassmechView; v.setAnimate(false); v.setPhase(Math.PI / 2); });
  const p = await probe(page);
  assert.ok(p.nonBackground > 0.03 * p.width * p.height);
  assert.match(await page.locator("#info").textContent() ?? "", /dipole response \(45, 86\): κ = /);
  await page.screenshot({ path: join(OUT, "view-3d-dipole-arrows.png") });
  await page.close();
  assert.deepEqual(problems, []);
});

test("a small study's report, served by report --serve, links working viewer pages and prints to PDF", async () => {
  const spec = join(work, "tiny.json"), dir = join(work, "study");
  writeFileSync(spec, JSON.stringify({
    name: "browser", seed: 5, glass: { d: 3, n: 200, time: 2 }, measure: { modes: 12, dipoles: 30, decay: true },
    ensembles: [
      { label: "pss-rc1.2", model: "model=pss rc=1.2", density: 0.6, tp: 2.0, samples: 2 },
      { label: "pss-rc1.5", model: "model=pss rc=1.5", density: 0.6, tp: 2.0, samples: 2 },
    ],
  }));
  cli("study", spec, "-o", dir);
  reportUrl = await serve(dir);
  const { page, problems } = await strictPage(1100, 900);
  await page.goto(reportUrl);
  assert.match(await page.title(), /glassmech report: browser/);
  const links = await page.locator('a[href$="view.html"]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  assert.equal(links.length, 2, "one view per ensemble");
  assert.ok(await page.locator("nav.toc a").count() >= 5, "table of contents");
  await page.screenshot({ path: join(OUT, "report-top.png") });
  await page.locator("#s-css-varying-cutoff-r-c").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, "report-css.png") });
  const pdf = join(OUT, "report.pdf");
  await page.pdf({ path: pdf, format: "A4", printBackground: true });
  assert.ok(readFileSync(pdf).subarray(0, 5).toString() === "%PDF-" && statSync(pdf).size > 20_000, "the report prints to a PDF");
  await page.close();
  assert.deepEqual(problems, []);
  for (const [k, href] of links.entries()) await checkViewer(href, `report-view-${k}.png`);
});

/** A random d-dimensional configuration of n particles (ρ = 0.6) and a field localized at the box centre. */
function bigScene(n: number, d = 3): string {
  const rng = Rng.fromSeed(11);
  const box = Box.forDensity(d, n, 0.6);
  const L = box.lengths()[0];
  const positions = Float64Array.from({ length: d * n }, () => rng.uniform() * L);
  const types = Int32Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 0 : 1));
  const config: Configuration = { d, n, box, positions, types, sizes: null, model: parseDescriptor("model=pss rc=1.2") };
  // ψ_i ∝ (x_i − c)/(1 + |x_i − c|^d): a core with a power-law tail, like a dipole response.
  const v = new Float64Array(d * n);
  for (let i = 0; i < n; i++) {
    const r = Array.from({ length: d }, (_, a) => positions[d * i + a] - L / 2);
    const w = 1 / (1 + Math.hypot(...r) ** d);
    for (let a = 0; a < d; a++) v[d * i + a] = r[a] * w;
  }
  return viewerHtml(buildViewData(config, createModel(config.model), [{ name: "synthetic localized field", info: "test", vector: v }], { title: `N = ${n}, d = ${d}` }));
}

test("a 4D glass is shown as a 3D slice with its note", async () => {
  const file = join(work, "view-4d.html");
  writeFileSync(file, bigScene(20_000, 4));
  await checkViewer(`file://${file}`, "view-4d-slice.png");
  const { page, problems } = await strictPage();
  await page.goto(`file://${file}`);
  assert.match(await page.locator("#notes").textContent() ?? "", /4D glass: the 3D slice \|w − L_w\/2\| < 0\.6 of the fourth axis \(\d+ of 20000 particles\)/);
  await page.close();
  assert.deepEqual(problems, []);
});

test("viewer at N = 10⁴ and 10⁵: file size, load and draw time, frames per second", async () => {
  const timings: Record<string, unknown>[] = [];
  for (const n of [10_000, 100_000]) {
    const file = join(work, `view-${n}.html`);
    const html = bigScene(n);
    writeFileSync(file, html);
    const t = await checkViewer(`file://${file}`, `view-n${n}.png`);
    timings.push({ n, megabytes: +(Buffer.byteLength(html) / 1e6).toFixed(2), ...t });
    assert.ok(t.firstDrawMs < 30_000, `N = ${n}: first draw took ${t.firstDrawMs} ms`);
  }
  writeFileSync(join(OUT, "viewer-timings.json"), JSON.stringify({ renderer: "chromium --disable-gpu (SwiftShader WebGL, CPU)", viewport: "1000×700", timings }, null, 2) + "\n");
  process.stdout.write(`viewer timings: ${JSON.stringify(timings)}\n`);
});
