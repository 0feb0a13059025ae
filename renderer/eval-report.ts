// What the Evaluate panel shows of an EvalReport: label/value rows, only those the task reports
// (goals for point tasks, speed and headings for walkers, goal distance for the arm, where the
// block went for pushing).
import { taskLabel, type EvalReport } from '../studio/api.ts';
import { fmt, fmtInt } from './dom.ts';

const pct = (x: number): string => `${(x * 100).toFixed(0)} %`;

function histogram(h: Record<string, number>, entropy: number | undefined): string {
  const parts = Object.entries(h).map(([k, v]) => `${k} ${v}`);
  return `${parts.join(' · ')}${entropy !== undefined ? ` (entropy ${entropy.toFixed(2)} nats)` : ''}`;
}

export function evalRows(r: EvalReport): [string, string][] {
  const rows: [string, string][] = [
    [
      'evaluated',
      `${taskLabel(r)} · checkpoint ${fmtInt(r.checkpointStep)} · ${r.episodes} episodes, ${r.stochastic ? 'stochastic' : 'deterministic'}`,
    ],
    ['return', `${fmt(r.meanReturn)} ± ${fmt(r.stdReturn)}`],
    ['episode length', fmt(r.meanLength, 1)],
  ];
  if (r.successRate !== undefined) rows.push(['success', pct(r.successRate)]);
  if (r.goalHistogram) rows.push(['goals', histogram(r.goalHistogram, r.goalEntropy)]);
  if (r.finalDistance !== undefined) {
    rows.push(['final distance to goal', `${fmt(r.finalDistance, 3)} m`]);
    rows.push(['at the goal at the end', pct(r.finalSuccessRate ?? 0)]);
    if (r.stepsToSuccess !== undefined) rows.push(['steps to first reach', fmt(r.stepsToSuccess, 1)]);
  }
  if (r.pushHistogram) {
    rows.push(['block on the table', pct(r.blockOnTableRate ?? 0)]);
    rows.push(['pushed', `${fmt(r.meanPushDistance, 3)} m`]);
    rows.push(['push directions', histogram(r.pushHistogram, r.pushEntropy)]);
  }
  if (r.meanSpeed !== undefined) {
    const vx = r.meanVelocityX !== undefined ? ` (x velocity ${fmt(r.meanVelocityX, 2)} m/s)` : '';
    rows.push(['speed', `${fmt(r.meanSpeed, 2)} m/s${vx}; per step ${fmt(r.meanStepSpeed, 2)} m/s`]);
  }
  if (r.headingHistogram) rows.push(['headings', histogram(r.headingHistogram, r.headingEntropy)]);
  return rows;
}
