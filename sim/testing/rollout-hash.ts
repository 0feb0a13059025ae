// Hash of a seeded rollout (observations and rewards, bit-exact). Used by the
// determinism tests in-process and as a child process: `node --import tsx
// sim/testing/rollout-hash.ts <taskId> <seed> <steps>` prints the hash.
import { createHash } from 'node:crypto';
import { createEnv } from '../index.ts';
import { Rng } from '../rng.ts';

export async function rolloutHash(taskId: string, seed: number, steps: number): Promise<string> {
  const env = await createEnv(taskId, { seed });
  const rng = new Rng(seed + 1000);
  const act = new Float32Array(env.spec.actDim);
  const h = createHash('sha256');
  const rew = new Float64Array(1);
  h.update(new Uint8Array(env.reset(seed).slice().buffer));
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < act.length; i++) act[i] = rng.uniform(-1.2, 1.2);
    const r = env.step(act);
    rew[0] = r.reward;
    h.update(new Uint8Array(r.obs.slice().buffer));
    h.update(new Uint8Array(rew.buffer));
    if (r.terminated || r.truncated) h.update(new Uint8Array(env.reset().slice().buffer));
  }
  env.dispose();
  return h.digest('hex');
}

const self = process.argv[1] ?? '';
if (self.endsWith('rollout-hash.ts')) {
  const [taskId, seed, steps] = process.argv.slice(2);
  rolloutHash(taskId!, Number(seed), Number(steps)).then((h) => console.log(h));
}
