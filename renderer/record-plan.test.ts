import { describe, expect, it } from 'vitest';
import { defaultStepRate, episodeFrames, framePlan, totalFrames } from './record-plan.ts';

describe('rollout video frame plan', () => {
  it('defaults: point tasks (dt 1 s) play at 10 steps/s, fast envs skip steps toward real time', () => {
    expect(defaultStepRate(1, 30)).toEqual({ frameSkip: 1, framesPerStep: 3 });
    expect(defaultStepRate(1, 60)).toEqual({ frameSkip: 1, framesPerStep: 6 });
    expect(defaultStepRate(1, 5)).toEqual({ frameSkip: 1, framesPerStep: 1 });
    // The physics robots (dt 0.05 s) in real time: 1.5 frames per step at 30 fps, 3 at 60, 1 at 20.
    expect(defaultStepRate(0.05, 30)).toEqual({ frameSkip: 2, framesPerStep: 3 });
    expect(defaultStepRate(0.05, 60)).toEqual({ frameSkip: 1, framesPerStep: 3 });
    expect(defaultStepRate(0.05, 20)).toEqual({ frameSkip: 1, framesPerStep: 1 });
    expect(defaultStepRate(0.05, 10)).toEqual({ frameSkip: 2, framesPerStep: 1 });
    expect(defaultStepRate(0.01, 30)).toEqual({ frameSkip: 10, framesPerStep: 3 });
    // Within 1 % of real time for every fps the recorder takes (1-120), at 0.05 s.
    for (let fps = 1; fps <= 120; fps++) {
      const r = defaultStepRate(0.05, fps);
      const secondsPerVideoSecond = (fps * r.frameSkip * 0.05) / r.framesPerStep;
      expect(Math.abs(secondsPerVideoSecond - 1), `fps ${fps}: ${JSON.stringify(r)}`).toBeLessThan(0.011);
    }
  });

  it('frames = sum over episodes of 1 + m * ceil(L / k)', () => {
    expect(episodeFrames(30, { frameSkip: 1, framesPerStep: 3 })).toBe(91);
    expect(episodeFrames(25, { frameSkip: 4, framesPerStep: 1 })).toBe(8);
    expect(totalFrames([{ steps: 30 }, { steps: 7 }], { frameSkip: 2, framesPerStep: 2 })).toBe(1 + 2 * 15 + 1 + 2 * 4);
  });

  it('the plan visits every kept state in order, interpolating between them', () => {
    const eps = [
      { steps: 5, stateSteps: [0, 2, 4, 5] },
      { steps: 2, stateSteps: [0, 2] },
    ];
    const rate = { frameSkip: 2, framesPerStep: 2 };
    const plan = [...framePlan(eps, rate)];
    expect(plan.length).toBe(totalFrames(eps, rate));
    expect(plan.slice(0, 4)).toEqual([
      { episode: 0, state: 0, frac: 0 },
      { episode: 0, state: 0, frac: 0.5 },
      { episode: 0, state: 1, frac: 0 },
      { episode: 0, state: 1, frac: 0.5 },
    ]);
    expect(plan[6]).toEqual({ episode: 0, state: 3, frac: 0 });
    expect(plan[7]).toEqual({ episode: 1, state: 0, frac: 0 });
    expect(() => [...framePlan([{ steps: 5, stateSteps: [0, 5] }], rate)]).toThrow(/kept states/);
  });
});
