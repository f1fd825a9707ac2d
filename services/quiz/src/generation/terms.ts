import nlp from 'compromise';
// The tagger without the named-entity plugins tags a few words in half the time; it is enough for noun checks.
import tagger from 'compromise/two';
import { containsTerm, isStopword, singular, termPattern, type Sentence } from './text-analysis.js';

/** What sort of thing a term names; distractors are always of the key's own kind. */
export type TermKind = 'concept' | 'person' | 'place' | 'organization' | 'name' | 'acronym' | 'year' | 'number';

export interface Term {
  text: string;
  /** Lower-cased identity: the same term written differently is one term. */
  id: string;
  kind: TermKind;
  /** Indexes of the sentences that mention it. */
  sentences: number[];
  /** It is the subject of a definition ("X is a ..."). */
  defined: boolean;
}

export interface TermIndex {
  all: Term[];
  inSentence(index: number): Term[];
  ofKind(kind: TermKind): Term[];
  /**
   * Whether a concept really is a noun phrase where it stands (in the given sentence, or where it
   * first appears); checked lazily because tagging is the slow part.
   */
  isNounPhrase(term: Term, sentenceIndex?: number): boolean;
}

const PROPER_SEQUENCE =
  /(?<![\p{L}\p{N}])\p{Lu}[\p{L}'’-]*(?:\s+(?:(?:of|de|du|la|le|von|van|der|the)\s+)*\p{Lu}[\p{L}'’-]*)*/gu;
const NUMBER = /(?<![\p{L}\p{N}.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\p{L}\p{N}.,])\d+(?:\.\d+)?%?(?![\p{L}\d])/gu;
const WORD_WITH_GAP = /([\p{L}][\p{L}'’-]*[\p{L}]|[\p{L}])|([^\p{L}\s]+)/gu;
const DEFINITION =
  /^(?:(?:The|A|An)\s+)?([\p{L}][\p{L}'’ -]{1,60}?)\s+(?:is|are|was|were|refers to|means|is defined as)\s+(?:a|an|the|one of the|any|when)\b/u;
const NAMED_AFTER = /\b(?:is|are|was|were)\s+(?:called|known as|termed)\s+(?:the\s+|a\s+|an\s+)?([\p{L}][\p{L}'’-]*(?:\s+[\p{L}][\p{L}'’-]*){0,2})\s*[.,;]/u;
const PLACE_CUE = /\b(?:in|at|from|across|near|into|to|throughout)\s+$/;
const PERSON_TITLE = /^(?:King|Queen|President|Emperor|Empress|Dr|Sir|Saint|St|Lord|Lady|General|Pope|Prince|Princess|Professor)\b/;
const ORGANIZATION_END =
  /\b(?:Assembly|Council|Party|Company|University|Church|Committee|Convention|Club|Parliament|Congress|Court|Army|Society|Academy|Institute|Union|League|Directory|Estates-General)$/;
const CALENDAR_WORD =
  /^(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$/;
// Nouns so general that a blank in their place asks nothing about the subject.
const GENERIC_NOUNS = new Set(
  'place way part parts time times kind kinds type types lot number numbers example examples result results end form order use fact case thing things something amount level side deal half rest first second third'.split(' '),
);
const YEAR_PRECEDERS = /\b(?:in|since|from|until|till|by|of|to|between|and|year|around|circa|c\.|early|late|mid-?)\s+$/i;
const YEAR_FOLLOWERS = /^\s*(?:[,.;:)!?]|$|(?:BC|BCE|AD|CE)\b|\p{Lu})/u;
const PRONOUNS = new Set(['it', 'this', 'that', 'these', 'those', 'they', 'he', 'she', 'we', 'you', 'there', 'which', 'what']);

export function termId(text: string): string {
  return singular(text.toLowerCase().replace(/\s+/g, ' ').trim());
}

function properKind(text: string, contexts: string[]): TermKind {
  if (/^[\p{Lu}\d-]{2,}$/u.test(text)) return 'acronym';
  if (PERSON_TITLE.test(text)) return 'person';
  if (ORGANIZATION_END.test(text)) return 'organization';
  const doc = nlp(text);
  if (doc.people().found) return 'person';
  if (doc.places().found) return 'place';
  if (doc.organizations().found) return 'organization';
  // "in X" once is weak evidence ("the Nobel Prize in Chemistry"); twice is a pattern.
  if (contexts.filter((before) => PLACE_CUE.test(before)).length >= 2) return 'place';
  return 'name';
}

interface Draft {
  text: string;
  kind: TermKind | 'proper';
  sentences: Set<number>;
  defined: boolean;
  contexts: string[];
}

/**
 * Finds the terms a question can be about: proper names, acronyms, years and numbers, and concepts
 * (noun-like phrases that recur, or that a sentence defines), each with the sentences naming it.
 */
export function indexTerms(sentences: readonly Sentence[]): TermIndex {
  const lowerVocabulary = new Set<string>();
  const capitalizedInside = new Set<string>();
  for (const s of sentences) {
    const words = s.text.match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
    words.forEach((w, i) => {
      if (w === w.toLowerCase()) lowerVocabulary.add(w);
      else if (i > 0) capitalizedInside.add(w);
    });
  }

  const drafts = new Map<string, Draft>();
  const add = (text: string, kind: Draft['kind'], sentence: number, context = '', defined = false): void => {
    const id = termId(text);
    if (!id || id.length < 2) return;
    const existing = drafts.get(id);
    if (existing) {
      existing.sentences.add(sentence);
      existing.defined ||= defined;
      if (context) existing.contexts.push(context);
      return;
    }
    drafts.set(id, { text, kind, sentences: new Set([sentence]), defined, contexts: context ? [context] : [] });
  };

  const conceptCounts = new Map<string, { text: string; sentences: Set<number> }>();
  for (const s of sentences) {
    for (const match of s.text.matchAll(NUMBER)) {
      const value = match[0];
      const after = s.text.slice(match.index + value.length);
      const nextWord = /^\s+([a-z]+)/.exec(after)?.[1];
      const before = s.text.slice(Math.max(0, match.index - 12), match.index);
      const yearLike =
        /^(1[1-9]\d{2}|20\d{2})$/.test(value) &&
        (YEAR_FOLLOWERS.test(after) || YEAR_PRECEDERS.test(before) || (nextWord !== undefined && isStopword(nextWord)));
      add(value, yearLike ? 'year' : 'number', s.index);
    }

    for (const match of s.text.matchAll(PROPER_SEQUENCE)) {
      let words = match[0].split(/\s+/);
      let start = match.index;
      while (words.length && (isStopword(words[0]!) || CALENDAR_WORD.test(words[0]!))) {
        start += words[0]!.length + 1;
        words = words.slice(1);
      }
      while (words.length && /^(?:of|de|du|la|le|von|van|der|the)$/.test(words[words.length - 1]!)) words = words.slice(0, -1);
      if (!words.length) continue;
      const text = words.join(' ').replace(/[’']s$/, '');
      const atStart = start === 0;
      if (words.some((w) => CALENDAR_WORD.test(w))) continue;
      if (words.length === 1) {
        const word = words[0]!;
        if (word.length < 2 || isStopword(word)) continue;
        // A capitalised first word is only a name when the text also capitalises it elsewhere.
        if (atStart && (lowerVocabulary.has(word.toLowerCase()) || !capitalizedInside.has(word))) continue;
        if (PRONOUNS.has(word.toLowerCase())) continue;
      }
      add(text, 'proper', s.index, s.text.slice(Math.max(0, start - 12), start));
    }

    // Runs of content words between punctuation; their 1-3 word n-grams are concept candidates.
    const runs: string[][] = [];
    let run: string[] = [];
    let first = true;
    for (const m of s.text.matchAll(WORD_WITH_GAP)) {
      const word = m[1];
      const isFirst = first;
      first = false;
      if (!word || (m[2] && !/^-$/.test(m[2]))) {
        if (run.length) runs.push(run);
        run = [];
        continue;
      }
      const lower = word.toLowerCase();
      const usable =
        !isStopword(lower) &&
        !GENERIC_NOUNS.has(lower) &&
        lower.length >= 3 &&
        (word === lower || (isFirst && lowerVocabulary.has(lower) && !capitalizedInside.has(word)));
      if (usable) run.push(lower);
      else {
        if (run.length) runs.push(run);
        run = [];
      }
    }
    if (run.length) runs.push(run);
    for (const words of runs) {
      for (let n = 1; n <= 3; n++) {
        for (let i = 0; i + n <= words.length; i++) {
          const text = words.slice(i, i + n).join(' ');
          if (n === 1 && text.length < 4) continue;
          const id = termId(text);
          const entry = conceptCounts.get(id) ?? { text, sentences: new Set<number>() };
          entry.sentences.add(s.index);
          conceptCounts.set(id, entry);
        }
      }
    }

    const definition = DEFINITION.exec(s.text) ?? NAMED_AFTER.exec(s.text);
    const defined = definition?.[1]?.trim();
    if (defined && defined.split(/\s+/).length <= 4 && !PRONOUNS.has(defined.split(/\s+/)[0]!.toLowerCase())) {
      const definedWords = defined.split(/\s+/);
      const capitalized = (w: string): boolean => /^\p{Lu}/u.test(w) && (capitalizedInside.has(w) || definedWords.length > 1);
      const proper = definedWords.every((w, i) => capitalized(w) || (i > 0 && /^(?:of|de|the)$/.test(w)));
      // "The Calvin cycle" is a concept that keeps its capital; "Photosynthesis" at the start is not a name.
      const text = proper
        ? defined
        : definedWords.map((w) => (capitalized(w) && capitalizedInside.has(w) ? w : w.toLowerCase())).join(' ');
      if (!isStopword(text) && !GENERIC_NOUNS.has(text.toLowerCase())) {
        if (!proper) {
          const id = termId(text);
          const entry = conceptCounts.get(id) ?? { text, sentences: new Set<number>() };
          entry.sentences.add(s.index);
          conceptCounts.set(id, entry);
        }
        add(text, proper ? 'proper' : 'concept', s.index, '', true);
      }
    }
  }

  for (const [id, entry] of conceptCounts) {
    const draft = drafts.get(id);
    if (draft?.kind === 'concept') {
      for (const i of entry.sentences) draft.sentences.add(i);
      continue;
    }
    if (draft) continue;
    if (entry.sentences.size < 2) continue;
    drafts.set(id, { text: entry.text, kind: 'concept', sentences: entry.sentences, defined: false, contexts: [] });
  }

  // A shorter concept that only ever appears inside one longer concept adds nothing of its own.
  const conceptIds = [...drafts.entries()].filter(([, d]) => d.kind === 'concept').map(([id]) => id);
  for (const id of conceptIds) {
    const draft = drafts.get(id)!;
    if (draft.defined) continue;
    const covered = conceptIds.some((other) => {
      if (other === id || !other.includes(id)) return false;
      const longer = drafts.get(other);
      return longer !== undefined && longer.sentences.size >= draft.sentences.size;
    });
    if (covered) drafts.delete(id);
  }

  // Defined terms are found by their definition; they count wherever else they are mentioned too.
  for (const d of drafts.values()) {
    if (!d.defined) continue;
    for (const s of sentences) if (!d.sentences.has(s.index) && containsTerm(s.text, d.text)) d.sentences.add(s.index);
  }

  const all: Term[] = [];
  for (const [id, d] of drafts) {
    const kind = d.kind === 'proper' ? properKind(d.text, d.contexts) : d.kind;
    all.push({ text: d.text, id, kind, sentences: [...d.sentences].sort((a, b) => a - b), defined: d.defined });
  }
  all.sort((a, b) => b.sentences.length - a.sentences.length || a.id.localeCompare(b.id));

  const bySentence = new Map<number, Term[]>();
  const byKind = new Map<TermKind, Term[]>();
  for (const term of all) {
    for (const i of term.sentences) {
      const list = bySentence.get(i) ?? [];
      list.push(term);
      bySentence.set(i, list);
    }
    const list = byKind.get(term.kind) ?? [];
    list.push(term);
    byKind.set(term.kind, list);
  }

  const nounCache = new Map<string, boolean>();
  const isNounPhrase = (term: Term, sentenceIndex = term.sentences[0]!): boolean => {
    if (term.kind !== 'concept') return true;
    const cacheKey = `${term.id}@${sentenceIndex}`;
    const cached = nounCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const sentence = sentences[sentenceIndex];
    // Tag the phrase among its neighbours ("produce" is a verb there, "produce" alone is not); a
    // few words either side are enough and far cheaper than the whole sentence.
    const text = sentence?.text ?? term.text;
    const at = termPattern(term.text, 'i').exec(text);
    const window = at
      ? [
          ...text.slice(0, at.index).split(/\s+/).filter(Boolean).slice(-4),
          at[0],
          ...text.slice(at.index + at[0].length).split(/\s+/).filter(Boolean).slice(0, 3),
        ].join(' ')
      : term.text;
    const doc = tagger(window);
    const found = doc.match(term.text).eq(0);
    const target = found.found ? found : tagger(term.text);
    const ok =
      target.has('#Noun$') &&
      !target.has('(#Verb|#Adverb|#Pronoun|#Determiner|#Preposition|#Conjunction|#Value)') &&
      containsTerm(sentence?.text ?? term.text, term.text);
    nounCache.set(cacheKey, ok);
    return ok;
  };

  return {
    all,
    inSentence: (index) => bySentence.get(index) ?? [],
    ofKind: (kind) => byKind.get(kind) ?? [],
    isNounPhrase,
  };
}
