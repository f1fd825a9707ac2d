import { createItemChecker } from './item-check.js';
import {
  TRUE_FALSE_OPTIONS,
  type Difficulty,
  type GeneratedQuestion,
  type QuestionOption,
  type QuestionType,
} from './question.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';
import { indexTerms, termId, type Term, type TermIndex, type TermKind } from './terms.js';
import {
  containsTerm,
  normalizeSpace,
  sentenceCentrality,
  splitSentences,
  termPattern,
  wordsOf,
  type DocumentPage,
  type Sentence,
} from './text-analysis.js';

export interface GenerateOptions {
  numQuestions: number;
  difficulty: Difficulty;
  questionTypes: readonly QuestionType[];
  seed: number;
}

export interface GenerationResult {
  questions: GeneratedQuestion[];
  requested: number;
  generated: number;
  warnings: string[];
}

const BLANK = '_____';
const OPTION_IDS = ['a', 'b', 'c', 'd'];
const CONTEXT_OPENERS = /^(?:it|its|this|these|those|they|their|he|she|his|her|we|such|there|here|that|which|both|another|other|also|and|but|or|so|then)\b/i;
const RELATION = /\b(?:because|causes?|caused|leads? to|led to|results? in|resulted in|than|after|before|during|while|between|increases?|decreases?|depends? on|therefore|due to|compared)\b/i;
const DEFINITIONAL = /^(?:(?:The|A|An)\s+)?[\p{L}][\p{L}'’ -]{1,60}?\s+(?:is|are|was|were|refers to|means|is defined as)\s+(?:a|an|the|one of the|any|when)\b|\b(?:is|are) (?:called|known as|termed)\b/u;
const NAMED_KINDS: TermKind[] = ['person', 'place', 'organization', 'name'];

const KIND_LABEL: Record<TermKind, string> = {
  concept: 'term',
  acronym: 'term',
  person: 'person',
  place: 'place',
  organization: 'organization',
  name: 'name',
  year: 'year',
  number: 'number',
};

interface Candidate {
  sentence: Sentence;
  centrality: number;
  definitional: boolean;
  detail: boolean;
  score: number;
}

function isUsableSentence(s: Sentence): boolean {
  const count = s.words.length;
  return count >= 6 && count <= 45 && /[.!]["')\]]?$/.test(s.text) && !CONTEXT_OPENERS.test(s.text) && !s.text.includes(BLANK);
}

function blankOut(text: string, term: string): string {
  return text.replace(termPattern(term), BLANK);
}

/** The term as the sentence writes it (a concept in lower case, even at the start of a sentence). */
function surfaceForm(sentence: string, term: Term): string {
  const match = termPattern(term.text, 'i').exec(sentence);
  const surface = (match ? match[0] : term.text).replace(/[’']s$/, '');
  if (term.kind !== 'concept') return surface;
  // Keep the capitals the term itself has ("Calvin cycle"), drop the one a sentence start gave it.
  const words = surface.split(/\s+/);
  const canonical = term.text.split(/\s+/);
  return words.map((w, i) => (canonical[i] && canonical[i] === canonical[i]!.toLowerCase() ? w.toLowerCase() : w)).join(' ');
}

function occurrences(text: string, term: string): number {
  return text.match(termPattern(term))?.length ?? 0;
}

const contentWordCache = new Map<string, Set<string>>();

function contentWords(text: string): Set<string> {
  const cached = contentWordCache.get(text);
  if (cached) return cached;
  if (contentWordCache.size > 20_000) contentWordCache.clear();
  const words = computeContentWords(text);
  contentWordCache.set(text, words);
  return words;
}

function computeContentWords(text: string): Set<string> {
  return new Set(
    wordsOf(text.toLowerCase())
      .map((w) => termId(w))
      .filter((w) => w.length > 2),
  );
}

function overlaps(a: string, b: string): boolean {
  const aw = contentWords(a);
  for (const w of contentWords(b)) if (aw.has(w)) return true;
  return false;
}

function isPlural(text: string): boolean {
  return /[^s]s$/i.test(text.split(' ').pop() ?? '');
}

function formatLike(original: string, value: number): string {
  const decimals = /\.(\d+)/.exec(original)?.[1]?.length ?? 0;
  const body = original.includes(',')
    ? value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
    : value.toFixed(decimals);
  return original.endsWith('%') ? `${body}%` : body;
}

function parseNumber(text: string): number {
  return Number.parseFloat(text.replace(/[,%]/g, ''));
}

/** Nearby but different values for a year or number the document does not offer enough of. */
function syntheticValues(key: string, kind: 'year' | 'number', count: number, difficulty: Difficulty, rng: SeededRandom): string[] {
  const value = parseNumber(key);
  const values = new Set<string>();
  for (let attempt = 0; values.size < count && attempt < 50; attempt++) {
    let next: number;
    if (kind === 'year') {
      const spread = difficulty === 'hard' ? rng.int(1, 12) : rng.int(5, 40);
      next = value + (rng.next() < 0.5 ? -spread : spread);
      if (next > new Date().getUTCFullYear()) next = value - spread;
    } else {
      const factor = difficulty === 'hard' ? 1 + rng.int(10, 40) / 100 : [0.5, 2, 3, 1.5][rng.int(0, 3)]!;
      next = rng.next() < 0.5 ? value * factor : value / factor;
      if (Number.isInteger(value)) next = Math.max(1, Math.round(next));
      if (key.endsWith('%')) next = Math.min(99, next);
    }
    const text = kind === 'year' ? String(Math.round(next)) : formatLike(key, next);
    if (text !== key && parseNumber(text) !== value) values.add(text);
  }
  return [...values];
}

export function createQuestionGenerator(pages: readonly DocumentPage[]) {
  const sentences = splitSentences(pages);
  const centrality = sentenceCentrality(sentences);
  const terms: TermIndex = indexTerms(sentences);
  const checker = createItemChecker(pages);
  const documentText = normalizeSpace(sentences.map((s) => s.text).join(' ')).toLowerCase();

  const usable = sentences.filter(isUsableSentence);
  const ranked = [...usable].sort((a, b) => centrality[a.index]! - centrality[b.index]!);
  const percentile = new Map<number, number>();
  ranked.forEach((s, i) => percentile.set(s.index, ranked.length > 1 ? i / (ranked.length - 1) : 1));

  const keyCandidates = (s: Sentence): Term[] => {
    const present = terms.inSentence(s.index).filter((t) => occurrences(s.text, t.text) === 1);
    return present.filter((t) => {
      // A part of a longer term ("Calvin" in "Melvin Calvin") is never asked on its own.
      const covered = present.some(
        (longer) => longer !== t && longer.text.length > t.text.length && !containsTerm(blankOut(s.text, longer.text), t.text),
      );
      // What remains after blanking must still say something.
      return !covered && wordsOf(blankOut(s.text, t.text)).length >= 5;
    });
  };

  const orderKeys = (s: Sentence, candidates: Term[], difficulty: Difficulty, rng: SeededRandom): Term[] => {
    const definedHere = (t: Term): boolean => t.defined && DEFINITIONAL.test(s.text) && s.text.toLowerCase().indexOf(t.text.toLowerCase()) < 40;
    const score = (t: Term): number => {
      const mentions = t.sentences.length;
      const numeric = t.kind === 'year' || t.kind === 'number';
      if (difficulty === 'easy') return (definedHere(t) ? 100 : 0) + (numeric ? -20 : 0) + mentions * 2 + (t.kind === 'concept' ? 5 : 0);
      if (difficulty === 'hard') return (numeric ? 50 : 0) + (t.kind === 'concept' ? 0 : 10) - mentions * 2;
      return rng.next() * 10 + Math.min(mentions, 5);
    };
    return [...candidates].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
  };

  const distractorsFor = (
    key: Term,
    keySurface: string,
    sentence: Sentence,
    count: number,
    difficulty: Difficulty,
    rng: SeededRandom,
  ): string[] => {
    const kinds: TermKind[] = NAMED_KINDS.includes(key.kind) && key.kind !== 'name' ? [key.kind, 'name'] : [key.kind];
    const keyWords = keySurface.split(' ').length;
    const keyPage = sentence.page;
    const pool = kinds
      .flatMap((kind, rank) => terms.ofKind(kind).map((t) => ({ t, rank })))
      .filter(({ t }) => t.id !== key.id && !overlaps(t.text, keySurface) && !containsTerm(sentence.text, t.text))
      .filter(({ t }) => key.kind !== 'concept' || Math.abs(t.text.split(' ').length - keyWords) <= 1)
      .map(({ t, rank }) => {
        let score = -rank * 3 - Math.abs(t.text.split(' ').length - keyWords);
        if (isPlural(t.text) === isPlural(keySurface)) score += key.kind === 'concept' ? 3 : 1;
        if (difficulty === 'easy') score += Math.log(1 + t.sentences.length);
        if (difficulty === 'hard' && t.sentences.some((i) => sentences[i]?.page === keyPage)) score += 1;
        if (key.kind === 'number') {
          const ratio = parseNumber(t.text) / parseNumber(keySurface);
          if (!(ratio > 0.1 && ratio < 10)) score -= 20;
        }
        if (key.kind === 'year' || key.kind === 'number') {
          const distance = Math.abs(parseNumber(t.text) - parseNumber(keySurface));
          score -= difficulty === 'hard' ? Math.log(1 + distance) : 0;
          if (key.text.endsWith('%') !== t.text.endsWith('%')) score -= 5;
        }
        return { t, score: score + rng.next() * 0.75 };
      })
      .sort((a, b) => b.score - a.score);
    const chosen: string[] = [];
    const seen = new Set([termId(keySurface)]);
    for (const { t, score } of pool) {
      if (chosen.length >= count || score < -15) break;
      if (!terms.isNounPhrase(t)) continue;
      const id = termId(t.text);
      if (seen.has(id) || [...seen].some((s) => overlaps(s, t.text))) continue;
      seen.add(id);
      chosen.push(t.text);
    }
    if (chosen.length < count && (key.kind === 'year' || key.kind === 'number')) {
      for (const value of syntheticValues(keySurface, key.kind, count * 2, difficulty, rng)) {
        if (chosen.length >= count) break;
        if (!seen.has(value) && !containsTerm(sentence.text, value)) {
          seen.add(value);
          chosen.push(value);
        }
      }
    }
    return chosen;
  };

  const explain = (sentence: Sentence, extra = ''): string =>
    `The document says on page ${sentence.page}: "${sentence.text}"${extra ? ` ${extra}` : ''}`;

  const multipleChoice = (s: Sentence, key: Term, difficulty: Difficulty, rng: SeededRandom): GeneratedQuestion | null => {
    const surface = surfaceForm(s.text, key);
    const distractors = distractorsFor(key, surface, s, 3, difficulty, rng);
    if (distractors.length < 3) return null;
    const texts = rng.shuffle([surface, ...distractors]);
    const options: QuestionOption[] = texts.map((text, i) => ({ id: OPTION_IDS[i]!, text }));
    return {
      type: 'multiple_choice',
      text: `Which ${KIND_LABEL[key.kind]} completes this statement? "${blankOut(s.text, key.text)}"`,
      options,
      correctAnswer: surface,
      explanation: explain(s),
      source: { page: s.page, sentence: s.text },
      points: 1,
    };
  };

  const shortAnswer = (s: Sentence, key: Term): GeneratedQuestion | null => {
    const surface = surfaceForm(s.text, key);
    const words = surface.split(' ').length;
    const hint = words > 1 ? ` (${words} words)` : '';
    return {
      type: 'short_answer',
      text: `Fill in the blank${hint}: "${blankOut(s.text, key.text)}"`,
      options: null,
      correctAnswer: surface,
      explanation: explain(s),
      source: { page: s.page, sentence: s.text },
      points: 1,
    };
  };

  const negate = (text: string): string | null => {
    if (/\bnot\s/i.test(text)) return text.replace(/\bnot\s+/i, '');
    if (/\bcannot\b/i.test(text)) return text.replace(/\bcannot\b/i, 'can');
    const aux = /\b(is|are|was|were|can|will|could|should|has been|have been)\s+(?!not\b)/i.exec(text);
    if (!aux || aux.index < 3) return null;
    const [word] = aux[1]!.split(' ');
    return `${text.slice(0, aux.index)}${word} not ${text.slice(aux.index + word!.length + 1)}`;
  };

  const falsify = (
    s: Sentence,
    key: Term,
    difficulty: Difficulty,
    rng: SeededRandom,
  ): { statement: string; note: string } | null => {
    const surface = surfaceForm(s.text, key);
    const candidates = distractorsFor(key, surface, s, 3, difficulty, rng);
    // A swapped concept must still read as a sentence: same number, and best the defined subject.
    // "name" gathers titles, events and things alike: swapping one for another rarely reads as a sentence.
    const swappable = key.kind === 'concept' ? key.defined && DEFINITIONAL.test(s.text) : key.kind !== 'name';
    const replacement = !swappable
      ? undefined
      : key.kind === 'concept'
        ? candidates.find((c) => isPlural(c) === isPlural(surface))
        : candidates[0];
    const swapFirst = swappable;
    const attempts: { statement: string; note: string }[] = [];
    if (replacement) {
      const pattern = termPattern(key.text, 'i');
      const statement = s.text.replace(pattern, (found) =>
        /^\p{Lu}/u.test(found) && key.kind === 'concept' ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement,
      );
      attempts.push({ statement, note: `The statement puts "${replacement}" where the document has "${surface}".` });
    }
    const negated = negate(s.text);
    if (negated) {
      const negation = { statement: negated, note: 'The statement reverses what the document says.' };
      if (swapFirst) attempts.push(negation);
      else attempts.unshift(negation);
    }
    for (const attempt of attempts) {
      const normalized = normalizeSpace(attempt.statement).toLowerCase();
      if (normalized !== s.text.toLowerCase() && !documentText.includes(normalized)) return attempt;
    }
    return null;
  };

  /** A false statement when asked for and one can be made; the sentence itself otherwise (last resort only). */
  const trueFalse = (
    s: Sentence,
    key: Term,
    difficulty: Difficulty,
    rng: SeededRandom,
    want: 'false' | 'true' | 'false-or-null',
  ): GeneratedQuestion | null => {
    const altered = want === 'true' ? null : falsify(s, key, difficulty, rng);
    if (!altered && want === 'false-or-null') return null;
    const statement = altered?.statement ?? s.text;
    return {
      type: 'true_false',
      text: `True or false: ${statement}`,
      options: TRUE_FALSE_OPTIONS.map((o) => ({ ...o })),
      correctAnswer: altered ? 'false' : 'true',
      explanation: explain(s, altered?.note ?? ''),
      source: { page: s.page, sentence: s.text },
      points: 1,
    };
  };

  const rank = (difficulty: Difficulty, rng: SeededRandom): Candidate[] =>
    usable
      .map((sentence) => {
        const c = percentile.get(sentence.index) ?? 0;
        const definitional = DEFINITIONAL.test(sentence.text);
        const hasNumber = terms.inSentence(sentence.index).some((t) => t.kind === 'year' || t.kind === 'number');
        const detail = hasNumber || RELATION.test(sentence.text);
        let score: number;
        if (difficulty === 'easy') score = c + (definitional ? 0.6 : 0) - (hasNumber ? 0.3 : 0);
        else if (difficulty === 'hard') score = (1 - c) * 0.8 + (detail ? 0.6 : 0) - (definitional ? 0.4 : 0);
        else score = 1 - Math.abs(c - 0.55) * 1.5 + (detail ? 0.1 : 0);
        return { sentence, centrality: c, definitional, detail, score: score + rng.next() * 0.15 };
      })
      .sort((a, b) => b.score - a.score || a.sentence.index - b.sentence.index);

  return {
    sentences,
    terms,
    generate(options: GenerateOptions): GenerationResult {
      const rng = createSeededRandom(options.seed);
      const allowed = [...new Set(options.questionTypes)];
      const counts = new Map<QuestionType, number>(allowed.map((t) => [t, 0]));
      const usedKeys = new Set<string>();
      const usedStems = new Set<string>();
      const questions: GeneratedQuestion[] = [];
      const typeOrder = rng.shuffle(allowed);
      let trueCount = 0;
      let falseCount = 0;

      const ranked = rank(options.difficulty, rng);
      const usedSentences = new Set<number>();
      const answersOf = (q: GeneratedQuestion): string[] => (q.type === 'true_false' ? [] : [q.correctAnswer]);
      // One question's stem should not answer another's; only when the document is too short for
      // that does a second pass allow it.
      const givesAway = (q: GeneratedQuestion): boolean =>
        questions.some(
          (other) =>
            answersOf(other).some((a) => containsTerm(q.text, a)) || answersOf(q).some((a) => containsTerm(other.text, a)),
        );
      for (const strict of [true, false]) {
        for (const candidate of ranked) {
          if (questions.length >= options.numQuestions) break;
          const s = candidate.sentence;
          if (usedSentences.has(s.index)) continue;
          const keys: Term[] = [];
          // Tagging is the slow part: check only as many candidates as will be tried.
          for (const t of orderKeys(s, keyCandidates(s), options.difficulty, rng)) {
            if (keys.length >= 3) break;
            if (!usedKeys.has(t.id) && terms.isNounPhrase(t, s.index)) keys.push(t);
          }
          if (!keys.length) continue;
          const types = [...typeOrder].sort((a, b) => counts.get(a)! - counts.get(b)!);
          let made: { question: GeneratedQuestion; key: Term } | undefined;
          // Keep true and false statements about even, so always answering "true" does not pay.
          const wantFalse = falseCount < trueCount || (falseCount === trueCount && rng.next() < 0.5);
          for (const type of types) {
            for (const [k, key] of keys.entries()) {
              const lastKey = k === keys.length - 1;
              const question =
                type === 'multiple_choice'
                  ? multipleChoice(s, key, options.difficulty, rng)
                  : type === 'short_answer'
                    ? shortAnswer(s, key)
                    : trueFalse(s, key, options.difficulty, rng, !wantFalse ? 'true' : lastKey ? 'false' : 'false-or-null');
              if (!question) continue;
              const stem = normalizeSpace(question.text).toLowerCase();
              if (usedStems.has(stem) || (strict && givesAway(question)) || checker.checkItem(question).length > 0) continue;
              made = { question, key };
              break;
            }
            if (made) break;
          }
          if (!made) continue;
          questions.push(made.question);
          usedSentences.add(s.index);
          usedKeys.add(made.key.id);
          usedStems.add(normalizeSpace(made.question.text).toLowerCase());
          counts.set(made.question.type, (counts.get(made.question.type) ?? 0) + 1);
          if (made.question.type === 'true_false') {
            if (made.question.correctAnswer === 'false') falseCount += 1;
            else trueCount += 1;
          }
        }
      }

      const warnings: string[] = [];
      if (questions.length < options.numQuestions) {
        warnings.push(
          questions.length === 0
            ? 'The document does not hold enough distinct statements to ask about.'
            : `The document supports ${questions.length} good question${questions.length === 1 ? '' : 's'} of the kinds asked, not ${options.numQuestions}; no filler questions were added.`,
        );
      }
      return { questions, requested: options.numQuestions, generated: questions.length, warnings };
    },
  };
}

/** How much text one generation reads; about 150 pages of dense prose. */
export const MAX_ANALYZED_CHARACTERS = 400_000;

/** The length of each stretch read from a page longer than its share of the budget. */
const EXCERPT_CHARACTERS = 20_000;

/**
 * Stretches of whole sentences spread evenly over `text`, about `budget` characters in all: a
 * text file without page breaks is one page, and reading ten megabytes of it would take minutes.
 */
function spreadExcerpt(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const length = Math.min(EXCERPT_CHARACTERS, budget);
  const count = Math.max(1, Math.floor(budget / length));
  // The first stretch opens the text and the last one closes it.
  const stride = count > 1 ? (text.length - length) / (count - 1) : 0;
  const stretches: string[] = [];
  for (let k = 0; k < count; k++) {
    const from = Math.floor(k * stride);
    const window = text.slice(from, from + length);
    // Cut at sentence ends, so no question is built on half a sentence.
    const ends = [...window.matchAll(/[.!?](?=\s)/g)].map((m) => m.index + 1);
    const start = k === 0 ? 0 : ends[0];
    const end = ends.at(-1);
    if (start !== undefined && end !== undefined && end > start) stretches.push(window.slice(start, end).trim());
  }
  // Text with no sentence ends at all: its opening stretch is all there is to read.
  return stretches.length ? stretches.join('\n\n') : text.slice(0, budget);
}

/**
 * Pages spread evenly over a document too long to read whole within the time a request may take,
 * so a long book still gets questions from its beginning, middle and end; a page longer than its
 * share is read as stretches spread over it.
 */
export function pagesToAnalyze(pages: readonly DocumentPage[], maxCharacters = MAX_ANALYZED_CHARACTERS): DocumentPage[] {
  const total = pages.reduce((n, p) => n + p.text.length, 0);
  if (total <= maxCharacters) return [...pages];
  const chosen: DocumentPage[] = [];
  let used = 0;
  const step = total / maxCharacters;
  for (let i = 0; i < pages.length && used < maxCharacters; i += step) {
    const page = pages[Math.floor(i)]!;
    if (chosen.at(-1) === page) continue;
    chosen.push(page);
    used += page.text.length;
  }
  const share = Math.floor(maxCharacters / chosen.length);
  return chosen.map((page) => (page.text.length <= share ? page : { ...page, text: spreadExcerpt(page.text, share) }));
}

/** Generates a quiz from a document's pages; deterministic for a given seed. */
export function generateQuestions(pages: readonly DocumentPage[], options: GenerateOptions): GenerationResult {
  const analyzed = pagesToAnalyze(pages);
  const result = createQuestionGenerator(analyzed).generate(options);
  if (analyzed.length < pages.length) {
    result.warnings.push(`The document is long: questions were drawn from ${analyzed.length} of its ${pages.length} pages, spread across it.`);
  }
  return result;
}
