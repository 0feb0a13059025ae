import { expect, it } from 'vitest';
import { HEADING_SECTORS, PUSH_SECTORS } from '../studio/api.ts';
import { compassSvg } from './compass.ts';

const wedges = (svg: string) => [...svg.matchAll(/data-sector="([^"]+)" data-count="(\d+)" d="M([\d.]+),([\d.]+) L([\d.]+),([\d.]+)/g)];

it('draws a wedge per sector with episodes, the most common the longest, pointing its way', () => {
  const svg = compassSvg({ E: 4, N: 2, W: 1, still: 3 }, HEADING_SECTORS, 'Headings');
  const w = wedges(svg);
  expect(w.map((m) => [m[1], Number(m[2])])).toEqual([
    ['E', 4],
    ['N', 2],
    ['W', 1],
  ]);
  // Each wedge's first corner lies toward its heading, at a length in proportion to its count.
  const len = (m: RegExpMatchArray) => Math.hypot(Number(m[5]) - Number(m[3]), Number(m[6]) - Number(m[4]));
  expect(len(w[0]!) / len(w[1]!)).toBeCloseTo(2, 1);
  expect(Number(w[0]![5])).toBeGreaterThan(Number(w[0]![3])); // east: right of the centre
  expect(Number(w[1]![6])).toBeLessThan(Number(w[1]![4])); // north: above it
  expect(Number(w[2]![5])).toBeLessThan(Number(w[2]![3])); // west: left
  // What has no direction is counted under the rose; the four cardinal sectors are named.
  expect(svg).toContain('>still 3</text>');
  for (const s of ['E', 'N', 'W', 'S']) expect(svg).toContain(`>${s}</text>`);
});

it('draws an empty rose for a policy that stood still, and escapes what it prints', () => {
  const svg = compassSvg({ still: 10, '<b>': 1 }, HEADING_SECTORS, 'a "title"');
  expect(wedges(svg)).toHaveLength(0);
  expect(svg).toContain('still 10 · &lt;b&gt; 1');
  expect(svg).toContain('aria-label="a &quot;title&quot;"');
});

it("draws push directions as seen from above: +z (toward a y-up scene's viewer) points down", () => {
  const w = wedges(compassSvg({ '+x': 2, '+z': 1, '-z': 1 }, PUSH_SECTORS, 'Push', true));
  expect(w.map((m) => m[1])).toEqual(['+x', '+z', '-z']);
  expect(Number(w[0]![5])).toBeGreaterThan(Number(w[0]![3])); // +x: right
  expect(Number(w[1]![6])).toBeGreaterThan(Number(w[1]![4])); // +z: below the centre
  expect(Number(w[2]![6])).toBeLessThan(Number(w[2]![4])); // -z: above
});
