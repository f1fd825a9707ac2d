import { describe, expect, it } from 'vitest';
import { termKey } from '@learner/text';
import { blankOut, standsAlone, swapTerm, termSpans } from './concepts.js';

describe('standsAlone: a sentence a question may quote on its own', () => {
  it('refuses sentences that lean on the one before them', () => {
    for (const sentence of [
      'This is called the looking-glass self by most sociologists.',
      'Other globalization efforts, however, are more complex.',
      'Other cultural universals include customs like funeral rites, weddings, and celebrations of births.',
      'One is attachment, or the bond that people form with each other.',
      'In it, they argued that society is created by humans and human interaction, which they call habitualization.',
      'In this section, we will review class and caste stratification systems.',
      'By this definition, the level of modernization within a society is judged by its technology.',
    ]) {
      expect(standsAlone(sentence), sentence).toBe(false);
    }
  });

  it('accepts sentences that say what they mean by themselves', () => {
    for (const sentence of [
      'The means of enforcing rules are known as sanctions.',
      'Positive sanctions are rewards given for conforming to norms.',
      'Online communities often form around shared interests rather than shared places.',
      'Today, Native Americans are citizens of three sovereigns.',
      'Once people marry, they form a family of procreation.',
    ]) {
      expect(standsAlone(sentence), sentence).toBe(true);
    }
  });
});

describe('termSpans', () => {
  it("takes in an editor's bracket that the term opens, so a blank or a swap leaves none behind", () => {
    const sentence = 'According to Jagose (1996), Queer [Theory] focuses on mismatches between anatomical sex and gender identity.';
    const spans = termSpans(sentence, termKey('queer theory'));
    expect(blankOut(sentence, spans)).toBe('According to Jagose (1996), _____ focuses on mismatches between anatomical sex and gender identity.');
    expect(swapTerm(sentence, spans, 'feminist theory')).toBe(
      'According to Jagose (1996), feminist theory focuses on mismatches between anatomical sex and gender identity.',
    );
  });

  it('leaves brackets around a whole term as they are', () => {
    const sentence = 'Sociologists study norms (folkways and mores) in every society.';
    expect(blankOut(sentence, termSpans(sentence, termKey('folkways')))).toBe('Sociologists study norms (_____ and mores) in every society.');
  });
});
