import { describe, expect, it } from 'vitest';
import { checkItem, checkQuiz } from './item-check.js';
import type { GeneratedQuestion } from './question.js';

const pages = [{ page: 2, text: 'The Calvin cycle takes place in the stroma.\nRubisco fixes carbon dioxide.' }];
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
});
