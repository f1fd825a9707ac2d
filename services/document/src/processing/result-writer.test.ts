import { describe, expect, it } from 'vitest';
import { batches } from './result-writer.js';

const length = (text: string) => text.length;

describe('batches', () => {
  it('cuts runs of at most `count` items, in order', () => {
    expect(batches(['a', 'b', 'c', 'd', 'e'], { count: 2, size: 100 }, length)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('cuts a run before it would pass `size`, and lets a single larger item go alone', () => {
    expect(batches(['aaa', 'bb', 'cccccccc', 'd'], { count: 10, size: 5 }, length)).toEqual([['aaa', 'bb'], ['cccccccc'], ['d']]);
  });

  it('makes no run of nothing', () => {
    expect(batches([], { count: 3, size: 10 }, length)).toEqual([]);
  });
});
