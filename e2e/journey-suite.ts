// The studio journey as one ordered suite, registered by the browser spec (Chromium against
// `maxent serve`) and by the Electron spec, so the two run exactly the same steps and cannot
// drift. Each step saves a screenshot to e2e/artifacts/, the page must log no errors, and a
// failed step skips the ones after it.
import type { Page } from 'playwright-core';
import { it, type TestContext } from 'vitest';
import { expectVideo } from './ffprobe.ts';
import {
  deleteRun,
  downloadText,
  evaluateSelected,
  viewerCheckpoints,
  viewPolicyAt,
  expectNoErrorStates,
  expectOverlay,
  expectSeedGroups,
  expectTimeAxis,
  expectSceneNotBlank,
  fineTune,
  fineTuneSeeds,
  fineTuneWithSettings,
  checkSqlAlphaFollows,
  expectProgressTitle,
  expectEstimate,
  expectRunEndNote,
  expectRunInAddress,
  watchRunEnds,
  openStudio,
  pauseAndStep,
  cancelRecording,
  recordVideo,
  deleteVideo,
  sampleActionCloud,
  runBadge,
  selectedConfig,
  selectRun,
  setPolicyMode,
  setRunsAtOnce,
  startSeeds,
  showGhosts,
  snap,
  startPretrain,
  startScratchControl,
  startTaskRun,
  stopRun,
  waitForChartPoints,
  waitForRunState,
  type ConsoleWatch,
} from './journey.ts';

export interface JourneyHost {
  /** The page under test (set up by the spec's beforeAll). */
  page(): Page;
  watch(): ConsoleWatch;
  /** URL to open, or undefined when the host already shows the studio (Electron). */
  url(): string | undefined;
  /** Pretrain length: long enough that the policy reaches several goals (see the ghosts step). */
  pretrainSteps: number;
}

/** The charts' exports: the return chart as SVG (three lines, two seed bands), every shown row as CSV (six runs). */
async function expectExports(page: Page): Promise<void> {
  const svg = await downloadText(page, 'chart-svg-episodeReturn');
  if (
    svg.name !== 'episodeReturn.svg' ||
    (svg.text.match(/<polyline/g) ?? []).length !== 3 ||
    (svg.text.match(/<polygon/g) ?? []).length !== 2
  )
    throw new Error(`the return chart's SVG (${svg.name}) does not hold 3 lines and 2 bands`);
  const csv = await downloadText(page, 'export-csv');
  const csvRuns = new Set(
    csv.text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]),
  );
  if (!csv.text.startsWith('run_id,name,task,') || csvRuns.size !== 6)
    throw new Error(`the CSV holds rows of ${csvRuns.size} runs, want 6`);
}

export function registerJourney(host: JourneyHost): void {
  let page: Page;
  let watch: ConsoleWatch;
  const PRETRAIN_STEPS = host.pretrainSteps;
  let failed: string | null = null;
  let pretrainId = '';

  /** Runs one journey step: skipped after an earlier failure, screenshot and console check after. */
  async function step(ctx: TestContext, name: string, fn: () => Promise<void>): Promise<void> {
    page = host.page();
    watch = host.watch();
    if (failed) ctx.skip(`an earlier step failed: ${failed}`);
    try {
      await fn();
      await expectNoErrorStates(page, name);
      watch.assertClean(name);
    } catch (e) {
      failed = name;
      await snap(page, `${name}-FAILED`).catch(() => undefined);
      throw e;
    }
    await snap(page, name);
  }

  it('opens the studio: gallery, runs, system info, 3-D view of the default task', (ctx) =>
    step(ctx, '01-open', async () => {
      await openStudio(page, host.url());
      // Before any run exists the viewer shows the default task, animated by an untrained policy.
      await expectSceneNotBlank(page, '01-open');
      // The steps below start up to six runs together; how a full studio queues them is step 12.
      await setRunsAtOnce(page, 8);
    }));

  it('starts a multigoal pretrain run from the gallery', (ctx) =>
    step(ctx, '02-start', async () => {
      // With the window in the background, the run's end will show as a notification (step 05).
      await watchRunEnds(page);
      pretrainId = await startPretrain(page, 'multigoal', PRETRAIN_STEPS);
      // It has just logged its backend: it trains for a minute yet, its progress in the title.
      await expectProgressTitle(page);
    }));

  it('the episode-return chart receives points', (ctx) =>
    step(ctx, '03-chart', async () => {
      await waitForChartPoints(page, 'episodeReturn', 2);
    }));

  it('the 3-D canvas is animated and not blank', (ctx) =>
    step(ctx, '04-scene', async () => {
      await expectSceneNotBlank(page, '04-scene');
    }));

  it('the 3-D view pauses and steps frame by frame', (ctx) =>
    step(ctx, '04b-pause-step', async () => {
      await pauseAndStep(page);
    }));

  it('after pretraining, ghost rollouts from the episode start fan out to several goals', (ctx) =>
    step(ctx, '05-ghosts', async () => {
      // Normally done in well under a minute; the margin is for a loaded machine (a 300k-step
      // training beside the suite once took it past 110 s). The test itself may take 300 s.
      await waitForRunState(page, ['finished'], 240_000);
      const note = await expectRunEndNote(page, 'Run finished: ');
      if (!note.body.includes(`${PRETRAIN_STEPS.toLocaleString('en-US')} / ${PRETRAIN_STEPS.toLocaleString('en-US')} steps`))
        throw new Error(`the notification does not say the run's steps: ${JSON.stringify(note)}`);
      // Its card now times a new run by it.
      await expectEstimate(page, 'multigoal');
      // The goals are 7-10 m apart and a goal ends an episode within 1 m of it: end points >= 2 m
      // apart mean the sampled futures went to different places, i.e. the policy is multimodal.
      await showGhosts(page, 16, 30, 2, true);
    }));

  it('the action cloud is drawn over the Q landscape; mode switches', (ctx) =>
    step(ctx, '06-policy', async () => {
      await sampleActionCloud(page);
      await setPolicyMode(page, 'deterministic');
      await setPolicyMode(page, 'stochastic');
    }));

  it('evaluates the pretrain run on its task and zero-shot on its fine-tune target', (ctx) =>
    step(ctx, '06a-evaluate', async () => {
      const own = await evaluateSelected(page, { episodes: 20 });
      if (!own.evaluated?.startsWith('point/multigoal · ') || !own.evaluated.includes('20 episodes'))
        throw new Error(`evaluated: ${own.evaluated}`);
      if (!/^\d+ %$/.test(own.success ?? '') || !/entropy [\d.]+ nats/.test(own.goals ?? ''))
        throw new Error(`a point task reports success and goals: ${JSON.stringify(own)}`);
      const zeroShot = await evaluateSelected(page, { episodes: 5, on: 'one-goal' });
      if (!zeroShot.evaluated?.startsWith('point/one-goal · ')) throw new Error(`zero-shot evaluated: ${zeroShot.evaluated}`);
    }));

  it('shows and evaluates the policy as it was at an earlier checkpoint (kept at each tenth of the run)', (ctx) =>
    step(ctx, '06a2-checkpoints', async () => {
      const steps = await viewerCheckpoints(page);
      const earliest = steps.at(-1);
      if (steps.length < 2 || earliest === undefined || earliest >= PRETRAIN_STEPS)
        throw new Error(`the viewer offers checkpoints ${JSON.stringify(steps)} of a ${PRETRAIN_STEPS}-step run`);
      await viewPolicyAt(page, earliest);
      const early = await evaluateSelected(page, { episodes: 5, step: earliest });
      if (!early.evaluated?.includes(`checkpoint ${earliest.toLocaleString('en-US')} · `)) throw new Error(`evaluated: ${early.evaluated}`);
      await viewPolicyAt(page, null);
    }));

  it('records a rollout video: H.264 MP4 with the documented frame count and duration, played in the app', (ctx) =>
    step(ctx, '06b-record', async () => {
      const r = await recordVideo(page, {
        episodes: 2,
        mode: 'stochastic',
        seed: 3,
        size: '640x360',
        fps: 30,
        camera: 'follow',
        overlays: true,
        ghosts: true,
      });
      const probe = expectVideo(r.path, r);
      if (r.container !== 'mp4') throw new Error(`Chromium here encodes H.264, yet the recorder fell back to ${r.codec}`);
      if (Math.abs(r.playerDuration - probe.duration) > 0.1)
        throw new Error(`the in-app player reports ${r.playerDuration} s, ffprobe ${probe.duration} s`);
      await cancelRecording(page);
      // A second, short recording, then deleted from the list.
      const extra = await recordVideo(page, { episodes: 1, size: '640x360', fps: 24, ghosts: false });
      await deleteVideo(page, extra.name, extra.path);
    }));

  let fineTuneId = '';
  it('fine-tunes from the pretrain run and overlays both curves', (ctx) =>
    step(ctx, '07-finetune', async () => {
      fineTuneId = await fineTune(page, 'one-goal');
      if (fineTuneId === pretrainId) throw new Error('fine-tune did not create a new run');
      await expectOverlay(page, 2);
    }));

  it('starts the scratch control of the fine-tune and overlays the two', (ctx) =>
    step(ctx, '07b-scratch', async () => {
      const id = await startScratchControl(page);
      if (id === fineTuneId) throw new Error('the scratch control did not create a new run');
      await expectOverlay(page, 2);
    }));

  it('refuses to delete a live run (and says why), then stops it', (ctx) =>
    step(ctx, '08-stop', async () => {
      const msg = await deleteRun(page, true);
      if (!/running|stop it/i.test(msg)) throw new Error(`the refusal does not say why: ${msg}`);
      await stopRun(page);
    }));

  it('deletes the stopped run after confirmation', (ctx) =>
    step(ctx, '09-delete', async () => {
      await deleteRun(page);
      await selectRun(page, fineTuneId);
      await stopRun(page);
    }));

  it('fine-tunes on two more seeds with scratch controls; the charts draw each setting as a mean in a band', (ctx) =>
    step(ctx, '10-seeds', async () => {
      await selectRun(page, pretrainId);
      const ids = await fineTuneSeeds(page, 'one-goal', '2,3', true);
      // Shown: the seed-2 fine-tune (selected), the pretrain and the seed-1 fine-tune (overlaid
      // before), seed 3's fine-tune and both controls. Fine-tunes 1-3 are one setting, the two
      // controls another, the pretrain alone: three lines, two of them bands.
      const rows = await expectSeedGroups(page, 3, 2);
      if (!rows.some((r) => /fine-tuned from step [\d,]+: point\/one-goal · seeds 1, 2, 3/.test(r)))
        throw new Error(`group rows: ${JSON.stringify(rows)}`);
      // What the charts show, exported: the return chart as SVG (three lines, two bands), every row as CSV.
      // (In the desktop app a download opens a save dialog, which a test cannot answer: browser only.)
      if (host.url() !== undefined) await expectExports(page);
      await expectTimeAxis(page, 3, 2);
      const overlay = await page.getByTestId('overlay-seeds').textContent();
      if (overlay !== 'Overlay seeds (3)') throw new Error(`the fine-tune's seeds button reads ${JSON.stringify(overlay)}`);
      for (const id of ids) {
        await selectRun(page, id);
        await stopRun(page);
      }
      // The run list's filter: seed 3's fine-tune alone.
      await page.getByTestId('runs-filter').fill('one-goal seed:3 fine-tune');
      const shown = await page.getByTestId('run-item').count();
      const count = await page.getByTestId('runs-count').textContent();
      if (shown !== 1 || !/^1 of \d+$/.test(count ?? '')) throw new Error(`the filter shows ${shown} runs, "${count}"`);
      await page.getByTestId('runs-filter').fill('');
    }));

  it('trains any task from the "Any task" card with chosen settings (a bad value is named and refused)', (ctx) =>
    step(ctx, '11-any-task', async () => {
      await checkSqlAlphaFollows(page);
      const { config } = await startTaskRun(page, 'point/one-goal', 600, {
        hidden: '32,32',
        lr: '0.001',
        autoAlpha: 'false',
        initAlpha: '0.3',
      });
      const want = { task: 'point/one-goal', steps: 600, hidden: [32, 32], lr: 0.001, autoAlpha: false, initAlpha: 0.3, batchSize: 128 };
      for (const [k, v] of Object.entries(want))
        if (JSON.stringify(config[k]) !== JSON.stringify(v))
          throw new Error(`run.json has ${k} = ${JSON.stringify(config[k])}, want ${JSON.stringify(v)}`);
      const note = (await page.getByTestId('start-status-task').textContent()) ?? '';
      if (!note.includes('Its 600 steps end within the 1,000 random steps'))
        throw new Error(`a run shorter than its random warm-up is not pointed out: ${JSON.stringify(note)}`);
      const shown = (await page.getByTestId('run-settings').textContent()) ?? '';
      if (!shown.includes('32×32 · batch 128 · lr 0.001') || !shown.includes('α fixed at 0.3'))
        throw new Error(`the run page shows settings ${JSON.stringify(shown)}`);
      await waitForRunState(page, ['finished'], 120_000);
      // Its fine-tune keeps the networks (locked) and takes a changed learning rate.
      const child = await fineTuneWithSettings(page, 'point/multigoal', 300, { lr: '0.002' });
      const got = { task: child.task, steps: child.steps, lr: child.lr, hidden: child.hidden };
      if (JSON.stringify(got) !== JSON.stringify({ task: 'point/multigoal', steps: 300, lr: 0.002, hidden: [32, 32] }))
        throw new Error(`the fine-tune's run.json has ${JSON.stringify(got)}`);
      await waitForRunState(page, ['finished'], 120_000);
    }));

  it('trains at most "Runs at once" together: the rest wait queued, start now or later, and a run goes on for more steps', (ctx) =>
    step(ctx, '12-queue', async () => {
      await setRunsAtOnce(page, 1);
      const [a, b, c] = await startSeeds(page, 'multigoal', 6000, '4-6');
      const badges = [await runBadge(page, a!), await runBadge(page, b!), await runBadge(page, c!)];
      if (badges[0] === 'queued' || badges[1] !== 'queued #1' || badges[2] !== 'queued #2')
        throw new Error(`the run list shows ${JSON.stringify(badges)}, want one training and queued #1, #2`);
      const summary = (await page.getByTestId('queue-summary').textContent()) ?? '';
      if (!/^1 training · 2 queued \(\d+ cores\)$/.test(summary)) throw new Error(`the queue summary reads ${JSON.stringify(summary)}`);
      // The last in line: its page says where it waits; Stop takes it off the queue.
      await selectRun(page, c!);
      const meta = (await page.getByTestId('run-page').textContent()) ?? '';
      if (!meta.includes('queued, 2nd in line')) throw new Error(`the queued run's page does not say its place: ${meta.slice(0, 300)}`);
      await page.getByTestId('stop-run').click();
      await waitForRunState(page, ['stopped'], 15_000);
      // The first in line starts now, past the limit.
      await selectRun(page, b!);
      await page.getByTestId('start-now').click();
      await waitForRunState(page, ['created', 'running'], 15_000);
      // The stopped run continues: queued again while two train; a wider limit starts it.
      await selectRun(page, c!);
      await page.getByTestId('continue-run').click();
      await waitForRunState(page, ['queued'], 15_000);
      await setRunsAtOnce(page, 8);
      await waitForRunState(page, ['created', 'running', 'finished'], 15_000);
      for (const id of [a!, b!, c!]) {
        await selectRun(page, id);
        await waitForRunState(page, ['finished'], 180_000);
      }
      // A finished run trains more only when told how many steps.
      if ((await page.getByTestId('continue-run').textContent()) !== 'Train more') throw new Error('a finished run offers no "Train more"');
      await page.getByTestId('continue-run').click();
      const err = (await page.getByTestId('run-status').textContent()) ?? '';
      if (!err.includes('say how many more to train')) throw new Error(`"Train more" with no steps gave ${JSON.stringify(err)}`);
      await page.getByTestId('continue-steps').fill('500');
      await page.getByTestId('continue-run').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="run-page"]')?.textContent?.includes('/ 6,500 steps'), null, {
        timeout: 15_000,
      });
      await waitForRunState(page, ['finished'], 120_000);
      const done = (await page.getByTestId('run-page').textContent()) ?? '';
      if (!done.includes('6,500 / 6,500 steps')) throw new Error(`after 500 more steps the run page reads ${done.slice(0, 300)}`);
    }));

  it("fine-tunes on a variant the user writes (a bad field is named); the Any task card offers its task's fields, and saves a variant by name", (ctx) =>
    step(ctx, '13-custom-variant', async () => {
      await selectRun(page, pretrainId);
      await page.getByTestId('finetune-variant').selectOption('one-goal');
      await page.getByTestId('finetune-steps').fill('300');
      await page.getByTestId('finetune-seeds').fill('1');
      await page.locator('[data-testid="finetune-variant-editor"] summary').click();
      await page.getByTestId('finetune-variant-editor-name').fill('south goal');
      // A typo is named before anything starts.
      await page.getByTestId('finetune-variant-editor-goals').fill('[[0, -5]');
      await page.getByTestId('finetune-run').click();
      const err = (await page.getByTestId('run-status').textContent()) ?? '';
      if (!err.startsWith('Custom variant: goals: not valid JSON')) throw new Error(`a bad goals entry gave ${JSON.stringify(err)}`);
      await page.getByTestId('finetune-variant-editor-goals').fill('[[0, -5]]');
      const json = await page.getByTestId('finetune-variant-editor-json').textContent();
      if (json !== '{"name":"south goal","goals":[[0,-5]]}') throw new Error(`the editor shows ${json}`);
      await page.getByTestId('finetune-run').click();
      await page.waitForFunction(
        (parent) => {
          const sel = document.querySelector('[data-testid="run-item"][aria-current="true"]');
          return sel && sel.getAttribute('data-run-id') !== parent;
        },
        pretrainId,
        { timeout: 30_000 },
      );
      const config = await selectedConfig(page);
      if (JSON.stringify(config.variant) !== json || config.task !== 'point/one-goal')
        throw new Error(`the fine-tune's run.json has task ${String(config.task)}, variant ${JSON.stringify(config.variant)}`);
      const meta = (await page.getByTestId('run-page').textContent()) ?? '';
      if (!meta.includes('point/one-goal (south goal)')) throw new Error(`the run page does not name the variant: ${meta.slice(0, 200)}`);
      await waitForRunState(page, ['finished'], 120_000);
      // The pretrain tried there zero-shot, before any fine-tuning.
      await selectRun(page, pretrainId);
      const zero = await evaluateSelected(page, {
        episodes: 5,
        on: 'one-goal',
        variant: { name: 'south goal', fields: { goals: '[[0, -5]]' } },
      });
      if (!zero.evaluated?.startsWith('point/one-goal (south goal) · '))
        throw new Error(`zero-shot on the custom variant evaluated ${zero.evaluated}`);
      // The Any task card's editor offers the variants runs of its task trained on.
      await page.getByTestId('task-select').selectOption('point/one-goal');
      await page.locator('[data-testid="task-variant-editor"] summary').click();
      await page.getByTestId('task-variant-editor-from').selectOption({ label: 'south goal' });
      const goals = await page.getByTestId('task-variant-editor-goals').inputValue();
      if (goals !== '[[0,-5]]') throw new Error(`"south goal" filled the goals with ${JSON.stringify(goals)}`);
      await page.locator('[data-testid="task-variant-editor"] summary').click();
      // It follows its task: the cheetah's masses, filled from "heavy".
      await page.getByTestId('task-select').selectOption('cheetah/run');
      await page.locator('[data-testid="task-variant-editor"] summary').click();
      await page.getByTestId('task-variant-editor-from').selectOption('builtin:heavy');
      const torso = await page.getByTestId('task-variant-editor-mass.torso').inputValue();
      if (torso !== '2') throw new Error(`"heavy" filled the torso mass with ${JSON.stringify(torso)}`);
      // Saved by name (a --variant file): offered in Start from; Forget removes it.
      await page.getByTestId('task-variant-editor-name').fill('heavier');
      await page.getByTestId('task-variant-editor-mass.torso').fill('2.5');
      await page.getByTestId('task-variant-editor-save').click();
      await page.waitForFunction(
        () =>
          /^Saved as .*variants\/cheetah\/run\/heavier\.json$/.test(
            document.querySelector('[data-testid="task-variant-editor-saved-status"]')?.textContent ?? '',
          ),
        null,
        { timeout: 10_000 },
      );
      await page.getByTestId('task-variant-editor-from').selectOption('builtin:heavy');
      await page.getByTestId('task-variant-editor-from').selectOption('saved:heavier');
      const again = await page.getByTestId('task-variant-editor-mass.torso').inputValue();
      if (again !== '2.5') throw new Error(`the saved "heavier" filled the torso mass with ${JSON.stringify(again)}`);
      await page.getByTestId('task-variant-editor-forget').click();
      await page.waitForFunction(
        () =>
          (document.querySelector('[data-testid="task-variant-editor-saved-status"]')?.textContent ?? '').startsWith('Forgot "heavier"'),
        null,
        { timeout: 10_000 },
      );
      if (await page.locator('[data-testid="task-variant-editor-from"] option[value="saved:heavier"]').count())
        throw new Error('Forget left "heavier" in Start from');
      await page.locator('[data-testid="task-variant-editor"] summary').click(); // closed: the task as is
      await page.getByTestId('task-select').selectOption('point/multigoal');
    }));

  it('renames a run and keeps notes on it; the run list shows the name and its filter finds the notes', (ctx) =>
    step(ctx, '14-name-notes', async () => {
      await selectRun(page, pretrainId);
      await page.locator('[data-testid="label-editor"] summary').click();
      await page.getByTestId('label-name').fill('multigoal baseline');
      await page.getByTestId('label-notes').fill('the pretrain every fine-tune here starts from');
      await page.getByTestId('label-save').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="run-title"]')?.textContent === 'multigoal baseline', null, {
        timeout: 15_000,
      });
      const notes = await page.getByTestId('run-notes').textContent();
      if (notes !== 'the pretrain every fine-tune here starts from') throw new Error(`the run page shows notes ${JSON.stringify(notes)}`);
      const listed = await page.locator(`[data-testid="run-item"][data-run-id="${pretrainId}"] .name`).textContent();
      if (listed !== 'multigoal baseline') throw new Error(`the run list names it ${JSON.stringify(listed)}`);
      await page.getByTestId('runs-filter').fill('every fine-tune');
      const shown = await page.getByTestId('run-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
      if (shown.length !== 1 || shown[0] !== pretrainId) throw new Error(`filtering by the notes shows ${JSON.stringify(shown)}`);
      await page.getByTestId('runs-filter').fill('');
    }));

  it('the address names the run on display: a reload opens it again', (ctx) =>
    step(ctx, '15-address', async () => {
      await expectRunInAddress(page, pretrainId);
    }));
}
