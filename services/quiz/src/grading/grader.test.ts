import { describe, expect, it } from 'vitest';
import { isCorrect, type GradableQuestion } from './grader.js';

const multipleChoice: GradableQuestion = {
  type: 'multiple_choice',
  options: [
    { id: 'a', text: 'Jean Senebier' },
    { id: 'b', text: 'Jan Ingenhousz' },
    { id: 'c', text: 'Joseph Priestley' },
    { id: 'd', text: 'Melvin Calvin' },
  ],
  correctAnswer: 'Jan Ingenhousz',
};
const trueItem: GradableQuestion = { type: 'true_false', options: null, correctAnswer: 'true' };
const falseItem: GradableQuestion = { type: 'true_false', options: null, correctAnswer: 'false' };
const shortAnswer = (correctAnswer: string): GradableQuestion => ({ type: 'short_answer', options: null, correctAnswer });

describe('grading multiple choice', () => {
  it('accepts the right option by id, in any case or bracketing', () => {
    for (const answer of ['b', 'B', '(b)', 'b)', ' b ']) expect(isCorrect(multipleChoice, answer)).toBe(true);
  });

  it('accepts the right option by its text', () => {
    expect(isCorrect(multipleChoice, 'jan ingenhousz')).toBe(true);
    expect(isCorrect(multipleChoice, 'Jan Ingenhousz.')).toBe(true);
  });

  it('rejects another option, an unknown id and a missing answer', () => {
    for (const answer of ['a', 'Melvin Calvin', 'e', 'Ingenhousz', '', true]) expect(isCorrect(multipleChoice, answer)).toBe(false);
    expect(isCorrect(multipleChoice, undefined)).toBe(false);
  });
});

describe('grading true/false', () => {
  it('reads booleans and words', () => {
    for (const answer of [true, 'true', 'True', 'TRUE', 'yes', 'Y', 't', 1]) expect(isCorrect(trueItem, answer)).toBe(true);
    for (const answer of [false, 'false', 'False', 'F', 'no', 'n', 0]) expect(isCorrect(falseItem, answer)).toBe(true);
  });

  it('rejects the opposite and what is neither', () => {
    for (const answer of [false, 'false', 'F', 'no']) expect(isCorrect(trueItem, answer)).toBe(false);
    for (const answer of ['maybe', 'a', 2]) expect(isCorrect(trueItem, answer)).toBe(false);
  });
});

describe('grading short answers', () => {
  it('forgives case, punctuation, accents and a leading article', () => {
    const item = shortAnswer('chlorophyll');
    for (const answer of ['Chlorophyll', 'chlorophyll.', ' the chlorophyll ', 'CHLOROPHYLL!', 'a chlorophyll']) {
      expect(isCorrect(item, answer)).toBe(true);
    }
    expect(isCorrect(shortAnswer('Estates-General'), 'estates general')).toBe(true);
    expect(isCorrect(shortAnswer('Thermidorian Reaction'), 'thermidorian réaction')).toBe(true);
  });

  it('forgives one small typo in a word of five letters or more', () => {
    expect(isCorrect(shortAnswer('chlorophyll'), 'chlorophyl')).toBe(true);
    expect(isCorrect(shortAnswer('stroma'), 'storma')).toBe(true);
    expect(isCorrect(shortAnswer('Calvin cycle'), 'Calvn cycle')).toBe(true);
  });

  it('accepts the term in its plural or another form of its words', () => {
    expect(isCorrect(shortAnswer('hypothesis'), 'hypotheses')).toBe(true);
    expect(isCorrect(shortAnswer('independent variable'), 'Independent variables')).toBe(true);
    expect(isCorrect(shortAnswer('cultural universals'), 'cultural universal')).toBe(true);
    expect(isCorrect(shortAnswer('independent variable'), 'dependent variable')).toBe(false);
  });

  it('rejects two typos, typos in short words and any change to a number', () => {
    expect(isCorrect(shortAnswer('chlorophyll'), 'clorophyl')).toBe(false);
    expect(isCorrect(shortAnswer('ATP'), 'ATX')).toBe(false);
    expect(isCorrect(shortAnswer('1789'), '1788')).toBe(false);
    expect(isCorrect(shortAnswer('Calvin cycle'), 'Calvn cycel')).toBe(false);
  });

  it('rejects a wrong or empty answer', () => {
    expect(isCorrect(shortAnswer('stroma'), 'thylakoid')).toBe(false);
    expect(isCorrect(shortAnswer('stroma'), '   ')).toBe(false);
    expect(isCorrect(shortAnswer('stroma'), 'the')).toBe(false);
  });

  it('accepts a number written the same way', () => {
    expect(isCorrect(shortAnswer('17,000'), '17,000')).toBe(true);
    expect(isCorrect(shortAnswer('1961'), 1961)).toBe(true);
  });
});
