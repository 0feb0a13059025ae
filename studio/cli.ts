// `maxent`: the studio's command line. Every command takes --json (machine output) and --home
// (run store; MAXENT_HOME works too). Errors are one clear line on stderr and a non-zero exit.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { listTasks, parseVariant } from '../sim/index.ts';
import type { MetricRow, RunInfo, RunOverrides } from './api.ts';
import { evalOptionsSchema, MAX_RUNS_LIMIT, MAX_STEPS, runOverridesSchema, runScenario, taskLabel, variantLabel } from './api.ts';
import { resolveConfig } from './config.ts';
import { differingSettings } from './settings-diff.ts';
import { SCENARIOS } from './scenarios.ts';
import { StudioService } from './service.ts';
import { describeBackend } from './backend.ts';
import { versions } from './versions.ts';
import { compareGroups, compareRuns, COMPARE_WINDOW, groupKind } from './compare.ts';
import { ProgressBar } from './progress.ts';
import { curvesSvg, meanBand, smooth, type Series } from './plot-svg.ts';
import { parseSeeds } from './seeds.ts';
import { resolveVariantArg } from './saved-variants.ts';
import { clockOf, formatDuration, meanTimes, secondsLeft, steadyMask, timeUnit } from './throughput.ts';

/** What `maxent plot --metric` can draw (MetricRow fields) and its axis label. */
const PLOT_METRICS = {
  episodeReturn: 'episode return',
  episodeLength: 'episode length',
  qLoss: 'critic loss',
  policyLoss: 'policy loss',
  alpha: 'temperature α',
  entropy: 'policy entropy',
  envStepsPerSec: 'env steps/s',
  updatesPerSec: 'updates/s',
} satisfies Partial<Record<keyof MetricRow, string>>;
type PlotMetric = keyof typeof PLOT_METRICS;

export class UsageError extends Error {
  override name = 'UsageError';
}

const USAGE = `maxent — MaxEnt Studio command line

  maxent train <task|scenario> [--steps N] [--seed S | --seeds 1,2,3 or 1-5 (a run each)] [--envs N] [--hidden 256,256]
               [--batch N] [--lr X] [--gamma G] [--alpha A (fixed α; SQL starts at 0.1 on the ant and cheetah, else 1)] [--algo sac|sql]
               [--policy gaussian|mixture] [--particles N (SQL: M = K, default 16)] [--learning-starts N] [--updates-per-step U]
               [--checkpoint-every N] [--keep-every N (policies kept for good; default each tenth; 0 only the last)]
               [--log-every N] [--variant file.json|name] [--name S]
               [--device auto|cpu|webgpu|tfjs] [--threads N (CPU update threads; 0 = measure)]
  maxent finetune <run> <task|variant-id> [--variant file.json|name] [--steps N] [--seed S]
               [--reset-alpha (restart α at its initial value, not the parent's) | --keep-alpha (the parent's,
               where the variant restarts it: cheetah backward)]
               [--compare [--threshold R]]   also train the scratch control and compare
               [--seeds 1,2,3]               a fine-tune (and control) per seed; compared per seed and as groups
  maxent scratch <fine-tune run>          its scratch control alone (same task, variant, config, seed)
  maxent resume <run> [--steps N]          continue an interrupted/stopped run; --steps N: N steps more (a finished run too)
  maxent eval <run> [--episodes N] [--stochastic] [--seed S] [--step N (a checkpoint; default the latest)]
               [--on <task|variant-id>] [--variant file.json|name]   on a fine-tune target or a variant, zero-shot
  maxent compare <runA> <runB> --threshold R   (a1,a2,a3 b1,b2,b3: groups of seeds, median and mean ± sd)
  maxent plot <run> [<run> ...] [--out file.svg] [--smooth N] [--metric M] [--x steps|time] [--title T]   (a1,a2,a3: mean and band)
                                           learning curves (episode return, alpha, ... vs env steps or training time) as SVG
  maxent list tasks|scenarios|runs|variants <task>   (variants: built in, and saved from the studio's Custom variant)
  maxent record <run> [--out file.mp4|.webm] [--name N] [--force] [--episodes N] [--fps F] [--size WxH]
               [--seed S] [--step N] [--stochastic] [--camera fixed|follow|orbit] [--ghosts] [--no-overlays]
                                           rollout video (headless Chromium) into the run's videos/
                                           (as N.mp4; --force replaces a video or --out file of that name)
  maxent serve [--port P] [--host H] [--max-runs N]
                                           the studio UI in a browser (N: runs that train at once,
                                           for this server; default the studio's saved choice)
  maxent info                              backend, device, versions, run store
  maxent bench sim|train|render|gpu|all [--seconds S]
               gpu: [--small (tiny nets, for a software adapter)] [--per-submit 8,32,128]

Common options: --json (machine-readable output), --home DIR (run store; or MAXENT_HOME)`;

const common = {
  json: { type: 'boolean' },
  home: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const trainOpts = {
  ...common,
  steps: { type: 'string' },
  seed: { type: 'string' },
  seeds: { type: 'string' },
  envs: { type: 'string' },
  hidden: { type: 'string' },
  batch: { type: 'string' },
  lr: { type: 'string' },
  'learning-starts': { type: 'string' },
  variant: { type: 'string' },
  name: { type: 'string' },
  device: { type: 'string' },
  threads: { type: 'string' },
  algo: { type: 'string' },
  policy: { type: 'string' },
  particles: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  'keep-every': { type: 'string' },
  alpha: { type: 'string' },
  gamma: { type: 'string' },
  'log-every': { type: 'string' },
  'updates-per-step': { type: 'string' },
} as const;

/** A fine-tune's own options besides the training ones. */
const finetuneOpts = {
  ...trainOpts,
  'reset-alpha': { type: 'boolean' },
  'keep-alpha': { type: 'boolean' },
  compare: { type: 'boolean' },
  threshold: { type: 'string' },
} as const;

function parse<O extends ParseArgsConfig['options']>(argv: string[], options: O, command: string) {
  // `--threshold -5`: a negative number is a value, not an option (parseArgs would refuse it).
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message;
    // `--steps --learning-starts 100`: a value left out before the next option.
    const ambiguous = /^Option '(-[^']*)' argument is ambiguous/.exec(msg);
    if (ambiguous) throw new UsageError(`${command}: ${ambiguous[1]} has no value (the word after it is an option)`);
    // One line: parseArgs appends advice on further lines.
    throw new UsageError(`${command}: ${msg.split('\n')[0]!.replace(/\. To specify a positional.*$/, '')}`);
  }
  // `--home "$UNSET"` would put a run store in whatever folder the command runs in.
  if ((parsed.values as { home?: unknown }).home === '')
    throw new UsageError(`${command}: --home is empty: give the run store's folder (or leave --home out)`);
  return parsed;
}

/** Digits as people write them (1000, 0.5, 1e5); not '', hex or words, which Number() also reads. */
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

/** --out of `maxent record`: a file in a folder that exists, not replaced unless forced. */
function checkOutFile(out: string, force: boolean): void {
  const dir = path.dirname(out);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--out: the folder ${dir} does not exist`);
  if (!fs.existsSync(out)) return;
  if (fs.statSync(out).isDirectory())
    throw new UsageError(`--out ${out} is a folder: name a file in it, e.g. ${path.join(out, 'rollout.mp4')}`);
  if (!force) throw new UsageError(`--out ${out} exists: pass --force to replace it, or choose another file`);
}

function int(v: string | undefined, flag: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = DECIMAL.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${flag} must be an integer >= ${min}${max < Number.MAX_SAFE_INTEGER ? ` and <= ${max.toLocaleString('en-US')}` : ''}, got ${JSON.stringify(v)}`,
    );
  return n;
}

/** --seeds 1,2,3 (or 1-5): distinct seeds, one run each (null when absent; --seed and --seeds exclude each other). */
function seedList(values: { seed?: unknown; seeds?: unknown }): number[] | null {
  if (values.seeds === undefined) return null;
  if (values.seed !== undefined) throw new UsageError('--seed and --seeds exclude each other: give the seeds as --seeds 1,2,3');
  try {
    return parseSeeds(String(values.seeds));
  } catch (e) {
    throw new UsageError(`--${(e as Error).message}`);
  }
}

/** Run ids on the command line: "a,b,c" is a group (seeds of one setting), drawn or compared as one. */
function runGroups(positionals: string[]): string[][] {
  const seen = new Set<string>();
  return positionals.map((p) => {
    const ids = p.split(',').filter((id) => id !== '');
    if (ids.length === 0) throw new UsageError(`${JSON.stringify(p)} names no run: give run ids, e.g. a1,a2,a3`);
    for (const id of ids) {
      // A run counted twice would weigh double in a group's mean and spread.
      if (seen.has(id)) throw new UsageError(`run ${id} is named twice: each run may appear once`);
      seen.add(id);
    }
    return ids;
  });
}

function num(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = DECIMAL.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

function overridesFrom(values: Record<string, string | boolean | undefined>): RunOverrides {
  const hidden = values.hidden as string | undefined;
  if (values['keep-alpha'] && (values['reset-alpha'] || values.alpha !== undefined))
    throw new UsageError('--keep-alpha contradicts --reset-alpha and --alpha (each restarts α)');
  const raw: Record<string, unknown> = {
    steps: int(values.steps as string, 'steps', 1),
    seed: int(values.seed as string, 'seed'),
    numEnvs: int(values.envs as string, 'envs', 1),
    hidden: hidden === undefined ? undefined : hidden.split(',').map((h) => int(h.trim(), 'hidden', 1)),
    batchSize: int(values.batch as string, 'batch', 1),
    lr: num(values.lr as string, 'lr'),
    learningStarts: int(values['learning-starts'] as string, 'learning-starts'),
    name: values.name,
    device: values.device,
    threads: int(values.threads as string, 'threads'),
    algo: values.algo,
    policy: values.policy,
    particles: int(values.particles as string, 'particles', 2),
    checkpointEvery: int(values['checkpoint-every'] as string, 'checkpoint-every', 1),
    keepEvery: int(values['keep-every'] as string, 'keep-every', 0),
    // --alpha fixes the temperature (no automatic tuning): what multimodal pretraining needs.
    initAlpha: num(values.alpha as string, 'alpha'),
    autoAlpha: values.alpha === undefined ? undefined : false,
    // A fine-tune starts from the parent's learned α unless told otherwise (or its variant
    // restarts it); --alpha on a fine-tune means that α, so it resets too.
    resetAlpha: values['reset-alpha'] || values.alpha !== undefined ? true : values['keep-alpha'] ? false : undefined,
    gamma: num(values.gamma as string, 'gamma'),
    logEvery: int(values['log-every'] as string, 'log-every', 1),
    updatesPerStep: num(values['updates-per-step'] as string, 'updates-per-step'),
  };
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  return checkedAsFlags(() => runOverridesSchema.check(raw, 'options'));
}

/** The API's field names, as the flags that set them. */
const FLAG_OF: Record<string, string> = {
  numEnvs: 'envs',
  batchSize: 'batch',
  learningStarts: 'learning-starts',
  checkpointEvery: 'checkpoint-every',
  keepEvery: 'keep-every',
  initAlpha: 'alpha',
  logEvery: 'log-every',
  updatesPerStep: 'updates-per-step',
};

/** Runs an API schema check; its message names the flag (`--alpha`), not the field (`options.initAlpha`). */
function checkedAsFlags<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    const msg = (e as Error).message.replace(/^options\.(\w+)(\[\d+\])?:/, (_m, k: string) => `--${FLAG_OF[k] ?? k}:`);
    throw new UsageError(msg);
  }
}

function positive(v: number | undefined, flag: string): number | undefined {
  if (v !== undefined && !(v > 0)) throw new UsageError(`--${flag} must be above 0, got ${v}`);
  return v;
}

/** A command that takes no (or no more) positional arguments. */
function noMore(command: string, extra: string[]): void {
  if (extra.length) throw new UsageError(`${command}: unexpected ${extra.map((a) => JSON.stringify(a)).join(' ')}`);
}

/** The help of one command: its lines of USAGE and the common options. */
function usageOf(command: string): string | null {
  const lines = USAGE.split('\n');
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    const head = /^ {2}maxent (\w+)/.exec(line);
    if (head) inside = head[1] === command;
    else if (!/^ {3,}/.test(line)) inside = false;
    if (inside) out.push(line);
  }
  return out.length ? `${out.join('\n')}\n\n${lines.at(-1)}` : null;
}

/** `--variant`: a file, or a built-in or saved variant of `task()` by name (saved-variants.ts). */
function readVariant(arg: string | undefined, home: string, task: () => string): unknown {
  if (arg === undefined) return undefined;
  try {
    return resolveVariantArg(home, task(), arg);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

class Output {
  constructor(readonly json: boolean) {}
  line(obj: Record<string, unknown>, human: string): void {
    process.stdout.write(this.json ? JSON.stringify(obj) + '\n' : human + '\n');
  }
}

/** Runs a training run to its end, printing progress; Ctrl-C or SIGTERM stops it with a checkpoint. */
async function follow(service: StudioService, run: RunInfo, out: Output): Promise<number> {
  const bar = !out.json && process.stdout.isTTY ? new ProgressBar(run.totalSteps) : null;
  if (!out.json) process.stdout.write(`run ${run.id} (${run.task}, ${run.backend}) → ${run.dir}\n`);
  let lastReturn: number | null = null;
  // Every row so far: the time left is read from the recent training speed, warm-up left out.
  let seen: MetricRow[] = [];
  const off = service.on('run.metrics', ({ runId, rows, replace }) => {
    if (runId !== run.id) return;
    // A resumed run's first row comes with its whole metrics file (for the UI): print only the new one.
    const fresh = (replace ? rows.slice(-1) : rows) as MetricRow[];
    seen = replace ? (rows as MetricRow[]).slice() : seen.concat(fresh);
    const left = out.json ? null : secondsLeft(seen, run.totalSteps, run.settings?.updatesPerStep);
    for (const r of fresh) {
      if (r.episodeReturn !== undefined) lastReturn = r.episodeReturn;
      if (out.json) {
        process.stdout.write(JSON.stringify({ event: 'metrics', runId, ...r }) + '\n');
        continue;
      }
      if (bar) bar.update(r.step, lastReturn, r.envStepsPerSec ?? 0, left);
      else
        process.stdout.write(
          `step ${r.step}/${run.totalSteps} return ${lastReturn?.toFixed(2) ?? '–'} ${Math.round(r.envStepsPerSec ?? 0)} steps/s${left === null ? '' : ` · ${formatDuration(left)} left`}\n`,
        );
    }
  });
  // errors and warnings on stderr; what the run reports of itself (its backend) with the progress
  const offLog = service.on('log', (l) => {
    if (l.runId !== run.id) return;
    if (out.json) process.stdout.write(JSON.stringify({ event: 'log', runId: l.runId, level: l.level, message: l.message }) + '\n');
    else (l.level === 'info' ? process.stdout : process.stderr).write(`${l.message}\n`);
  });
  // SIGINT (Ctrl-C) and SIGTERM (kill, timeout, a service manager) both stop with a checkpoint;
  // a second signal aborts. Exit code 128 + signal number, as a shell reports it.
  const exitCode = { SIGINT: 130, SIGTERM: 143 } as const;
  let interrupted: keyof typeof exitCode | null = null;
  const onSignal = (sig: keyof typeof exitCode): void => {
    if (interrupted) process.exit(exitCode[sig]);
    interrupted = sig;
    process.stderr.write(
      `\nstopping (${sig}): writing a checkpoint (${sig === 'SIGINT' ? 'Ctrl-C' : 'a second signal'} again to abort)…\n`,
    );
    void service.stop(run.id).catch(() => undefined);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const final = await service.waitFor(run.id);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  off();
  offLog();
  bar?.done();
  out.line(
    {
      event: 'done',
      runId: final.id,
      dir: final.dir,
      status: final.status,
      step: final.step,
      lastReturn: final.lastReturn,
      error: final.error,
    },
    `${final.status}: run ${final.id} at step ${final.step}${final.lastReturn != null ? `, last return ${final.lastReturn.toFixed(2)}` : ''}${final.error ? ` — ${final.error}` : ''}\n  dir: ${final.dir}`,
  );
  if (final.status === 'failed') return 1;
  return interrupted ? exitCode[interrupted] : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  // `maxent train ant/run --help` shows help; it must never start the command.
  const dashes = rest.indexOf('--');
  if ((dashes < 0 ? rest : rest.slice(0, dashes)).some((a) => a === '--help' || a === '-h')) {
    process.stdout.write((usageOf(command) ?? USAGE) + '\n');
    return 0;
  }
  switch (command) {
    case 'train': {
      const { values, positionals } = parse(rest, trainOpts, 'train');
      if (positionals.length !== 1) throw new UsageError('train: give exactly one task or scenario id (see `maxent list tasks`)');
      const target = positionals[0];
      const isTask = listTasks().some((t) => t.id === target);
      if (!isTask && !SCENARIOS.some((s) => s.id === target)) {
        throw new UsageError(
          `train: unknown task or scenario ${JSON.stringify(target)} (see \`maxent list tasks\` and \`maxent list scenarios\`)`,
        );
      }
      const overrides = overridesFrom(values);
      const service = new StudioService({ home: values.home });
      const variant = readVariant(values.variant, service.store.home, () => {
        if (!isTask) throw new Error('train: --variant needs a task id, not a scenario');
        return target;
      });
      if (isTask) {
        const cfg = resolveConfig(target!, {}, overrides);
        // Its first learningStarts steps act at random and update nothing: a shorter run never
        // learns. Said, not refused: a few random steps are a quick checkpoint to try things on.
        if (cfg.steps <= cfg.learningStarts)
          process.stderr.write(
            `warning: ${cfg.steps} steps are all random warm-up (the first ${cfg.learningStarts} of ${target} update nothing), so this run will not learn: give more --steps or a lower --learning-starts\n`,
          );
      }
      const out = new Output(!!values.json);
      // --seeds: one run per seed, one after the other (each uses the cores it is given).
      for (const seed of seedList(values) ?? [overrides.seed]) {
        const o = { ...overrides, seed };
        const run = variant === undefined ? await service.startRun(target, o) : await startWithVariant(service, target, o, variant);
        const code = await follow(service, run, out);
        if (code !== 0) return code;
      }
      return 0;
    }
    case 'finetune': {
      const { values, positionals } = parse(rest, finetuneOpts, 'finetune');
      if (positionals.length !== 2)
        throw new UsageError('finetune: usage `maxent finetune <run> <task|variant-id> [--variant file.json|name]`');
      const service = new StudioService({ home: values.home });
      const out = new Output(!!values.json);
      const overrides = overridesFrom(values);
      const seeds = seedList(values);
      // Checked before hours of training, not after.
      if (values.threshold !== undefined && !values.compare)
        throw new UsageError('finetune: --threshold is for --compare (the return both runs must reach)');
      const givenThreshold = num(values.threshold, 'threshold');
      const variantJson = readVariant(
        values.variant,
        service.store.home,
        () => service.fineTuneTarget(service.store.read(positionals[0]!), positionals[1]!).task,
      );
      const tuned: string[] = [],
        scratches: string[] = [];
      // --seeds: per seed, the fine-tune and (--compare) its scratch control, one run at a time.
      for (const seed of seeds ?? [overrides.seed]) {
        const run = await service.fineTune(positionals[0], positionals[1], { ...overrides, seed }, variantJson);
        const code = await follow(service, run, out);
        if (code !== 0) return code;
        tuned.push(run.id);
        if (!values.compare) continue;
        // The scratch control: same task, variant, budget and seed, trained from nothing.
        const scratch = await service.startScratch(run.id);
        const code2 = await follow(service, scratch, out);
        if (code2 !== 0) return code2;
        scratches.push(scratch.id);
      }
      if (!values.compare) return 0;
      const threshold = givenThreshold ?? thresholdFor(service, tuned[0]!, positionals[1]);
      if (seeds) printGroupComparison(out, compareGroups(service.store, tuned, scratches, threshold), ['fine-tuned', 'scratch']);
      else printComparison(out, compareRuns(service.store, tuned[0]!, scratches[0]!, threshold));
      return 0;
    }
    case 'scratch': {
      // The control of a fine-tune run on its own (the UI's "Scratch control"): e.g. beside a
      // fine-tune still training in another terminal, where --compare would run them in turn.
      const { values, positionals } = parse(rest, common, 'scratch');
      if (positionals.length !== 1) throw new UsageError('scratch: usage `maxent scratch <fine-tune run>`');
      const service = new StudioService({ home: values.home });
      return follow(service, await service.startScratch(positionals[0]!), new Output(!!values.json));
    }
    case 'resume': {
      const { values, positionals } = parse(rest, { ...common, steps: { type: 'string' } }, 'resume');
      if (positionals.length !== 1) throw new UsageError('resume: usage `maxent resume <run> [--steps N (steps more)]`');
      const service = new StudioService({ home: values.home });
      const run = await service.resumeRun(positionals[0], int(values.steps, 'steps', 1, MAX_STEPS));
      return follow(service, run, new Output(!!values.json));
    }
    case 'eval': {
      const { values, positionals } = parse(
        rest,
        {
          ...common,
          episodes: { type: 'string' },
          stochastic: { type: 'boolean' },
          seed: { type: 'string' },
          temperature: { type: 'string' },
          step: { type: 'string' },
          on: { type: 'string' },
          variant: { type: 'string' },
        },
        'eval',
      );
      if (positionals.length !== 1)
        throw new UsageError('eval: usage `maxent eval <run> [--episodes N] [--stochastic] [--step N] [--on <task|variant-id>]`');
      const service = new StudioService({ home: values.home });
      // --on: the policy as it stands on a fine-tune target, before any fine-tuning (zero-shot);
      // --variant: a variant of that target's task, or without --on of the run's own task.
      if (values.temperature !== undefined && !values.stochastic)
        throw new UsageError('eval: --temperature scales the sampled actions: give --stochastic too');
      const evalOpts = checkedAsFlags(() =>
        evalOptionsSchema.check(
          {
            on: values.on,
            episodes: int(values.episodes, 'episodes', 1) ?? 20,
            stochastic: !!values.stochastic,
            seed: int(values.seed, 'seed'),
            temperature: num(values.temperature, 'temperature'),
            step: int(values.step, 'step', 0),
          },
          'options',
        ),
      );
      const r = await service.evaluate(
        positionals[0],
        evalOpts,
        readVariant(values.variant, service.store.home, () => {
          const rec = service.store.read(positionals[0]!);
          return values.on === undefined ? rec.config.task : service.fineTuneTarget(rec, values.on).task;
        }),
      );
      const histogram = (h: Record<string, number>, entropy?: number) =>
        `${Object.entries(h)
          .map(([k, v]) => `${k}:${v}`)
          .join(' ')} (entropy ${entropy?.toFixed(3)} nats)`;
      const hist = r.goalHistogram ? `\n  goals: ${histogram(r.goalHistogram, r.goalEntropy)}` : '';
      const speed =
        r.meanSpeed !== undefined
          ? `\n  mean speed ${r.meanSpeed.toFixed(3)} m/s (${r.meanVelocityX !== undefined ? `x velocity ${r.meanVelocityX.toFixed(3)} m/s; ` : ''}per step ${r.meanStepSpeed?.toFixed(3)} m/s)`
          : '';
      const headings = r.headingHistogram ? `, headings: ${histogram(r.headingHistogram, r.headingEntropy)}` : '';
      const reach =
        r.finalDistance !== undefined
          ? `\n  final distance to the goal ${r.finalDistance.toFixed(3)} m, at the goal at the end ${((r.finalSuccessRate ?? 0) * 100).toFixed(1)}%${r.stepsToSuccess !== undefined ? `, first reached after ${r.stepsToSuccess.toFixed(1)} steps` : ''}`
          : '';
      const push = r.pushHistogram
        ? `\n  block on the table at the end ${((r.blockOnTableRate ?? 0) * 100).toFixed(1)}%, pushed ${r.meanPushDistance?.toFixed(3)} m: ${histogram(r.pushHistogram, r.pushEntropy)}`
        : '';
      new Output(!!values.json).line(
        r as unknown as Record<string, unknown>,
        `${r.runId} @ step ${r.checkpointStep} on ${taskLabel(r)} (${r.stochastic ? 'stochastic' : 'deterministic'}, ${r.episodes} episodes): return ${r.meanReturn.toFixed(2)} ± ${r.stdReturn.toFixed(2)}${r.successRate !== undefined ? `, success ${(r.successRate * 100).toFixed(1)}%` : ''}${hist}${speed}${headings}${reach}${push}`,
      );
      return 0;
    }
    case 'compare': {
      const { values, positionals } = parse(rest, { ...common, threshold: { type: 'string' }, smooth: { type: 'string' } }, 'compare');
      if (positionals.length !== 2)
        throw new UsageError('compare: usage `maxent compare <runA> <runB> --threshold R` (or groups of seeds: a1,a2,a3 b1,b2,b3)');
      const threshold = num(values.threshold, 'threshold');
      if (threshold === undefined) throw new UsageError('compare: --threshold R is required');
      const service = new StudioService({ home: values.home });
      const window = int(values.smooth, 'smooth', 1) ?? COMPARE_WINDOW;
      const [a, b] = runGroups(positionals) as [string[], string[]];
      if (a.length === 1 && b.length === 1)
        printComparison(new Output(!!values.json), compareRuns(service.store, a[0]!, b[0]!, threshold, window));
      else {
        const c = compareGroups(service.store, a, b, threshold, window);
        // Named by what they are where that tells them apart (fine-tuned vs scratch), else A and B.
        const [ka, kb] = c.groups.map((g) => groupKind(g.runs.map((r) => r.parentRunId)));
        printGroupComparison(new Output(!!values.json), c, ka && kb && ka !== kb ? [ka, kb] : ['A', 'B']);
      }
      return 0;
    }
    case 'plot': {
      const { values, positionals } = parse(
        rest,
        {
          ...common,
          out: { type: 'string' },
          smooth: { type: 'string' },
          title: { type: 'string' },
          metric: { type: 'string' },
          x: { type: 'string' },
        },
        'plot',
      );
      if (positionals.length === 0) throw new UsageError('plot: usage `maxent plot <run> [<run> ...] [--out file.svg]`');
      const metric = (values.metric ?? 'episodeReturn') as PlotMetric;
      if (!(metric in PLOT_METRICS))
        throw new UsageError(`plot: --metric must be one of ${Object.keys(PLOT_METRICS).join(', ')}, got ${JSON.stringify(metric)}`);
      if (values.x !== undefined && values.x !== 'steps' && values.x !== 'time')
        throw new UsageError(`plot: --x must be steps or time (training time), got ${JSON.stringify(values.x)}`);
      const window = int(values.smooth, 'smooth', 1) ?? COMPARE_WINDOW;
      const service = new StudioService({ home: values.home });
      const metricsOf = new Map<string, MetricRow[]>();
      const rowsOf = (id: string): MetricRow[] => {
        let rows = metricsOf.get(id);
        if (!rows) metricsOf.set(id, (rows = service.store.readMetrics(id)));
        return rows;
      };
      // Speed curves draw training only (the warm-up's random steps run far faster).
      const speed = metric === 'envStepsPerSec' || metric === 'updatesPerSec';
      const curve = (id: string) => {
        const rows = rowsOf(id);
        const steady = speed ? steadyMask(rows, service.store.read(id).config.updatesPerStep) : null;
        return smooth(
          rows
            .filter((r, i) => r[metric] !== undefined && (!steady || steady[i]))
            .map((r) => [r.step, r[metric] as number] as [number, number]),
          window,
        );
      };
      // A group (ids joined by commas: seeds of one setting) is drawn as its mean with a min–max band.
      const groups = runGroups(positionals);
      // --x time: each step at its training time (a group's: its seeds' mean), in minutes or hours.
      const unit = timeUnit(Math.max(0, ...groups.flat().map((id) => rowsOf(id).at(-1)?.time ?? 0)));
      const atTime = (ids: string[], pts: [number, number][]): [number, number][] => {
        if (values.x !== 'time') return pts;
        const ts = meanTimes(
          ids.map((id) => clockOf(rowsOf(id))),
          pts.map(([step]) => step),
        );
        return pts.map(([, y], i) => [ts[i]! / unit.seconds, y] as [number, number]).filter(([t]) => Number.isFinite(t));
      };
      // Learner settings that differ between the plotted runs go into their labels (SQL vs SAC, particles, lr, …).
      const apart = differingSettings(groups.map((ids) => service.store.read(ids[0]!).config));
      const series: Series[] = groups.map((ids, i) => {
        const recs = ids.map((id) => service.store.read(id));
        const rec = recs[0]!;
        const variant = variantLabel(rec.config.variant);
        const what = `${rec.config.task}${variant ? ` ${variant}` : ''}${apart[i] ? `, ${apart[i]}` : ''}`;
        if (ids.length === 1)
          return {
            label: `${service.store.displayName(rec)} (${what}, seed ${rec.config.seed}, ${rec.backend})`,
            points: atTime(ids, curve(ids[0]!)),
          };
        const g = meanBand(ids.map(curve));
        if (g.mean.length === 0)
          throw new UsageError(`plot: the runs ${ids.join(', ')} share no logged step (a group needs the same --log-every)`);
        const seeds = recs.map((r) => r.config.seed).join(', ');
        // One name for the group: what its runs share (a run's own name carries its seed).
        const k = groupKind(recs.map((r) => r.parentRunId));
        // Fine-tunes of one parent checkpoint step say which (two groups may differ only in it).
        const from = new Set(recs.map((r) => r.parentStep));
        const at =
          k === 'fine-tuned' && from.size === 1 && rec.parentStep != null ? ` from step ${rec.parentStep.toLocaleString('en-US')}` : '';
        const kind = k === 'scratch' ? 'from scratch' : k ? `${k}${at}` : service.store.displayName(rec);
        return {
          label: `${kind}: ${what}, seeds ${seeds} (mean, band min–max)`,
          points: atTime(ids, g.mean),
          band: { lo: atTime(ids, g.lo), hi: atTime(ids, g.hi) },
        };
      });
      if (series.every((s) => s.points.length === 0)) throw new UsageError(`plot: these runs have logged no ${metric} yet`);
      const label = PLOT_METRICS[metric];
      const svg = curvesSvg(series, {
        title: values.title ?? (positionals.length === 1 ? series[0]!.label : `${label}: ${positionals.length} runs`),
        xLabel: values.x === 'time' ? `training time (${unit.name})` : 'environment steps',
        yLabel: `${label}${speed ? ', warm-up left out' : ''}${window > 1 ? ` (mean of ${window} log intervals)` : ''}`,
      });
      const file = values.out ?? `${positionals[0]}-${metric}.svg`;
      fs.writeFileSync(file, svg);
      new Output(!!values.json).line({ event: 'plot', file, metric, runs: groups.flat() }, `wrote ${file}`);
      return 0;
    }
    case 'list': {
      const { values, positionals } = parse(rest, common, 'list');
      const what = positionals[0];
      noMore('list', positionals.slice(what === 'variants' ? 2 : 1));
      const out = new Output(!!values.json);
      if (what === 'tasks') {
        const tasks = listTasks();
        if (out.json) process.stdout.write(JSON.stringify(tasks) + '\n');
        else for (const t of tasks) process.stdout.write(`${t.id.padEnd(24)} obs ${t.obsDim} act ${t.actDim}  ${t.description}\n`);
      } else if (what === 'scenarios') {
        const s = SCENARIOS.map((x) => ({ id: x.id, title: x.title, pretrain: x.pretrain.task, finetunes: x.finetunes.map((f) => f.id) }));
        if (out.json) process.stdout.write(JSON.stringify(s) + '\n');
        else
          for (const x of s)
            process.stdout.write(`${x.id.padEnd(16)} ${x.title} — pretrain ${x.pretrain}, fine-tune ${x.finetunes.join(', ')}\n`);
      } else if (what === 'runs') {
        const service = new StudioService({ home: values.home });
        const runs = await service.listRuns();
        if (out.json) process.stdout.write(JSON.stringify({ runs, problems: Object.fromEntries(service.store.problems) }) + '\n');
        else {
          for (const r of runs) {
            // A training run says its time left, from its recent training speed.
            const left =
              r.status === 'running' ? secondsLeft(service.store.readMetrics(r.id), r.totalSteps, r.settings?.updatesPerStep) : null;
            process.stdout.write(
              `${r.id}  ${r.status.padEnd(11)} ${String(r.step).padStart(8)}/${r.totalSteps}  ${taskLabel(r)}${left === null ? '' : `  (${formatDuration(left)} left)`}${r.checkpointsLost ? '  (no checkpoint left: metrics only)' : ''}\n`,
            );
          }
          for (const [file, msg] of service.store.problems) process.stderr.write(`warning: ${file}: ${msg}\n`);
        }
      } else if (what === 'variants') {
        const task = positionals[1];
        if (!task) throw new UsageError('list variants: of which task? `maxent list variants <task>`');
        const service = new StudioService({ home: values.home });
        const { variants, problems } = await service.variants.list(task); // names an unknown task
        const builtIn = (await service.listTasks())
          .find((t) => t.id === task)!
          .variantSchema.named.map((n) => ({ name: n.name, description: n.description }));
        if (out.json) process.stdout.write(JSON.stringify({ task, builtIn, saved: variants, problems }) + '\n');
        else {
          for (const b of builtIn) process.stdout.write(`built in  ${b.name.padEnd(20)} ${b.description}\n`);
          for (const v of variants) process.stdout.write(`saved     ${v.name.padEnd(20)} ${v.file}\n`);
          for (const p of problems) process.stderr.write(`warning: ${p}\n`);
        }
      } else throw new UsageError('list: what to list? `maxent list tasks|scenarios|runs|variants <task>`');
      return 0;
    }
    case 'info': {
      const { values, positionals } = parse(rest, common, 'info');
      noMore('info', positionals);
      const b = await describeBackend();
      const service = new StudioService({ home: values.home });
      const info = {
        backend: b.backend,
        device: b.device,
        notes: b.notes,
        webgpu: b.webgpu ?? null,
        versions: versions(),
        home: service.store.home,
      };
      new Output(!!values.json).line(
        info,
        `backend ${info.backend} on ${info.device}\nrun store ${info.home}\n${Object.entries(info.versions)
          .map(([k, v]) => `${k} ${v}`)
          .join('\n')}${b.notes.length ? '\n' + b.notes.join('\n') : ''}`,
      );
      return 0;
    }
    case 'record': {
      const { values, positionals } = parse(
        rest,
        {
          ...common,
          out: { type: 'string' },
          episodes: { type: 'string' },
          fps: { type: 'string' },
          size: { type: 'string' },
          seed: { type: 'string' },
          stochastic: { type: 'boolean' },
          camera: { type: 'string' },
          ghosts: { type: 'boolean' },
          'no-overlays': { type: 'boolean' },
          name: { type: 'string' },
          step: { type: 'string' },
          force: { type: 'boolean' },
        },
        'record',
      );
      if (positionals.length !== 1)
        throw new UsageError('record: usage `maxent record <run> --out file.mp4 [--episodes N] [--fps F] [--size WxH]`');
      const size = /^(\d+)x(\d+)$/.exec(values.size ?? '1280x720');
      if (!size) throw new UsageError(`--size must be WIDTHxHEIGHT, e.g. 1280x720, got ${JSON.stringify(values.size)}`);
      const camera = values.camera ?? 'fixed';
      const force = !!values.force;
      const opts = {
        episodes: int(values.episodes, 'episodes', 1) ?? 3,
        seed: int(values.seed, 'seed') ?? 0,
        stochastic: !!values.stochastic,
        width: Number(size[1]),
        height: Number(size[2]),
        fps: int(values.fps, 'fps', 1) ?? 30,
        camera: camera as 'fixed' | 'follow' | 'orbit',
        overlays: !values['no-overlays'],
        ghosts: !!values.ghosts,
        codec: 'auto' as 'auto' | 'avc' | 'vp9',
        name: values.name,
        step: int(values.step, 'step', 0),
        overwrite: force,
      };
      const { containerOfName, validateRecordOptions, videoBaseName } = await import('./record/options.ts');
      // All of it before a browser starts: a bad option is not found out after minutes of rendering.
      try {
        validateRecordOptions(opts, {
          episodes: '--episodes',
          seed: '--seed',
          fps: '--fps',
          width: 'the --size width',
          height: 'the --size height',
          size: '--size',
          camera: '--camera',
          step: '--step',
          name: '--name',
        });
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const out = values.out === undefined ? undefined : path.resolve(values.out);
      const container = out ? containerOfName(out) : undefined;
      if (out && !container) throw new UsageError(`--out must end in .mp4 (H.264) or .webm (VP9), got ${JSON.stringify(values.out)}`);
      const named = values.name === undefined ? undefined : containerOfName(values.name);
      if (container && named && container !== named)
        throw new UsageError(`--out ${values.out} is ${container} but --name ${values.name} is ${named}: give one container`);
      const want = container ?? named;
      opts.codec = want === 'mp4' ? 'avc' : want === 'webm' ? 'vp9' : 'auto';
      if (out) checkOutFile(out, force);
      const { recordProgressPrinter } = await import('./record/headless.ts');
      const record = await (await import('./record/recorder.ts')).getRecorder();
      const service = new StudioService({ home: values.home });
      if (values.name !== undefined && want && !force) {
        const file = service.store.videoPath(service.store.read(positionals[0]!).id, `${videoBaseName(values.name)}.${want}`);
        if (fs.existsSync(file))
          throw new UsageError(`--name: the run already has ${file}; choose another name, or pass --force to replace it`);
      }
      const json = !!values.json;
      const progress = recordProgressPrinter(json);
      const r = await record(service, positionals[0]!, opts, progress.update).finally(progress.done);
      if (out && out !== r.path) {
        try {
          fs.copyFileSync(r.path, out, force ? 0 : fs.constants.COPYFILE_EXCL);
        } catch (e) {
          const why = (e as NodeJS.ErrnoException).code === 'EEXIST' ? `${out} appeared meanwhile` : (e as Error).message;
          throw new Error(`the video is saved in the run, at ${r.path}, but not copied to --out: ${why}`);
        }
      }
      new Output(json).line(
        { event: 'done', ...r, out: out ?? r.path },
        `saved ${out ?? r.path}: ${r.frames} frames at ${r.fps} fps (${r.duration.toFixed(2)} s), ${r.width}x${r.height} ${r.codec} in ${r.container}, ${(r.bytes / 1e6).toFixed(2)} MB; ${r.framesPerSecond.toFixed(1)} frames/s${out && out !== r.path ? `\n  also in ${r.path}` : ''}`,
      );
      return 0;
    }
    case 'serve': {
      const { values } = parse(
        rest,
        { ...common, port: { type: 'string' }, host: { type: 'string' }, 'max-runs': { type: 'string' } },
        'serve',
      );
      const { serve } = await import('./web/server.ts');
      const maxRuns = int(values['max-runs'], 'max-runs');
      if (maxRuns !== undefined && (maxRuns < 1 || maxRuns > MAX_RUNS_LIMIT))
        throw new UsageError(`serve: --max-runs takes a whole number from 1 to ${MAX_RUNS_LIMIT}, got ${maxRuns}`);
      // The studio's saved "runs at once" (one per core by default); --max-runs for this server only.
      const service = new StudioService({ home: values.home, maxRuns: maxRuns ?? 'saved', keepSession: true });
      // Signals are caught before anything is printed: a caller may stop the server the moment it reads a line.
      const stopped = new Promise<void>((resolve) => {
        const bye = (): void => resolve();
        process.once('SIGINT', bye);
        process.once('SIGTERM', bye);
      });
      const s = await serve(service, { port: int(values.port, 'port', 0, 65535) ?? 5170, host: values.host });
      process.stdout.write(`maxent serve: listening on ${s.url}\n`);
      const continued = await service.continueSession(); // what trained or waited when the last server stopped
      if (continued.length) process.stdout.write(`maxent serve: continued ${continued.map((r) => r.id).join(', ')}\n`);
      await stopped;
      await service.shutdown();
      await s.close();
      return 0;
    }
    case 'bench': {
      const { values, positionals } = parse(
        rest,
        { ...common, seconds: { type: 'string' }, small: { type: 'boolean' }, 'per-submit': { type: 'string' } },
        'bench',
      );
      const what = positionals[0] ?? 'all';
      if (!['sim', 'train', 'render', 'gpu', 'all'].includes(what))
        throw new UsageError('bench: usage `maxent bench sim|train|render|gpu|all`');
      const { runBench } = await import('../bench/index.ts');
      const result = await runBench(what as 'sim' | 'train' | 'render' | 'gpu' | 'all', {
        seconds: positive(num(values.seconds, 'seconds'), 'seconds'),
        small: !!values.small,
        perSubmit: values['per-submit']?.split(',').map((v) => int(v.trim(), 'per-submit', 1)!),
      });
      process.stdout.write((values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2)) + '\n');
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}; run \`maxent --help\``);
  }
}

function printComparison(out: Output, c: ReturnType<typeof compareRuns>): void {
  const fmt = (s: number | null, t: number | null) =>
    s == null ? 'not reached' : `${s} steps${t == null ? '' : ` (${formatDuration(t)})`}`;
  out.line(
    { event: 'compare', ...c },
    [
      `steps to a ${c.window}-interval mean return >= ${c.threshold}:${alignedNote(c)}`,
      ...c.runs.map(
        (r) =>
          `  ${r.parentRunId ? 'fine-tuned' : 'scratch   '}  ${r.runId}  ${fmt(r.stepsToThreshold, r.timeToThreshold).padEnd(22)} final ${r.finalReturn?.toFixed(2) ?? '–'}`,
      ),
    ].join('\n'),
  );
}

function printGroupComparison(out: Output, c: ReturnType<typeof compareGroups>, names: [string, string]): void {
  const steps = (s: number | null) => (s == null ? 'not reached' : `${s} steps`);
  const ret = (x: number | null) => x?.toFixed(2) ?? '–';
  const lines = [`steps to a ${c.window}-interval mean return >= ${c.threshold}, per seed:${alignedNote(c)}`];
  c.groups.forEach((g, i) => {
    const spread = g.stdFinal !== null ? ` ± ${g.stdFinal.toFixed(2)}` : '';
    lines.push(
      `  ${names[i]!.padEnd(10)}  reached ${g.reached}/${g.runs.length}, median ${steps(g.medianSteps)}, final ${ret(g.meanFinal)}${spread}`,
    );
    for (const r of g.runs) {
      const t = r.stepsToThreshold !== null && r.timeToThreshold !== null ? ` (${formatDuration(r.timeToThreshold)})` : '';
      lines.push(`    ${r.runId}  ${(steps(r.stepsToThreshold) + t).padEnd(22)} final ${ret(r.finalReturn)}`);
    }
  });
  out.line({ event: 'compare', threshold: c.threshold, window: c.window, at: c.at, cut: c.cut, groups: c.groups }, lines.join('\n'));
}

/** Runs of different lengths are compared up to the step all reached: say so, and which went on. */
function alignedNote(c: { at: number | null; cut: string[] }): string {
  if (!c.cut.length || c.at === null) return '';
  return `\n  (up to step ${c.at}, the last step every run reached; ${c.cut.join(', ')} went on further)`;
}

/** The scenario's threshold for this fine-tune target, else 0. */
function thresholdFor(service: StudioService, runId: string, target: string): number {
  const rec = service.store.read(runId);
  const sc = runScenario({ scenarioId: rec.scenarioId, task: rec.config.task }, SCENARIOS);
  return sc?.finetunes.find((f) => f.id === target || f.task === target)?.threshold ?? 0;
}

async function startWithVariant(service: StudioService, task: string, overrides: RunOverrides, variant: unknown): Promise<RunInfo> {
  if (!listTasks().some((t) => t.id === task)) throw new UsageError('train: --variant needs a task id, not a scenario');
  parseVariant(variant, task);
  return service.startRunWithConfig(task, overrides, variant as Record<string, unknown> | string);
}
