// Env-steps per CPU-second of a VecEnv under random actions, for one source tree (argv[2], default
// this one), task (argv[3]) and env count (argv[4]): run it on two checkouts, alternating, to
// compare them (the cross-env contact filter of sim/physics/env-filter.ts against the tree before).
//   npx tsx bench/vec-filter.ts /path/to/tree ant/hallway 16
const root = process.argv[2] || new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const task = process.argv[3] ?? 'ant/hallway';
const n = Number(process.argv[4] ?? 16);
const { createVecEnv } = await import(`${root}/sim/index.ts`);
const venv = await createVecEnv(task, n, { seed: 1 });
const acts = new Float32Array(n * venv.spec.actDim);
let s = 1;
const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
venv.reset(1);
for (let i = 0; i < 200; i++) {
  for (let k = 0; k < acts.length; k++) acts[k] = rnd();
  venv.step(acts);
}
const c0 = process.cpuUsage();
let steps = 0;
const end = performance.now() + 8000;
while (performance.now() < end) {
  for (let i = 0; i < 20; i++) {
    for (let k = 0; k < acts.length; k++) acts[k] = rnd();
    venv.step(acts);
  }
  steps += 20;
}
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ tree: root, task, n, envStepsPerCpuSec: Math.round((steps * n) / ((c.user + c.system) / 1e6)) }));
