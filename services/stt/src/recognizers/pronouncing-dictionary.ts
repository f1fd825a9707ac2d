import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Reads the pronunciations of `words` from a pocketsphinx dictionary (CMUdict format: "word PH
 * ONES", alternates as "word(2) PH ONES"). The file is streamed on each call, so the 130,000
 * entries are never held in memory; a call takes tens of milliseconds.
 */
export async function lookUpPronunciations(dictionaryPath: string, words: Iterable<string>): Promise<Map<string, string[]>> {
  const wanted = new Set(words);
  const found = new Map<string, string[]>();
  const lines = createInterface({ input: createReadStream(dictionaryPath, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const word = line.slice(0, space).replace(/\(\d+\)$/, '');
    if (!wanted.has(word)) continue;
    const phones = line.slice(space + 1).replace(/#.*$/, '').trim();
    if (phones) found.set(word, [...(found.get(word) ?? []), phones]);
  }
  return found;
}
