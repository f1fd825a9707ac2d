/** Paragraphs of a page: blank lines separate them; single line breaks are just wrapping. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

// A sentence ends at . ! or ? (and any closing quotes or brackets), before whitespace and an
// upper-case letter, a digit or an opening quote. A regular expression rather than
// Intl.Segmenter, whose time grows with the square of the text's length.
const BOUNDARY = /(?<=[.!?]["'”’)\]]*)\s+(?=["'“‘([]?[\p{Lu}\p{N}])/u;
const ABBREVIATION = /(?:^|\s)(?:[A-Z]|Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|No|Fig|Figs|Eq|Vol|Ch|Sec|approx|ca|cf|vs|etc|e\.g|i\.e|U\.S|Inc|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$/;

/** Sentences of one paragraph. */
export function sentences(paragraph: string): string[] {
  const out: string[] = [];
  for (const piece of paragraph.split(BOUNDARY)) {
    const s = piece.trim();
    if (!s) continue;
    const previous = out[out.length - 1];
    // "Dr. Smith" or "J. Watson": an abbreviation or an initial does not end a sentence.
    if (previous !== undefined && ABBREVIATION.test(previous)) out[out.length - 1] = `${previous} ${s}`;
    else out.push(s);
  }
  return out;
}
