import { z } from 'zod';
import { plainText } from '../http/plain-text.js';
import { createInternalClient, type InternalCall, type InternalClientOptions } from '../internal-client/internal-client.js';
import { documentStudyPack, studyPackRequest } from './study-pack.js';
import { successBody } from './success-body.js';

/**
 * The document service's internal routes (`/internal/v1`), as both sides see them: the document
 * service parses its input with these schemas and shapes its answers to them; chat, quiz and stt
 * call it through `createDocumentServiceClient`, which checks every answer against them.
 */

export const documentStatus = z.enum(['uploaded', 'processing', 'completed', 'failed']);

/** `GET /internal/v1/search` (and the public `GET /api/v1/search`): its query. */
export const documentSearchQuery = z.strictObject({
  q: plainText().pipe(z.string().trim().min(1, 'a search text is required').max(500)),
  question: plainText()
    .pipe(z.string().trim().min(1).max(500))
    .optional()
    .describe("the question in the learner's own words, for the meaning side of the search; q by default"),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  document_ids: z
    .string()
    .regex(/^\d{1,10}(,\d{1,10})*$/, 'a comma-separated list of document ids')
    .transform((v) => v.split(',').map(Number).filter((n) => n <= 2_147_483_647))
    .optional(),
});

export const documentSearchHit = z.object({
  document_id: z.number().int(),
  title: z.string(),
  page: z.number().int(),
  passage_id: z.number().int(),
  text: z.string(),
  snippet: z.string(),
  rank: z.number(),
  similarity: z.number().nullable(),
});
export type DocumentSearchHit = z.infer<typeof documentSearchHit>;

export const documentSearchMeta = z.object({
  retrieval: z.enum(['hybrid', 'full_text']),
  /** Why the passages are ranked by full text only. */
  reason: z.string().optional(),
  /** The embedding model whose cosine similarities the hits carry (hybrid only). */
  model: z.string().optional(),
});
export type DocumentSearchMeta = z.infer<typeof documentSearchMeta>;

export const documentSearchAnswer = successBody(z.array(documentSearchHit)).extend({ meta: documentSearchMeta });

/** `GET /internal/v1/documents/:id`: whether the user has the document, and its state. */
export const documentSummary = z.object({
  id: z.number().int(),
  title: z.string(),
  filename: z.string(),
  file_type: z.string(),
  status: documentStatus,
  pages: z.number().int().nullable(),
  text_length: z.number().int().nullable(),
  error: z.string().nullable(),
  /** Null when the document was made without a study pack. */
  study_pack: documentStudyPack.nullable().optional(),
});
export type DocumentSummary = z.infer<typeof documentSummary>;

/** `GET /internal/v1/documents/:id/passages`: the passages cut at processing, in reading order. */
export const documentPassages = z.object({
  id: z.number().int(),
  title: z.string(),
  status: documentStatus,
  passages: z.array(
    z.object({
      id: z.number().int(),
      page: z.number().int(),
      position: z.number().int(),
      text: z.string(),
      heading: z.string().nullable(),
      start_offset: z.number().int(),
      end_offset: z.number().int(),
    }),
  ),
});
export type DocumentPassages = z.infer<typeof documentPassages>;

/** `POST /internal/v1/documents`: a text document made for the user (a saved transcript). */
export const newTextDocument = z.strictObject({
  title: plainText().pipe(z.string().trim().min(1).max(500)),
  filename: plainText()
    .pipe(
      z
        .string()
        .trim()
        .min(1)
        .max(255)
        .regex(/\.(txt|md|markdown)$/i, 'must end in .txt or .md'),
    )
    .optional(),
  // Form feeds are allowed here: they mark page breaks.
  text: plainText({ formFeed: true }).pipe(z.string().min(1)).refine((t) => t.trim().length > 0, 'must not be blank'),
  source: plainText().pipe(z.string().trim().min(1).max(50)).optional(),
  study_pack: studyPackRequest.optional(),
});
export type NewTextDocument = z.input<typeof newTextDocument>;

/** A document as the API answers it, public and internal routes alike. */
export const documentView = z.object({
  id: z.number().int(),
  title: z.string(),
  filename: z.string(),
  file_type: z.string(),
  content_type: z.string(),
  file_size: z.number().int(),
  source: z.string(),
  status: documentStatus,
  error: z.string().nullable(),
  pages: z.number().int().nullable(),
  text_length: z.number().int().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  processed_at: z.string().nullable(),
  /** Null when the document was uploaded without a study pack. */
  study_pack: documentStudyPack.nullable().optional(),
});
export type DocumentView = z.infer<typeof documentView>;

/**
 * `POST /internal/v1/documents/:id/relatedness`: for each term (taken as a question), the cosine
 * similarity of the document's passage nearest to it in meaning; null where it cannot be measured
 * (no embeddings, the document's passages not embedded yet, the embedding server down).
 */
export const termRelatednessRequest = z.strictObject({
  terms: z.array(z.string().trim().min(1).max(200)).min(1).max(200),
});
export const termRelatedness = z.object({
  /** The embedding model measured with; null when nothing could be measured. */
  model: z.string().nullable(),
  relatedness: z.array(z.number().nullable()),
  /**
   * How alike in meaning each two terms are (the cosine similarity of their vectors, to three
   * decimals), a row for each term in the request's order; absent when nothing could be measured.
   */
  likeness: z.array(z.array(z.number())).optional(),
});
export type TermRelatedness = z.infer<typeof termRelatedness>;

/** What a caller asks a search for; sent as the query `documentSearchQuery` parses. */
export interface DocumentSearchRequest {
  q: string;
  question?: string | undefined;
  limit?: number | undefined;
  /** Restricts the search; absent or empty searches all of the user's documents. */
  documentIds?: number[] | undefined;
}

export interface DocumentServiceClient {
  search(call: InternalCall, request: DocumentSearchRequest): Promise<{ hits: DocumentSearchHit[]; meta: DocumentSearchMeta }>;
  getDocument(call: InternalCall, id: number): Promise<DocumentSummary>;
  getPassages(call: InternalCall, id: number): Promise<DocumentPassages>;
  relatedness(call: InternalCall, id: number, terms: string[]): Promise<TermRelatedness>;
  createTextDocument(call: InternalCall, input: NewTextDocument): Promise<DocumentView>;
}

/** The document service's internal routes, for chat, quiz and stt. Errors: see `createInternalClient`. */
export function createDocumentServiceClient(options: Omit<InternalClientOptions, 'service'>): DocumentServiceClient {
  const client = createInternalClient({ ...options, service: 'document' });
  return {
    async search(call, request) {
      const query: Record<string, string> = { q: request.q };
      if (request.limit !== undefined) query.limit = String(request.limit);
      if (request.documentIds?.length) query.document_ids = request.documentIds.join(',');
      if (request.question) query.question = request.question;
      const answer = await client.request({ ...call, path: '/internal/v1/search', query, response: documentSearchAnswer });
      return { hits: answer.data, meta: answer.meta };
    },
    async getDocument(call, id) {
      return (await client.request({ ...call, path: `/internal/v1/documents/${id}`, response: successBody(documentSummary) })).data;
    },
    async getPassages(call, id) {
      return (await client.request({ ...call, path: `/internal/v1/documents/${id}/passages`, response: successBody(documentPassages) })).data;
    },
    async relatedness(call, id, terms) {
      const path = `/internal/v1/documents/${id}/relatedness`;
      return (await client.request({ ...call, method: 'POST', path, body: { terms }, response: successBody(termRelatedness) })).data;
    },
    async createTextDocument(call, input) {
      const answer = await client.request({ ...call, method: 'POST', path: '/internal/v1/documents', body: input, response: successBody(documentView) });
      return answer.data;
    },
  };
}
