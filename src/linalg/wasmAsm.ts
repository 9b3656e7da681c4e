/**
 * A minimal WebAssembly assembler: just enough to emit the dense kernels of the sparse Cholesky
 * (denseKernels.ts) as one module with SIMD (f64x2) arithmetic, without a build tool.
 *
 * Why WebAssembly: V8 does not vectorize JavaScript, and typed-array accesses are bounds-checked;
 * a wasm f64x2 matrix-multiply kernel runs ~5× faster than the best plain-JS kernel we measured
 * (≈25 vs ≈5 GFlop/s on one core). Node ≥ 16 supports wasm SIMD and bulk memory.
 *
 * The encoding follows the WebAssembly core spec (binary format, §5) and the SIMD proposal's
 * opcode table. Only i32 and v128/f64 instructions we use are provided.
 */

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
export const T = { i32: I32, f64: F64, v128: V128 } as const;
export type ValType = (typeof T)[keyof typeof T];

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** One function body under construction: typed locals plus an instruction byte stream. */
export class Fn {
  readonly name: string;
  readonly params: ValType[];
  readonly results: ValType[];
  private readonly localTypes: ValType[] = [];
  readonly code: number[] = [];

  constructor(name: string, params: ValType[], results: ValType[] = []) {
    this.name = name;
    this.params = params;
    this.results = results;
  }

  /** Declares a new local and returns its index. */
  local(t: ValType): number {
    this.localTypes.push(t);
    return this.params.length + this.localTypes.length - 1;
  }

  private emit(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }
  private simd(op: number, ...imm: number[]): this {
    return this.emit(0xfd, ...uleb(op), ...imm);
  }

  // Variables and constants.
  get(i: number): this {
    return this.emit(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.emit(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.emit(0x22, ...uleb(i));
  }
  i32(v: number): this {
    return this.emit(0x41, ...sleb(v | 0));
  }
  f64(v: number): this {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    return this.emit(0x44, ...b);
  }

  // i32 arithmetic and comparisons.
  add(): this {
    return this.emit(0x6a);
  }
  sub(): this {
    return this.emit(0x6b);
  }
  mul(): this {
    return this.emit(0x6c);
  }
  and(): this {
    return this.emit(0x71);
  }
  shl(): this {
    return this.emit(0x74);
  }
  eqz(): this {
    return this.emit(0x45);
  }
  ltS(): this {
    return this.emit(0x48);
  }
  gtS(): this {
    return this.emit(0x4a);
  }
  leS(): this {
    return this.emit(0x4c);
  }
  geS(): this {
    return this.emit(0x4e);
  }
  /** local[i] += v (constant). */
  inc(i: number, v: number): this {
    return this.get(i).i32(v).add().set(i);
  }
  /** local[i] += local[j]. */
  incBy(i: number, j: number): this {
    return this.get(i).get(j).add().set(i);
  }

  // f64 scalar.
  f64Load(offset = 0): this {
    return this.emit(0x2b, 3, ...uleb(offset));
  }
  f64Store(offset = 0): this {
    return this.emit(0x39, 3, ...uleb(offset));
  }
  i32Load(offset = 0): this {
    return this.emit(0x28, 2, ...uleb(offset));
  }
  fadd(): this {
    return this.emit(0xa0);
  }
  fsub(): this {
    return this.emit(0xa1);
  }
  fmul(): this {
    return this.emit(0xa2);
  }
  fdiv(): this {
    return this.emit(0xa3);
  }
  fsqrt(): this {
    return this.emit(0x9f);
  }
  fgt(): this {
    return this.emit(0x64);
  }

  // v128 / f64x2.
  vLoad(offset = 0): this {
    return this.simd(0x00, 4, ...uleb(offset));
  }
  vStore(offset = 0): this {
    return this.simd(0x0b, 4, ...uleb(offset));
  }
  /** Loads one f64 into lane 0 and zeroes lane 1. */
  vLoad64Zero(offset = 0): this {
    return this.simd(0x5d, 3, ...uleb(offset));
  }
  /** Loads one f64 into both lanes. */
  vLoadSplat(offset = 0): this {
    return this.simd(0x0a, 3, ...uleb(offset));
  }
  vZero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  vSplat(): this {
    return this.simd(0x14);
  }
  vLane(l: 0 | 1): this {
    return this.simd(0x21, l);
  }
  vadd(): this {
    return this.simd(0xf0);
  }
  vsub(): this {
    return this.simd(0xf1);
  }
  vmul(): this {
    return this.simd(0xf2);
  }
  vdiv(): this {
    return this.simd(0xf3);
  }
  /** lane0 + lane1 of the v128 on the stack (uses local tmp). */
  hsum(tmp: number): this {
    return this.tee(tmp).vLane(0).get(tmp).vLane(1).fadd();
  }

  // Bulk memory.
  memoryCopy(): this {
    return this.emit(0xfc, ...uleb(10), 0, 0);
  }

  // Control flow.
  ret(): this {
    return this.emit(0x0f);
  }
  /** if (stack top) { then } [else { other }] */
  if(then: () => void, other?: () => void): this {
    this.emit(0x04, 0x40);
    then();
    if (other) {
      this.emit(0x05);
      other();
    }
    return this.emit(0x0b);
  }
  /**
   * while (cond) body — `cond` pushes an i32. Inside `body`, no branches out are needed.
   */
  while(cond: () => void, body: () => void): this {
    this.emit(0x02, 0x40, 0x03, 0x40);
    cond();
    this.emit(0x45, 0x0d, 0x01); // eqz; br_if 1 (exit)
    body();
    this.emit(0x0c, 0x00, 0x0b, 0x0b); // br 0; end loop; end block
    return this;
  }

  encodeLocals(): number[] {
    const groups: number[][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    return vec(groups.map(([c, t]) => [...uleb(c), t]));
  }
}

/**
 * Assembles functions into a module importing one memory as env.mem and exporting each
 * function under its name.
 */
export function assemble(fns: Fn[]): Uint8Array<ArrayBuffer> {
  const types = fns.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]);
  const imports = [[...name("env"), ...name("mem"), 0x02, 0x00, ...uleb(1)]];
  const funcs = fns.map((_, i) => uleb(i));
  const exports = fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bodies = fns.map((f) => {
    const body = [...f.encodeLocals(), ...f.code, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs)),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ];
  return new Uint8Array(bytes);
}
