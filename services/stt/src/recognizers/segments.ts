import type { Segment } from './recognizer.js';

export interface TimedWord {
  word: string;
  start: number;
  end: number;
  confidence: number | null;
  speaker?: string | null;
}

const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places;

function mean(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? round(known.reduce((a, b) => a + b, 0) / known.length, 3) : null;
}

/**
 * Groups words into sentence-sized segments: a new one starts at a pause longer than `pauseSeconds`,
 * when the speaker changes, or when a segment reaches `maxWords`.
 */
export function toSegments(words: TimedWord[], options: { pauseSeconds?: number; maxWords?: number } = {}): Segment[] {
  const pause = options.pauseSeconds ?? 0.5;
  const maxWords = options.maxWords ?? 30;
  const groups: TimedWord[][] = [];
  let current: TimedWord[] = [];
  for (const word of words) {
    const last = current[current.length - 1];
    const breaks =
      last !== undefined &&
      (word.start - last.end > pause || (word.speaker ?? null) !== (last.speaker ?? null) || current.length >= maxWords);
    if (breaks) {
      groups.push(current);
      current = [];
    }
    current.push(word);
  }
  if (current.length) groups.push(current);
  return groups.map((group) => ({
    start: round(group[0]!.start, 2),
    end: round(group[group.length - 1]!.end, 2),
    speaker: group[0]!.speaker ?? null,
    text: group.map((w) => w.word).join(' ').replace(/\s+([,.!?;:])/g, '$1'),
    confidence: mean(group.map((w) => w.confidence)),
  }));
}

/** The whole transcript's confidence: the mean over its words. */
export function overallConfidence(words: TimedWord[]): number | null {
  return mean(words.map((w) => w.confidence));
}
