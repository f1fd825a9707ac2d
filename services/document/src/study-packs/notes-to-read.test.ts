import { describe, expect, it } from 'vitest';
import { MAX_SPOKEN_CHARACTERS, notesToRead } from './notes-to-read.js';

describe('notesToRead', () => {
  it('reads the summary, then the key points', () => {
    const text = notesToRead([
      { kind: 'key_terms', content: 'ignored', items: [{ text: 'Chlorophyll is a pigment.', page: 1 }] },
      { kind: 'summary', content: 'Plants make sugar from light.', items: [] },
      { kind: 'key_points', content: '', items: [{ text: 'Light is absorbed.', page: 1 }, { text: 'Oxygen is released.', page: 1 }] },
    ]);
    expect(text).toBe('Plants make sugar from light.\n\nKey points. Light is absorbed. Oxygen is released.');
  });

  it('is empty without notes', () => {
    expect(notesToRead([])).toBe('');
  });

  it('ends at the last whole sentence within the limit of the tts service', () => {
    const sentence = 'Water evaporates from the sea and falls again as rain. ';
    const text = notesToRead([{ kind: 'summary', content: sentence.repeat(100), items: [] }]);
    expect(text.length).toBeLessThanOrEqual(MAX_SPOKEN_CHARACTERS);
    expect(text.endsWith('rain.')).toBe(true);
  });
});
