import type { TimedWord } from './segments.js';

/**
 * The language model a read-aloud recording is decoded with: a trigram model of the text the
 * learner was asked to read, so the recogniser expects those words in that order but can still
 * hear them skipped, repeated or out of order. Research on this set-up found 0-2% word error on
 * clean speech and about 20% on real read speech, while a recording of another text comes out
 * as a jumble of the expected words that scores far lower.
 */

/** A word of the text as written, and as the recogniser spells it (lower case, no punctuation). */
export interface TextWord {
  written: string;
  spoken: string;
  /** Which sentence of the text it is in, from 0. */
  sentence: number;
}

/** The words of a text in reading order; dashes and slashes part words, end punctuation parts sentences. */
export function readingWords(text: string): TextWord[] {
  const words: TextWord[] = [];
  let sentence = 0;
  for (const token of text.split(/[\s\u2013\u2014/-]+/)) {
    const written = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    const spoken = written.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[^\p{L}\p{N}']/gu, '');
    if (spoken) words.push({ written, spoken, sentence });
    if (/[.!?;:]["'\u201d\u2019)\]]*$/.test(token)) sentence += 1;
  }
  return words;
}

/**
 * What the recogniser reports for speech that is none of the text's words: each phone of
 * English is a word of the model too ("ph_aa"), so a misread word is heard as a run of phones
 * instead of being forced into a word of the text. Underscores never survive readingWords, so
 * these cannot clash with a word of the text.
 */
export const UNCLEAR = '(unclear)';
const PHONES = 'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(' ');
const phoneWord = (phone: string): string => `ph_${phone.toLowerCase()}`;
export const isPhoneWord = (word: string): boolean => /^ph_[a-z]{1,2}$/.test(word);

/** The spelling a recogniser's word is compared in. */
export function spokenForm(word: string): string {
  return word.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[^\p{L}\p{N}']/gu, '').replace(/^'+|'+$/g, '');
}

export interface ReadingModel {
  /** The model in ARPA text form, as pocketsphinx reads it with -lm. */
  arpa: string;
  /** Pronunciations of the model's words, as pocketsphinx reads them with -dict. */
  dictionary: string;
  /** Words of the text without a pronunciation: left out of the model, so they cannot be checked. */
  unknown: Set<string>;
}

// Absolute discounting: what each seen n-gram gives up for the ones the text does not have.
const DISCOUNT = 0.5;
// The share of a unigram's probability spread evenly over the text's words.
const UNIFORM_SHARE = 0.3;
// The share of a unigram's probability given to the phones that stand for other speech. Tried on
// pocketsphinx-testdata's LibriVox clips against their own and each other's texts (0.1, 0.2,
// 0.3): at 0.3 a clip scored against another clip's text drops from up to 0.58 to at most
// 0.43, while against its own text it stays at 0.95 to 1.
const PHONE_SHARE = 0.3;

const log10 = (p: number): string => Math.log10(p).toFixed(4);

/**
 * Builds the trigram model of the text's sentences (with backoff to bigrams and to the text's
 * words in any order) and the dictionary of its words. `pronunciations` maps a word to its
 * pronunciations, each a string of phones.
 */
export function buildReadingModel(words: TextWord[], pronunciations: Map<string, string[]>): ReadingModel {
  const unknown = new Set(words.filter((w) => !pronunciations.has(w.spoken)).map((w) => w.spoken));
  const sentences = new Map<number, string[]>();
  for (const word of words) {
    if (unknown.has(word.spoken)) continue;
    const list = sentences.get(word.sentence) ?? [];
    list.push(word.spoken);
    sentences.set(word.sentence, list);
  }

  const unigrams = new Map<string, number>();
  const bigrams = new Map<string, Map<string, number>>();
  const trigrams = new Map<string, Map<string, number>>();
  const count = <K>(map: Map<K, Map<string, number>>, context: K, word: string): void => {
    const next = map.get(context) ?? new Map<string, number>();
    next.set(word, (next.get(word) ?? 0) + 1);
    map.set(context, next);
  };
  for (const sentence of sentences.values()) {
    const tokens = ['<s>', ...sentence, '</s>'];
    tokens.forEach((token, i) => {
      unigrams.set(token, (unigrams.get(token) ?? 0) + 1);
      if (i >= 1) count(bigrams, tokens[i - 1]!, token);
      if (i >= 2) count(trigrams, `${tokens[i - 2]!} ${tokens[i - 1]!}`, token);
    });
  }
  if (unigrams.size === 0) return { arpa: '', dictionary: '', unknown };

  const vocabulary = [...unigrams.keys()].sort();
  const spoken = vocabulary.filter((w) => w !== '<s>');
  const total = spoken.reduce((sum, w) => sum + unigrams.get(w)!, 0);
  const unigramP = new Map(
    spoken.map((w) => [w, (1 - PHONE_SHARE) * ((1 - UNIFORM_SHARE) * (unigrams.get(w)! / total) + UNIFORM_SHARE / spoken.length)]),
  );
  for (const phone of PHONES) unigramP.set(phoneWord(phone), PHONE_SHARE / PHONES.length);
  vocabulary.push(...PHONES.map(phoneWord));

  // P(w | context) of the seen n-grams, and the backoff weight that hands the rest of each
  // context's mass to the lower order.
  const discounted = (followers: Map<string, number>) => {
    const sum = [...followers.values()].reduce((a, b) => a + b, 0);
    return { p: new Map([...followers].map(([w, c]) => [w, (c - DISCOUNT) / sum])), left: (DISCOUNT * followers.size) / sum };
  };
  const bigramP = new Map<string, Map<string, number>>();
  const bigramBackoff = new Map<string, number>();
  for (const [context, followers] of bigrams) {
    const { p, left } = discounted(followers);
    bigramP.set(context, p);
    const lowerMass = 1 - [...followers.keys()].reduce((sum, w) => sum + unigramP.get(w)!, 0);
    bigramBackoff.set(context, lowerMass > 0 ? left / lowerMass : 1e-5);
  }
  const bigramOf = (a: string, b: string): number => bigramP.get(a)?.get(b) ?? (bigramBackoff.get(a) ?? 1) * unigramP.get(b)!;
  const trigramP = new Map<string, Map<string, number>>();
  const trigramBackoff = new Map<string, number>();
  for (const [context, followers] of trigrams) {
    const { p, left } = discounted(followers);
    trigramP.set(context, p);
    const previous = context.split(' ')[1]!;
    const lowerMass = 1 - [...followers.keys()].reduce((sum, w) => sum + bigramOf(previous, w), 0);
    trigramBackoff.set(context, lowerMass > 0 ? left / lowerMass : 1e-5);
  }

  const bigramLines: string[] = [];
  for (const [a, followers] of bigramP) {
    for (const [b, p] of followers) bigramLines.push(`${log10(p)} ${a} ${b} ${log10(trigramBackoff.get(`${a} ${b}`) ?? 1)}`);
  }
  const trigramLines: string[] = [];
  for (const [context, followers] of trigramP) {
    for (const [w, p] of followers) trigramLines.push(`${log10(p)} ${context} ${w}`);
  }
  const arpa = [
    '\\data\\',
    `ngram 1=${vocabulary.length}`,
    `ngram 2=${bigramLines.length}`,
    `ngram 3=${trigramLines.length}`,
    '',
    '\\1-grams:',
    ...vocabulary.map((w) => `${w === '<s>' ? '-99.0000' : log10(unigramP.get(w)!)} ${w} ${log10(bigramBackoff.get(w) ?? 1)}`),
    '',
    '\\2-grams:',
    ...bigramLines,
    '',
    '\\3-grams:',
    ...trigramLines,
    '',
    '\\end\\',
    '',
  ].join('\n');

  const dictionary = [
    ...spoken.filter((w) => w !== '</s>').flatMap((w) => pronunciations.get(w)!.map((phones, i) => `${i === 0 ? w : `${w}(${i + 1})`} ${phones}`)),
    ...PHONES.map((phone) => `${phoneWord(phone)} ${phone}`),
  ].join('\n');
  return { arpa, dictionary: `${dictionary}\n`, unknown };
}

/** Runs of phones the recogniser heard, as one unclear word spanning them. */
export function mergeUnclear(words: TimedWord[]): TimedWord[] {
  const merged: TimedWord[] = [];
  for (const word of words) {
    const last = merged[merged.length - 1];
    if (!isPhoneWord(word.word)) merged.push(word);
    else if (last?.word === UNCLEAR) last.end = word.end;
    else merged.push({ word: UNCLEAR, start: word.start, end: word.end, confidence: null });
  }
  return merged;
}
