import { documentFromPassages, isPlural, mentionsTerm, segmentDocument, spread, type KeyTerm, type Passage, type SegmentedDocument } from '@learner/text';
import { blankOut, closeness, conceptCandidates, documentConcepts, inNumber, namesAlike, namesPeople, nested, normalizeSpace, swapTerm, wordsWritten, type Concept } from './concepts.js';
import { createItemChecker } from './item-check.js';
import { narrativeQuestions, narrativeTopics, topicTerms, type NarrativeQuestion } from './narrative.js';
import {
  TRUE_FALSE_OPTIONS,
  type Difficulty,
  type DocumentPage,
  type GeneratedQuestion,
  type QuestionOption,
  type QuestionType,
} from './question.js';
import { createSeededRandom, type SeededRandom } from './seeded-random.js';

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

const OPTION_IDS = ['a', 'b', 'c', 'd'];

/** The key-term score below which a term the document explains but does not define is asked about last. */
const MIN_EXPLAINED_SCORE = 6;

/**
 * What the document service measured of a document's candidate terms, by term key: how closely a
 * passage answers each (`relatedness`), and how alike in meaning each two are (`likeness`, cosine
 * similarities, a row for each of `keys`).
 */
export interface TermMeasures {
  relatedness: ReadonlyMap<string, number>;
  likeness?: { keys: readonly string[]; values: readonly (readonly number[])[] };
}

/**
 * How much nearness in meaning weighs when choosing the other options of a multiple-choice question,
 * per standard deviation of the candidates' likeness to the key: beside a shared head noun (3) and a
 * shared section (2), it sets "ethnocentrism" beside "cultural relativism" and "field research"
 * beside "participant observation" where the section's other nouns ("urbanization") stood. The term a
 * false statement swaps in is chosen the same way: "Mores are behaviors that reflect compliance …" for
 * "norms", where the nearest of the same head and section alone gave "Reification encompasses a
 * group's way of life" for "culture". On a development set of textbook sections, the swaps whose
 * two terms sit far apart in meaning (cosine under 0.6) fell from 55% to 28% of false statements,
 * and the share of questions on a glossary term stayed the same over three seeds.
 */
const LIKENESS_WEIGHT = 1.5;

/** How many sibling terms a false statement tries in turn, when the closest is already another question's answer. */
const FALSE_SWAPS_TRIED = 3;

/**
 * How much a sibling the document defines is preferred, as the term swapped into a false statement
 * and as another option of a multiple choice that asks for a term: "Nuclear family is when two
 * people live together …" asks the learner to tell two of the document's concepts apart, where
 * "Census is when …" is false at a glance; "deviance" offered beside "social control" and "informal
 * sanctions" asks which concept, where words the text only uses ("hearse") beside it do not. On a
 * development set of textbook sections, a key term's other options were key terms too 64% of the
 * time with it, 59% without.
 */
const DEFINED_SIBLING_BONUS = 3;

/**
 * A text that defines fewer terms than this, and so gives next to no quiz on them (under a quarter
 * of the questions asked for: a transcribed lecture, a story), is asked about what it says instead,
 * for the questions still missing. A textbook section that only explains its terms still gets its
 * questions on those terms alone.
 */
const FEW_DEFINED = 2;
const FEW_QUESTIONS = 0.25;

/**
 * A text that defines at least this many terms in some form teaches terms (a textbook section); one
 * that defines fewer (a transcribed lecture, a story) is about the terms it keeps using.
 */
const TEACHES_TERMS = 4;

/** How many questions one concept carries at most, each of another kind. */
const MAX_PER_CONCEPT = 3;

/**
 * How much less sure a concept's next question must be than a first question on another concept
 * (on the scale of `teaching`): a central concept is asked about again before a term the document
 * may only use. On a development set of textbook sections this kept as many concepts in a quiz as
 * asking the defined terms in turn did.
 */
const NEXT_QUESTION_COST = 0.5;

/**
 * How much less a concept counts when every question so far quotes its page and the page has few of
 * the concepts (in proportion): a quiz on a document of several pages asks about each of them, not
 * only about the first.
 */
const PAGE_SHARE_COST = 0.6;

/** How much a concept's rank among the key terms counts: central terms first when easy, the less central when hard. */
const CENTRALITY: Record<Difficulty, number> = { easy: 1.5, medium: 0.45, hard: -0.5 };

/** How far chance moves a concept's place, so each new quiz on a document asks about some others. */
const CHOICE_NOISE = 0.3;

/**
 * The kinds of question a concept can carry; one concept never carries two of one kind. A true
 * statement (the concept's sentence as it stands) and a false one (another of its sentences with a
 * sibling term put in its place) are two kinds: each asks something the other does not.
 */
type Kind = 'term_choice' | 'definition_choice' | 'true_statement' | 'false_statement' | 'short_answer';

interface Made {
  question: GeneratedQuestion;
  concept: Concept;
  kind: Kind;
  /** The question's answer is the term itself (a cloze or a short answer), so no other stem may name it. */
  answersTerm: boolean;
  /** The question's answer is what the term means (term → definition), so no other stem may say it. */
  answersDefinition: string | null;
  /** The sentence its stem quotes: a sentence is quoted once in a quiz, or one question would answer another. */
  quotes: string | null;
  /** The key of the term a false statement puts where the document has the concept. */
  swappedIn?: string;
}

const explain = (concept: Concept, extra = ''): string =>
  `The document says on page ${concept.source.page}: "${concept.source.text}"${extra ? ` ${extra}` : ''}`;

const sourceOf = (concept: Concept) => ({ page: concept.source.page, sentence: concept.source.text });

/** A term as an option: the document's spelling, in the key's number where the document has both. */
const optionText = (term: KeyTerm): string => term.term;

/** The text of each page as its passages hold it: what the item check reads when no page text is at hand. */
export function pagesOfPassages(passages: readonly Passage[]): DocumentPage[] {
  const pages = new Map<number, string[]>();
  for (const p of [...passages].sort((a, b) => a.position - b.position)) pages.set(p.page, [...(pages.get(p.page) ?? []), p.text]);
  return [...pages].map(([page, texts]) => ({ page, text: texts.join(' ') }));
}

/** Questions on a segmented document; the item check reads `pages`, by default the text of its passages. */
export function createQuestionGenerator(
  doc: SegmentedDocument,
  pages: readonly DocumentPage[] = pagesOfPassages(doc.passages),
  measures?: TermMeasures,
) {
  const relatedness = measures?.relatedness;
  const { terms, concepts, explained, placements } = documentConcepts(doc, relatedness);
  // What the document writes, read once and only when an option's number is to be matched.
  let wordsOfDocument: string | undefined;
  const written = (): string => (wordsOfDocument ??= wordsWritten(doc.sentences.map((s) => s.text).join(' ')));
  const likenessRow = new Map<string, readonly number[]>();
  const likenessColumn = new Map<string, number>();
  measures?.likeness?.keys.forEach((key, i) => {
    likenessRow.set(key, measures.likeness!.values[i]!);
    likenessColumn.set(key, i);
  });
  /**
   * How much nearer in meaning to the concept each candidate is than the candidates are on average,
   * in standard deviations; 0 for all when not measured.
   */
  const likenessTo = (concept: Concept, candidates: readonly KeyTerm[]): number[] => {
    const row = likenessRow.get(concept.term.key);
    const values = candidates.map((t) => {
      const column = likenessColumn.get(t.key);
      return row && column !== undefined ? row[column] : undefined;
    });
    const known = values.filter((v): v is number => v !== undefined);
    if (known.length < 2) return candidates.map(() => 0);
    const { mean, sd } = spread(known);
    return values.map((v) => (v === undefined ? 0 : (v - mean) / sd));
  };
  const checker = createItemChecker(pages, { keyTerms: terms });
  // Each term's plain definition, for term → definition questions and their distractors.
  const definitions = new Map<string, string>();
  for (const c of concepts) if (c.definition) definitions.set(c.term.key, c.definition);

  /**
   * Other key terms of the document that could stand where this one does, best first: siblings
   * (the same head noun, the same section, the same number; with `byMeaning`, nearest in meaning
   * where measured) for hard questions, plainer ones for easy; `definedBonus` more for a term the
   * document defines.
   */
  const siblings = (
    concept: Concept,
    difficulty: Difficulty,
    rng: SeededRandom,
    { accept = () => true, definedBonus = 0, byMeaning = false }: { accept?: (t: KeyTerm) => boolean; definedBonus?: number; byMeaning?: boolean } = {},
  ): KeyTerm[] => {
    const weight = difficulty === 'easy' ? 0.4 : difficulty === 'hard' ? 1.5 : 1;
    const candidates = terms
      .slice(0, concept.main * 2)
      .filter((t) => t.kind === concept.term.kind && !namesAlike(t.key, concept.term.key) && !mentionsTerm(concept.sentence.text, t.key) && accept(t));
    const likeness = byMeaning ? likenessTo(concept, candidates) : candidates.map(() => 0);
    return candidates
      .map((t, i) => ({
        t,
        score:
          (closeness(concept, t) + LIKENESS_WEIGHT * likeness[i]!) * weight + Math.min(t.score, 12) * 0.15 + (t.defined ? definedBonus : 0) + rng.next() * 1.5,
      }))
      .sort((a, b) => b.score - a.score)
      .map(({ t }) => t);
  };

  const distinctTerms = (candidates: KeyTerm[], count: number, taken: string[]): KeyTerm[] => {
    const chosen: KeyTerm[] = [];
    for (const t of candidates) {
      if (chosen.length >= count) break;
      if (taken.some((k) => namesAlike(k, t.key)) || chosen.some((c) => namesAlike(c.key, t.key))) continue;
      chosen.push(t);
    }
    return chosen;
  };

  /** Definition → term: the defining sentence with the term blanked, the term among its siblings. */
  const termChoice = (concept: Concept, difficulty: Difficulty, rng: SeededRandom): Made | null => {
    if (concept.partOfLonger) return null;
    // People beside people, things beside things: "symbolic interactionist" among three theories gives itself away.
    const people = namesPeople(concept.term.term);
    const distractors = distinctTerms(
      siblings(concept, difficulty, rng, { byMeaning: true, definedBonus: DEFINED_SIBLING_BONUS, accept: (t) => namesPeople(t.term) === people }),
      3,
      [concept.term.key],
    );
    if (distractors.length < 3) return null;
    const texts = rng.shuffle([concept.surface, ...distractors.map((t) => inNumber(optionText(t), concept.plural, written()))]);
    const options: QuestionOption[] = texts.map((text, i) => ({ id: OPTION_IDS[i]!, text }));
    const what = concept.definition ? 'definition' : 'statement';
    return {
      question: {
        type: 'multiple_choice',
        text: `Which term completes this ${what}? "${blankOut(concept.sentence.text, concept.spans)}"`,
        options,
        correctAnswer: concept.surface,
        explanation: explain(concept),
        source: sourceOf(concept),
        points: 1,
      },
      concept,
      kind: 'term_choice',
      answersTerm: true,
      answersDefinition: null,
      quotes: concept.sentence.text,
    };
  };

  /** Term → definition: what the document says the term is, among what it says three other terms are. */
  const definitionChoice = (concept: Concept, difficulty: Difficulty, rng: SeededRandom): Made | null => {
    if (!concept.definition) return null;
    const own = concept.definition;
    const others = siblings(concept, difficulty, rng, {
      byMeaning: true,
      accept: (t) => {
        const d = definitions.get(t.key);
        return d !== undefined && d !== own && !mentionsTerm(d, concept.term.key);
      },
    });
    const chosen = distinctTerms(others, 3, [concept.term.key]).map((t) => definitions.get(t.key)!);
    if (chosen.length < 3) return null;
    const texts = rng.shuffle([own, ...chosen]);
    return {
      question: {
        type: 'multiple_choice',
        text: `What does "${concept.surface}" mean?`,
        options: texts.map((text, i) => ({ id: OPTION_IDS[i]!, text })),
        correctAnswer: own,
        explanation: explain(concept),
        source: sourceOf(concept),
        points: 1,
      },
      concept,
      kind: 'definition_choice',
      answersTerm: false,
      answersDefinition: own,
      // A cloze on the defining sentence, even with another word blanked, would say the answer.
      quotes: concept.sentence.text,
    };
  };

  const shortAnswer = (concept: Concept): Made | null => {
    if (concept.partOfLonger) return null;
    const words = concept.surface.split(' ').length;
    const hint = words > 1 ? ` (${words} words)` : '';
    return {
      question: {
        type: 'short_answer',
        text: `Fill in the blank${hint}: "${blankOut(concept.sentence.text, concept.spans)}"`,
        options: null,
        correctAnswer: concept.surface,
        explanation: explain(concept),
        source: sourceOf(concept),
        points: 1,
      },
      concept,
      kind: 'short_answer',
      answersTerm: true,
      answersDefinition: null,
      quotes: concept.sentence.text,
    };
  };

  /** The sentence as it stands (true), or with the term swapped for a sibling term (false); never a "not" put in. */
  const trueFalse = (concept: Concept, wantFalse: boolean, difficulty: Difficulty, rng: SeededRandom, nth = 0): Made | null => {
    let statement = concept.sentence.text;
    let note = '';
    let swappedIn: string | undefined;
    if (wantFalse) {
      if (concept.partOfLonger) return null;
      // The nth best sibling: a caller tries the next when a better one is taken (another question's answer).
      const swap = distinctTerms(siblings(concept, difficulty, rng, { accept: (t) => isPlural(t.term) === concept.plural && namesPeople(t.term) === namesPeople(concept.term.term), definedBonus: DEFINED_SIBLING_BONUS, byMeaning: true }), nth + 1, [concept.term.key])[nth];
      if (!swap) return null;
      statement = swapTerm(concept.sentence.text, concept.spans, optionText(swap));
      swappedIn = swap.key;
      note = `The statement puts "${optionText(swap)}" where the document has "${concept.surface}".`;
    }
    return {
      question: {
        type: 'true_false',
        text: `True or false: ${statement}`,
        options: TRUE_FALSE_OPTIONS.map((o) => ({ ...o })),
        correctAnswer: wantFalse ? 'false' : 'true',
        explanation: explain(concept, note),
        source: sourceOf(concept),
        points: 1,
      },
      concept,
      kind: wantFalse ? 'false_statement' : 'true_statement',
      answersTerm: false,
      answersDefinition: null,
      quotes: concept.sentence.text,
      ...(swappedIn ? { swappedIn } : {}),
    };
  };

  // The main terms the text does not define plainly, and the other key terms it explains. Of the
  // terms the text only explains, those it clearly dwells on come first; below this score a term is
  // as often an example's word ("town", "decades") as a concept, so those come last of all.
  const others = [...concepts.filter((c) => !c.definition), ...explained.filter((c) => c.term.score >= MIN_EXPLAINED_SCORE)];
  const lesser = explained.filter((c) => c.term.score < MIN_EXPLAINED_SCORE);

  // How surely a concept is one the document teaches, from what the text shows of it: a sentence that
  // says plainly what it is, one in the form of a definition, its key-term score, its rank among the
  // key terms and how closely a passage explains it. The weights are a logistic fit of "the term is in
  // the book's glossary" over the concepts of a development set of textbook sections, rounded.
  const measured = relatedness ? [...relatedness.values()].sort((x, y) => x - y) : [];
  const typical = measured.length ? measured[Math.floor(measured.length / 2)]! : 0;
  const teaching = (c: Concept, difficulty: Difficulty): number =>
    (c.definition ? 0.7 : 0) +
    (c.term.defined ? 0.9 : 0) +
    1.1 * Math.log(Math.max(c.term.score, 1)) -
    CENTRALITY[difficulty] * Math.min(c.rank / c.main, 2) +
    2.2 * (relatedness?.get(c.term.key) ?? typical);

  /**
   * The questions a quiz on the defined terms is short of, on what the text says of the nouns it
   * keeps coming back to; none stating another question's answer, each through the item check.
   */
  const narrative = (made: readonly Made[], options: GenerateOptions, rng: SeededRandom): NarrativeQuestion[] => {
    const topics = narrativeTopics(doc);
    if (topics.length === 0) return [];
    const narrativeCheck = createItemChecker(pages, { keyTerms: [...terms, ...topicTerms(topics)] });
    const asked = made.map((m) => ({ text: m.question.text, key: m.concept.term.key, answersTerm: m.answersTerm, definition: m.answersDefinition }));
    return narrativeQuestions(topics, {
      count: options.numQuestions - made.length,
      made: made.map((m) => m.question.type),
      questionTypes: options.questionTypes,
      rng,
      quoted: new Set(made.flatMap((m) => (m.quotes === null ? [] : [m.quotes]))),
      truths: made.filter((m) => m.question.correctAnswer === 'true').length,
      falsehoods: made.filter((m) => m.question.type === 'true_false' && m.question.correctAnswer === 'false').length,
      accept(candidate) {
        const stem = normalizeSpace(candidate.question.text).toLowerCase();
        const givesAway = asked.some(
          (o) =>
            // A term the quiz already asks about is not asked about again, under this name or another form of it.
            namesAlike(o.key, candidate.key) ||
            (o.answersTerm && mentionsTerm(candidate.question.text, o.key)) ||
            (candidate.answersTerm && mentionsTerm(o.text, candidate.key)) ||
            (o.definition !== null && stem.includes(o.definition.toLowerCase())),
        );
        return !givesAway && narrativeCheck.checkItem(candidate.question).length === 0;
      },
    });
  };

  return {
    concepts,
    terms,
    generate(options: GenerateOptions): GenerationResult {
      const rng = createSeededRandom(options.seed);
      const allowed = [...new Set(options.questionTypes)];
      const counts = new Map<QuestionType, number>(allowed.map((t) => [t, 0]));
      const typeOrder = rng.shuffle(allowed);
      const made: Made[] = [];
      const kindsOf = new Map<string, Set<Kind>>();
      const quoted = new Set<string>();
      let trueCount = 0;
      let falseCount = 0;
      let choices = 0;

      const says = (stem: string, definition: string): boolean => normalizeSpace(stem).toLowerCase().includes(definition.toLowerCase());
      // No stem may hold another question's answer: the term a cloze asks for, or the meaning a term → definition question asks for.
      // A term swapped into a false statement tells nothing a multiple choice's options do not show already.
      const names = (stem: Made, cloze: Made): boolean =>
        cloze.answersTerm && mentionsTerm(stem.question.text, cloze.concept.term.key) && !(stem.swappedIn === cloze.concept.term.key && cloze.question.type === 'multiple_choice');
      const givesAway = (m: Made): boolean =>
        made.some(
          (other) =>
            names(m, other) ||
            names(other, m) ||
            (other.answersDefinition !== null && says(m.question.text, other.answersDefinition)) ||
            (m.answersDefinition !== null && says(other.question.text, m.answersDefinition)),
        );

      /** One more question on the concept, of a kind it has not had yet and on a sentence no question quotes yet. */
      const ask = (concept: Concept): Made | null => {
        const had = kindsOf.get(concept.term.key) ?? new Set<Kind>();
        const types = [...typeOrder].sort((a, b) => counts.get(a)! - counts.get(b)!);
        // Keep true and false statements about even, so always answering "true" does not pay.
        const wantFalse = falseCount < trueCount || (falseCount === trueCount && rng.next() < 0.5);
        const sentences = placements(concept).filter((p) => !quoted.has(p.sentence.text));
        for (const type of types) {
          const attempts: [Kind, () => Made | null][] = [];
          if (type === 'multiple_choice') {
            const byTerm = sentences.map((p): [Kind, () => Made | null] => ['term_choice', () => termChoice(p, options.difficulty, rng)]);
            const byMeaning: [Kind, () => Made | null] = ['definition_choice', () => (quoted.has(concept.sentence.text) ? null : definitionChoice(concept, options.difficulty, rng))];
            // Every third multiple choice asks what a term means; the others ask for the term.
            attempts.push(...(choices % 3 === 2 ? [byMeaning, ...byTerm] : [...byTerm, byMeaning]));
          } else if (type === 'short_answer') {
            attempts.push(...sentences.map((p): [Kind, () => Made | null] => ['short_answer', () => shortAnswer(p)]));
          } else {
            // A true statement names the term, so no cloze on it could follow: a concept's first question is a
            // false one (the term swapped out) wherever a cloze is among the kinds asked.
            const clozes = allowed.some((t) => t !== 'true_false');
            const truths = had.size > 0 || !clozes || falseCount > trueCount;
            // Never more than one statement of a kind ahead of the other, so answering all "true" or all "false" does not pay.
            const kinds = [wantFalse, !wantFalse].filter((f) => (f ? falseCount <= trueCount : truths && trueCount <= falseCount));
            for (const falseFirst of kinds) {
              if (!falseFirst) {
                // A true statement quotes, of the concept's sentences, the one that ties it to most of the
                // document's other main terms: it asks the learner how two concepts stand to each other.
                const ties = (p: Concept): number => terms.slice(0, concept.main).filter((t) => !nested(t.key, concept.term.key) && mentionsTerm(p.sentence.text, t.key)).length;
                const statements = sentences.map((p) => ({ p, ties: ties(p) })).sort((a, b) => b.ties - a.ties);
                for (const { p } of statements) attempts.push(['true_statement', () => trueFalse(p, false, options.difficulty, rng)]);
                continue;
              }
              // Swapping a sibling into a sentence that merely mentions the term may leave it true: only a
              // sentence that says what the term is, or opens with it, turns false.
              for (const p of sentences.filter((p) => p.definition || p.subject)) {
                for (let nth = 0; nth < FALSE_SWAPS_TRIED; nth++) attempts.push(['false_statement', () => trueFalse(p, true, options.difficulty, rng, nth)]);
              }
            }
          }
          for (const [kind, attempt] of attempts) {
            if (had.has(kind)) continue;
            const candidate = attempt();
            if (!candidate || givesAway(candidate)) continue;
            if (checker.checkItem(candidate.question).length > 0) continue;
            return candidate;
          }
        }
        return null;
      };

      const onPage = new Map<number, number>();
      const record = (m: Made): void => {
        made.push(m);
        onPage.set(m.question.source.page, (onPage.get(m.question.source.page) ?? 0) + 1);
        const key = m.concept.term.key;
        kindsOf.set(key, new Set([...(kindsOf.get(key) ?? []), m.kind]));
        if (m.quotes !== null) quoted.add(m.quotes);
        const q = m.question;
        counts.set(q.type, (counts.get(q.type) ?? 0) + 1);
        if (q.type === 'multiple_choice') choices += 1;
        if (q.type === 'true_false') {
          if (q.correctAnswer === 'false') falseCount += 1;
          else trueCount += 1;
        }
      };

      // The terms the document defines in some form are asked about first. In a text that teaches terms,
      // those it only uses and then the weakest only fill a quiz that would be short by half:
      // on a textbook about a quarter of them are its key terms, against over half of the defined ones,
      // so a quiz on a section that defines two terms asks a few questions on each rather than ten
      // mostly on words it uses in passing (and says how many good questions the document supports).
      // A text that defines next to none (a transcribed lecture) is about the terms it keeps using;
      // only its weakest are held back. Within each, the concepts most surely among those the document
      // teaches come first, and a concept's next question (of another kind, on another sentence) comes
      // before a first one on a concept much less sure: a quiz on a section asks about its central
      // concepts from two sides before its peripheral terms.
      const tiers = [[...concepts.filter((c) => c.definition), ...others.filter((c) => c.term.defined)], others.filter((c) => !c.term.defined), lesser];
      const candidates = tiers.flatMap((tier, rank) =>
        tier.map((concept) => ({ concept, tier: rank, value: teaching(concept, options.difficulty) + rng.next() * CHOICE_NOISE })),
      );
      const teachesTerms = tiers[0]!.length >= TEACHES_TERMS;
      // How far the questions so far quote a page more often than its share of the concepts.
      const pageShare = new Map<number, number>();
      for (const { concept } of candidates) pageShare.set(concept.sentence.page, (pageShare.get(concept.sentence.page) ?? 0) + 1 / candidates.length);
      const overAsked = (page: number): number =>
        made.length ? Math.max(0, (onPage.get(page) ?? 0) / made.length - (pageShare.get(page) ?? 0)) : 0;
      const spent = new Set<Concept>();
      const next = (): Concept | undefined => {
        let best: (typeof candidates)[number] | undefined;
        let bestValue = -Infinity;
        for (const candidate of candidates) {
          const asked = kindsOf.get(candidate.concept.term.key)?.size ?? 0;
          if (spent.has(candidate.concept) || asked >= MAX_PER_CONCEPT) continue;
          if (candidate.tier > (teachesTerms ? 0 : 1) && made.length >= Math.ceil(options.numQuestions / 2)) continue;
          if (best && candidate.tier > best.tier) continue;
          const value = candidate.value - asked * NEXT_QUESTION_COST - overAsked(candidate.concept.sentence.page) * PAGE_SHARE_COST;
          if (!best || candidate.tier < best.tier || value > bestValue) {
            best = candidate;
            bestValue = value;
          }
        }
        return best?.concept;
      };
      for (let concept = next(); concept && made.length < options.numQuestions; concept = next()) {
        const question = ask(concept);
        if (question) record(question);
        else spent.add(concept);
      }

      // A term defined in any form counts, as the key terms read it: "This can lead to a sense of xenophobia, which
      // is …" gives no definition a question can quote, but the text still teaches the term.
      const defined = Math.max(concepts.filter((c) => c.definition).length, terms.filter((t) => t.defined).length);
      const few = made.length < options.numQuestions * FEW_QUESTIONS && defined < FEW_DEFINED;
      const told = few ? narrative(made, options, rng) : [];
      const questions = [...made.map((m) => m.question), ...told.map((n) => n.question)];
      const warnings: string[] = [];
      if (told.length > 0) {
        warnings.push(`The document defines few terms: ${told.length} question${told.length === 1 ? ' asks' : 's ask'} about what it says of the things it keeps coming back to.`);
      }
      if (questions.length < options.numQuestions) {
        warnings.push(
          questions.length === 0
            ? 'The document does not define or dwell on enough concepts to ask about.'
            : `The document supports ${questions.length} good question${questions.length === 1 ? '' : 's'} on its key terms of the kinds asked, not ${options.numQuestions}; no filler questions were added.`,
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

/**
 * Passages spread evenly over a document too long to read whole within the time a request may
 * take, as `pagesToAnalyze` spreads pages: runs of consecutive passages from its beginning, middle and end.
 */
export function passagesToAnalyze(passages: readonly Passage[], maxCharacters = MAX_ANALYZED_CHARACTERS): Passage[] {
  const total = passages.reduce((n, p) => n + p.text.length, 0);
  if (total <= maxCharacters) return [...passages];
  const runs = Math.max(1, Math.floor(maxCharacters / EXCERPT_CHARACTERS));
  const stride = passages.length / runs;
  const share = maxCharacters / runs;
  const chosen: Passage[] = [];
  for (let k = 0; k < runs; k++) {
    let used = 0;
    for (let i = Math.floor(k * stride); i < Math.floor((k + 1) * stride); i++) {
      const length = passages[i]!.text.length;
      if (used + length > share) break;
      chosen.push(passages[i]!);
      used += length;
    }
  }
  return chosen;
}

/** Generates a quiz from a document's pages; deterministic for a given seed. */
export function generateQuestions(pages: readonly DocumentPage[], options: GenerateOptions, measures?: TermMeasures): GenerationResult {
  const analyzed = pagesToAnalyze(pages);
  const result = createQuestionGenerator(segmentDocument(analyzed), analyzed, measures).generate(options);
  if (analyzed.length < pages.length) {
    result.warnings.push(`The document is long: questions were drawn from ${analyzed.length} of its ${pages.length} pages, spread across it.`);
  }
  return result;
}

/** The key terms a quiz from these passages would choose among (to measure their relatedness first). */
export function termCandidatesOfPassages(passages: readonly Passage[]): Array<{ term: string; key: string }> {
  return conceptCandidates(documentFromPassages(passagesToAnalyze(passages)));
}

/** Generates a quiz from the passages the document service stored for a document; deterministic for a given seed. */
export function generateQuestionsFromPassages(
  passages: readonly Passage[],
  options: GenerateOptions,
  measures?: TermMeasures,
): GenerationResult {
  const analyzed = passagesToAnalyze(passages);
  const result = createQuestionGenerator(documentFromPassages(analyzed), undefined, measures).generate(options);
  const pages = (list: readonly Passage[]): number => new Set(list.map((p) => p.page)).size;
  if (analyzed.length < passages.length) {
    result.warnings.push(`The document is long: questions were drawn from ${pages(analyzed)} of its ${pages(passages)} pages, spread across it.`);
  }
  return result;
}
