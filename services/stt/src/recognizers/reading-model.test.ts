import { describe, expect, it } from 'vitest';
import { buildReadingModel, mergeUnclear, readingWords, UNCLEAR } from './reading-model.js';

const PRONUNCIATIONS = new Map([
  ['plants', ['P L AE N T S']],
  ['need', ['N IY D']],
  ['light', ['L AY T']],
  ['the', ['DH AH', 'DH IY']],
]);

describe('buildReadingModel', () => {
  it("writes a trigram model of the text's sentences that counts its own n-grams", () => {
    const { arpa, unknown } = buildReadingModel(readingWords('Plants need light. The plants need the light.'), PRONUNCIATIONS);
    expect(unknown.size).toBe(0);
    const count = (order: number) => Number(new RegExp(`ngram ${order}=(\\d+)`).exec(arpa)![1]);
    const section = (order: number) => arpa.split(`\\${order}-grams:\n`)[1]!.split('\n\n')[0]!.split('\n');
    for (const order of [1, 2, 3]) expect(section(order)).toHaveLength(count(order));
    // Six words of the text, <s>, </s> and the 39 phones of English.
    expect(count(1)).toBe(4 + 2 + 39);
    expect(section(2).map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual(expect.arrayContaining(['<s> plants', 'need light', 'light </s>', '<s> the']));
    expect(section(3).some((l) => l.endsWith(' plants need light'))).toBe(true);
    // A bigram of the text is far likelier than its word on its own.
    const logP = (line: string | undefined) => Number(line!.split(' ')[0]);
    expect(logP(section(2).find((l) => l.includes(' need light ')))).toBeGreaterThan(logP(section(1).find((l) => l.includes(' light '))));
  });

  it('lists every pronunciation of its words and the phones, and leaves out words it has none for', () => {
    const { dictionary, arpa, unknown } = buildReadingModel(readingWords('The plants need photosynthesis.'), PRONUNCIATIONS);
    expect(dictionary).toContain('the DH AH\nthe(2) DH IY\n');
    expect(dictionary).toContain('ph_zh ZH');
    expect([...unknown]).toEqual(['photosynthesis']);
    expect(arpa).not.toContain('photosynthesis');
    expect(arpa).toContain(' need </s>');
  });

  it('builds nothing for a text none of whose words it can pronounce', () => {
    expect(buildReadingModel(readingWords('Zyxwv qwrtp.'), PRONUNCIATIONS).arpa).toBe('');
  });
});

describe('mergeUnclear', () => {
  it('joins runs of phones into one unclear word spanning them', () => {
    const words = ['plants', 'ph_l', 'ph_ay', 'need', 'ph_t'].map((word, i) => ({ word, start: i, end: i + 0.5, confidence: 0.9 }));
    expect(mergeUnclear(words).map((w) => [w.word, w.start, w.end])).toEqual([
      ['plants', 0, 0.5],
      [UNCLEAR, 1, 2.5],
      ['need', 3, 3.5],
      [UNCLEAR, 4, 4.5],
    ]);
  });
});
