// Prints a hash of a fixed ant trajectory (seeded reset, deterministic actions); the
// cross-process determinism test runs this in child processes and compares the hashes.
// Usage: node --import tsx sim/tasks/ant-trajectory.ts [steps]
import { createEnv } from '../index.ts';

export async function antTrajectoryHash(steps: number): Promise<string> {
  const env = await createEnv('ant/run-any', { seed: 7 });
  const a = new Float32Array(8);
  let h = 2166136261;
  const mix = (x: Float32Array): void => {
    const u = new Uint32Array(x.buffer, x.byteOffset, x.length);
    for (let i = 0; i < u.length; i++) h = Math.imul(h ^ u[i]!, 16777619) >>> 0;
  };
  mix(env.reset(7));
  for (let t = 0; t < steps; t++) {
    for (let k = 0; k < 8; k++) a[k] = Math.sin(0.37 * t + 1.3 * k);
    const r = env.step(a);
    mix(r.obs);
    mix(new Float32Array([r.reward]));
    if (r.terminated || r.truncated) mix(env.reset());
  }
  env.dispose();
  return h.toString(16).padStart(8, '0');
}

// Only as a script from source: in a bundle import.meta.url is the bundle's, which is argv[1].
if (import.meta.url.endsWith('/ant-trajectory.ts') && process.argv[1]?.endsWith('ant-trajectory.ts')) {
  console.log(await antTrajectoryHash(Number(process.argv[2] ?? 200)));
}
