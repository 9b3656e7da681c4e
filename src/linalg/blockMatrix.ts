/**
 * Sparse symmetric matrix of d×d blocks in block-CSR form (the Hessian's shape, SPEC §4.2).
 *
 * Both triangles are stored (row i lists every block column j with a nonzero block, including
 * the diagonal), so a matrix–vector product is one pass without scatter, and rows can be split
 * between threads. Within a row, block columns are sorted ascending. Block b of the matrix
 * occupies values[b*d*d .. (b+1)*d*d), row-major inside the block.
 * Memory: 8·d²·nnzb bytes of values (N = 10⁶, d = 3, ~14 blocks a row: ~1 GB).
 */
import { matVecJs } from "./blockMatVecJs.js";

export interface BlockMatrix {
  /** Block size (the spatial dimension). */
  readonly d: number;
  /** Number of block rows (particles); the scalar order is n·d. */
  readonly n: number;
  /** Row pointers into colIdx, length n+1. */
  readonly rowPtr: Int32Array;
  /** Block column indices, sorted within each row, length nnzb. */
  readonly colIdx: Int32Array;
  /** Block values, length nnzb·d², each block row-major. */
  readonly values: Float64Array;
}

/**
 * y = A·x (scalar vectors of length n·d). No allocation. Unrolled for d = 2, 3, 4
 * (blockMatVecJs.ts); sums per block row in the order ((m_a0 x_0 + m_a1 x_1) + …), then y_a += s.
 */
export function blockMatVec(A: BlockMatrix, x: Float64Array, y: Float64Array): void {
  matVecJs(A, x, y);
}
