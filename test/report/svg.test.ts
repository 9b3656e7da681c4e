import { test } from "node:test";
import assert from "node:assert/strict";
import { escapeXml } from "../../src/core/xml.js";
import { formatTick, linearTicks, logTicks, plotSvg } from "../../src/report/svg.js";
import { xmlProblem } from "./xml.js";

test("the XML check itself catches broken markup", () => {
  assert.equal(xmlProblem(`<svg a="1"><g><text>x &amp; y</text></g></svg>`), null);
  assert.match(xmlProblem(`<svg><g></svg>`) ?? "", /closes/);
  assert.match(xmlProblem(`<svg><text>a & b</text></svg>`) ?? "", /bare &/);
  assert.match(xmlProblem(`<svg><text>a < b</text></svg>`) ?? "", /angle/);
  assert.match(xmlProblem(`<svg>`) ?? "", /unclosed/);
});

test("plotSvg emits well-formed SVG with markers, error bars, legend and escaped labels", () => {
  const svg = plotSvg({
    title: "G/K <vs> ρ & more",
    xLabel: "density ρ",
    yLabel: "G/K",
    series: [
      { label: "ours", x: [0.55, 0.6, 0.8, 1.2], y: [0.42, 0.35, 0.22, 0.16], yErr: [0.01, 0.01, NaN, 0.02], line: true },
      { label: "paper", x: [0.95, 1.2], y: [0.15, 0.15], shape: "square" },
    ],
    hLines: [{ y: 0.15, label: "plateau 0.15" }],
  });
  assert.equal(xmlProblem(svg), null);
  assert.ok(svg.startsWith("<svg") && svg.trimEnd().endsWith("</svg>"));
  assert.equal((svg.match(/<circle /g) ?? []).length, 4 + 1, "4 markers + 1 legend marker");
  assert.equal((svg.match(/<rect [^>]*fill="none" stroke/g) ?? []).length, 2 + 1, "2 square paper markers + the frame");
  assert.ok(svg.includes("G/K &lt;vs&gt; ρ &amp; more"));
  assert.ok(svg.includes("<polyline"));
  assert.ok(svg.includes("plateau 0.15") && svg.includes("stroke-dasharray"));
  // 3 error bars (one NaN skipped) = 3 × (bar + 2 caps)
  const bars = svg.split("\n").filter((l) => l.startsWith("<line") && l.includes('stroke="#4e79a7"') && !l.includes("stroke-width"));
  assert.equal(bars.length, 9);
});

test("log axes skip non-positive points and put ticks on decades; empty plots say so", () => {
  const svg = plotSvg({ xLabel: "κ", yLabel: "p(κ)", xLog: true, yLog: true, series: [{ label: "a", x: [0, 1e-2, 1e-1, 1, 10], y: [1, 1e-3, 0, 1e-1, 1] }] });
  assert.equal(xmlProblem(svg), null);
  assert.equal((svg.match(/<circle /g) ?? []).length, 3 + 1);
  assert.ok(svg.includes(">0.01<") && svg.includes(">1<") && svg.includes(">10<"));
  const empty = plotSvg({ xLabel: "x", yLabel: "y", series: [{ label: "none", x: [NaN], y: [1] }] });
  assert.equal(xmlProblem(empty), null);
  assert.ok(empty.includes("no data"));
});

test("ticks are nice numbers covering the range", () => {
  assert.deepEqual(linearTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(linearTicks(0.53, 1.22, 5), [0.6, 0.8, 1, 1.2]);
  assert.deepEqual(logTicks(1e-3, 20), [1e-3, 1e-2, 0.1, 1, 10]);
  assert.deepEqual(logTicks(0.9, 6), [1, 2, 5]);
  assert.equal(formatTick(0.25), "0.25");
  assert.equal(formatTick(1e-4), "10⁻⁴");
  assert.equal(formatTick(2e5), "2×10⁵");
  assert.equal(escapeXml(`a<b>"c"&'d'`), "a&lt;b&gt;&quot;c&quot;&amp;&apos;d&apos;");
});
