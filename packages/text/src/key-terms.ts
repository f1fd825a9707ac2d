import nlp from 'compromise';
import { insideIntroduction, isPlural, listedAmongOthers, whichAgrees } from './apposition.js';
import { leansOnContext } from './context.js';
import { rarity } from './general-english.js';
import { spread } from './spread.js';
import type { SegmentedDocument, Sentence } from './segment.js';
import { SELECTING_WORDS, STOP_WORDS, isStopWord, stem, termKey, tokens } from './words.js';

/** A concept of a document: a term it defines, names in headings, or keeps coming back to. */
export interface KeyTerm {
  /** As the document writes it: lower case unless it is a name or an acronym. */
  term: string;
  /** Stems of its words ("oper definit"): the same term written differently has one key. */
  key: string;
  /** 'name' for a proper name (capitalised wherever it stands), 'acronym', else 'concept'. */
  kind: 'concept' | 'name' | 'acronym';
  /** The sentence that defines it, or failing that the one that best explains it. */
  sentence: string;
  sentenceIndex: number;
  page: number;
  /** The sentence has the form of a definition of this term ("X is …", "… known as X"). */
  defined: boolean;
  /** Paragraphs that mention it. */
  spread: number;
  score: number;
  /** The heading of the section it is defined or first used in. */
  heading: string | null;
}

interface Token {
  text: string;
  pre: string;
  post: string;
  tags: Set<string>;
  /** Where the word starts in the text it was read from; absent where the tagger's text is not the text's own. */
  start?: number;
}

interface Candidate {
  key: string;
  words: number;
  forms: Map<string, number>;
  sentences: Set<number>;
  paragraphs: Set<number>;
  first: number;
  /** Strongest definition cue seen and the sentence it was in. */
  definedStrength: number;
  definedIn: number;
  inHeading: boolean;
  /** Mentions where it does not open a sentence, and how many of those were capitalised. */
  innerMentions: number;
  capitalisedInner: number;
  /** Mentions the tagger took for a person, place or organisation. */
  properMentions: number;
  /** It ends in a gerund ("tracking", "social networking"). */
  gerund: boolean;
  /** A capitalised name before a common noun ("Hawthorne effect", "Thomas theorem"). */
  eponym: boolean;
  /** A heading is this term and nothing else ("Labeling Theory"). */
  headingWhole: boolean;
  /** The first sentence the whole term opens, as its subject ("Reform movements seek to …"), or -1. */
  opensIn: number;
}

const MAX_WORDS = 4;
/** Bounds of the number of key terms listed unless the caller says. */
const MIN_COUNT = 6;
const MAX_COUNT = 40;
/**
 * How many of the terms a text defines a glossary lists (0.7 before kinds taught a sentence each counted as
 * defined, which added about a twentieth to the defined terms; on the development set of textbook sections
 * 0.65 lists as many terms as before, 0.6 trades recall of the glossaries for precision).
 */
const DEFINED_SHARE = 0.65;
/** A glossary lists about one term for every twelve sentences of text. */
const SENTENCES_PER_TERM = 12;
/** What being one of several defined kinds of one thing adds to a term's score. */
const TYPOLOGY_BONUS = 4;
/** How many kinds on one head noun, each opening a sentence of its own, make a typology. */
const OPENING_KINDS = 3;
/** What naming a phrase only in the plural, undefined, costs its score. */
const UNDEFINED_PLURAL_PENALTY = 1;
const MAX_SENTENCE_CHARS = 600;
const MAX_TAGGED_SENTENCES = 2500;

// "anti-LGBTQ laws", "pro-choice groups", "non-Western societies", "post-industrial nations": a word
// made with one of these prefixes describes what follows it, unless it names a thing itself
// ("anti-racism", "non-conformist", "pre-registration").
const PREFIXED_TRAIT = /^(?:anti|pro|non|pre|post)-(?![\p{L}-]*(?:isms?|ists?|tions?|sions?|ity|ities|ments?|ness|ances?|ences?|ers?|ors?)$)/iu;

function tokensOf(text: string): Token[] {
  const json = nlp(text).json({ terms: { tags: true } }) as { terms: { text: string; pre: string; post: string; tags: string[] }[] }[];
  const out: Token[] = [];
  let cursor = 0;
  for (const t of json.flatMap((s) => s.terms)) {
    const previous = out[out.length - 1];
    const at = t.text ? text.indexOf(t.text, cursor) : -1;
    if (at >= 0) cursor = at + t.text.length;
    // The tagger splits some hyphenated words ("in-group", "role-set"); they are one word, with the
    // last part's tags.
    if (previous && previous.post === '-' && !t.pre) {
      out[out.length - 1] = { ...previous, text: `${previous.text}-${t.text}`, post: t.post, tags: new Set(t.tags) };
    } else out.push({ text: t.text, pre: t.pre, post: t.post, tags: new Set(t.tags), ...(at >= 0 ? { start: at } : {}) });
  }
  for (const token of out) if (PREFIXED_TRAIT.test(token.text)) token.tags = new Set(['Adjective']);
  return out;
}

// A word that names a trait ("democratic", "authoritarian"), even where the tagger took it for a noun.
const traitWord = (t: Token): boolean => t.tags.has('Adjective') || /\p{Ll}(?:ic|al|ive|ous|ary|ful|less|able|ible|arian)$/u.test(t.text);
const isNoun = (t: Token): boolean =>
  (t.tags.has('Noun') || t.tags.has('Acronym')) && !t.tags.has('Pronoun') && !t.tags.has('Possessive') && !t.tags.has('Value');
const isVerbForm = (t: Token): boolean => (t.tags.has('Verb') || t.tags.has('Gerund')) && !isNoun(t) && !t.tags.has('Adjective');
// A gerund names a practice ("tracking is the practice of …"); it is kept as a term only where defined.
const isHead = (t: Token): boolean => isNoun(t) || t.tags.has('Gerund');
// A verb's base form that is no auxiliary ("conflict", "cycle"): the tagger's reading of many nouns.
const bareVerb = (t: Token): boolean => t.tags.has('Infinitive') && !t.tags.has('Auxiliary') && !t.tags.has('Modal') && !t.tags.has('Copula');
// A base-form verb before a noun is often a noun itself ("conflict theory", "manifest functions").
const isModifier = (t: Token): boolean =>
  (t.tags.has('Adjective') && !t.tags.has('Comparable') && !t.tags.has('Superlative')) || t.tags.has('Gerund') || bareVerb(t) || isNoun(t);
// Verbs that a tagger may take for plural nouns right where a definition starts ("X refers to").
const CUE_VERBS = new Set(['refers', 'means', 'denotes', 'describes', 'involves', 'includes', 'occurs', 'consists', 'represents']);
const usableWord = (t: Token): boolean => {
  const word = t.text.toLowerCase();
  return /^\p{L}[\p{L}\p{N}'’-]*$/u.test(t.text) && t.text.length > 1 && !STOP_WORDS.has(word) && !CUE_VERBS.has(word) && !SELECTING_WORDS.has(word);
};

/**
 * Nouns that close a fixed phrase after their preposition ("take into account underemployment", "on behalf
 * of", "in terms of", "by means of"): the noun belongs to the phrase, not to a name that follows it.
 */
const IDIOM_NOUNS: ReadonlyMap<string, RegExp> = new Map([
  ['account', /^(?:into|on)$/i],
  ['behalf', /^(?:on|in)$/i],
  ['terms', /^in$/i],
  ['spite', /^in$/i],
  ['lieu', /^in$/i],
  ['means', /^by$/i],
  ['favor', /^in$/i],
  ['favour', /^in$/i],
  ['charge', /^in$/i],
  ['addition', /^in$/i],
  ['contrast', /^in$/i],
  ['fact', /^in$/i],
]);
const closesIdiom = (t: Token, previous: Token | undefined): boolean =>
  previous !== undefined && !/\S/.test(previous.post) && (IDIOM_NOUNS.get(t.text.toLowerCase())?.test(previous.text) ?? false);

/**
 * Noun-phrase runs of a sentence's tokens: modifiers and nouns, ending in a noun, unbroken by
 * punctuation. Two runs joined by "of" ("code of ethics", "division of labor") also make one run.
 */
function nounRuns(tokens: Token[]): Token[][] {
  const runs: Array<{ tokens: Token[]; start: number; end: number }> = [];
  let run: Token[] = [];
  let start = 0;
  const close = (at: number): void => {
    while (run.length && !isHead(run[run.length - 1]!)) run.pop();
    if (run.length) runs.push({ tokens: run, start, end: start + run.length - 1 });
    run = [];
    start = at + 1;
  };
  let previous: Token | undefined;
  tokens.forEach((t, i) => {
    if (/[("“[]/.test(t.pre) && run.length) {
      close(i - 1);
      start = i;
    }
    // A verb form after a noun or a verb is a predicate ("women report experiencing …"), not part
    // of a name; only where a phrase may start ("the conflict theory", "in manifest functions").
    // But a bare verb after a singular noun cannot be its verb ("the family life cycle was …" would be "cycles"):
    // before a verb, a preposition or the end of the clause, the tagger took a noun for a verb.
    const next = tokens[i + 1];
    const nounTakenForVerb =
      bareVerb(t) && previous !== undefined &&
      isNoun(previous) && previous.tags.has('Singular') && !previous.tags.has('ProperNoun') && run.length > 0 && !/\S/.test(previous.post) &&
      (/^[,.;:!?)]/.test(t.post.trim()) || next === undefined || next.tags.has('Copula') || next.tags.has('Auxiliary') || next.tags.has('Modal') || next.tags.has('Preposition'));
    // "the forces driving social change": an -ing word after a plural noun starts a clause about it.
    const clauseAfterPlural = /\p{L}{3}ing$/iu.test(t.text) && previous !== undefined && isNoun(previous) && previous.tags.has('Plural') && !/\S/.test(previous.post);
    const predicate = clauseAfterPlural || (!nounTakenForVerb && isVerbForm(t) && previous !== undefined && !/[,.;:!?)(\]"“”]/.test(previous.post) && (isNoun(previous) || isVerbForm(previous) || previous.tags.has('Adverb')));
    // "to maximize reliability", "can shape norms": a verb, whatever the tagger thought.
    const verbAfterTo = t.tags.has('Infinitive') && previous !== undefined && (/^to$/i.test(previous.text) || previous.tags.has('Modal') || previous.tags.has('Auxiliary'));
    // "the generalized other": a participle right after an article describes what follows it.
    const participle = /\p{L}{3}ed$/iu.test(t.text) && t.tags.has('Verb') && previous !== undefined && /^(?:the|a|an)$/i.test(previous.text);
    // "significant others", "the generalized other": after a word that describes them, "others" are people, a noun.
    const others = /^others?$/i.test(t.text) && run.length > 0 && (traitWord(run[run.length - 1]!) || /ed$/i.test(run[run.length - 1]!.text));
    if (predicate || verbAfterTo || closesIdiom(t, previous)) close(i);
    else if (others) run.push({ ...t, tags: new Set([...t.tags].filter((tag) => tag !== 'Pronoun' && tag !== 'Adjective').concat('Noun')) });
    else if (nounTakenForVerb && usableWord(t)) run.push({ ...t, tags: new Set([...t.tags].filter((tag) => tag !== 'Verb').concat('Noun')) });
    else if ((usableWord(t) && isModifier(t)) || participle) run.push(participle ? { ...t, tags: new Set([...t.tags, 'Adjective']) } : t);
    else close(i);
    if (/[,.;:!?)"”\]—–]/.test(t.post) || /\s-\s/.test(t.post)) close(i);
    previous = t;
  });
  close(tokens.length);
  const out = runs.map((r) => r.tokens);
  out.push(...namedSpans(tokens));
  for (let k = 0; k + 1 < runs.length; k++) {
    const [a, b] = [runs[k]!, runs[k + 1]!];
    const of = tokens[a.end + 1];
    const before = a.tokens[a.tokens.length - 1]!;
    if (b.start === a.end + 2 && of && /^of$/i.test(of.text) && !META_NOUNS.has(before.text.toLowerCase()) && !PARTITIVE_NOUNS.has(before.text.toLowerCase()) && !/[^\s]/.test(a.tokens[a.tokens.length - 1]!.post) && isNoun(a.tokens[a.tokens.length - 1]!)) {
      out.push([...a.tokens.slice(-2), of, ...b.tokens.slice(0, 2)]);
    }
  }
  return out;
}

// Endings only nouns have, whatever the tagger made of the word ("bigamy", "anomie" aside).
const NOUN_ENDING = /\p{L}{2}(?:ism|ity|tion|sion|ment|ness|ship|hood|logy|graphy|archy|cracy|gamy|ance|ence)s?$/iu;
const NAMING_VERBS = new Set(['called', 'termed', 'dubbed', 'labeled', 'labelled']);
/**
 * The words a naming cue introduces ("called achieved statuses", "referred to as the iron cage"),
 * up to the next punctuation, as one phrase whatever the tagger made of them: it takes the
 * participle in "achieved statuses" for a verb, and "cage" after "iron" for one too.
 */
function namedSpans(tokens: Token[]): Token[][] {
  const spans: Token[][] = [];
  tokens.forEach((t, k) => {
    const word = t.text.toLowerCase();
    const cue =
      (NAMING_VERBS.has(word) && !/[,.;:!?)]/.test(t.post)) ||
      (word === 'as' && /^(?:known|to)$/i.test(tokens[k - 1]?.text ?? '') && (tokens[k - 1]!.text.toLowerCase() === 'known' || /^referred$/i.test(tokens[k - 2]?.text ?? '')));
    // "Shoemaker and Vos define gatekeeping as …": the words between the verb and "as".
    const defines = /^define[sd]?$/.test(word);
    if (!cue && !defines) return;
    let i = k + 1;
    if (/^(?:the|a|an)$/i.test(tokens[i]?.text ?? '') && !/[,.;:!?)]/.test(tokens[i]!.post)) i++;
    const span: Token[] = [];
    for (; i < tokens.length && span.length < MAX_WORDS; i++) {
      const w = tokens[i]!;
      if (!usableWord(w) || w.tags.has('Adverb') || w.tags.has('Preposition') || w.tags.has('Pronoun') || (span.length > 0 && /[("“[]/.test(w.pre))) break;
      span.push(w);
      if (/[,.;:!?)"”\]—–]/.test(w.post)) break;
    }
    // Only a phrase that punctuation or the sentence's end closes: "called achieved statuses, are …".
    const last = span[span.length - 1];
    if (defines) {
      if (last && span.length <= 3 && /^as$/i.test(tokens[i]?.text ?? '') && !/[,.;:!?)]/.test(last.post)) spans.push([...span.slice(0, -1), { ...last, tags: new Set([...last.tags, 'Noun']) }]);
      return;
    }
    // "… is referred to as bigamy and is considered …": a conjunction and a verb close the name as a comma would.
    const clauseFollows = /^(?:and|but)$/i.test(tokens[i]?.text ?? '') && (tokens[i + 1]?.tags.has('Verb') ?? false);
    if (!last || span.length > 3 || !(/[,.;:!?)"”\]—–(]/.test(last.post) || tokens[tokens.length - 1] === last || /[(]/.test(tokens[i]?.pre ?? '') || clauseFollows)) return;
    // "called deviant", "known as gay": a quality, not a name of something.
    if (span.length === 1 && last.tags.has('Adjective') && !isNoun(last) && !NOUN_ENDING.test(last.text)) return;
    spans.push([...span.slice(0, -1), { ...last, tags: new Set([...last.tags, 'Noun']) }]);
  });
  return spans;
}

// Cues that a sentence defines or names a term. `named` cues put the term after them, `subject`
// cues before them. After a pronoun, "called" is a deed ("they called the police"), not a name; "best
// known as" is a reputation ("Park is best known as the founder of social ecology"); "so-called" and
// "so-termed" keep a name at arm's length ("the so-termed developed nations should …").
const NAMED_CUES =
  /\b(?:(?:is|are|was|were|be|been) (?:called|termed|known as|referred to as|labell?ed|dubbed)|(?<!\b(?:i|you|he|she|we|they|who)\s+|\b(?:best|better|well|widely|most)\s+|\bso[-\s])(?:also |commonly |often |sometimes )?(?:called|known as|termed|referred to as)|(?:what|which|that) (?:\w+ ){0,3}(?:call|calls|called|term|terms|termed)|(?:call|calls|called) (?:these|this|those|them|it|such \w+)|(?:coin(?:ed|ing|s)?|introduced|introducing|used) the (?:term|phrase|concept)|the (?:term|concept|notion|phrase)(?: of)?|(?:this|these|that|those|it|which) (?:\w+ )?(?:is|are|was|were) (?:defined|described|termed|labell?ed) (?:by [^,;]{1,50}? )?as(?: (?:a|an|the))?)\s+["“'‘]?/giu;
// Words that judge or rank rather than say what a thing is: "reproduction, which is a necessary part of …",
// "…, which is the most common form". After "X is a …" the judging ones say what X matters for, not what it is
// ("Domestic violence is a significant social problem …"), but the ranking ones stay a definition's: textbooks
// introduce their terms that way ("Formal norms are the most specific …").
const JUDGING =
  'important|significant|key|major|critical|crucial|vital|essential|necessary|central|common|good|great|big|serious|growing|main|primary|dominant|special|top|best|worst|largest|smallest';
const JUDGED = `${JUDGING}|only|most|least`;
const SUBJECT_STRONG = /^\s*(?:,\s*)?(?:\([^)]{1,40}\)\s*,?\s*)?(?:,\s*)?(?:refers? to|is defined as|are defined as|is the term for|means|denotes?|is a term (?:for|used)|are terms|(?:occurs?|happens?|arises?|exists?|takes? place) when)\b/iu;
// "X is a …", "X, on the other hand, is a …", "X are those that …", "X are punishments for …"; not what X stands in
// to something else ("autism is a cause of significant fear", "elderly prisoners are physically incapable of …").
const SUBJECT_COPULA =
  /^\s*(?:\([^)]{1,40}\)\s*)?(?:,\s*(?:on the other hand|however|in contrast|by contrast|conversely|then|in turn)\s*)?,?\s*(?:is|are|was|were)\s+(?!(?:not|never|no|hardly|rarely)\b)(?:(?:just|simply|essentially|basically|generally|usually|typically|commonly|normally|often|also)\s+)?(?!(?:an?\s+|the\s+)?(?:examples?|instances?|cases?) of\b|(?:an?\s+|the\s+)(?:main\s+|leading\s+)?(?:causes?|results?|consequences?|sources?|subjects?|symptoms?|signs?|factors?|parts?|features?|components?|aspects?|focus) of\b|(?:the\s+)?(?:most|least|more|less) likely\b)(?:(?:a|an|the|one|any|when|how|what|those|that|defined)\b|(?!to\s|\p{L}+ly\s)(?:(?!(?:in|on|at|by|for|with|from|under|over|about|into|to|so|such)\b)\w+ ){1,3}(?:that|which|who|in which|by which|of)\b|(?<=\b(?:are|were)\s+)(?!(?:always|sometimes|perhaps|thus|less|various|numerous|serious|previous|obvious|conscious|this|us)\b)\p{Ll}{3,}s\s+(?:\p{Ll}+\s+)?(?:for|to|given|used|made|aimed)\b)/iu;
// "X describes the process by which …", "X consists of …": a definition in other words ("The textbooks describe the
// women as …" says how X tells of something else).
const SUBJECT_DESCRIBED = /^\s*(?:describes? (?:the|a|an|how|one|those|what)(?![^,.;:]{0,40}\sas\b)|consists? of|is (?:the|a|an) (?:process|practice|belief|idea|theory|state|condition|situation|study) (?:of|by|in|that|which|where))\b/iu;
// "This belief system is an ideology.": the sentence names what it has just described.
const NAMED_AT_END = /^\s*(?:this|these|such|that|those)\b[^,;:]{0,60}\b(?:is|are|was|were)\s+(?:(?:called|known as|termed)\s+)?(?:(?:a|an|the)\s+)?["“]?$/iu;
// "Durkheim called the communal beliefs … of a society the collective conscience.": what was called, then its name.
const CALLED_OBJECT =
  /\b(?:called|calls|call|named|names|termed|dubbed)\s+(?:the|a|an|these|this|such)\s+[^.;:!?]{3,150}?\s+(?<!\b(?:after|before|in|on|at|of|for|to|with|from|by|about|during|into|under|over|through|between|among|against|without|within|near|since|until|like|as|and|or)\s+)(?:the|a|an)\s+["“]?$/iu;
// "qualitative data—conveyed through words": a dash and then what it is.
const DASH_DEFINITION = /^\s*[—–]\s*(?:which|that(?!['’]s)|a|an|the|literally|or|i\.e\.|\p{Ll}+ed (?:by|through|as|in|with|from))\b/iu;
const ABBREVIATED = /^\s*\(\s*\p{Lu}{2,6}s?\s*\)/u;
const initials = (phrase: string): string => (phrase.match(/[\p{L}]+/gu) ?? []).map((w) => w[0]!.toUpperCase()).join('');
// "X, a state of …", "X, or the …", "X, which is …": what is set beside the term. A noun phrase that runs on into
// a verb is the subject of the main clause, not a gloss ("In the final stage, old age, the challenge is to …",
// "…, the costs of elder care will rise", "…few feral children, the case study is …"); "an ideal culture, the
// standards society would like to …" still glosses.
const APPOSITIVE_DEFINITION = new RegExp(
  `^\\s*(?:\\([^)]{1,40}\\)\\s*)?,\\s*(?:(?:a|an|the)\\s+(?![\\p{L}'’-]+\\s+(?:of\\s+[\\p{L}'’-]+\\s+(?:[\\p{L}'’-]+\\s+)?)?(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should)\\b|[\\p{L}'’-]+\\s+[\\p{L}'’-]+\\s+(?:is|are|was|were|has|have|had)\\b)(?!(?:same|other|most|first|second|third|final|last|next|latter|former|more|less|fewer|greater|higher|lower|larger|smaller|better|worse)\\b|(?:number|figure|share|proportion|percentage|rate|total|amount|fraction|trend|change|increase|decrease|rise|drop|decline)s?\\b(?!\\s+of\\b))\\p{L}|or (?:the|a|an|how|what|when|where|why|one['’]s|its|their)\\s|that is,?\\s|i\\.e\\.,?\\s|which (?:(?:is|are|was|were)\\s+(?!(?:on|in|at|by|for|with|from|under|over|about|into|now|also|still|often|usually|not|very|more|less|most|so|too|then|likely|one of|somewhat|largely|mostly|partly|highly|relatively|particularly|especially|increasingly)\\b|(?:an?|the)\\s+(?:${JUDGED})\\b)|refers? to|means|describes)|which (?:[\\p{L}.]+ ){1,6}(?:described|defined|called|termed|referred to) as\\s|(?:in|by) which\\s|whereby\\s|meaning\\s|when (?:someone|a person|people|an individual|individuals|one)\\s|(?:people|those|someone|individuals) (?:who|whose)\\s)`,
  'iu',
);
// "thanatology: the systematic study of death and dying": a colon and what it is.
const COLON_GLOSS = /^\s*:\s*(?:the|a|an)\s+(?!(?:same|other|most|first|second|third|last|next|latter|former|following)\b)\p{Ll}[\p{L}-]*\s+\p{L}/u;
// "into three subsets: the working class, the working poor, and the underclass": a list, not a gloss.
const COLON_LIST = /^\s*:[^.;:]*,[^.;:]*\b(?:and|or)\s/;
// "three primary forms of collective behavior: the crowd, the mass, and the public": each item of a list of the
// kinds of something is named as one, which says more of it than a passing use but not what it is; the kinds a
// text teaches it goes on to define ("Casual crowds consist of …"). On a development set of textbook sections, a
// quarter of the items so listed were glossary terms ("three levels: trial courts, appellate courts, and state
// supreme courts", "five distinct stages: denial, anger, …").
const KINDS_LISTED = /\b(?:two|three|four|five|six|seven|several)\s+(?:\p{L}+\s+)?(?:types|kinds|forms|categories|stages|models|levels|classes|dimensions|components|elements|sectors)(?:\s+of\s+[^:;.]{1,50}?)?\s*:\s*(?:[^:;.]*?,\s*)?(?:(?:and|or)\s+)?(?:(?:the|a|an)\s+)?$/iu;
const LIST_ITEM_END = /^\s*(?:\([^)]{1,40}\)\s*)?(?:,|\band\b|\bor\b|[.;]|$)/i;
// "Control theory states that …", "disengagement theory, which suggests that …", "According to continuity
// theory, …": what a theory holds is what it is.
const THEORY_HEADS = /\b(?:theory|theories|thesis|theorem|model|hypothesis|perspective|paradigm|principle|law|approach|framework)$/i;
const THEORY_HOLDS = /^\s*(?:\([^)]{1,40}\)\s*)?,?\s*(?:which\s+)?(?:states|stated|suggests|suggested|argues|argued|holds|held|posits|posited|proposes|proposed|asserts|asserted|claims|claimed|maintains|contends|predicts|predicted|explains|explained)\s+that\b/i;
const ACCORDING_TO = /\baccording to\s+(?:the\s+)?$/i;
// "street crime, or offenses committed by …", "social institutions, or patterns of …": "or" and what it is, in other words.
const OR_GLOSS = /^\s*,\s*or\s+\p{Ll}+\s+(?:of|committed|given|used|made|caused|that|which|who|whose|in which|by which)\b/u;
// A sentence that asks.
const ASKS = /\?["”’)]?\s*$/;
// "Unilateral descent (the tracing of kinship through one parent only) is …": a gloss in brackets.
const BRACKETED_GLOSS = /^\s*\((?:the|a|an)\s+\p{Ll}[^()]*\s[^()]*\s[^()]*\)/u;
// "Shoemaker and Vos (2009) define gatekeeping as …".
const DEFINE_BEFORE = /\bdefine[sd]?\s+["“]?$/i;
// "The first type, diagnostic framing, states the problem …", "the second form, a knowledge gap, which is …": a kind
// named between commas after its place in a list. Not after a preposition: "In the final stage, old age, the
// challenge is …" sets a scene.
const ORDINAL_KIND_BEFORE =
  /(?:^|[,;:]\s*|\b(?:to|is|was|are|were)\s+)["“]?(?:the|a)\s+(?:first|second|third|fourth|fifth|final|last|next|latter)\s+(?:type|kind|form|category|stage|level|step|sort|variety)\s*,\s*(?:(?:the|a|an)\s+)?$/i;
const KIND_CLAUSE_AFTER = /^\s*,\s*(?:which\s+|who\s+)?\p{Ll}/u;
// Not "define X as follows", nor "define situations as real, …" (a quality, not what X is).
const AS_AFTER = /^\s*["”]?\s+as\b(?!\s+follows\b|\s+[\p{L}-]+\s*[,.;:!?])/iu;
// An introductory phrase and a comma may come before the subject of a definition ("In sociology, X is …").
// So may a clause before it ("…, while latent functions are …", "…, but sanctions are …"). Not a phrase that
// points back ("This last example, homelessness, is what …"): that is the subject, and the term stands beside it.
const OPENING = /(?:^\s*(?:(?!(?:this|that|these|those)\s)[^,;:]{0,40},\s*)?|[,;:]\s*(?:while|whereas|but|and|yet)\s+)["“]?(?:(?:the|a|an)\s+)?["“]?$/i;
// The last of a few short items that open the sentence together: what follows is said of them all ("Functionalism,
// conflict theory, and symbolic interactionism are …", "Age, much like race, class, and gender, is a hierarchy …").
// Not clauses in a row ("Positive sanctions are rewards, negative ones are punishments, and informal sanctions are …").
const LISTED_ITEM = String.raw`(?:(?!(?:is|are|was|were|has|have|had)\b)[\p{L}'’-]+\s+){0,3}(?!(?:is|are|was|were|has|have|had)\b)[\p{L}'’-]+`;
const LAST_OF_LISTED_SUBJECTS = new RegExp(String.raw`^\s*["“]?${LISTED_ITEM}(?:\s*,\s*${LISTED_ITEM})+\s*,?\s+(?:and|or)\s+(?:the\s+)?["“]?$`, 'iu');
// Nouns that introduce a term rather than belong to it.
const NAMING_NOUNS = new Set(['term', 'terms', 'concept', 'concepts', 'notion', 'idea', 'word', 'phrase']);
// Nouns that talk about the text or about terms rather than name a concept.
const META_NOUNS = new Set(
  'term terms concept concepts idea ideas notion word words phrase section sections chapter chapters figure figures table tables example examples case cases way ways type types kind kinds part parts thing things lot number numbers percent fact facts question questions answer answers'.split(' '),
);
// Units of time and measure ("decades", "mph", "years old"): how much of something, never a concept.
const MEASURE_NOUNS = new Set(
  'second seconds minute minutes hour hours day days week weeks month months year years decade decades century centuries millennium millennia mph kph km kilometer kilometers kilometre kilometres mile miles meter meters metre metres foot feet inch inches pound pounds kg kilogram kilograms gram grams ton tons percent percentage dollar dollars cent cents euro euros'.split(' '),
);
// Nouns that pick out some of what follows "of" ("types of abuse", "a sense of xenophobia"), or say how
// something stands to it ("the goals of public sociology", "the founder of social ecology", "the
// effectiveness of tutoring"): the phrase names the thing after "of", not a concept of its own.
const PARTITIVE_NOUNS = new Set(
  'form forms stage stages sense hint history framework aspect aspects level levels amount amounts degree degrees set sets group groups member members variety range series process processes rate rates share proportion majority minority percentage result results study studies effect effects role roles use uses lack loss growth rise increase decrease development attainment separation case cases board goal goals aim aims purpose purposes founder founders outcome outcomes consequence consequences cause causes impact impacts importance benefit benefits advantage advantages disadvantage disadvantages effectiveness availability motivation motivations evidence usage definition definitions understanding dawn beginning end nature extent presence absence quality source sources basis issue issues topic topics debate debates discussion discussions'.split(
    ' ',
  ),
);

// "an evolutionary model of technological change, in which …", "a model for categorizing technology, in which …":
// after "<noun> of/for X", what is set beside X may as well be about the noun, unless that noun only names X ("the
// concept of predestination, the idea that …") or picks out part of it ("the process of institutionalization").
// The noun is read after a determiner or a preposition and at most two modifiers ("the increasing legal acceptance of
// X", "with Illustrations of X"), so that a verb after its subject ("Students compete for X", "…consists of X") is none.
const OF_BEFORE =
  /\b(?:(?:a|an|the|this|that|these|those|its|their|his|her|our|one|some|any|each|in|on|at|by|with|from|between|among|about|into|to)\s+)(?:[\p{L}-]+\s+){0,2}?(\p{L}+)\s+(?:of|for)\s+(?:(?:the|a|an)\s+)?["“]?$/iu;
// "a system of socialized medicine, a term that …": what names a term is about the phrase next to it.
const NAMES_A_TERM = /^\s*,\s*(?:a|an|the)\s+(?:[\p{L}-]+\s+)?(?:term|word|phrase|concept|name|label)\b/iu;
function attachedEarlier(before: string, after: string): boolean {
  if (NAMES_A_TERM.test(after)) return false;
  const noun = OF_BEFORE.exec(before)?.[1]?.toLowerCase();
  return noun !== undefined && !NAMING_NOUNS.has(noun) && !PARTITIVE_NOUNS.has(noun) && !META_NOUNS.has(noun);
}

// "…to gather data, the Lynds objectively described …", "Beyond the ethical concerns, the study’s validity has been
// questioned …", "…cultural propriety, that is, there are …": what follows the comma is a clause of its own.
const CLAUSE_AFTER = /^\s*,\s*(?:the\s+\p{Lu}|(?:the|a|an)\s+[\p{L}-]+['’]s\s+[\p{L}-]+\s+(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|should)\b|that is,?\s+there\b)/u;

// "…the Susan G. Komen Foundation’s mission—to find a cure for breast cancer—or …": a dash after a phrase that
// stands between dashes closes the aside; it opens nothing about the phrase.
const insideDashes = (before: string): boolean => (before.match(/[—–]/g)?.length ?? 0) % 2 === 1;
// "the dominant group—which now included …": "which" and what it did tells a story, not what the phrase is.
const DASH_WHICH_DOES = /^\s*[—–]\s*which\s+(?!(?:is|are|was|were|refers?|means|describes)\b)/iu;

// What is set beside the phrase says where it is explained ("ethnic groups, which are described below"), or names
// something else ("breast cancer, a phenomenon they call “pinkwashing”").
const SAYS_NOTHING_YET =
  /^\s*(?:\([^)]{1,40}\)\s*)?,\s*(?:which\s+(?:is|are|was|were)\s+(?:described|discussed|explained|defined|covered|examined|explored|listed|shown)\s+(?:below|above|later|earlier|next|further|in\s+(?:the|this|chapter|section))\b|(?:a|an|the)\s+[\p{L}-]+\s+(?:that\s+|which\s+)?(?:\p{L}+\s+)?(?:calls?|called|termed|dubs|dubbed|named)\s+["“‘]?\p{L})/iu;

// "Domestic violence is a significant social problem …", "Cyberbullying is a special feature of the Internet": what is
// said of the phrase judges it; it does not say what it is.
const JUDGED_PREDICATE = new RegExp(`^\\s*(?:is|are|was|were)\\s+(?:also\\s+|still\\s+)?(?:a|an|the)\\s+(?:(?:very|particularly|especially)\\s+)?(?:${JUDGING})\\b`, 'iu');

// "the concept of race has changed …", "Murdock identified … the concept of personal names, and …": "the concept of X"
// names X, and only what is said of it next ("the concept of carrying capacity, which describes …", "the term
// religion describes …", "use the term status to describe …") says what it is.
const THE_CONCEPT = /^the (?:term|concept|notion|phrase)\b/i;
const SAYS_WHAT = /^\s*["”'’]?\s*(?:\(|[—–:]|,\s*(?:which|that is|meaning|or|a|an|the)\b|(?:is|are|refers?|means|describes?|connotes?|denotes?|captures?|encompasses|signifies|to (?:describe|refer|mean|denote|name|capture|explain))\b)/iu;

// The name runs on past the phrase: "also called class markers" names "class markers", not "class"; "what was
// called hospital “merger mania”" names the words in quotation marks; "known as the feminization of poverty" names
// the feminization of poverty.
const RUNS_ON = /^(?:\s+["“‘])?\s*(\p{Ll}[\p{L}'’-]*)/u;
function runsOn(after: string): boolean {
  // "known as the “feminization of poverty”": the name goes on through "of".
  if (/^\s+of\s+(?:the\s+)?\p{L}/u.test(after)) return true;
  const next = RUNS_ON.exec(after);
  return next !== null && (/^\s+["“‘]/u.test(after) || (!isStopWord(next[1]!) && !SAYS_WHAT.test(after)));
}

// Another name for a concept the sentence has just named ("Functionalism, also called structural-functional
// theory, …", "implicit bias (also referred to as unconscious bias)"): in brackets anywhere; after a comma, only
// after the subject that opens the sentence ("…the natural environment, also called sustainable development"
// names what the clause described).
const OTHER_NAME = String.raw`(?:also|sometimes|often|commonly)\s+(?:also\s+)?(?:called|known as|termed|referred to as)\s+`;
const OTHER_NAME_CUE = String.raw`${OTHER_NAME}["“'‘]?$`;
const ANOTHER_NAME = new RegExp(
  String.raw`[\p{L}\p{N}]["”’]?\s*\(\s*${OTHER_NAME_CUE}|^\s*["“]?(?:the\s+)?[\p{L}'’-]+(?:\s+[\p{L}'’-]+){0,3}\s*,\s*${OTHER_NAME_CUE}`,
  'iu',
);
// "Class traits, also called class markers, are …": the subject's other name, set aside to read what it is.
const OTHER_NAME_BESIDE = new RegExp(String.raw`^\s*(?:,\s*${OTHER_NAME}[^,;()]{1,60},|\(\s*${OTHER_NAME}[^()]{1,60}\))`, 'iu');

/**
 * How strongly `sentence` defines a term that runs from `start` to `end` in it: 3 for "X refers to
 * …", "X is defined as …", "known as X", "X (ABBR)"; 2 for "X is a …" opening the sentence; 1 for an
 * item of a list of kinds ("three forms: X, Y, and Z"); 0 for a sentence that only uses it.
 */
function definitionStrength(sentence: string, start: number, end: number): number {
  // A question defines nothing ("Do you eat a grinder, a sub, or a hero?").
  if (ASKS.test(sentence)) return 0;
  const before = sentence.slice(0, start);
  const after = sentence.slice(end);
  // A capitalised phrase after "called" is a title or a name ("a book called On Death and Dying");
  // a name before a common noun is a concept ("is called the Hawthorne effect").
  const phrase = sentence.slice(start, end);
  const capitalised = /^\p{Lu}\p{Ll}/u.test(phrase) && !/ \p{Ll}[\p{L}-]*$/u.test(phrase);
  for (const cue of before.matchAll(NAMED_CUES)) {
    // Only an article or a quotation mark between the cue and the term: "the term with freedom" names no freedom.
    if (!capitalised && cue.index + cue[0].length <= start + 1 && /^\s*(?:(?:the|a|an)\s+)?["“'‘]?\s*$/i.test(sentence.slice(cue.index + cue[0].length, start))) {
      if (THE_CONCEPT.test(cue[0]) && !SAYS_WHAT.test(after)) continue;
      if (runsOn(after)) continue;
      // "homosexuality, which was labeled a mental disorder": a label put on one thing, not the name of a concept.
      if (/\blabell?ed\s*$/i.test(cue[0]) && /^\s*an?\s/i.test(sentence.slice(cue.index + cue[0].length, start))) continue;
      // Another name for the concept just named is not the name the sentence teaches.
      if (ANOTHER_NAME.test(sentence.slice(0, cue.index + cue[0].length))) continue;
      return 3;
    }
  }
  const abbreviation = ABBREVIATED.exec(after)?.[0].replace(/[^\p{Lu}]/gu, '');
  if (abbreviation && abbreviation === initials(sentence.slice(start, end))) return 3;
  const opens = OPENING.test(before) && !LAST_OF_LISTED_SUBJECTS.test(before);
  const predicate = after.replace(OTHER_NAME_BESIDE, '');
  if (opens && SUBJECT_STRONG.test(predicate)) return 3;
  if (opens && (SUBJECT_COPULA.test(predicate) || SUBJECT_DESCRIBED.test(predicate)) && !JUDGED_PREDICATE.test(predicate)) return 2;
  if ((NAMED_AT_END.test(before) || CALLED_OBJECT.test(before)) && /^\s*["”]?\s*[.!?;]/.test(after)) return 2;
  if (DASH_DEFINITION.test(after) && !insideIntroduction(before) && !insideDashes(before) && !DASH_WHICH_DOES.test(after)) return 2;
  if (APPOSITIVE_DEFINITION.test(after) && !insideIntroduction(before) && !listedAmongOthers(before, after) && whichAgrees(phrase, after) && !attachedEarlier(before, after) && !CLAUSE_AFTER.test(after) && !SAYS_NOTHING_YET.test(after)) return 2;
  if (BRACKETED_GLOSS.test(after) && !insideIntroduction(before)) return 2;
  if (KINDS_LISTED.test(before) && LIST_ITEM_END.test(after)) return 1;
  if (COLON_GLOSS.test(after) && !COLON_LIST.test(after.replace(/\([^)]*\)/g, '')) && !insideIntroduction(before)) return 2;
  // A theory is named by more than its head: "The hypothesis suggests …" is about one named before.
  if (THEORY_HEADS.test(phrase) && /\s/.test(phrase.trim()) && (THEORY_HOLDS.test(after) || ACCORDING_TO.test(before))) return 2;
  if (OR_GLOSS.test(after) && !listedAmongOthers(before, after) && !insideIntroduction(before)) return 2;
  if (DEFINE_BEFORE.test(before) && AS_AFTER.test(after)) return 3;
  if (ORDINAL_KIND_BEFORE.test(before) && KIND_CLAUSE_AFTER.test(after)) return 2;
  return 0;
}

// A word, an aside in brackets, then the run: the run ends a phrase the aside interrupts ("manifest (or primary)
// functions"), and a definition after it is the phrase's.
const AFTER_ASIDE_IN_PHRASE = /\p{L}\s*\([^()]{1,40}\)\s*$/u;

const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const insideWord = (ch: string | undefined): boolean => ch !== undefined && WORD_CHARACTER.test(ch);

/**
 * Where the words stand in the sentence, as whole words ("merit" is not the start of "meritocracy"): where the
 * tagger read them, else their first place in it.
 */
function locate(sentence: string, words: Token[]): { start: number; end: number } | null {
  const first = words[0]!.text;
  const last = words[words.length - 1]!.text;
  const [from, to] = [words[0]!.start, words[words.length - 1]!.start];
  if (from !== undefined && to !== undefined && sentence.startsWith(first, from) && sentence.startsWith(last, to)) return { start: from, end: to + last.length };
  const span = words.reduce((n, w) => n + w.text.length + 3, 0);
  for (let start = sentence.indexOf(first); start >= 0; start = sentence.indexOf(first, start + 1)) {
    if (insideWord(sentence[start - 1])) continue;
    for (let at = sentence.indexOf(last, start); at >= 0 && at + last.length - start <= span; at = sentence.indexOf(last, at + 1)) {
      const end = at + last.length;
      if (end >= start + first.length && !insideWord(sentence[end])) return { start, end };
    }
  }
  return null;
}

function addCandidates(
  found: Map<string, Candidate>,
  sentence: Sentence | null,
  heading: boolean,
  runs: Token[][],
  text: string,
): void {
  for (const run of runs) {
    // A run joined by "of" adds only the phrases across it; its parts are runs of their own.
    const of = run.findIndex((w) => /^of$/i.test(w.text));
    for (let i = 0; i < run.length; i++) {
      if (of >= 0 && i >= of) break;
      for (let j = Math.max(i, of + 1); j < Math.min(run.length, i + MAX_WORDS); j++) {
        const words = run.slice(i, j + 1);
        if (!isHead(words[words.length - 1]!)) continue;
        const head = words[words.length - 1]!;
        // Kinds of people ("functionalists", "critics") are who holds an idea, not the idea; a
        // kind of them named by its trait ("democratic leaders", "casual crowds") may be one.
        if (META_NOUNS.has(head.text.toLowerCase()) || MEASURE_NOUNS.has(head.text.toLowerCase()) || (words.length > 1 && MEASURE_NOUNS.has(words[words.length - 2]!.text.toLowerCase()) && /^old$/i.test(head.text)) || (head.tags.has('Actor') && !(words.length > 1 && traitWord(words[0]!)))) continue;
        // "the term culture": the term is "culture".
        if (words.length > 1 && NAMING_NOUNS.has(words[0]!.text.toLowerCase())) continue;
        const form = words.map((w) => w.text).join(' ');
        const key = termKey(form);
        if (!key) continue;
        let c = found.get(key);
        if (!c) {
          c = {
            key,
            words: words.length,
            forms: new Map(),
            sentences: new Set(),
            paragraphs: new Set(),
            first: sentence?.index ?? Number.MAX_SAFE_INTEGER,
            definedStrength: 0,
            definedIn: -1,
            inHeading: false,
            innerMentions: 0,
            capitalisedInner: 0,
            properMentions: 0,
            gerund: !isNoun(words[words.length - 1]!),
            eponym: false,
            headingWhole: false,
            opensIn: -1,
          };
          found.set(key, c);
        }
        if (heading) {
          c.inHeading = true;
          continue;
        }
        if (!sentence) continue;
        c.forms.set(form, (c.forms.get(form) ?? 0) + 1);
        c.sentences.add(sentence.index);
        c.paragraphs.add(sentence.paragraph);
        c.first = Math.min(c.first, sentence.index);
        if (words.some((w) => w.tags.has('Person') || w.tags.has('Place') || w.tags.has('Organization'))) c.properMentions += 1;
        const at = locate(text, words);
        if (at && at.start > 0) {
          c.innerMentions += 1;
          if (/^\p{Lu}/u.test(form)) c.capitalisedInner += 1;
          if (words.length > 1 && /^\p{Lu}/u.test(form) && /^\p{Ll}/u.test(head.text) && !['Organization', 'Place', 'Person'].some((tag) => head.tags.has(tag))) c.eponym = true;
        }
        if (at && i === 0 && j === run.length - 1 && c.opensIn < 0 && /^\s*(?:the\s+)?$/i.test(text.slice(0, at.start))) c.opensIn = sentence.index;
        if (at && j === run.length - 1) {
          // Only the whole phrase is what a definition names; a shorter end of it ("anomie" in "social anomie") counts
          // less, but not the term after a word that introduces it ("culture" in "the term culture refers to").
          const shorterEnd = (i > 0 && !(i === 1 && NAMING_NOUNS.has(run[0]!.text.toLowerCase()))) || AFTER_ASIDE_IN_PHRASE.test(text.slice(0, at.start));
          const strength = Math.max(0, definitionStrength(text, at.start, at.end) - (shorterEnd ? 1 : 0));
          if (strength > c.definedStrength) {
            c.definedStrength = strength;
            c.definedIn = sentence.index;
          }
        }
      }
    }
  }
}

function kindOf(c: Candidate, form: string): KeyTerm['kind'] {
  if (/^[\p{Lu}\p{N}-]{2,}s?$/u.test(form)) return 'acronym';
  // "Hawthorne effect", "Malthusian theory": a concept named after someone is still a concept.
  if (c.eponym) return 'concept';
  if (c.innerMentions > 0 && c.capitalisedInner === c.innerMentions) return 'name';
  // "Ira Reiss, a pioneer researcher …": at a sentence start only, but capitalised word by word.
  if (c.innerMentions === 0 && / /.test(form) && form.split(' ').every((w) => /^\p{Lu}/u.test(w))) return 'name';
  if (c.properMentions * 2 > c.sentences.size) return 'name';
  return 'concept';
}

/** The spelling used most; lower case unless the term is a name or an acronym. */
function surfaceOf(c: Candidate, kind: KeyTerm['kind'], defining?: string): string {
  // Stems meet across kinds of word ("commitment", "committing"): the form the definition names is the term.
  const words = defining ? ` ${tokens(defining).join(' ')} ` : '';
  const named = [...c.forms.entries()].filter(([f]) => words.includes(` ${tokens(f).join(' ')} `));
  const forms = (named.length ? named : [...c.forms.entries()]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  // The singular where the text uses it ("dependency theory" over "dependency theories"), as a glossary lists it.
  const singular = forms.find(([f]) => !/s$/i.test(f) && termKey(f) === c.key);
  const [form] = singular && kind === 'concept' ? singular : forms[0]!;
  if (kind !== 'concept' || c.eponym) return form;
  return form
    .split(' ')
    .map((w) => (/^\p{Lu}[\p{Ll}'’-]*$/u.test(w) ? w.toLowerCase() : w))
    .join(' ');
}

const HEADING_WHOLE_BONUS = 4.5;
function scoreOf(c: Candidate, all: string[]): number {
  const content = all.filter((w) => !STOP_WORDS.has(w));
  const words = content.length ? content : all;
  const rare = words.reduce((n, w) => n + rarity(w), 0) / words.length;
  const head = rarity(words[words.length - 1]!);
  const spread = c.paragraphs.size;
  let score = Math.log2(1 + spread) + 0.9 * (rare - 5) + 0.3 * (head - 5);
  score += [0, 1, 3.5, 5][c.definedStrength]!;
  // An everyday word ("age", "countries") is a concept of the text only when the text says so outright.
  if (words.length === 1 && rare < 5 && c.definedStrength < 3) score -= 2;
  if (c.inHeading) score += c.headingWhole ? HEADING_WHOLE_BONUS : 2.5;
  // A phrase that recurs as a whole is a unit of the subject, not words that met once.
  if (words.length > 1) score += c.sentences.size >= 2 ? 1 : -1.5;
  if (words.length > 2) score -= 1;
  return score;
}

function overlaps(a: string, b: string): boolean {
  return ` ${a} `.includes(` ${b} `) || ` ${b} `.includes(` ${a} `);
}

/** How much a standard deviation of relatedness weighs against one of the textual score. */
const RELATEDNESS_WEIGHT = 2;

/**
 * How far an undefined term's relatedness must stand above the candidates' mean, in standard deviations, for
 * it to be listed: a phrase the text uses without saying what it is ("existing sources", "food consumption")
 * is a concept of the text only when some passage is about it. On a development set of textbook sections
 * with their glossaries, 0.5 left out 80 of the 695 terms listed, 11 of them glossary terms (0, 0.75 and 1
 * traded more of the glossary terms for fewer others).
 */
const UNDEFINED_MIN_STANDING = 0.5;

/**
 * The ranking score: the textual score, plus the relatedness standardised over the candidates that
 * have one and put on the textual score's scale (a candidate without one counts as average); and each
 * candidate's standing, that standardised relatedness (undefined when it has none).
 */
function weighRelatedness<T extends { c: Candidate; score: number }>(
  scored: T[],
  relatedness: ReadonlyMap<string, number> | undefined,
): { weigh: (entry: T) => number; standing: (entry: T) => number | undefined } {
  const measured = relatedness ? scored.filter(({ c }) => relatedness.has(c.key)) : [];
  if (!relatedness || measured.length < 2) return { weigh: (entry) => entry.score, standing: () => undefined };
  const textual = spread(scored.map((e) => e.score));
  const related = spread(measured.map(({ c }) => relatedness.get(c.key)!));
  const standing = (entry: T): number | undefined => {
    const r = relatedness.get(entry.c.key);
    return r === undefined ? undefined : (r - related.mean) / related.sd;
  };
  return { weigh: (entry) => entry.score + RELATEDNESS_WEIGHT * textual.sd * (standing(entry) ?? 0), standing };
}

const EXPLAINS = /\b(?:is|are|was|were|means?|refers?|describes?|includes?|involves?|occurs?)\b/i;

/**
 * The key terms of a document, most important first: noun phrases it defines ("X refers to",
 * "X is defined as", "known as X", "called X", "X (ABBR)"), names in its headings, or uses across
 * its paragraphs, weighed by how unusual their words are in everyday English (so "hypothesis"
 * outranks "people"). Each comes with the sentence that defines or best explains it.
 *
 * `relatedness` (by term key), when the caller can measure it, is how closely some passage of the
 * document answers the term taken as a question (e.g. the best cosine similarity of the term's
 * embedding to the passages'): a concept the text explains has a passage about it, a word it only
 * uses in passing does not. It is weighed beside the textual score, both standardised over the
 * candidates, the relatedness twice as much (set on a development set of textbook sections with
 * their glossaries; their own key terms gained 4 to 5 points of precision and recall).
 */
export function extractKeyTerms(
  doc: SegmentedDocument,
  options: { max?: number; minScore?: number; maxSentences?: number; relatedness?: ReadonlyMap<string, number> } = {},
): KeyTerm[] {
  return analyseKeyTerms(doc, options).select(options);
}

/** A document read for key terms once, from which terms can be chosen more than once. */
export interface KeyTermAnalysis {
  /** How many terms `select` lists unless told: following the terms the text defines, and its length. */
  count: number;
  /**
   * `explainedOnly`: with `relatedness`, an undefined term that no passage is about is left out and gives up
   * its place (for a list of the document's concepts; the quiz, which builds questions and distractors
   * from the terms, lost questions on key terms to it).
   */
  select(options?: { max?: number; relatedness?: ReadonlyMap<string, number>; explainedOnly?: boolean }): KeyTerm[];
}

/** Words a text writes with a capital inside its sentences and never without: names, peoples, places. */
function properWords(sentences: readonly Sentence[]): Set<string> {
  const capital = new Set<string>();
  const lower = new Set<string>();
  for (const s of sentences) {
    for (const m of s.text.matchAll(/(?<=[\p{L}\p{N},;:)]\s+)(\p{L}[\p{L}'’-]*)/gu)) {
      const word = m[1]!;
      (/^\p{Lu}/u.test(word) ? capital : lower).add(word.toLowerCase());
    }
  }
  return new Set([...capital].filter((w) => !lower.has(w)));
}

// "X, also called Y", "X (also known as Y)", "X, sometimes referred to as an Y", "X, also called Y or Z": one
// concept under two names, which a glossary lists once and a quiz must never set against each other.
const ALIAS_CUE = /\b(?:also|sometimes|often|commonly|otherwise)\s+(?:called|known as|referred to as|termed)\b/i;
const ALIAS_BETWEEN = /^["”’]?\s*[,(]\s*(?:also|sometimes|often|commonly|otherwise)\s+(?:called|known as|referred to as|termed)\s+(?:(?:the|a|an)\s+)?["“‘]?$/i;
// The name ends where the alias does: "crimes" in "also known as “crimes against a person”" is not one.
const ALIAS_END = /^\s*["”’]?\s*(?:[,.;:)]|$|(?:or|and|is|are|was|were|which|that|who|has|have)\b)/i;
const ALIAS_OR = /^["”’]?\s*,?\s*or\s+(?:(?:the|a|an)\s+)?["“‘]?$/i;

interface Mention {
  c: Candidate;
  start: number;
  end: number;
}

/** Where each candidate that the sentence mentions stands in it, the longest at each start and at each end. */
function mentionsIn(sentence: Sentence, candidates: readonly Candidate[]): Mention[] {
  const all: Mention[] = [];
  const lower = sentence.text.toLowerCase();
  for (const c of candidates) {
    if (!c.sentences.has(sentence.index)) continue;
    for (const form of c.forms.keys()) {
      const f = form.toLowerCase();
      for (let at = lower.indexOf(f); at >= 0; at = lower.indexOf(f, at + 1)) {
        if (!insideWord(lower[at - 1]) && !insideWord(lower[at + f.length])) all.push({ c, start: at, end: at + f.length });
      }
    }
  }
  const longest = (m: Mention, same: (o: Mention) => boolean): boolean => !all.some((o) => same(o) && o.end - o.start > m.end - m.start);
  return all.filter((m) => longest(m, (o) => o.start === m.start) && longest(m, (o) => o.end === m.end));
}

/** The candidates each candidate is another name for, as the text says so. */
function aliasesOf(sentences: readonly Sentence[], found: ReadonlyMap<string, Candidate>): Map<Candidate, Set<Candidate>> {
  const aliases = new Map<Candidate, Set<Candidate>>();
  const pair = (a: Candidate, b: Candidate): void => {
    if (a === b) return;
    aliases.set(a, (aliases.get(a) ?? new Set()).add(b));
    aliases.set(b, (aliases.get(b) ?? new Set()).add(a));
  };
  const candidates = [...found.values()];
  for (const s of sentences) {
    if (!ALIAS_CUE.test(s.text)) continue;
    const mentions = mentionsIn(s, candidates).sort((a, b) => a.start - b.start);
    for (const named of mentions) {
      for (const other of mentions) {
        if (other.start < named.end || !ALIAS_BETWEEN.test(s.text.slice(named.end, other.start)) || !ALIAS_END.test(s.text.slice(other.end))) continue;
        // "also called structural racism or institutional racism": each name after "or" too, all of them one concept.
        const names = [named, other];
        for (;;) {
          const last = names[names.length - 1]!;
          const next = mentions.find((m) => m.start >= last.end && ALIAS_OR.test(s.text.slice(last.end, m.start)) && ALIAS_END.test(s.text.slice(m.end)));
          if (!next) break;
          names.push(next);
        }
        for (const a of names) for (const b of names) pair(a.c, b.c);
      }
    }
  }
  return aliases;
}

/** The words name those who hold a view ("-ist", "-ists") that the text also names as a view ("-ism"). */
function holdsNamedView(words: readonly string[], found: ReadonlyMap<string, Candidate>): boolean {
  const last = words[words.length - 1]!;
  if (!/\p{L}{3}ists?$/u.test(last)) return false;
  const view = found.get(termKey([...words.slice(0, -1), last.replace(/ists?$/u, 'ism')].join(' ')));
  return view !== undefined && view.sentences.size > 0;
}

/**
 * Reads the document for key terms (the costly part: tagging its sentences) without choosing yet,
 * so that a caller can choose, measure the candidates (e.g. their relatedness to the passages), and
 * choose again.
 */
export function analyseKeyTerms(doc: SegmentedDocument, options: { minScore?: number; maxSentences?: number } = {}): KeyTermAnalysis {
  const found = new Map<string, Candidate>();
  // Tagging is the cost (about 1 ms a sentence): a long book is read as an even sample of its sentences.
  const limit = options.maxSentences ?? MAX_TAGGED_SENTENCES;
  const step = Math.max(1, doc.sentences.length / limit);
  const sample = step === 1 ? doc.sentences : Array.from({ length: Math.floor(doc.sentences.length / step) }, (_, i) => doc.sentences[Math.floor(i * step)]!);
  for (const s of sample) {
    if (s.text.length > MAX_SENTENCE_CHARS) continue;
    addCandidates(found, s, false, nounRuns(tokensOf(s.text)), s.text);
  }
  for (const h of doc.headings) {
    const runs = nounRuns(tokensOf(h.text));
    addCandidates(found, null, true, runs, h.text);
    const whole = runs.length === 1 ? found.get(termKey(runs[0]!.map((w) => w.text).join(' '))) : undefined;
    if (whole && termKey(h.text.replace(/^\s*(?:the|a|an)\s+/i, '')) === whole.key) whole.headingWhole = true;
  }

  // Nested terms (C-value): a word that mostly stands inside one longer term ("sample" in "random
  // sample") is that term's part; the longer term is the concept.
  const nestedIn = new Map<string, Candidate>();
  const byWord = new Map<string, Candidate[]>();
  for (const c of found.values()) for (const w of c.key.split(' ')) byWord.set(w, [...(byWord.get(w) ?? []), c]);
  for (const c of found.values()) {
    if (c.sentences.size === 0) continue;
    for (const longer of byWord.get(c.key.split(' ')[0]!) ?? []) {
      if (longer.words <= c.words || !overlaps(longer.key, c.key)) continue;
      if (longer.sentences.size * 2 < c.sentences.size || (longer.sentences.size < 2 && longer.definedStrength < 2)) continue;
      const current = nestedIn.get(c.key);
      if (!current || longer.sentences.size > current.sentences.size) nestedIn.set(c.key, longer);
    }
  }
  const paragraphs = new Set(doc.sentences.map((s) => s.paragraph)).size;
  const aliases = aliasesOf(sample, found);
  // A typology: several phrases on one head noun, each defined ("casual crowds", "conventional
  // crowds", "expressive crowds") are the kinds the text teaches, each a concept of its own.
  const headOf = (c: Candidate): string => c.key.slice(c.key.lastIndexOf(' ') + 1);
  // Kinds taught a sentence each, each sentence opening with its kind ("Reform movements seek to …",
  // "Resistance movements seek to …", "Revolutionary movements seek to …"): three or more on one head
  // noun are a typology even where no sentence says "is", and each opening sentence is its kind's definition.
  const openingKinds = new Map<string, Candidate[]>();
  // A kind is named by what sets it apart and its head ("violent crimes"), not by a phrase about it ("risk of
  // death", "viewing death"), nor by a people or a place ("Irish immigrants", "Chinese immigration": the text
  // writes the word with a capital inside its sentences too).
  const proper = properWords(sample);
  const namesKind = (c: Candidate): boolean =>
    !/ of /.test(c.key) && ![...c.forms.keys()].some((f) => /^\p{L}+ing\s/iu.test(f) || proper.has(f.split(' ')[0]!.toLowerCase()));
  for (const c of found.values()) if (c.words >= 2 && c.opensIn >= 0 && namesKind(c)) openingKinds.set(headOf(c), [...(openingKinds.get(headOf(c)) ?? []), c]);
  for (const kinds of openingKinds.values()) {
    if (kinds.length < OPENING_KINDS) continue;
    for (const c of kinds) if (c.definedStrength < 2) Object.assign(c, { definedStrength: 2, definedIn: c.opensIn });
  }
  const definedKinds = new Map<string, number>();
  for (const c of found.values()) if (c.words >= 2 && c.definedStrength >= 2 && c.sentences.size > 0) definedKinds.set(headOf(c), (definedKinds.get(headOf(c)) ?? 0) + 1);
  const typology = (c: Candidate): number => (c.words >= 2 && c.definedStrength >= 2 && (definedKinds.get(headOf(c)) ?? 0) >= 2 ? TYPOLOGY_BONUS : 0);
  const scored = [...found.values()]
    .filter((c) => c.sentences.size > 0 && (options.minScore !== undefined || c.sentences.size >= 2 || c.definedStrength >= 2))
    .filter((c) => !c.gerund || c.definedStrength >= 2)
    .map((c) => {
      const form = [...c.forms.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      const words = tokens(form);
      const nested = nestedIn.has(c.key) && c.definedStrength < 2;
      const container = [...nestedIn.values()].includes(c);
      // A phrase the text names only in the plural and never defines is more often the things it talks
      // about ("media outlets", "apparel companies") than a concept it teaches, which a glossary names in
      // the singular unless the text defines the kinds themselves ("agricultural societies").
      const talkedAbout = c.definedStrength < 2 && isPlural(form) ? UNDEFINED_PLURAL_PENALTY : 0;
      return { c, score: scoreOf(c, words) - (nested ? 2.5 : 0) + (container ? 1 : 0) + typology(c) - talkedAbout, words, kind: kindOf(c, form) };
    })
    // People, places and bare acronyms are not the concepts a learner is tested on.
    .filter(({ kind }) => kind === 'concept')
    // Those who hold a view ("symbolic interactionists", "socialist") beside the view the text names ("symbolic
    // interactionism", "socialism"): the view is the concept.
    .filter(({ words }) => !holdsNamedView(words, found))
    // A word in nearly every paragraph is the subject of the whole text, not one of its concepts, unless the
    // text says what it is ("Crime … is a behavior that violates official law …"): then it is the first it teaches.
    .filter(({ c }) => paragraphs < 8 || c.paragraphs.size < paragraphs * 0.6 || c.definedStrength >= 2)
    .filter(({ score }) => score > (options.minScore ?? 4));
  // A glossary lists the terms a text defines, and a few for each page of it: the count follows
  // both, the defined terms more (on a development set of textbook sections with their glossaries
  // it matched the glossary's length better than the text's length alone did).
  const defined = scored.filter(({ c }) => c.definedStrength >= 2).length;
  const count = Math.max(MIN_COUNT, Math.min(MAX_COUNT, Math.round(DEFINED_SHARE * defined + (0.3 * sample.length) / SENTENCES_PER_TERM)));

  const select = (choice: { max?: number; relatedness?: ReadonlyMap<string, number>; explainedOnly?: boolean } = {}): KeyTerm[] => {
    const max = choice.max ?? count;
    const { weigh, standing } = weighRelatedness(scored, choice.relatedness);
    const ranked = [...scored].sort((a, b) => weigh(b) - weigh(a) || a.c.first - b.c.first);

    const chosen: typeof scored = [];
    // Another name for a term already chosen takes no place of its own: the count is of concepts.
    let renamed = 0;
    // A term the text does not define, measured as no passage's subject, gives up the place it would take: the
    // candidates after it rank lower still.
    let weak = 0;
    for (const entry of ranked) {
      if (chosen.length >= max - renamed - weak) break;
      if (chosen.some((k) => aliases.get(k.c)?.has(entry.c))) {
        renamed += 1;
        continue;
      }
      const clash = chosen.find((k) => overlaps(k.c.key, entry.c.key));
      // "dependent variable" beside "independent variable" is fine; "variable" beside either only when
      // the text defines it on its own.
      const longer = clash && entry.c.words > clash.c.words;
      if (clash && !longer && !(entry.c.definedStrength >= 2 && clash.c.definedIn !== entry.c.definedIn)) continue;
      if (clash && longer && entry.c.sentences.size < 2 && entry.c.definedStrength < 2) continue;
      if (choice.explainedOnly && entry.c.definedStrength < 2 && (standing(entry) ?? Number.POSITIVE_INFINITY) < UNDEFINED_MIN_STANDING) {
        weak += 1;
        continue;
      }
      chosen.push(entry);
    }

    const sentences = doc.sentences;
    return chosen.map(({ c, score }) => {
      const form = [...c.forms.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      const kind = kindOf(c, form);
      const term = surfaceOf(c, kind, c.definedIn >= 0 ? sentences[c.definedIn]!.text : undefined);
      const mentions = [...c.sentences].sort((a, b) => a - b).map((i) => sentences[i]!);
      // A term the text does not define is shown in a sentence that says what it is or does, and one a reader can
      // follow without the sentence before it ("He posited that people's self-development is …" says little alone).
      const complete = (s: Sentence): boolean => s.text.length <= 400 && /[.!?]["”’)]?$/.test(s.text);
      const alone = mentions.filter((s) => !leansOnContext(s.text));
      const explaining = alone.find((s) => EXPLAINS.test(s.text) && complete(s)) ?? mentions.find((s) => EXPLAINS.test(s.text) && complete(s));
      const best: Sentence = c.definedIn >= 0 ? sentences[c.definedIn]! : (explaining ?? alone[0] ?? mentions[0]!);
      return {
        term,
        key: c.key,
        kind,
        sentence: best.text,
        sentenceIndex: best.index,
        page: best.page,
        defined: c.definedStrength >= 2,
        spread: c.paragraphs.size,
        score: Math.round(score * 100) / 100,
        heading: best.heading,
      };
    });
  };
  return { count, select };
}

/** Whether `text` mentions the term (its stems in order, as whole words). */
export function mentionsTerm(text: string, key: string): boolean {
  return ` ${tokens(text).map(stem).join(' ')} `.includes(` ${key} `);
}
