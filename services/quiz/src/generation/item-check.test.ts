import { describe, expect, it } from 'vitest';
import { checkItem, checkQuiz, PROBLEMS } from './item-check.js';
import type { GeneratedQuestion } from './question.js';

const pages = [
  {
    page: 2,
    text: 'The Calvin cycle takes place in the stroma.\nRubisco fixes carbon dioxide. The stroma is the fluid that fills the inside of a chloroplast around the thylakoids.',
  },
];
const sentence = 'The Calvin cycle takes place in the stroma.';
const good: GeneratedQuestion = {
  type: 'multiple_choice',
  text: 'Which term completes this statement? "The Calvin cycle takes place in the _____."',
  options: [
    { id: 'a', text: 'stroma' },
    { id: 'b', text: 'nucleus' },
    { id: 'c', text: 'cytoplasm' },
    { id: 'd', text: 'thylakoid' },
  ],
  correctAnswer: 'stroma',
  explanation: `The document says on page 2: "${sentence}"`,
  source: { page: 2, sentence },
  points: 1,
};

describe('the item check', () => {
  it('passes a well-formed multiple-choice item', () => {
    expect(checkItem(good, pages)).toEqual([]);
  });

  it('fails an item whose key is not among its options', () => {
    expect(checkItem({ ...good, correctAnswer: 'chloroplast' }, pages)).toContain('the key is not among the options');
  });

  it('fails an item with repeated options', () => {
    const options = good.options!.map((o, i) => (i === 3 ? { ...o, text: 'Nucleus' } : o));
    expect(checkItem({ ...good, options }, pages)).toContain('two options are the same');
  });

  it('fails an item whose stem gives its answer away, plural or not', () => {
    const text = 'Which term completes this statement? "The Calvin cycle, in the stromas, takes place in the _____."';
    expect(checkItem({ ...good, text }, pages)).toContain('the stem contains its answer');
  });

  it('fails an item that cites a sentence the document does not have, or the wrong page', () => {
    const invented = 'The Calvin cycle happens in the nucleus.';
    expect(checkItem({ ...good, source: { page: 2, sentence: invented }, explanation: invented }, pages)).toContain(
      'its source sentence is not on the cited page',
    );
    expect(checkItem({ ...good, source: { page: 3, sentence } }, pages)[0]).toMatch(/page 3/);
  });

  it('fails an item whose explanation does not quote its source', () => {
    expect(checkItem({ ...good, explanation: 'Because.' }, pages)).toContain('the explanation does not quote its source');
  });

  it('fails a true/false item whose key is not true or false', () => {
    expect(checkItem({ ...good, type: 'true_false', options: null, correctAnswer: 'yes' }, pages)).toContain(
      'the key is not true or false',
    );
  });

  it('fails a "false" statement that the document actually makes', () => {
    const item: GeneratedQuestion = { ...good, type: 'true_false', text: `True or false: ${sentence}`, options: null, correctAnswer: 'false' };
    expect(checkItem(item, pages)).toContain('its "false" statement is one the document makes');
    expect(checkItem({ ...item, correctAnswer: 'true' }, pages)).toEqual([]);
  });

  it('reports two items with the same stem', () => {
    const result = checkQuiz([good, { ...good }], pages);
    expect(result.passed).toBe(1);
    expect(result.problems[1]).toEqual(['the same stem as item 0']);
  });

  describe('rejects trivia and junk, each with its own named problem', () => {
    // A page of a sociology text: what the junk items below were cut from.
    const text = [
      'Schools and Tests',
      'Standardized tests are examinations given and scored in the same way for every test taker (Smith, 2016). Often times, schools offer more courses in the subjects that tests measure. A hidden curriculum refers to the informal lessons a school teaches beside its formal curriculum. Tracking is the practice of sorting students into groups by their measured ability. Credentialism is the emphasis on certificates or degrees to show that a person has a certain skill.',
      'The share of students who finished school rose to 7.4 percent (Table 7) in 1998. In 1998, researchers counted 17,000 students across the district. Sociologists say schools matter to students. The principal said, "Every child here can learn to read." Tracking is a practice that shapes what students expect of themselves.',
    ].join('\n\n');
    const doc = [{ page: 4, text }];
    const cloze = (stem: string, options: string[], key: string, sentence: string): GeneratedQuestion => ({
      type: 'multiple_choice',
      text: `Which term completes this statement? "${stem}"`,
      options: options.map((o, i) => ({ id: 'abcd'[i]!, text: o })),
      correctAnswer: key,
      explanation: `The document says on page 4: "${sentence}"`,
      source: { page: 4, sentence },
      points: 1,
    });
    const trueFalse = (statement: string, key: 'true' | 'false', sentence: string): GeneratedQuestion => ({
      type: 'true_false',
      text: `True or false: ${statement}`,
      options: [
        { id: 'true', text: 'True' },
        { id: 'false', text: 'False' },
      ],
      correctAnswer: key,
      explanation: `The document says on page 4: "${sentence}"`,
      source: { page: 4, sentence },
      points: 1,
    });
    const standardized = 'Standardized tests are examinations given and scored in the same way for every test taker (Smith, 2016).';
    const share = 'The share of students who finished school rose to 7.4 percent (Table 7) in 1998.';

    it('passes a question on a key term of the document', () => {
      const sentence = 'Credentialism is the emphasis on certificates or degrees to show that a person has a certain skill.';
      const item = cloze('_____ is the emphasis on certificates or degrees to show that a person has a certain skill.', ['tracking', 'credentialism', 'hidden curriculum', 'standardized tests'], 'credentialism', sentence);
      expect(checkItem(item, doc)).toEqual([]);
    });

    it('rejects a blank over a citation, "(_____, 2016)"', () => {
      const item = cloze(standardized.replace('Smith', '_____'), ['Smith', 'Jones', 'Weber', 'Marx'], 'Smith', standardized);
      expect(checkItem(item, doc)).toContain(PROBLEMS.citationBlank);
    });

    it('rejects a blank over a table number, "(Table _____)" with options 70 | 7.4 | 18 | 7.13', () => {
      const item = cloze(share.replace('Table 7', 'Table _____'), ['70', '7.4', '18', '7.13'], '7.4', share);
      const problems = checkItem(item, doc);
      expect(problems).toContain(PROBLEMS.numberedThingBlank);
      expect(problems).toContain(PROBLEMS.numberKey);
    });

    it('rejects a blank over a word of a name, "associated with _____ University", "the Americans with _____ Act"', () => {
      const sentence = 'The study was run at the hospital associated with Johns Hopkins University, where the code of ethics began.';
      const page = [{ page: 4, text: `${text} ${sentence}` }];
      const university: GeneratedQuestion = {
        ...cloze('', [], '', sentence),
        type: 'short_answer',
        options: null,
        text: `Fill in the blank (2 words): "${sentence.replace('Johns Hopkins', '_____')}"`,
        correctAnswer: 'Johns Hopkins',
      };
      expect(checkItem(university, page)).toContain(PROBLEMS.nameBlank);
      const act = 'Before the Americans with Disabilities Act of 1990, people with disabilities were often excluded.';
      const law = cloze(act.replace('Disabilities', '_____'), ['disabilities', 'impairment', 'stigma', 'autism'], 'disabilities', act);
      expect(checkItem(law, [{ page: 4, text: `${text} ${act}` }])).toContain(PROBLEMS.nameBlank);
      // A blank before a sentence's next word, or a name after the blank's own phrase, is no name's word.
      const credential = 'Credentialism is the emphasis on certificates or degrees to show that a person has a certain skill.';
      const plain = cloze(credential.replace('Credentialism', '_____'), ['tracking', 'credentialism', 'hidden curriculum', 'standardized tests'], 'credentialism', credential);
      expect(checkItem(plain, doc)).not.toContain(PROBLEMS.nameBlank);
    });

    it('rejects a blank over a word the sentence uses as a verb, though the document names it as a term elsewhere', () => {
      const families = 'Sociologists study families on both the macro and micro level to determine how families function.';
      const page = [{ page: 4, text: `${text} A function is what a part does for society. Each function matters. ${families}` }];
      const verb: GeneratedQuestion = { ...cloze('', [], '', families), type: 'short_answer', options: null, text: `Fill in the blank: "${families.replace('function.', '_____.')}"`, correctAnswer: 'function' };
      expect(checkItem(verb, page)).toContain(PROBLEMS.verbBlank);
      const noun = 'A function is what a part does for society.';
      const asNoun: GeneratedQuestion = { ...verb, text: `Fill in the blank: "A _____ is what a part does for society."`, source: { page: 4, sentence: noun }, explanation: `The document says on page 4: "${noun}"` };
      expect(checkItem(asNoun, page)).not.toContain(PROBLEMS.verbBlank);
    });

    it('rejects a blank over a paragraph\'s run-in title ("_____: Ironically, this study …"), not over a term its colon glosses ("_____: the systematic study of …", "_____: A state of …")', () => {
      const lacks = 'Henrietta Lacks: Ironically, this study was conducted at the hospital where the codes of ethics originated.';
      const page = [{ page: 4, text: `${text}\n\n${lacks}` }];
      const title: GeneratedQuestion = { ...cloze('', [], '', lacks), type: 'short_answer', options: null, text: `Fill in the blank (2 words): "${lacks.replace('Henrietta Lacks', '_____')}"`, correctAnswer: 'Henrietta Lacks' };
      expect(checkItem(title, page)).toContain(PROBLEMS.titleBlank);
      const gloss = 'Her work is a major contribution to thanatology: the systematic study of death and dying.';
      const term: GeneratedQuestion = { ...cloze('', [], '', gloss), type: 'short_answer', options: null, text: `Fill in the blank: "${gloss.replace('thanatology', '_____')}"`, correctAnswer: 'thanatology' };
      expect(checkItem(term, [{ page: 4, text: `${text}\n\n${gloss}` }])).not.toContain(PROBLEMS.titleBlank);
      const entry = 'Anomie: A state of normlessness that follows rapid social change.';
      const glossary: GeneratedQuestion = { ...cloze('', [], '', entry), type: 'short_answer', options: null, text: `Fill in the blank: "${entry.replace('Anomie', '_____')}"`, correctAnswer: 'anomie' };
      expect(checkItem(glossary, [{ page: 4, text: `${text}\n\n${entry}` }])).not.toContain(PROBLEMS.titleBlank);
    });

    it('rejects a blank over a year or a bare number', () => {
      const year = cloze(share.replace('1998', '_____'), ['1998', '1987', '2004', '1975'], '1998', share);
      expect(checkItem(year, doc)).toContain(PROBLEMS.yearKey);
      const counted = 'In 1998, researchers counted 17,000 students across the district.';
      const number: GeneratedQuestion = { ...cloze('', [], '', counted), type: 'short_answer', options: null, text: 'Fill in the blank: "In 1998, researchers counted _____ students across the district."', correctAnswer: '17,000' };
      expect(checkItem(number, doc)).toContain(PROBLEMS.numberKey);
    });

    it('rejects "Often times, _____ offer more courses" with options schools | refers | tests | cases: no key term, and a verb among the options', () => {
      const sentence = 'Often times, schools offer more courses in the subjects that tests measure.';
      const item = cloze('Often times, _____ offer more courses in the subjects that tests measure.', ['schools', 'refers', 'tests', 'cases'], 'schools', sentence);
      const problems = checkItem(item, doc);
      expect(problems).toContain(PROBLEMS.notKeyTerm);
      expect(problems).toContain(PROBLEMS.optionNotTerm);
    });

    it('rejects a key that is a stop word or a verb form like "refers"', () => {
      const sentence = 'Often times, schools offer more courses in the subjects that tests measure.';
      const often = cloze('_____ times, schools offer more courses in the subjects that tests measure.', ['often', 'rarely', 'seldom', 'always'], 'often', sentence);
      expect(checkItem(often, doc)).toContain(PROBLEMS.stopWordKey);
      const curriculum = 'A hidden curriculum refers to the informal lessons a school teaches beside its formal curriculum.';
      const refers = cloze('A hidden curriculum _____ to the informal lessons a school teaches beside its formal curriculum.', ['refers', 'tracking', 'credentialism', 'schools'], 'refers', curriculum);
      expect(checkItem(refers, doc)).toContain(PROBLEMS.verbKey);
    });

    it('rejects a true/false statement from a quotation', () => {
      const quoted = 'The principal said, "Every child here can learn to read."';
      expect(checkItem(trueFalse(quoted, 'true', quoted), doc)).toContain(PROBLEMS.quotation);
    });

    it('rejects a false statement made by inserting "not", and passes one made by swapping the key term', () => {
      const sentence = 'Tracking is the practice of sorting students into groups by their measured ability.';
      const negated = trueFalse('Tracking is not the practice of sorting students into groups by their measured ability.', 'false', sentence);
      expect(checkItem(negated, doc)).toContain(PROBLEMS.negation);
      const swapped = trueFalse('Credentialism is the practice of sorting students into groups by their measured ability.', 'false', sentence);
      expect(checkItem(swapped, doc)).toEqual([]);
    });
  });
});
