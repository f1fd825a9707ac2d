import { irregularPlural, stem } from './words.js';
import { OPENING_ADVERBS, OPENING_CONJUNCTIONS, OPENING_PREPOSITIONS } from './openings.js';

/**
 * Whether a noun phrase reads as plural by its last word ("norms", "societies", "indices", "children",
 * "criteria"); "status", "analysis", "class" and "bias" are singular for all their final s, and "media" and
 * "data" read as singular, as a text uses them for the thing itself.
 */
export function isPlural(text: string): boolean {
  const word = (text.split(/\s+/).pop() ?? '').toLowerCase();
  if (irregularPlural(word)) return true;
  if (/(?:ss|is|us)$/.test(word) || SINGULAR_IN_S.has(word)) return false;
  return /[^s]s$/.test(word) || /(?:ies|ses|xes|ches|shes)$/.test(word) || (/(?:ena|ia|ae|ices|i)$/.test(word) && stem(word) !== word);
}

// Singular nouns ending in -as that a text about people and society uses.
const SINGULAR_IN_S = new Set(['bias', 'gas', 'atlas', 'canvas', 'alias', 'pancreas']);

// A phrase that is itself an item of a list: "the family, school, or place of worship", "topics such
// as social conflict, the function of money, …", "the Internet, television's entertainment value, or …".
const ITEM_BEFORE = /(?:,\s*(?:(?:the|a|an)\s+|\p{L}+['’]s\s+)?["“]?|\b(?:such as|including)\s+(?:(?:the|a|an)\s+)?["“]?)$/iu;
// The words that open a sentence's introduction: a preposition or a subordinating conjunction ("In sociology",
// "According to Durkheim", "When a group …").
const OPENERS = `${OPENING_PREPOSITIONS}|${OPENING_CONJUNCTIONS}`;
// The phrase stands inside the sentence's introduction, which no comma has closed yet: "In the X, …", "According
// to Durkheim's theory of X, …", "Even after X, …", "And since X, …", also after a linking word or another opening
// phrase ("As expected, with the X, …", "In short, rather than offering X, …", "Most recently, with the end of X, …").
const INSIDE_INTRODUCTION = new RegExp(
  `^\\s*(?:(?:(?:(?:most|more|very|quite|only|even)\\s+)?(?:${OPENING_ADVERBS})|(?:${OPENERS})\\b[^,;:]*),\\s*)?(?:(?:and|but|so|yet)\\s+)?(?:even\\s+)?(?:${OPENERS})\\b[^,;:]*$`,
  'iu',
);
// The comma before the phrase closes the sentence's introduction, not a list item: "In sociology, anomie, a
// state of normlessness, …", "Historically, X, …".
const INTRODUCED = new RegExp(`^\\s*(?:(?:even\\s+)?(?:${OPENERS})\\b[^,]*|${OPENING_ADVERBS}),\\s*(?:(?:the|a|an)\\s+)?["“]?$`, 'iu');

/**
 * Whether a phrase stands inside the opening of its sentence, a prepositional or subordinate phrase that no
 * comma has closed yet ("In the X", "According to the theory of X", "When X"): what follows it is the rest
 * of that introduction or the sentence's main clause, not something said of the phrase.
 */
export function insideIntroduction(before: string): boolean {
  return INSIDE_INTRODUCTION.test(before);
}

// What follows is the rest of a list, not a gloss: "…, an Inuit community, a village in Thailand",
// "mobile phones, the Internet, or social media", "the working class, the working poor, and the underclass".
const LIST_AFTER = /^\s*,\s*(?:a|an|the)\s+[^,;:()]{1,60},\s*(?:(?:and|or)\s+|(?:a|an|the)\s)/i;
// Two things named after the phrase, and the clause goes on: "both older people, the driver and the shopper, were …".
const PAIR_AFTER = /^\s*,\s*(?:the|a|an)\s+[\p{L}-]+(?:\s+[\p{L}-]+)?\s+(?:and|or)\s+(?:the|a|an)\s+[\p{L}-]+(?:\s+[\p{L}-]+)?\s*,/iu;
// A short second item and then a bare phrase of a few words and another comma or "and" list a third: "economic
// systems, the family, health and hygiene, …", "violence in schools, the results of declining funding, changes due
// to …". A longer gloss, or one with a clause, may hold a list of its own ("an extreme or irrational aversion to gay,
// lesbian, …", "a feature that geographers, engineers and farmers …").
const BARE_ITEM_AFTER = /^\s*,\s*(?:a|an|the)\s+[^\s,;:()]+(?:\s+(?!(?:that|which|who|whom|whose|where|when)\b)[^\s,;:()]+){0,4},\s*(?!(?:and|or|but|nor|which|who|whom|whose|that|what|where|when|while|whereas|in|on|at|by|for|with|without|from|to|as|of|during|after|before|since|until|so|because|although|though|if|unless|such|like|including|especially|often|usually|sometimes|then|namely|not|is|are|was|were|has|have|had|can|could|will|would|may|might|must|should)\b)\p{Ll}[\p{L}-]*(?:\s+\p{Ll}[\p{L}-]*){0,3}\s*(?:,|\band\b|\bor\b)/iu;

/**
 * Whether "<phrase>, <what follows>" lists the phrase among others rather than setting beside it what
 * it is: a comma after a list item, or after a phrase the sentence gives as an example, starts the
 * next item.
 */
export function listedAmongOthers(before: string, after: string): boolean {
  return (ITEM_BEFORE.test(before) && !INTRODUCED.test(before)) || LIST_AFTER.test(after) || BARE_ITEM_AFTER.test(after) || PAIR_AFTER.test(after);
}

const WHICH_VERB = /^\s*(?:\([^)]{1,40}\)\s*)?,\s*which\s+(is|was|are|were)\b/i;

/**
 * Whether ", which is …" after a phrase can be about the phrase: a singular verb after a plural
 * ("38 per 1,000 live births, which is a dramatic change") is about the whole clause before it,
 * and a plural verb after a singular about something else.
 */
export function whichAgrees(phrase: string, after: string): boolean {
  const verb = WHICH_VERB.exec(after)?.[1]?.toLowerCase();
  if (!verb) return true;
  return isPlural(phrase) === (verb === 'are' || verb === 'were');
}
