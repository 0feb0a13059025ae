// How well a finished run's time left was estimated along the way: at each tenth of its steps, the
// time it really had left, the old estimate (elapsed × (1/fraction − 1), warm-up counted as
// training) and secondsLeft's (recent training speed). `npx tsx bench/time-left.ts <run dir>`
import fs from 'node:fs';
import path from 'node:path';
import { secondsLeft, type SpeedRow } from '../studio/throughput.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: npx tsx bench/time-left.ts <run dir> (a finished run: run.json and metrics.jsonl)');
const config = (JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as { config: { steps: number; updatesPerStep: number } })
  .config;
const total = config.steps;
const rows = fs
  .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as SpeedRow);
const end = rows.at(-1)!.time;
const min = (s: number | null): string => (s === null ? '–' : `${Math.round(s / 60)} min`);
console.log('at step | really left | old estimate | new estimate');
for (let k = 1; k < 10; k++) {
  const at = (k * total) / 10;
  const upto = rows.filter((r) => r.step <= at);
  const t = upto.at(-1)?.time ?? 0;
  console.log(`${at} | ${min(end - t)} | ${min(t * (total / at - 1))} | ${min(secondsLeft(upto, total, config.updatesPerStep))}`);
}
