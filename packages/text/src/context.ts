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

/**
 * The sentence opens on something said before it (a pronoun, a connective, "another", "in this …")
 * or points at another part of the text.
 */
export function leansOnContext(sentence: string): boolean {
  return LEANS_ON_CONTEXT.test(sentence.trimStart()) || POINTS_ELSEWHERE.test(sentence);
}

const ASKS = /\?["”’)]?$/;

/** The sentence is a question (a text's questions for discussion or a rhetorical one), not a statement. */
export function asksQuestion(sentence: string): boolean {
  return ASKS.test(sentence.trimEnd());
}
