// `maxent bench render`: frames/s of the studio's 3-D view drawing 16 ants in headless Chromium
// (software GL here). The ants are real: 16 ant envs stepped with random actions, laid out on a
// 4×4 grid, their poses fed frame by frame into the UI's own scene (renderer/scene.ts) and each
// frame rendered and read back (so the GPU/rasteriser work is really done).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEnv } from '../sim/index.ts';
import type { Env } from '../sim/env.ts';
import { StudioService } from '../studio/service.ts';
import { CHROMIUM_FLAGS, findChromium } from '../studio/record/headless.ts';

const SPACING = 3; // metres between neighbouring ants

export async function benchRender(
  opts: { ants?: number; frames?: number; width?: number; height?: number } = {},
): Promise<Record<string, unknown>> {
  const n = opts.ants ?? 16;
  const frames = opts.frames ?? 120;
  const width = opts.width ?? 1280;
  const height = opts.height ?? 720;
  const side = Math.ceil(Math.sqrt(n));

  // Pose frames from real ant rollouts (random actions), 16 ants tiled on a grid.
  const envs: Env[] = [];
  for (let i = 0; i < n; i++) envs.push(await createEnv('ant/run-any', { seed: i }));
  const spec = envs[0]!.spec;
  const nb = spec.bodies.length;
  const act = new Float32Array(spec.actDim);
  const one = new Float32Array(nb * 7);
  const poseFrames: number[][] = [];
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  envs.forEach((e, i) => e.reset(i));
  for (let f = 0; f < frames; f++) {
    const frame: number[] = [];
    envs.forEach((e, i) => {
      for (let k = 0; k < act.length; k++) act[k] = rand();
      const r = e.step(act);
      if (r.terminated || r.truncated) e.reset(1000 + f * n + i);
      e.poses(one);
      const dx = ((i % side) - (side - 1) / 2) * SPACING;
      const dz = (Math.floor(i / side) - (side - 1) / 2) * SPACING;
      for (let b = 0; b < nb; b++) {
        const o = b * 7;
        frame.push(one[o]! + dx, one[o + 1]!, one[o + 2]! + dz, one[o + 3]!, one[o + 4]!, one[o + 5]!, one[o + 6]!);
      }
    });
    poseFrames.push(frame);
  }
  envs.forEach((e) => e.dispose());
  const sceneSpec = {
    id: `bench/${n}-ants`,
    obsDim: spec.obsDim,
    actDim: spec.actDim,
    bodies: Array.from({ length: n }, (_, i) => spec.bodies.map((b) => ({ ...b, name: `${b.name}#${i}` }))).flat(),
    markers: [],
    actionNames: spec.actionNames,
  };

  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-bench-render-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-bench-chromium-'));
  const service = new StudioService({ home });
  const { serve } = await import('../studio/web/server.ts');
  const served = await serve(service, { port: 0 });
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    args: CHROMIUM_FLAGS,
    headless: true,
    viewport: { width, height },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(served.url);
    await page.waitForSelector('[data-testid="app"][data-ready="true"]', { timeout: 60_000 });
    const canvas = await page.evaluate(() => {
      const c = window.__studioScene!.renderer.domElement;
      return { width: c.width, height: c.height };
    });
    const quality = await page.evaluate(() => window.__studioScene!.quality());
    await page.evaluate((s) => window.__studioScene!.benchScene(s as never), sceneSpec);
    await page.evaluate((f) => window.__studioScene!.timePoseFrames(f), poseFrames.slice(0, 10)); // warm-up
    const ms = await page.evaluate((f) => window.__studioScene!.timePoseFrames(f), poseFrames);
    return {
      ants: n,
      bodies: sceneSpec.bodies.length,
      frames,
      viewport: `${width}x${height}`,
      canvas,
      quality,
      msPerFrame: Math.round(ms * 100) / 100,
      fps: Math.round((1000 / ms) * 10) / 10,
    };
  } finally {
    await context.close();
    await service.shutdown();
    await served.close();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(profile, { recursive: true, force: true });
  }
}
