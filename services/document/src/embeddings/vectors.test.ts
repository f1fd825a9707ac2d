import { describe, expect, it } from 'vitest';
import { bytesToVector, nearest, reciprocalRankFusion, unitVector, vectorToBytes } from './vectors.js';

describe('vectors', () => {
  it('keeps a unit vector through its stored bytes, also from an unaligned buffer', () => {
    const v = unitVector([3, 4]);
    expect([...v]).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    const unaligned = Buffer.concat([Buffer.from([1]), vectorToBytes(v)]).subarray(1);
    expect([...bytesToVector(unaligned)]).toEqual([...v]);
  });

  it('finds the most similar vectors first, by cosine', () => {
    const candidates = [
      { id: 'opposite', vector: unitVector([-1, 0]) },
      { id: 'same', vector: unitVector([2, 0]) },
      { id: 'close', vector: unitVector([1, 1]) },
    ];
    const top = nearest(unitVector([1, 0]), candidates, 2);
    expect(top.map((t) => t.id)).toEqual(['same', 'close']);
    expect(top[1]!.similarity).toBeCloseTo(Math.SQRT1_2, 5);
  });

  it('ranks what both lists agree on above what only one list has first', () => {
    const fused = reciprocalRankFusion([
      ['a', 'both'],
      ['b', 'both'],
    ]);
    expect(fused[0]).toEqual({ id: 'both', score: 2 / 62 });
    expect(fused.map((f) => f.id).sort()).toEqual(['a', 'b', 'both']);
  });
});
