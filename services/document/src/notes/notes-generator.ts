export type NoteKind = 'summary' | 'key_points' | 'key_terms';

/** One structured part of a note, with the page it comes from. */
export interface NoteItem {
  text: string;
  page: number;
  /** Key terms only: the term the sentence defines or uses. */
  term?: string;
}

export interface GeneratedNote {
  kind: NoteKind;
  content: string;
  items: NoteItem[];
  generator: string;
}

/** What the caller can measure for the generator. */
export interface NotesContext {
  /**
   * For each term, how closely the document's best passage answers it taken as a question (cosine
   * of their embeddings); undefined when it cannot be measured now.
   */
  relatedness?: (terms: string[]) => Promise<number[] | undefined>;
}

/** Makes study notes from a document's pages. */
export interface NotesGenerator {
  generate(pages: { page: number; text: string }[], context?: NotesContext): Promise<GeneratedNote[]>;
}
