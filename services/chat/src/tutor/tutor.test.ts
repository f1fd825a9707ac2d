import { describe, expect, it } from 'vitest';
import type { Passage } from './compose-answer.js';
import { DocumentsUnreachableError, type DocumentSearch, type SearchRequest } from '../documents/document-client.js';
import { createTutor, MESSAGES, type AnswerWriter } from './tutor.js';

const user = { id: 'user-1', email: 'learner@example.com' };

const passages: Passage[] = [
  {
    documentId: 4,
    title: 'Plant biology',
    page: 3,
    passageId: 31,
    text: 'Photosynthesis is the process by which plants turn light into chemical energy. It takes place in the chloroplasts.',
    snippet: '<b>Photosynthesis</b> is the process',
    rank: 0.8,
  },
  {
    documentId: 4,
    title: 'Plant biology',
    page: 4,
    passageId: 40,
    text: 'Transpiration moves water from the roots to the leaves, where it evaporates through stomata.',
    snippet: '<b>Transpiration</b> moves water',
    rank: 0.3,
  },
];

/** A document search over fixed passages: returns those sharing a word with the query. */
function fixedSearch(list: Passage[]): DocumentSearch & { requests: SearchRequest[] } {
  const requests: SearchRequest[] = [];
  return {
    requests,
    async search(request) {
      requests.push(request);
      const words = request.query.toLowerCase().split(' ');
      const passages = list.filter(
        (p) =>
          (request.documentIds.length === 0 || request.documentIds.includes(p.documentId)) &&
          words.some((w) => p.text.toLowerCase().includes(w)),
      );
      return { passages, retrieval: 'full_text' };
    },
  };
}

const failing = (reason: DocumentsUnreachableError['reason']): DocumentSearch => ({
  async search() {
    throw new DocumentsUnreachableError(reason, 'down');
  },
});

describe('the tutor', () => {
  it('answers from the passages it finds, citing document, title and page', async () => {
    const search = fixedSearch(passages);
    const answer = await createTutor({ search }).answer({ user, requestId: 'req-1', question: 'What is photosynthesis?', history: [], documentIds: [] });
    expect(answer.source).toBe('documents');
    expect(answer.content).toContain('Photosynthesis is the process by which plants turn light into chemical energy.');
    expect(answer.citations).toEqual([{ documentId: 4, title: 'Plant biology', page: 3, snippet: expect.stringContaining('Photosynthesis is') }]);
    expect(answer.searchWords).toEqual(['photosynthesis']);
    expect(search.requests[0]).toMatchObject({ user, requestId: 'req-1', query: 'photosynthesis', documentIds: [] });
  });

  it('searches only the conversation documents when it has some', async () => {
    const search = fixedSearch(passages);
    const answer = await createTutor({ search }).answer({ user, question: 'What is photosynthesis?', history: [], documentIds: [9] });
    expect(search.requests[0]!.documentIds).toEqual([9]);
    expect(answer).toMatchObject({ source: 'not_found', content: MESSAGES.notFoundInSession, citations: [] });
  });

  it('says plainly that the documents do not cover a question, and suggests uploading material', async () => {
    const answer = await createTutor({ search: fixedSearch(passages) }).answer({ user, question: 'Who won the 1966 World Cup?', history: [], documentIds: [] });
    expect(answer.source).toBe('not_found');
    expect(answer.content).toBe(MESSAGES.notFound);
    expect(answer.content).toMatch(/couldn't find this in your documents/);
    expect(answer.content).toMatch(/upload material/);
    expect(answer.citations).toEqual([]);
  });

  it('resolves the subject of a follow-up from the earlier question', async () => {
    const search = fixedSearch(passages);
    const answer = await createTutor({ search }).answer({
      user,
      question: 'Where does it happen?',
      history: [{ question: 'What is photosynthesis?', searchWords: ['photosynthesis'] }],
      documentIds: [],
    });
    expect(search.requests[0]!.query).toBe('photosynthesis');
    expect(answer.content).toContain('It takes place in the chloroplasts.');
    expect(answer.metadata).toMatchObject({ borrowed_words: ['photosynthesis'] });
  });

  it.each(['timeout', 'unreachable', 'bad_status', 'bad_answer'] as const)(
    'says the documents could not be reached when the search fails (%s)',
    async (reason) => {
      const answer = await createTutor({ search: failing(reason) }).answer({ user, question: 'What is photosynthesis?', history: [], documentIds: [] });
      expect(answer).toMatchObject({ source: 'documents_unavailable', content: MESSAGES.unavailable, citations: [] });
      expect(answer.metadata).toMatchObject({ answer_source: 'documents_unavailable', documents_error: reason });
    },
  );

  it('asks for a real question instead of searching for small talk', async () => {
    const search = fixedSearch(passages);
    const answer = await createTutor({ search }).answer({ user, question: 'Hi!', history: [], documentIds: [] });
    expect(answer).toMatchObject({ source: 'no_question', content: MESSAGES.noQuestion });
    expect(search.requests).toHaveLength(0);
  });

  describe('with an answer writer', () => {
    const writer = (write: AnswerWriter['write']): AnswerWriter & { calls: Parameters<AnswerWriter['write']>[0][] } => {
      const calls: Parameters<AnswerWriter['write']>[0][] = [];
      return {
        name: 'llm',
        calls,
        async write(input) {
          calls.push(input);
          return write(input);
        },
      };
    };

    it('lets the writer word the answer from the passages used, keeping the citations', async () => {
      const w = writer(async () => 'In short: plants turn light into chemical energy [1].');
      const answer = await createTutor({ search: fixedSearch(passages), writer: w }).answer({ user, question: 'What is photosynthesis?', history: [], documentIds: [] });
      expect(answer.content).toBe('In short: plants turn light into chemical energy [1].');
      expect(answer.citations).toEqual([expect.objectContaining({ documentId: 4, page: 3 })]);
      expect(w.calls[0]!.passages.map((p) => p.passageId)).toEqual([31]);
      expect(w.calls[0]!.draft).toContain('Photosynthesis is the process');
      expect(answer.metadata).toMatchObject({ writer: 'llm' });
    });

    it('keeps the extractive answer when the writer cites none of the passages it was given', async () => {
      for (const written of ['Plants turn light into chemical energy.', 'Plants turn light into chemical energy [7].']) {
        const w = writer(async () => written);
        const answer = await createTutor({ search: fixedSearch(passages), writer: w }).answer({ user, question: 'What is photosynthesis?', history: [], documentIds: [] });
        expect(answer.content).toContain('Photosynthesis is the process by which plants turn light into chemical energy.');
        expect(answer.metadata).toMatchObject({ writer: 'extractive', writer_rejected: 'cites no passage' });
      }
    });

    it('keeps the extractive answer when the writer fails', async () => {
      const w = writer(async () => {
        throw new Error('model overloaded');
      });
      const answer = await createTutor({ search: fixedSearch(passages), writer: w }).answer({ user, question: 'What is photosynthesis?', history: [], documentIds: [] });
      expect(answer.content).toContain('Photosynthesis is the process by which plants turn light into chemical energy.');
      expect(answer.metadata).toMatchObject({ writer: 'extractive' });
    });

    it('never asks the writer when the documents do not cover the question', async () => {
      const w = writer(async () => 'An invented answer.');
      const answer = await createTutor({ search: fixedSearch(passages), writer: w }).answer({ user, question: 'Who won the 1966 World Cup?', history: [], documentIds: [] });
      expect(answer.content).toBe(MESSAGES.notFound);
      expect(w.calls).toHaveLength(0);
    });
  });
});
