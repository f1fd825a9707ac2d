import type { Segment } from '../recognizers/recognizer.js';

const PARAGRAPH_CHARS = 600;

/** "the cell is" -> "The cell is." Recognizers without punctuation give bare lower-case words. */
function asSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The transcript as readable text for study: sentences per segment, grouped into paragraphs per
 * speaker (named when known), so the document service's passages and notes work on it as on prose.
 */
export function transcriptToText(transcript: string, segments: Segment[]): string {
  if (segments.length === 0) return asSentence(transcript);
  const paragraphs: Array<{ speaker: string | null; text: string }> = [];
  for (const segment of segments) {
    const sentence = asSentence(segment.text);
    if (!sentence) continue;
    const last = paragraphs[paragraphs.length - 1];
    if (last && last.speaker === segment.speaker && last.text.length + sentence.length < PARAGRAPH_CHARS) {
      last.text += ` ${sentence}`;
    } else {
      paragraphs.push({ speaker: segment.speaker, text: sentence });
    }
  }
  return paragraphs.map((p) => (p.speaker ? `${p.speaker}: ${p.text}` : p.text)).join('\n\n');
}

/** `lecture 3.mp3` -> `lecture 3 (transcript).txt`, within the document service's 255 characters. */
export function transcriptFilename(audioName: string): string {
  const base = audioName.replace(/\.[^.]*$/, '').replace(/[^\p{L}\p{N} ._-]+/gu, ' ').trim().slice(0, 200) || 'recording';
  return `${base} (transcript).txt`;
}
