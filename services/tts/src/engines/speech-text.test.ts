import { describe, expect, it } from 'vitest';
import { speechText } from './speech-text.js';

describe('speechText', () => {
  it('writes out the abbreviations before a number that would end the sentence for the voice', () => {
    expect(speechText('As Fig. 3 shows, cells divide.')).toBe('As Figure 3 shows, cells divide.');
    expect(speechText('See p. 4 and pp. 12–15.')).toBe('See page 4 and pages 12 to 15.');
    expect(speechText('Eq. 2 and eqs. 5 to 7, in ch. 3, sec. 2 of Vol. 1.')).toBe(
      'Equation 2 and equations 5 to 7, in chapter 3, section 2 of Volume 1.',
    );
    expect(speechText('It was built ca. 1200.')).toBe('It was built circa 1200.');
  });

  it('reads e.g., i.e., cf. and approx. as the words they stand for', () => {
    expect(speechText('Some cells (e.g. in the skin) divide often, i.e. every day.')).toBe(
      'Some cells (for example in the skin) divide often, that is every day.',
    );
    expect(speechText('E.g., the heart; cf. the lungs; approx. 20 km.')).toBe('For example, the heart; compare the lungs; approximately 20 km.');
  });

  it('keeps the period of et al. only where it ends a sentence', () => {
    expect(speechText('Smith et al. (2020) found it.')).toBe('Smith et al (2020) found it.');
    expect(speechText('It was found by Smith et al. Later work agreed.')).toBe('It was found by Smith et al. Later work agreed.');
    expect(speechText('It was found by Smith et al.')).toBe('It was found by Smith et al.');
  });

  it('reads an en-dash range and a ratio with "to"', () => {
    expect(speechText('Read pages 12–15.')).toBe('Read pages 12 to 15.');
    expect(speechText('From 1,200 – 1,500 people.')).toBe('From 1,200 to 1,500 people.');
    expect(speechText('Mix them 3:1, or 1:1000 for a weak solution.')).toBe('Mix them 3 to 1, or 1 to 1000 for a weak solution.');
  });

  it('leaves alone what only looks like them', () => {
    const unchanged = [
      'The class starts at 10:30 and ends at 12:15.',
      'John 3:16 is a verse.',
      'Call 555-1234 or read section 4-2.',
      'The figure shows a cell. 3 cells divide.',
      'A cup of tea.',
      'Whey protein, etc. And more.',
      'Dr. Smith met Mr. Jones.',
    ];
    for (const text of unchanged) expect(speechText(text)).toBe(text);
  });
});
