import { describe, expect, it } from 'vitest';
import { pagePassages } from './passages.js';

const sentence = (i: number) => `Sentence number ${i} explains one more idea about the water cycle in some detail.`;

describe('cutting a page into passages', () => {
  it('keeps a short page as one passage', () => {
    expect(pagePassages(3, 'Evaporation lifts water.\nClouds form.')).toEqual([
      { page: 3, position: 0, text: 'Evaporation lifts water. Clouds form.' },
    ]);
  });

  it('cuts a long page into passages of a few whole sentences each, 300 to 800 characters', () => {
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const passages = pagePassages(1, text);
    expect(passages.length).toBeGreaterThan(3);
    for (const p of passages) {
      expect(p.text.length).toBeLessThanOrEqual(800);
      expect(p.text.length).toBeGreaterThanOrEqual(300);
      expect(p.text).toMatch(/^Sentence number \d+ .*detail\.$/);
    }
    expect(passages.map((p) => p.text).join(' ')).toBe(text);
    expect(passages.map((p) => p.position)).toEqual(passages.map((_, i) => i));
  });

  it('prefers to break where a paragraph ends', () => {
    const first = Array.from({ length: 5 }, (_, i) => sentence(i)).join(' ');
    const second = Array.from({ length: 3 }, (_, i) => sentence(i + 10)).join(' ');
    const passages = pagePassages(1, `${first}\n\n${second}`);
    expect(passages.map((p) => p.text)).toEqual([first, second]);
  });

  it('splits a single over-long sentence at word boundaries', () => {
    const long = `${'word '.repeat(400).trim()}.`;
    const passages = pagePassages(1, long);
    expect(passages.length).toBeGreaterThan(1);
    for (const p of passages) expect(p.text.length).toBeLessThanOrEqual(800 * 1.25);
    expect(passages.map((p) => p.text).join(' ')).toBe(long);
  });
});
