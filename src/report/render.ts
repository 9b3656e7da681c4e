/**
 * A tiny document model (headings, paragraphs, lists, tables, plot grids) rendered to Markdown
 * (plots as separate .svg files) and to one self-contained HTML page (plots inlined).
 * Text is plain: renderers escape it for their format.
 */
import { escapeXml } from "../core/xml.js";

export interface Plot {
  /** File-name stem, e.g. "dss-gk". */
  name: string;
  title: string;
  svg: string;
}

export type Block =
  | { kind: "h"; level: 1 | 2 | 3; text: string }
  | { kind: "p"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "table"; header: string[]; rows: string[][] }
  | { kind: "plots"; plots: Plot[] }
  /** The table of contents: every level-2 heading, linked (HTML) or listed (Markdown). */
  | { kind: "toc" }
  /** Preformatted text (the study spec). */
  | { kind: "pre"; text: string }
  /** Links to other pages of the study folder (hrefs relative to the report). */
  | { kind: "links"; items: { href: string; text: string; note: string }[] };

/** The anchor of a heading: its text as a slug. */
export function anchor(text: string): string {
  return "s-" + text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

const tocOf = (blocks: readonly Block[]): string[] => blocks.flatMap((b) => (b.kind === "h" && b.level === 2 ? [b.text] : []));

const mdCell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Markdown; plot i of a grid is referenced as `${plotDir}/${name}.svg`. */
export function renderMarkdown(blocks: readonly Block[], plotDir: string): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case "h": out.push(`${"#".repeat(b.level)} ${b.text}`, ""); break;
      case "p": out.push(b.text, ""); break;
      case "list": out.push(...b.items.map((i) => `- ${i}`), ""); break;
      case "table":
        out.push(`| ${b.header.map(mdCell).join(" | ")} |`, `|${b.header.map(() => " --- ").join("|")}|`);
        for (const r of b.rows) out.push(`| ${r.map(mdCell).join(" | ")} |`);
        out.push("");
        break;
      case "plots": for (const p of b.plots) out.push(`![${p.title}](${plotDir}/${p.name}.svg)`); out.push(""); break;
      case "toc": out.push(...tocOf(blocks).map((t, k) => `${k + 1}. [${t}](#${anchor(t)})`), ""); break;
      case "pre": out.push("```", b.text, "```", ""); break;
      case "links": out.push(...b.items.map((l) => `- [${l.text}](${encodeURI(l.href)})${l.note ? ` ${l.note}` : ""}`), ""); break;
    }
  }
  return out.join("\n");
}

/** Verdict words get a color class in HTML. */
function htmlCell(s: string): string {
  const e = escapeXml(s);
  return e.replace(/^(yes|no|inconclusive|no data)\b/, (m) => `<span class="v-${m.replace(" ", "-")}">${m}</span>`);
}

const STYLE = `body{font-family:Helvetica,Arial,sans-serif;max-width:1120px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:0.6em 0 1.2em;font-size:13px}th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3}.plots{display:flex;flex-wrap:wrap;gap:12px}.plots figure{margin:0}
.v-yes{color:#1a7f37;font-weight:bold}.v-no{color:#cf222e;font-weight:bold}.v-inconclusive{color:#9a6700;font-weight:bold}.v-no-data{color:#888}
pre{background:#f6f6f6;padding:8px;font-size:12px;overflow-x:auto;white-space:pre-wrap}.toc ol{columns:2}.plots svg{max-width:100%;height:auto}
@media print{@page{size:A4;margin:14mm}body{max-width:none;margin:0;padding:0;font-size:10pt;line-height:1.3}
h2{break-before:page;break-after:avoid}h3{break-after:avoid}.toc{break-after:page}
table{font-size:8pt;width:100%}thead{display:table-header-group}tr,figure,pre{break-inside:avoid}
.plots{display:block}.plots figure{display:inline-block;width:49%;vertical-align:top}a{color:inherit;text-decoration:none}
.v-yes,.v-no,.v-inconclusive{-webkit-print-color-adjust:exact;print-color-adjust:exact}}`;

/** One self-contained HTML page (inline CSS and SVG, no scripts, no external files). */
export function renderHtml(blocks: readonly Block[], title: string): string {
  const out: string[] = [`<!DOCTYPE html>`, `<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${STYLE}</style></head><body>`];
  for (const b of blocks) {
    switch (b.kind) {
      case "h": out.push(`<h${b.level} id="${anchor(b.text)}">${escapeXml(b.text)}</h${b.level}>`); break;
      case "p": out.push(`<p>${escapeXml(b.text)}</p>`); break;
      case "list": out.push(`<ul>${b.items.map((i) => `<li>${htmlCell(i)}</li>`).join("")}</ul>`); break;
      case "table":
        out.push(`<table><thead><tr>${b.header.map((h) => `<th>${escapeXml(h)}</th>`).join("")}</tr></thead><tbody>`);
        for (const r of b.rows) out.push(`<tr>${r.map((c) => `<td>${htmlCell(c)}</td>`).join("")}</tr>`);
        out.push(`</tbody></table>`);
        break;
      case "plots": out.push(`<div class="plots">${b.plots.map((p) => `<figure>${p.svg}</figure>`).join("\n")}</div>`); break;
      case "toc": out.push(`<nav class="toc"><ol>${tocOf(blocks).map((t) => `<li><a href="#${anchor(t)}">${escapeXml(t)}</a></li>`).join("")}</ol></nav>`); break;
      case "pre": out.push(`<pre>${escapeXml(b.text)}</pre>`); break;
      case "links": out.push(`<ul>${b.items.map((l) => `<li><a href="${escapeXml(encodeURI(l.href))}">${escapeXml(l.text)}</a>${l.note ? ` ${escapeXml(l.note)}` : ""}</li>`).join("")}</ul>`); break;
    }
  }
  out.push(`</body></html>`);
  return out.join("\n") + "\n";
}
