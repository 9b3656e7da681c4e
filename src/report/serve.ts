/**
 * `glassmech report DIR --serve`: a static file server for a study folder, so that a browser can
 * open the report and its viewer pages. It binds 127.0.0.1 only and serves nothing outside DIR:
 * the path is percent-decoded once, must be relative (no drive, no NUL, no backslash), is
 * resolved against DIR, and the resolved real path (symbolic links followed) must lie inside
 * DIR's real path. Only GET and HEAD; directories serve their index.html or report.html;
 * /favicon.ico, when DIR has none, is 204 No Content.
 */
import { createReadStream, existsSync, realpathSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, isAbsolute, join, resolve, sep } from "node:path";
import { GlassmechError } from "../core/errors.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".md": "text/markdown; charset=utf-8", ".svg": "image/svg+xml", ".json": "application/json",
  ".png": "image/png", ".txt": "text/plain; charset=utf-8", ".xyz": "text/plain; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
};

/**
 * The file a request path maps to inside `root` (a real path), or null when the path is not
 * allowed or names nothing: the whole access rule of the server, exported for the tests.
 */
export function resolveRequest(root: string, rawPath: string): string | null {
  const q = rawPath.indexOf("?");
  let p = q >= 0 ? rawPath.slice(0, q) : rawPath;
  try {
    p = decodeURIComponent(p);
  } catch {
    return null;
  }
  if (!p.startsWith("/") || p.includes("\0") || p.includes("\\")) return null;
  const rel = p.replace(/^\/+/, "");
  if (isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return null;
  if (rel.split("/").some((s) => s === "..")) return null;
  let target = resolve(root, rel);
  if (target !== root && !target.startsWith(root + sep)) return null;
  if (!existsSync(target)) return null;
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return null;
  }
  if (real !== root && !real.startsWith(root + sep)) return null;
  if (statSync(real).isDirectory()) {
    const index = ["index.html", "report.html"].map((f) => join(real, f)).find((f) => existsSync(f));
    if (index === undefined) return null;
    target = index;
    real = realpathSync(target);
    if (!real.startsWith(root + sep)) return null;
  }
  return statSync(real).isFile() ? real : null;
}

export interface StudyServer {
  readonly server: Server;
  readonly url: string;
  readonly close: () => Promise<void>;
}

/** Serves `dir` on 127.0.0.1:`port` (0 = a free port); resolves once listening. */
export function serveStudy(dir: string, port = 0): Promise<StudyServer> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new GlassmechError(`report --serve: ${dir} is not a folder`);
  const root = realpathSync(dir);
  const server = createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const file = resolveRequest(root, req.url ?? "/");
    // Browsers ask for /favicon.ico on their own; a study has none: "no content", not an error.
    if (file === null && (req.url ?? "").split("?")[0] === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (file === null) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream", "Content-Length": statSync(file).size, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once("error", (e) => fail(new GlassmechError(`report --serve: cannot listen on 127.0.0.1:${port}: ${e.message}`)));
    server.listen(port, "127.0.0.1", () => {
      const a = server.address() as AddressInfo;
      ok({ server, url: `http://127.0.0.1:${a.port}/`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
