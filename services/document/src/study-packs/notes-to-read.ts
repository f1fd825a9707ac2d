import type { NoteRecord } from '../notes/notes-repository.js';

/** The longest text the tts service reads in one request. */
export const MAX_SPOKEN_CHARACTERS = 3000;

/**
 * The notes as a text to listen to: the summary, then the key points, cut at the last sentence that
 * fits the tts service's limit. Empty when the document has neither.
 */
export function notesToRead(notes: Pick<NoteRecord, 'kind' | 'content' | 'items'>[]): string {
  const summary = notes.find((n) => n.kind === 'summary')?.content.trim() ?? '';
  const points = (notes.find((n) => n.kind === 'key_points')?.items ?? []).map((i) => i.text.trim()).filter(Boolean);
  const parts = [summary, points.length ? `Key points. ${points.join(' ')}` : ''].filter(Boolean);
  const text = parts.join('\n\n').replace(/[ \t]+/g, ' ');
  if (text.length <= MAX_SPOKEN_CHARACTERS) return text;
  const cut = text.slice(0, MAX_SPOKEN_CHARACTERS);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.\n'), cut.lastIndexOf('? '), cut.lastIndexOf('! '));
  return (end > 0 ? cut.slice(0, end + 1) : cut).trim();
}
