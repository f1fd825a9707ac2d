/** The text of one page as extracted (a text file is one page; form feeds may split it). */
export interface PageText {
  page: number;
  text: string;
}

/** A line that titles what follows it. */
export interface Heading {
  text: string;
  page: number;
  /** Offset of its first character in the page's text. */
  start: number;
}

export interface Sentence {
  /** Position in the whole document, from 0. */
  index: number;
  page: number;
  text: string;
  /** Offsets in the page's text: `start` of its first character, `end` after its last. */
  start: number;
  end: number;
  /** The heading it stands under, if any. */
  heading: string | null;
  /** Index of its paragraph (or list item) in the document. */
  paragraph: number;
}

/** A few whole sentences of one page and one section: the unit of search and citation. */
export interface Passage {
  page: number;
  /** Position among the document's passages, from 0. */
  position: number;
  text: string;
  start: number;
  end: number;
  heading: string | null;
}

export interface SegmentedDocument {
  headings: Heading[];
  sentences: Sentence[];
  passages: Passage[];
}

interface Block {
  kind: 'heading' | 'paragraph' | 'item';
  /** Whitespace-normalised text, wrapped lines joined, line-break hyphenation undone. */
  text: string;
  /** For each character of `text`, its offset in the page's text. */
  offsets: number[];
}

const BULLET = /^(?:[-*•▪◦‣]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+/;
const MARKDOWN_HEADING = /^#{1,6}\s+/;
const ENDS_CLAUSE = /[.!?:;,"”’)\]]$/;
const WORD = /[\p{L}\p{N}]+/gu;

function wordCount(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/**
 * A line that is a heading: short, no closing punctuation, standing alone (a blank line or the
 * page edge around it, or followed by a line that opens a sentence), and not the start of a
 * wrapped sentence.
 */
function isHeadingLine(line: string, previous: string | undefined, next: string | undefined): boolean {
  if (MARKDOWN_HEADING.test(line)) return true;
  if (ENDS_CLAUSE.test(line) || !/^[\p{Lu}\p{N}]/u.test(line)) return false;
  const count = wordCount(line);
  if (count === 0 || count > 12 || line.length > 100) return false;
  const afterBreak = previous === undefined || previous === '' || /[.!?:]["”’)]?$/.test(previous);
  const beforeSentence = next === undefined || next === '' || /^["“‘(]?[\p{Lu}\p{N}]/u.test(next);
  // A numbered step or a caption-like line ("Step 3: Formulate a Hypothesis") counts, so does Title Case.
  return afterBreak && beforeSentence;
}

/** Splits a page into headings, paragraphs and list items, keeping each character's page offset. */
function blocksOf(page: string): Block[] {
  const lines: { text: string; start: number }[] = [];
  let at = 0;
  for (const raw of page.split('\n')) {
    const lead = raw.length - raw.trimStart().length;
    lines.push({ text: raw.trim(), start: at + lead });
    at += raw.length + 1;
  }
  const blocks: Block[] = [];
  let current: Block | null = null;
  const flush = (): void => {
    if (current && current.text) blocks.push(current);
    current = null;
  };
  const append = (block: Block, line: { text: string; start: number }, from = 0): void => {
    const text = line.text;
    if (block.text) {
      // "exam-" at a line end and "ple" below: one word broken by the layout.
      if (/\p{L}-$/u.test(block.text) && /^\p{Ll}/u.test(text.slice(from))) {
        block.text = block.text.slice(0, -1);
        block.offsets.pop();
      } else {
        block.text += ' ';
        block.offsets.push(line.start + from - 1);
      }
    }
    let previousSpace = false;
    for (let i = from; i < text.length; i++) {
      const ch = text[i]!;
      const space = /\s/.test(ch);
      if (space && previousSpace) continue;
      block.text += space ? ' ' : ch;
      block.offsets.push(line.start + i);
      previousSpace = space;
    }
  };
  lines.forEach((line, i) => {
    if (!line.text) {
      flush();
      return;
    }
    const previous = i > 0 ? lines[i - 1]!.text : undefined;
    const next = lines[i + 1]?.text;
    const lastOfBlock = (current as Block | null)?.text;
    if ((current === null || /[.!?:]["”’)]?$/.test(lastOfBlock ?? '')) && isHeadingLine(line.text, current ? lastOfBlock : previous, next)) {
      flush();
      const heading: Block = { kind: 'heading', text: '', offsets: [] };
      const marker = MARKDOWN_HEADING.exec(line.text)?.[0].length ?? 0;
      append(heading, line, marker);
      blocks.push(heading);
      return;
    }
    const bullet = BULLET.exec(line.text);
    if (bullet) {
      flush();
      current = { kind: 'item', text: '', offsets: [] };
      append(current, line, bullet[0].length);
      return;
    }
    current ??= { kind: 'paragraph', text: '', offsets: [] };
    append(current, line);
  });
  flush();
  return blocks;
}

// A sentence ends at . ! or ? (and any closing quotes or brackets), before whitespace and an
// upper-case letter, a digit or an opening quote. A regular expression rather than
// Intl.Segmenter, whose time grows with the square of the text's length.
const BOUNDARY = /(?<=[.!?]["'”’)\]]*)\s+(?=["'“‘([]?[\p{Lu}\p{N}])/gu;
const ABBREVIATION =
  /(?:^|[\s(])(?:\p{Lu}|Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|No|Nos|Fig|Figs|Eq|Vol|Ch|Sec|pp?|approx|ca|cf|vs?|etc|al|e\.g|i\.e|U\.S|U\.K|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$/u;

/** Sentences of one paragraph as [start, end) offsets into it. */
function sentenceSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const end = m.index;
    // "Dr. Smith", "J. Watson", "et al. (2016)", "Reynolds v. Sims": an abbreviation or an initial does not end a sentence.
    if (ABBREVIATION.test(text.slice(Math.max(start, end - 12), end))) continue;
    if (end > start) spans.push([start, end]);
    start = end + m[0].length;
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans.filter(([s, e]) => text.slice(s, e).trim().length > 0);
}

/** Where the paragraphs of a passage's text are: it keeps a blank line only after an unstopped one. */
function paragraphSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  for (const m of text.matchAll(/\n\s*\n/g)) {
    spans.push([start, m.index]);
    start = m.index + m[0].length;
  }
  spans.push([start, text.length]);
  return spans;
}

/** Sentences of a text: paragraphs first, then sentence ends within them. */
export function sentences(text: string): string[] {
  return blocksOf(text).flatMap((b) => sentenceSpans(b.text).map(([s, e]) => b.text.slice(s, e)));
}

/** Paragraph-like units of a text (headings, paragraphs and list items), whitespace normalised. */
export function paragraphs(text: string): string[] {
  return blocksOf(text).map((b) => b.text);
}

const MIN_PASSAGE = 300;
const MAX_PASSAGE = 800;

function splitLong(s: { text: string; start: number; end: number }): { text: string; start: number; end: number }[] {
  if (s.text.length <= MAX_PASSAGE) return [s];
  const parts: { text: string; start: number; end: number }[] = [];
  let from = 0;
  while (from < s.text.length) {
    let to = Math.min(s.text.length, from + MAX_PASSAGE);
    if (to < s.text.length) {
      const space = s.text.lastIndexOf(' ', to);
      if (space > from) to = space;
    }
    const piece = s.text.slice(from, to).trim();
    if (piece) parts.push({ text: piece, start: s.start, end: s.end });
    from = to + 1;
  }
  return parts;
}

/** A paragraph that ends without a sentence's end: a line naming a person or a figure, an unstopped list item. */
const STOPPED = /[.!?:;]["'”’)\]]*$/;

/**
 * A passage's text from its pieces. An unstopped paragraph keeps a blank line after it, so that
 * splitting the passage again (`documentFromPassages`) does not read it and the next paragraph as one
 * sentence ("Auguste Comte (1798 – 1857) The term sociology was …").
 */
function joinPieces(pieces: ReadonlyArray<{ text: string; paragraphStart: boolean }>): string {
  return pieces.map((p, i) => (i === 0 ? '' : p.paragraphStart && !STOPPED.test(pieces[i - 1]!.text) ? '\n\n' : ' ') + p.text).join('');
}

/**
 * Cuts a document once into headings, sentences and passages. Passages hold whole sentences of one
 * page and one section (about 300 to 800 characters), break at paragraph ends once long enough,
 * and never run across a heading; a short tail joins the passage before it.
 */
export function segmentDocument(pages: readonly PageText[]): SegmentedDocument {
  const headings: Heading[] = [];
  const all: Sentence[] = [];
  const passages: Passage[] = [];
  let heading: string | null = null;
  let paragraph = 0;

  for (const { page, text } of pages) {
    type Piece = { text: string; start: number; end: number; paragraphStart: boolean };
    let chunk: Piece[] = [];
    const flushChunk = (): void => {
      if (!chunk.length) return;
      passages.push({
        page,
        position: passages.length,
        text: joinPieces(chunk),
        start: chunk[0]!.start,
        end: chunk[chunk.length - 1]!.end,
        heading,
      });
      chunk = [];
    };
    const chunkLength = (): number => chunk.reduce((n, p) => n + p.text.length + 1, -1);

    for (const block of blocksOf(text)) {
      if (block.kind === 'heading') {
        flushChunk();
        heading = block.text;
        headings.push({ text: block.text, page, start: block.offsets[0] ?? 0 });
        continue;
      }
      let first = true;
      for (const [s, e] of sentenceSpans(block.text)) {
        const raw = block.text.slice(s, e);
        const lead = raw.length - raw.trimStart().length;
        const sentenceText = raw.trim();
        const start = block.offsets[s + lead] ?? 0;
        const end = (block.offsets[s + lead + sentenceText.length - 1] ?? start) + 1;
        all.push({ index: all.length, page, text: sentenceText, start, end, heading, paragraph });
        for (const piece of splitLong({ text: sentenceText, start, end })) {
          const length = chunkLength();
          if (chunk.length && ((first && length >= MIN_PASSAGE) || length + 1 + piece.text.length > MAX_PASSAGE)) flushChunk();
          chunk.push({ ...piece, paragraphStart: first });
          first = false;
        }
      }
      paragraph += 1;
    }
    // A short tail reads better as the end of the passage before it on the same page and section.
    const last = passages[passages.length - 1];
    const tail = chunkLength();
    if (chunk.length && last && last.page === page && last.heading === heading && tail < MIN_PASSAGE / 2 && last.text.length + tail < MAX_PASSAGE * 1.25) {
      last.text = joinPieces([{ text: last.text, paragraphStart: true }, ...chunk]);
      last.end = chunk[chunk.length - 1]!.end;
      chunk = [];
    }
    flushChunk();
  }
  return { headings, sentences: all, passages };
}

/**
 * The segmented document of passages stored earlier (by `segmentDocument` at processing), without
 * the page text: sentences are split again within each passage, headings come from the passages'
 * headings. A passage counts as one paragraph, and a sentence's offsets are its place in the
 * passage's text counted from the passage's start (exact where the page had no runs of spaces or
 * broken lines); a heading's offset is that of the first passage under it.
 */
export function documentFromPassages(passages: readonly Passage[]): SegmentedDocument {
  const ordered = [...passages].sort((a, b) => a.position - b.position);
  const headings: Heading[] = [];
  const all: Sentence[] = [];
  let current: string | null = null;
  ordered.forEach((passage, paragraph) => {
    if (passage.heading !== null && passage.heading !== current) {
      headings.push({ text: passage.heading, page: passage.page, start: passage.start });
    }
    current = passage.heading;
    for (const [s, e] of paragraphSpans(passage.text).flatMap(([from, to]) => sentenceSpans(passage.text.slice(from, to)).map(([a, b]): [number, number] => [from + a, from + b]))) {
      const raw = passage.text.slice(s, e);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      const start = Math.min(passage.end, passage.start + s + lead);
      all.push({ index: all.length, page: passage.page, text, start, end: Math.min(passage.end, start + text.length), heading: passage.heading, paragraph });
    }
  });
  return { headings, sentences: all, passages: ordered.map((p) => ({ ...p })) };
}
