import type { Passage } from '../../src/tutor/compose-answer.js';

/** One passage from the document search, for the answer writers' tests. */
export const chloroplastPassage: Passage = {
  documentId: 3,
  title: 'Plant biology',
  page: 2,
  passageId: 9,
  text: 'Photosynthesis takes place in the chloroplasts.',
  snippet: '',
  rank: 1,
};
