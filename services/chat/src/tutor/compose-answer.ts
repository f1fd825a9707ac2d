import { asksQuestion } from '@learner/text';
import { isProse, sentences, stem, words } from './text.js';

/** One passage returned by the document search, best first. */
export interface Passage {
  documentId: number;
  title: string;
  page: number | null;
  passageId: number | string;
  text: string;
  snippet: string;
  rank: number;
  /** Cosine similarity of the passage to the question's meaning; null when not embedded. */
  similarity?: number | null;
}

export interface CitedPassage {
  documentId: number;
  title: string;
  page: number | null;
  snippet: string;
}

export interface ChosenSentence {
  text: string;
  passage: Passage;
  relevance: number;
}

export type Composition =
  | { found: true; content: string; sentences: ChosenSentence[]; citations: CitedPassage[]; relevance: number }
  | { found: false; relevance: number; similarity?: number | null };

/** Share of the question's (weighted) terms a sentence must contain to be stated as an answer. */
export const MIN_RELEVANCE = 0.5;
/**
 * How close in meaning counts as close, for one embedding model: cosine similarities have a scale
 * of each model's own (bge's unrelated texts sit near 0.5, e5's near 0.75).
 * - `alone`: a passage this close answers on its own;
 * - `near`: a passage this close answers when its best sentence shares `nearRelevance` of the
 *   question's (weighted) words;
 * - `span`: passages within this much of the best one count as near it when choosing sentences.
 */
export interface MeaningScale {
  alone: number;
  near: number;
  nearRelevance: number;
  span: number;
}

/**
 * The models the platform runs locally, each set on a development set of keyed textbook questions
 * at the point where 95% of questions about another chapter are still declined.
 */
export const MEANING_SCALES: Readonly<Record<string, MeaningScale>> = {
  'bge-small-en-v1.5-q': { alone: 0.72, near: 0.66, nearRelevance: 0.15, span: 0.15 },
  'multilingual-e5-small-q4': { alone: 0.86, near: 0.84, nearRelevance: 0.2, span: 0.05 },
};
/**
 * A model whose scale is not known still ranks (the nearest passages are preferred) but never
 * answers on meaning alone: the question's words must carry the answer.
 */
const UNKNOWN_SCALE: MeaningScale = { alone: Number.POSITIVE_INFINITY, near: Number.POSITIVE_INFINITY, nearRelevance: 1, span: 0.1 };
/** Words alone must cover more than without meaning, because the vector side always brings back passages. */
const WORDS_ALONE_WITH_MEANING = 0.6;
/** How much nearness in meaning weighs beside shared words when choosing sentences. */
const MEANING_WEIGHT = 0.3;
const MAX_SENTENCES = 3;
/** A further sentence is added only when it is nearly as well supported as the best one. */
const FOLLOWER_SHARE = 0.8;
const NEAR_DUPLICATE = 0.7;
const SNIPPET_CHARS = 300;

/** Words that tend to appear in a sentence answering each kind of question. */
const CUES: Array<{ question: RegExp; sentence: RegExp }> = [
  { question: /^\s*where\b|\bin which (?:part|place)\b/i, sentence: /\b(?:located|location|place|found|inside|within|site|region|occurs?|takes? place)\b/i },
  { question: /^\s*when\b|\bwhat (?:year|time|date)\b/i, sentence: /\b(?:\d{3,4}|century|year|years|during|after|before|era|period|age)\b/i },
  { question: /^\s*why\b|\bwhat (?:causes?|is the reason)\b/i, sentence: /\b(?:because|due to|since|therefore|so that|causes?|caused|reason|leads? to|results? in)\b/i },
  { question: /^\s*how (?:many|much|long|far|big|old)\b/i, sentence: /\d/ },
  { question: /^\s*(?:what (?:is|are|was|were)|define|what does .* mean)\b/i, sentence: /^[^,;]{0,60}?\b(?:is|are|was|were|refers? to|means|is defined as)\b/i },
  { question: /^\s*who\b/i, sentence: /\b(?:\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+|scientist|author|discovered|invented|proposed|wrote)\b/u },
];
const CUE_BONUS = 0.1;
const RANK_BONUS = 0.05;

interface Candidate {
  text: string;
  /** Stems of the sentence, plus those of the sentence before when this one opens with "It", "They"… */
  terms: Set<string>;
  /** The sentence before, in the same passage, when this one cannot be read without it. */
  antecedent?: Candidate;
  passage: Passage;
  passageIndex: number;
  sentenceIndex: number;
}

const OPENS_WITH_REFERENCE = /^(?:it|its|they|their|them|this|these|those|he|she|his|her|such)\b/i;

/**
 * A passage whose sentences mostly ask (a text's questions for discussion, "What do you think …? Should …?")
 * says nothing a learner can be told; it shares a question's words all the same.
 */
function mostlyAsks(passageSentences: string[]): boolean {
  const prose = passageSentences.filter(isProse);
  return prose.length > 0 && prose.filter(asksQuestion).length * 2 >= prose.length;
}

function candidatesOf(passages: Passage[]): Candidate[] {
  const out: Candidate[] = [];
  passages.forEach((passage, passageIndex) => {
    const passageSentences = sentences(passage.text);
    if (mostlyAsks(passageSentences)) return;
    let previous: Candidate | undefined;
    passageSentences.forEach((text, sentenceIndex) => {
      if (!isProse(text)) {
        previous = undefined;
        return;
      }
      const own = words(text).map(stem);
      const antecedent = OPENS_WITH_REFERENCE.test(text) ? previous : undefined;
      const candidate: Candidate = {
        text,
        terms: new Set(antecedent ? [...own, ...antecedent.terms] : own),
        ...(antecedent ? { antecedent } : {}),
        passage,
        passageIndex,
        sentenceIndex,
      };
      out.push(candidate);
      previous = candidate;
    });
  });
  return out;
}

/**
 * Inverse document frequency over the retrieved sentences. A term no retrieved sentence contains
 * weighs more than any other: the documents never use the word the question hinges on, which is
 * the strongest sign they do not answer it.
 */
function termWeights(questionTerms: string[], candidates: Candidate[]): Map<string, number> {
  const n = candidates.length;
  const weights = new Map<string, number>();
  for (const term of questionTerms) {
    const df = candidates.filter((c) => c.terms.has(term)).length;
    weights.set(term, df === 0 ? 1.5 * Math.log(1 + n) : Math.log(1 + n / df));
  }
  return weights;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  return shared / (a.size + b.size - shared || 1);
}

function comparePosition(a: Candidate, b: Candidate, documentOrder: Map<number, number>): number {
  return (
    documentOrder.get(a.passage.documentId)! - documentOrder.get(b.passage.documentId)! ||
    (a.passage.page ?? Number.MAX_SAFE_INTEGER) - (b.passage.page ?? Number.MAX_SAFE_INTEGER) ||
    comparePassageIds(a.passage.passageId, b.passage.passageId) ||
    a.sentenceIndex - b.sentenceIndex
  );
}

function comparePassageIds(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The extractive tutor: states the 1–3 retrieved sentences best supported by the question's
 * words, in reading order (document, page, position), and cites the passages they came from.
 * Finds nothing rather than stating a sentence that shares too little with the question.
 */
export function composeAnswer(input: {
  question: string;
  searchWords: string[];
  passages: Passage[];
  /** The embedding model the passages' similarities come from. */
  model?: string | undefined;
}): Composition {
  const questionTerms = [...new Set(input.searchWords.map(stem))];
  const candidates = candidatesOf(input.passages);
  if (questionTerms.length === 0 || candidates.length === 0) return { found: false, relevance: 0 };

  const weights = termWeights(questionTerms, candidates);
  const total = [...weights.values()].reduce((sum, w) => sum + w, 0);
  const cues = CUES.filter((c) => c.question.test(input.question)).map((c) => c.sentence);

  const scale = (input.model && MEANING_SCALES[input.model]) || UNKNOWN_SCALE;
  const similarities = input.passages.map((p) => p.similarity ?? null).filter((s): s is number => s !== null);
  const topSimilarity = similarities.length ? Math.max(...similarities) : null;
  const nearness = (p: Passage): number =>
    topSimilarity === null || p.similarity === null || p.similarity === undefined
      ? 0
      : Math.max(0, 1 - (topSimilarity - p.similarity) / scale.span);

  const scored = candidates.map((candidate) => {
    let matched = 0;
    for (const term of questionTerms) if (candidate.terms.has(term)) matched += weights.get(term)!;
    const relevance = matched / total;
    const cueBonus = cues.some((cue) => cue.test(candidate.text)) ? CUE_BONUS : 0;
    const score = relevance + cueBonus + RANK_BONUS / (1 + candidate.passageIndex) + MEANING_WEIGHT * nearness(candidate.passage);
    return { candidate, relevance, score };
  });
  scored.sort((a, b) => b.score - a.score || a.candidate.passageIndex - b.candidate.passageIndex || a.candidate.sentenceIndex - b.candidate.sentenceIndex);

  const best = scored[0]!;
  const bar =
    topSimilarity === null
      ? MIN_RELEVANCE
      : topSimilarity >= scale.alone
        ? 0
        : topSimilarity >= scale.near
          ? scale.nearRelevance
          : WORDS_ALONE_WITH_MEANING;
  if (best.relevance < bar || best.relevance === 0 && topSimilarity === null) {
    return { found: false, relevance: best.relevance, similarity: topSimilarity };
  }

  // The answer quotes the passage that holds the best sentence, whole: the sentences around it
  // carry what the question asks as often as the sentence itself. Another passage's sentence joins
  // only when it is at least as well supported and says something else.
  const chosen: Candidate[] = candidates.filter((c) => c.passage === best.candidate.passage);
  for (const next of scored.slice(1)) {
    if (chosen.length >= MAX_SENTENCES + chosen.filter((c) => c.passage === best.candidate.passage).length) break;
    if (next.candidate.passage === best.candidate.passage || next.relevance < Math.max(bar, best.relevance)) continue;
    if (next.score < best.score * FOLLOWER_SHARE) continue;
    if (chosen.some((c) => jaccard(c.terms, next.candidate.terms) >= NEAR_DUPLICATE)) continue;
    if (next.candidate.antecedent && !chosen.includes(next.candidate.antecedent)) chosen.push(next.candidate.antecedent);
    chosen.push(next.candidate);
    break;
  }
  const relevanceOf = new Map(scored.map((s) => [s.candidate, s.relevance]));

  const documentOrder = new Map<number, number>();
  input.passages.forEach((p) => {
    if (!documentOrder.has(p.documentId)) documentOrder.set(p.documentId, documentOrder.size);
  });
  chosen.sort((a, b) => comparePosition(a, b, documentOrder));

  // A citation's snippet shows the sentence that answers, not the start of its passage.
  const answering = new Set([best.candidate, ...chosen.filter((c) => c.passage !== best.candidate.passage)]);
  if (best.candidate.antecedent) answering.add(best.candidate.antecedent);
  const byPassage = new Map<Passage, string[]>();
  for (const candidate of chosen) {
    if (!byPassage.has(candidate.passage)) byPassage.set(candidate.passage, []);
    if (answering.has(candidate)) byPassage.get(candidate.passage)!.push(candidate.text);
  }
  const citations: CitedPassage[] = [...byPassage].map(([passage, texts]) => ({
    documentId: passage.documentId,
    title: passage.title,
    page: passage.page,
    snippet: truncate(texts.join(' '), SNIPPET_CHARS),
  }));

  return {
    found: true,
    content: chosen.map((c) => c.text).join(' '),
    sentences: chosen.map((c) => ({ text: c.text, passage: c.passage, relevance: relevanceOf.get(c) ?? 0 })),
    citations,
    relevance: best.relevance,
  };
}
