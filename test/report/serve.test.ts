import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveRequest, serveStudy } from "../../src/report/serve.js";

/**
 * A raw HTTP/1.0 request with the path exactly as given (an HTTP client library would normalize
 * "../" and encodings away before sending, hiding what a hostile client can send).
 */
function rawGet(port: number, path: string, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const s = connect(port, "127.0.0.1", () => s.write(`${method} ${path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n`));
    let data = "";
    s.on("data", (b) => { data += b.toString("latin1"); });
    s.on("end", () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      if (m === null) fail(new Error(`no status line in ${JSON.stringify(data.slice(0, 80))}`));
      else ok({ status: Number(m[1]), body: data.slice(data.indexOf("\r\n\r\n") + 4) });
    });
    s.on("error", fail);
  });
}

/** parent/{study/report.html, study/sub/index.html, study-secret.txt, secret.txt}, study/link → parent. */
function layout(): { parent: string; study: string } {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), "gm-serve-")));
  const study = join(parent, "study");
  mkdirSync(join(study, "sub"), { recursive: true });
  writeFileSync(join(study, "report.html"), "<html>REPORT</html>");
  writeFileSync(join(study, "sub", "index.html"), "SUBINDEX");
  writeFileSync(join(study, "a b.txt"), "SPACED");
  writeFileSync(join(parent, "secret.txt"), "SECRET");
  writeFileSync(join(parent, "study-secret.txt"), "PREFIX-SECRET");
  symlinkSync(parent, join(study, "link"));
  symlinkSync(join(parent, "secret.txt"), join(study, "secret-link.txt"));
  return { parent, study };
}

const HOSTILE = [
  "/../secret.txt", "/../../../../etc/passwd", "/sub/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/%2e%2e%2fsecret.txt",
  "/..%2fsecret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt", "//etc/passwd", "/%2fetc%2fpasswd",
  "/etc/passwd", "/link/secret.txt", "/secret-link.txt", "/../study-secret.txt", "/%00", "/report.html%00.txt", "/%zz", "secret.txt",
];

test("resolveRequest maps only paths inside the folder to files", () => {
  const { parent, study } = layout();
  try {
    assert.equal(resolveRequest(study, "/report.html"), join(study, "report.html"));
    assert.equal(resolveRequest(study, "/"), join(study, "report.html"), "the folder serves its report.html");
    assert.equal(resolveRequest(study, "/sub/"), join(study, "sub", "index.html"));
    assert.equal(resolveRequest(study, "/a%20b.txt?x=1"), join(study, "a b.txt"));
    assert.equal(resolveRequest(study, "/sub/./index.html"), join(study, "sub", "index.html"));
    assert.equal(resolveRequest(study, "/missing.html"), null);
    for (const p of HOSTILE) assert.equal(resolveRequest(study, p), null, p);
    assert.equal(resolveRequest(study, `/${join(parent, "secret.txt")}`), null, "an absolute path after the slash");
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test("report --serve binds 127.0.0.1 and answers hostile paths with 404, never with a file outside the folder", async () => {
  const { parent, study } = layout();
  const s = await serveStudy(study);
  try {
    const addr = s.server.address();
    assert.ok(addr !== null && typeof addr === "object" && addr.address === "127.0.0.1", "bound to 127.0.0.1 only");
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const port = (addr as { port: number }).port;
    const ok = await rawGet(port, "/report.html");
    assert.equal(ok.status, 200);
    assert.equal(ok.body, "<html>REPORT</html>");
    assert.equal((await rawGet(port, "/sub/")).body, "SUBINDEX");
    for (const p of [...HOSTILE, join(parent, "secret.txt"), `/${join(parent, "secret.txt")}`]) {
      const r = await rawGet(port, p);
      assert.ok(r.status === 404 || r.status === 400, `${p}: status ${r.status}`);
      assert.ok(!r.body.includes("SECRET"), `${p} leaked a file outside the folder`);
    }
    assert.equal((await rawGet(port, "/report.html", "POST")).status, 405);
    assert.equal((await rawGet(port, "/favicon.ico")).status, 204);
  } finally {
    await s.close();
    rmSync(parent, { recursive: true, force: true });
  }
});
