import { describe, expect, it } from 'vitest';
import { contentWords, isProse, refersBack, sentences, splitGluedHeading, terms } from './text.js';

describe('contentWords', () => {
  it('keeps the subject of a question and drops question words, stop words and vague verbs', () => {
    expect(contentWords('What is photosynthesis?')).toEqual(['photosynthesis']);
    expect(contentWords('Where does it happen?')).toEqual([]);
    expect(contentWords("Can you explain the plant's light reactions to me?")).toEqual(['plant', 'light', 'reactions']);
  });

  it('lists each word once, in the order of the question', () => {
    expect(contentWords('Chlorophyll absorbs light; why is chlorophyll green?')).toEqual(['chlorophyll', 'absorbs', 'light', 'green']);
  });
});

describe('terms', () => {
  it('stems words so that inflections of one word meet', () => {
    expect(terms('produces')).toEqual(terms('producing'));
    expect(terms('Mitochondria produced energy')).toEqual(terms('mitochondria producing energies'));
  });
});

describe('refersBack', () => {
  it('notices pronouns that stand for an earlier subject', () => {
    expect(refersBack('Where does it happen?')).toBe(true);
    expect(refersBack('Why are they green?')).toBe(true);
    expect(refersBack('What is photosynthesis?')).toBe(false);
  });
});

describe('sentences', () => {
  it('splits with the text library and splits off a heading glued to its sentence in passages stored before it', () => {
    expect(sentences('Photosynthesis Photosynthesis is the process by which plants make sugar. It needs light.')).toEqual([
      'Photosynthesis',
      'Photosynthesis is the process by which plants make sugar.',
      'It needs light.',
    ]);
  });
});

describe('isProse', () => {
  it('tells full sentences from headings and fragments', () => {
    expect(isProse('Photosynthesis')).toBe(false);
    expect(isProse('Key points')).toBe(false);
    expect(isProse('Plants make sugar from light and water.')).toBe(true);
    expect(isProse('Chlorophyll absorbs red and blue light but reflects green light')).toBe(true);
  });
});

describe('splitGluedHeading', () => {
  it('splits a heading that repeats the opening words of its sentence', () => {
    expect(splitGluedHeading('Photosynthesis Photosynthesis is the process by which plants make sugar.')).toEqual([
      'Photosynthesis',
      'Photosynthesis is the process by which plants make sugar.',
    ]);
  });

  it('splits a heading that ends in a lower-case word before a capitalised full sentence', () => {
    expect(splitGluedHeading('Transport in plants Water moves from the roots to the leaves.')).toEqual([
      'Transport in plants',
      'Water moves from the roots to the leaves.',
    ]);
  });

  it('leaves ordinary sentences with names alone', () => {
    for (const sentence of [
      'Julius Caesar crossed the Rubicon in 49 BC.',
      'The Roman Republic was founded in 509 BC.',
      'Plants in the Amazon rainforest grow very quickly.',
      'In 1665 Robert Hooke described cells in cork.',
      'Scientists in Europe studied the cells of cork.',
      'Water moves up through the xylem.',
    ]) {
      expect(splitGluedHeading(sentence)).toEqual([sentence]);
    }
  });

  it('is applied when splitting flattened passages into sentences', () => {
    expect(sentences('Photosynthesis Photosynthesis happens in leaves. It needs light.')).toEqual([
      'Photosynthesis',
      'Photosynthesis happens in leaves.',
      'It needs light.',
    ]);
  });
});
