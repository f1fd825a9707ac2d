import { contentWords, refersBack } from './text.js';

/** An earlier question of the conversation and the words its search used. */
export interface PriorQuestion {
  question: string;
  searchWords: string[];
}

export interface SearchPlan {
  /** What is sent to the document search. */
  query: string;
  /** The question's own content words followed by any borrowed from earlier questions. */
  words: string[];
  /** Words taken from the conversation because the question does not name its subject. */
  borrowed: string[];
  /** The question as asked (with any borrowed words), for the meaning side of the search. */
  question: string;
}

const MAX_QUERY_WORDS = 12;
const MAX_BORROWED_WORDS = 4;
/** The document search takes at most 500 characters of query. */
export const MAX_QUERY_CHARS = 500;
/** Longer than any word of a language; a pasted hash or run of letters would only spoil the search. */
const MAX_WORD_CHARS = 60;

/**
 * Turns a question into search words. A follow-up that does not name its subject (no content
 * words at all, or a pronoun such as "it" or "they") borrows the words of the latest earlier
 * question that had some, so "where does it happen?" after a question about photosynthesis
 * searches for photosynthesis. Earlier questions carry their own resolved words, so a chain of
 * follow-ups keeps the subject.
 */
export function planSearch(question: string, history: PriorQuestion[]): SearchPlan {
  const own = contentWords(question).filter((w) => w.length <= MAX_WORD_CHARS);
  let borrowed: string[] = [];
  if (own.length === 0 || refersBack(question)) {
    const previous = history.find((h) => h.searchWords.length > 0);
    borrowed = (previous?.searchWords ?? []).filter((w) => !own.includes(w)).slice(0, MAX_BORROWED_WORDS);
  }
  const all = withinLength([...own.slice(0, MAX_QUERY_WORDS - borrowed.length), ...borrowed], MAX_QUERY_CHARS);
  const kept = borrowed.filter((w) => all.includes(w));
  const asked = question
    .split(/\s+/)
    .filter((w) => w && w.length <= MAX_WORD_CHARS)
    .join(' ');
  const withBorrowed = kept.length ? `${asked} (${kept.join(' ')})` : asked;
  return { query: all.join(' '), words: all, borrowed: kept, question: withBorrowed.slice(0, MAX_QUERY_CHARS) };
}

/** The leading words whose space-joined length fits in `maxChars`. */
function withinLength(words: string[], maxChars: number): string[] {
  const kept: string[] = [];
  let length = -1;
  for (const word of words) {
    if (length + 1 + word.length > maxChars) break;
    length += 1 + word.length;
    kept.push(word);
  }
  return kept;
}

/** The search words of a stored question, for questions stored without them. */
export function priorQuestion(question: string, stored: unknown): PriorQuestion {
  const searchWords =
    Array.isArray(stored) && stored.every((w) => typeof w === 'string') ? (stored as string[]) : contentWords(question);
  return { question, searchWords };
}
