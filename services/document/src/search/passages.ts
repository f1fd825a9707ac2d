import { segmentDocument, type Passage } from '@learner/text';

export type { Passage };

/** The document's passages, cut once at processing by the shared text library. */
export function documentPassages(pages: { page: number; text: string }[]): Passage[] {
  return segmentDocument(pages).passages;
}
