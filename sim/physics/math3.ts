// Allocation-free quaternion/vector helpers on Float32Array/Float64Array slots.
// Quaternions are [x, y, z, w] (Rapier's order).

export type Arr = Float32Array | Float64Array | number[];

/** out[o..o+4] = a ⊗ b. out may alias neither a nor b. */
export function qmul(a: Arr, ao: number, b: Arr, bo: number, out: Arr, o: number): void {
  const ax = a[ao]!,
    ay = a[ao + 1]!,
    az = a[ao + 2]!,
    aw = a[ao + 3]!;
  const bx = b[bo]!,
    by = b[bo + 1]!,
    bz = b[bo + 2]!,
    bw = b[bo + 3]!;
  out[o] = aw * bx + ax * bw + ay * bz - az * by;
  out[o + 1] = aw * by - ax * bz + ay * bw + az * bx;
  out[o + 2] = aw * bz + ax * by - ay * bx + az * bw;
  out[o + 3] = aw * bw - ax * bx - ay * by - az * bz;
}

/** out = conj(a) ⊗ b: b expressed relative to a. */
export function qrel(a: Arr, ao: number, b: Arr, bo: number, out: Arr, o: number): void {
  const ax = -a[ao]!,
    ay = -a[ao + 1]!,
    az = -a[ao + 2]!,
    aw = a[ao + 3]!;
  const bx = b[bo]!,
    by = b[bo + 1]!,
    bz = b[bo + 2]!,
    bw = b[bo + 3]!;
  out[o] = aw * bx + ax * bw + ay * bz - az * by;
  out[o + 1] = aw * by - ax * bz + ay * bw + az * bx;
  out[o + 2] = aw * bz + ax * by - ay * bx + az * bw;
  out[o + 3] = aw * bw - ax * bx - ay * by - az * bz;
}

/** out[o..o+3] = rotate v by q. out may alias v. */
export function qrot(q: Arr, qo: number, v: Arr, vo: number, out: Arr, o: number): void {
  const x = q[qo]!,
    y = q[qo + 1]!,
    z = q[qo + 2]!,
    w = q[qo + 3]!;
  const vx = v[vo]!,
    vy = v[vo + 1]!,
    vz = v[vo + 2]!;
  // t = 2·(q.xyz × v); v' = v + w·t + q.xyz × t
  const tx = 2 * (y * vz - z * vy);
  const ty = 2 * (z * vx - x * vz);
  const tz = 2 * (x * vy - y * vx);
  out[o] = vx + w * tx + (y * tz - z * ty);
  out[o + 1] = vy + w * ty + (z * tx - x * tz);
  out[o + 2] = vz + w * tz + (x * ty - y * tx);
}

export function qaxisAngle(ax: number, ay: number, az: number, angle: number, out: Arr, o: number): void {
  const s = Math.sin(angle / 2);
  out[o] = ax * s;
  out[o + 1] = ay * s;
  out[o + 2] = az * s;
  out[o + 3] = Math.cos(angle / 2);
}

/** Rotation taking +y onto the unit vector (dx, dy, dz) (capsule/cylinder orientation). */
export function qfromY(dx: number, dy: number, dz: number, out: Arr, o: number): void {
  // Half-way quaternion: axis y × d, angle acos(dy).
  const w = 1 + dy;
  if (w < 1e-9) {
    out[o] = 1;
    out[o + 1] = 0;
    out[o + 2] = 0;
    out[o + 3] = 0;
    return;
  }
  const x = dz,
    y = 0,
    z = -dx;
  const n = Math.sqrt(x * x + y * y + z * z + w * w);
  out[o] = x / n;
  out[o + 1] = y / n;
  out[o + 2] = z / n;
  out[o + 3] = w / n;
}

/** Twist angle of q about the unit axis a (radians, in (−π, π]). */
export function twistAngle(q: Arr, qo: number, ax: number, ay: number, az: number): number {
  const p = q[qo]! * ax + q[qo + 1]! * ay + q[qo + 2]! * az;
  let ang = 2 * Math.atan2(p, q[qo + 3]!);
  if (ang > Math.PI) ang -= 2 * Math.PI;
  else if (ang <= -Math.PI) ang += 2 * Math.PI;
  return ang;
}
