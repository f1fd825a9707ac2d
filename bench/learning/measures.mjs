// The dev set's measures, written from its README (../shared/datasets/openstax-sociology/README.md)
// and kept apart from the product's own text code, so the bench judges the product instead of
// agreeing with it by construction.

// "A short stop-word list": function words that say nothing about which option is meant.
const STOP_WORDS = new Set(
  `the and for are but not you all any can was were has had have his her its our their they them this that these those
  with from into onto than then there which who whom what when where why how will would should could been being also
  such only other some more most very both each about over under between does did because while whose may might must
  shall who one ones none above below out off per via yet nor`.split(/\s+/),
);

/** Content words of a text: lower-cased, 3+ letters, stop words removed, a trailing -ing/-ed/-es/-s cut. */
export function contentWords(text) {
  const words = [];
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (word.length < 3 || STOP_WORDS.has(word)) continue;
    words.push(word.replace(/(?:ing|ed|es|s)$/, ''));
  }
  return words;
}

/**
 * Does the evidence pick the key? For each option, the share of its distinct content words found in
 * the evidence; supported when the key's share is the single highest and above zero (ties: not).
 */
export function supportsKey(evidence, options, answerIndex) {
  const found = new Set(contentWords(evidence));
  const shares = options.map((option) => {
    const words = [...new Set(contentWords(option))];
    return words.length ? words.filter((w) => found.has(w)).length / words.length : 0;
  });
  const key = shares[answerIndex];
  return key > 0 && shares.every((share, i) => i === answerIndex || share < key);
}

/** A term lower-cased, with punctuation and a plural -s removed, words joined by single spaces. */
export function normalizeTerm(term) {
  return term
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w.length > 3 && !/ss$/.test(w) ? w.replace(/s$/, '') : w))
    .join(' ');
}

/** The README's rule: equal, or one contains the other and is at least 60% of its length. */
export function termsMatch(a, b) {
  const x = normalizeTerm(a);
  const y = normalizeTerm(b);
  if (!x || !y) return false;
  if (x === y) return true;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return long.includes(short) && short.length >= 0.6 * long.length;
}

/** The glossary term a candidate matches, if any. */
export const glossaryMatch = (candidate, glossary) => glossary.find((term) => termsMatch(candidate, term));

/** Does a statement name the term (its words, in order, as whole words)? */
export function namesTerm(statement, term) {
  const t = normalizeTerm(term);
  return t.length > 0 && ` ${normalizeTerm(statement)} `.includes(` ${t} `);
}

const BLANK = /_{3,}/;
const CITATION_BLANK = [
  // "(_____, 2016)", "(_____ et al. 2016)", "(Smith and _____, 2016)"
  /\([^()]*_{3,}[^()]*\b1[5-9]\d\d|\([^()]*_{3,}[^()]*\b20\d\d/,
  // "_____ (2016) found"
  /_{3,}\s*(?:et al\.?\s*)?\(\s*\d{4}/,
  // "(Smith, _____)": the year blanked
  /\(\s*\p{Lu}[^()]*,\s*_{3,}\s*\)/u,
];
const NUMBERED_THING_BLANK = /\b(?:fig(?:ure)?s?|tables?|chapters?|sections?|pages?|pp?|charts?|maps?|units?|parts?|exhibits?|appendix)\.?\s*_{3,}/i;
const NUMBER_KEY = /^[\s$€£~≈<>+-]*\d[\d.,\s/:-]*(?:%|s|st|nd|rd|th|bce?|ce|ad)?\.?\s*$/i;
const CENTURY_KEY = /^(?:the\s+)?\d{1,2}(?:st|nd|rd|th)(?:\s+century)?$/i;
// A quotation is someone's words: three or more in quotation marks (or after an opening mark the
// statement cuts off). One or two quoted words are a term set apart, which a statement may name.
const QUOTED = [/“([^”]*)(?:”|$)/g, /"([^"]*)"/g, /«([^»]*)»/g, /(?:^|[\s(])‘([^’]*)’/g, /(?:^|[\s(])'([^']*)'(?=[\s.,;:)!?]|$)/g];
const isQuotation = (text) => QUOTED.some((pattern) => [...text.matchAll(pattern)].some((m) => (m[1].match(/\p{L}+/gu) ?? []).length >= 3));

/** Why a generated question is junk by the README's definition, or undefined when it is not. */
export function junkReason(question) {
  const text = question.text ?? '';
  if (question.type === 'true_false') return isQuotation(text) ? 'true/false from a quotation' : undefined;
  const key = String(question.correctAnswer ?? '').trim();
  if (BLANK.test(text)) {
    if (CITATION_BLANK.some((pattern) => pattern.test(text))) return 'blank over a citation';
    if (NUMBERED_THING_BLANK.test(text)) return 'blank over a figure, table or chapter number';
  }
  if (NUMBER_KEY.test(key) || CENTURY_KEY.test(key)) return /^\D*\d{4}s?\D*$/.test(key) ? 'a year' : 'a bare number';
  return undefined;
}

/** Does the question test a glossary term? MC and short answer: its key is one; true/false: it names one. */
export function testsTerm(question, glossary) {
  if (question.type === 'true_false') return glossary.some((term) => namesTerm(question.text ?? '', term));
  return glossaryMatch(String(question.correctAnswer ?? ''), glossary) !== undefined;
}
