import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { analyseKeyTerms, asksQuestion, contentStems, leansOnContext, segmentDocument, tokens, withoutLinkingWords, type SegmentedDocument } from '@learner/text';
import { runInThread } from '../threads/run-in-thread.js';
import type { GeneratedNote, NoteItem, NotesContext, NotesGenerator } from './notes-generator.js';

interface Sentence {
  index: number;
  page: number;
  text: string;
  heading: string | null;
  /** The sentence's stems joined by spaces, padded, for finding multi-word terms. */
  stems: string;
  vector: Map<string, number>;
}

type Vector = Map<string, number>;

const DAMPING = 0.85;
const MAX_GRAPH_SENTENCES = 400;
const MAX_SENTENCE_CHARS = 400;
/** Sentences a note is chosen from; a longer text is sampled evenly, so its whole length counts. */
const MAX_SENTENCES = 3000;
const MAX_SUMMARY_SENTENCES = 12;
/**
 * How much a sentence naming one of the document's key terms (other than the sentence that defines
 * it, which the key terms already quote) counts beside its closeness to its part, when the summary
 * picks a part's sentence: a summary tells what the concepts are about, not only what is typical.
 */
const CONCEPT_BONUS = 0.2;
/** For the key points, a sentence naming a key term (other than its defining one) ranks as this many times as central. */
const CONCEPT_CENTRALITY = 1.5;

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, weight] of small) dot += weight * (large.get(term) ?? 0);
  return dot;
}

function normalize(vector: Vector): Vector {
  let norm = 0;
  for (const w of vector.values()) norm += w * w;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, w] of vector) vector.set(t, w / norm);
  return vector;
}

type RawSentence = { page: number; text: string; terms: string[]; heading: string | null };

/** Sentences worth quoting in notes: whole statements, not headings, page numbers or fragments. */
function candidateSentences(doc: SegmentedDocument): RawSentence[] {
  const out: RawSentence[] = [];
  for (const s of doc.sentences) {
    const count = tokens(s.text).length;
    if (count < 5 || s.text.length > MAX_SENTENCE_CHARS || !/[.!?]["”’)]?$/.test(s.text)) continue;
    // Stated as a learner reads it in a note, lifted out of its paragraph: without "In contrast, …".
    const text = withoutLinkingWords(s.text);
    const t = contentStems(text);
    if (t.length >= 2) out.push({ page: s.page, text, terms: t, heading: s.heading });
  }
  if (out.length <= MAX_SENTENCES) return out;
  const step = out.length / MAX_SENTENCES;
  return Array.from({ length: MAX_SENTENCES }, (_, i) => out[Math.floor(i * step)]!);
}

/** TF-IDF vectors, sentences being the documents. */
function vectorize(raw: RawSentence[]): Sentence[] {
  const df = new Map<string, number>();
  for (const s of raw) for (const t of new Set(s.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = raw.length;
  return raw.map((s, index) => {
    const tf = new Map<string, number>();
    for (const t of s.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const vector: Vector = new Map();
    for (const [t, f] of tf) vector.set(t, (1 + Math.log(f)) * Math.log(1 + n / (df.get(t) ?? 1)));
    return { index, page: s.page, text: s.text, heading: s.heading, stems: ` ${s.terms.join(' ')} `, vector: normalize(vector) };
  });
}

function centroid(all: Sentence[]): Vector {
  const sum: Vector = new Map();
  for (const s of all) for (const [t, w] of s.vector) sum.set(t, (sum.get(t) ?? 0) + w);
  return normalize(sum);
}

/**
 * TextRank: a sentence is central when many sentences resemble it. PageRank over the cosine
 * similarity graph. Long documents are first narrowed to the sentences nearest their centroid.
 */
export function rankSentences(all: Sentence[]): Map<number, number> {
  let pool = all;
  if (all.length > MAX_GRAPH_SENTENCES) {
    const centre = centroid(all);
    const closeness = new Map(all.map((s) => [s.index, cosine(s.vector, centre)]));
    pool = [...all].sort((a, b) => closeness.get(b.index)! - closeness.get(a.index)!).slice(0, MAX_GRAPH_SENTENCES);
  }
  const n = pool.length;
  const weights = pool.map((a) => pool.map((b) => (a === b ? 0 : cosine(a.vector, b.vector))));
  const outSum = weights.map((row) => row.reduce((x, y) => x + y, 0));
  let scores = new Array<number>(n).fill(1 / n);
  for (let iteration = 0; iteration < 50; iteration++) {
    const next = new Array<number>(n).fill((1 - DAMPING) / n);
    for (let j = 0; j < n; j++) {
      const total = outSum[j]!;
      if (total === 0) {
        // A sentence like no other spreads its score evenly, keeping the total at one.
        for (let i = 0; i < n; i++) next[i]! += (DAMPING * scores[j]!) / n;
        continue;
      }
      const row = weights[j]!;
      for (let i = 0; i < n; i++) if (row[i]! > 0) next[i]! += (DAMPING * scores[j]! * row[i]!) / total;
    }
    const change = next.reduce((d, v, i) => d + Math.abs(v - scores[i]!), 0);
    scores = next;
    if (change < 1e-6) break;
  }
  return new Map(pool.map((s, i) => [s.index, scores[i]!]));
}

/**
 * Picks up to `count` sentences by score, skipping near repeats of ones already picked; the bar
 * for "near" is relaxed step by step when a repetitive text leaves too few.
 */
function pickDiverse(ranked: Sentence[], count: number, taken: Sentence[] = []): Sentence[] {
  const picked: Sentence[] = [];
  for (const threshold of [0.6, 0.8, 0.95]) {
    for (const s of ranked) {
      if (picked.length >= count) break;
      const chosen = [...taken, ...picked];
      if (chosen.some((p) => p === s || p.text === s.text || cosine(p.vector, s.vector) > threshold)) continue;
      picked.push(s);
    }
  }
  return picked.sort((a, b) => a.index - b.index);
}

/** Candidates measured for relatedness, for each term listed. */
const CANDIDATES_PER_TERM = 3;

/**
 * The document's key terms; when their relatedness to the passages can be measured, the likeliest
 * candidates are measured and the terms chosen again with it.
 */
async function keyTerms(doc: SegmentedDocument, relatedness: NotesContext['relatedness']): Promise<NoteItem[]> {
  const analysis = analyseKeyTerms(doc);
  let measured: Map<string, number> | undefined;
  if (relatedness) {
    const candidates = analysis.select({ max: analysis.count * CANDIDATES_PER_TERM });
    const values = candidates.length ? await relatedness(candidates.map((t) => t.term)) : undefined;
    if (values?.length === candidates.length) measured = new Map(candidates.map((t, i) => [t.key, values[i]!]));
  }
  return analysis.select(measured ? { relatedness: measured, explainedOnly: true } : {}).map((t) => ({ term: t.term, text: withoutLinkingWords(t.sentence), page: t.page }));
}

/**
 * One sentence from each part of the document: its sections when it has headings, otherwise
 * stretches of equal length, so the summary covers the whole text and not only its start. In each
 * part, among the sentences that read alone, the one nearest the part's own centroid (the one most
 * like the rest of it), a sentence naming a key term counting as nearer by CONCEPT_BONUS.
 */
function coveringSummary(all: Sentence[], sectionOf: (s: Sentence) => string | null, count: number, namesConcept: (s: Sentence) => boolean): Sentence[] {
  const sections = new Map<string, Sentence[]>();
  for (const s of all) {
    const key = sectionOf(s) ?? '';
    sections.set(key, [...(sections.get(key) ?? []), s]);
  }
  let parts = [...sections.values()].filter((p) => p.length >= 2);
  if (parts.length < 2) {
    const size = Math.ceil(all.length / count);
    parts = Array.from({ length: Math.ceil(all.length / size) }, (_, i) => all.slice(i * size, (i + 1) * size));
  }
  // A long book has more sections than a summary has room for: the largest ones, in reading order.
  if (parts.length > MAX_SUMMARY_SENTENCES) {
    parts = [...parts].sort((a, b) => b.length - a.length).slice(0, MAX_SUMMARY_SENTENCES).sort((a, b) => a[0]!.index - b[0]!.index);
  }
  const picked: Sentence[] = [];
  for (const part of parts) {
    const centre = centroid(part);
    // A part that only asks (a text's questions for discussion) gives the summary nothing to state.
    const readable = part.filter(readsAlone);
    const best = [...(readable.length ? readable : part.filter((s) => !asksQuestion(s.text)))]
      .filter((s) => !picked.some((p) => cosine(p.vector, s.vector) > 0.6))
      .map((s) => ({ s, score: cosine(s.vector, centre) + (namesConcept(s) ? CONCEPT_BONUS : 0) }))
      .sort((a, b) => b.score - a.score || a.s.index - b.s.index)[0]?.s;
    if (best) picked.push(best);
  }
  return picked.sort((a, b) => a.index - b.index);
}

/**
 * A sentence a note can state on its own (its linking words already dropped): a statement, not a
 * question, and not one that opens on what the sentence before it said ("They also found …",
 * "Because of this, …") or points at another part of the text ("In the example above, …").
 */
function readsAlone(s: Sentence): boolean {
  return !asksQuestion(s.text) && !leansOnContext(s.text);
}

/** The sentences that read alone, in order, then the others when there are too few of those. */
function readableFirst(ranked: Sentence[], count: number): Sentence[] {
  const readable = ranked.filter(readsAlone);
  return readable.length >= count ? readable : [...readable, ...ranked.filter((s) => !readsAlone(s))];
}

function pageRef(page: number): string {
  return `(p. ${page})`;
}

/**
 * Notes made from the document's own sentences, with no outside service: a summary of its most
 * central sentences, key points, and key terms with the sentence that defines or uses each.
 */
export async function extractiveNotes(pages: { page: number; text: string }[], relatedness?: NotesContext['relatedness']): Promise<GeneratedNote[]> {
  const doc = segmentDocument(pages);
  const all = vectorize(candidateSentences(doc));
  if (all.length === 0) return [];
  const scores = rankSentences(all);
  const ranked = [...all]
    .filter((s) => scores.has(s.index))
    .sort((a, b) => scores.get(b.index)! - scores.get(a.index)! || a.index - b.index);

  const summaryCount = Math.min(7, Math.max(2, Math.round(Math.sqrt(all.length) / 1.5)));
  const pointCount = Math.min(10, Math.max(3, Math.round(all.length / 8)));
  const termItems = await keyTerms(doc, relatedness);
  const conceptStems = termItems.map((t) => ` ${contentStems(t.term ?? '').join(' ')} `).filter((k) => k.trim());
  const defining = new Set(termItems.map((t) => t.text));
  const namesConcept = (s: Sentence): boolean => !defining.has(s.text) && conceptStems.some((k) => s.stems.includes(k));
  const summary = all.length > 20 ? coveringSummary(all, (s) => s.heading, summaryCount, namesConcept) : pickDiverse(readableFirst(ranked, summaryCount), summaryCount);
  const pointScore = (s: Sentence): number => scores.get(s.index)! * (namesConcept(s) ? CONCEPT_CENTRALITY : 1);
  const byPointScore = [...ranked].sort((a, b) => pointScore(b) - pointScore(a) || a.index - b.index);
  const points = pickDiverse(readableFirst(byPointScore, summaryCount + pointCount), pointCount, summary);

  const notes: GeneratedNote[] = [
    {
      kind: 'summary',
      content: summary.map((s) => s.text).join(' '),
      items: summary.map((s) => ({ text: s.text, page: s.page })),
      generator: 'extractive',
    },
  ];
  if (points.length) {
    notes.push({
      kind: 'key_points',
      content: points.map((s) => `- ${s.text} ${pageRef(s.page)}`).join('\n'),
      items: points.map((s) => ({ text: s.text, page: s.page })),
      generator: 'extractive',
    });
  }
  if (termItems.length) {
    notes.push({
      kind: 'key_terms',
      content: termItems.map((t) => `- **${t.term}**: ${t.text} ${pageRef(t.page)}`).join('\n'),
      items: termItems,
      generator: 'extractive',
    });
  }
  return notes;
}

// The built module, found through the package's own exports so that the service and its tests
// (which run the TypeScript sources) start the same code in the thread.
const NOTES_MODULE = pathToFileURL(createRequire(import.meta.url).resolve('@learner/document/dist/notes/extractive-notes.js')).href;

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Relatedness is measured by the service (it holds the embedder): asked for, then read from the reply.
const relatedness = (terms) =>
  new Promise((resolve) => {
    parentPort.once('message', (m) => resolve(m.reply));
    parentPort.postMessage({ question: terms });
  });
import(workerData.module)
  .then((m) => m.extractiveNotes(workerData.pages, workerData.measures ? relatedness : undefined))
  .then(
    (notes) => parentPort.postMessage({ notes }),
    (err) => parentPort.postMessage({ error: String((err && err.message) || err) }),
  );
`;

/**
 * Extractive notes written in a worker thread: ranking sentences and tagging key terms take
 * seconds on a long document, during which the service would otherwise answer nobody.
 */
export function createExtractiveNotes(options: { timeoutMs?: number } = {}): NotesGenerator {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return {
    async generate(pages, context) {
      const relatedness = context?.relatedness;
      const data = { module: NOTES_MODULE, pages, measures: Boolean(relatedness) };
      const answer = await runInThread<{ notes: GeneratedNote[] } | { error: string }>(THREAD_SOURCE, data, {
        timeoutMs,
        ...(relatedness ? { answer: (terms: unknown) => relatedness(terms as string[]) } : {}),
        maxOldGenerationSizeMb: 1024,
        failures: {
          timeout: () => new Error(`writing notes took longer than ${timeoutMs} ms`),
          error: (err) => err,
          exit: (code) => new Error(`the notes thread stopped unexpectedly (exit ${code})`),
        },
      });
      if ('error' in answer) throw new Error(`notes could not be written: ${answer.error}`);
      return answer.notes;
    },
  };
}
