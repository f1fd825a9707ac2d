import { paragraphs, sentences } from '../text/sentences.js';

export interface Passage {
  page: number;
  position: number;
  text: string;
}

const MIN_CHARS = 300;
const MAX_CHARS = 800;

function splitLong(sentence: string): string[] {
  if (sentence.length <= MAX_CHARS) return [sentence];
  const parts: string[] = [];
  let current = '';
  for (const word of sentence.split(' ')) {
    if (current && current.length + 1 + word.length > MAX_CHARS) {
      parts.push(current);
      current = '';
    }
    current = current ? `${current} ${word}` : word.slice(0, MAX_CHARS);
  }
  if (current) parts.push(current);
  return parts;
}

/**
 * Cuts one page into paragraph-sized passages (a few sentences, about 300 to 800 characters),
 * breaking at paragraph ends when the passage is long enough, and never inside a sentence unless
 * the sentence alone is too long.
 */
export function pagePassages(page: number, text: string): Passage[] {
  const chunks: string[] = [];
  let current = '';
  for (const paragraph of paragraphs(text)) {
    let first = true;
    for (const sentence of sentences(paragraph).flatMap(splitLong)) {
      const breakHere = current && ((first && current.length >= MIN_CHARS) || current.length + 1 + sentence.length > MAX_CHARS);
      if (breakHere) {
        chunks.push(current);
        current = '';
      }
      current = current ? `${current} ${sentence}` : sentence;
      first = false;
    }
  }
  if (current) {
    const last = chunks[chunks.length - 1];
    // A short tail reads better as the end of the previous passage.
    if (last !== undefined && current.length < MIN_CHARS / 2 && last.length + current.length < MAX_CHARS * 1.25) {
      chunks[chunks.length - 1] = `${last} ${current}`;
    } else {
      chunks.push(current);
    }
  }
  return chunks.map((text, position) => ({ page, position, text }));
}

export function documentPassages(pages: { page: number; text: string }[]): Passage[] {
  return pages.flatMap((p) => pagePassages(p.page, p.text));
}
