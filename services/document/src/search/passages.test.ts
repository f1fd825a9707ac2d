import { describe, expect, it } from 'vitest';
import { documentPassages } from './passages.js';

describe("a document's passages", () => {
  it('numbers passages across pages and keeps each on its page, with its section heading', () => {
    const passages = documentPassages([
      { page: 1, text: 'Evaporation\n\nEvaporation lifts water.\nClouds form.' },
      { page: 2, text: 'Rain falls again.' },
    ]);
    expect(passages.map((p) => [p.page, p.position, p.text, p.heading])).toEqual([
      [1, 0, 'Evaporation lifts water. Clouds form.', 'Evaporation'],
      [2, 1, 'Rain falls again.', 'Evaporation'],
    ]);
  });
});
