import { describe, expect, it } from 'vitest';
import { standsAlone } from './concepts.js';

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
