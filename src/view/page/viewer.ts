/**
 * The viewer page's script (inlined into the HTML by src/view/html.ts after matrix.ts; no
 * network, no library). It reads the JSON of src/view/scene.ts from <script id="view-data">
 * and draws with plain WebGL 1:
 * - particles as point sprites shaded as spheres (one vertex per particle: N = 10⁵ is one draw
 *   call of 10⁵ vertices), sized by type or radius, colored by type or by log |ψ_i| (and in
 *   "highlight" also sized by it);
 * - the field as line arrows from each particle (dark tail → bright tip, a dot as the head),
 *   two draw calls;
 * - the periodic box as 12 edges;
 * - the mode animated as x_i + A sin(φ) ψ_i/max|ψ| in the vertex shader (no re-upload per frame).
 * Drag rotates, the wheel zooms, double-click resets. `window.glassmechView` exposes counters and
 * a pixel probe for the browser test (test-browser/).
 */

interface PageField { name: string; info: string; vectors: string; componentScale: number; maxNorm: number }
interface PageData {
  title: string; d: number; nTotal: number; n: number; cell: number[]; positions: string; types: string;
  typeRadius: number[]; species: string[]; radii: string | null; fields: PageField[]; notes: string[];
}
interface ProbeResult { width: number; height: number; nonBackground: number; checksum: number }
interface ViewHook { ready: boolean; frames: number; loadMs: number; firstDrawMs: number; probe: () => ProbeResult; setAnimate: (on: boolean) => void; setPhase: (phi: number) => void }

const BACKGROUND: [number, number, number] = [1, 1, 1];
const TYPE_COLORS: [number, number, number][] = [[0.55, 0.62, 0.75], [0.85, 0.55, 0.35], [0.45, 0.7, 0.45], [0.7, 0.5, 0.75]];

function decodeBase64(s: string): ArrayBuffer {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
}

/** A perceptually ordered map (viridis, 5 stops, linear in between) for t ∈ [0, 1]. */
function colormap(t: number): [number, number, number] {
  const stops: [number, number, number][] = [[0.267, 0.005, 0.329], [0.231, 0.322, 0.545], [0.129, 0.569, 0.549], [0.369, 0.788, 0.384], [0.993, 0.906, 0.144]];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x)), f = x - k;
  return [0, 1, 2].map((c) => stops[k][c] * (1 - f) + stops[k + 1][c] * f) as [number, number, number];
}

/** Decades of |ψ_i| the color scale spans (log scale: responses decay as powers of r). */
const DECADES = 3;

function compile(gl: WebGLRenderingContext, vs: string, fs: string): WebGLProgram {
  const prog = gl.createProgram()!;
  for (const [type, src] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]] as [number, string][]) {
    const sh = gl.createShader(type)!;
    gl.shaderSource(sh, src);
    gl.compileShader(sh);
    if (!gl.getShaderParameter(sh, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(sh)}`);
    gl.attachShader(prog, sh);
  }
  gl.linkProgram(prog);
  if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) throw new Error(`program: ${gl.getProgramInfoLog(prog)}`);
  return prog;
}

const SPHERE_VS = `attribute vec3 aPos; attribute vec3 aField; attribute float aRadius; attribute vec3 aColor;
uniform mat4 uView; uniform mat4 uProj; uniform float uDisp; uniform float uPx;
varying vec3 vColor;
void main() {
  vec4 p = uView * vec4(aPos + uDisp * aField, 1.0);
  gl_Position = uProj * p;
  gl_PointSize = max(1.5, 2.0 * aRadius * uPx / -p.z);
  vColor = aColor;
}`;
const SPHERE_FS = `precision mediump float; varying vec3 vColor;
void main() {
  vec2 c = gl_PointCoord * 2.0 - 1.0;
  float r2 = dot(c, c);
  if (r2 > 1.0) discard;
  vec3 n = vec3(c.x, -c.y, sqrt(1.0 - r2));
  float l = max(dot(n, normalize(vec3(0.4, 0.5, 0.8))), 0.0);
  gl_FragColor = vec4(vColor * (0.35 + 0.65 * l) + vec3(0.3) * pow(l, 30.0), 1.0);
}`;
const LINE_VS = `attribute vec3 aPos; attribute vec3 aField; attribute float aEnd;
uniform mat4 uView; uniform mat4 uProj; uniform float uDisp; uniform float uArrow; uniform float uTips;
varying float vEnd;
void main() {
  gl_Position = uProj * uView * vec4(aPos + (uDisp + aEnd * uArrow) * aField, 1.0);
  // Drawn as points, the tips are the arrowheads; a tip of a short arrow is moved out of view
  // (clipped) so that particles that barely move carry no red dot.
  gl_PointSize = 5.0;
  if (uTips > 0.5 && length(aField) * uArrow < 0.15) gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
  vEnd = aEnd;
}`;
const LINE_FS = `precision mediump float; varying float vEnd; uniform vec3 uColor; uniform vec3 uTip;
void main() { gl_FragColor = vec4(mix(uColor, uTip, vEnd), 1.0); }`;

function main(): void {
  const t0 = performance.now();
  const data = JSON.parse(document.getElementById("view-data")!.textContent!) as PageData;
  const canvas = document.getElementById("view") as HTMLCanvasElement;
  const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const gl = canvas.getContext("webgl", { antialias: true });
  if (gl === null) {
    $("status").textContent = "WebGL is not available in this browser: the glass cannot be drawn.";
    throw new Error("glassmech view: WebGL is not available");
  }
  const n = data.n;
  const cell = data.cell;
  // Particle positions x = h s (cell columns are the lattice vectors).
  const frac = new Uint16Array(decodeBase64(data.positions));
  const pos = new Float32Array(n * 3);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < 3; a++) {
      let x = 0;
      for (let b = 0; b < 3; b++) x += cell[a * 3 + b] * (frac[i * 3 + b] / 65535);
      pos[i * 3 + a] = x;
    }
  const types = new Uint8Array(decodeBase64(data.types));
  const radius = data.radii !== null ? new Float32Array(decodeBase64(data.radii)) : Float32Array.from(types, (t) => data.typeRadius[t] ?? 0.5);
  // Fields normalized to max |ψ_i| = 1, and log |ψ_i| for the colors.
  const fields = data.fields.map((f) => {
    const q = new Int16Array(decodeBase64(f.vectors));
    const s = f.componentScale / f.maxNorm / 32767;
    const v = Float32Array.from(q, (x) => x * s);
    const norm = new Float32Array(n);
    for (let i = 0; i < n; i++) norm[i] = Math.hypot(v[i * 3], v[i * 3 + 1], v[i * 3 + 2]);
    return { meta: f, v, norm };
  });
  const zeros = new Float32Array(n * 3);

  const sphere = compile(gl, SPHERE_VS, SPHERE_FS);
  const line = compile(gl, LINE_VS, LINE_FS);
  const buffer = (d: Float32Array): WebGLBuffer => {
    const b = gl.createBuffer()!;
    gl.bindBuffer(gl.ARRAY_BUFFER, b);
    gl.bufferData(gl.ARRAY_BUFFER, d, gl.STATIC_DRAW);
    return b;
  };
  const posBuf = buffer(pos), radBuf = gl.createBuffer()!;
  const colorBuf = gl.createBuffer()!, fieldBuf = gl.createBuffer()!;
  // Arrows: two vertices per particle (tail, tip) sharing the particle's position and field.
  const arrowPos = new Float32Array(n * 6), arrowEnd = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) { arrowPos[i * 6 + a] = pos[i * 3 + a]; arrowPos[i * 6 + 3 + a] = pos[i * 3 + a]; }
    arrowEnd[i * 2 + 1] = 1;
  }
  const arrowPosBuf = buffer(arrowPos), arrowEndBuf = buffer(arrowEnd), arrowFieldBuf = gl.createBuffer()!;
  // The 12 box edges.
  const corner = (i: number, j: number, k: number): number[] => [0, 1, 2].map((a) => cell[a * 3] * i + cell[a * 3 + 1] * j + cell[a * 3 + 2] * k);
  const edges: number[] = [];
  for (let a = 0; a < 3; a++)
    for (const [p, q] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
      const s = [0, 0, 0], e = [0, 0, 0];
      const o = [0, 1, 2].filter((b) => b !== a);
      s[o[0]] = e[o[0]] = p; s[o[1]] = e[o[1]] = q; e[a] = 1;
      edges.push(...corner(s[0], s[1], s[2]), ...corner(e[0], e[1], e[2]));
    }
  const boxBuf = buffer(new Float32Array(edges)), boxZero = buffer(new Float32Array(edges.length)), boxEnd = buffer(new Float32Array(edges.length / 3));
  const center = corner(0.5, 0.5, 0.5);
  const size = Math.max(...[0, 1, 2].map((a) => Math.hypot(cell[a], cell[3 + a], cell[6 + a])));

  const ui = {
    field: $<HTMLSelectElement>("field"), display: $<HTMLSelectElement>("display"), amp: $<HTMLInputElement>("amp"),
    arrow: $<HTMLInputElement>("arrow"), scale: $<HTMLInputElement>("scale"), animate: $<HTMLInputElement>("animate"),
    info: $("info"), notes: $("notes"), colorbar: $("colorbar"),
  };
  document.title = data.title;
  $("title").textContent = data.title;
  ui.notes.textContent = [`N = ${data.nTotal}${data.n !== data.nTotal ? ` (${data.n} shown)` : ""}, d = ${data.d}`, ...data.notes].join(" · ");
  data.fields.forEach((f, k) => { const o = document.createElement("option"); o.value = String(k); o.textContent = f.name; ui.field.appendChild(o); });
  if (data.fields.length === 0) { ui.field.disabled = true; ui.display.value = "type"; ui.display.disabled = true; ui.amp.disabled = true; ui.arrow.disabled = true; ui.animate.checked = false; ui.animate.disabled = true; }
  const legend = data.species.map((s, t) => `<span class="sw" style="background:rgb(${TYPE_COLORS[t % TYPE_COLORS.length].map((c) => Math.round(255 * c)).join(",")})"></span>${s}`).join(" ");

  let yaw = data.d === 2 ? 0 : 0.6, pitch = data.d === 2 ? 0 : 0.35, zoom = 1, phase = 0, frames = 0, firstDraw = 0;
  let current = -1;
  const upload = (): void => {
    const k = data.fields.length ? Number(ui.field.value) : -1;
    const mode = ui.display.value;
    const colors = new Float32Array(n * 3);
    const f = k >= 0 ? fields[k] : null;
    const byColor = f !== null && (mode === "color" || mode === "both" || mode === "highlight");
    // "highlight": spheres shrink with log |ψ_i| too, so a soft spot inside a large glass shows
    // through the particles that barely move (true sizes in every other mode).
    const sized = f !== null && mode === "highlight" ? new Float32Array(n) : radius;
    for (let i = 0; i < n; i++) {
      const t = f !== null ? 1 + Math.log10(Math.max(f.norm[i], 1e-30)) / DECADES : 0;
      colors.set(byColor ? colormap(t) : TYPE_COLORS[types[i] % TYPE_COLORS.length], i * 3);
      if (sized !== radius) sized[i] = radius[i] * Math.max(0, Math.min(1, t)) ** 2;
    }
    gl.bindBuffer(gl.ARRAY_BUFFER, colorBuf);
    gl.bufferData(gl.ARRAY_BUFFER, colors, gl.STATIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, radBuf);
    gl.bufferData(gl.ARRAY_BUFFER, sized, gl.STATIC_DRAW);
    if (k !== current) {
      const v = f !== null ? f.v : zeros;
      gl.bindBuffer(gl.ARRAY_BUFFER, fieldBuf);
      gl.bufferData(gl.ARRAY_BUFFER, v, gl.STATIC_DRAW);
      const twice = new Float32Array(n * 6);
      for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) twice[i * 6 + a] = twice[i * 6 + 3 + a] = v[i * 3 + a];
      gl.bindBuffer(gl.ARRAY_BUFFER, arrowFieldBuf);
      gl.bufferData(gl.ARRAY_BUFFER, twice, gl.STATIC_DRAW);
      current = k;
    }
    ui.info.textContent = f !== null ? `${f.meta.name}: ${f.meta.info}` : "no field: particles only";
    ui.colorbar.innerHTML = byColor
      ? `<span class="bar"></span> log₁₀(|ψ_i|/max|ψ|) from −${DECADES} to 0 (max |ψ_i| = ${f!.meta.maxNorm.toPrecision(3)})`
      : legend;
  };

  // `every`: use one vertex in `every` (the arrow tips are every second vertex, from the second).
  const attrib = (prog: WebGLProgram, name: string, buf: WebGLBuffer, size: number, every = 1, first = 0): void => {
    const loc = gl.getAttribLocation(prog, name);
    if (loc < 0) return;
    gl.bindBuffer(gl.ARRAY_BUFFER, buf);
    gl.enableVertexAttribArray(loc);
    gl.vertexAttribPointer(loc, size, gl.FLOAT, false, 4 * size * every, 4 * size * first);
  };
  const draw = (): void => {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(canvas.clientWidth * dpr)), h = Math.max(1, Math.round(canvas.clientHeight * dpr));
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    gl.viewport(0, 0, w, h);
    gl.clearColor(BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], 1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    gl.enable(gl.DEPTH_TEST);
    const fovy = 0.7, dist = (0.75 * size) / Math.tan(fovy / 2) / zoom;
    const proj = mat4Perspective(fovy, w / h, Math.max(0.01, dist - 2 * size), dist + 2 * size);
    const view = mat4Multiply(mat4Translation(0, 0, -dist), mat4Multiply(mat4Rotation(0, pitch), mat4Multiply(mat4Rotation(1, yaw), mat4Translation(-center[0], -center[1], -center[2]))));
    const hasField = current >= 0;
    const mode = ui.display.value;
    const disp = hasField ? Number(ui.amp.value) * Math.sin(phase) : 0;
    const arrows = hasField && (mode === "arrows" || mode === "both");
    // Shrink the spheres when arrows show, so that the arrows are not hidden inside them.
    const px = (h / 2) * proj[5] * Number(ui.scale.value) * (arrows ? 0.45 : 1);
    gl.useProgram(sphere);
    gl.uniformMatrix4fv(gl.getUniformLocation(sphere, "uView"), false, view);
    gl.uniformMatrix4fv(gl.getUniformLocation(sphere, "uProj"), false, proj);
    gl.uniform1f(gl.getUniformLocation(sphere, "uDisp"), disp);
    gl.uniform1f(gl.getUniformLocation(sphere, "uPx"), px);
    attrib(sphere, "aPos", posBuf, 3); attrib(sphere, "aField", fieldBuf, 3); attrib(sphere, "aRadius", radBuf, 1); attrib(sphere, "aColor", colorBuf, 3);
    gl.drawArrays(gl.POINTS, 0, n);
    gl.useProgram(line);
    gl.uniformMatrix4fv(gl.getUniformLocation(line, "uView"), false, view);
    gl.uniformMatrix4fv(gl.getUniformLocation(line, "uProj"), false, proj);
    if (arrows) {
      gl.uniform1f(gl.getUniformLocation(line, "uDisp"), disp);
      gl.uniform1f(gl.getUniformLocation(line, "uArrow"), Number(ui.arrow.value));
      gl.uniform3f(gl.getUniformLocation(line, "uColor"), 0.25, 0.0, 0.0);
      gl.uniform3f(gl.getUniformLocation(line, "uTip"), 1.0, 0.15, 0.1);
      attrib(line, "aPos", arrowPosBuf, 3); attrib(line, "aField", arrowFieldBuf, 3); attrib(line, "aEnd", arrowEndBuf, 1);
      gl.uniform1f(gl.getUniformLocation(line, "uTips"), 0);
      gl.drawArrays(gl.LINES, 0, 2 * n);
      gl.uniform1f(gl.getUniformLocation(line, "uTips"), 1);
      gl.uniform3f(gl.getUniformLocation(line, "uColor"), 1.0, 0.15, 0.1);
      attrib(line, "aPos", arrowPosBuf, 3, 2, 1); attrib(line, "aField", arrowFieldBuf, 3, 2, 1); attrib(line, "aEnd", arrowEndBuf, 1, 2, 1);
      gl.drawArrays(gl.POINTS, 0, n);
    }
    gl.uniform1f(gl.getUniformLocation(line, "uTips"), 0);
    gl.uniform1f(gl.getUniformLocation(line, "uDisp"), 0);
    gl.uniform1f(gl.getUniformLocation(line, "uArrow"), 0);
    gl.uniform3f(gl.getUniformLocation(line, "uColor"), 0.2, 0.2, 0.2);
    gl.uniform3f(gl.getUniformLocation(line, "uTip"), 0.2, 0.2, 0.2);
    attrib(line, "aPos", boxBuf, 3); attrib(line, "aField", boxZero, 3); attrib(line, "aEnd", boxEnd, 1);
    gl.drawArrays(gl.LINES, 0, edges.length / 3);
    frames++;
    if (firstDraw === 0) firstDraw = performance.now() - t0;
  };

  let dirty = true, last = performance.now();
  const loop = (now: number): void => {
    if (ui.animate.checked && current >= 0) { phase += ((now - last) / 1000) * 2 * Math.PI * 0.5; dirty = true; }
    last = now;
    if (dirty) { draw(); dirty = false; }
    requestAnimationFrame(loop);
  };
  const redraw = (): void => { dirty = true; };
  for (const el of [ui.field, ui.display]) el.addEventListener("change", () => { upload(); redraw(); });
  for (const el of [ui.amp, ui.arrow, ui.scale, ui.animate]) el.addEventListener("input", redraw);
  let drag: { x: number; y: number } | null = null;
  canvas.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, y: e.clientY }; canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener("pointermove", (e) => {
    if (drag === null) return;
    yaw += (e.clientX - drag.x) * 0.01;
    pitch = Math.max(-1.55, Math.min(1.55, pitch + (e.clientY - drag.y) * 0.01));
    drag = { x: e.clientX, y: e.clientY };
    redraw();
  });
  canvas.addEventListener("pointerup", () => { drag = null; });
  canvas.addEventListener("wheel", (e) => { e.preventDefault(); zoom = Math.max(0.2, Math.min(20, zoom * Math.exp(-e.deltaY * 0.001))); redraw(); }, { passive: false });
  canvas.addEventListener("dblclick", () => { yaw = data.d === 2 ? 0 : 0.6; pitch = data.d === 2 ? 0 : 0.35; zoom = 1; redraw(); });
  window.addEventListener("resize", redraw);

  upload();
  draw();
  const hook: ViewHook = {
    ready: true,
    get frames() { return frames; },
    loadMs: performance.now() - t0,
    get firstDrawMs() { return firstDraw; },
    // Draws now and reads the pixels back in the same task (the drawing buffer is still valid).
    probe: (): ProbeResult => {
      draw();
      const w = canvas.width, h = canvas.height;
      const px = new Uint8Array(w * h * 4);
      gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
      let nonBackground = 0, checksum = 0;
      for (let p = 0; p < w * h; p++) {
        const r = px[p * 4], g = px[p * 4 + 1], b = px[p * 4 + 2];
        if (r !== 255 || g !== 255 || b !== 255) nonBackground++;
        checksum = (checksum * 31 + r + 7 * g + 13 * b) >>> 0;
      }
      return { width: w, height: h, nonBackground, checksum };
    },
    setAnimate: (on: boolean): void => { ui.animate.checked = on; redraw(); },
    setPhase: (phi: number): void => { phase = phi; redraw(); },
  } as ViewHook;
  (window as unknown as { glassmechView: ViewHook }).glassmechView = hook;
  $("status").textContent = `drawn in ${Math.round(performance.now() - t0)} ms`;
  requestAnimationFrame(loop);
}

main();
