/**
 * Text as the neural voice should read it. hibari reads numbers, dates, units and most symbols
 * itself, but a period after an abbreviation it does not know ends its sentence there: "As Fig. 3
 * shows" is read as two sentences, with the pause and falling pitch of a sentence end after
 * "figure", and "p. 4" as the letter "p" and a sentence "four". So the abbreviations of textbook
 * prose are written out before the text reaches it, and a few number forms it misreads with them:
 * an en-dash range before the end of a sentence ("pages 12–15." read "twelve fifteen") and a
 * ratio ("3:1" read "three one").
 */

/** Abbreviations read as the word they stand for when a number follows: "Fig. 3" -> "figure 3". */
const BEFORE_NUMBER: Record<string, string> = {
  fig: 'figure',
  figs: 'figures',
  eq: 'equation',
  eqs: 'equations',
  eqn: 'equation',
  ch: 'chapter',
  chap: 'chapter',
  sec: 'section',
  sect: 'section',
  vol: 'volume',
  vols: 'volumes',
  p: 'page',
  pp: 'pages',
  ca: 'circa',
};

/** Abbreviations read as their words wherever they stand (none of them ends a sentence). */
const ANYWHERE: Array<[RegExp, string]> = [
  [/(?<![\p{L}\p{N}.])e\.\s?g\.(?!\p{L})/giu, 'for example'],
  [/(?<![\p{L}\p{N}.])i\.\s?e\.(?!\p{L})/giu, 'that is'],
  [/(?<![\p{L}\p{N}.])cf\.(?=\s)/giu, 'compare'],
  [/(?<![\p{L}\p{N}.])approx\.(?=\s)/giu, 'approximately'],
];

const BEFORE_NUMBER_PATTERN = new RegExp(`(?<![\\p{L}\\p{N}.])(${Object.keys(BEFORE_NUMBER).join('|')})\\.\\s*(?=\\d)`, 'giu');
const NUMBER = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
// An en dash between two numbers is a range; a hyphen may be a score, a code or a phone number.
const RANGE = new RegExp(`(?<![\\d.,:/])(${NUMBER})\\s?–\\s?(${NUMBER})(?![\\d:/])`, 'gu');
// 3:1 or 1:1000; two digits after the colon are left alone, as a time of day (10:30) or a verse (3:16).
const RATIO = /(?<![\d.:])(\d+):(\d|\d{3,})(?![\d:])/gu;

function sameCase(word: string, as: string): string {
  return as[0] === as[0]!.toUpperCase() && as[0] !== as[0]!.toLowerCase() ? word[0]!.toUpperCase() + word.slice(1) : word;
}

export function speechText(text: string): string {
  let out = text;
  for (const [pattern, words] of ANYWHERE) out = out.replace(pattern, (found) => sameCase(words, found));
  out = out.replace(BEFORE_NUMBER_PATTERN, (_found, abbreviation: string) => `${sameCase(BEFORE_NUMBER[abbreviation.toLowerCase()]!, abbreviation)} `);
  // "et al." ends the sentence only before a capital letter or the end of the text.
  out = out.replace(/(?<![\p{L}\p{N}])et al\.(?=\s+[^\s\p{Lu}])/giu, (found) => found.slice(0, -1));
  out = out.replace(RANGE, '$1 to $2');
  out = out.replace(RATIO, '$1 to $2');
  return out;
}
