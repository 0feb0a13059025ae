import { expect, it } from 'vitest';
import { runOverridesSchema } from '../api.ts';
import { resolveConfig, settingsOf, type TrainConfig } from '../config.ts';
import { agentConfigFrom } from './agent-config.ts';

it("SQL's particles setting sets both the soft value's samples and the SVGD particles; SAC has none", () => {
  const sql = resolveConfig('ant/run-direction', {}, { algo: 'sql', particles: 8 });
  expect(agentConfigFrom(sql, 27, 8)).toMatchObject({ algo: 'sql', valueParticles: 8, svgdParticles: 8 });
  expect(agentConfigFrom(resolveConfig('ant/run-direction', {}, { algo: 'sql' }), 27, 8)).toMatchObject({
    valueParticles: 16,
    svgdParticles: 16,
  });
  const sac = agentConfigFrom(resolveConfig('ant/run-direction', {}, { particles: 8 }), 27, 8);
  expect(sac).not.toHaveProperty('valueParticles');
  expect(sac).not.toHaveProperty('svgdParticles');
  // A run.json written before the setting existed trained SQL with 16, and reads so.
  const old = { ...sql } as Partial<TrainConfig>;
  delete old.particles;
  expect(agentConfigFrom(old as TrainConfig, 27, 8)).toMatchObject({ valueParticles: 16, svgdParticles: 16 });
  expect(settingsOf(old as TrainConfig).particles).toBe(16);
  expect(() => runOverridesSchema.check({ particles: 1 }, 'options')).toThrow(/options\.particles/);
});
