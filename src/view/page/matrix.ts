/**
 * 4×4 matrices for the viewer page (column-major, as WebGL wants them). A global script: the
 * HTML builder (src/view/html.ts) inlines it before viewer.ts inside one function scope.
 */
type Mat4 = Float32Array;

function mat4Multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Float32Array(16);
  for (let c = 0; c < 4; c++)
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + r] * b[c * 4 + k];
      out[c * 4 + r] = s;
    }
  return out;
}

/** Perspective projection, vertical field of view `fovy` (radians). */
function mat4Perspective(fovy: number, aspect: number, near: number, far: number): Mat4 {
  const f = 1 / Math.tan(fovy / 2);
  const m = new Float32Array(16);
  m[0] = f / aspect;
  m[5] = f;
  m[10] = (far + near) / (near - far);
  m[11] = -1;
  m[14] = (2 * far * near) / (near - far);
  return m;
}

function mat4Translation(x: number, y: number, z: number): Mat4 {
  const m = new Float32Array(16);
  m[0] = m[5] = m[10] = m[15] = 1;
  m[12] = x; m[13] = y; m[14] = z;
  return m;
}

/** Rotation by `angle` about the x axis (axis 0) or the y axis (axis 1). */
function mat4Rotation(axis: 0 | 1, angle: number): Mat4 {
  const c = Math.cos(angle), s = Math.sin(angle);
  const m = new Float32Array(16);
  m[15] = 1;
  if (axis === 0) { m[0] = 1; m[5] = c; m[6] = s; m[9] = -s; m[10] = c; }
  else { m[5] = 1; m[0] = c; m[2] = -s; m[8] = s; m[10] = c; }
  return m;
}
