import { spokenForm, UNCLEAR, type TextWord } from '../recognizers/reading-model.js';
import type { TimedWord } from '../recognizers/segments.js';

/**
 * right: read as written; missed: not heard; added: heard, not in the text; misread: another
 * word heard in its place; unchecked: the recogniser cannot hear this word (no pronunciation).
 */
export type WordStatus = 'right' | 'missed' | 'added' | 'misread' | 'unchecked';

export interface ScoredWord {
  /** The word of the text, as written; null for an added word. */
  expected: string | null;
  /** What was heard; null for a missed word, and for a misread one when it was none of the text's words. */
  heard: string | null;
  status: WordStatus;
  start: number | null;
  end: number | null;
  confidence: number | null;
}

export interface ReadingScore {
  /**
   * Words read right over the words that could be checked plus the words added, 0 to 1: a
   * reading that adds words it was not asked to read scores lower, as does one of another text,
   * which the recogniser hears as a jumble of this text's words.
   */
  score: number;
  counts: Record<WordStatus, number>;
  /** Words of the text read, per minute of reading (from the first to the last word heard). */
  wordsPerMinute: number | null;
  words: ScoredWord[];
}

// Integer costs: a word missed or added costs 4, a word misread 6, so that of two alignments
// with as many edits the one that matches more words wins ("the night" for "light into
// chemical" is an added word, a misread one and a missed one, not three misread). Unclear
// speech (none of the text's words) in a word's place is that word misread (3, cheaper than
// missing it), and elsewhere a hesitation or a noise, which costs little and is not counted.
const GAP = 4;
const SUBSTITUTION = 6;
const UNCLEAR_SUBSTITUTION = 3;
const UNCLEAR_INSERTION = 1;

const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places;

/**
 * Aligns what was heard with the text (fewest edits; a word the recogniser cannot hear costs
 * nothing to skip) and names each word's fate with its times.
 */
export function scoreReading(expected: TextWord[], heard: TimedWord[], unchecked: ReadonlySet<string> = new Set()): ReadingScore {
  const said = heard
    .map((w) => ({ ...w, spoken: w.word === UNCLEAR ? UNCLEAR : spokenForm(w.word) }))
    .filter((w) => w.spoken);
  const replaceCost = (i: number, j: number): number => {
    if (said[j]!.spoken === UNCLEAR) return UNCLEAR_SUBSTITUTION;
    return expected[i]!.spoken === said[j]!.spoken ? 0 : SUBSTITUTION;
  };
  const insertCost = (j: number): number => (said[j]!.spoken === UNCLEAR ? UNCLEAR_INSERTION : GAP);
  const n = expected.length;
  const m = said.length;
  const skipCost = (i: number): number => (unchecked.has(expected[i]!.spoken) ? 0 : GAP);
  // cost[i][j]: fewest edits turning the first j heard words into the first i words of the text.
  const cost = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = 1; i <= n; i += 1) cost[i]![0] = cost[i - 1]![0]! + skipCost(i - 1);
  for (let j = 1; j <= m; j += 1) cost[0]![j] = cost[0]![j - 1]! + insertCost(j - 1);
  for (let i = 1; i <= n; i += 1) {
    for (let j = 1; j <= m; j += 1) {
      cost[i]![j] = Math.min(cost[i - 1]![j - 1]! + replaceCost(i - 1, j - 1), cost[i - 1]![j]! + skipCost(i - 1), cost[i]![j - 1]! + insertCost(j - 1));
    }
  }

  const words: ScoredWord[] = [];
  const timed = (w: (typeof said)[number]) => ({
    // Transcribe attaches punctuation to the word before it.
    heard: w.spoken === UNCLEAR ? null : w.word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''),
    start: w.start,
    end: w.end,
    confidence: w.confidence,
  });
  const untimed = { start: null, end: null, confidence: null };
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = cost[i]![j]!;
    if (i > 0 && j > 0) {
      if (here === cost[i - 1]![j - 1]! + replaceCost(i - 1, j - 1)) {
        const status = replaceCost(i - 1, j - 1) === 0 ? 'right' : 'misread';
        words.push({ expected: expected[i - 1]!.written, ...timed(said[j - 1]!), status });
        i -= 1;
        j -= 1;
        continue;
      }
    }
    if (i > 0 && here === cost[i - 1]![j]! + skipCost(i - 1)) {
      const status = skipCost(i - 1) === 0 ? 'unchecked' : 'missed';
      words.push({ expected: expected[i - 1]!.written, heard: null, status, ...untimed });
      i -= 1;
      continue;
    }
    if (said[j - 1]!.spoken !== UNCLEAR) words.push({ expected: null, ...timed(said[j - 1]!), status: 'added' });
    j -= 1;
  }
  words.reverse();

  const counts: Record<WordStatus, number> = { right: 0, missed: 0, added: 0, misread: 0, unchecked: 0 };
  for (const word of words) counts[word.status] += 1;
  const checked = n - counts.unchecked;
  const read = words.filter((w) => w.expected !== null && w.start !== null);
  const span = read.length >= 2 ? read[read.length - 1]!.end! - read[0]!.start! : 0;
  return {
    score: checked > 0 ? round(counts.right / (checked + counts.added), 3) : 0,
    counts,
    wordsPerMinute: span > 0 ? Math.round((read.length / span) * 60) : null,
    words,
  };
}
