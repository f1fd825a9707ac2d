import nlp from 'compromise';
import { eng as englishStopwords } from 'stopword';

export interface DocumentPage {
  page: number;
  text: string;
}

export interface Sentence {
  index: number;
  page: number;
  text: string;
  /** Lower-cased word tokens, for similarity and term counting. */
  words: string[];
}

const STOPWORDS = new Set([...englishStopwords, 'also', 'however', 'thus', 'therefore', 'may', 'might', 'must', 'shall']);

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.toLowerCase());
}

const WORD = /[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*[A-Za-zÀ-ÖØ-öø-ÿ]|[A-Za-zÀ-ÖØ-öø-ÿ]|\d+(?:[.,]\d+)*%?/g;

export function wordsOf(text: string): string[] {
  return text.match(WORD) ?? [];
}

export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Headings and list captions have no closing punctuation; without splitting them off they would
 * be glued to the first sentence below them.
 */
function blocksOf(pageText: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length) blocks.push(current.join(' '));
    current = [];
  };
  const lines = pageText.split(/\r?\n/).map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    const next = lines.slice(i + 1).find(Boolean);
    if (!line) {
      flush();
      continue;
    }
    // PDF text often has no blank line between a heading and the paragraphs around it.
    const afterSentenceEnd = current.length === 0 || /[.!?:]["')\]]?$/.test(current[current.length - 1]!);
    // A short first line of a wrapped sentence goes on in lower case; a heading is followed by a new sentence.
    const nextStartsSentence = next === undefined || /^[\p{Lu}\p{N}"'(]/u.test(next);
    const looksLikeHeading = !/[.!?:;,"')\]]$/.test(line) && wordsOf(line).length <= 8 && afterSentenceEnd && nextStartsSentence;
    if (looksLikeHeading || /^#{1,6}\s/.test(line) || /^[-*•]\s/.test(line)) {
      flush();
      blocks.push(line.replace(/^(#{1,6}|[-*•])\s+/, ''));
      continue;
    }
    current.push(line);
  }
  flush();
  return blocks;
}

/** Splits every page into sentences (compromise's tokenizer knows abbreviations and decimals). */
export function splitSentences(pages: readonly DocumentPage[]): Sentence[] {
  const sentences: Sentence[] = [];
  for (const { page, text } of pages) {
    for (const block of blocksOf(text)) {
      const parts = nlp.tokenize(block).sentences().out('array') as string[];
      for (const part of parts) {
        const clean = normalizeSpace(part);
        if (!clean) continue;
        sentences.push({ index: sentences.length, page, text: clean, words: wordsOf(clean).map((w) => w.toLowerCase()) });
      }
    }
  }
  return sentences;
}

/**
 * TF-IDF cosine similarity of each sentence to the whole document: sentences that share the
 * document's characteristic vocabulary are central, asides and details are not.
 */
export function sentenceCentrality(sentences: readonly Sentence[]): number[] {
  const documentFrequency = new Map<string, number>();
  const contentWords = sentences.map((s) => s.words.filter((w) => !isStopword(w) && w.length > 2 && !/^\d/.test(w)));
  for (const words of contentWords) {
    for (const w of new Set(words)) documentFrequency.set(w, (documentFrequency.get(w) ?? 0) + 1);
  }
  const n = sentences.length;
  const idf = (w: string): number => Math.log((n + 1) / ((documentFrequency.get(w) ?? 0) + 1)) + 1;
  const vectors = contentWords.map((words) => {
    const tf = new Map<string, number>();
    for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
    const vector = new Map<string, number>();
    for (const [w, count] of tf) vector.set(w, count * idf(w));
    return vector;
  });
  const centroid = new Map<string, number>();
  for (const vector of vectors) {
    for (const [w, value] of vector) centroid.set(w, (centroid.get(w) ?? 0) + value);
  }
  const norm = (v: Map<string, number>): number => Math.sqrt([...v.values()].reduce((sum, x) => sum + x * x, 0));
  const centroidNorm = norm(centroid) || 1;
  return vectors.map((vector) => {
    const vectorNorm = norm(vector);
    if (vectorNorm === 0) return 0;
    let dot = 0;
    for (const [w, value] of vector) dot += value * (centroid.get(w) ?? 0);
    return dot / (vectorNorm * centroidNorm);
  });
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A rough singular of the last word, enough to match "membrane" against "membranes". */
export function singular(term: string): string {
  if (/(?:ss|us|is|ous)$/i.test(term)) return term;
  if (/(?:sh|ch|x)es$/i.test(term)) return term.slice(0, -2);
  if (/[a-z]s$/i.test(term) && term.length > 3) return term.slice(0, -1);
  return term;
}

/**
 * Matches a term as whole words, case-insensitively, with an optional plural ending so a stem
 * never keeps "chloroplasts" while asking for "chloroplast".
 */
export function termPattern(term: string, flags = 'gi'): RegExp {
  const key = `${flags}|${term}`;
  let pattern = patternCache.get(key);
  if (!pattern) {
    if (patternCache.size > 20_000) patternCache.clear();
    pattern = buildTermPattern(term, flags);
    patternCache.set(key, pattern);
  }
  // A global pattern keeps its position between uses; every caller starts from the beginning.
  pattern.lastIndex = 0;
  return pattern;
}

// Building patterns dominated generation time on long documents: the same terms are matched against many sentences.
const patternCache = new Map<string, RegExp>();

function buildTermPattern(term: string, flags: string): RegExp {
  const numeric = /^\d/.test(term);
  const body = (numeric ? term : singular(term))
    .split(/\s+/)
    .map((part) => escapeRegExp(part))
    .join('\\s+');
  const plural = numeric ? '' : "(?:s|es|'s|’s)?";
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${plural}(?![\\p{L}\\p{N}])`, `${flags}u`);
}

export function containsTerm(text: string, term: string): boolean {
  return termPattern(term, 'i').test(text);
}
