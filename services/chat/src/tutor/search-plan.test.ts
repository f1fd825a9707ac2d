import { describe, expect, it } from 'vitest';
import { MAX_QUERY_CHARS, planSearch, priorQuestion } from './search-plan.js';

describe('planSearch', () => {
  it('searches for the content words of a question that names its subject', () => {
    expect(planSearch('How do plants store glucose?', [])).toEqual({ query: 'plants store glucose', words: ['plants', 'store', 'glucose'], borrowed: [], question: 'How do plants store glucose?' });
  });

  it('borrows the subject of the latest earlier question for a follow-up with a pronoun', () => {
    const plan = planSearch('Where does it happen?', [
      { question: 'What is photosynthesis?', searchWords: ['photosynthesis'] },
      { question: 'What are mitochondria?', searchWords: ['mitochondria'] },
    ]);
    expect(plan.query).toBe('photosynthesis');
    expect(plan.borrowed).toEqual(['photosynthesis']);
  });

  it('keeps its own words first when a follow-up adds some', () => {
    const plan = planSearch('Why do they absorb red light?', [{ question: 'What do chlorophyll molecules do?', searchWords: ['chlorophyll', 'molecules'] }]);
    expect(plan.words).toEqual(['absorb', 'red', 'light', 'chlorophyll', 'molecules']);
  });

  it('borrows for a follow-up with no content words at all', () => {
    expect(planSearch('Why?', [{ question: 'Plants are green', searchWords: ['plants', 'green'] }]).query).toBe('plants green');
  });

  it('skips earlier questions that had nothing to search for', () => {
    const plan = planSearch('And what about it?', [
      { question: 'Thanks!', searchWords: [] },
      { question: 'What is osmosis?', searchWords: ['osmosis'] },
    ]);
    expect(plan.query).toBe('osmosis');
  });

  it('does not borrow for a question that names a new subject without a pronoun', () => {
    expect(planSearch('What is osmosis?', [{ question: 'What is photosynthesis?', searchWords: ['photosynthesis'] }]).words).toEqual(['osmosis']);
  });

  it('has nothing to search for in small talk at the start of a conversation', () => {
    expect(planSearch('Hello, can you help me?', []).words).toEqual([]);
    expect(planSearch('Is it?', []).words).toEqual([]);
  });

  it('caps a long question at twelve words', () => {
    const long = Array.from({ length: 30 }, (_, i) => `term${String.fromCharCode(97 + (i % 26))}${i}`).join(' ');
    expect(planSearch(long, []).words).toHaveLength(12);
  });

  it('leaves out a run of letters longer than any word, and keeps the query within what the search takes', () => {
    expect(planSearch(`What is photosynthesis? ${'z'.repeat(600)}`, []).words).toEqual(['photosynthesis']);
    const longWords = Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(97 + i)}${'q'.repeat(54)}`);
    const plan = planSearch(longWords.join(' '), []);
    expect(plan.query.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    expect(plan.words).toEqual(longWords.slice(0, 8));
  });
});

describe('priorQuestion', () => {
  it('uses the stored search words of a question, or works them out when none were stored', () => {
    expect(priorQuestion('Where does it happen?', ['photosynthesis']).searchWords).toEqual(['photosynthesis']);
    expect(priorQuestion('What is osmosis?', undefined).searchWords).toEqual(['osmosis']);
    expect(priorQuestion('What is osmosis?', [1, 2]).searchWords).toEqual(['osmosis']);
  });
});
