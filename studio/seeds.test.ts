import { describe, expect, it } from 'vitest';
import { MAX_SEEDS, parseSeeds } from './seeds.ts';

describe('parseSeeds', () => {
  it('reads lists, ranges and both, in the order given', () => {
    expect(parseSeeds('1')).toEqual([1]);
    expect(parseSeeds('3, 1,2')).toEqual([3, 1, 2]);
    expect(parseSeeds('1-4')).toEqual([1, 2, 3, 4]);
    expect(parseSeeds(' 0 - 2 , 7 ')).toEqual([0, 1, 2, 7]);
    expect(parseSeeds('5,')).toEqual([5]);
  });

  it('names what is wrong', () => {
    expect(() => parseSeeds('')).toThrow(/give one or more seeds/);
    expect(() => parseSeeds(' , ')).toThrow(/give one or more seeds/);
    expect(() => parseSeeds('1,x')).toThrow(/"x" is not a seed/);
    expect(() => parseSeeds('-1')).toThrow(/"-1" is not a seed/);
    expect(() => parseSeeds('1.5')).toThrow(/"1.5" is not a seed/);
    expect(() => parseSeeds('5-2')).toThrow(/"5-2" is not a seed/);
    expect(() => parseSeeds('1-3,2')).toThrow(/seed 2 is listed twice/);
    expect(() => parseSeeds(`0-${MAX_SEEDS}`)).toThrow(/at most 32 seeds/);
    expect(() => parseSeeds('0-99999999999')).toThrow(/99999999999 is above the largest seed/);
    expect(() => parseSeeds('1,2147483648')).toThrow(/above the largest seed, 2147483647/);
    expect(parseSeeds('2147483647')).toEqual([2147483647]);
    expect(parseSeeds(`1-${MAX_SEEDS}`)).toHaveLength(MAX_SEEDS);
  });
});
