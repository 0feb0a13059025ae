// The scenario registry (SCENARIOS.md): each is a gallery card and a CLI id naming a pretrain
// run, its fine-tune variants with scratch controls, the algorithm and a step budget.
import { variantLabel, type ScenarioInfo } from './api.ts';
import { resolveConfig, settingsOf, type TrainConfig } from './config.ts';

export interface FineTuneSpec {
  id: string;
  task: string;
  variant?: Record<string, unknown> | string;
  steps: number;
  /** Return that counts as "solved" for the steps-to-threshold comparison. */
  threshold: number;
  label: string;
  /** Fine-tune with α restarted (TrainConfig.resetAlpha) unless the user says otherwise. */
  resetAlpha?: boolean;
}

export interface Scenario {
  id: string;
  title: string;
  description: string;
  expect: string;
  pretrain: Partial<TrainConfig> & { task: string; steps: number };
  finetunes: FineTuneSpec[];
}

export const SCENARIOS: Scenario[] = [
  {
    id: 'multigoal',
    title: 'Multi-goal point mass',
    description:
      'A point mass on a plane with four goals. Maximum-entropy pretraining keeps all four ways of solving the task; fine-tuning on one goal collapses onto it.',
    expect: 'Ghost rollouts fan out to several goals after pretraining, then converge on (5, 0) within a short fine-tune.',
    // GMM-SAC with a fixed temperature: auto-α collapses onto one goal (measured: 0:100 of 100
    // stochastic episodes), and γ 0.9 keeps the entropy bonus from outweighing reaching a goal.
    pretrain: {
      task: 'point/multigoal',
      algo: 'sac',
      policy: 'mixture',
      components: 4,
      autoAlpha: false,
      initAlpha: 1,
      gamma: 0.9,
      steps: 20000,
    },
    finetunes: [{ id: 'one-goal', task: 'point/one-goal', steps: 10000, threshold: -5, label: 'one goal at (5, 0)' }],
  },
  {
    id: 'ant-anywhere',
    title: 'Ant: run anywhere',
    description: 'A quadruped pretrained to run fast in any direction, then fine-tuned to run along +x or down a hallway.',
    expect: 'The pretrained ant runs off in many directions; fine-tuning reaches the scratch run’s final return in far fewer steps.',
    pretrain: { task: 'ant/run-any', steps: 300_000, numEnvs: 1 },
    finetunes: [
      {
        id: 'direction-0',
        task: 'ant/run-direction',
        variant: { params: { theta: 0 } },
        steps: 200_000,
        threshold: 1000,
        label: 'run along +x',
      },
      { id: 'hallway', task: 'ant/hallway', steps: 200_000, threshold: 1000, label: 'hallway 2 m wide' },
    ],
  },
  {
    id: 'cheetah-adapt',
    title: 'Half-cheetah: adapt',
    description: 'A planar cheetah pretrained to run, then adapted to a heavier torso, a slippery floor, or running backwards.',
    expect: 'Adaptation curves: pretrained vs scratch on each variant.',
    pretrain: { task: 'cheetah/run', steps: 300_000 },
    finetunes: [
      { id: 'heavy', task: 'cheetah/run', variant: 'heavy', steps: 100_000, threshold: 1500, label: 'torso mass ×2' },
      { id: 'slippery', task: 'cheetah/run', variant: 'slippery', steps: 100_000, threshold: 1500, label: 'friction ×0.2' },
      // A forward runner's small α left the backward fine-tune behind scratch (2,506 vs 3,473 at
      // 40k, seed 1); with α restarted it matched scratch (3,762): BENCHMARKS.md, cheetah-adapt.
      {
        id: 'backward',
        task: 'cheetah/run',
        variant: 'backward',
        steps: 100_000,
        threshold: 1000,
        label: 'run backwards',
        resetAlpha: true,
      },
    ],
  },
  {
    id: 'arm-reach',
    title: 'Arm: reach',
    description: 'A 7-DoF arm pretrained to reach targets anywhere in its workspace, then around a box obstacle.',
    expect: 'Reaching anywhere, then around the obstacle.',
    pretrain: { task: 'arm7/reach-any', steps: 200_000 },
    finetunes: [{ id: 'obstacle', task: 'arm7/reach-obstacle', steps: 100_000, threshold: -20, label: 'targets behind a box' }],
  },
  {
    id: 'arm-push',
    title: 'Arm: push',
    description: 'A 7-DoF arm pretrained to push a block in many directions, then to a goal.',
    expect: 'Pushing in many directions, then to the goal.',
    pretrain: { task: 'arm7/push-any', steps: 300_000 },
    finetunes: [{ id: 'goal', task: 'arm7/push-goal', steps: 200_000, threshold: -30, label: 'push to the goal' }],
  },
];

export function getScenario(id: string): Scenario {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`unknown scenario ${JSON.stringify(id)} (known: ${SCENARIOS.map((x) => x.id).join(', ')})`);
  return s;
}

export function scenarioInfo(s: Scenario): ScenarioInfo {
  return {
    id: s.id,
    title: s.title,
    description: s.description,
    expect: s.expect,
    pretrain: {
      task: s.pretrain.task,
      algo: s.pretrain.algo ?? 'sac',
      steps: s.pretrain.steps,
      settings: settingsOf(resolveConfig(s.pretrain.task, s.pretrain)),
      sqlAlpha: resolveConfig(s.pretrain.task, s.pretrain, { algo: 'sql' }).initAlpha,
    },
    finetunes: s.finetunes.map((f) => ({
      id: f.id,
      task: f.task,
      variant: variantLabel(f.variant),
      variantSpec: f.variant ?? null,
      steps: f.steps,
      threshold: f.threshold,
      resetAlpha: f.resetAlpha ?? false,
    })),
  };
}
