/**
 * One self-contained viewer page (no network): the page's script (src/view/page/, compiled by
 * `npm run build` to dist/src/view/page/*.js and read from there) and the scene data
 * (./scene.ts) are inlined; the controls are plain HTML.
 *
 * Example: `writeFileAtomic("view.html", viewerHtml(buildViewData(config, model, [field])))`.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GlassmechError } from "../core/errors.js";
import { escapeXml } from "../core/xml.js";
import type { ViewData } from "./scene.js";

/** The page scripts, in the order they are inlined (matrix.ts defines what viewer.ts uses). */
const PAGE_SCRIPTS = ["matrix.js", "viewer.js"];

let cached: string | null = null;

/** The compiled page script, read once from dist/src/view/page/. */
export function pageScript(): string {
  if (cached !== null) return cached;
  const parts = PAGE_SCRIPTS.map((f) => {
    const path = fileURLToPath(new URL(`./page/${f}`, import.meta.url));
    if (!existsSync(path)) throw new GlassmechError(`view: the viewer page script ${path} is missing (run npm run build)`);
    return readFileSync(path, "utf8");
  });
  // One function scope: the page's globals stay private; "</script" cannot occur in compiled TS
  // except in strings, which we escape to be safe.
  cached = `(function () {\n${parts.join("\n")}\n})();`.replace(/<\/script/gi, "<\\/script");
  return cached;
}

const STYLE = `html,body{margin:0;height:100%;font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#222}
body{display:flex;flex-direction:column}
header{padding:6px 10px;border-bottom:1px solid #ccc;display:flex;flex-wrap:wrap;gap:6px 16px;align-items:center}
header h1{font-size:15px;margin:0 12px 0 0}
label{white-space:nowrap}
#view{flex:1;width:100%;min-height:200px;display:block;touch-action:none;cursor:grab}
footer{padding:4px 10px;border-top:1px solid #ccc;display:flex;flex-wrap:wrap;gap:4px 18px}
.bar{display:inline-block;width:90px;height:10px;vertical-align:middle;background:linear-gradient(90deg,#440154,#3b528b,#21918c,#5ec962,#fde725)}
.sw{display:inline-block;width:10px;height:10px;border-radius:5px;margin:0 3px 0 8px;vertical-align:middle}
#status{color:#777}`;

/** The page HTML for the given scene data. */
export function viewerHtml(data: ViewData): string {
  // JSON inside <script type="application/json">: "<" escaped so no "</script>" can close it.
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeXml(data.title)}</title><style>${STYLE}</style></head><body>
<header><h1 id="title">${escapeXml(data.title)}</h1>
<label>field <select id="field"></select></label>
<label>show <select id="display"><option value="highlight">highlight |ψ_i| (color + size)</option><option value="color">color by |ψ_i|</option><option value="arrows">arrows</option><option value="both">arrows + color</option><option value="type">particle types</option></select></label>
<label>amplitude <input id="amp" type="range" min="0" max="1.5" step="0.01" value="0.5"></label>
<label>arrow length <input id="arrow" type="range" min="0" max="6" step="0.05" value="2"></label>
<label>particle size <input id="scale" type="range" min="0.1" max="1.2" step="0.01" value="1"></label>
<label><input id="animate" type="checkbox" checked> animate</label>
</header>
<canvas id="view"></canvas>
<footer><span id="info"></span><span id="colorbar"></span><span id="notes"></span><span>drag: rotate · wheel: zoom · double-click: reset</span><span id="status">loading…</span></footer>
<script type="application/json" id="view-data">${json}</script>
<script>${pageScript()}</script>
</body></html>
`;
}
