import { describe, expect, it } from 'vitest';
import { containsTerm, sentenceCentrality, splitSentences } from './text-analysis.js';

describe('sentence splitting', () => {
  it('keeps abbreviations and decimals inside their sentence and splits headings off', () => {
    const sentences = splitSentences([
      {
        page: 4,
        text: 'Measurements\nDr. Smith measured 3.5 grams of glucose, e.g. in a leaf.\nThe sample was\nthen dried. It weighed less.',
      },
    ]);
    expect(sentences.map((s) => s.text)).toEqual([
      'Measurements',
      'Dr. Smith measured 3.5 grams of glucose, e.g. in a leaf.',
      'The sample was then dried.',
      'It weighed less.',
    ]);
    expect(sentences.every((s) => s.page === 4)).toBe(true);
  });

  it('splits off a heading that sits between paragraphs without blank lines, as PDF text does', () => {
    const sentences = splitSentences([
      { page: 1, text: 'Oxygen is released as a by-product.\nThe two stages\nThe light-dependent reactions take place\nin the thylakoid membranes.' },
    ]);
    expect(sentences.map((s) => s.text)).toEqual([
      'Oxygen is released as a by-product.',
      'The two stages',
      'The light-dependent reactions take place in the thylakoid membranes.',
    ]);
  });
});

describe('term matching', () => {
  it('matches whole words and the plural of a term, not a longer word', () => {
    expect(containsTerm('The thylakoid membranes hold chlorophyll.', 'thylakoid membrane')).toBe(true);
    expect(containsTerm('Chloroplasts are green.', 'chloroplast')).toBe(true);
    expect(containsTerm('Photosynthetic cells are green.', 'photosynthesis')).toBe(false);
    expect(containsTerm('It happened in 1789.', '178')).toBe(false);
  });
});

describe('sentence centrality', () => {
  it('ranks a sentence on the main subject above an aside', () => {
    const sentences = splitSentences([
      {
        page: 1,
        text: 'Photosynthesis makes glucose in leaves. Photosynthesis needs light and water in leaves. Leaves use photosynthesis to grow. The author once visited Rome on holiday.',
      },
    ]);
    const scores = sentenceCentrality(sentences);
    expect(scores[1]!).toBeGreaterThan(scores[3]!);
  });
});
