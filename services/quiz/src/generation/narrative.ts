import nlp from 'compromise';
import { mentionsTerm, rarity, SELECTING_WORDS, stem, STOP_WORDS, tokens, withoutLinkingWords, type KeyTerm, type SegmentedDocument, type Sentence } from '@learner/text';
import { blankOut, namesAlike, namesPeople, nested, standsAlone, swapTerm, termSpans, type Span } from './concepts.js';
import { TRUE_FALSE_OPTIONS, type GeneratedQuestion, type QuestionOption, type QuestionType } from './question.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Questions on what a narrative text says, for a text that defines too few terms to ask about
 * them (a transcribed lecture, a story, an account of events): its sentences with one of the
 * nouns it keeps coming back to blanked or swapped, the other options nouns of the same kind that
 * it says too. No definitions are needed; the key and every option are words of the text.
 */

/** A noun, or a two-word noun phrase, that the text keeps coming back to. */
export interface Topic {
  /** Stems of its words, as @learner/text keys terms. */
  key: string;
  words: number;
  /** A place, a person or anything else: a distractor is of its key's kind. */
  kind: 'place' | 'person' | 'thing';
  /** How the text writes it, singular and plural, as an option shows it. */
  singular: string | null;
  plural: string | null;
  /** The text says it in the plural or after "a": it can stand after "a" in a question ("a hive", not "a nectar"). */
  countable: boolean;
  /** How many sentences mention it (any form of its words), and how telling it is. */
  mentions: number;
  score: number;
  /** Where it stands as a noun, sentence by sentence. */
  places: Place[];
}

interface Place {
  sentence: Sentence;
  start: number;
  end: number;
  plural: boolean;
  /** The tagger read it as a noun here; only there is it blanked or swapped, nouns among nouns. */
  noun: boolean;
}

interface Tagged {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
  post: string;
}

/** Below this rarity in everyday English ("time", "fact", "case", "year") a noun is filler, not what a text is about. */
const MIN_RARITY = 4;
const AFTER_ARTICLE = /\b(?:a|an)\s+$/i;

/** The sentences tagged at most (about a millisecond each): a long text is read as an even sample. */
const MAX_TAGGED = 1500;
/** A noun the text says in fewer sentences than this is a passing word (or a word misheard once). */
const MIN_SENTENCES = 2;

// Numbers written as words are no content terms, whatever the tagger says of them.
const NUMBER_WORD =
  /^(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\w+teenth|\w+tieth|hundredth|thousandth|dozen|half|quarter)s?$/i;

const PLACE_TAGS = ['Place', 'Country', 'City', 'Region'];
const PERSON_TAGS = ['Person', 'FirstName', 'LastName', 'MaleName', 'FemaleName', 'Honorific'];

// Adjectives that count or compare rather than name a kind ("multiple types", "other cities"): the text library's
// selecting words, and those that rank, judge or size.
const COMPARING = /^(?:next|last|previous|following|few|main|major|minor|general|total|possible|real|true|good|great|little|small|large|big|new|old)$/i;
const quantifies = (word: string): boolean => SELECTING_WORDS.has(word) || COMPARING.test(word);

const isWord = (word: string): boolean => /^\p{L}{3,}$/u.test(word) && !STOP_WORDS.has(word) && !NUMBER_WORD.test(word);

function isContentNoun(term: Tagged): boolean {
  return term.tags.includes('Noun') && !term.tags.some((t) => t === 'Pronoun' || t === 'Value' || t === 'Possessive' || t === 'Acronym') && isWord(term.text.toLowerCase());
}

/**
 * A word the text uses as a noun elsewhere, which the tagger took for a verb here: unpunctuated
 * speech misleads it ("the middle ages when …" read as "ages" the verb). Only its -ing and -s forms.
 */
function isNounElsewhere(term: Tagged, nounForms: ReadonlySet<string>): boolean {
  const word = term.text.toLowerCase();
  return nounForms.has(word) && term.tags.includes('Verb') && (term.tags.includes('Gerund') || (term.tags.includes('PresentTense') && /[^s]s$/.test(word)));
}

/** A word before a noun that, with it, names one thing ("wood blocks", "middle ages"). */
function isModifier(term: Tagged): boolean {
  const word = term.text.toLowerCase();
  return (
    (term.tags.includes('Noun') || term.tags.includes('Adjective')) &&
    !term.tags.some((t) => t === 'Pronoun' || t === 'Value' || t === 'Possessive' || t === 'Superlative' || t === 'Determiner') &&
    isWord(word) &&
    !quantifies(word)
  );
}

const kindOf = (tags: readonly string[]): Topic['kind'] =>
  tags.some((t) => PLACE_TAGS.includes(t)) ? 'place' : tags.some((t) => PERSON_TAGS.includes(t)) ? 'person' : 'thing';

// "all the all the", "the the": a stretch said twice over, as a recogniser hears a false start.
const STUTTER = /\b(\p{L}+(?:\s+\p{L}+)?)\s+\1\b/iu;

/**
 * The sentence as a question quotes it: without the words that open it only to tie it to the one before
 * ("So the flowers feed the bees …", "And in the autumn …"). Only an opening is dropped, so the tagger's
 * places in the sentence as said still hold, moved by the length dropped; a sentence with linking words
 * inside is quoted as said.
 */
function stated(sentence: Sentence): string {
  const alone = withoutLinkingWords(sentence.text);
  const rest = sentence.text.slice(sentence.text.length - alone.length);
  return alone.length < sentence.text.length && rest.slice(1) === alone.slice(1) && rest.charAt(0).toLowerCase() === alone.charAt(0).toLowerCase()
    ? alone
    : sentence.text;
}

/** Whether a sentence reads well enough to be quoted in a question (a false start counts as said). */
function quotable(sentence: Sentence, text: string): boolean {
  return standsAlone(text) && !STUTTER.test(sentence.text);
}

interface Found {
  key: string;
  words: number;
  places: Place[];
  forms: Map<string, { plural: boolean; count: number }>;
  kinds: Map<Topic['kind'], number>;
  rarity: number;
}

/**
 * The nouns and two-word noun phrases the text says in several sentences, most telling first:
 * said often, and less common in everyday English than filler ("time", "way", "fact").
 */
export function narrativeTopics(doc: SegmentedDocument): Topic[] {
  const step = Math.max(1, doc.sentences.length / MAX_TAGGED);
  const sample = step === 1 ? doc.sentences : Array.from({ length: Math.floor(doc.sentences.length / step) }, (_, i) => doc.sentences[Math.floor(i * step)]!);
  const found = new Map<string, Found>();
  const add = (key: string, words: number, place: Place, form: string, kind: Topic['kind'], rare: number): void => {
    let f = found.get(key);
    if (!f) {
      f = { key, words, places: [], forms: new Map(), kinds: new Map(), rarity: rare };
      found.set(key, f);
    }
    f.places.push(place);
    const seen = f.forms.get(form) ?? { plural: place.plural, count: 0 };
    seen.count += 1;
    f.forms.set(form, seen);
    f.kinds.set(kind, (f.kinds.get(kind) ?? 0) + 1);
    f.rarity = Math.max(f.rarity, rare);
  };
  const tagged = sample.map((sentence) => ({ sentence, terms: (nlp(sentence.text).json({ offset: true }) as Array<{ terms: Tagged[] }>).flatMap((s) => s.terms) }));
  const nounForms = new Set(tagged.flatMap(({ terms }) => terms.filter(isContentNoun).map((t) => t.text.toLowerCase())));
  for (const { sentence, terms } of tagged) {
    terms.forEach((term, i) => {
      if (!isContentNoun(term) && !isNounElsewhere(term, nounForms)) return;
      const noun = isContentNoun(term);
      const plural = term.tags.includes('Plural') || (!noun && /s$/.test(term.text));
      const kind = kindOf(term.tags);
      const word = term.text.toLowerCase();
      const end = term.offset.start + term.offset.length;
      add(stem(word), 1, { sentence, start: term.offset.start, end, plural, noun }, word, kind, rarity(word));
      const before = terms[i - 1];
      // Two words that stand together with nothing between them ("wood blocks", not "wood, blocks").
      if (before && isModifier(before) && before.post.trim() === '' && kindOf(before.tags) === kind) {
        const first = before.text.toLowerCase();
        add(`${stem(first)} ${stem(word)}`, 2, { sentence, start: before.offset.start, end, plural, noun }, `${first} ${word}`, kind, Math.max(rarity(first), rarity(word)));
      }
    });
  }
  const stemmed = doc.sentences.map((s) => ` ${tokens(s.text).map(stem).join(' ')} `);
  const sentencesOf = (f: Found): number => new Set(f.places.map((p) => p.sentence.index)).size;
  const kept = [...found.values()].filter((f) => sentencesOf(f) >= MIN_SENTENCES && f.rarity >= MIN_RARITY);
  // A word said mostly inside a phrase the text repeats ("ages" in "middle ages") is that phrase's part.
  const phrases = kept.filter((f) => f.words === 2);
  const topics = kept
    .filter((f) => f.words === 2 || !phrases.some((p) => p.key.split(' ').includes(f.key) && sentencesOf(p) * 2 > sentencesOf(f)))
    .map((f): Topic => {
      const forms = [...f.forms].sort((a, b) => b[1].count - a[1].count);
      const kind = [...f.kinds].sort((a, b) => b[1] - a[1])[0]![0];
      const mentions = f.words === 1 ? stemmed.filter((s) => s.includes(` ${f.key} `)).length : sentencesOf(f);
      const named = (form: string | undefined): string | null =>
        form === undefined ? null : kind === 'thing' ? form : form.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
      return {
        key: f.key,
        words: f.words,
        kind,
        singular: named(forms.find(([, v]) => !v.plural)?.[0]),
        plural: named(forms.find(([, v]) => v.plural)?.[0]),
        countable: forms.some(([, v]) => v.plural) || f.places.some((p) => AFTER_ARTICLE.test(p.sentence.text.slice(0, p.start))),
        mentions,
        score: mentions ** 0.75 * (f.rarity - MIN_RARITY + 1) * (f.words === 2 ? 1.5 : 1),
        places: f.places,
      };
    });
  return topics.sort((a, b) => b.score - a.score || a.places[0]!.sentence.index - b.places[0]!.sentence.index);
}

/** The topics as key terms, for the item check (a key must be one of the text's terms). */
export function topicTerms(topics: readonly Topic[]): KeyTerm[] {
  return topics.map((t) => {
    const first = t.places[0]!.sentence;
    return {
      term: t.singular ?? t.plural!,
      key: t.key,
      kind: 'concept',
      sentence: first.text,
      sentenceIndex: first.index,
      page: first.page,
      defined: false,
      spread: t.mentions,
      score: t.score,
      heading: first.heading,
    };
  });
}

/** A sentence that can carry a question on the topic: every mention of it there a noun, written alike. */
interface Placement {
  topic: Topic;
  sentence: Sentence;
  /** The sentence as the question quotes it (`stated`); `spans` are places in it. */
  text: string;
  spans: Span[];
  surface: string;
  plural: boolean;
  /** The sentence opens with the topic: swapping it for another makes a plain false statement. */
  subject: boolean;
  /** It stands after "a" or "an", where only a thing that can be counted may stand instead. */
  article: boolean;
}

/** A word this rare in everyday English is odd in a sentence of speech: a name, or a word misheard. */
const ODD_RARITY = 7;

/**
 * The sentences that can carry a question on the topic, best first: those that tie it to more of
 * the other things the text keeps coming back to, and have fewer odd words, of a readable length.
 * A sentence that names nothing else the text is about says little of it, and one with as many odd
 * words as such things reads as noise.
 */
function placementsOf(topic: Topic, topics: readonly Topic[]): Placement[] {
  const out: Array<Placement & { weight: number }> = [];
  const seen = new Set<number>();
  for (const place of topic.places) {
    const { sentence } = place;
    const text = stated(sentence);
    if (!place.noun || seen.has(sentence.index) || !quotable(sentence, text)) continue;
    seen.add(sentence.index);
    const dropped = sentence.text.length - text.length;
    const spans = termSpans(text, topic.key);
    const nouns = topic.places.filter((p) => p.sentence.index === sentence.index && p.noun);
    // Every form of the word blanked must be this noun, or a verb beside it ("printed") would be blanked too.
    if (!spans.length || !spans.every((s) => nouns.some((n) => n.start === s.start + dropped && n.end === s.end + dropped))) continue;
    const surfaces = new Set(spans.map((s) => text.slice(s.start, s.end).toLowerCase()));
    if (surfaces.size !== 1) continue;
    const rest = blankOut(text, spans).match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    if (rest < 5) continue;
    const surface = text.slice(spans[0]!.start, spans[0]!.end);
    const related = topics.filter((t) => t !== topic && !nested(t.key, topic.key) && mentionsTerm(text, t.key)).length;
    const odd = tokens(text).filter((w) => rarity(w) >= ODD_RARITY).length;
    if (related <= odd) continue;
    const words = text.split(/\s+/).length;
    out.push({
      weight: related - odd - (words >= 8 && words <= 30 ? 0 : 1),
      topic,
      sentence,
      text,
      spans,
      surface: topic.kind === 'thing' ? surface.toLowerCase() : surface.replace(/\b\p{L}/gu, (c) => c.toUpperCase()),
      plural: place.plural,
      subject: /^\s*(?:the|a|an)?\s*$/i.test(text.slice(0, spans[0]!.start)),
      article: spans.some((span) => AFTER_ARTICLE.test(text.slice(0, span.start))),
    });
  }
  return out.sort((a, b) => b.weight - a.weight || a.sentence.index - b.sentence.index);
}

const OPTION_IDS = ['a', 'b', 'c', 'd'];

/** A topic said in this many sentences is said throughout the text. */
const THROUGHOUT = 4;

type Kind = 'cloze_choice' | 'true_false' | 'short_answer';

export interface NarrativeQuestion {
  question: GeneratedQuestion;
  /** The topic's key, and the words it stands as in the question. */
  key: string;
  surface: string;
  /** The question's answer is the topic itself (a blank), so no other stem may say it. */
  answersTerm: boolean;
}

/** The word's forms a listener takes for it: itself, singular and plural ("letter", "letters"). */
function formsOf(word: string): string[] {
  const forms = [word, `${word}s`, `${word}es`];
  if (word.endsWith('s')) forms.push(word.slice(0, -1));
  if (word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('y')) forms.push(`${word.slice(0, -1)}ies`);
  return forms;
}

/**
 * Whether `text` says the answer, in its number or the other: a blank over "types" is given away
 * by a stem that says "type". Another word of its stem ("printed" beside "printing") is not the
 * answer, and a spoken text says such words in nearly every sentence.
 */
export function saysAnswer(text: string, answer: string): boolean {
  const words = tokens(text);
  const parts = tokens(answer);
  if (!parts.length) return false;
  const last = formsOf(parts.at(-1)!);
  return words.some((_, i) => parts.every((p, j) => (j === parts.length - 1 ? last.includes(words[i + j] ?? '') : words[i + j] === p)));
}

export interface NarrativeOptions {
  count: number;
  questionTypes: readonly QuestionType[];
  rng: SeededRandom;
  /** Whether a question may join the quiz: the item check, and no stem giving away an answer of the questions made before. */
  accept: (candidate: NarrativeQuestion) => boolean;
  /** The kinds of the questions already made, in the quiz these questions join. */
  made: readonly QuestionType[];
  /** Sentences the questions already made quote. */
  quoted: ReadonlySet<string>;
  /** How many true and false statements the quiz has so far. */
  truths: number;
  falsehoods: number;
}

/** Up to `count` questions on the topics, each topic once before any twice, a sentence quoted once. */
export function narrativeQuestions(topics: readonly Topic[], options: NarrativeOptions): NarrativeQuestion[] {
  const { rng } = options;
  const made: NarrativeQuestion[] = [];
  const quoted = new Set(options.quoted);
  const kinds = new Map<string, Set<Kind>>();
  const counts = new Map<QuestionType, number>(options.questionTypes.map((t) => [t, 0]));
  const typeOrder = rng.shuffle([...new Set(options.questionTypes)]);
  let truths = options.truths;
  let falsehoods = options.falsehoods;

  /** Other topics of the key's kind that the text says in the key's number and this sentence does not name, most telling first. */
  const others = (p: Placement): string[] => {
    const chosen: Topic[] = [];
    const candidates = topics
      .filter((t) => t.kind === p.topic.kind && (p.plural ? t.plural : t.singular) && (!p.article || t.countable))
      .filter((t) => !namesAlike(t.key, p.topic.key) && !mentionsTerm(p.text, t.key) && namesPeople(p.surface) === namesPeople(p.plural ? t.plural! : t.singular!))
      .map((t) => ({ t, weight: t.score * (0.6 + rng.next() * 0.8) }))
      .sort((a, b) => b.weight - a.weight);
    for (const { t } of candidates) if (!chosen.some((c) => namesAlike(c.key, t.key))) chosen.push(t);
    return chosen.map((t) => (p.plural ? t.plural! : t.singular!));
  };

  const explanation = (p: Placement, extra = ''): string => `The document says on page ${p.sentence.page}: "${p.sentence.text}"${extra ? ` ${extra}` : ''}`;
  const base = (p: Placement) => ({ explanation: explanation(p), source: { page: p.sentence.page, sentence: p.sentence.text }, points: 1 });
  const blanks = (p: Placement): string => blankOut(p.text, p.spans);

  const cloze = (p: Placement): NarrativeQuestion | null => {
    const distractors = others(p).slice(0, 3);
    if (distractors.length < 3) return null;
    const options: QuestionOption[] = rng.shuffle([p.surface, ...distractors]).map((text, i) => ({ id: OPTION_IDS[i]!, text }));
    const what = p.topic.words > 1 ? 'words complete' : 'word completes';
    return {
      question: { type: 'multiple_choice', text: `Which ${what} this statement? "${blanks(p)}"`, options, correctAnswer: p.surface, ...base(p) },
      key: p.topic.key,
      surface: p.surface,
      answersTerm: true,
    };
  };

  const shortAnswer = (p: Placement): NarrativeQuestion => {
    const hint = p.topic.words > 1 ? ` (${p.topic.words} words)` : '';
    return {
      question: { type: 'short_answer', text: `Fill in the blank${hint}: "${blanks(p)}"`, options: null, correctAnswer: p.surface, ...base(p) },
      key: p.topic.key,
      surface: p.surface,
      answersTerm: true,
    };
  };

  /** The sentence as it was said (true), or with the topic it opens with swapped for another (false); never a "not" put in. */
  const statement = (p: Placement, wantFalse: boolean): NarrativeQuestion | null => {
    let text = p.text;
    let note = '';
    if (wantFalse) {
      const swap = p.subject ? others(p)[0] : undefined;
      if (!swap) return null;
      text = swapTerm(p.text, p.spans, swap);
      note = `The statement puts "${swap}" where the document has "${p.surface}".`;
    }
    return {
      question: {
        type: 'true_false',
        text: `True or false: ${text}`,
        options: TRUE_FALSE_OPTIONS.map((o) => ({ ...o })),
        correctAnswer: wantFalse ? 'false' : 'true',
        ...base(p),
        explanation: explanation(p, note),
      },
      key: p.topic.key,
      surface: p.surface,
      answersTerm: false,
    };
  };

  const placed = new Map<string, Placement[]>();
  const placedOf = (topic: Topic): Placement[] => {
    let list = placed.get(topic.key);
    if (!list) placed.set(topic.key, (list = placementsOf(topic, topics)));
    return list;
  };

  // No stem may say the answer of a blank, unless the text says it throughout: then every stem and
  // option list carries it, and seeing it says nothing of which blank it fills.
  const said = new Map(topics.map((t) => [t.key, t.mentions]));
  const telling = (q: NarrativeQuestion): boolean => q.answersTerm && (said.get(q.key) ?? 0) < THROUGHOUT;
  const givesAway = (q: NarrativeQuestion): boolean =>
    made.some((o) => (telling(o) && saysAnswer(q.question.text, o.surface)) || (telling(q) && saysAnswer(o.question.text, q.surface)));

  const ask = (topic: Topic, allowed: readonly QuestionType[]): [Kind, NarrativeQuestion] | null => {
    const had = kinds.get(topic.key) ?? new Set<Kind>();
    const placements = placedOf(topic).filter((p) => !quoted.has(p.sentence.text));
    const types = allowed.filter((t) => counts.get(t)! < quota.get(t)!).sort((a, b) => counts.get(a)! - counts.get(b)!);
    for (const type of types) {
      const attempts: Array<[Kind, () => NarrativeQuestion | null]> = [];
      if (type === 'multiple_choice') attempts.push(...placements.map((p): [Kind, () => NarrativeQuestion | null] => ['cloze_choice', () => cloze(p)]));
      else if (type === 'short_answer') attempts.push(...placements.map((p): [Kind, () => NarrativeQuestion | null] => ['short_answer', () => shortAnswer(p)]));
      else {
        // Never more than one statement of a kind ahead of the other, so answering all "true" or all "false" does not pay.
        const wantFalse = falsehoods < truths || (falsehoods === truths && rng.next() < 0.5);
        const order = [wantFalse, !wantFalse].filter((f) => (f ? falsehoods <= truths : truths <= falsehoods));
        for (const f of order) attempts.push(...placements.map((p): [Kind, () => NarrativeQuestion | null] => ['true_false', () => statement(p, f)]));
      }
      for (const [kind, attempt] of attempts) {
        if (had.has(kind)) continue;
        const candidate = attempt();
        if (candidate && !givesAway(candidate) && options.accept(candidate)) return [kind, candidate];
      }
    }
    return null;
  };

  // Each kind of question its share of the whole quiz (the questions already made included).
  const total = options.count + options.made.length;
  const quota = new Map<QuestionType, number>(typeOrder.map((t, i) => [t, Math.floor(total / typeOrder.length) + (i < total % typeOrder.length ? 1 : 0)]));
  for (const type of options.made) counts.set(type, (counts.get(type) ?? 0) + 1);
  // A statement quoted true names every topic in its sentence, so no blank could be over one of
  // them after it: the blanks are chosen first, then the statements, then whatever is still missing.
  const clozes = typeOrder.filter((t) => t !== 'true_false');
  const phases = [clozes, typeOrder.filter((t) => t === 'true_false'), typeOrder];
  for (const [phase, allowed] of phases.entries()) {
    if (phase === phases.length - 1) for (const t of typeOrder) quota.set(t, Infinity);
    for (let round = 0; round < 3; round++) fill(allowed, round);
  }
  return made;

  function fill(allowed: readonly QuestionType[], round: number): void {
    for (const topic of topics) {
      if (made.length >= options.count) return;
      if ((kinds.get(topic.key)?.size ?? 0) !== round) continue;
      const next = ask(topic, allowed);
      if (!next) continue;
      const [kind, q] = next;
      made.push(q);
      kinds.set(topic.key, new Set([...(kinds.get(topic.key) ?? []), kind]));
      quoted.add(q.question.source.sentence);
      counts.set(q.question.type, (counts.get(q.question.type) ?? 0) + 1);
      if (q.question.type === 'true_false') {
        if (q.question.correctAnswer === 'false') falsehoods += 1;
        else truths += 1;
      }
    }
  }
}
