import { describe, expect, it } from 'vitest';
import { paragraphs, sentences } from './sentences.js';

describe('splitting text into paragraphs and sentences', () => {
  it('joins wrapped lines and separates paragraphs at blank lines', () => {
    expect(paragraphs('First line\nwraps here.\n\n  Second  paragraph.\n')).toEqual(['First line wraps here.', 'Second paragraph.']);
  });

  it('ends sentences at . ! ? before a capital, a digit or a quote', () => {
    expect(sentences('Water boils. Does it? Yes! 100 degrees is the point. "Quoted" start.')).toEqual([
      'Water boils.',
      'Does it?',
      'Yes!',
      '100 degrees is the point.',
      '"Quoted" start.',
    ]);
  });

  it('does not end a sentence at an abbreviation, an initial or a decimal point', () => {
    expect(sentences('Dr. Watson met J. Smith at 3.5 km from St. Ives, e.g. near the coast. Then he left.')).toEqual([
      'Dr. Watson met J. Smith at 3.5 km from St. Ives, e.g. near the coast.',
      'Then he left.',
    ]);
  });

  it('keeps a closing quote or bracket with its sentence', () => {
    expect(sentences('He said "stop." Then (briefly.) It ended.')).toEqual(['He said "stop."', 'Then (briefly.)', 'It ended.']);
  });

  it('splits a paragraph of fifty thousand sentences', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `Sentence ${i} is here.`).join(' ');
    expect(sentences(text)).toHaveLength(50_000);
  });
});
