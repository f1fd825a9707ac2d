import { paragraphs, sentences } from '../text/sentences.js';
import { STOPWORDS, stem, terms, words } from '../text/words.js';
import type { GeneratedNote, NoteItem, NotesGenerator } from './notes-generator.js';

interface Sentence {
  index: number;
  page: number;
  text: string;
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

/** Sentences worth quoting in notes: whole statements, not headings, page numbers or fragments. */
function candidateSentences(pages: { page: number; text: string }[]): { page: number; text: string; terms: string[] }[] {
  const out: { page: number; text: string; terms: string[] }[] = [];
  for (const { page, text } of pages) {
    for (const paragraph of paragraphs(text)) {
      for (const s of sentences(paragraph)) {
        const count = words(s).length;
        if (count < 5 || s.length > MAX_SENTENCE_CHARS || !/[.!?]["”’)]?$/.test(s)) continue;
        const t = terms(s);
        if (t.length >= 2) out.push({ page, text: s, terms: t });
      }
    }
  }
  if (out.length <= MAX_SENTENCES) return out;
  const step = out.length / MAX_SENTENCES;
  return Array.from({ length: MAX_SENTENCES }, (_, i) => out[Math.floor(i * step)]!);
}

/** TF-IDF vectors, sentences being the documents. */
function vectorize(raw: { page: number; text: string; terms: string[] }[]): Sentence[] {
  const df = new Map<string, number>();
  for (const s of raw) for (const t of new Set(s.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = raw.length;
  return raw.map((s, index) => {
    const tf = new Map<string, number>();
    for (const t of s.terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const vector: Vector = new Map();
    for (const [t, f] of tf) vector.set(t, (1 + Math.log(f)) * Math.log(1 + n / (df.get(t) ?? 1)));
    return { index, page: s.page, text: s.text, stems: ` ${s.terms.join(' ')} `, vector: normalize(vector) };
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

interface TermCandidate {
  key: string;
  forms: Map<string, number>;
  count: number;
  first: number;
  defined: number;
}

const DEFINITION_VERBS = String.raw`(?:is|are|was|were|refers? to|means?|describes?|denotes?|is defined as|are defined as|is known as|is called|consists? of)`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A test of whether a sentence defines `term`: "Term is …", "A term refers to …", "… is called term". */
function definitionTest(term: string): (sentence: string) => boolean {
  const t = escapeRegExp(term).replace(/\s+/g, '\\s+');
  const subject = new RegExp(String.raw`^(?:(?:an?|the)\s+)?${t}(?:e?s)?\s*(?:\([^)]*\)\s*)?,?\s+${DEFINITION_VERBS}\b`, 'i');
  const named = new RegExp(String.raw`\b(?:called|known as|termed|named)\s+(?:an?\s+|the\s+)?["“']?${t}\b`, 'i');
  return (sentence) => subject.test(sentence) || named.test(sentence);
}

/**
 * Stems of the phrases the text defines ("Osmosis is …", "… is called osmosis"), with how often;
 * one pass over the sentences rather than one per candidate term.
 */
function definedKeys(all: Sentence[]): Map<string, number> {
  const subject = new RegExp(
    String.raw`^(?:(?:an?|the)\s+)?((?:[\p{L}][\p{L}\p{N}-]*\s+){0,2}[\p{L}][\p{L}\p{N}-]*)\s*(?:\([^)]*\)\s*)?,?\s+${DEFINITION_VERBS}\b`,
    'iu',
  );
  const named = /\b(?:called|known as|termed|named)\s+(?:an?\s+|the\s+)?["“']?((?:[\p{L}][\p{L}\p{N}-]*\s+){0,2}[\p{L}][\p{L}\p{N}-]*)/giu;
  const keys = new Map<string, number>();
  const add = (phrase: string, leadingRuns: boolean): void => {
    const parts = phrase.split(/\s+/);
    // After "called", the phrase may run on past the term ("called osmosis by biologists").
    for (let size = leadingRuns ? 1 : parts.length; size <= parts.length; size++) {
      const key = parts.slice(0, size).map(stem).join(' ');
      keys.set(key, (keys.get(key) ?? 0) + 1);
    }
  };
  for (const s of all) {
    const m = subject.exec(s.text);
    if (m?.[1]) add(m[1], false);
    for (const n of s.text.matchAll(named)) if (n[1]) add(n[1], true);
  }
  return keys;
}

/** Noun-phrase-like runs of up to three content words, counted by their stems. */
function termCandidates(all: Sentence[]): Map<string, TermCandidate> {
  const candidates = new Map<string, TermCandidate>();
  for (const s of all) {
    const runs: string[][] = [];
    let run: string[] = [];
    for (const token of s.text.split(/\s+/)) {
      const clean = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      const breaks = /[,.;:!?)(\]"“”]$/.test(token) || /^[("“[]/.test(token);
      const usable = clean.length > 2 && /^\p{L}[\p{L}\p{N}-]*$/u.test(clean) && !STOPWORDS.has(clean.toLowerCase());
      if (usable && /^[("“[]/.test(token) && run.length) {
        runs.push(run);
        run = [];
      }
      if (usable) run.push(clean);
      if (!usable || breaks) {
        if (run.length) runs.push(run);
        run = [];
      }
    }
    if (run.length) runs.push(run);
    const seen = new Set<string>();
    for (const r of runs) {
      for (let size = 1; size <= 3; size++) {
        for (let i = 0; i + size <= r.length; i++) {
          const form = r.slice(i, i + size).join(' ');
          const key = r.slice(i, i + size).map(stem).join(' ');
          const c = candidates.get(key) ?? { key, forms: new Map(), count: 0, first: s.index, defined: 0 };
          c.forms.set(form, (c.forms.get(form) ?? 0) + 1);
          if (!seen.has(key)) c.count += 1;
          seen.add(key);
          candidates.set(key, c);
        }
      }
    }
  }
  const defined = definedKeys(all);
  for (const c of candidates.values()) c.defined = defined.get(c.key) ?? 0;
  return candidates;
}

/** The spelling used most; lower case unless the term is a name or an acronym everywhere. */
function bestForm(c: TermCandidate): string {
  const [form] = [...c.forms.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const alwaysCapitalised = [...c.forms.keys()].every((f) => /^\p{Lu}/u.test(f));
  return alwaysCapitalised && c.count > 1 ? form : form.replace(/^\p{Lu}(?=\p{Ll})/u, (x) => x.toLowerCase());
}

function keyTerms(all: Sentence[], scores: Map<number, number>, count: number): NoteItem[] {
  const n = all.length;
  const scored = [...termCandidates(all).values()]
    .map((c) => {
      const size = c.key.split(' ').length;
      if (c.count < 2 && c.defined === 0) return { c, score: 0 };
      const early = 1 + 0.5 * (1 - c.first / Math.max(1, n));
      const spread = Math.log(1 + c.count) * (1 + 0.6 * (size - 1));
      return { c, score: spread * early * (1 + 2 * Math.min(1, c.defined)) };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.c.first - b.c.first);
  const chosen: TermCandidate[] = [];
  for (const { c } of scored) {
    if (chosen.length >= count) break;
    const overlaps = chosen.some((k) => ` ${k.key} `.includes(` ${c.key} `) || ` ${c.key} `.includes(` ${k.key} `));
    if (!overlaps) chosen.push(c);
  }
  return chosen.map((c) => {
    const term = bestForm(c);
    const pattern = new RegExp(String.raw`\b${escapeRegExp(term).replace(/\s+/g, '\\s+')}`, 'i');
    const defines = definitionTest(term);
    const using = all.filter((s) => s.stems.includes(` ${c.key} `) || pattern.test(s.text));
    const sentence =
      using.find((s) => defines(s.text)) ??
      [...using].sort((a, b) => (scores.get(b.index) ?? 0) - (scores.get(a.index) ?? 0))[0] ??
      all[c.first]!;
    return { term, text: sentence.text, page: sentence.page };
  });
}

function pageRef(page: number): string {
  return `(p. ${page})`;
}

/**
 * Notes made from the document's own sentences, with no outside service: a summary of its most
 * central sentences, key points, and key terms with the sentence that defines or uses each.
 */
export function extractiveNotes(pages: { page: number; text: string }[]): GeneratedNote[] {
  const all = vectorize(candidateSentences(pages));
  if (all.length === 0) return [];
  const scores = rankSentences(all);
  const ranked = [...all]
    .filter((s) => scores.has(s.index))
    .sort((a, b) => scores.get(b.index)! - scores.get(a.index)! || a.index - b.index);

  const summaryCount = Math.min(7, Math.max(2, Math.round(Math.sqrt(all.length) / 1.5)));
  const summary = pickDiverse(ranked, summaryCount);
  const points = pickDiverse(ranked, Math.min(10, Math.max(3, Math.round(all.length / 8))), summary);
  const termItems = keyTerms(all, scores, Math.min(12, Math.max(4, Math.round(all.length / 6))));

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

export function createExtractiveNotes(): NotesGenerator {
  return { generate: async (pages) => extractiveNotes(pages) };
}
