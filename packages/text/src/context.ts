import nlp from 'compromise';
import { isPlural } from './apposition.js';
import { LINKING_WORDS, OPENING_ADVERBS, OPENING_CONJUNCTIONS, OPENING_PREPOSITIONS } from './openings.js';
import { STOP_WORDS, stem, tokens } from './words.js';

/**
 * Whether a sentence can be read on its own, lifted out of its paragraph: the test the quiz applies
 * to the sentences its questions quote and the notes to the sentences they state.
 */

// A sentence that leans on the one before it ("This is called …", "They also found …", "Other
// globalization efforts, however, are more complex.", "One is attachment, …", "In this section, …", "Each of
// these …").
const LEANS_ON_CONTEXT =
  /^(?:it|its|this|these|those|they|their|he|she|his|her|we|such|there|here|that|which|both|another|other|also|and|but|or|so|then|however|thus|therefore|one (?:is|was)|(?:in|at|for|by|from|with|under|on|of|among) (?:it|them|this|these|that|those|such|others?|another)|(?:each|some|many|most|all|none|one|two|three|any|either|neither|both) of (?:these|those|them|this|that))\b/i;

// An opening participle on something said before it: "Using this definition, …", "Given these findings, …"
// ("Assuming that …" and "Everything that …" are no reference).
const PARTICIPLE_ON_BEFORE = /^(?:(?!\p{L}*thing\b)\p{L}+ing|given|based on)\s+(?:this|these|those|such)\b/iu;

// Inside the sentence, a name given to something said before it: "In sociology, we call this culture shock."
// Not "that": "a term that refers to …" is a definition.
const NAMES_WHAT_CAME_BEFORE = /\b(?:call|calls|called|term|termed|label|labels|labeled|labelled|name|names|named)\s+(?:this|these|it|them)\b/i;

// One of several things named before it: "The first is …", "The second type involves …" ("The latter …" is read
// wherever it stands, below).
const ONE_OF_THOSE_BEFORE =
  /^the (?:first|second|third|fourth|fifth|last|final|next|other)\s+(?:is|was|are|were|one|ones|involves|refers|concerns|type|kind|form|category|stage|step|level|approach|view|perspective)\b/i;

// A sentence that points at another part of the text ("In the example above, …", "The following
// sections describe …", "as the table below shows", "As discussed in the chapter introduction, …", "…, which is
// our next topic") or stands on what came before ("The latter …", "… in harmony with the former two"; not "the
// former Soviet Union", where "former" describes).
const POINTS_ELSEWHERE =
  /\b(?:above|below|previous|preceding|following) (?:examples?|cases?|figures?|tables?|sections?|chapters?|discussions?|lists?|scenarios?|paragraphs?)\b|\b(?:examples?|cases?|figures?|tables?|sections?|chapters?|discussions?|lists?|scenarios?|paragraphs?) (?:above|below)\b|\bas (?:discussed|mentioned|noted|described|explained|shown|seen) (?:in|earlier|above|before|previously|below|later)\b|\b(?:our|the) next (?:topic|section|chapter)\b|\bthe (?:latter|former)(?:\s+(?:two|three|one)\b|(?=\s*[,;:.]|\s+(?:is|was|are|were|has|have|had|can|could|may|might|must|will|would|should|also|often|\p{Ll}+s)\b))/iu;

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

// An opening phrase that itself refers back: "Because of this, …", "According to this belief, …", "To deal
// with this problem, …", "In situations like these, …", "For him, …", "In all three cases, …", "In either
// case, …", "In other situations, …", "For that reason, …". "Such" counts only as "such a …" ("in countries
// such as Niger" names them), "that" only before the phrase's last word ("in many societies that enjoy …" is a
// relative clause).
const REFERRING_OPENING = new RegExp(
  `^(?:${OPENING_PREPOSITIONS}|because of|in addition to|as a result of|in response to|in order to)\\s+(?:` +
    `[^,]{0,40}?\\b(?:this|these|those|it|them|him|such an?)\\b[^,]{0,40}` +
    `|(?:[^,]{0,30}?\\s)?that\\s+[\\p{L}-]+` +
    `|[^,]{0,30}?\\b(?:(?:all|both|the|these|those) (?:two|three|four|five|six|seven)|other (?:cases?|situations?|instances?|circumstances|examples?|settings?|contexts?|words)|(?:either|each|both|neither) (?:cases?|instances?|situations?|examples?)|the same (?:way|time|study|period|reason))\\b[^,]{0,40}` +
    `),`,
  'iu',
);
// An opening whose claim holds only given the sentence before: "Otherwise, …", "If so, …", "Even then, …".
const CONDITIONAL_OPENING = /^(?:otherwise|if so|if not|even then|in that case)\b/i;
// "do so" stands for an action named before it: in the sentence itself when a clause precedes it ("people
// who enter into the union do so …"), in the one before when it comes first ("If they do so, …", "Fail to do
// so and …") or a short phrase leads to it ("Digital tribalism is the tendency to do so online").
const DO_SO = /\b(?:do|does|did|doing) so\b/i;
const DO_SO_FIRST_WORDS = 3;
const DO_SO_AFTER_TO_WORDS = 6;

function doesSoOfBefore(sentence: string): boolean {
  const m = DO_SO.exec(sentence);
  if (!m) return false;
  const before = tokens(sentence.slice(0, m.index));
  return before.length <= DO_SO_FIRST_WORDS || (before.at(-1) === 'to' && before.length <= DO_SO_AFTER_TO_WORDS);
}

/**
 * The sentence opens on something said before it (a pronoun, a connective, "another", "in this …",
 * an opening phrase that refers back), refers inside it to things named before it ("… don't see these
 * factors as …"), or points at another part of the text.
 */
export function leansOnContext(sentence: string): boolean {
  const opening = sentence.trimStart();
  return (
    LEANS_ON_CONTEXT.test(opening) ||
    ONE_OF_THOSE_BEFORE.test(opening) ||
    PARTICIPLE_ON_BEFORE.test(opening) ||
    NAMES_WHAT_CAME_BEFORE.test(sentence) ||
    CONDITIONAL_OPENING.test(opening) ||
    REFERRING_OPENING.test(opening) ||
    doesSoOfBefore(opening) ||
    leansAfterOpening(opening) ||
    POINTS_ELSEWHERE.test(sentence) ||
    refersInside(sentence)
  );
}

// Linking words (openings.ts) that open a sentence ("In contrast, …", one after another), or stand after its
// subject ("Formal sanctions, on the other hand, are …") or its opening phrase ("In a triad, however, the …").
// "Otherwise" and "if so" make the claim depend on the sentence before: those sentences lean.
const LINKING_OPENING = new RegExp(`^(?:${LINKING_WORDS}),\\s+`, 'i');
// A conjunction that opens a sentence, with or without a comma ("But ideal culture differs from real culture.",
// "And if a researcher …", a speaker's "So the flowers feed the bees …"): it ties the sentence to the one before
// as the linking words do. Only before a word ("And so on." keeps "So on.", which leans), and not "so" that
// belongs to what follows ("So far …", "So many people …", "So-called …").
const CONJUNCTION_OPENING = /^(?:but|and|yet|or|so(?!\s+(?:far|that|much|many|few|little|long|called|as|on)\b))\b,?\s+(?=\p{L})/iu;
const LINKING_INSIDE = new RegExp(`^([^,]{1,60}), (?:${LINKING_WORDS}),\\s+`, 'i');
// Before the linking words, an opening phrase ("In a triad", "Taken as a whole") rather than the subject.
const OPENS_PHRASE = new RegExp(`^(?:${OPENING_PREPOSITIONS}|${OPENING_CONJUNCTIONS}|\\p{L}+(?:ed|en|ing)\\s+(?:as|at|in|on|from|with|by|to|through|for|into|about))\\b`, 'iu');
// After them, the subject's verb ("are", "consists", "seem"), or "that"/"to" after a verb ("Keep in mind that").
const VERB_AFTER_SUBJECT =
  /^(?:is|are|was|were|has|have|had|can|could|may|might|must|will|would|should|shall|do|does|did|often|also|that|to)\b/i;
// Before them, a verb: they stand inside the clause ("There is, of course, some basis …").
const VERB_BEFORE = /\b(?:is|are|was|were|be|been|has|have|had)$/i;
// After them, the start of a main clause: the words before were its opening ("Note, this hypothesis …").
const CLAUSE_START = /^(?:\p{Lu}|(?:the|a|an|this|these|those|its|their|his|her|our|we|they|it|he|she|there|many|most|some|all|each|every|no)\b)/u;

// An opening that refers back (above) and is a purpose: "To deal with this problem, …", "In order to avoid this, …".
const PURPOSE = /^(?:in order )?to\s+(\p{L}+)/iu;
/** Whether the tagger reads the word as a verb ("deal", "solve"), not as what "to" leads to ("To people who …"). */
const isVerb = (word: string): boolean =>
  (nlp(`to ${word}`).json({ terms: { tags: true } }) as { terms: { tags: string[] }[] }[]).some((s) => s.terms.at(-1)?.tags.includes('Verb') ?? false);

/**
 * The sentence as a learner can read it lifted out of its paragraph: without the linking words that only
 * tie it to the sentence before ("In contrast, …", "…, on the other hand, …", "But …") or a purpose that points
 * back to it ("To deal with this problem, …"). A sentence whose claim depends on the one before still leans
 * after this; test it with `leansOnContext`.
 */
export function withoutLinkingWords(sentence: string): string {
  let text = sentence.trim();
  // "As a result, in fact, …", "And yet …": one linking phrase after another.
  const openingLink = (t: string): RegExpExecArray | null => LINKING_OPENING.exec(t) ?? CONJUNCTION_OPENING.exec(t);
  for (let opening = openingLink(text); opening; opening = openingLink(text)) {
    const rest = text.slice(opening[0].length);
    text = rest.charAt(0).toUpperCase() + rest.slice(1);
  }
  // "To deal with this problem, Weber introduced …": what was done stands without the purpose that points back.
  // Only a main clause after the comma: not the comma inside a quotation ("In order to engage in this process of “self,” …").
  const referring = REFERRING_OPENING.exec(text);
  const purpose = referring && PURPOSE.exec(text);
  const rest = referring ? text.slice(referring[0].length).trimStart() : '';
  if (purpose && /^\p{L}/u.test(rest) && isVerb(purpose[1]!)) text = rest.charAt(0).toUpperCase() + rest.slice(1);
  const inside = LINKING_INSIDE.exec(text);
  if (inside) {
    const before = inside[1]!;
    const after = text.slice(inside[0].length);
    if (VERB_AFTER_SUBJECT.test(after) || VERB_BEFORE.test(before)) text = `${before} ${after}`;
    else if (OPENS_PHRASE.test(before) || CLAUSE_START.test(after)) text = `${before}, ${after}`;
    else text = `${before} ${after}`;
  }
  return text;
}

const ASKS = /\?["”’)]?$/;

/** The sentence is a question (a text's questions for discussion or a rhetorical one), not a statement. */
export function asksQuestion(sentence: string): boolean {
  return ASKS.test(sentence.trimEnd());
}
