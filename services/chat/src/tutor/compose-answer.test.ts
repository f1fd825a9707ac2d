import { describe, expect, it } from 'vitest';
import { composeAnswer, type Passage } from './compose-answer.js';
import { planSearch } from './search-plan.js';

function passage(overrides: Partial<Passage> & Pick<Passage, 'text'>): Passage {
  return { documentId: 1, title: 'Biology notes', page: 1, passageId: 1, snippet: '', rank: 0.5, ...overrides };
}

const photosynthesis = passage({
  passageId: 10,
  page: 2,
  text:
    'Photosynthesis is the process by which green plants turn light energy into chemical energy. ' +
    'It takes place in the chloroplasts of leaf cells. ' +
    'The process releases oxygen as a by-product.',
  snippet: '<b>Photosynthesis</b> is the process by which green plants turn light energy',
});
const respiration = passage({
  passageId: 20,
  page: 5,
  text:
    'Cellular respiration breaks glucose down to release energy. ' +
    'Mitochondria are the organelles where cellular respiration happens. ' +
    'Respiration uses oxygen and produces carbon dioxide.',
});
const history = passage({
  documentId: 2,
  title: 'History of science',
  passageId: 3,
  page: 1,
  text: 'Robert Hooke described cells in 1665 after looking at cork under a microscope. The cell theory followed in 1839.',
});

function ask(question: string, passages: Passage[], previous: string[] = []) {
  const plan = planSearch(
    question,
    previous.map((q) => planSearch(q, [])).map((p, i) => ({ question: previous[i]!, searchWords: p.words })),
  );
  return composeAnswer({ question, searchWords: plan.words, passages });
}

describe('composeAnswer', () => {
  it('states the sentence that answers the question and cites its passage and page', () => {
    const answer = ask('Where are the organelles of cellular respiration?', [respiration, photosynthesis]);
    expect(answer.found).toBe(true);
    if (!answer.found) return;
    expect(answer.content).toContain('Mitochondria are the organelles where cellular respiration happens.');
    expect(answer.citations).toEqual([
      expect.objectContaining({ documentId: 1, title: 'Biology notes', page: 5, snippet: expect.stringContaining('Mitochondria') }),
    ]);
  });

  it('prefers the definition when asked what something is', () => {
    const answer = ask('What is photosynthesis?', [photosynthesis, respiration]);
    expect(answer.found && answer.sentences[0]!.text).toBe(
      'Photosynthesis is the process by which green plants turn light energy into chemical energy.',
    );
  });

  it('ignores what a learner says around the question', () => {
    const answer = ask('I have an exam tomorrow, can you quickly help me understand what cellular respiration does?', [respiration]);
    expect(answer.found && answer.content).toContain('Cellular respiration breaks glucose down to release energy.');
  });

  it('finds nothing when the question hinges on a word the passages never use', () => {
    expect(ask('How do ribosomes produce proteins?', [respiration, photosynthesis]).found).toBe(false);
    expect(ask('What is the capital of Australia?', [history]).found).toBe(false);
  });

  it('finds nothing when there are no passages or no question words', () => {
    expect(ask('What is photosynthesis?', []).found).toBe(false);
    expect(composeAnswer({ question: 'hello', searchWords: [], passages: [photosynthesis] }).found).toBe(false);
  });

  it("does not answer with the text's own questions for discussion", () => {
    const discussion = passage({
      passageId: 30,
      page: 9,
      text:
        'What do you think a symbolic interactionist would compare social interactions to? ' +
        'Would a symbolic interactionist study names this way? Why or why not?',
    });
    const dramaturgy = passage({
      passageId: 31,
      page: 4,
      text:
        'Erving Goffman compared social interactions to theatrical roles played on a stage. ' +
        'People manage the impression they give to their audience.',
    });
    const answer = ask('What does a symbolic interactionist compare social interactions to?', [discussion, dramaturgy]);
    expect(answer.found && answer.content).toBe(dramaturgy.text);
    expect(answer.found && answer.citations.map((c) => c.page)).toEqual([4]);
    // Questions alone answer nothing.
    expect(ask('What does a symbolic interactionist compare social interactions to?', [discussion]).found).toBe(false);
  });

  it('does not state headings or fragments as answers', () => {
    const headed = passage({ text: 'Photosynthesis\nLight reactions of photosynthesis\nThe light reactions of photosynthesis split water and release oxygen.' });
    const answer = ask('What are the light reactions of photosynthesis?', [headed]);
    expect(answer.found && answer.content).toBe('The light reactions of photosynthesis split water and release oxygen.');
  });

  it('states at most three sentences, in page order, citing each passage once', () => {
    const many = [1, 2, 3, 4, 5].map((n) =>
      passage({ passageId: n, page: 6 - n, text: `Enzymes speed up reaction number ${n} in the cell by lowering activation energy.` }),
    );
    const answer = ask('How do enzymes lower activation energy?', many);
    expect(answer.found).toBe(true);
    if (!answer.found) return;
    expect(answer.sentences.length).toBeGreaterThanOrEqual(1);
    expect(answer.sentences.length).toBeLessThanOrEqual(3);
    const pages = answer.citations.map((c) => c.page);
    expect(pages).toEqual([...pages].sort((a, b) => a! - b!));
    expect(new Set(answer.citations.map((c) => c.page)).size).toBe(answer.citations.length);
  });

  it('orders sentences from two documents document by document, the better-ranked document first', () => {
    const a = passage({ documentId: 7, title: 'Cells', passageId: 1, page: 3, text: 'Robert Hooke named the cell in 1665 while studying cork.' });
    const b = passage({ documentId: 8, title: 'Microscopes', passageId: 2, page: 1, text: 'Hooke used a compound microscope to study cork and named the cell.' });
    const answer = ask('Who named the cell when studying cork?', [a, b]);
    expect(answer.found).toBe(true);
    if (!answer.found) return;
    expect(answer.citations.map((c) => c.documentId)).toEqual([7, 8]);
  });

  it('answers a follow-up about "it" from the subject of the previous question, with the sentence "it" refers to', () => {
    const answer = ask('Where does it happen?', [photosynthesis, respiration], ['What is photosynthesis?']);
    expect(answer.found && answer.content).toContain(
      'Photosynthesis is the process by which green plants turn light energy into chemical energy. It takes place in the chloroplasts of leaf cells.',
    );
  });

  it('cites the sentence it used rather than unrelated parts of the passage', () => {
    const answer = ask('What does respiration produce?', [respiration]);
    expect(answer.found && answer.citations[0]!.snippet).toBe('Respiration uses oxygen and produces carbon dioxide.');
  });

  it('quotes the whole passage that holds the answer, so the sentences around it come along', () => {
    const answer = ask('Where are the organelles of cellular respiration?', [respiration, photosynthesis]);
    expect(answer.found && answer.content).toBe(respiration.text);
  });

  describe('with the meaning side of the search', () => {
    const near = (p: Passage, similarity: number): Passage => ({ ...p, similarity });
    const askWith = (model: string | undefined, question: string, passages: Passage[]) =>
      composeAnswer({ question, searchWords: planSearch(question, []).words, passages, model });

    it('answers from a passage very close in meaning even when the question shares few of its words', () => {
      const answer = askWith('bge-small-en-v1.5-q', 'How do green organisms capture sunshine to make food?', [near(photosynthesis, 0.8), near(respiration, 0.6)]);
      expect(answer.found && answer.citations[0]!.page).toBe(2);
    });

    it('declines when the nearest passage is far in meaning and shares too few words', () => {
      const answer = askWith('bge-small-en-v1.5-q', 'Which treaty ended the Thirty Years War in 1648?', [near(history, 0.6), near(respiration, 0.55)]);
      expect(answer.found).toBe(false);
    });

    it("reads a similarity on its model's own scale", () => {
      const question = 'How do green organisms capture sunshine to make food?';
      // Very close for e5, whose unrelated texts already sit near 0.75; not close for bge.
      expect(askWith('multilingual-e5-small-q4', question, [near(photosynthesis, 0.88), near(respiration, 0.8)]).found).toBe(true);
      expect(askWith('bge-small-en-v1.5-q', question, [near(photosynthesis, 0.6), near(respiration, 0.55)]).found).toBe(false);
    });

    it('does not answer on the meaning of a model whose scale it does not know: the words must carry it', () => {
      const question = 'How do green organisms capture sunshine to make food?';
      expect(askWith('some-hosted-model', question, [near(photosynthesis, 0.99), near(respiration, 0.5)]).found).toBe(false);
      expect(askWith(undefined, question, [near(photosynthesis, 0.99), near(respiration, 0.5)]).found).toBe(false);
    });
  });
});
