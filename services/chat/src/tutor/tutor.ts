import type { RequestUser } from '@learner/common/http';
import type { Logger } from '@learner/common/logger';
import { composeAnswer, type CitedPassage, type Passage } from './compose-answer.js';
import { DocumentsUnreachableError, type DocumentSearch } from '../documents/document-client.js';
import { planSearch, type PriorQuestion } from './search-plan.js';

export type AnswerSource = 'documents' | 'not_found' | 'documents_unavailable' | 'no_question';

export interface TutorQuestion {
  user: RequestUser;
  requestId?: string;
  question: string;
  /** Earlier questions of the conversation, latest first. */
  history: PriorQuestion[];
  /** The conversation's documents; empty means all of the user's. */
  documentIds: number[];
}

export interface TutorAnswer {
  content: string;
  citations: CitedPassage[];
  source: AnswerSource;
  /** The words the search used, kept with the question so later follow-ups can borrow them. */
  searchWords: string[];
  /** How the answer was made, stored with it. */
  metadata: Record<string, unknown>;
}

/** Writes an answer from the chosen passages (an LLM); may throw, and the extractive answer stands. */
export interface AnswerWriter {
  readonly name: string;
  write(input: { question: string; history: PriorQuestion[]; passages: Passage[]; draft: string }): Promise<string>;
}

export interface Tutor {
  answer(question: TutorQuestion): Promise<TutorAnswer>;
}

const SEARCH_LIMIT = 8;

export const MESSAGES = {
  notFound:
    "I couldn't find this in your documents, so I won't guess. Try asking with the words your material uses, or upload material that covers it and ask again.",
  notFoundInSession:
    "I couldn't find this in the documents of this conversation, so I won't guess. Try asking with the words your material uses, or upload material that covers it and start a conversation over it.",
  unavailable:
    "I couldn't reach your documents right now, so I can't answer from them. Your question is saved; please ask again in a moment.",
  noQuestion:
    "Ask me something about your material, for example what a term means or where something happens, and I'll answer from your documents.",
} as const;

/**
 * Answers a question from the learner's own documents: plans the search (borrowing the subject
 * from earlier questions for follow-ups), searches, and states the best-supported sentences with
 * citations. Never answers from anything else: no passages, no answer.
 */
export function createTutor(deps: { search: DocumentSearch; writer?: AnswerWriter; logger?: Logger }): Tutor {
  return {
    async answer(q) {
      const plan = planSearch(q.question, q.history);
      const base = { searchWords: plan.words };
      const meta = { search_query: plan.query, borrowed_words: plan.borrowed };
      if (plan.words.length === 0) {
        return { ...base, content: MESSAGES.noQuestion, citations: [], source: 'no_question', metadata: { ...meta, answer_source: 'no_question' } };
      }

      let passages: Passage[];
      let model: string | undefined;
      let retrieval: Record<string, unknown>;
      try {
        const found = await deps.search.search({
          user: q.user,
          ...(q.requestId ? { requestId: q.requestId } : {}),
          query: plan.query,
          question: plan.question,
          documentIds: q.documentIds,
          limit: SEARCH_LIMIT,
        });
        passages = found.passages;
        model = found.model;
        retrieval = { retrieval: found.retrieval, ...(found.reason ? { retrieval_reason: found.reason } : {}) };
      } catch (err) {
        if (!(err instanceof DocumentsUnreachableError)) throw err;
        deps.logger?.warn({ err, reason: err.reason }, 'document search failed; answering without documents');
        return {
          ...base,
          content: MESSAGES.unavailable,
          citations: [],
          source: 'documents_unavailable',
          metadata: { ...meta, answer_source: 'documents_unavailable', documents_error: err.reason },
        };
      }

      const composed = composeAnswer({ question: q.question, searchWords: plan.words, passages, model });
      if (!composed.found) {
        return {
          ...base,
          content: q.documentIds.length ? MESSAGES.notFoundInSession : MESSAGES.notFound,
          citations: [],
          source: 'not_found',
          metadata: {
            ...meta,
            ...retrieval,
            answer_source: 'not_found',
            passages_found: passages.length,
            relevance: round(composed.relevance),
          },
        };
      }

      let content = composed.content;
      let writer = 'extractive';
      let rejected: string | undefined;
      if (deps.writer) {
        const used = [...new Set(composed.sentences.map((s) => s.passage))];
        try {
          const written = (await deps.writer.write({ question: q.question, history: q.history, passages: used, draft: composed.content })).trim();
          // The written answer must point at the passages it was given ("[1]"); one that cites
          // nothing may have come from the model's own knowledge.
          if (written && !citesPassages(written, used.length)) rejected = 'cites no passage';
          else if (written) {
            content = written;
            writer = deps.writer.name;
          }
        } catch (err) {
          deps.logger?.warn({ err }, 'answer writer failed; keeping the extractive answer');
        }
      }
      return {
        ...base,
        content,
        citations: composed.citations,
        source: 'documents',
        metadata: {
          ...meta,
          ...retrieval,
          answer_source: 'documents',
          writer,
          ...(rejected ? { writer_rejected: rejected } : {}),
          passages_found: passages.length,
          relevance: round(composed.relevance),
        },
      };
    },
  };
}

function citesPassages(text: string, count: number): boolean {
  return [...text.matchAll(/\[(\d+)\]/g)].some((m) => Number(m[1]) >= 1 && Number(m[1]) <= count);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
