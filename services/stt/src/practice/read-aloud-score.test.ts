import { describe, expect, it } from 'vitest';
import { readingWords, UNCLEAR } from '../recognizers/reading-model.js';
import type { TimedWord } from '../recognizers/segments.js';
import { scoreReading } from './read-aloud-score.js';

/** Heard words half a second apart. */
const heard = (text: string): TimedWord[] =>
  text.split(' ').map((word, i) => ({ word, start: i * 0.5, end: i * 0.5 + 0.4, confidence: 0.9 }));

describe('scoreReading', () => {
  it('scores a reading of every word as written 1, with each word timed', () => {
    const result = scoreReading(readingWords('The cell, the basic unit of life.'), heard('the cell the basic unit of life'));
    expect(result.score).toBe(1);
    expect(result.counts).toEqual({ right: 7, missed: 0, added: 0, misread: 0, unchecked: 0 });
    expect(result.words[1]).toEqual({ expected: 'cell', heard: 'cell', status: 'right', start: 0.5, end: 0.9, confidence: 0.9 });
    // 7 words from 0 s to 3.4 s.
    expect(result.wordsPerMinute).toBe(124);
  });

  it('names missed, added and misread words', () => {
    const result = scoreReading(readingWords('Plants turn light into chemical energy'), heard('plants turn the night into energy'));
    expect(result.words.map((w) => [w.expected, w.heard, w.status])).toEqual([
      ['Plants', 'plants', 'right'],
      ['turn', 'turn', 'right'],
      [null, 'the', 'added'],
      ['light', 'night', 'misread'],
      ['into', 'into', 'right'],
      ['chemical', null, 'missed'],
      ['energy', 'energy', 'right'],
    ]);
    expect(result.counts).toEqual({ right: 4, missed: 1, added: 1, misread: 1, unchecked: 0 });
    // Four right of six words to read, and one added.
    expect(result.score).toBeCloseTo(4 / 7, 3);
    expect(result.words[5]).toMatchObject({ start: null, end: null });
  });

  it('takes unclear speech in a word\'s place for that word misread, and elsewhere for a hesitation that costs nothing', () => {
    const words = heard('um plants turn X into chemical energy').map((w) => (w.word === 'um' || w.word === 'X' ? { ...w, word: UNCLEAR, confidence: null } : w));
    const result = scoreReading(readingWords('Plants turn light into chemical energy'), words);
    expect(result.words.map((w) => [w.expected, w.heard, w.status])).toEqual([
      ['Plants', 'plants', 'right'],
      ['turn', 'turn', 'right'],
      ['light', null, 'misread'],
      ['into', 'into', 'right'],
      ['chemical', 'chemical', 'right'],
      ['energy', 'energy', 'right'],
    ]);
    expect(result.words[2]).toMatchObject({ start: 1.5, end: 1.9 });
    expect(result.score).toBeCloseTo(5 / 6, 3);
  });

  it('leaves words the recogniser cannot hear out of the score', () => {
    const result = scoreReading(readingWords('In 1850 the Dashwoods moved'), heard('in the moved'), new Set(['1850', 'dashwoods']));
    expect(result.words.map((w) => w.status)).toEqual(['right', 'unchecked', 'right', 'unchecked', 'right']);
    expect(result.score).toBe(1);
  });

  it('scores nothing heard 0, with every word missed', () => {
    const result = scoreReading(readingWords('One two three'), []);
    expect(result.score).toBe(0);
    expect(result.counts.missed).toBe(3);
    expect(result.wordsPerMinute).toBeNull();
  });

  it('compares words without case or punctuation, as Transcribe writes them', () => {
    expect(scoreReading(readingWords("It's light-dependent."), heard("it's light dependent.")).score).toBe(1);
  });
});

describe('readingWords', () => {
  it('keeps words as written, numbers sentences, and parts words at dashes', () => {
    expect(readingWords('Hello, world! "Light-dependent" reactions: go.')).toEqual([
      { written: 'Hello', spoken: 'hello', sentence: 0 },
      { written: 'world', spoken: 'world', sentence: 0 },
      { written: 'Light', spoken: 'light', sentence: 1 },
      { written: 'dependent', spoken: 'dependent', sentence: 1 },
      { written: 'reactions', spoken: 'reactions', sentence: 1 },
      { written: 'go', spoken: 'go', sentence: 2 },
    ]);
  });
});
