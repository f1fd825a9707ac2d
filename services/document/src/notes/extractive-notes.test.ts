import { describe, expect, it } from 'vitest';
import { createExtractiveNotes, extractiveNotes } from './extractive-notes.js';
import type { GeneratedNote } from './notes-generator.js';

const PAGES = [
  {
    page: 1,
    text: [
      'Photosynthesis is the process by which green plants turn light energy into chemical energy.',
      'During photosynthesis, plants take in carbon dioxide and water and release oxygen.',
      'The light energy used in photosynthesis is captured by chlorophyll in the leaves of plants.',
      'My cousin once visited a bakery in Lisbon on a rainy afternoon.',
    ].join(' '),
  },
  {
    page: 2,
    text: [
      'Chlorophyll is a green pigment that absorbs red and blue light.',
      'Chloroplasts are the organelles where photosynthesis takes place in plant cells.',
      'The chemical energy made by photosynthesis is stored in glucose, which plants use to grow.',
      'Without photosynthesis, plants could not make the glucose and energy they need.',
    ].join(' '),
  },
];

const notes = await extractiveNotes(PAGES);

describe('extractive notes', () => {
  const byKind = Object.fromEntries(notes.map((n) => [n.kind, n]));

  it('makes a summary, key points and key terms, in that order', () => {
    expect(notes.map((n) => n.kind)).toEqual(['summary', 'key_points', 'key_terms']);
    expect(notes.every((n) => n.generator === 'extractive')).toBe(true);
  });

  it('summarises with the most central sentences and leaves out the off-topic one', () => {
    const summary = byKind.summary!;
    expect(summary.items.length).toBeGreaterThanOrEqual(2);
    expect(summary.content).toMatch(/photosynthesis/i);
    expect(summary.content).not.toContain('bakery');
    for (const item of summary.items) {
      const page = PAGES.find((p) => p.text.includes(item.text));
      expect(page?.page).toBe(item.page);
    }
  });

  it('lists key points that repeat no summary sentence, each with its page', () => {
    const summary = new Set(byKind.summary!.items.map((i) => i.text));
    const points = byKind.key_points!;
    expect(points.items.length).toBeGreaterThan(0);
    for (const item of points.items) {
      expect(summary.has(item.text)).toBe(false);
      expect(points.content).toContain(`- ${item.text} (p. ${item.page})`);
    }
  });

  it('finds the key terms with the sentence that defines each and its page', () => {
    const items = byKind.key_terms!.items;
    const term = (name: string) => items.find((i) => i.term?.toLowerCase() === name);
    expect(term('photosynthesis')).toMatchObject({
      text: 'Photosynthesis is the process by which green plants turn light energy into chemical energy.',
      page: 1,
    });
    expect(term('chlorophyll')).toMatchObject({ text: 'Chlorophyll is a green pigment that absorbs red and blue light.', page: 2 });
    expect(items.map((i) => i.term)).not.toContain('bakery');
    expect(byKind.key_terms!.content).toContain('- **photosynthesis**: Photosynthesis is the process');
  });

  it('makes no notes from text without whole sentences, and handles a one-sentence document', async () => {
    expect(await extractiveNotes([{ page: 1, text: 'Table 3\n\n12 14 16' }])).toEqual([]);
    const one = await extractiveNotes([{ page: 4, text: 'Entropy is a measure of disorder in a system.' }]);
    expect(one[0]).toMatchObject({ kind: 'summary', content: 'Entropy is a measure of disorder in a system.' });
    expect(one[0]!.items).toEqual([{ text: 'Entropy is a measure of disorder in a system.', page: 4 }]);
  });

  it('summarises a long document of thousands of sentences from its own sentences, without holding up the service', async () => {
    const vocabulary = 'energy cell membrane protein enzyme glucose oxygen carbon water light leaf root stem gene acid base salt heat motion force mass wave sound field charge current river rock soil cloud storm'.split(' ');
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const sentence = () => `The ${vocabulary[next(30)]} affects the ${vocabulary[next(30)]} and the ${vocabulary[next(30)]} near the ${vocabulary[next(30)]}.`;
    const long = Array.from({ length: 100 }, (_, p) => ({ page: p + 1, text: Array.from({ length: 30 }, sentence).join(' ') }));
    const notes = await extractiveNotes(long);
    const summary = notes.find((n) => n.kind === 'summary')!;
    expect(summary.items.length).toBeGreaterThanOrEqual(3);
    for (const item of summary.items) expect(long[item.page - 1]!.text).toContain(item.text);

    // The generator the service uses writes the same notes in a worker thread, and this thread
    // keeps running timers (answering requests) meanwhile.
    let ticks = 0;
    const ticking = setInterval(() => (ticks += 1), 5);
    try {
      expect(await createExtractiveNotes().generate(long)).toEqual(notes);
    } finally {
      clearInterval(ticking);
    }
    expect(ticks).toBeGreaterThan(10);
  });

  it('summarises every section of a long document, not only its start, and defines its key terms', async () => {
    const topics = [
      ['Glaciers', 'glacier', 'ice'],
      ['Volcanoes', 'volcano', 'magma'],
      ['Deserts', 'desert', 'sand'],
    ] as const;
    const pages = topics.map(([heading, thing, stuff], i) => ({
      page: i + 1,
      text: `${heading}\n\n${Array.from(
        { length: 10 },
        (_, k) => `Every ${thing} in region ${k} changes its ${stuff} slowly over many years of ${stuff} movement.`,
      ).join(' ')} A ${thing} is a landform shaped by ${stuff} over long periods of time.`,
    }));
    const notes = await extractiveNotes(pages);
    const summary = notes.find((n) => n.kind === 'summary')!;
    expect(new Set(summary.items.map((item) => item.page))).toEqual(new Set([1, 2, 3]));
    const terms = notes.find((n) => n.kind === 'key_terms')!;
    const volcano = terms.items.find((item) => item.term === 'volcano');
    expect(volcano).toEqual({ term: 'volcano', text: 'A volcano is a landform shaped by magma over long periods of time.', page: 2 });
  });
  it('prefers, when the service can measure it, the key terms a passage of the document explains', async () => {
    const concepts = [
      ['osmosis', 'the movement of water across a membrane'],
      ['diffusion', 'the spreading of particles from crowded to sparse regions'],
      ['mitosis', 'the division of one nucleus into two identical nuclei'],
      ['meiosis', 'the division that makes cells with half the chromosomes'],
      ['photosynthesis', 'the making of sugar from light, water and carbon dioxide'],
      ['respiration', 'the release of energy from sugar in the cell'],
      ['enzyme', 'a protein that speeds up a reaction in the cell'],
      ['chromosome', 'a long thread of genes in the nucleus'],
      ['ribosome', 'a small body that builds proteins from amino acids'],
      ['homeostasis', 'the keeping of steady conditions inside the body'],
      ['mutation', 'a change in the sequence of a gene'],
      ['allele', 'one of the forms a gene can take'],
    ];
    const pages = [
      {
        page: 1,
        text: concepts
          .map(([term, meaning]) => `${term!.charAt(0).toUpperCase()}${term!.slice(1)} is ${meaning}. Biologists study ${term} in many living things.`)
          .join(' '),
      },
    ];
    const termsOf = (notes: GeneratedNote[]) => notes.find((n) => n.kind === 'key_terms')!.items.map((item) => item.term!);
    const generator = createExtractiveNotes();
    const plain = termsOf(await generator.generate(pages));

    let asked: string[] = [];
    const measured = termsOf(
      await generator.generate(pages, {
        relatedness: async (terms) => {
          asked = terms;
          return terms.map((term) => (plain.includes(term) ? 0.2 : 0.9));
        },
      }),
    );
    // More candidates are measured than are listed, and those measured as explained come first.
    expect(asked.length).toBeGreaterThan(plain.length);
    const unlisted = asked.filter((term) => !plain.includes(term));
    expect(measured.slice(0, Math.min(unlisted.length, measured.length)).every((term) => unlisted.includes(term))).toBe(true);
    // A measure that fails leaves the choice as it was.
    expect(termsOf(await generator.generate(pages, { relatedness: async () => undefined }))).toEqual(plain);
  });
});
