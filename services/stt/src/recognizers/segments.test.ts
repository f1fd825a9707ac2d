import { describe, expect, it } from 'vitest';
import { parsePocketsphinxTimes } from './pocketsphinx-recognizer.js';
import { overallConfidence, toSegments } from './segments.js';

const OUTPUT = `and mr john
<s> 0.000 0.140 0.999600
and(2) 0.150 0.360 0.260109
mr 0.370 0.620 0.988960
<sil> 0.630 1.400 0.553458
john 1.410 1.800 0.929314
[NOISE] 1.810 1.900 0.5
</s> 1.910 2.000 1.000000
he was
<s> 2.240 2.260 0.999800
he 2.370 2.470 0.998601
was(2) 2.480 2.590 1.000200
</s> 2.600 2.700 1.000000
`;

describe('pocketsphinx word times', () => {
  it('keeps the words with their times, folding alternate pronunciations and dropping fillers', () => {
    const words = parsePocketsphinxTimes(OUTPUT);
    expect(words.map((w) => w.word)).toEqual(['and', 'mr', 'john', 'he', 'was']);
    expect(words[0]).toEqual({ word: 'and', start: 0.15, end: 0.36, confidence: 0.260109 });
    expect(words[4]!.confidence).toBe(1);
  });

  it('splits segments at pauses longer than half a second', () => {
    const segments = toSegments(parsePocketsphinxTimes(OUTPUT));
    expect(segments.map((s) => s.text)).toEqual(['and mr', 'john', 'he was']);
    expect(segments[0]).toMatchObject({ start: 0.15, end: 0.62, speaker: null });
    expect(segments[0]!.confidence).toBeCloseTo((0.260109 + 0.98896) / 2, 3);
  });

  it('starts a new segment when the speaker changes or the segment is long', () => {
    const words = ['a', 'b', 'c', 'd'].map((word, i) => ({ word, start: i, end: i + 0.9, confidence: null, speaker: i < 2 ? 'spk_0' : 'spk_1' }));
    expect(toSegments(words).map((s) => [s.speaker, s.text])).toEqual([
      ['spk_0', 'a b'],
      ['spk_1', 'c d'],
    ]);
    expect(toSegments(words.map((w) => ({ ...w, speaker: null })), { maxWords: 3 }).map((s) => s.text)).toEqual(['a b c', 'd']);
    expect(overallConfidence(words)).toBeNull();
  });
});
