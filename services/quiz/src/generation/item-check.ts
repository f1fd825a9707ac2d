import nlp from 'compromise';
import { extractKeyTerms, mentionsTerm, segmentDocument, STOP_WORDS, termKey, tokens, type KeyTerm } from '@learner/text';
import { fillBlank, hasQuotation, normalizeSpace } from './concepts.js';
import type { DocumentPage, GeneratedQuestion } from './question.js';

export interface QuizCheck {
  total: number;
  passed: number;
  /** Problems per item index; items without problems are absent. */
  problems: Record<number, string[]>;
}

/** The named problems of the item check that keep trivia and junk out of a quiz. */
export const PROBLEMS = {
  citationBlank: 'the blank is over a citation',
  numberedThingBlank: 'the blank is over a figure, table or chapter number',
  nameBlank: 'the blank is over a word of a name',
  titleBlank: 'the blank is over a title that runs into its paragraph',
  verbBlank: 'the blank is over a word the sentence uses as a verb',
  yearKey: 'the key is a year',
  numberKey: 'the key is a bare number',
  stopWordKey: 'the key is a stop word, not a content term',
  verbKey: 'the key is a verb form, not a term',
  notKeyTerm: "the key is not one of the document's key terms",
  optionNotTerm: 'an option is not a term like the key',
  noConcept: "the question names none of the document's key terms",
  quotation: 'the true/false statement is a quotation',
  negation: 'the false statement only inserts or removes "not"',
} as const;

const BLANK = /_{3,}/;
const CITATION_BLANK = [
  // "(_____, 2016)", "(_____ et al. 2016)", "(Smith and _____ 2016)"
  /\([^()]*_{3,}[^()]*\b(?:1[5-9]\d\d|20\d\d)[a-z]?\b[^()]*\)/,
  // "_____ (2016) found", "_____ et al. (2016)"
  /_{3,}\s*(?:et al\.?\s*)?,?\s*\(\s*(?:1[5-9]|20)\d\d/,
  /_{3,}\s+et al\b/,
  // "(Smith, _____)": the year blanked
  /\(\s*\p{Lu}[^()]*,\s*_{3,}\s*[a-z]?\)/u,
];
// "associated with _____ University", "the Americans with _____ Act": a capitalised word right after the blank goes on
// with a name (an institution, a law, a title), and the blank takes a word of it.
const NAME_BLANK = /_{3,}\s+(?!I\b)\p{Lu}[\p{Ll}’'-]/u;
// "_____: Ironically, this study was conducted …": a paragraph's run-in title and its first sentence, the
// title blanked; the sentence says nothing of the title. A gloss after the colon ("_____: the systematic study
// of …", "_____: A state of normlessness.") says what the blanked term is.
const TITLE_BLANK = /(?:^|["“:?]\s*)_{3,}\s*:\s*["“]?(?!(?:A|An|The)\b)\p{Lu}\p{Ll}*,?\s/u;
const NUMBERED_THING_BLANK =
  /\b(?:fig(?:ure)?s?|tables?|chapters?|sections?|pages?|pp?|charts?|maps?|units?|parts?|exhibits?|appendix|appendices|equations?|eqs?|steps?|volumes?|vol|modules?|lessons?)\.?\s*_{3,}/i;
const NUMBER_KEY = /^[\s$€£~≈<>+-]*\d[\d.,\s/:-]*(?:%|s|st|nd|rd|th|bce?|ce|ad)?\.?\s*$/i;
const CENTURY_KEY = /^(?:the\s+)?\d{1,2}(?:st|nd|rd|th)(?:\s+century)?$/i;
const YEAR_KEY = /^\D*(?:1\d|20)\d\d(?:s|bce?|ce|ad)?\D*$/i;
const LEADING_ARTICLE = /^(?:the|a|an)\s+/i;
// The words of negation a false statement must not be made of.
const NEGATION = /\b(?:not|never|no)\b|n[’']t\b/gi;

function normalizeOption(text: string): string {
  return normalizeSpace(text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' '));
}

function isNumberKey(key: string): 'year' | 'number' | null {
  const trimmed = key.trim();
  if (!NUMBER_KEY.test(trimmed) && !CENTURY_KEY.test(trimmed)) return null;
  return YEAR_KEY.test(trimmed) ? 'year' : 'number';
}

function isStopWordsOnly(text: string): boolean {
  const words = tokens(text);
  return words.length > 0 && words.every((w) => STOP_WORDS.has(w));
}

interface TaggedTerm {
  text: string;
  tags: string[];
}

/**
 * Does the sentence use the one word that fills its blank as a verb? "… to determine how families _____." with
 * the key "function" asks for a verb, however often the document uses "function" as a noun.
 */
function blankIsVerb(text: string, key: string): boolean {
  const word = key.trim().toLowerCase();
  if (!word || /\s/.test(word) || /ing$/.test(word)) return false;
  const filled = fillBlank(text, key.trim());
  const terms = (nlp(filled).json({ terms: { tags: true } }) as { terms: TaggedTerm[] }[]).flatMap((s) => s.terms);
  const uses = terms.filter((t) => t.text.toLowerCase() === word);
  return uses.length > 0 && uses.every((t) => t.tags.includes('Verb') && !t.tags.includes('Noun'));
}

const tagsOf = (text: string): string[] => (nlp(text).json() as { terms: { tags: string[] }[] }[]).flatMap((s) => s.terms.at(-1)?.tags ?? []);

/**
 * A single word that is an inflected verb ("refers", "tested"): its base form is a verb and never a
 * noun. A word in -ing may well name a practice ("tracking", "labeling"), so it is not one.
 */
function isVerbForm(text: string): boolean {
  const words = tokens(text);
  if (words.length !== 1) return false;
  const word = words[0]!;
  if (word.endsWith('ing')) return false;
  const bases = [word];
  if (/ies$/.test(word)) bases.push(`${word.slice(0, -3)}y`);
  if (/(?:s|x|z|ch|sh)es$/.test(word)) bases.push(word.slice(0, -2));
  if (/[^s]s$/.test(word)) bases.push(word.slice(0, -1));
  if (/ed$/.test(word)) bases.push(word.slice(0, -2), word.slice(0, -1));
  if (bases.length === 1) {
    const tags = tagsOf(word);
    return tags.includes('Verb') && !tags.includes('Noun');
  }
  return bases.slice(1).some((base) => {
    const tags = tagsOf(base);
    return tags.includes('Verb') && !tags.includes('Noun');
  });
}

function termKeyOf(answer: string): string {
  return termKey(normalizeSpace(answer).replace(LEADING_ARTICLE, ''));
}

function negationFree(text: string): string {
  return tokens(text.replace(/\bcannot\b/gi, 'can').replace(NEGATION, ' ')).join(' ');
}

export interface ItemCheckerOptions {
  /** The document's key terms, when already known (their extraction takes a while on a long document). */
  keyTerms?: readonly KeyTerm[];
}

/**
 * The quality bar every generated item has to clear: a findable key, distinct options, a stem that
 * does not give the answer away, a source sentence that really is in the document; and no trivia:
 * no blank over a citation, a year, a number or a figure or table number, a key that is one of the
 * document's key terms, no true/false from a quotation or made false by a "not".
 */
export function createItemChecker(pages: readonly DocumentPage[], options: ItemCheckerOptions = {}) {
  const pageText = new Map(pages.map((p) => [p.page, normalizeSpace(p.text)]));
  const documentText = [...pageText.values()].join(' ').toLowerCase();
  let keys: string[] | undefined = options.keyTerms?.map((t) => t.key);
  const keyTerms = (): string[] => (keys ??= extractKeyTerms(segmentDocument(pages), { max: 80 }).map((t) => t.key));
  const isKeyTerm = (answer: string): boolean => {
    const key = termKeyOf(answer);
    // "the power elite" for "power elite"; a longer phrase around a key term still names it.
    return key.length > 0 && keyTerms().some((k) => k === key || (key.split(' ').length <= 5 && ` ${key} `.includes(` ${k} `)));
  };

  /** Why a short answer or a term option is no content term, if it is none. */
  const termProblem = (answer: string): string | null => {
    const number = isNumberKey(answer);
    if (number) return number === 'year' ? PROBLEMS.yearKey : PROBLEMS.numberKey;
    if (isStopWordsOnly(answer)) return PROBLEMS.stopWordKey;
    if (isKeyTerm(answer)) return null;
    if (isVerbForm(answer)) return PROBLEMS.verbKey;
    return PROBLEMS.notKeyTerm;
  };

  const checkItem = (item: GeneratedQuestion): string[] => {
    const problems: string[] = [];
    if (!item.text.trim()) problems.push('the stem is empty');
    if (!item.correctAnswer.trim()) problems.push('there is no answer key');
    const answerIsTerm = item.type === 'short_answer' || (item.type === 'multiple_choice' && (BLANK.test(item.text) || tokens(item.correctAnswer).length <= 5));

    if (BLANK.test(item.text)) {
      if (CITATION_BLANK.some((pattern) => pattern.test(item.text))) problems.push(PROBLEMS.citationBlank);
      if (NUMBERED_THING_BLANK.test(item.text)) problems.push(PROBLEMS.numberedThingBlank);
      if (NAME_BLANK.test(item.text)) problems.push(PROBLEMS.nameBlank);
      if (TITLE_BLANK.test(item.text)) problems.push(PROBLEMS.titleBlank);
      if (blankIsVerb(item.text, item.correctAnswer)) problems.push(PROBLEMS.verbBlank);
    }

    if (item.type === 'multiple_choice') {
      const options = item.options ?? [];
      if (options.length !== 4) problems.push(`it has ${options.length} options instead of 4`);
      const texts = new Set(options.map((o) => normalizeOption(o.text)));
      if (texts.size !== options.length) problems.push('two options are the same');
      if (new Set(options.map((o) => o.id)).size !== options.length) problems.push('two options share an id');
      if (!options.some((o) => o.text === item.correctAnswer)) problems.push('the key is not among the options');
      if (answerIsTerm) {
        // A distractor need not be a key term, but it must be a term: no "refers", "often" or "18" beside a concept.
        const keyIsNumber = isNumberKey(item.correctAnswer) !== null;
        const weak = options.some((o) => {
          if (o.text === item.correctAnswer) return false;
          const problem = termProblem(o.text);
          const numeric = problem === PROBLEMS.yearKey || problem === PROBLEMS.numberKey;
          return problem === PROBLEMS.stopWordKey || problem === PROBLEMS.verbKey || (numeric && !keyIsNumber);
        });
        if (weak) problems.push(PROBLEMS.optionNotTerm);
      } else if (!keyTerms().some((k) => mentionsTerm(item.text, k))) {
        problems.push(PROBLEMS.noConcept);
      }
    } else if (item.type === 'true_false') {
      if (item.correctAnswer !== 'true' && item.correctAnswer !== 'false') problems.push('the key is not true or false');
      const statement = normalizeSpace(item.text.replace(/^true or false:\s*/i, ''));
      if (item.correctAnswer === 'false' && statement && documentText.includes(statement.toLowerCase())) {
        problems.push('its "false" statement is one the document makes');
      }
      if (hasQuotation(statement) || hasQuotation(item.source.sentence)) problems.push(PROBLEMS.quotation);
      const source = item.source.sentence;
      if (
        item.correctAnswer === 'false' &&
        normalizeSpace(statement).toLowerCase() !== normalizeSpace(source).toLowerCase() &&
        negationFree(statement) === negationFree(source)
      ) {
        problems.push(PROBLEMS.negation);
      }
    } else if (item.options !== null && item.options.length > 0) {
      problems.push('a short-answer item has options');
    }

    if (answerIsTerm && item.correctAnswer.trim()) {
      const problem = termProblem(item.correctAnswer);
      if (problem) problems.push(problem);
    }

    if (item.type !== 'true_false' && item.correctAnswer.trim()) {
      const key = termKeyOf(item.correctAnswer);
      if (key && mentionsTerm(item.text, key)) problems.push('the stem contains its answer');
    }

    const sentence = normalizeSpace(item.source.sentence);
    const page = pageText.get(item.source.page);
    if (!sentence) problems.push('it cites no source sentence');
    else if (page === undefined) problems.push(`it cites page ${item.source.page}, which the document does not have`);
    else if (!page.includes(sentence)) problems.push('its source sentence is not on the cited page');
    if (sentence && !normalizeSpace(item.explanation).includes(sentence)) problems.push('the explanation does not quote its source');
    return problems;
  };

  return {
    checkItem,
    checkQuiz(items: readonly GeneratedQuestion[]): QuizCheck {
      const problems: Record<number, string[]> = {};
      const stems = new Map<string, number>();
      items.forEach((item, index) => {
        const found = checkItem(item);
        const stem = normalizeSpace(item.text).toLowerCase();
        const earlier = stems.get(stem);
        if (earlier !== undefined) found.push(`the same stem as item ${earlier}`);
        else stems.set(stem, index);
        if (found.length) problems[index] = found;
      });
      return { total: items.length, passed: items.length - Object.keys(problems).length, problems };
    },
  };
}

export function checkItem(item: GeneratedQuestion, pages: readonly DocumentPage[], options?: ItemCheckerOptions): string[] {
  return createItemChecker(pages, options).checkItem(item);
}

export function checkQuiz(items: readonly GeneratedQuestion[], pages: readonly DocumentPage[], options?: ItemCheckerOptions): QuizCheck {
  return createItemChecker(pages, options).checkQuiz(items);
}
