// Learning-curve SVGs: ticks, smoothing, escaping, and `maxent plot` on a real (tiny) run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-run.ts';
import { curvesSvg, escapeXml, formatTick, meanBand, niceTicks, smooth } from './plot-svg.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'maxent-plot-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const polylines = (svg: string): string[][] => [...svg.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1]!.split(' '));

describe('plot-svg', () => {
  it('picks round ticks and short labels', () => {
    expect(niceTicks(0, 300_000)).toEqual([0, 50_000, 100_000, 150_000, 200_000, 250_000, 300_000]);
    expect(niceTicks(-480, 720)).toEqual([-400, -200, 0, 200, 400, 600]);
    expect(niceTicks(3, 3)).toEqual([3]);
    expect([300_000, 1_500_000, 0.25, -2000].map(formatTick)).toEqual(['300k', '1.5M', '0.25', '-2k']);
  });

  it('smooths with a trailing moving average and drops non-finite points', () => {
    expect(
      smooth(
        [
          [1, 0],
          [2, 3],
          [3, NaN],
          [4, 6],
        ],
        2,
      ),
    ).toEqual([
      [1, 0],
      [2, 1.5],
      [4, 4.5],
    ]);
    expect(() => smooth([], 0)).toThrow(/window must be an integer >= 1/);
  });

  it('draws one line per series inside the plot box, labels escaped', () => {
    const svg = curvesSvg(
      [
        { label: 'pretrained <fine-tune> & co', points: [0, 1, 2, 3].map((i) => [i * 1000, i * i] as [number, number]) },
        {
          label: 'scratch',
          points: [
            [500, -1],
            [1500, Infinity],
            [2500, 2],
          ],
        },
      ],
      { title: 'A "title"', xLabel: 'environment steps', yLabel: 'return', width: 400, height: 300 },
    );
    const lines = polylines(svg);
    expect(lines.map((l) => l.length)).toEqual([4, 2]);
    for (const p of lines.flat()) {
      const [x, y] = p.split(',').map(Number);
      expect(x).toBeGreaterThanOrEqual(72);
      expect(x).toBeLessThanOrEqual(400 - 24);
      expect(y).toBeGreaterThanOrEqual(40);
      expect(y).toBeLessThanOrEqual(300 - 52 - 2 * 18);
    }
    // The legend lies below the plot box (inside it, it covered curves near the top).
    const box = /<rect x="72" y="40" width="[\d.]+" height="([\d.]+)"/.exec(svg);
    const boxBottom = 40 + Number(box![1]);
    const legendYs = [...svg.matchAll(/<text x="110" y="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(legendYs).toHaveLength(2);
    for (const y of legendYs) {
      expect(y).toBeGreaterThan(boxBottom + 30);
      expect(y).toBeLessThanOrEqual(300);
    }
    // Larger y is drawn higher (smaller SVG y).
    const ys = lines[0]!.map((p) => Number(p.split(',')[1]));
    expect(ys[3]).toBeLessThan(ys[0]!);
    expect(svg).toContain(escapeXml('pretrained <fine-tune> & co'));
    expect(svg).not.toContain('<fine-tune>');
    expect(svg).toContain('A &quot;title&quot;');
  });

  it('squeezes a legend label or title too long for the width into it, and leaves short ones alone', () => {
    const long = 'cheetah/run from scratch (control for 20261124-035717-cheetah-run-f47d6a) (cheetah/run heavy, seed 1)';
    const svg = curvesSvg(
      [
        { label: long, points: [[0, 1]] },
        { label: 'short', points: [[1, 2]] },
      ],
      { title: long, width: 400 },
    );
    const texts = [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map((m) => ({ attrs: m[1]!, text: m[2]! }));
    const labelOf = (t: string) => texts.filter((x) => x.text === t);
    expect(labelOf(long)).toHaveLength(2); // title and legend, whole
    for (const { attrs } of labelOf(long)) {
      const len = Number(/textLength="([\d.]+)"/.exec(attrs)?.[1]);
      const x = Number(/ x="([\d.]+)"/.exec(' ' + attrs)?.[1]);
      const anchoredMiddle = attrs.includes('text-anchor="middle"');
      expect(len).toBeGreaterThan(0);
      expect(anchoredMiddle ? x + len / 2 : x + len).toBeLessThanOrEqual(400);
      expect(anchoredMiddle ? x - len / 2 : x).toBeGreaterThanOrEqual(0);
    }
    expect(labelOf('short')[0]!.attrs).not.toContain('textLength');
  });

  it('draws seeds of one setting as their mean over the steps all logged, in a min–max band', () => {
    const g = meanBand([
      [
        [0, 1],
        [10, 2],
        [20, 9],
      ],
      [
        [0, 3],
        [10, NaN],
        [20, 5],
        [30, 7],
      ],
    ]);
    expect(g).toEqual({
      mean: [
        [0, 2],
        [20, 7],
      ],
      lo: [
        [0, 1],
        [20, 5],
      ],
      hi: [
        [0, 3],
        [20, 9],
      ],
    });
    const svg = curvesSvg([
      { label: 'seeds', points: g.mean, band: { lo: g.lo, hi: g.hi } },
      { label: 'one', points: [[0, 4]] },
    ]);
    const bands = [...svg.matchAll(/<polygon [^>]*points="([^"]*)"/g)].map((m) => m[1]!.split(' '));
    expect(bands).toHaveLength(1);
    expect(bands[0]).toHaveLength(4); // lo forward, hi back
    expect(svg.indexOf('<polygon')).toBeLessThan(svg.indexOf('<polyline')); // under the lines
  });

  it('refuses to draw nothing', () => {
    expect(() => curvesSvg([{ label: 'empty', points: [[1, NaN]] }])).toThrow(/no finite data points/);
  });
});

describe('maxent plot', () => {
  it('plots a trained run to SVG, and names a missing run', async () => {
    const t = await runCli(['train', 'point/multigoal', '--steps', '900', '--learning-starts', '300', '--log-every', '150', '--json'], {
      home,
    });
    expect(t.code).toBe(0);
    const runId = fs.readdirSync(path.join(home, 'runs'))[0]!;
    const out = path.join(home, 'curve.svg');
    const r = await runCli(['plot', runId, '--out', out, '--smooth', '1', '--json'], { home });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toMatchObject({ event: 'plot', file: out });
    const svg = fs.readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(polylines(svg)).toHaveLength(1);
    expect(polylines(svg)[0]!.length).toBeGreaterThanOrEqual(3);
    expect(svg).toContain('point/multigoal, seed 1');

    const alphaOut = path.join(home, 'alpha.svg');
    const alpha = await runCli(['plot', runId, '--metric', 'alpha', '--out', alphaOut], { home });
    expect(alpha.code).toBe(0);
    expect(fs.readFileSync(alphaOut, 'utf8')).toContain('temperature α');
    const badMetric = await runCli(['plot', runId, '--metric', 'bogus'], { home });
    expect(badMetric.code).toBe(2);
    expect(badMetric.stderr).toMatch(/--metric must be one of episodeReturn, .*got "bogus"/);

    const missing = await runCli(['plot', 'no-such-run', '--out', out], { home });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/run no-such-run not found/);
    const usage = await runCli(['plot'], { home });
    expect(usage.code).toBe(2);
  });
});
