import { stemmer } from 'stemmer';
import stopword from 'stopword';

/**
 * English function words, and the words of instructions and discourse that carry no subject
 * ("however", "example", "called"): stopword's list and a few more. One list for the whole
 * platform, so search, the tutor, notes and quizzes agree on what a content word is.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  ...stopword.eng,
  ...`a about above after again against all almost along already also although always am among an and another any
  anyone anything are around as at be became because become becomes been before being below between both but by can
  cannot could did do does doing done down during each either else enough etc even ever every few for from further
  get gets getting give given gives go goes going got had has have having he her here hers herself him himself his
  how however i if in including instead into is it its itself just least less let like likely made make makes many
  may me might more most mostly much must my myself neither never no nor not now of off often on once one only onto
  or other others otherwise our ours ourselves out over own per perhaps quite rather really said same say says see
  seen several shall she should since so some something sometimes still such than that the their theirs them
  themselves then there therefore these they thing things this those though through thus to together too toward
  towards under until up upon us use used uses using usually very via was way ways we well were what whatever when
  where whether which while who whom whose why will with within without would yet you your yours yourself
  yourselves also called known example examples instance e.g i.e whereas hence moreover furthermore`.split(/\s+/),
]);

/**
 * Adjectives that pick out some of a kind or say how many, not what kind it is: "a specific population" is a
 * population, "multiple sacred texts" are sacred texts. No term or topic starts with one.
 */
export const SELECTING_WORDS: ReadonlySet<string> = new Set(
  'specific particular certain multiple various numerous several entire whole overall actual respective additional different similar same'.split(' '),
);

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase());
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/**
 * Lower-cased words of a text, letters and digits; a possessive or contraction stays with its
 * word ("cell's", "don't").
 */
export function tokens(text: string): string[] {
  return (text.normalize('NFKC').toLowerCase().match(WORD) ?? []).map((w) => w.replace(/['’]s$/, ''));
}

const stemCache = new Map<string, string>();

// "hypotheses", "theses", "syntheses", "analyses", "paralyses": plurals of words in -sis.
const GREEK_PLURAL = /(?<=\p{L}{2}[ey]s)es$/u;

// English plurals no suffix rule reaches ("feral children" / "feral child"); "media" and "data" stay
// as they are, being the words a text uses for the thing itself ("social media", "secondary data").
const IRREGULAR_PLURALS = new Map([
  ['children', 'child'],
  ['women', 'woman'],
  ['men', 'man'],
  ['feet', 'foot'],
  ['teeth', 'tooth'],
  ['mice', 'mouse'],
  ['geese', 'goose'],
  ['criteria', 'criterion'],
  ['phenomena', 'phenomenon'],
]);

/**
 * Whether a word is one of English's plurals without a suffix ("children", "women", "people"), alone or
 * closing a compound ("grandchildren", "businesswomen", "townspeople", "firemen", "policemen"); "specimen" and
 * "abdomen" are not.
 */
export function irregularPlural(word: string): boolean {
  const lower = word.toLowerCase();
  return IRREGULAR_PLURALS.has(lower) || /(?:children|women|people|\p{L}smen|(?:fire|police|chair|fisher|fresh|gentle|clergy|work|service|country|noble|middle|fore|lay|horse)men)$/u.test(lower);
}

/** Porter stem of a lower-case word, so "produces", "producing" and "produced" meet. */
export function stem(word: string): string {
  const lower = word.toLowerCase();
  let cached = stemCache.get(lower);
  if (cached === undefined) {
    if (stemCache.size > 100_000) stemCache.clear();
    // Porter leaves the Greek plurals apart from their singulars ("hypotheses" / "hypothesis"): they meet as the singular.
    cached = stemmer(IRREGULAR_PLURALS.get(lower) ?? lower.replace(GREEK_PLURAL, 'is'));
    stemCache.set(lower, cached);
  }
  return cached;
}

/** Words that carry the subject: not stop words, not bare numbers, at least two characters. */
export function contentWords(text: string): string[] {
  return tokens(text).filter((w) => w.length > 1 && !STOP_WORDS.has(w) && !/^\d+$/.test(w));
}

/** Stems of the content words of `text`, in order (repeats kept). */
export function contentStems(text: string): string[] {
  return contentWords(text).map(stem);
}

/** The identity of a term: its words' stems, space-joined ("Operational definitions" → "oper definit"). */
export function termKey(term: string): string {
  return tokens(term).map(stem).join(' ');
}
