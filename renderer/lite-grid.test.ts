// The video grid: coarse 1-2-5 cells, fog ending before the grid edge, every line cut per cell.
import { expect, it } from 'vitest';
import { liteGrid, segmentedGrid } from './scene.ts';

it('liteGrid keeps ~8-13 cells across the scene and fades out inside the grid', () => {
  for (const extent of [2, 4, 7.3, 12, 30]) {
    const g = liteGrid(extent);
    expect([1, 2, 5].some((m) => Math.abs(g.cell / 10 ** Math.floor(Math.log10(g.cell)) - m) < 1e-9)).toBe(true);
    const across = (2 * extent) / g.cell;
    expect(across).toBeGreaterThanOrEqual(4);
    expect(across).toBeLessThanOrEqual(14);
    expect(g.divisions * g.cell).toBeCloseTo(g.size);
    expect(g.fogFar).toBeLessThanOrEqual(g.size / 2);
    expect(g.fogNear).toBeLessThan(g.fogFar);
  }
});

it('segmentedGrid has one segment per cell edge and a centre-coloured middle line', () => {
  const grid = segmentedGrid(4, 4, 0xffffff, 0x000000);
  const pos = grid.geometry.getAttribute('position');
  expect(pos.count).toBe(2 * 2 * 5 * 4); // 5 lines each way, 4 segments each, 2 vertices
  const col = grid.geometry.getAttribute('color');
  const white = Array.from({ length: col.count }, (_, i) => col.getX(i)).filter((c) => c === 1).length;
  expect(white).toBe(2 * 2 * 4); // the two centre lines
});
