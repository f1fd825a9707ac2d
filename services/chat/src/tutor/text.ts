import { STOP_WORDS, sentences as textSentences, stem as textStem, tokens } from '@learner/text';

/**
 * Words that carry no subject in a question to a tutor: stopword's English list plus question
 * words, instructions ("explain", "tell me") and vague verbs ("happen", "mean") that documents
 * rarely use in the sentence that answers them.
 */
const QUESTION_NOISE = [
  'what', 'whats', 'where', 'when', 'why', 'how', 'which', 'who', 'whom', 'whose', 'does', 'did', 'do',
  'doing', 'done', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'can', 'could', 'would', 'should',
  'will', 'shall', 'may', 'might', 'must', 'please', 'explain', 'explains', 'describe', 'tell', 'me',
  'give', 'show', 'define', 'definition', 'mean', 'means', 'meant', 'meaning', 'happen', 'happens',
  'happened', 'occur', 'occurs', 'know', 'about', 'something', 'anything', 'thing', 'things', 'kind',
  'sort', 'type', 'example', 'examples', 'again', 'also', 'more', 'much', 'many', 'some', 'any', 'there',
  'here', 'then', 'than', 'very', 'really', 'just', 'get', 'gets', 'got', 'make', 'makes', 'made',
  'use', 'used', 'uses', 'work', 'works', 'ok', 'okay', 'thanks', 'thank', 'hi', 'hello', 'i', 'my',
  'you', 'your', 'we', 'our', 'us', 'of', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with', 'and',
  'or', 'but', 'not', 'no', 'yes', 'so', 'if', 'as', 'into', 'onto', 'over', 'under', 'between',
  'its', 'it', 'they', 'them', 'their', 'theirs', 'this', 'that', 'these', 'those', 'he', 'she',
  'him', 'her', 'his', 'hers', 'one', 'ones', 'such', 'same', 'other', 'others', 'called', 'say',
  'says', 'said', 'talk', 'talks', 'mentioned', 'mention', 'document', 'documents', 'notes', 'text',
  // What learners say around a question: their situation, not its subject.
  'exam', 'exams', 'tomorrow', 'today', 'tonight', 'homework', 'assignment', 'revision', 'revise',
  'teacher', 'lecture', 'study', 'studying', 'learn', 'learning', 'understand', 'remember', 'quick',
  'quickly', 'briefly', 'simple', 'simply', 'short', 'words', 'help', 'need', 'want', 'wondering',
  'curious', 'confused', 'think', 'guess', 'sure', 'still', 'actually', 'exactly', 'again', 'well',
];

const NOISE = new Set([...STOP_WORDS, ...QUESTION_NOISE]);

/** Words that stand for a subject named earlier in the conversation. */
const REFERRING_WORDS = new Set([
  'it', 'its', 'they', 'them', 'their', 'this', 'that', 'these', 'those', 'he', 'she', 'him', 'her',
  'his', 'there', 'such', 'same',
]);

/** Lower-case words of the text, letters and digits (a possessive stays with its word: "plant's" → "plant"). */
export function words(text: string): string[] {
  return tokens(text);
}

/** The words of a question or sentence that carry meaning, in order, without repeats. */
export function contentWords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const word of words(text)) {
    if (NOISE.has(word) || word.length < 2 || seen.has(word)) continue;
    seen.add(word);
    out.push(word);
  }
  return out;
}

/** Porter stem, so "produces", "producing" and "produced" meet. */
export function stem(word: string): string {
  return textStem(word);
}

/** The distinct stems of the content words of `text`. */
export function terms(text: string): string[] {
  return [...new Set(contentWords(text).map(stem))];
}

export function refersBack(text: string): boolean {
  return words(text).some((w) => REFERRING_WORDS.has(w));
}

const FUNCTION_WORDS = new Set([
  'a', 'an', 'the', 'of', 'in', 'on', 'at', 'to', 'for', 'from', 'by', 'with', 'and', 'or', 'but', 'as',
  'into', 'than', 'that', 'which', 'who', 'whose', 'where', 'when', 'is', 'are', 'was', 'were', 'be',
  'said', 'says', 'called', 'named', 'like', 'near', 'about', 'during', 'after', 'before', 'between',
]);
const bare = (word: string) => word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Splits a heading off the sentence it was glued to when line breaks were flattened:
 * "Photosynthesis Photosynthesis is the process…" (the heading repeats the opening words) or
 * "Transport in plants Water moves…" (a lower-case word, then a capital starting a full sentence).
 */
export function splitGluedHeading(sentence: string): string[] {
  const parts = sentence.split(' ');
  if (!/^[\p{Lu}\p{N}]/u.test(parts[0] ?? '')) return [sentence];
  for (let k = 1; k <= Math.min(8, Math.floor(parts.length / 2)); k++) {
    if (parts.slice(0, k).every((w, i) => bare(w) === bare(parts[k + i]!)) && /[.!?]$/.test(sentence)) {
      return [parts.slice(0, k).join(' '), parts.slice(k).join(' ')];
    }
  }
  for (let i = 1; i <= Math.min(8, parts.length - 4); i++) {
    const before = parts[i - 1]!;
    if (/[.,;:!?)"”’]$/.test(before)) return [sentence];
    const rest = parts.slice(i).join(' ');
    if (/^\p{Ll}+$/u.test(before) && !FUNCTION_WORDS.has(before) && /^\p{Lu}\p{Ll}/u.test(parts[i]!) && /[.!?]["”’)]?$/.test(rest)) {
      return [parts.slice(0, i).join(' '), rest];
    }
  }
  return [sentence];
}

/**
 * Sentences of a passage. Passages stored before the text library cut them may still hold a
 * heading glued to the sentence below it; those are split off.
 */
export function sentences(text: string): string[] {
  return textSentences(text).flatMap(splitGluedHeading);
}

/** A full sentence rather than a heading or a fragment. */
export function isProse(sentence: string): boolean {
  const count = words(sentence).length;
  return count >= 4 && (/[.!?]["”’)]?$/.test(sentence) || count >= 8);
}
