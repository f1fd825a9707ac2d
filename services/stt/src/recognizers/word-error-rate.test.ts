import { describe, expect, it } from 'vitest';
import { wordErrorPositions, wordErrorRate, wordErrors } from './word-error-rate.js';

describe('wordErrorRate', () => {
  it('is zero for the same words whatever the case and punctuation', () => {
    expect(wordErrorRate('Hello, world.', 'hello world')).toBe(0);
  });

  it('reads typographic apostrophes as the typewriter one and quotation marks as punctuation', () => {
    expect(wordErrorRate('It\u2019s the \u2018cell\u2019, the cell\u2019s wall.', "it's the cell the cell's wall")).toBe(0);
    expect(wordErrorRate("The 'nucleus' holds its DNA.", "the nucleus holds it's dna")).toBeCloseTo(1 / 5);
  });

  it('counts substitutions, insertions and deletions against the reference length', () => {
    expect(wordErrorRate('the cat sat on the mat', 'the cat sat on a mat')).toBeCloseTo(1 / 6);
    expect(wordErrorRate('the cat sat', 'the cat sat down')).toBeCloseTo(1 / 3);
    expect(wordErrorRate('the cat sat', 'cat')).toBeCloseTo(2 / 3);
    expect(wordErrorRate('a b', '')).toBe(1);
  });
});

describe('wordErrors', () => {
  it('names each misheard, missed and added word in reading order', () => {
    expect(wordErrors('Green plants turn light energy into chemical energy.', 'green plants turn line energy into the chemical energy')).toEqual([
      'light->line',
      '+the',
    ]);
    expect(wordErrors('the cat sat', 'cat')).toEqual(['-the', '-sat']);
    expect(wordErrors('Hello, world.', 'hello world')).toEqual([]);
  });
});

describe('wordErrorPositions', () => {
  it('gives the index of the reference word of each error, an added word at the word it came before', () => {
    expect(wordErrorPositions('Green plants turn light energy into chemical energy.', 'green plants turn line energy into the chemical energy')).toEqual([3, 6]);
    expect(wordErrorPositions('the cat sat', 'cat')).toEqual([0, 2]);
    expect(wordErrorPositions('the cat sat', 'the cat sat down')).toEqual([3]);
    expect(wordErrorPositions('Hello, world.', 'hello world')).toEqual([]);
  });
});
