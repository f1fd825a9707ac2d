import { describe, expect, it } from 'vitest';
import { cellBiology, frenchRevolution, photosynthesis, storedPassages, studyTexts } from '../../test/fixtures/study-texts.js';
import { checkQuiz } from './item-check.js';
import { generateQuestions, generateQuestionsFromPassages, pagesToAnalyze, passagesToAnalyze, type GenerateOptions } from './question-generator.js';
import { DIFFICULTIES, QUESTION_TYPES, type GeneratedQuestion } from './question.js';
import { mentionsTerm, termKey } from '@learner/text';
import { fillBlank, normalizeSpace } from './concepts.js';

const containsTerm = (text: string, term: string): boolean => mentionsTerm(text, termKey(term));
/** The term a false statement puts where the document has its concept, as its explanation says. */
const swappedInto = (q: GeneratedQuestion): string | undefined => /puts "(.+)" where/.exec(q.explanation)?.[1];
/** Whether `other` names `q`'s answer only as the term a false statement swapped in, which a multiple choice's options show anyway. */
const namesAsSwap = (q: GeneratedQuestion, other: GeneratedQuestion): boolean =>
  q.type === 'multiple_choice' && other.correctAnswer === 'false' && swappedInto(other) === q.correctAnswer;

const allTypes = [...QUESTION_TYPES];
const options = (overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({
  numQuestions: 12,
  difficulty: 'medium',
  questionTypes: allTypes,
  seed: 42,
  ...overrides,
});

/** A one-page document of the given sentences. */
const onePage = (sentences: string[]) => [{ page: 1, text: sentences.join(' ') }];
const documentText = (pages: { text: string }[]): string => normalizeSpace(pages.map((p) => p.text).join(' ')).toLowerCase();
const hasNumber = (q: GeneratedQuestion): boolean => /\d/.test(q.source.sentence);
/** Every question of a quiz on the pages under each of 30 seeds, with its seed. */
const overSeeds = (pages: { page: number; text: string }[], numQuestions: number): Array<{ seed: number; q: GeneratedQuestion }> =>
  Array.from({ length: 30 }, (_, seed) => generateQuestions(pages, options({ numQuestions, seed })).questions.map((q) => ({ seed, q }))).flat();

describe('question generation from study texts', () => {
  for (const [name, pages] of Object.entries(studyTexts)) {
    for (const difficulty of DIFFICULTIES) {
      it(`makes ${difficulty} questions from the ${name} notes that all pass the item check`, () => {
        const result = generateQuestions(pages, options({ difficulty, numQuestions: 15 }));
        expect(result.generated).toBeGreaterThanOrEqual(7);
        expect(result.questions).toHaveLength(result.generated);
        expect(checkQuiz(result.questions, pages).problems).toEqual({});
      });
    }
  }

  it('gives a quiz asked for every kind of question each kind, whatever the seed', () => {
    // A false statement swaps in a sibling term; when the closest sibling is already another
    // question's answer, the next one is tried, so true/false is not crowded out by the clozes.
    for (let seed = 0; seed < 60; seed++) {
      const { questions } = generateQuestions(frenchRevolution, options({ numQuestions: 9, seed }));
      expect(new Set(questions.map((q) => q.type)), `seed ${seed}`).toEqual(new Set(allTypes));
    }
  });

  it('gives multiple choice four distinct options with the key among them', () => {
    const { questions } = generateQuestions(frenchRevolution, options({ questionTypes: ['multiple_choice'] }));
    expect(questions.length).toBeGreaterThan(5);
    for (const q of questions) {
      const texts = q.options!.map((o) => o.text.toLowerCase());
      expect(new Set(texts).size).toBe(4);
      expect(q.options!.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd']);
      expect(q.options!.map((o) => o.text)).toContain(q.correctAnswer);
      expect(containsTerm(q.text, q.correctAnswer)).toBe(false);
    }
  });

  it('draws distractors from the other key terms of the document', () => {
    const { questions } = generateQuestions(cellBiology, options({ questionTypes: ['multiple_choice'], numQuestions: 20 }));
    const terms = questions.filter((q) => q.text.startsWith('Which term'));
    expect(terms.length).toBeGreaterThan(3);
    for (const q of terms) for (const o of q.options!) expect(o.text).toMatch(/^[\p{L}][\p{L} -]+$/u);
  });

  it('makes false statements that the document does not make, and true ones it does', () => {
    const { questions } = generateQuestions(photosynthesis, options({ questionTypes: ['true_false'], numQuestions: 16, seed: 3 }));
    const text = documentText(photosynthesis);
    const falses = questions.filter((q) => q.correctAnswer === 'false');
    const trues = questions.filter((q) => q.correctAnswer === 'true');
    // About as many false as true, so answering "true" to everything does not pass.
    expect(Math.abs(falses.length - trues.length)).toBeLessThanOrEqual(2);
    for (const q of falses) {
      const statement = q.text.replace(/^True or false: /, '');
      expect(statement).not.toBe(q.source.sentence);
      expect(text).not.toContain(statement.toLowerCase());
    }
    for (const q of trues) expect(q.text).toBe(`True or false: ${q.source.sentence}`);
  });

  it('makes a false statement about people with other people and about things with other things', () => {
    // Before: "Surveys conduct studies in natural settings.", "Ethnographers are questionnaires that …".
    const pages = onePage([
      'Sociologists are scientists who study how people live together in groups. Sociologists often work in universities.',
      'Ethnographers conduct studies in natural settings. Ethnographers are researchers who live among the people they study.',
      'Case studies are in-depth analyses of a single event or person. Case studies often use interviews.',
      'Field studies are studies that take place outside a laboratory. Field studies often use observation.',
      'Surveys are questionnaires that collect data from many people. Surveys often use random samples.',
    ]);
    const people = /^(?:sociologists|ethnographers)$/i;
    const questions = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => generateQuestions(pages, options({ questionTypes: ['true_false'], numQuestions: 8, seed })).questions);
    expect(questions.length).toBeGreaterThan(0);
    for (const q of questions.filter((x) => x.correctAnswer === 'false')) {
      const [, swapped, original] = /puts "(.+)" where the document has "(.+)"/.exec(q.explanation)!;
      expect(people.test(swapped!), q.text).toBe(people.test(original!));
    }
  });

  it('offers people beside a key that names people, and things beside a thing', () => {
    // Before: "As a _____ would do, Chang examines the daily lives …" with the options symbolic interactionist |
    // modernization theory | dependency theory | sanitation facilities: the one person gives the answer away.
    const pages = onePage([
      'An instrumental leader is a leader who is goal-oriented and concerned with accomplishing set tasks.',
      'An expressive leader is a leader who is concerned with maintaining harmony and the emotional health of the group.',
      'An authoritarian leader is a leader who issues rules and assigns tasks to the members of the group.',
      'A democratic leader is a leader who encourages group participation in all decision making.',
      'A dyad is a group of exactly two members, which ends when either member leaves.',
      'A triad is a group of three members, in which two members can side against the third.',
      'Conformity is the extent to which an individual complies with group norms or expectations.',
      'Groupthink is the pressure to agree that keeps a group from weighing other courses of action.',
      'A leadership style is the manner in which a leader gives direction to the members of a group.',
    ]);
    const people = /\bleaders?$/i;
    const choices = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) =>
      generateQuestions(pages, options({ questionTypes: ['multiple_choice'], numQuestions: 8, seed })).questions.filter((q) => q.text.startsWith('Which term completes')),
    );
    expect(choices.filter((q) => people.test(q.correctAnswer)).length).toBeGreaterThan(0);
    expect(choices.filter((q) => !people.test(q.correctAnswer)).length).toBeGreaterThan(0);
    for (const q of choices) for (const o of q.options!) expect(people.test(o.text), `${q.text} ${o.text}`).toBe(people.test(q.correctAnswer));
  });

  it('still asks from a sentence that gives a term\'s abbreviation, with the abbreviation gone from the blank and the swap', () => {
    // Before: "… have created the term _____ (IPV)." spelled the answer's initials beside the options.
    const pages = onePage([
      'To include unmarried, cohabitating, and same-sex couples, family sociologists have created the term intimate partner violence (IPV).',
      'Domestic violence is a significant social problem that affects families of every kind.',
      'Child abuse is the physical, sexual or emotional harm of a child by an adult in the family.',
      'Elder abuse is the harm of an older person by someone the person trusts.',
      'Shaken-baby syndrome is a group of medical symptoms caused by violently shaking a young child.',
      'Family violence is violence between members of one household, whatever their ties.',
    ]);
    const questions = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => generateQuestions(pages, options({ numQuestions: 8, seed })).questions);
    const fromIt = questions.filter((q) => q.source.sentence.includes('(IPV)') && q.type !== 'true_false');
    expect(fromIt.length).toBeGreaterThan(0);
    for (const q of fromIt) expect(q.text, q.text).toMatch(/the term _____\."/);
    for (const q of questions.filter((x) => x.correctAnswer === 'false')) expect(q.text).not.toContain('(IPV)');
  });

  it('offers the other terms in the number of the key where the document writes them so', () => {
    // Before: "Classic _____ are still considered important …" with the options sociological theories | critical
    // theory | conflict theory | macro-level theory: the one plural gives the answer away.
    const pages = onePage([
      'Pastoral societies are societies that rely on the domestication of animals for food.',
      'Horticultural societies are societies that grow fruits and vegetables in plots of cleared land.',
      'An agricultural society is a society that uses technology to cultivate crops over large areas.',
      'A feudal society is a society that operates on a strict hierarchical system of power based on land ownership.',
      'An industrial society is a society based on the use of machines to produce goods.',
      'Agricultural societies, feudal societies and industrial societies grew larger over time.',
      'Hunter-gatherer societies are societies that depend on hunting and gathering for survival.',
    ]);
    const written = documentText(pages);
    const choices = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) =>
      generateQuestions(pages, options({ questionTypes: ['multiple_choice'], numQuestions: 8, seed })).questions.filter((q) => q.text.startsWith('Which term completes')),
    );
    const plural = (t: string): boolean => /ies$/.test(t);
    expect(choices.filter((q) => plural(q.correctAnswer)).length).toBeGreaterThan(0);
    expect(choices.filter((q) => !plural(q.correctAnswer)).length).toBeGreaterThan(0);
    for (const q of choices) {
      for (const o of q.options!) {
        const inKeyNumber = plural(q.correctAnswer) ? o.text.replace(/y$/, 'ies') : o.text.replace(/ies$/, 'y');
        if (plural(o.text) !== plural(q.correctAnswer)) expect(written, `${q.text} ${o.text}`).not.toContain(inKeyNumber.toLowerCase());
      }
    }
  });

  it('asks short answers as a cloze on a key term', () => {
    const { questions } = generateQuestions(cellBiology, options({ questionTypes: ['short_answer'] }));
    expect(questions.length).toBeGreaterThan(5);
    for (const q of questions) {
      expect(q.options).toBeNull();
      expect(q.text).toContain('_____');
      expect(fillBlank(q.text.replace(/^Fill in the blank(?: \(\d words\))?: "|"$/g, ''), q.correctAnswer)).toBe(
        q.source.sentence.replace(/^./, (c) => (q.correctAnswer.startsWith(c.toLowerCase()) ? c.toLowerCase() : c)),
      );
    }
  });

  it('quotes the source sentence and page in every explanation', () => {
    const { questions } = generateQuestions(frenchRevolution, options());
    for (const q of questions) {
      expect(q.explanation).toContain(q.source.sentence);
      expect(q.explanation).toContain(`page ${q.source.page}`);
      expect(frenchRevolution.find((p) => p.page === q.source.page)!.text.replace(/\s+/g, ' ')).toContain(q.source.sentence);
    }
  });

  it('mixes all three question types by default and keeps to the types asked', () => {
    const mixed = generateQuestions(photosynthesis, options({ numQuestions: 12 }));
    expect(new Set(mixed.questions.map((q) => q.type))).toEqual(new Set(allTypes));
    const onlyTwo = generateQuestions(photosynthesis, options({ questionTypes: ['true_false', 'short_answer'] }));
    expect(new Set(onlyTwo.questions.map((q) => q.type))).toEqual(new Set(['true_false', 'short_answer']));
  });

  it('never asks two questions alike', () => {
    const { questions } = generateQuestions(cellBiology, options({ numQuestions: 20 }));
    const stems = questions.map((q) => q.text.toLowerCase());
    expect(new Set(stems).size).toBe(stems.length);
    const sources = questions.map((q) => q.source.sentence);
    expect(new Set(sources).size).toBe(sources.length);
  });

  it('does not let one question’s stem answer another when the document has room', () => {
    // (In the cell notes "cell" is in nearly every sentence, so ten questions need the relaxed pass.)
    for (const pages of [photosynthesis, frenchRevolution]) {
      const { questions } = generateQuestions(pages, options({ numQuestions: 10 }));
      for (const q of questions) {
        if (q.type === 'true_false') continue;
        // A false statement may name a multiple choice's answer as the term it swapped in: the options show it anyway.
        const others = questions.filter((other) => other !== q && containsTerm(other.text, q.correctAnswer) && !namesAsSwap(q, other));
        expect(others.map((o) => o.text)).toEqual([]);
      }
    }
  });

  it('asks about each page of a document, not only about the first', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { questions } = generateQuestions(photosynthesis, options({ numQuestions: 6, seed }));
      expect(new Set(questions.map((q) => q.source.page))).toEqual(new Set([1, 2]));
    }
  });

  it('gives the same quiz for the same seed and a different one for another seed', () => {
    const first = generateQuestions(frenchRevolution, options({ seed: 11 }));
    const again = generateQuestions(frenchRevolution, options({ seed: 11 }));
    const other = generateQuestions(frenchRevolution, options({ seed: 12 }));
    expect(again).toEqual(first);
    expect(other.questions).not.toEqual(first.questions);
  });

  it('asks about the central terms when easy and about the less central ones when hard', () => {
    const easy = generateQuestions(cellBiology, options({ difficulty: 'easy', numQuestions: 4 }));
    const hard = generateQuestions(cellBiology, options({ difficulty: 'hard', numQuestions: 4 }));
    const sources = (r: typeof easy): string[] => r.questions.map((q) => q.source.sentence).sort();
    expect(sources(easy)).not.toEqual(sources(hard));
    for (const q of [...easy.questions, ...hard.questions]) expect(hasNumber(q)).toBe(false);
  });

  it('answers with fewer questions and says so when the document is too short, rather than padding', () => {
    const pages = [
      {
        page: 1,
        text: 'Osmosis is the diffusion of water across a partially permeable membrane. Diffusion is the net movement of particles from a region of higher concentration to a region of lower concentration. Water moves into plant cells by osmosis and keeps them firm. Turgor is the pressure of the water inside a plant cell against its wall.',
      },
    ];
    const result = generateQuestions(pages, options({ numQuestions: 20 }));
    expect(result.generated).toBeLessThan(20);
    expect(result.generated).toBeGreaterThan(0);
    expect(result.questions).toHaveLength(result.generated);
    expect(result.requested).toBe(20);
    expect(result.warnings.join(' ')).toMatch(/supports \d+ good question/);
    expect(checkQuiz(result.questions, pages).problems).toEqual({});
  });

  it('makes no questions from a document without statements', () => {
    const result = generateQuestions([{ page: 1, text: 'Contents\n\nChapter one\nChapter two' }], options());
    expect(result.generated).toBe(0);
    expect(result.warnings).toHaveLength(1);
  });

  it('reads a spread of pages from a very long document and says so', () => {
    const pages = Array.from({ length: 300 }, (_, i) => ({ page: i + 1, text: cellBiology[i % 2]!.text }));
    const spread = pagesToAnalyze(pages, 100_000);
    expect(spread.length).toBeLessThan(pages.length);
    expect(spread[0]!.page).toBe(1);
    expect(spread.at(-1)!.page).toBeGreaterThan(250);
    const small = pagesToAnalyze(cellBiology, 100_000);
    expect(small).toEqual(cellBiology);
  });

  it('reads whole sentences spread over a single page far longer than it reads, as a text file without page breaks is', () => {
    const sentences = Array.from({ length: 30_000 }, (_, i) => `Sample ${i} shows that the cell membrane controls what enters the cell.`);
    const [page] = pagesToAnalyze([{ page: 1, text: sentences.join(' ') }], 100_000);
    expect(page!.text.length).toBeLessThanOrEqual(100_000);
    expect(page!.text.length).toBeGreaterThan(80_000);
    const read = [...page!.text.matchAll(/Sample (\d+) /g)].map((m) => Number(m[1]));
    expect(read[0]).toBe(0);
    expect(read.some((n) => n > 12_000 && n < 18_000)).toBe(true);
    expect(read.at(-1)).toBeGreaterThan(28_000);
    // Every stretch starts and ends on a sentence boundary.
    for (const stretch of page!.text.split('\n\n')) {
      expect(stretch).toMatch(/^Sample \d+ shows .*\.$/s);
    }
    const notes = cellBiology.map((p) => p.text).join('\n\n');
    const quiz = generateQuestions([{ page: 1, text: Array.from({ length: 400 }, () => notes).join('\n\n') }], options({ numQuestions: 3 }));
    expect(quiz.questions.length).toBeGreaterThan(0);
  });
});

/** A textbook section of the kind the quiz is for: concepts defined in the text, some of them siblings. */
const researchMethods = [
  {
    page: 1,
    text: `Variables and Hypotheses

A hypothesis is a testable statement about the relationship between two or more variables. A variable is a characteristic that can change or take different values. An independent variable is the variable that a researcher changes to see its effect. A dependent variable is the variable that is measured to see whether it responds to the change. A control group is the group of participants that does not receive the treatment being studied. An experimental group is the group of participants that receives the treatment.

Measuring well
Reliability is the degree to which a measure gives the same result when it is repeated. Validity is the degree to which a study measures what it was designed to measure. An operational definition is a description of a concept in terms of how it will be measured.`,
  },
  {
    page: 2,
    text: `Choosing who to study

A population is the whole group of people a researcher wants to draw conclusions about. A sample is the part of a population that is actually studied. A random sample is a sample in which every member of the population has the same chance of being chosen. A convenience sample is a sample of people who are easy for the researcher to reach. Researchers compare the independent variable and the dependent variable across the groups they study.

Kinds of research
Quantitative research is research that collects numerical data and analyses it with statistics. Qualitative research is research that collects words, images or observations and interprets their meaning. A survey is a set of questions put to many people in the same way. Participant observation is a method in which the researcher joins the group being studied.`,
  },
];

describe('questions on the concepts of a textbook section', () => {
  const mixed = (overrides: Partial<GenerateOptions> = {}) => generateQuestions(researchMethods, options({ numQuestions: 15, ...overrides }));
  const concepts = ['hypothesis', 'variable', 'independent variable', 'dependent variable', 'control group', 'experimental group', 'reliability', 'validity', 'operational definition', 'population', 'sample', 'random sample', 'convenience sample', 'quantitative research', 'qualitative research', 'survey', 'participant observation'];
  const isConcept = (text: string): boolean => concepts.some((c) => termKey(c) === termKey(text));

  it('asks every question about one of the key terms the section defines', () => {
    const { questions } = mixed();
    expect(questions.length).toBeGreaterThanOrEqual(10);
    expect(checkQuiz(questions, researchMethods).problems).toEqual({});
    for (const q of questions) {
      if (q.type === 'true_false') expect(concepts.some((c) => containsTerm(q.text, c))).toBe(true);
      else if (q.text.startsWith('What does')) expect(isConcept(/"(.+)"/.exec(q.text)![1]!)).toBe(true);
      else expect(isConcept(q.correctAnswer)).toBe(true);
    }
  });

  it('asks for the term from its definition, with other key terms of the section as the distractors', () => {
    const { questions } = mixed({ questionTypes: ['multiple_choice'], difficulty: 'hard' });
    const byDefinition = questions.filter((q) => q.text.startsWith('Which term completes this definition?'));
    expect(byDefinition.length).toBeGreaterThan(3);
    for (const q of byDefinition) {
      expect(q.text).toContain('_____');
      for (const o of q.options!) expect(isConcept(o.text)).toBe(true);
    }
    // A sibling stands beside its term: the same head noun ("independent variable" / "dependent variable").
    const siblingsSeen = byDefinition.filter((q) => {
      const head = termKey(q.correctAnswer).split(' ').pop();
      return q.options!.some((o) => o.text !== q.correctAnswer && termKey(o.text).split(' ').pop() === head);
    });
    expect(siblingsSeen.length).toBeGreaterThan(0);
  });

  it('asks what a term means, with other terms’ definitions as the options and no option naming its term', () => {
    const { questions } = mixed({ questionTypes: ['multiple_choice'], numQuestions: 12 });
    const meaning = questions.filter((q) => q.text.startsWith('What does'));
    expect(meaning.length).toBeGreaterThan(0);
    for (const q of meaning) {
      const term = /"(.+)"/.exec(q.text)![1]!;
      expect(q.source.sentence).toContain(q.correctAnswer);
      for (const o of q.options!) expect(containsTerm(o.text, term)).toBe(false);
    }
  });

  it('makes false statements by swapping the key term for a sibling term, never by adding "not"', () => {
    const { questions } = mixed({ questionTypes: ['true_false'], numQuestions: 14, seed: 9 });
    const falses = questions.filter((q) => q.correctAnswer === 'false');
    expect(falses.length).toBeGreaterThan(3);
    for (const q of falses) {
      const statement = q.text.replace(/^True or false: /, '');
      // Any "not" is the document's own: none is put in.
      const nots = (text: string): number => text.match(/\bnot\b/gi)?.length ?? 0;
      expect(nots(statement)).toBe(nots(q.source.sentence));
      const swappedIn = concepts.filter((c) => containsTerm(statement, c) && !containsTerm(q.source.sentence, c));
      expect(swappedIn.length).toBeGreaterThan(0);
      expect(q.explanation).toMatch(/puts ".+" where the document has ".+"/);
    }
  });

  it('accepts the term in short answers and blanks every place it stands', () => {
    const { questions } = mixed({ questionTypes: ['short_answer'] });
    expect(questions.length).toBeGreaterThan(5);
    for (const q of questions) {
      expect(isConcept(q.correctAnswer)).toBe(true);
      expect(containsTerm(q.text, q.correctAnswer)).toBe(false);
    }
  });

  /** The key term a question is about, where its form says it: the term asked for, asked about, or swapped out. */
  const aboutTerm = (q: GeneratedQuestion): string | null => {
    if (q.type === 'true_false') return /where the document has "(.+)"/.exec(q.explanation)?.[1] ?? null;
    if (q.text.startsWith('What does')) return /"(.+)"/.exec(q.text)![1]!;
    return q.correctAnswer;
  };
  const kindOf = (q: GeneratedQuestion): string => (q.type === 'multiple_choice' ? q.text.slice(0, 9) : q.type === 'true_false' ? `${q.correctAnswer} statement` : q.type);

  // Each concept defined once and used again in sentences of its own, as a textbook goes on using its terms.
  const ecology = [
    {
      page: 1,
      text: `Energy in an ecosystem

A producer is an organism that makes its own food from sunlight or from chemicals. Green plants are the most familiar producers on land. In the open ocean, tiny algae are the producers that feed nearly every other living thing.
A consumer is an organism that gets its energy by eating other organisms. Rabbits and deer are consumers that eat only plants. A fox hunts the animals that eat plants, so it is a consumer as well.
A decomposer is an organism that breaks down dead material and returns its nutrients to the soil. Fungi and bacteria are the main decomposers on a forest floor. Without decomposers, fallen leaves would pile up for centuries.
A food chain is the sequence in which energy passes from one organism to the next. Every food chain on land begins with sunlight captured by green plants. A short food chain loses less energy than a long one.
A habitat is the place where a population of organisms finds food, water and shelter. Clearing a forest destroys the habitat of many birds. Some insects spend their whole life in a single habitat.`,
    },
  ];

  it('asks up to three questions of different kinds on one concept when asked for more questions than it has concepts', () => {
    const { questions } = generateQuestions(ecology, options({ numQuestions: 15 }));
    expect(questions.length).toBeGreaterThan(0);
    expect(checkQuiz(questions, ecology).problems).toEqual({});
    const byTerm = new Map<string, GeneratedQuestion[]>();
    for (const q of questions) {
      const term = aboutTerm(q);
      if (term) byTerm.set(termKey(term), [...(byTerm.get(termKey(term)) ?? []), q]);
    }
    expect([...byTerm.values()].some((qs) => qs.length >= 2)).toBe(true);
    for (const qs of byTerm.values()) {
      expect(qs.length).toBeLessThanOrEqual(3);
      expect(new Set(qs.map(kindOf)).size).toBe(qs.length);
    }
    // Each question quotes a sentence of its own, and no stem holds the term another question asks for.
    expect(new Set(questions.map((q) => q.source.sentence)).size).toBe(questions.length);
    // A false statement may name a multiple choice's answer as the term it swapped in: the options show it anyway.
    for (const q of questions) {
      if (q.type === 'true_false' || q.text.startsWith('What does')) continue;
      expect(questions.filter((other) => other !== q && containsTerm(other.text, q.correctAnswer) && !namesAsSwap(q, other)).map((o) => o.text)).toEqual([]);
    }
  });

  it('asks about as many concepts as it asks questions when the document defines more of them alike', () => {
    const { questions } = mixed({ numQuestions: 10, seed: 5 });
    expect(questions).toHaveLength(10);
    const terms = questions.map(aboutTerm).filter((t): t is string => t !== null).map((t) => termKey(t));
    expect(new Set(terms).size).toBe(terms.length);
  });

  it('asks about the concept a passage explains most closely from two sides before asking once about each of the others', () => {
    // Decomposers are what the text is most about; the other four concepts are measured as less related.
    const relatedness = new Map(['producer', 'consumer', 'food chain', 'habitat'].map((t) => [termKey(t), 0.6]));
    relatedness.set(termKey('decomposer'), 0.9);
    for (const seed of [1, 2, 3]) {
      const { questions } = generateQuestions(ecology, options({ numQuestions: 4, seed }), { relatedness });
      expect(questions).toHaveLength(4);
      const onDecomposers = questions.filter((q) => termKey(aboutTerm(q) ?? '') === termKey('decomposer'));
      expect(onDecomposers.length).toBeGreaterThanOrEqual(2);
      expect(new Set(onDecomposers.map(kindOf)).size).toBe(onDecomposers.length);
    }
  });

  // Erosion is defined plainly; a meander in a sentence too long to quote as a definition; sediment is
  // everywhere, even in a heading, but never defined.
  const rivers = [
    {
      page: 1,
      text: `How rivers shape the land

Erosion is the wearing away of rock and soil by moving water, wind or ice. Erosion is fastest where a river runs steeply downhill. A fast river carries sediment far downstream. Heavy rain washes more sediment into the channel, and erosion of bare fields adds still more.

A meander, a feature that geographers, engineers and farmers who have watched the same valley floor change from one flood season to the next describe with great interest and sometimes with alarm, is a wide bend in a river that slowly shifts across its valley as water cuts into the outer bank and leaves sediment on the inner one. Meanders grow wider with every flood. Farmers lose fields when a meander moves. Old meanders can be cut off to form lakes.

Sediment on the move

Where a river slows, sediment settles on its bed. Dams trap sediment in their reservoirs, so the river below them carries less. Engineers dredge sediment out of harbours every year.

At the mouth of a river, sediment builds up into new land. The sediment there is rich, and farmers grow rice on it. Storms can wash that sediment back out to sea.

Scientists measure sediment in samples of river water. The amount of sediment rises after every storm. Clear water carries almost no sediment at all.

Fish need gravel beds that are free of fine sediment to lay their eggs. Too much sediment smothers the eggs. Some rivers now carry more sediment than at any time in the past.`,
    },
  ];
  /** The rivers text with three more terms defined: five in all, and sediment everywhere, never said what it is. */
  const riverTerms = [
    {
      page: 1,
      text: `${rivers[0]!.text}

Where rivers meet

A tributary is a smaller river that flows into a larger one. A delta is the land that builds up where a river meets the sea. A floodplain is the flat land beside a river that is covered by water in wet years. A tributary in flood can double the flow of the river it joins. Towns on a floodplain build banks to keep the water out.`,
    },
  ];

  it('asks about a term the text defines, however long its sentence, before a term it only uses', () => {
    // Sediment ranks first where it seems most related.
    const relatedness = new Map([
      [termKey('sediment'), 0.9],
      [termKey('erosion'), 0.7],
      [termKey('meander'), 0.5],
    ]);
    for (const seed of [1, 2, 3]) {
      const { questions } = generateQuestions(rivers, options({ numQuestions: 3, seed }), { relatedness });
      expect(questions).toHaveLength(3);
      // Each question quotes a sentence on one of the defined terms; sediment may stand in a false statement's swap.
      expect(questions.filter((q) => !['erosion', 'meander'].some((t) => containsTerm(q.source.sentence, t))).map((q) => q.text)).toEqual([]);
      expect(questions.some((q) => containsTerm(q.source.sentence, 'meander'))).toBe(true);
    }
  });

  it('asks for a term in a multiple choice though a false statement swapped it in, the options showing it anyway', () => {
    const asked = [1, 2, 3, 4].flatMap((seed) => {
      const { questions } = mixed({ numQuestions: 12, seed });
      const swapped = questions.filter((q) => q.correctAnswer === 'false').map(swappedInto);
      return questions.filter((q) => q.type === 'multiple_choice' && swapped.includes(q.correctAnswer));
    });
    expect(asked.length).toBeGreaterThan(0);
  });

  it('asks a true and a false statement on one concept, each quoting a sentence of its own', () => {
    const concepts = ['producer', 'consumer', 'decomposer', 'food chain', 'habitat'];
    for (const seed of [1, 2, 3]) {
      const { questions } = generateQuestions(ecology, options({ numQuestions: 8, seed, questionTypes: ['true_false'] }));
      expect(questions.length).toBeGreaterThanOrEqual(7);
      expect(new Set(questions.map((q) => q.source.sentence)).size).toBe(questions.length);
      const falseOn = questions.filter((q) => q.correctAnswer === 'false').map((q) => termKey(aboutTerm(q)!));
      const trueOn = questions.filter((q) => q.correctAnswer === 'true').flatMap((q) => concepts.filter((c) => containsTerm(q.source.sentence, c)).map(termKey));
      expect(falseOn.filter((term) => trueOn.includes(term))).not.toEqual([]);
    }
  });

  it('states as true the sentence that ties a concept to another of the document, rather than repeat its definition', () => {
    const landforms = onePage([
      'Erosion is the wearing away of rock and soil by moving water, wind or ice.',
      'Erosion is fastest where a river runs steeply downhill.',
      'Deposition is the laying down of sediment where moving water slows.',
      'Deposition builds sandbars on the inside of river bends.',
      'A delta is the land that builds up where a river meets the sea.',
      'Most of a delta is made of fine mud carried from far upstream.',
      'Erosion in the hills supplies the material that deposition leaves behind.',
      'A delta grows wherever deposition at the river mouth outpaces the waves.',
    ]);
    const concepts = ['erosion', 'deposition', 'delta'];
    const truths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].flatMap((seed) =>
      generateQuestions(landforms, options({ numQuestions: 1, seed, questionTypes: ['true_false'] })).questions.filter((q) => q.correctAnswer === 'true'),
    );
    expect(truths.length).toBeGreaterThan(0);
    for (const q of truths) expect(concepts.filter((c) => containsTerm(q.source.sentence, c)).length, q.source.sentence).toBe(2);
  });

  it('asks fewer questions than asked for, and says so, rather than fill a quiz with a word the text only uses', () => {
    // Five terms defined; sediment everywhere and measured most related, but the text never says what it is.
    const relatedness = new Map([
      [termKey('sediment'), 0.9],
      [termKey('erosion'), 0.7],
      [termKey('meander'), 0.5],
    ]);
    for (const seed of [1, 2, 3]) {
      const { questions, warnings } = generateQuestions(riverTerms, options({ numQuestions: 12, seed }), { relatedness });
      expect(questions.length).toBeGreaterThanOrEqual(6);
      expect(questions.length).toBeLessThan(12);
      expect(questions.filter((q) => q.type !== 'true_false' && termKey(q.correctAnswer) === termKey('sediment')).map((q) => q.text)).toEqual([]);
      expect(warnings.join(' ')).toContain(`supports ${questions.length} good questions`);
    }
    // A text that defines only two terms is about the words it keeps using: sediment fills its quiz.
    for (const seed of [1, 2, 3]) {
      const { questions } = generateQuestions(rivers, options({ numQuestions: 4, seed }), { relatedness });
      expect(questions).toHaveLength(4);
      expect(questions.some((q) => q.type !== 'true_false' && termKey(q.correctAnswer) === termKey('sediment'))).toBe(true);
    }
  });

  it('makes a statement false with another term the document defines, where it has one, not with a word it only uses', () => {
    // True and false statements only: no cloze keeps a defined term back as its answer, which no other stem may name.
    const swapped = [1, 2, 3, 4, 5, 6].flatMap((seed) =>
      generateQuestions(rivers, options({ numQuestions: 6, seed, questionTypes: ['true_false'] }))
        .questions.filter((q) => q.correctAnswer === 'false')
        .map(swappedInto),
    );
    expect(swapped.length).toBeGreaterThan(3);
    expect(swapped.filter((term) => term === 'sediment')).toEqual([]);
  });

  it('offers other terms the document defines beside the key of a multiple choice, rather than a word it only uses', () => {
    const offered = [1, 2, 3, 4, 5, 6].flatMap((seed) =>
      generateQuestions(riverTerms, options({ numQuestions: 8, seed, questionTypes: ['multiple_choice'] }))
        .questions.filter((q) => q.text.startsWith('Which term completes'))
        .flatMap((q) => q.options!.map((o) => o.text).filter((t) => t !== q.correctAnswer)),
    );
    expect(offered.length).toBeGreaterThan(36);
    // It may still stand in where the key's sentence names the defined ones; without the preference it was 19 of 72.
    expect(offered.filter((term) => termKey(term) === termKey('sediment')).length).toBeLessThanOrEqual(offered.length / 12);
  });

  it('never offers two forms of one name as two options, nor swaps a term for another form of itself', () => {
    const methods = onePage([
      'Ethnography is the immersion of the researcher in the natural setting of a whole community to observe its everyday life.',
      'An ethnographic study is a long stay with one community that ends in a detailed written account of its culture.',
      'Field research is the gathering of data in a natural environment rather than in a laboratory.',
      'Participant observation is a method in which researchers join people and take part in their routine activities.',
      'A case study is an in-depth analysis of a single event, situation, or individual.',
      'A survey is a method that collects data from people who answer a series of questions about their behavior and opinions.',
      'An experiment is a method that tests a hypothesis under controlled conditions.',
      'Secondary data analysis is the use of data that other researchers gathered for other purposes.',
      'Content analysis is the study of the words and images of texts to find their themes.',
      'Field research often relies on participant observation, and an ethnographic study may last for years.',
      'A survey reaches many people quickly, while a case study looks closely at one.',
      'Ethnography and content analysis both describe culture, one by living in it and one by reading what it produces.',
    ]);
    const forms = new Set([termKey('ethnography'), termKey('ethnographic study')]);
    let offered = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      for (const q of generateQuestions(methods, options({ numQuestions: 10, seed })).questions) {
        const keys = (q.options ?? []).map((o) => termKey(o.text));
        offered += keys.filter((k) => forms.has(k)).length;
        expect(keys.filter((k) => forms.has(k)).length, q.text).toBeLessThanOrEqual(1);
        const swapped = swappedInto(q);
        // A false statement from a sentence on one of the two, made with the other, would be true.
        if (swapped && forms.has(termKey(swapped))) expect(q.source.sentence.toLowerCase(), q.text).not.toMatch(/ethnograph/);
      }
    }
    expect(offered).toBeGreaterThan(0);
  });

  it('quotes a sentence without the linking words that tie it to the one before ("In contrast, …"), and cites it as the document writes it', () => {
    const culture = onePage([
      'Material culture refers to the objects or belongings of a group of people, such as tools and buildings.',
      'Nonmaterial culture, in contrast, consists of the ideas, attitudes, and beliefs of a society.',
      'In contrast, high culture describes the pattern of cultural experiences and attitudes that exist in the highest class segments of a society.',
      'Popular culture, on the other hand, refers to the pattern of cultural experiences and attitudes that exist in mainstream society.',
      'However, a subculture is a group that shares a specific identity apart from the larger culture.',
      'A counterculture is a group that rejects and opposes the widely accepted cultural patterns of a society.',
      'Similarly, cultural relativism is the practice of assessing a culture by its own standards rather than through the lens of another culture.',
      'Ethnocentrism is the practice of evaluating another culture according to the standards of one’s own culture.',
      'Culture shock is the feeling of disorientation that a person experiences when meeting a new culture.',
      'For example, a cultural universal is a pattern or trait that is common to every society.',
    ]);
    const linking = /\b(?:in contrast|on the other hand|however|similarly|for example)\b/i;
    let lifted = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const { questions } = generateQuestions(culture, options({ numQuestions: 10, seed }));
      expect(checkQuiz(questions, culture).problems).toEqual({});
      for (const q of questions) {
        expect(q.text, q.text).not.toMatch(linking);
        for (const o of q.options ?? []) expect(o.text, q.text).not.toMatch(linking);
        expect(documentText(culture)).toContain(normalizeSpace(q.source.sentence).toLowerCase());
        expect(q.explanation).toContain(q.source.sentence);
        if (linking.test(q.source.sentence)) lifted += 1;
      }
    }
    expect(lifted).toBeGreaterThan(0);
  });

  it('asks from the passages the document service stored as it asks from the pages, citing the page each sentence is on', () => {
    const { questions } = generateQuestionsFromPassages(storedPassages(researchMethods), options({ numQuestions: 15 }));
    expect(questions.length).toBeGreaterThanOrEqual(10);
    expect(checkQuiz(questions, researchMethods).problems).toEqual({});
    expect(new Set(questions.map((q) => q.source.page))).toEqual(new Set([1, 2]));
    for (const q of questions.filter((q) => q.type !== 'true_false' && !q.text.startsWith('What does'))) expect(isConcept(q.correctAnswer)).toBe(true);
  });

  it('blanks a term only where the text uses the term itself, not a verb or adjective sharing its stem', () => {
    const pages = onePage([
      'Conformity is the extent to which an individual complies with group norms or expectations.',
      'Solomon Asch conducted experiments that showed how great the pressure to conform is within a small group.',
      'Not surprisingly, young people are particularly aware of who conforms and who does not in their school.',
      'Asch concluded that conformity has two main causes: people want to be liked and they believe the group is better informed.',
      'Groupthink is the tendency of a cohesive group to reach agreement without weighing the alternatives.',
      'Members who conformed to groupthink in the studies rarely voiced their doubts to the leader.',
      'A reference group is a group to which an individual compares himself or herself.',
      'An in-group is a group toward which one feels loyalty and respect.',
      'An out-group is a group toward which an individual feels contempt or competition.',
      'A dyad is a group of two members, and a triad is a group of three members.',
    ]);
    const verbForms = /^(?:conform|conforms|conformed|conforming)$/i;
    let onConformity = 0;
    for (let seed = 0; seed < 30; seed++) {
      const { questions } = generateQuestions(pages, options({ numQuestions: 10, seed }));
      for (const q of questions) {
        expect(q.correctAnswer, `seed ${seed}: ${q.text}`).not.toMatch(verbForms);
        if (q.type !== 'true_false' && /^conformity$/i.test(q.correctAnswer)) onConformity++;
      }
    }
    expect(onConformity).toBeGreaterThan(0);
  });

  it('never blanks or swaps a term where it stands only as part of a longer key term ("Institutional _____ is …")', () => {
    const pages = onePage([
      'Ethnography is the immersion of the researcher in the natural setting of an entire social community.',
      'Institutional ethnography is an extension of basic ethnographic research principles that focuses on everyday social relationships.',
      'Developed by Dorothy E. Smith, institutional ethnography is often considered a feminist approach to social analysis.',
      'A case study is an in-depth analysis of a single event, situation, or individual.',
      'Participant observation is a method in which researchers join people and take part in their routine activities.',
      'A survey is a set of questions put to many people in the same way.',
      'An interview is a one-on-one conversation between the researcher and the subject.',
      'Field research is research that gathers primary data from a natural environment.',
      'Content analysis is a systematic approach to record and value information gleaned from secondary data.',
    ]);
    let onEthnography = 0;
    for (const { seed, q } of overSeeds(pages, 16)) {
      expect(q.text, `seed ${seed}`).not.toMatch(/\binstitutional _____/i);
      if (q.type === 'true_false' && q.correctAnswer === 'false') expect(q.text, `seed ${seed}`).toMatch(/\binstitutional ethnography\b|^(?!.*\binstitutional\b)/i);
      if (/^ethnography$/i.test(q.correctAnswer)) onEthnography++;
    }
    // The term is still asked about, from the sentences where it stands on its own.
    expect(onEthnography).toBeGreaterThan(0);
  });

  it('never blanks or swaps a term where the sentence writes it capitalized, as part of a name ("the Journal of Contemporary _____")', () => {
    const pages = onePage([
      'Ethnography is the immersion of the researcher in the natural setting of an entire social community.',
      'A long ethnography can take years, because the researcher must first earn the trust of the community.',
      'The Journal of Contemporary Ethnography has published long studies of single neighborhoods and workplaces since 1972.',
      'A case study is an in-depth analysis of a single event, situation, or individual.',
      'Participant observation is a method in which researchers join people and take part in their routine activities.',
      'A survey is a set of questions put to many people in the same way.',
      'An interview is a one-on-one conversation between the researcher and the subject.',
      'Content analysis is a systematic approach to record and value information gleaned from secondary data.',
    ]);
    let onEthnography = 0;
    for (const { seed, q } of overSeeds(pages, 12)) {
      expect(q.text, `seed ${seed}`).not.toMatch(/\bContemporary _____/);
      if (q.correctAnswer === 'false') expect(q.text, `seed ${seed}`).not.toMatch(/\bContemporary (?!Ethnography\b)\p{L}/u);
      if (/^ethnography$/i.test(q.correctAnswer)) onEthnography++;
    }
    // The term is still asked about, from the sentences where it stands as the concept.
    expect(onEthnography).toBeGreaterThan(0);
  });

  it('reads runs of passages spread over a document too long to read whole, and says so', () => {
    const pages = Array.from({ length: 300 }, (_, i) => {
      const text = [...researchMethods, ...cellBiology][i % 4]!.text;
      return { page: i + 1, text: `${text}\n\n${text}` };
    });
    const passages = storedPassages(pages);
    const spread = passagesToAnalyze(passages, 100_000);
    expect(spread.reduce((n, p) => n + p.text.length, 0)).toBeLessThanOrEqual(100_000);
    expect(spread[0]!.page).toBe(1);
    expect(spread.at(-1)!.page).toBeGreaterThan(250);
    const result = generateQuestionsFromPassages(passages, options({ numQuestions: 5 }));
    expect(result.generated).toBe(5);
    expect(result.warnings.join(' ')).toMatch(/drawn from \d+ of its 300 pages/);
  });

  // Its speed is bench/quiz's to print; tests do not time anything.
  it('makes 20 questions from a 100-page document', () => {
    const pages = Array.from({ length: 100 }, (_, i) => ({
      page: i + 1,
      text: [...researchMethods, ...cellBiology, ...photosynthesis][i % 6]!.text,
    }));
    const result = generateQuestions(pages, options({ numQuestions: 20 }));
    expect(result.generated).toBe(20);
    expect(checkQuiz(result.questions, pages).problems).toEqual({});
  });
});
