// Shared learner settings: defaults, and bad values rejected with the field named, for SAC and SQL.
import { describe, expect, it } from 'vitest';
import { resolveSacConfig } from './sac/sac.ts';
import { resolveSqlConfig } from './sql/sql.ts';

describe('learner config', () => {
  it('fills defaults (per-part learning rates follow lr)', () => {
    const sac = resolveSacConfig({ obsDim: 3, actDim: 2, lr: 1e-3 });
    expect(sac).toMatchObject({ hidden: [256, 256], actorLr: 1e-3, criticLr: 1e-3, alphaLr: 1e-3, gamma: 0.99, tau: 0.005 });
    expect(sac.targetEntropy).toBe(-2);
    const sql = resolveSqlConfig({ obsDim: 3, actDim: 2 });
    expect(sql).toMatchObject({ lr: 3e-4, batchSize: 256, valueParticles: 16, svgdParticles: 16, seed: 0 });
  });

  it.each([
    [{ lr: NaN }, /SacConfig\.lr must be a finite number >= 0, got NaN/],
    [{ criticLr: -1 }, /SacConfig\.criticLr must be a finite number >= 0/],
    [{ alphaLr: Infinity }, /SacConfig\.alphaLr must be a finite number >= 0/],
    [{ gamma: 1.5 }, /SacConfig\.gamma must be in \[0, 1\]/],
    [{ tau: 0 }, /SacConfig\.tau must be in \(0, 1\]/],
    [{ hidden: [64, 0] }, /SacConfig\.hidden\[1\] must be an integer >= 1, got 0/],
    [{ initAlpha: 0 }, /SacConfig\.initAlpha must be > 0/],
    [{ targetEntropy: NaN }, /SacConfig\.targetEntropy must be a finite number/],
    [{ seed: 0.5 }, /SacConfig\.seed must be an integer/],
    [{ policy: 'mixture', components: 0 }, /SacConfig\.components must be an integer >= 1/],
  ])('SAC rejects %o', (bad, message) => {
    expect(() => resolveSacConfig({ obsDim: 3, actDim: 2, ...(bad as object) })).toThrow(message);
  });

  it('SQL names its own config and checks its particle counts', () => {
    expect(() => resolveSqlConfig({ obsDim: 3, actDim: 2, lr: NaN })).toThrow(/SqlConfig\.lr must be a finite number/);
    expect(() => resolveSqlConfig({ obsDim: 3, actDim: 2, svgdParticles: 1 })).toThrow(/SqlConfig\.svgdParticles must be an integer >= 2/);
    expect(() => resolveSqlConfig({ obsDim: 0, actDim: 2 })).toThrow(/SqlConfig\.obsDim must be an integer >= 1/);
  });
});
