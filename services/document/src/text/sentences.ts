const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Paragraphs of a page: blank lines separate them; single line breaks are just wrapping. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** Sentences of one paragraph, by Unicode sentence boundaries. */
export function sentences(paragraph: string): string[] {
  const out: string[] = [];
  for (const { segment } of segmenter.segment(paragraph)) {
    const s = segment.trim();
    if (!s) continue;
    // An abbreviation or initial ("Dr.", "J.") ends a segment too early; glue it back on.
    const previous = out[out.length - 1];
    if (previous && /(?:\b[A-Z][a-z]{0,2}|\b[a-z]\.[a-z])\.$/.test(previous) && /^[a-z0-9]/.test(s)) {
      out[out.length - 1] = `${previous} ${s}`;
    } else {
      out.push(s);
    }
  }
  return out;
}
