import { isPlural } from './apposition.js';
import { OPENING_ADVERBS, OPENING_PREPOSITIONS } from './openings.js';
import { STOP_WORDS, stem, tokens } from './words.js';

/**
 * Whether a sentence can be read on its own, lifted out of its paragraph: the test the quiz applies
 * to the sentences its questions quote and the notes to the sentences they state.
 */

// A sentence that leans on the one before it ("This is called …", "They also found …", "Other
// globalization efforts, however, are more complex.", "One is attachment, …", "In this section, …", "Each of
// these …").
const LEANS_ON_CONTEXT =
  /^(?:it|its|this|these|those|they|their|he|she|his|her|we|such|there|here|that|which|both|another|other|also|and|but|or|so|then|however|thus|therefore|one (?:is|was)|(?:in|at|for|by|from|with|under|on|of) (?:it|them|this|these|that|those|such)|(?:each|some|many|most|all|none|one|two|three|any|either|neither|both) of (?:these|those|them|this|that))\b/i;

// A sentence that points at another part of the text ("In the example above, …", "The following
// sections describe …", "as the table below shows").
const POINTS_ELSEWHERE =
  /\b(?:above|below|previous|preceding|following) (?:examples?|cases?|figures?|tables?|sections?|chapters?|discussions?|lists?|scenarios?|paragraphs?)\b|\b(?:examples?|cases?|figures?|tables?|sections?|chapters?|discussions?|lists?|scenarios?|paragraphs?) (?:above|below)\b/i;

// "these factors", "those worlds", "these two new categories" inside a sentence: things named before it,
// unless the sentence named them itself ("the terms race and ethnicity … these three terms") or listed
// them first ("like ecclesia, denomination, and sect, to define these types"). "those who …", "those in
// power" are the people meant, not a reference.
const INNER_REFERENCE = /\b(?:these|those)\s+(?:(?:two|three|four|five|six|several|many|same|other|new|few)\s+)*(\p{Ll}[\p{L}-]*)/gu;
const NOT_A_THING = /^(?:who|whom|whose|that|which|in|of|with|without|at|on|from|for|to|under|over|by|are|were|is|was|have|had|can|could|will|would|may|might|do|did|include|including)$/;
const COMPARED = /\b(?:than|as|to|with|from)\s+$/i;
const PHRASE_AFTER_PARTICIPLE = /^\s+(?:in|by|at|during|under|with|from|for|over|through|since)\b/i;
const NAMED_FIRST = /\b(?:such as|like|including|namely)\b|:|,[^,]*,[^,]*\b(?:and|or)\b/i;

function refersInside(sentence: string): boolean {
  for (const m of sentence.matchAll(INNER_REFERENCE)) {
    if (m.index === 0 || NOT_A_THING.test(m[1]!)) continue;
    // "the problems … are different than those experienced in Stage 5": compared with what the sentence names,
    // the ones a participle and its phrase pick out.
    if (COMPARED.test(sentence.slice(0, m.index)) && /^those\s+\p{Ll}+ed$/iu.test(m[0]) && PHRASE_AFTER_PARTICIPLE.test(sentence.slice(m.index + m[0].length))) continue;
    const before = sentence.slice(0, m.index);
    // Named before it, in this form of the word or another: "each theory … these theories", "a society … these societies".
    const noun = stem(m[1]!);
    if (NAMED_FIRST.test(before) || tokens(before).some((w) => stem(w) === noun)) continue;
    return true;
  }
  return false;
}

// A sentence whose main clause, after an opening phrase of time, place or connection, starts on
// something said before it ("In 2010, that group was …", "For example, they found …", "Consequently, it
// cannot be …").
const OPENING_THEN_REFERENCE = new RegExp(
  `^((?:${OPENING_PREPOSITIONS})\\s+[^,]{1,40}|${OPENING_ADVERBS}),\\s+(it|its|this|these|those|they|their|them|he|she|his|her|that)\\b\\s*([\\p{L}’']*)`,
  'iu',
);
// "it is common to …", "it was revealed that …", "it might be considered deviant for …", "it also makes sense
// that …": "it" stands for what follows.
const ANTICIPATORY_IT = /^(?:(?:also|still|often|then|now|thus|therefore)\s+)?(?:is|was|’s|'s|seems|seemed|might|may|can|could|would|makes|made|takes|took|becomes|became|remains|remained)\b/i;
const PERSONAL = /^(?:they|their|them|he|she|his|her)$/i;

/** The opening phrase names a person or people: a name, a possessive, a plural noun ("women", "nations"). */
function namesSomeone(opening: string): boolean {
  const after = opening.slice(opening.indexOf(' ') + 1);
  if (/\p{Lu}|['’]s\b/u.test(after)) return true;
  return tokens(after).some((w) => !STOP_WORDS.has(w) && isPlural(w));
}

function leansAfterOpening(sentence: string): boolean {
  const m = OPENING_THEN_REFERENCE.exec(sentence);
  if (!m) return false;
  const opening = m[1]!;
  const word = m[2]!;
  const next = m[3]!;
  const rest = sentence.slice(m[0].length - next.length);
  if (/^it$/i.test(word) && ANTICIPATORY_IT.test(rest) && /\b(?:to|that|for)\b/i.test(rest)) return false;
  // "those who …", "those in power": people, not a reference.
  if (/^(?:these|those)$/i.test(word) && NOT_A_THING.test(next.toLowerCase())) return false;
  // "In Barger’s own culture, he …", "By not having women in government, their issues …": the opening names them.
  if (PERSONAL.test(word) && namesSomeone(opening)) return false;
  return true;
}

/**
 * The sentence opens on something said before it (a pronoun, a connective, "another", "in this …"),
 * refers inside it to things named before it ("… don't see these factors as …"), or points at another
 * part of the text.
 */
export function leansOnContext(sentence: string): boolean {
  const opening = sentence.trimStart();
  return LEANS_ON_CONTEXT.test(opening) || leansAfterOpening(opening) || POINTS_ELSEWHERE.test(sentence) || refersInside(sentence);
}

const ASKS = /\?["”’)]?$/;

/** The sentence is a question (a text's questions for discussion or a rhetorical one), not a statement. */
export function asksQuestion(sentence: string): boolean {
  return ASKS.test(sentence.trimEnd());
}
