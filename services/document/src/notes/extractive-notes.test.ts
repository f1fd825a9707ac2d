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
  it('states in its summary and key points only sentences that read alone, and sums a section up by what its key terms do', async () => {
    const section = (page: number, heading: string, sentences: string[]) => ({ page, text: `${heading}\n\n${sentences.join(' ')}` });
    // Each section's most typical sentence is a question or leans on the one before it.
    const notes = await extractiveNotes([
      section(1, 'Labeling Theory', [
        'Why do people whom others label as deviant come to see themselves as deviant?',
        'Labeling theory examines the ascribing of a deviant behavior to another person by members of society.',
        'They also found that people whom others label as deviant often come to see themselves as deviant.',
        'A student whom teachers label as a troublemaker may start to skip class and fight.',
        'Over years, people label different acts as deviant, and the labels change with the times.',
        'Sociologists who study labeling ask how others react to a deviant act, not only what the act was.',
        'However, people whom others label as deviant do not always accept the label.',
        'Secondary deviance occurs when a person takes on the deviant label as part of the self.',
      ]),
      section(2, 'Control Theory', [
        'What keeps most people from breaking the rules of their society most of the time?',
        'Control theory states that social control depends on the strength of social bonds.',
        'These bonds keep most people from breaking the rules of their society most of the time.',
        'People with strong bonds to family, school and work have much to lose when they break the rules.',
        'A teenager with close friends at school may stay away from crime to keep those friends.',
        'Sociologists who test control theory compare crime rates among people with weak and strong social bonds.',
        'In the example above, the bonds of school keep the teenager from breaking the rules.',
        'Social bonds to family and work weaken in hard times, and crime rises with it.',
      ]),
      section(3, 'Strain Theory', [
        'How do people react when society holds up goals that they cannot reach by accepted means?',
        'Strain theory notes that access to socially acceptable goals plays a part in whether a person conforms or deviates.',
        'They may turn to crime to reach the goals that society holds up for everyone.',
        'Some people give up on the goals that society holds up and reject the accepted means as well.',
        'A person may want financial success but lack an accepted way to reach that goal.',
        'Sociologists who follow strain theory look at who can reach the goals society holds up.',
        'Each of these reactions to strain is a way of adapting to the goals society holds up.',
        'Innovation is the reaction of those who accept the goals but reject the accepted means.',
      ]),
    ]);
    const byKind = Object.fromEntries(notes.map((n) => [n.kind, n]));
    const summary = byKind.summary!.items;
    expect(summary.map((item) => item.page)).toEqual([1, 2, 3]);
    for (const item of [...summary, ...byKind.key_points!.items]) {
      expect(item.text, item.text).not.toMatch(/\?$|^(?:they|these|however|each of these)\b|\babove\b/i);
    }
    // A section's key term named in its summary sentence, by a sentence other than the one the key terms quote.
    const defining = new Set(byKind.key_terms!.items.map((item) => item.text));
    expect(summary[1]!.text).toMatch(/control theory/i);
    expect(summary[2]!.text).toMatch(/strain theory/i);
    for (const item of summary) expect(defining.has(item.text), item.text).toBe(false);
  });

  it('states its sentences without the linking words that tie them to the one before ("In contrast, …", "…, on the other hand, …")', async () => {
    const notes = await extractiveNotes([
      {
        page: 4,
        text: [
          'Social control is the regulation and enforcement of norms in a society.',
          'Formal sanctions are ways to officially recognize and enforce norm violations.',
          'Informal sanctions, on the other hand, emerge in face-to-face social interactions between people.',
          'In contrast, folkways are norms for routine or casual interaction that people follow without thinking.',
          'Mores, however, are the norms of morality that a society holds most strongly.',
          'However, a taboo is a norm that society holds so strongly that violating it results in extreme disgust.',
          'Similarly, values are the standards a culture uses to discern what is good and just in society.',
          'Beliefs are the tenets or convictions that people hold to be true about the world.',
        ].join(' '),
      },
    ]);
    const items = notes.flatMap((n) => n.items);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.text, item.text).not.toMatch(/\b(?:in contrast|on the other hand|however|similarly)\b/i);
    const terms = notes.find((n) => n.kind === 'key_terms')!.items;
    expect(terms).toContainEqual({ term: 'folkways', text: 'Folkways are norms for routine or casual interaction that people follow without thinking.', page: 4 });
    expect(terms).toContainEqual({ term: 'mores', text: 'Mores are the norms of morality that a society holds most strongly.', page: 4 });
    expect(terms).toContainEqual({ term: 'taboo', text: 'A taboo is a norm that society holds so strongly that violating it results in extreme disgust.', page: 4 });
  });

  it('prefers for its key points a sentence that says more about a key term over one that says nothing of any', async () => {
    const notes = await extractiveNotes([
      {
        page: 1,
        text: [
          'Photosynthesis is the process by which green plants make sugar from light, water and carbon dioxide.',
          'Chlorophyll is the green pigment that absorbs the light plants use.',
          'Plants in a garden need light, water and good soil to grow well.',
          'A garden with good soil and water gives plants what they need to grow.',
          'Gardeners water plants in the morning so that the soil stays moist in the light of day.',
          'Photosynthesis slows down when plants get too little water or light.',
          'Leaves that lose their chlorophyll turn yellow and make less sugar.',
          'Good soil holds water for plants between the days of rain.',
          'Some plants grow well in shade, while others need full light all day.',
          'The sugar that plants make is stored in roots, stems and fruit.',
          'Animals that eat plants take in the energy stored in that sugar.',
          'A garden in full light grows more food than a garden in shade.',
        ].join(' '),
      },
    ]);
    const points = notes.find((n) => n.kind === 'key_points')!.items.map((item) => item.text);
    const terms = notes.find((n) => n.kind === 'key_terms')!.items;
    expect(terms.map((t) => t.term)).toEqual(['photosynthesis', 'chlorophyll']);
    expect(points).toContain('Photosynthesis slows down when plants get too little water or light.');
    // The sentence defining it is the key term's, not repeated among the points.
    expect(points).not.toContain(terms[0]!.text);
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

  it('lists a phrase the text uses but never defines only when its relatedness shows a passage is about it', async () => {
    const pages = [
      {
        page: 1,
        text: [
          'Urban sociology is the study of social life in cities. Participatory budgeting came up in the debate.',
          'Gentrification refers to the arrival of wealthier residents in a poorer neighborhood. Residents tried participatory budgeting in two districts.',
          'Segregation is the separation of groups of people in where they live. Participatory budgeting spread to other towns.',
          'Suburbanization is the movement of people from cities to the areas around them. The participatory budgeting office later published a report.',
          'Urbanization is the growth of cities as people move from the countryside. Critics of participatory budgeting wrote letters to the paper.',
        ].join('\n\n'),
      },
    ];
    const termsOf = (notes: GeneratedNote[]) => notes.find((n) => n.kind === 'key_terms')!.items.map((item) => item.term!);
    const generator = createExtractiveNotes();
    // Unmeasured, the phrase the text keeps using is listed beside the terms it defines.
    expect(termsOf(await generator.generate(pages))).toContain('participatory budgeting');
    // Measured as far from every passage, it is left out; a defined term measured as far stays.
    const far = ['participatory budgeting', 'segregation'];
    const measured = termsOf(await generator.generate(pages, { relatedness: async (terms) => terms.map((t) => (far.includes(t) ? 0.5 : 0.8)) }));
    expect(measured).not.toContain('participatory budgeting');
    expect(measured).toEqual(expect.arrayContaining(['segregation', 'gentrification', 'suburbanization', 'urbanization', 'urban sociology']));
  });
});
