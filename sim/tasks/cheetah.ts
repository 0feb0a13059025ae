// cheetah/run and its variants (SCENARIOS.md): reward direction·v_x − 0.1‖a‖², v_x the
// finite difference of the torso x over the control step; no termination (time limit only,
// or info.unstable). Observation (17): torso height, pitch, 6 joint angles, torso v_x, v_y,
// pitch rate, 6 joint velocities. Pitch is about −z, MuJoCo's rooty sign.
import type { RobotInstance } from '../physics/robot-instance.ts';
import { CHEETAH } from '../robots/cheetah.ts';
import { physicsEntry } from './physics-entry.ts';
import type { PhysicsTask } from './physics-task.ts';

export function observeCheetah(r: RobotInstance, out: Float32Array, off: number): void {
  const s = r.state;
  out[off] = s[1]!;
  out[off + 1] = -2 * Math.atan2(s[5]!, s[6]!);
  for (let k = 0; k < 6; k++) out[off + 2 + k] = r.q[k]!;
  out[off + 8] = s[7]!;
  out[off + 9] = s[8]!;
  out[off + 10] = -s[12]!;
  for (let k = 0; k < 6; k++) out[off + 11 + k] = r.qd[k]!;
}

const run: PhysicsTask = {
  id: 'cheetah/run',
  description: 'Planar half-cheetah running along +x: reward v_x − 0.1‖a‖²; never terminates (time limit 1000).',
  robot: CHEETAH,
  obsDim: 17,
  maxEpisodeSteps: 1000,
  frameSkip: 5,
  obstacles: false,
  posNoise: 0.1,
  velNoise: 0.1,
  params: [
    { name: 'direction', default: 1, range: [-1, 1], doc: '+1 rewards running toward +x, −1 toward −x' },
    { name: 'ctrlCost', default: 0.1, range: [0, 5], doc: 'weight of ‖a‖²' },
  ],
  variants: [
    { name: 'heavy', description: 'torso mass ×2', json: { massScale: { torso: 2 } } },
    { name: 'slippery', description: 'friction ×0.2', json: { friction: 0.2 } },
    { name: 'backward', description: 'reward −v_x', json: { params: { direction: -1 } } },
  ],
  infoKeys: ['vx', 'forward', 'ctrlCost'],
  scenery: () => [],
  markers: () => [],
  observe: observeCheetah,
  reward: (ctx) => {
    const vx = (ctx.robot.state[0]! - ctx.prev[0]!) / ctx.dt;
    let c = 0;
    for (let k = 0; k < 6; k++) c += ctx.action[ctx.actOff + k]! ** 2;
    const p = ctx.params;
    const forward = p.direction! * vx;
    const cost = p.ctrlCost! * c;
    ctx.info.vx = vx;
    ctx.info.forward = forward;
    ctx.info.ctrlCost = cost;
    return { reward: forward - cost, terminated: false };
  },
};

export const cheetahTasks = [run].map(physicsEntry);
