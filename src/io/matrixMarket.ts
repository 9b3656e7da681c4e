/**
 * Matrix Market export and import of Hessians and vectors (NIST Matrix Market exchange format),
 * for comparison with SciPy (`scipy.io.mmread`, see /work/shared/bench/scipy_hessian.py),
 * MATLAB, Julia.
 *
 * Scalar index of particle i, component a: i·d + a (particle-major, SPEC §0), written 1-based.
 * Numbers are written as the shortest decimal that round-trips to the same float64
 * (JavaScript's Number→string), so a write/read cycle is bit-exact — as precise as "%.17g".
 * Writes stream through a small buffer (N = 10⁵ particles never builds one giant string);
 * reads parse the file in chunks, line by line.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { GlassmechError } from "../core/errors.js";
import type { BlockMatrix } from "../linalg/blockMatrix.js";

/** Buffered synchronous text writer. */
class ChunkWriter {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  constructor(path: string) {
    try {
      this.fd = openSync(path, "w");
    } catch (e) {
      throw new GlassmechError(`cannot open for writing: ${(e as Error).message}`, { file: path });
    }
  }
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(""));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export interface WriteMatrixMarketOptions {
  /**
   * true (default): `coordinate real symmetric`, lower triangle only (the matrix must be
   * symmetric; blocks above the diagonal are not read). false: `coordinate real general`, every
   * stored entry.
   */
  symmetric?: boolean;
  /** Comment lines written after the banner (without the leading %). */
  comments?: readonly string[];
}

/**
 * Writes a block matrix as a Matrix Market coordinate file of order n·d. Every entry of every
 * stored block is written (explicit zeros included, so the block pattern survives).
 *
 * @example
 *   writeMatrixMarket("hessian.mtx", M);          // python: scipy.io.mmread("hessian.mtx")
 *   writeVectorMarket("xi.mtx", shearDerivatives(records, n).xi);
 */
export function writeMatrixMarket(path: string, M: BlockMatrix, options: WriteMatrixMarketOptions = {}): void {
  const symmetric = options.symmetric ?? true;
  const { d, n, rowPtr, colIdx, values } = M;
  const dd = d * d;
  let nnz = 0;
  for (let i = 0; i < n; i++)
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      const j = colIdx[p];
      if (!symmetric) nnz += dd;
      else if (j < i) nnz += dd;
      else if (j === i) nnz += (d * (d + 1)) / 2;
    }
  const w = new ChunkWriter(path);
  try {
    w.write(`%%MatrixMarket matrix coordinate real ${symmetric ? "symmetric" : "general"}\n`);
    w.write(`% glassmech Hessian: ${n} particles, d = ${d}; row/column (i*d + a) + 1 for particle i, component a\n`);
    for (const c of options.comments ?? []) w.write(`% ${c.replace(/\n/g, " ")}\n`);
    w.write(`${n * d} ${n * d} ${nnz}\n`);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < d; a++) {
        const row = i * d + a + 1;
        let line = "";
        for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
          const j = colIdx[p];
          if (symmetric && j > i) break; // columns are sorted ascending
          const bmax = symmetric && j === i ? a : d - 1;
          const vo = p * dd + a * d;
          for (let b = 0; b <= bmax; b++) line += `${row} ${j * d + b + 1} ${values[vo + b]}\n`;
        }
        w.write(line);
      }
  } finally {
    w.close();
  }
}

/** Writes a vector as a Matrix Market dense array (`array real general`, one column). */
export function writeVectorMarket(path: string, v: Float64Array, comments: readonly string[] = []): void {
  const w = new ChunkWriter(path);
  try {
    w.write("%%MatrixMarket matrix array real general\n");
    for (const c of comments) w.write(`% ${c.replace(/\n/g, " ")}\n`);
    w.write(`${v.length} 1\n`);
    for (let k = 0; k < v.length; k += 1024) {
      let s = "";
      const end = Math.min(v.length, k + 1024);
      for (let q = k; q < end; q++) s += `${v[q]}\n`;
      w.write(s);
    }
  } finally {
    w.close();
  }
}

/** Calls `onLine(text, lineNumber)` for every line of a file, reading it in chunks. */
function forEachLine(path: string, onLine: (line: string, lineNo: number) => void): void {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new GlassmechError(`cannot open: ${(e as Error).message}`, { file: path });
  }
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let rest = "";
    let lineNo = 0;
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      const text = rest + buf.toString("latin1", 0, got);
      let start = 0;
      for (let nl = text.indexOf("\n", start); nl >= 0; nl = text.indexOf("\n", start)) {
        onLine(text.slice(start, nl), ++lineNo);
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    if (rest.length > 0) onLine(rest, ++lineNo);
  } finally {
    closeSync(fd);
  }
}

/** A Matrix Market coordinate matrix as read: 0-based triplets (both triangles when symmetric were expanded only if asked). */
export interface CoordinateMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly symmetry: "general" | "symmetric";
  /** 0-based row and column of each stored entry, and its value (as in the file). */
  readonly rowIndex: Int32Array;
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

function parseHeader(line: string, path: string): { format: string; field: string; symmetry: string } {
  const t = line.trim().split(/\s+/);
  if (t.length < 5 || t[0].toLowerCase() !== "%%matrixmarket" || t[1].toLowerCase() !== "matrix")
    throw new GlassmechError("not a Matrix Market file (expected '%%MatrixMarket matrix …' banner)", { file: path, line: 1 });
  const format = t[2].toLowerCase();
  const field = t[3].toLowerCase();
  const symmetry = t[4].toLowerCase();
  if (field !== "real" && field !== "integer" && field !== "double")
    throw new GlassmechError(`unsupported Matrix Market field '${t[3]}' (only real or integer)`, { file: path, line: 1 });
  if (symmetry !== "general" && symmetry !== "symmetric")
    throw new GlassmechError(`unsupported Matrix Market symmetry '${t[4]}' (only general or symmetric)`, { file: path, line: 1 });
  if (format !== "coordinate" && format !== "array")
    throw new GlassmechError(`unsupported Matrix Market format '${t[2]}'`, { file: path, line: 1 });
  return { format, field, symmetry };
}

function parseNumber(tok: string | undefined, path: string, line: number, what: string): number {
  const v = tok === undefined ? NaN : Number(tok);
  if (tok === undefined || tok === "" || !Number.isFinite(v)) throw new GlassmechError(`${what} '${tok ?? ""}' is not a finite number`, { file: path, line });
  return v;
}

/** Reads a `coordinate real|integer general|symmetric` Matrix Market file. */
export function readMatrixMarket(path: string): CoordinateMatrix {
  let header: ReturnType<typeof parseHeader> | null = null;
  let rows = -1;
  let cols = -1;
  let nnz = -1;
  let k = 0;
  let rowIndex = new Int32Array(0);
  let colIndex = new Int32Array(0);
  let values = new Float64Array(0);
  forEachLine(path, (raw, lineNo) => {
    if (header === null) {
      header = parseHeader(raw, path);
      if (header.format !== "coordinate") throw new GlassmechError("expected a coordinate (sparse) matrix, found an array", { file: path, line: 1 });
      return;
    }
    const line = raw.trim();
    if (line === "" || line.startsWith("%")) return;
    const t = line.split(/\s+/);
    if (rows < 0) {
      if (t.length !== 3) throw new GlassmechError(`size line needs 'rows cols entries', got '${line}'`, { file: path, line: lineNo });
      rows = parseNumber(t[0], path, lineNo, "row count");
      cols = parseNumber(t[1], path, lineNo, "column count");
      nnz = parseNumber(t[2], path, lineNo, "entry count");
      if (!(Number.isInteger(rows) && Number.isInteger(cols) && Number.isInteger(nnz) && rows >= 0 && cols >= 0 && nnz >= 0))
        throw new GlassmechError(`size line '${line}' must hold three non-negative integers`, { file: path, line: lineNo });
      rowIndex = new Int32Array(nnz);
      colIndex = new Int32Array(nnz);
      values = new Float64Array(nnz);
      return;
    }
    if (k >= nnz) throw new GlassmechError(`more entries than the ${nnz} announced`, { file: path, line: lineNo });
    if (t.length !== 3) throw new GlassmechError(`entry needs 'row column value', got '${line}'`, { file: path, line: lineNo });
    const r = parseNumber(t[0], path, lineNo, "row index");
    const c = parseNumber(t[1], path, lineNo, "column index");
    if (!(Number.isInteger(r) && r >= 1 && r <= rows && Number.isInteger(c) && c >= 1 && c <= cols))
      throw new GlassmechError(`entry (${t[0]}, ${t[1]}) outside the ${rows}×${cols} matrix`, { file: path, line: lineNo });
    rowIndex[k] = r - 1;
    colIndex[k] = c - 1;
    values[k++] = parseNumber(t[2], path, lineNo, "value");
  });
  if (header === null || rows < 0) throw new GlassmechError("Matrix Market file has no size line", { file: path });
  if (k !== nnz) throw new GlassmechError(`announced ${nnz} entries but found ${k}`, { file: path });
  return { rows, cols, symmetry: (header as { symmetry: string }).symmetry as "general" | "symmetric", rowIndex, colIndex, values };
}

/**
 * Reads a Matrix Market coordinate file as a block matrix with d×d blocks (both triangles stored,
 * a symmetric file's lower triangle mirrored). The order must be a multiple of d. Duplicate
 * entries add.
 */
export function readMatrixMarketBlock(path: string, d: number): BlockMatrix {
  const m = readMatrixMarket(path);
  if (m.rows !== m.cols) throw new GlassmechError(`matrix is ${m.rows}×${m.cols}, expected square`, { file: path });
  if (!(Number.isInteger(d) && d >= 1) || m.rows % d !== 0)
    throw new GlassmechError(`order ${m.rows} is not a multiple of the block size d = ${d}`, { file: path });
  const n = m.rows / d;
  const sym = m.symmetry === "symmetric";
  // Expand to (blockRow, blockCol, a, b, value) entries, then build block-CSR by sorting keys.
  const E: number[] = [];
  for (let q = 0; q < m.values.length; q++) {
    E.push(q);
    if (sym && m.rowIndex[q] !== m.colIndex[q]) E.push(-q - 1); // mirrored copy
  }
  const rowOf = (e: number) => (e >= 0 ? m.rowIndex[e] : m.colIndex[-e - 1]);
  const colOf = (e: number) => (e >= 0 ? m.colIndex[e] : m.rowIndex[-e - 1]);
  const blockKey = (e: number) => Math.floor(rowOf(e) / d) * n + Math.floor(colOf(e) / d);
  const keys = Float64Array.from(E, blockKey);
  const order = Array.from(E.keys()).sort((x, y) => keys[x] - keys[y]);
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const blockOf = new Int32Array(E.length);
  let last = -1;
  for (const s of order) {
    if (keys[s] !== last) {
      cols.push(keys[s] % n);
      rowPtr[Math.floor(keys[s] / n) + 1]++;
      last = keys[s];
    }
    blockOf[s] = cols.length - 1;
  }
  for (let i = 0; i < n; i++) rowPtr[i + 1] += rowPtr[i];
  const dd = d * d;
  const values = new Float64Array(cols.length * dd);
  E.forEach((e, s) => {
    const v = e >= 0 ? m.values[e] : m.values[-e - 1];
    values[blockOf[s] * dd + (rowOf(e) % d) * d + (colOf(e) % d)] += v;
  });
  return { d, n, rowPtr, colIdx: Int32Array.from(cols), values };
}

/** Reads a vector from a Matrix Market `array` file (one column) or a `coordinate` n×1 file. */
export function readVectorMarket(path: string): Float64Array {
  let header: ReturnType<typeof parseHeader> | null = null;
  let len = -1;
  let k = 0;
  let out = new Float64Array(0);
  let coordinate: CoordinateMatrix | null = null;
  forEachLine(path, (raw, lineNo) => {
    if (coordinate !== null) return;
    if (header === null) {
      header = parseHeader(raw, path);
      if (header.format === "coordinate") coordinate = readMatrixMarket(path);
      return;
    }
    const line = raw.trim();
    if (line === "" || line.startsWith("%")) return;
    const t = line.split(/\s+/);
    if (len < 0) {
      const r = parseNumber(t[0], path, lineNo, "row count");
      const c = parseNumber(t[1], path, lineNo, "column count");
      if (t.length !== 2 || c !== 1 || !Number.isInteger(r) || r < 0)
        throw new GlassmechError(`expected a size line 'n 1' for a vector, got '${line}'`, { file: path, line: lineNo });
      len = r;
      out = new Float64Array(len);
      return;
    }
    if (k >= len) throw new GlassmechError(`more values than the ${len} announced`, { file: path, line: lineNo });
    out[k++] = parseNumber(t[0], path, lineNo, "value");
  });
  if (coordinate !== null) {
    const c = coordinate as CoordinateMatrix;
    if (c.cols !== 1) throw new GlassmechError(`expected a single column, found ${c.cols}`, { file: path });
    const v = new Float64Array(c.rows);
    for (let q = 0; q < c.values.length; q++) v[c.rowIndex[q]] += c.values[q];
    return v;
  }
  if (len < 0) throw new GlassmechError("Matrix Market file has no size line", { file: path });
  if (k !== len) throw new GlassmechError(`announced ${len} values but found ${k}`, { file: path });
  return out;
}
