import nlp from 'compromise';
import { analyseKeyTerms, extractKeyTerms, insideIntroduction, isPlural, leansOnContext, listedAmongOthers, mentionsTerm, stem, STOP_WORDS, tokens, whichAgrees, withoutLinkingWords, type KeyTerm, type SegmentedDocument, type Sentence } from '@learner/text';

/** A key term of the document as the quiz uses it: where it stands in its sentence and what that sentence says it is. */
export interface Concept {
  term: KeyTerm;
  /**
   * The sentence the questions on this concept quote, as a learner reads it lifted out of its paragraph:
   * without the linking words that tie it to the sentence before ("In contrast, …", "…, however, …").
   */
  sentence: Sentence;
  /** That sentence as the document writes it: what a question cites and its explanation quotes. */
  source: Sentence;
  /** Where the term stands in that sentence (every occurrence). */
  spans: Span[];
  /** The term as the sentence writes it, lower case unless the term is a name. */
  surface: string;
  /** What the sentence says the term is, without the term ("the scientific study of …"), when it says it plainly. */
  definition: string | null;
  /** Rank of the term among the document's key terms, and how many of them count as its main terms. */
  rank: number;
  main: number;
  /** Whether the last word of the term is plural as the sentence writes it. */
  plural: boolean;
  /** Whether the sentence opens with the term: it says something of the term itself, not of something else. */
  subject: boolean;
  /**
   * The term stands in the sentence only as part of a longer key term ("ethnography" in "Institutional
   * ethnography is …") or of a name ("Church" in "The Episcopal Church, …"): a true statement may quote it,
   * a blank or a swap over it would leave half a term.
   */
  partOfLonger: boolean;
}

export interface Span {
  start: number;
  end: number;
}

const PEOPLE = new Set(
  'man men woman women people person persons child children kid kids boy boys girl girls adult adults parent parents student students member members worker workers participant participants individual individuals teenager teenagers researcher researchers scientist scientists leader leaders employee employees citizen citizens voter voters immigrant immigrants'.split(
    ' ',
  ),
);
const actors = new Map<string, boolean>();

/**
 * Whether a term names people: by what they do or hold ("sociologists", "ethnographers", "historians"), as
 * the tagger knows actors ("teachers"), or plainly ("men", "students"). A false statement that puts a thing
 * where the sentence has people ("Surveys conduct studies …" for "Ethnographers …") says nothing a learner
 * can judge.
 */
export function namesPeople(term: string): boolean {
  const last = term.trim().toLowerCase().split(/\s+/).at(-1) ?? '';
  if (/\p{L}{3}(?:ists?|ians?|graphers?)$/iu.test(last) || PEOPLE.has(last)) return true;
  let actor = actors.get(last);
  if (actor === undefined) {
    actor = (nlp(last).json() as { terms: { tags: string[] }[] }[]).some((s) => s.terms.some((t) => t.tags.includes('Actor')));
    actors.set(last, actor);
  }
  return actor;
}

export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** The sentence's words with their offsets and stems, as @learner/text tokenises them. */
function wordsWithOffsets(text: string): { start: number; end: number; stem: string }[] {
  const out: { start: number; end: number; stem: string }[] = [];
  for (const m of text.matchAll(WORD)) {
    const possessive = /['’]s$/i.exec(m[0]);
    const word = possessive ? m[0].slice(0, -2) : m[0];
    out.push({ start: m.index, end: m.index + word.length, stem: stem(word.normalize('NFKC').toLowerCase()) });
  }
  return out;
}

// "intimate partner violence (IPV)": the term's own abbreviation in brackets after it spells the answer's initials
// beside a blank ("the term _____ (IPV)") and gives a swap away ("a reliability (DV)"); a blank or a swap takes it too.
const BRACKETED_ABBREVIATION = /^\s*\((\p{Lu}{2,}s?)\)/u;

/** Whether the letters of `abbreviation` stand in `term` in order, the first of them first ("SES", "socioeconomic status"). */
function abbreviates(abbreviation: string, term: string): boolean {
  const letters = abbreviation.replace(/s$/, '').toLowerCase();
  const words = term.toLowerCase();
  if (letters[0] !== words[0]) return false;
  let at = 0;
  for (const letter of letters) {
    at = words.indexOf(letter, at);
    if (at < 0) return false;
    at += 1;
  }
  return true;
}

/** Every place the term (by its stems, as whole words) stands in `text`, with an editor's bracket it opens. */
export function termSpans(text: string, key: string): Span[] {
  const parts = key.split(' ');
  const words = wordsWithOffsets(text);
  const spans: Span[] = [];
  for (let i = 0; i + parts.length <= words.length; i++) {
    if (parts.every((p, j) => words[i + j]!.stem === p)) {
      let end = words[i + parts.length - 1]!.end;
      // "Queer [Theory]": an editor's bracket opened inside the term closes with it.
      const inside = text.slice(words[i]!.start, end);
      const opened = (inside.match(/[[(]/g)?.length ?? 0) - (inside.match(/[\])]/g)?.length ?? 0);
      if (opened > 0 && /^[\])]/.test(text.slice(end))) end += 1;
      spans.push({ start: words[i]!.start, end });
      i += parts.length - 1;
    }
  }
  return spans;
}

export const BLANK = '_____';

/** The span with the term's own abbreviation in brackets right after it, where there is one. */
function withAbbreviation(text: string, span: Span): Span {
  const abbreviation = BRACKETED_ABBREVIATION.exec(text.slice(span.end));
  return abbreviation && abbreviates(abbreviation[1]!, text.slice(span.start, span.end)) ? { start: span.start, end: span.end + abbreviation[0].length } : span;
}

/** The spans a blank or a swap takes, last first. */
const replaced = (text: string, spans: readonly Span[]): Span[] => spans.map((span) => withAbbreviation(text, span)).sort((a, b) => b.start - a.start);

/**
 * The text with the term's places blanked, its own abbreviation after them too. "a" or "an" before a blank reads
 * "a(n)": the article would tell which options start with a vowel.
 */
export function blankOut(text: string, spans: readonly Span[]): string {
  let out = text;
  for (const span of replaced(text, spans)) out = out.slice(0, span.start) + BLANK + out.slice(span.end);
  return out.replace(/\b([Aa])n?(\s+)(?=_____)/g, '$1(n)$2');
}

/** The text with `key` in its blanks, "a(n)" before one read as the article the key takes: what `blankOut` hid. */
export function fillBlank(text: string, key: string): string {
  return text.replace(/\b([Aa])\(n\)(?=\s+_{3,})/g, (_, a: string) => (/^[aeiou]/i.test(key) ? `${a}n` : a)).replace(/_{3,}/g, key);
}

/**
 * Puts `replacement` where the term stands (its own abbreviation after it gone too), keeping a capital at the
 * sentence start and "a"/"an" in agreement.
 */
export function swapTerm(text: string, spans: readonly Span[], replacement: string): string {
  let out = text;
  for (const span of replaced(text, spans)) {
    // A sentence's first word, not one after an abbreviation ("the U.S. government"): the text has a capital there.
    const capital = span.start === 0 || (/^\p{Lu}/u.test(out.slice(span.start)) && /[.!?]\s*["“]?$/.test(out.slice(0, span.start)));
    const word = capital ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement;
    let before = out.slice(0, span.start);
    const article = /\b(a|an|A|An)(\s+)$/.exec(before);
    if (article) {
      const an = /^[aeiou]/i.test(replacement) ? 'an' : 'a';
      const cased = /^A/.test(article[1]!) ? an.charAt(0).toUpperCase() + an.slice(1) : an;
      before = before.slice(0, article.index) + cased + article[2];
    }
    out = before + word + out.slice(span.end);
  }
  return out;
}

// A quotation is someone's words: three or more words in quotation marks, or an opening mark
// that the sentence never closes. One or two quoted words set a term apart.
const QUOTED = [/“([^”]*)(?:”|$)/g, /"([^"]*)"/g, /«([^»]*)»/g, /(?:^|[\s(])‘([^’]*)’/g, /(?:^|[\s(])'([^']*)'(?=[\s.,;:)!?]|$)/g];

export function hasQuotation(text: string): boolean {
  if ((text.match(/"/g)?.length ?? 0) % 2 === 1) return true;
  return QUOTED.some((pattern) => [...text.matchAll(pattern)].some((m) => (m[1]!.match(/\p{L}+/gu) ?? []).length >= 3));
}

/** Whether a sentence can be quoted on its own as the body of a question. */
export function standsAlone(text: string): boolean {
  const words = text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  return words >= 6 && words <= 50 && /[.!]["'”’)\]]?$/.test(text) && !leansOnContext(text) && !hasQuotation(text) && !text.includes(BLANK);
}

const CITATION = /\s*\((?:[^()]*\b(?:1[5-9]\d\d|20\d\d)[a-z]?|n\.d\.)\)/g;
const SUBJECT_OPENING = /^\s*(?:(?:in|for|within|among|to)\s[^,;:]{1,40},\s*)?(?:the|a|an)?\s*["“‘]?$/i;
const SUBJECT_CUE =
  /^["”’]?\s*(?:\([^)]{1,60}\)\s*)?,?\s*(?:refers? to|(?:is|are) defined as|means|denotes|(?:is|are) the term for|describes|(?:is|are)(?=\s+(?:(?:a|an|the|one|any|when|how|what|those|that|where|whatever)\b|(?:(?![\w-]+\s+(?:to|than)\b)[\w-]+\s+(?:(?:or|and)\s+)?){1,3}(?:that|which|who|whom|in which|by which|where|whereby)\b)))\s+(.+)$/i;
const NAMED_CUE =
  /^(.+?)\s*,?\s+(?:(?:is|are|was|were)\s+(?:(?:also|commonly|often|sometimes|usually)\s+)?(?:called|known as|termed|referred to as|labell?ed|dubbed)|(?:is|are)\s+what\s+(?:\w+\s+){0,3}(?:call|calls|term|terms|refer to as))\s+(?:the|a|an)?\s*["“‘]?$/i;
const JUDGEMENT =
  /^(?:one|some|many|most|part|all|each|among)\b|^(?:an?|the)\s+(?:\w+\s+)?(?:example|part|component|feature|aspect|extension|avenue|area|factor|issue|problem|reason|result|way|source)s?\s+of\b|^(?:an?|the)\s+(?:important|significant|key|major|critical|crucial|vital|essential|special|common|natural|central|good|great|big|serious|dramatic|growing|first|second|third|last|main|primary|best|largest|only|same|other|most|least|more|less)\b|^the fact that\b|^(?:an?|the)\s+(?:\w+\s+){1,2}of\s+(?:which|whom)\b/i;
// "X, or Y", "X, a Y", "X: the Y", "X—or Y—", "X, which is Y": the term set beside what it is.
// "X, which means Y" may say what X is in any form ("which means to judge …"); a bare or "or" apposition
// only in the form of a name for it, or "schools, or churches" would define a term by the next in a list.
const APPOSITIVE =
  /^["”’]?\s*(?:\([^)]{1,40}\)\s*)?([,:—–])\s*(?:(which (?:means|refers? to|describes)\s+)(?!that\b)(.+)|(or\s+|that is,?\s+|which (?:is|are)\s+|(?=(?:a|an|the)\s))((?:a|an|the|how|what|when|where|why|whether|\w+ing)\b.*))$/i;
const RELATIVE = /\b(?:that|which|who|whom|whose|where|when|in which|by which|of which)\b/i;

/** Whether the phrase, up to any relative clause, has a verb of its own ("the World Bank tracks …"). */
function hasFiniteVerb(phrase: string): boolean {
  const main = phrase.split(RELATIVE)[0] ?? phrase;
  const terms = (nlp(main).json() as { terms: { tags: string[] }[] }[]).flatMap((s) => s.terms);
  return terms.some((t) => t.tags.includes('Verb') && (t.tags.includes('PresentTense') || t.tags.includes('PastTense')) && !t.tags.includes('Participle') && !t.tags.includes('Gerund'));
}
const ENDS_AT_TERM = /^["”’]?\s*(?:\([^)]*\)\s*)?[.!]?["”’]?$/;

// Where a definition stops and the sentence goes on to something else.
const CLAUSE_END = /;|\s\(|,\s+(?:but|while|which|as well as|so|yet|whereas|although|though|because|when|as|is|are|was|were|has|have|had)\b/;

// "a term that refers to …", "a word used to describe …": what follows the cue is what the term means. Anything
// else said of the word ("a term that for many people has negative connotations") says nothing of the concept.
const ABOUT_THE_WORD = /^(?:a|an|the)\s+(?:term|word|phrase|name|label|expression)\b\s*(?:(?:that|which)\s+|used\s+)?/i;
const WORD_MEANS = /^(?:to\s+)?(?:refers?\s+to|describes?|means|denotes|designates)\s+/i;

function cleanDefinition(text: string, key: string): string | null {
  const aboutTheWord = ABOUT_THE_WORD.exec(text);
  if (aboutTheWord) {
    const cue = WORD_MEANS.exec(text.slice(aboutTheWord[0].length));
    if (!cue) return null;
    text = text.slice(aboutTheWord[0].length + cue[0].length);
  }
  const cut = text.search(CLAUSE_END);
  let definition = normalizeSpace((cut > 0 ? text.slice(0, cut) : text).replace(CITATION, '')).replace(/[.!;:,\s]+$/, '');
  // An option reads as a phrase, not as a sentence start ("Social processes that …" → "social processes that …").
  if (/^\p{Lu}\p{Ll}/u.test(definition)) definition = definition.charAt(0).toLowerCase() + definition.slice(1);
  // "X is an important part of …", "X is one of …": a judgement about the term, not what it is.
  if (JUDGEMENT.test(definition)) return null;
  const words = definition.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  // Too short says nothing, too long is a paragraph; one that names the term gives itself away.
  if (words < 4 || words > 40 || definition.length > 240 || mentionsTerm(definition, key) || hasQuotation(definition)) return null;
  return definition;
}

/**
 * What a sentence says a term is, when it says it plainly: "X is/refers to/means Y" gives Y,
 * "Y is called/known as X" gives Y. Anything else (the term used in passing, "called X" inside a
 * longer clause) gives null.
 */
export function definitionPart(sentence: string, span: Span, key: string): string | null {
  const before = sentence.slice(0, span.start);
  const after = sentence.slice(span.end);
  if (SUBJECT_OPENING.test(before)) {
    const m = SUBJECT_CUE.exec(after);
    if (m) return cleanDefinition(m[1]!, key);
  }
  const apposed = APPOSITIVE.exec(after);
  // "After the war, the …": a term that closes an opening phrase has no apposition after it; nor does an
  // item of a list, and ", which is …" after a plural is about the clause it ends.
  const term = sentence.slice(span.start, span.end);
  if (apposed && !insideIntroduction(before) && !listedAmongOthers(before, after) && whichAgrees(term, after)) {
    const cue = apposed[2] ?? apposed[4];
    const rest = apposed[3] ?? apposed[5]!;
    // A dash apposition ends at the closing dash; any other where the sentence goes on (see cleanDefinition).
    const end = apposed[1] === '—' || apposed[1] === '–' ? rest.search(/[—–]/) : -1;
    const definition = end >= 0 ? rest.slice(0, end) : rest;
    // A bare ", the …" may as well start the main clause ("…the economy, the World Bank tracks …"):
    // only a phrase without a verb of its own is an apposition.
    if (cue || !hasFiniteVerb(definition)) return cleanDefinition(definition, key);
  }
  if (ENDS_AT_TERM.test(after)) {
    const m = NAMED_CUE.exec(before);
    // "… face what is called X": the clause before is no description of X.
    if (m && !/\bwhat$/i.test(m[1]!)) return cleanDefinition(m[1]!, key);
  }
  return null;
}

function lastWord(text: string): string {
  return text.split(/\s+/).pop() ?? '';
}

/** Whether two words are one noun, singular or plural ("norm", "norms"; "society", "societies"). */
function sameNoun(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  const plural = (w: string): string[] => [`${w}s`, `${w}es`, ...(/[^aeiou]y$/.test(w) ? [`${w.slice(0, -1)}ies`] : [])];
  return x === y || plural(x).includes(y) || plural(y).includes(x) || irregularPlural(x, y);
}

/** Every word of a text, lower case, between spaces: whether it writes a phrase is a lookup of ` ${phrase} `. */
export function wordsWritten(text: string): string {
  return ` ${text.toLowerCase().replace(/[^\p{L}\p{N}'’-]+/gu, ' ').trim()} `;
}

/**
 * A term in the number of the one it stands beside ("critical theories" among "sociological theories", "fiefdom"
 * beside "society"), where the document writes it so and the head noun stays the same noun; else as it is. An
 * option in another number than the blank's sentence wants gives itself away ("Classic _____ are still …").
 */
export function inNumber(term: string, plural: boolean, written: string): string {
  if (isPlural(term) === plural) return term;
  const phrase = nlp(term);
  if (plural) phrase.nouns().toPlural();
  else phrase.nouns().toSingular();
  const other = phrase.text().trim();
  const known = other !== term && sameNoun(lastWord(other), lastWord(term)) && !STOP_WORDS.has(other.toLowerCase());
  return known && written.includes(` ${other.toLowerCase()} `) ? other : term;
}

/** "criterion"/"criteria", "phenomenon"/"phenomena", "analysis"/"analyses": Latin and Greek plurals. */
function irregularPlural(x: string, y: string): boolean {
  const pairs: Array<[RegExp, string]> = [[/on$/, 'a'], [/um$/, 'a'], [/is$/, 'es'], [/us$/, 'i'], [/ex$/, 'ices'], [/ix$/, 'ices']];
  return pairs.some(([singular, end]) => (singular.test(x) && x.replace(singular, end) === y) || (singular.test(y) && y.replace(singular, end) === x));
}

/**
 * A term the document writes in lower case, capitalized inside a sentence: part of a name there ("the Episcopal
 * Church", "the Industrial Revolution"), or the name itself ("the Church"), not the concept.
 */
function writtenAsName(sentence: string, span: Span, term: KeyTerm): boolean {
  if (term.kind !== 'concept' || !/^\p{Ll}/u.test(term.term)) return false;
  const opensSentence = !/[\p{L}\p{N}]/u.test(sentence.slice(0, span.start));
  return !opensSentence && /^\p{Lu}/u.test(sentence.slice(span.start, span.end));
}

/** The term as `sentence` writes it: the document's capitals kept, the one a sentence start gives dropped. */
function surfaceIn(sentence: string, span: Span, term: KeyTerm): string {
  const found = sentence.slice(span.start, span.end);
  if (term.kind !== 'concept') return found;
  const canonical = term.term.split(' ');
  return found
    .split(/\s+/)
    .map((w, i) => (canonical[i] !== undefined && canonical[i] === canonical[i]!.toLowerCase() ? w.toLowerCase() : w))
    .join(' ');
}

function placeIn(term: KeyTerm, source: Sentence, rank: number, main: number): Concept | null {
  const text = withoutLinkingWords(source.text);
  const sentence = text === source.text ? source : { ...source, text };
  if (!standsAlone(sentence.text)) return null;
  const spans = termSpans(sentence.text, term.key);
  if (!spans.length) return null;
  // Stems meet across kinds of word ("conforms" and "conformity"): only the term itself, or its plural, is blanked.
  if (!spans.every((span) => sameNoun(lastWord(sentence.text.slice(span.start, span.end)), lastWord(term.term)))) return null;
  const surface = surfaceIn(sentence.text, spans[0]!, term);
  // What is left once the term is blanked must still say something.
  const rest = blankOut(sentence.text, spans).match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
  if (rest < 5) return null;
  const subject = SUBJECT_OPENING.test(sentence.text.slice(0, spans[0]!.start));
  return { term, sentence, source, spans, surface, definition: definitionPart(sentence.text, spans[0]!, term.key), plural: isPlural(surface), subject, rank, main, partOfLonger: false };
}

/** How many key terms to read at most: generation picks from the best, distractors from all. */
const MAX_TERMS = 80;

export interface DocumentConcepts {
  sentences: Sentence[];
  /** Every key term the document yields, most important first (distractors and the item check use them). */
  terms: KeyTerm[];
  /** The key terms a question can be built on, most important first. */
  concepts: Concept[];
  /**
   * Key terms that are no concept above but have a sentence that explains them, highest score
   * first: what a quiz asks about once the concepts are used up.
   */
  explained: Concept[];
  /**
   * Every sentence that can carry a question on the concept's term, the concept's own first (a
   * concept can carry several questions, each quoting another sentence).
   */
  placements(concept: Concept): Concept[];
}

/**
 * The document's concepts for a quiz: its key terms (from @learner/text), each placed in a
 * sentence that can carry a question, preferably one that says plainly what the term is. A term
 * the document defines plainly is a concept wherever it ranks; one it does not define must rank
 * among the document's main terms.
 */
/** The terms `documentConcepts` chooses among, for measuring their relatedness to the passages. */
export function conceptCandidates(doc: SegmentedDocument): Array<{ term: string; key: string }> {
  return analyseKeyTerms(doc)
    .select({ max: MAX_TERMS })
    .map((t) => ({ term: t.term, key: t.key }));
}

export function documentConcepts(doc: SegmentedDocument, relatedness?: ReadonlyMap<string, number>): DocumentConcepts {
  const terms = extractKeyTerms(doc, { max: MAX_TERMS, ...(relatedness ? { relatedness } : {}) });
  const main = Math.max(6, Math.min(40, Math.round(doc.sentences.length / 14)));
  const stemmed = doc.sentences.map((s) => ` ${tokens(s.text).map(stem).join(' ')} `);
  const mentioning = (term: KeyTerm): Sentence[] => doc.sentences.filter((s) => s.index !== term.sentenceIndex && stemmed[s.index]!.includes(` ${term.key} `));
  const longer = new Map(terms.map((t) => [t.key, terms.filter((o) => o.key !== t.key && ` ${o.key} `.includes(` ${t.key} `))]));
  const conceptIn = (term: KeyTerm, sentence: Sentence, rank: number, main: number): Concept | null => {
    const concept = placeIn(term, sentence, rank, main);
    if (!concept) return null;
    const within = longer.get(term.key)!.flatMap((o) => termSpans(concept.sentence.text, o.key));
    concept.partOfLonger = concept.spans.every(
      (span) => within.some((w) => w.start <= span.start && span.end <= w.end) || writtenAsName(concept.sentence.text, span, term),
    );
    return concept;
  };
  const concepts: Concept[] = [];
  const explained: Concept[] = [];
  // A short text's terms are few and its definitions stand out; a long one's run far down the list.
  const considered = Math.max(main, 15);
  terms.forEach((term, rank) => {
    const own = doc.sentences[term.sentenceIndex];
    const chosen = own ? conceptIn(term, own, rank, main) : null;
    if (rank < considered) {
      if (chosen?.definition) {
        concepts.push(chosen);
        return;
      }
      // The sentence the library picked may not say plainly what the term is, or be unusable here
      // (a quotation, too long); another that does will do.
      for (const s of mentioning(term)) {
        const other = conceptIn(term, s, rank, main);
        if (other?.definition) {
          concepts.push(other);
          return;
        }
      }
      // A main term the text does not define plainly still serves as a distractor and in the item check.
      if (chosen && term.defined && rank < main / 3) {
        concepts.push(chosen);
        return;
      }
    }
    // The sentence the library found to explain the term, or else another that can carry a question on it.
    const explaining = chosen ?? mentioning(term).reduce<Concept | null>((found, s) => found ?? conceptIn(term, s, rank, main), null);
    // Past the document's main terms, a term it only uses is seldom one of its concepts.
    if (explaining && rank < main) explained.push(explaining);
  });
  explained.sort((a, b) => b.term.score - a.term.score);

  const placed = new Map<string, Concept[]>();
  // Only asked for the concepts a quiz reaches: a long document's terms are mentioned thousands of times.
  const placements = (concept: Concept): Concept[] => {
    let list = placed.get(concept.term.key);
    if (!list) {
      const others = doc.sentences.filter((s) => s.index !== concept.sentence.index && stemmed[s.index]!.includes(` ${concept.term.key} `));
      list = [concept, ...others.map((s) => conceptIn(concept.term, s, concept.rank, concept.main)).filter((c): c is Concept => c !== null)];
      placed.set(concept.term.key, list);
    }
    return list;
  };
  return { sentences: doc.sentences, terms, concepts, explained, placements };
}

function stemsOf(key: string): string[] {
  return key.split(' ');
}

/** One term inside the other ("deviance" in "primary deviance"): never two options of one question. */
export function nested(a: string, b: string): boolean {
  return ` ${a} `.includes(` ${b} `) || ` ${b} `.includes(` ${a} `);
}

/**
 * Stems of one word in two forms: the same, or one the other with up to two more letters ("boom"/"boomer",
 * "ethnograph"/"ethnographi"), or, for a long stem, that with its last letter changed ("democrat"/"democraci").
 */
function sameWord(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short === long) return true;
  if (long.length - short.length > 2) return false;
  return (short.length >= 4 && long.startsWith(short)) || (short.length >= 7 && long.startsWith(short.slice(0, -1)));
}

/**
 * Two names of one concept, never two options of one question: one inside the other ("deviance" in
 * "primary deviance"), or each word of the shorter another form of a word of the longer, which adds at
 * most one word ("baby boomers" / "baby boom generation", "ethnography" / "ethnographic study").
 * "formal norms" / "informal norms" and "classism" / "social class" stay two concepts.
 */
export function namesAlike(a: string, b: string): boolean {
  if (nested(a, b)) return true;
  const [x, y] = [stemsOf(a), stemsOf(b)];
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (long.length - short.length > 1) return false;
  const unused = [...long];
  for (const w of short) {
    const i = unused.findIndex((u) => sameWord(w, u));
    if (i < 0) return false;
    unused.splice(i, 1);
  }
  return true;
}

/**
 * How close another key term is to a concept, as a distractor or a swap: the same head noun
 * ("independent variable" / "dependent variable"), the same section, a similar length and number.
 */
export function closeness(concept: Concept, other: KeyTerm): number {
  const a = stemsOf(concept.term.key);
  const b = stemsOf(other.key);
  let score = 0;
  if (a[a.length - 1] === b[b.length - 1]) score += 3;
  score += a.filter((w) => b.includes(w)).length * 0.5;
  if (other.heading !== null && other.heading === concept.term.heading) score += 2;
  score -= Math.abs(a.length - b.length) * 0.75;
  if (isPlural(other.term) === concept.plural) score += 1;
  score -= Math.min(2, Math.abs(other.sentenceIndex - concept.sentence.index) / 40);
  return score;
}
