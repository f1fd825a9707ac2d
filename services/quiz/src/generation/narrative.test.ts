import { segmentDocument, STOP_WORDS, tokens, withoutLinkingWords } from '@learner/text';
import { describe, expect, it } from 'vitest';
import { studyTexts } from '../../test/fixtures/study-texts.js';
import { generateQuestions, generateQuestionsFromPassages, type GenerateOptions } from './question-generator.js';
import { QUESTION_TYPES, type GeneratedQuestion } from './question.js';
import { fillBlank } from './concepts.js';

/**
 * A transcribed talk: a sentence per pause, lower case, no commas, a false start, numbers said as
 * words, and no term defined ("X is the …") but one: what a recording of someone explaining
 * something gives.
 */
const TALK = [
  'Today we are going to talk about how a colony of honey bees gets through the year.',
  'A colony lives in a hive and in the summer it can hold fifty thousand bees.',
  'Nearly all of those bees are workers and the workers do almost every job in the hive.',
  'The queen lays the eggs and in the spring she can lay two thousand eggs in a single day.',
  'The workers fly out to the flowers and they bring back nectar and pollen.',
  'The nectar is stored in the wax cells of the hive and slowly it turns into honey.',
  'The pollen is food for the young bees the larvae that hatch from the eggs.',
  'The drones are the male bees and they do not gather any nectar at all.',
  'In the autumn the workers push the drones out of the hive because there is not enough food for them.',
  'And the and the bees stay in a tight cluster around the queen all through the winter.',
  'Through the winter the bees stay close to the queen and they eat the honey they stored.',
  'A strong colony needs about twenty kilos of honey to last the winter.',
  'When the flowers come back in the spring the queen starts to lay eggs again.',
  'Beekeepers take some of the honey from the hive in the late summer but they leave enough for the winter.',
  'So the flowers feed the bees and the bees carry pollen from one flower to the next.',
].join(' ');

const pages = [{ page: 1, text: TALK }];

// What the talk is about, in the number it says each; the other nouns it says are in passing.
const SINGULAR = ['hive', 'colony', 'queen', 'nectar', 'pollen', 'honey', 'winter', 'summer', 'spring', 'flower', 'year', 'day', 'food'];
const PLURAL = ['bees', 'workers', 'eggs', 'flowers', 'drones', 'cells', 'larvae', 'kilos', 'beekeepers'];
const TOPICS = ['hive', 'colony', 'queen', 'nectar', 'pollen', 'honey', 'winter', 'flower', 'flowers', 'bees', 'workers', 'eggs', 'drones'];
const NUMBER_WORDS = /^(?:one|two|twenty|fifty|thousand|single)$/;

const options = (overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({
  numQuestions: 5,
  difficulty: 'medium',
  questionTypes: [...QUESTION_TYPES],
  seed: 7,
  ...overrides,
});

const words = (text: string): string[] => tokens(text);
const quotedIn = (q: GeneratedQuestion): string => /"(.*)"$/.exec(q.text)![1]!;
const said = ` ${words(TALK).join(' ')} `;

/** What a learner would call junk, for a question on the talk; null when there is none. */
function junk(q: GeneratedQuestion): string | null {
  if (!said.includes(` ${words(q.source.sentence).join(' ')} `)) return 'quotes a sentence the talk does not say';
  if (/\b(?:and )?the and the\b/i.test(q.text)) return 'quotes a false start';
  // The sentence as a question may quote it: without a "so" or "and" that only ties it to the one before.
  const source = withoutLinkingWords(q.source.sentence);
  if (q.type === 'true_false') {
    const statement = q.text.replace(/^True or false:\s*/, '');
    const negations = (text: string) => words(text).filter((w) => w === 'not' || w === 'never' || w === 'no').length;
    if (negations(statement) !== negations(source)) return 'a "not" put in or taken out';
    if (q.correctAnswer === 'true') return statement === source ? null : 'a true statement that is not what was said';
    const swapped = words(statement).filter((w) => !words(source).includes(w) && w !== 'a' && w !== 'an');
    const dropped = words(source).filter((w) => !words(statement).includes(w) && w !== 'a' && w !== 'an');
    if (swapped.length !== 1 || dropped.length !== 1) return 'a false statement that is not one thing swapped for another';
    const [into, from] = [swapped[0]!, dropped[0]!];
    if (SINGULAR.includes(from) ? !SINGULAR.includes(into) : !PLURAL.includes(into)) return `"${from}" swapped for "${into}", not a thing of its kind`;
    return null;
  }
  const key = q.correctAnswer.toLowerCase();
  if (words(key).some((w) => STOP_WORDS.has(w) || NUMBER_WORDS.test(w) || w.length < 3 || /\d/.test(w))) return `the key "${key}" is no content word`;
  if (!quotedIn(q).includes('_____')) return 'no blank';
  if (words(fillBlank(quotedIn(q), key)).join(' ') !== words(source).join(' ')) return 'the key does not fill the blank to give what was said';
  if (q.type === 'multiple_choice') {
    const texts = q.options!.map((o) => o.text.toLowerCase());
    if (new Set(texts).size !== 4 || !texts.includes(key)) return 'not four distinct options with the key among them';
    const kind = SINGULAR.includes(key) ? SINGULAR : PLURAL.includes(key) ? PLURAL : null;
    const odd = texts.find((t) => !kind?.includes(t));
    if (odd !== undefined) return `the option "${odd}" is not a thing of the talk said in the number of "${key}"`;
  }
  return null;
}

describe('questions on a narrative text that defines next to no terms', () => {
  it('asks as many questions as were asked for, each on what the talk says, for every seed', () => {
    for (let seed = 0; seed < 40; seed++) {
      const result = generateQuestions(pages, options({ seed }));
      expect(result.generated, `seed ${seed}`).toBe(5);
      expect(result.questions.map((q) => [q.text, junk(q)]).filter(([, problem]) => problem !== null)).toEqual([]);
      expect(result.warnings.join(' ')).toMatch(/defines few terms/);
    }
  });

  it('blanks out the things the talk is about, each asked about once', () => {
    const keys = new Map<string, number>();
    for (let seed = 0; seed < 40; seed++) {
      const { questions } = generateQuestions(pages, options({ seed, questionTypes: ['multiple_choice', 'short_answer'] }));
      const asked = questions.map((q) => q.correctAnswer.toLowerCase().replace(/s$/, ''));
      expect(new Set(asked).size, `seed ${seed}: ${asked.join(', ')}`).toBe(asked.length);
      for (const q of questions) keys.set(q.correctAnswer.toLowerCase(), (keys.get(q.correctAnswer.toLowerCase()) ?? 0) + 1);
    }
    expect([...keys.keys()].filter((k) => !TOPICS.includes(k))).toEqual([]);
    // Not one word over and over: the quiz ranges over the talk.
    expect(keys.size).toBeGreaterThanOrEqual(5);
  });

  it('gives multiple choice four things the talk says, of the key’s kind and number', () => {
    const { questions } = generateQuestions(pages, options({ questionTypes: ['multiple_choice'], numQuestions: 6 }));
    expect(questions.length).toBeGreaterThanOrEqual(4);
    for (const q of questions) {
      expect(q.type).toBe('multiple_choice');
      expect(q.options!.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd']);
      expect(junk(q), q.text).toBeNull();
    }
  });

  it('makes false statements by swapping one thing said for another, and as many true as false', () => {
    const { questions } = generateQuestions(pages, options({ questionTypes: ['true_false'], numQuestions: 6 }));
    expect(questions.length).toBeGreaterThanOrEqual(2);
    const truths = questions.filter((q) => q.correctAnswer === 'true').length;
    expect(Math.abs(questions.length - 2 * truths)).toBeLessThanOrEqual(1);
    for (const q of questions) expect(junk(q), q.text).toBeNull();
  });

  it('quotes a sentence the speaker opens with "so" or "and" without it, and cites it as said', () => {
    // A speaker who opens nearly every sentence with "so" or "and": each used to lean on the one before.
    const talk = [
      'So a river starts high up in the hills where rain and melting snow collect in small streams.',
      'And the streams join together and the river grows as it flows down toward the sea.',
      'So the water in the river carries sand and stones that wear away the rocks of the riverbed.',
      'And over many years the river cuts a deep valley through the hills.',
      'So when the river reaches flat land it slows down and drops the sand it carries.',
      'And the sand builds up wide banks and islands in the middle of the river.',
      'So near the sea the river splits into many channels and forms a delta.',
      'And farmers grow rice on the delta because the sand and mud there are rich in food for plants.',
      'So floods on the river bring fresh mud to the fields of the delta every year.',
    ];
    for (let seed = 0; seed < 10; seed++) {
      const { questions } = generateQuestions([{ page: 1, text: talk.join(' ') }], options({ seed }));
      expect(questions, `seed ${seed}`).toHaveLength(5);
      for (const q of questions) {
        expect(talk).toContain(q.source.sentence);
        const source = q.source.sentence.replace(/^(?:So|And) (\p{L})/u, (_, c: string) => c.toUpperCase());
        const statement = q.type === 'true_false' ? q.text.replace(/^True or false:\s*/, '') : quotedIn(q);
        expect(statement, q.text).not.toMatch(/^(?:so|and) /i);
        if (q.type === 'true_false' && q.correctAnswer === 'true') expect(statement).toBe(source);
        if (q.type !== 'true_false') expect(fillBlank(statement, q.correctAnswer).toLowerCase()).toBe(source.toLowerCase());
      }
    }
  });

  it('asks the same from the passages the document service stores', () => {
    const { questions, warnings } = generateQuestionsFromPassages(segmentDocument(pages).passages, options());
    expect(questions).toHaveLength(5);
    for (const q of questions) expect(junk(q), q.text).toBeNull();
    expect(warnings.join(' ')).toMatch(/defines few terms/);
  });

  it('still makes no quiz from a recording of a few words, and says why', () => {
    for (const text of ['And mr john guess what and then at leisure to consider how much there might be greatly in his power to do how about.', 'Hello there.']) {
      const result = generateQuestions([{ page: 1, text }], options());
      expect(result.questions).toEqual([]);
      expect(result.warnings).toEqual(['The document does not define or dwell on enough concepts to ask about.']);
    }
  });

  it('adds no questions on passing words to a section that teaches two terms, one in a sentence that leans on the one before', () => {
    const section = [
      'Globalization refers to the process of integrating governments, cultures, and financial markets through international trade into a single world market.',
      'Often, the process begins with a single motive, such as market expansion on the part of a corporation or increased access to natural resources for a country.',
      'Critics are concerned that wealthy countries can force economically weaker nations to open their markets while protecting their own products.',
      'Countries that export goods depend on the markets of other countries, and the products of one country reach the markets of many.',
      'The increasing use of outsourcing of manufacturing jobs to developing countries has raised concerns among workers.',
      'Many workers in wealthy countries fear losing their jobs to workers in other countries.',
      'This can lead to a sense of xenophobia, which is an illogical fear and even hatred of foreigners and foreign goods.',
    ].join(' ');
    for (const seed of [1, 7, 11]) {
      const { questions, warnings } = generateQuestions([{ page: 1, text: section }], options({ numQuestions: 10, seed }));
      expect(warnings.join(' ')).not.toMatch(/defines few terms/);
      expect(warnings.join(' ')).toMatch(/supports \d+ good question/);
      for (const q of questions) expect(q.correctAnswer, q.text).not.toMatch(/countr|goods|products/);
    }
  });

  it('leaves a text that defines its terms to the questions on those terms', () => {
    for (const [name, studyPages] of Object.entries(studyTexts)) {
      const { questions, warnings } = generateQuestions(studyPages, options({ numQuestions: 8 }));
      expect(questions.length, name).toBeGreaterThan(0);
      expect(warnings.join(' '), name).not.toMatch(/defines few terms/);
    }
  });
});
